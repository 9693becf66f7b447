// v2 selection resolution: value order, codelists, elimination, errors, placement and the default-selection
// algorithm, checked against expectations written out by hand from the spec (§3.6, §3.7) and against a
// brute-force cell reader for the numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/core/engine.js';
import {
  applyCodelistsToMeta,
  defaultV2Selection,
  resolvePlacement,
  resolveV2OrDefault,
  resolveV2Selection,
  V2SelectionError,
  type V2Selection,
} from '../../src/query/v2Selection.js';
import type { TableMeta, Variable } from '../../src/core/model.js';
import { build03024, build05810, buildPlain, cellAt } from './cubes.js';

const cube05810 = build05810();
const meta05810 = cube05810.meta;
const AGES = ['999B', '00-06', '07-15', '16-44', '45-66', '67-79', '80+'];
type Resolved = ReturnType<typeof resolveV2Selection>;
const codesOf = (r: Resolved, v: string) => r.selection.find((s) => s.variableCode === v)!.valueCodes;

function fails(meta: TableMeta, sel: V2Selection, title: string, maxCells = 0) {
  assert.throws(
    () => resolveV2Selection(meta, sel, { maxCells }),
    (e: unknown) => e instanceof V2SelectionError && e.title === title && e.message.length > 0,
    `${JSON.stringify(sel)} should fail with ${title}`,
  );
}

test('explicit codes keep request order, expressions append in metadata order, duplicates drop', () => {
  const r = resolveV2Selection(
    meta05810,
    {
      selection: [
        { variableCode: 'kjonn', valueCodes: ['1', '2'] },
        { variableCode: 'Alder', valueCodes: ['80+', '0?-??', '16-44', 'TOP(2)', '80+'] },
        { variableCode: 'ContentsCode', valueCodes: ['personer'] },
        { variableCode: 'TIME', valueCodes: ['bottom(2)', '2025'] },
      ],
    },
    { maxCells: 0 },
  );
  assert.deepEqual(codesOf(r, 'Kjonn'), ['1', '2']);
  assert.deepEqual(codesOf(r, 'Alder'), ['80+', '16-44', '00-06', '07-15', '999B']);
  assert.deepEqual(codesOf(r, 'ContentsCode'), ['Personer']); // normalised to the real code
  assert.deepEqual(codesOf(r, 'Tid'), ['2025', '2019', '2020']);
  assert.equal(r.cells, 2 * 5 * 1 * 3);
  // the numbers follow that order
  const out = evaluate(cube05810, r.plan);
  assert.deepEqual(
    out.meta.variables.map((v) => v.values.map((x) => x.code)),
    [['1', '2'], ['80+', '16-44', '00-06', '07-15', '999B'], ['Personer'], ['2025', '2019', '2020']],
  );
  let i = 0;
  for (const k of ['1', '2'])
    for (const a of ['80+', '16-44', '00-06', '07-15', '999B'])
      for (const t of ['2025', '2019', '2020']) {
        const want = cellAt(cube05810, { Kjonn: k, Alder: a, ContentsCode: 'Personer', Tid: t });
        if (want === undefined) assert.ok(out.status && out.status[i] !== 0, `symbol at ${k}/${a}/${t}`);
        else assert.equal(out.values[i], want);
        i++;
      }
});

test('left-out and empty eliminable variables are eliminated (elimination value, else the sum)', () => {
  const r = resolveV2Selection(
    meta05810,
    { selection: [{ variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['2024', '2025'] }, { variableCode: 'Alder', valueCodes: [] }] },
    { maxCells: 0 },
  );
  assert.deepEqual(codesOf(r, 'Alder'), []);
  assert.deepEqual(codesOf(r, 'Kjonn'), []);
  assert.deepEqual(r.selection.map((s) => s.variableCode), ['ContentsCode', 'Tid', 'Alder', 'Kjonn']);
  const out = evaluate(cube05810, r.plan);
  assert.deepEqual(out.meta.variables.map((v) => v.code), ['ContentsCode', 'Tid']);
  ['2024', '2025'].forEach((t, i) => {
    // Kjonn -> its elimination value 0; Alder has none -> sum of all ages
    const want = AGES.reduce((s, a) => s + cellAt(cube05810, { Kjonn: '0', Alder: a, ContentsCode: 'Personer', Tid: t })!, 0);
    assert.equal(out.values[i], want);
  });
});

test('codelists: value sets restrict, groupings sum, outputValues=single gives the members', () => {
  const vs = resolveV2Selection(
    meta05810,
    { selection: [{ variableCode: 'Alder', codelist: 'vs_AldGrupper', valueCodes: ['*'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['top(1)'] }] },
    { maxCells: 0 },
  );
  assert.deepEqual(codesOf(vs, 'Alder'), AGES.slice(1));
  assert.equal(vs.selection.find((s) => s.variableCode === 'Alder')!.codelist, 'vs_AldGrupper');
  fails(meta05810, { selection: [{ variableCode: 'Alder', codelist: 'vs_AldGrupper', valueCodes: ['999B'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['*'] }] }, 'Non-existent value');

  const agg = resolveV2Selection(
    meta05810,
    { selection: [{ variableCode: 'Alder', codelist: 'agg_Barn', valueCodes: ['v16+', 'B0-15'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['2025'] }] },
    { maxCells: 0 },
  );
  assert.deepEqual(codesOf(agg, 'Alder'), ['V16+', 'B0-15']);
  const out = evaluate(cube05810, agg.plan);
  const sum = (ages: string[]) => ages.reduce((s, a) => s + cellAt(cube05810, { Kjonn: '0', Alder: a, ContentsCode: 'Personer', Tid: '2025' })!, 0);
  assert.deepEqual(Array.from(out.values), [sum(['16-44', '45-66', '67-79', '80+']), sum(['00-06', '07-15'])]);

  const single = resolveV2Selection(
    meta05810,
    { selection: [{ variableCode: 'Alder', codelist: 'agg_Barn', outputValues: 'single', valueCodes: ['*'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['2025'] }] },
    { maxCells: 0 },
  );
  assert.deepEqual(codesOf(single, 'Alder'), AGES.slice(1));
  assert.equal(single.plan[1].kind, 'pick');
});

test('errors carry the reference titles', () => {
  const base = [{ variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['*'] }];
  fails(meta05810, { selection: [...base, { variableCode: 'Region', valueCodes: ['*'] }] }, 'Non-existent variable');
  fails(meta05810, { selection: [...base, { variableCode: 'Alder', codelist: 'vs_Nope', valueCodes: ['*'] }] }, 'Non-existent codelist');
  fails(meta05810, { selection: [...base, { variableCode: 'Alder', codelist: 'Barn', valueCodes: ['*'] }] }, 'Non-existent codelist');
  fails(meta05810, { selection: [...base, { variableCode: 'Alder', codelist: 'agg_barn', valueCodes: ['*'] }] }, 'Non-existent codelist'); // ids are case-sensitive
  fails(meta05810, { selection: [{ variableCode: 'Tid', valueCodes: ['*'] }] }, 'Missing selection for mandantory variable');
  fails(meta05810, { selection: [base[0], { variableCode: 'Tid', valueCodes: ['1999*'] }] }, 'Missing selection for mandantory variable');
  fails(meta05810, { selection: [base[0], { variableCode: 'Tid', valueCodes: [] }] }, 'Missing selection for mandantory variable');
  fails(meta05810, { selection: [base[0], { variableCode: 'Tid', valueCodes: ['top(0)'] }] }, 'Illegal selection expression');
  fails(meta05810, { selection: [base[0], { variableCode: 'Tid', valueCodes: ['range(2019'] }] }, 'Illegal selection expression');
  fails(meta05810, { selection: [base[0], { variableCode: 'Tid', valueCodes: ['1999'] }] }, 'Non-existent value');
  fails(meta05810, { selection: [base[0], { variableCode: 'Tid', valueCodes: ['from(1999)'] }] }, 'Non-existent value');
  // cells = product of non-empty selections: 1 * 7 * 3 = 21
  fails(meta05810, { selection: [...base, { variableCode: 'Kjonn', valueCodes: ['*'] }] }, 'Too many cells selected', 20);
  assert.equal(resolveV2Selection(meta05810, { selection: [...base, { variableCode: 'Kjonn', valueCodes: ['*'] }] }, { maxCells: 21 }).cells, 21);
});

test('placement: given as is, one side completed, anything else ignored', () => {
  const sel = ['Kjonn', 'Alder', 'ContentsCode', 'Tid'];
  assert.deepEqual(resolvePlacement(meta05810, { heading: ['time'], stub: [] }, sel), { heading: ['Tid'], stub: ['Kjonn', 'Alder', 'ContentsCode'] });
  assert.deepEqual(resolvePlacement(meta05810, { stub: ['alder'] }, sel), { heading: ['Kjonn', 'ContentsCode', 'Tid'], stub: ['Alder'] });
  assert.deepEqual(resolvePlacement(meta05810, { heading: ['Tid', 'Kjonn'], stub: ['ContentsCode', 'Alder'] }, sel), { heading: ['Tid', 'Kjonn'], stub: ['ContentsCode', 'Alder'] });
  assert.equal(resolvePlacement(meta05810, { heading: ['Tid'], stub: ['Kjonn'] }, sel), null); // neither complete nor one-sided
  assert.equal(resolvePlacement(meta05810, { heading: ['Tid'], stub: ['Tid', 'Kjonn', 'Alder', 'ContentsCode'] }, sel), null);
  assert.equal(resolvePlacement(meta05810, { heading: ['Region'] }, sel), null);
  assert.equal(resolvePlacement(meta05810, { heading: ['Kjonn'] }, ['Alder', 'ContentsCode', 'Tid']), null); // eliminated
  assert.equal(resolvePlacement(meta05810, { heading: [], stub: [] }, sel), null);
  assert.equal(resolvePlacement(meta05810, null, sel), null);
});

// --- default selection ------------------------------------------------------------------------------

function v(code: string, n: number, opts: Partial<Variable> = {}): Variable {
  return {
    code,
    label: { en: code },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: `${code}${String(i).padStart(2, '0')}`, label: { en: `${code} ${i}` } })),
    ...opts,
  };
}
function metaOf(vars: Variable[]): TableMeta {
  return { id: 'T', title: { en: 'T' }, contents: { en: 'T' }, languages: ['en'], defaultLanguage: 'en', variables: vars, stub: vars.slice(0, -1).map((x) => x.code), heading: [vars[vars.length - 1].code], decimals: 0 };
}
const C = (n: number) => v('C', n, { role: 'contents' });
const T = (n: number) => v('T', n, { role: 'time' });
const codes = (code: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${code}${String(from + i).padStart(2, '0')}`);
const summary = (m: TableMeta) => {
  const d = defaultV2Selection(m);
  return { sel: Object.fromEntries(d.selection.map((s) => [s.variableCode, s.valueCodes])), order: d.selection.map((s) => s.variableCode), placement: d.placement };
};

test('default selection A: contents and time only', () => {
  const few = summary(metaOf([C(3), T(20)]));
  assert.deepEqual(few.sel, { C: codes('C', 0, 3), T: codes('T', 7, 20) });
  assert.deepEqual(few.placement, { heading: ['C'], stub: ['T'] });
  const many = summary(metaOf([C(8), T(20)]));
  assert.deepEqual(many.sel, { C: codes('C', 0, 8), T: codes('T', 7, 20) });
  assert.deepEqual(many.placement, { heading: ['T'], stub: ['C'] });
});

test('default selection B: three variables (SSB 03024 verified: id VareGrupper2, Tid, ContentsCode; size 2,1,2)', () => {
  const m = build03024().meta;
  const d = defaultV2Selection(m);
  assert.deepEqual(d.placement, { heading: ['Tid', 'ContentsCode'], stub: ['VareGrupper2'] });
  const r = resolveV2OrDefault(m, null, { maxCells: 1 });
  assert.deepEqual([...r.placement!.stub, ...r.placement!.heading], ['VareGrupper2', 'Tid', 'ContentsCode']);
  assert.deepEqual(codesOf(r, 'Tid'), [m.variables[2].values.at(-1)!.code]);

  const one = summary(metaOf([v('X', 2000), C(1), T(20)]));
  assert.deepEqual(one.placement, { heading: ['C', 'T'], stub: ['X'] });
  assert.deepEqual(one.sel, { C: ['C00'], T: codes('T', 7, 20), X: codes('X', 0, 1500) });
  const bigger = summary(metaOf([v('X', 3), C(40), T(20)]));
  assert.deepEqual(bigger.placement, { heading: ['T', 'X'], stub: ['C'] });
  assert.deepEqual(bigger.sel, { T: ['T19'], C: codes('C', 0, 40), X: codes('X', 0, 3) });
  const wide = summary(metaOf([v('X', 30), C(2), T(5)]));
  assert.deepEqual(wide.sel.C, codes('C', 0, 2));
  assert.deepEqual(wide.placement, { heading: ['T', 'C'], stub: ['X'] });
});

test('default selection C: more than three variables', () => {
  // more than one mandatory classification variable
  const m1 = summary(metaOf([v('A', 4), v('B', 9), v('E', 3, { elimination: true }), v('D', 20), C(3), T(10)]));
  assert.deepEqual(m1.order, ['C', 'T', 'B', 'D', 'A', 'E']);
  assert.deepEqual(m1.sel, { C: ['C00'], T: ['T09'], B: ['B00'], D: codes('D', 0, 20), A: codes('A', 0, 4), E: [] });
  assert.deepEqual(m1.placement, { heading: ['C', 'T', 'B', 'A'], stub: ['D'] });
  // exactly one mandatory: it and the last eliminable one
  const m2 = summary(metaOf([v('E1', 3, { elimination: true }), v('A', 4), v('E2', 30, { elimination: true }), C(3), T(10)]));
  assert.deepEqual(m2.sel, { C: ['C00'], T: ['T09'], E2: codes('E2', 0, 30), A: codes('A', 0, 4), E1: [] });
  assert.deepEqual(m2.placement, { heading: ['C', 'T', 'A'], stub: ['E2'] });
  // no mandatory: first and last classification variables (tie -> the last one to the stub)
  const m3 = summary(metaOf([v('E1', 5, { elimination: true }), v('E2', 3, { elimination: true }), v('E3', 5, { elimination: true }), C(2), T(10)]));
  assert.deepEqual(m3.sel, { C: ['C00'], T: ['T09'], E3: codes('E3', 0, 5), E1: codes('E1', 0, 5), E2: [] });
  assert.deepEqual(m3.placement, { heading: ['C', 'T', 'E1'], stub: ['E3'] });
  // a value set applies to the default: 05810's Alder shows its first value set
  const d = defaultV2Selection(meta05810);
  const alder = d.selection.find((s) => s.variableCode === 'Alder')!;
  assert.equal(alder.codelist, 'vs_AldGrupper');
  assert.deepEqual(alder.valueCodes, AGES.slice(1));
});

test('default selection without contents/time (fallback algorithm)', () => {
  const p = summary(buildPlain().meta);
  assert.deepEqual(p.order, ['Bb', 'Cc', 'Dd', 'Aa']);
  assert.deepEqual(p.placement, { heading: ['Aa'], stub: ['Dd'] });
  assert.deepEqual(p.sel, { Bb: [], Cc: [], Dd: ['D1', 'D2', 'D3', 'D4', 'D5'], Aa: ['A1', 'A2', 'A3'] });
  const single = summary(metaOf([v('Only', 2000)]));
  assert.deepEqual(single.sel, { Only: codes('Only', 0, 1500) });
  // a time variable without contents is not treated as time here: values from the start
  const t = summary(metaOf([v('A', 30), T(20)]));
  assert.deepEqual(t.placement, { heading: ['T'], stub: ['A'] });
  assert.deepEqual(t.sel.T, codes('T', 0, 13));
});

test('metadata under codelists', () => {
  const m = applyCodelistsToMeta(meta05810, { alder: 'agg_Barn' });
  const alder = m.variables.find((x) => x.code === 'Alder')!;
  assert.deepEqual(alder.values.map((x) => x.code), ['B0-15', 'V16+']);
  assert.equal(alder.groupings?.length, 1); // the codelist list stays
  const vs = applyCodelistsToMeta(meta05810, { Alder: 'vs_AlleAldre' });
  assert.deepEqual(vs.variables[1].values.map((x) => x.code), ['999B']);
  assert.equal(meta05810.variables[1].values.length, 7); // input untouched
  assert.throws(() => applyCodelistsToMeta(meta05810, { Region: 'vs_X' }), (e: unknown) => e instanceof V2SelectionError && e.title === 'Non-existent variable');
  assert.throws(() => applyCodelistsToMeta(meta05810, { Alder: 'vs_X' }), (e: unknown) => e instanceof V2SelectionError && e.title === 'Non-existent codelist');
});
