// Engine properties against brute force on random cubes: selection, elimination, groupings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, resultSize, identityPlan, gather, PlanError, type Plan, type DimPlan } from '../../src/core/engine.js';
import { Status, type Cube, type TableMeta, type Variable } from '../../src/core/model.js';

/** Small seeded PRNG so failures reproduce. */
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

function randomCube(r: () => number, withStatus: boolean): Cube {
  const nd = 1 + Math.floor(r() * 4);
  const variables: Variable[] = [];
  for (let d = 0; d < nd; d++) {
    const n = 1 + Math.floor(r() * 5);
    variables.push({
      code: `V${d}`,
      label: { en: `var ${d}` },
      elimination: true,
      values: Array.from({ length: n }, (_, i) => ({ code: `c${i}`, label: { en: `value ${i}` } })),
    });
  }
  const meta: TableMeta = {
    id: 'T',
    title: { en: 't' },
    contents: { en: 't' },
    languages: ['en'],
    defaultLanguage: 'en',
    variables,
    stub: variables.slice(0, 1).map((v) => v.code),
    heading: variables.slice(1).map((v) => v.code),
    decimals: 0,
  };
  const total = variables.reduce((a, v) => a * v.values.length, 1);
  const values = new Float64Array(total);
  const status = withStatus ? new Uint8Array(total) : null;
  for (let i = 0; i < total; i++) {
    const x = r();
    if (status && x < 0.15) status[i] = 1 + Math.floor(r() * 3);
    else if (status && x < 0.25) status[i] = Status.Nil;
    else values[i] = Math.round(r() * 1000) - 200;
  }
  return { meta, values, status };
}

/** Brute force: cell value for an output coordinate by enumerating every input combination. */
function bruteForce(cube: Cube, plan: Plan): { values: number[]; status: number[] } {
  const sizes = cube.meta.variables.map((v) => v.values.length);
  const lists = plan.map((p): number[][] =>
    p.kind === 'pick'
      ? Array.from(p.indices, (i) => [i])
      : p.kind === 'group'
        ? p.groups.map((g) => Array.from(g.inputs))
        : [Array.from(p.inputs)],
  );
  const outValues: number[] = [];
  const outStatus: number[] = [];
  const outCoords = (d: number, acc: number[][]): void => {
    if (d === lists.length) {
      // enumerate all input combinations
      let sum = 0;
      const syms = new Set<number>();
      let nils = 0;
      let count = 0;
      const inner = (k: number, idx: number): void => {
        if (k === acc.length) {
          count++;
          const s = cube.status ? cube.status[idx] : 0;
          if (s === 0) sum += cube.values[idx];
          else if (s === Status.Nil) nils++;
          else syms.add(s);
          return;
        }
        for (const i of acc[k]) inner(k + 1, idx * sizes[k] + i);
      };
      inner(0, 0);
      if (syms.size > 0) {
        outStatus.push(syms.size === 1 ? [...syms][0] : Status.DotSum);
        outValues.push(0);
      } else if (nils === count) {
        outStatus.push(Status.Nil);
        outValues.push(0);
      } else {
        outStatus.push(0);
        outValues.push(sum);
      }
      return;
    }
    for (const l of lists[d]) outCoords(d + 1, [...acc, l]);
  };
  outCoords(0, []);
  return { values: outValues, status: outStatus };
}

function randomSubset(r: () => number, n: number, allowEmpty = false): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (r() < 0.6) out.push(i);
  if (!out.length && !allowEmpty) out.push(Math.floor(r() * n));
  // shuffle: order matters for picks
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function randomPlan(r: () => number, cube: Cube, kinds: DimPlan['kind'][]): Plan {
  return cube.meta.variables.map((v) => {
    const n = v.values.length;
    const kind = kinds[Math.floor(r() * kinds.length)];
    if (kind === 'pick') return { kind, indices: randomSubset(r, n) };
    if (kind === 'eliminate') return { kind, inputs: r() < 0.3 ? [Math.floor(r() * n)] : randomSubset(r, n) };
    const ng = 1 + Math.floor(r() * 3);
    return {
      kind,
      groups: Array.from({ length: ng }, (_, g) => ({
        value: { code: `g${g}`, label: { en: `group ${g}` } },
        inputs: randomSubset(r, n),
      })),
    };
  });
}

function assertSame(cube: Cube, plan: Plan, seed: number) {
  const got = evaluate(cube, plan);
  const want = bruteForce(cube, plan);
  assert.equal(got.values.length, want.values.length, `seed ${seed}: size`);
  assert.equal(resultSize(plan), want.values.length, `seed ${seed}: resultSize`);
  for (let i = 0; i < want.values.length; i++) {
    const s = got.status ? got.status[i] : 0;
    assert.equal(s, want.status[i], `seed ${seed}: status at ${i}`);
    if (s === 0) assert.equal(got.values[i], want.values[i], `seed ${seed}: value at ${i}`);
  }
  // metadata describes exactly the returned dimensions
  const dims = got.meta.variables.reduce((a, v) => a * v.values.length, 1);
  assert.equal(dims, got.values.length, `seed ${seed}: meta matches data`);
}

test('selection (pick) equals brute force on random cubes', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    const cube = randomCube(r, seed % 2 === 0);
    assertSame(cube, randomPlan(r, cube, ['pick']), seed);
  }
});

test('elimination equals brute force, including symbols and nil', () => {
  for (let seed = 1000; seed <= 1300; seed++) {
    const r = rng(seed);
    const cube = randomCube(r, true);
    assertSame(cube, randomPlan(r, cube, ['pick', 'eliminate']), seed);
  }
});

test('groupings equal brute force', () => {
  for (let seed = 2000; seed <= 2300; seed++) {
    const r = rng(seed);
    const cube = randomCube(r, seed % 3 !== 0);
    assertSame(cube, randomPlan(r, cube, ['pick', 'group', 'eliminate']), seed);
  }
});

test('identity plan returns the cube unchanged', () => {
  const r = rng(7);
  const cube = randomCube(r, true);
  const got = evaluate(cube, identityPlan(cube.meta));
  assert.deepEqual(Array.from(got.values), Array.from(cube.values));
  assert.deepEqual(got.status ? Array.from(got.status) : null, cube.status && cube.status.some((s) => s) ? Array.from(cube.status) : null);
});

test('eliminated variables leave the metadata, picked values keep their order', () => {
  const r = rng(11);
  const cube = randomCube(r, false);
  while (cube.meta.variables.length < 2) Object.assign(cube, randomCube(r, false));
  const plan: Plan = cube.meta.variables.map((v, d) =>
    d === 0 ? { kind: 'eliminate', inputs: v.values.map((_, i) => i) } : { kind: 'pick', indices: v.values.map((_, i) => i).reverse() },
  );
  const got = evaluate(cube, plan);
  assert.equal(got.meta.variables.length, cube.meta.variables.length - 1);
  assert.ok(!got.meta.variables.some((v) => v.code === 'V0'));
  assert.ok(!got.meta.stub.includes('V0'));
  const v1 = got.meta.variables[0];
  assert.deepEqual(
    v1.values.map((x) => x.code),
    cube.meta.variables[1].values.map((x) => x.code).reverse(),
  );
});

test('bad plans are rejected with PlanError', () => {
  const r = rng(3);
  const cube = randomCube(r, false);
  assert.throws(() => evaluate(cube, []), cube.meta.variables.length ? PlanError : undefined);
  const plan = identityPlan(cube.meta);
  plan[0] = { kind: 'pick', indices: [99] };
  assert.throws(() => evaluate(cube, plan), PlanError);
  plan[0] = { kind: 'pick', indices: [-1] };
  assert.throws(() => evaluate(cube, plan), PlanError);
  plan[0] = { kind: 'pick', indices: [0.5] };
  assert.throws(() => evaluate(cube, plan), PlanError);
});

test('gather over a larger cube matches direct indexing', () => {
  const sizes = [7, 11, 13, 5];
  const total = sizes.reduce((a, b) => a * b, 1);
  const src = new Float64Array(total).map((_, i) => i * 1.5);
  const idx = [[6, 0, 3], [10, 1], [0, 12, 5, 7], [4, 4, 0]];
  const { values } = gather(src, null, sizes, idx);
  let k = 0;
  for (const a of idx[0]) for (const b of idx[1]) for (const c of idx[2]) for (const d of idx[3]) {
    const at = ((a * sizes[1] + b) * sizes[2] + c) * sizes[3] + d;
    assert.equal(values[k++], src[at]);
  }
  assert.equal(k, values.length);
});

test('sum with an empty group gives nil-free zero', () => {
  const cube = randomCube(rng(5), true);
  const plan = identityPlan(cube.meta);
  plan[0] = { kind: 'group', groups: [{ value: { code: 'empty', label: {} }, inputs: [] }] };
  const got = evaluate(cube, plan);
  for (let i = 0; i < got.values.length; i++) {
    assert.equal(got.values[i], 0);
    assert.equal(got.status ? got.status[i] : 0, 0);
  }
});
