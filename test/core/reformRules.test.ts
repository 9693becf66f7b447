// The sum rule's two refinements for regions through reforms, against brute force on random cubes:
// a variable's absentStatus (cells of codes that did not exist add nothing) and a group's partial inputs
// (a split code holding a non-zero number makes the group Status.Split).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, type Plan } from '../../src/core/engine.js';
import { periodStart, Status, symbolText, type Cube, type GroupInputSpan, type TableMeta, type Variable } from '../../src/core/model.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ABSENT = Status.Dot4;

/** Region (with absentStatus) x another variable; the other variable may come first or last. */
function randomCube(r: () => number, regionFirst: boolean): Cube {
  const nr = 2 + Math.floor(r() * 5);
  const no = 1 + Math.floor(r() * 4);
  const region: Variable = {
    code: 'R',
    label: { en: 'r' },
    elimination: true,
    absentStatus: ABSENT,
    values: Array.from({ length: nr }, (_, i) => ({ code: `r${i}`, label: { en: `r${i}` } })),
  };
  const other: Variable = { code: 'O', label: { en: 'o' }, elimination: true, values: Array.from({ length: no }, (_, i) => ({ code: `o${i}`, label: { en: `o${i}` } })) };
  const variables = regionFirst ? [region, other] : [other, region];
  const meta: TableMeta = { id: 'T', title: { en: 't' }, contents: { en: 't' }, languages: ['en'], defaultLanguage: 'en', variables, stub: [variables[0].code], heading: [variables[1].code], decimals: 0 };
  const n = nr * no;
  const values = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = r();
    if (x < 0.3) status[i] = ABSENT;
    else if (x < 0.38) status[i] = Status.Dot1 + Math.floor(r() * 2);
    else if (x < 0.45) status[i] = Status.Nil;
    else values[i] = r() < 0.1 ? 0 : Math.round(r() * 1000);
  }
  return { meta, values, status };
}

/** One group's cell by the documented rule, from the stored cells. */
function groupCell(cells: { v: number; s: number; partial: boolean }[]): { v: number; s: number } {
  if (cells.some((c) => c.partial && c.s === Status.Value && c.v !== 0)) return { v: 0, s: Status.Split };
  const present = cells.filter((c) => c.s !== ABSENT);
  const missing = [...new Set(present.map((c) => c.s).filter((s) => s !== Status.Value && s !== Status.Nil))];
  if (missing.length) return { v: 0, s: missing.length === 1 ? missing[0] : Status.DotSum };
  if (cells.length && !present.length) return { v: 0, s: ABSENT };
  if (present.length && present.every((c) => c.s === Status.Nil)) return { v: 0, s: Status.Nil };
  return { v: present.reduce((a, c) => a + (c.s === Status.Value ? c.v : 0), 0), s: Status.Value };
}

/** The standard rule (no absent status on the other variable). */
function plainSum(cells: { v: number; s: number }[]): { v: number; s: number } {
  const missing = [...new Set(cells.map((c) => c.s).filter((s) => s !== Status.Value && s !== Status.Nil))];
  if (missing.length) return { v: 0, s: missing.length === 1 ? missing[0] : Status.DotSum };
  if (cells.length && cells.every((c) => c.s === Status.Nil)) return { v: 0, s: Status.Nil };
  return { v: cells.reduce((a, c) => a + c.v, 0), s: Status.Value };
}

test('absent cells and split inputs follow the documented rule (brute force, either variable order)', () => {
  const r = rng(20240101);
  let splits = 0;
  let absents = 0;
  for (let iter = 0; iter < 400; iter++) {
    const regionFirst = r() < 0.5;
    const cube = randomCube(r, regionFirst);
    const rd = regionFirst ? 0 : 1;
    const od = 1 - rd;
    const nr = cube.meta.variables[rd].values.length;
    const no = cube.meta.variables[od].values.length;
    const groups = Array.from({ length: 1 + Math.floor(r() * 3) }, (_, g) => {
      const inputs = Array.from({ length: nr }, (_, i) => i).filter(() => r() < 0.6);
      if (!inputs.length) inputs.push(0);
      const partial = inputs.filter(() => r() < 0.3);
      return { value: { code: `G${g}`, label: { en: `G${g}` } }, inputs, partial };
    });
    const eliminateOther = r() < 0.5;
    const plan: Plan = [];
    plan[rd] = { kind: 'group', groups };
    plan[od] = eliminateOther ? { kind: 'eliminate', inputs: Array.from({ length: no }, (_, i) => i) } : { kind: 'pick', indices: Array.from({ length: no }, (_, i) => i) };
    const out = evaluate(cube, plan);
    const cell = (ri: number, oi: number) => {
      const at = regionFirst ? ri * no + oi : oi * nr + ri;
      return { v: cube.values[at], s: cube.status![at] };
    };
    const want: { v: number; s: number }[] = [];
    // expected in output order (region first or other first), region groups formed on stored cells
    const byGroup = groups.map((g) =>
      Array.from({ length: no }, (_, oi) => groupCell(g.inputs.map((ri) => ({ ...cell(ri, oi), partial: g.partial.includes(ri) })))),
    );
    if (eliminateOther) for (const g of byGroup) want.push(plainSum(g));
    else if (regionFirst) for (const g of byGroup) want.push(...g);
    else for (let oi = 0; oi < no; oi++) for (const g of byGroup) want.push(g[oi]);
    assert.equal(out.values.length, want.length);
    for (let i = 0; i < want.length; i++) {
      const s = out.status?.[i] ?? 0;
      assert.equal(s, want[i].s, `iter ${iter} cell ${i}`);
      if (s === Status.Value) assert.equal(out.values[i], want[i].v, `iter ${iter} cell ${i}`);
      if (s === Status.Split) splits++;
      if (s === ABSENT) absents++;
    }
  }
  // the random cases did reach both rules
  assert.ok(splits > 20 && absents > 5, `${splits} ${absents}`);
});

test('partial inputs come from the grouping when the plan does not give them', () => {
  const cube = randomCube(rng(7), true);
  cube.status = null;
  cube.values.fill(5);
  const v = cube.meta.variables[0];
  v.groupings = [{ id: 'g', label: { en: 'g' }, groups: [{ code: 'A', label: { en: 'A' }, inputs: ['r0', 'r1'], partial: ['r1'] }] }];
  const no = cube.meta.variables[1].values.length;
  const pick = { kind: 'pick' as const, indices: Array.from({ length: no }, (_, i) => i) };
  const split = evaluate(cube, [{ kind: 'group', groups: [{ value: { code: 'A', label: { en: 'A' } }, inputs: [0, 1] }] }, pick]);
  assert.ok(split.status && Array.from(split.status).every((s) => s === Status.Split));
  // another group with the same code but other inputs is an ordinary sum
  const plain = evaluate(cube, [{ kind: 'group', groups: [{ value: { code: 'A', label: { en: 'A' } }, inputs: [0, 1, 2].slice(0, Math.min(3, v.values.length)) }] }, pick]);
  if (v.values.length >= 3) assert.equal(plain.status, null);
  assert.equal(symbolText(split.meta, Status.Split, 'en'), 'x');
});

test('without the refinements the sum rule is unchanged: an absent-looking symbol is missing', () => {
  const cube = randomCube(rng(3), true);
  delete cube.meta.variables[0].absentStatus;
  cube.status!.fill(0);
  cube.status![0] = ABSENT;
  const no = cube.meta.variables[1].values.length;
  const out = evaluate(cube, [{ kind: 'group', groups: [{ value: { code: 'A', label: { en: 'A' } }, inputs: [0, 1] }] }, { kind: 'pick', indices: Array.from({ length: no }, (_, i) => i) }]);
  assert.equal(out.status![0], ABSENT);
});

test('periodStart: the first day of each period form; other forms are unknown', () => {
  assert.equal(periodStart('2020'), '2020-01-01');
  assert.equal(periodStart('2020K3'), '2020-07-01');
  assert.equal(periodStart('2020Q4'), '2020-10-01');
  assert.equal(periodStart('2020H2'), '2020-07-01');
  assert.equal(periodStart('2020M11'), '2020-11-01');
  assert.equal(periodStart('2020U01'), '2019-12-30'); // ISO week 1 of 2020 starts on Monday 30 December 2019
  assert.equal(periodStart('2021W01'), '2021-01-04');
  assert.equal(periodStart('2019-2020'), undefined);
  assert.equal(periodStart('2020M13'), undefined);
});

test('period-dependent shares (during): each cell counts by the structure of its period (brute force, any axis order)', () => {
  const r = rng(42);
  const years = ['2017', '2018', '2019', '2020', '2021'];
  const SHARES = ['whole', 'partial', 'none'] as const;
  let splits = 0;
  let numbers = 0;
  let nothing = 0;
  for (let iter = 0; iter < 150; iter++) {
    const nr = 2 + Math.floor(r() * 4);
    const no = 1 + Math.floor(r() * 3);
    const region: Variable = { code: 'R', label: { en: 'r' }, elimination: true, values: Array.from({ length: nr }, (_, i) => ({ code: `r${i}`, label: { en: `r${i}` } })) };
    const time: Variable = { code: 'Tid', label: { en: 'year' }, role: 'time', elimination: false, values: years.map((y) => ({ code: y, label: { en: y } })) };
    const other: Variable = { code: 'O', label: { en: 'o' }, elimination: true, values: Array.from({ length: no }, (_, i) => ({ code: `o${i}`, label: { en: `o${i}` } })) };
    // every order of the three axes
    const orders = [[region, time, other], [time, region, other], [other, time, region], [time, other, region], [region, other, time], [other, region, time]];
    const variables = orders[iter % orders.length];
    // one group over a random subset of regions; each input gets random spans (a structure change in 2019 or 2020)
    const inputs = Array.from({ length: nr }, (_, i) => i).filter(() => r() < 0.7);
    if (!inputs.length) inputs.push(0);
    const change = r() < 0.5 ? '2019-01-01' : '2020-01-01';
    const during: Record<string, GroupInputSpan[]> = {};
    const partial: string[] = [];
    const shareOf = new Map<number, (year: string) => 'whole' | 'partial' | 'none'>();
    for (const i of inputs) {
      const code = `r${i}`;
      if (r() < 0.3) {
        shareOf.set(i, () => 'whole');
        continue;
      }
      const before = SHARES[Math.floor(r() * 3)];
      const after = SHARES[Math.floor(r() * 3)];
      // spans cover 2018 onwards only: 2017 falls outside them and takes the input as `partial` says
      during[code] = [{ from: '2018-01-01', to: change, share: before }, { from: change, share: after }];
      const fallback = r() < 0.5 ? 'partial' : 'whole';
      if (fallback === 'partial') partial.push(code);
      shareOf.set(i, (y) => (y === '2017' ? fallback : `${y}-01-01` < change ? before : after));
    }
    region.groupings = [{ id: 'g', label: { en: 'g' }, groups: [{ code: 'G', label: { en: 'G' }, inputs: inputs.map((i) => `r${i}`), partial, during }] }];
    const meta: TableMeta = { id: 'T', title: { en: 't' }, contents: { en: 't' }, languages: ['en'], defaultLanguage: 'en', variables, stub: [variables[0].code], heading: [variables[1].code, variables[2].code], decimals: 0 };
    const sizes = variables.map((v) => v.values.length);
    const n = sizes.reduce((a, b) => a * b, 1);
    const values = Float64Array.from({ length: n }, () => (r() < 0.15 ? 0 : Math.round(r() * 100)));
    const cube: Cube = { meta, values, status: null };
    const plan: Plan = variables.map((v) =>
      v === region ? { kind: 'group', groups: [{ value: { code: 'G', label: { en: 'G' } }, inputs }] } : { kind: 'pick', indices: v.values.map((_, i) => i) },
    );
    const out = evaluate(cube, plan);
    // brute force over the output cells (region axis has one value: G)
    const outSizes = variables.map((v) => (v === region ? 1 : v.values.length));
    const at = (pos: number[]) => pos.reduce((a, p, d) => a * sizes[d] + p, 0);
    for (let k = 0; k < out.values.length; k++) {
      const pos: number[] = [];
      let rest = k;
      for (let d = outSizes.length - 1; d >= 0; d--) {
        pos[d] = rest % outSizes[d];
        rest = Math.floor(rest / outSizes[d]);
      }
      const year = years[pos[variables.indexOf(time)]];
      let sum = 0;
      let split = false;
      let present = false;
      for (const i of inputs) {
        const share = shareOf.get(i)!(year);
        if (share === 'none') continue;
        present = true;
        const p = [...pos];
        p[variables.indexOf(region)] = i;
        const v = values[at(p)];
        if (share === 'partial' && v !== 0) split = true;
        sum += v;
      }
      const s = out.status?.[k] ?? Status.Value;
      if (split) {
        assert.equal(s, Status.Split, `iter ${iter} cell ${k} (${year})`);
        splits++;
      } else if (!present) {
        assert.equal(s, Status.Dot1, `iter ${iter} cell ${k} (${year}): no input belonged to the group then`);
        nothing++;
      } else {
        assert.equal(s, Status.Value, `iter ${iter} cell ${k} (${year})`);
        assert.equal(out.values[k], sum, `iter ${iter} cell ${k} (${year})`);
        numbers++;
      }
    }
  }
  assert.ok(splits > 50 && numbers > 50 && nothing > 5, `${splits} ${numbers} ${nothing}`);
});
