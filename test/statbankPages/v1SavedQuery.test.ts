// v1 query <-> stored (PxWebApi 2.0) selection: the stored form selects exactly what the v1 query selects, the v1
// form written back selects the same again, formats map both ways, and queries v2 would read differently are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TableMeta } from '../../src/core/model.js';
import { resolveV1Query, V1QueryError, type V1QueryItem } from '../../src/query/v1Query.js';
import { resolveV2OrDefault, type V2Selection } from '../../src/query/v2Selection.js';
import { formatIds } from '../../src/formats/formatFacts.js';
import { samePlan, storedFormatOf, storedSelectionOf, v1FormatOf, v1FormOf } from '../../src/query/v1SavedQuery.js';
import { build07459 } from '../query/cube07459.js';

const meta = build07459({ ages: 8 }).meta;
const q = (code: string, filter: string, ...values: string[]): V1QueryItem => ({ code, selection: { filter, values } });

const QUERIES: V1QueryItem[][] = [
  [q('Region', 'item', '1103', '0301'), q('ContentsCode', 'item', 'Personer1'), q('Tid', 'top', '3')],
  [q('Region', 'all', '11*'), q('Kjonn', 'all', '*'), q('ContentsCode', 'all', '*'), q('Tid', 'all', '201*')],
  [q('Region', 'vs:Fylker', '11', '03'), q('Alder', 'item'), q('ContentsCode', 'item', 'Personer1'), q('Tid', 'item', '2020')],
  [q('Region', 'agg:Fylker2024', 'F-11'), q('Alder', 'all', '*5'), q('Tid', 'top', '1')],
  [q('Region', 'agg_single:Fylker2024', '1108', '1101'), q('Tid', 'item', '2016', '2015')],
  [q('Kjonn', 'item', '2'), q('Tid', 'top', '+2')],
  [],
];

test('the stored form picks what the v1 query picks, and the v1 form written back too', () => {
  for (const query of QUERIES) {
    const v1Plan = resolveV1Query(meta, query, 'no');
    const stored = storedSelectionOf(meta, query, 'no');
    const v2Plan = resolveV2OrDefault(meta, stored as V2Selection, { maxCells: 0 }).plan;
    assert.ok(samePlan(v1Plan, v2Plan), JSON.stringify(query));
    const back = v1FormOf(meta, stored as V2Selection);
    assert.deepEqual(back.resolved, []);
    assert.ok(samePlan(resolveV1Query(meta, back.query, 'no'), v1Plan), `${JSON.stringify(query)} -> ${JSON.stringify(back.query)}`);
  }
  // the filters v1 users write survive as such (a `top` stays `top`, so the query follows new releases)
  const s = storedSelectionOf(meta, QUERIES[0], 'no');
  assert.deepEqual(s.selection, [
    { variableCode: 'Region', valueCodes: ['0301', '1103'] },
    { variableCode: 'ContentsCode', valueCodes: ['Personer1'] },
    { variableCode: 'Tid', valueCodes: ['top(3)'] },
  ]);
  assert.deepEqual(v1FormOf(meta, s as V2Selection).query, [q('Region', 'item', '0301', '1103'), q('ContentsCode', 'item', 'Personer1'), q('Tid', 'top', '3')]);
  const agg = storedSelectionOf(meta, QUERIES[4], 'no');
  assert.deepEqual(agg.selection[0], { variableCode: 'Region', codelist: 'agg_Fylker2024', valueCodes: ['1101', '1108'], outputValues: 'single' });
  assert.equal(v1FormOf(meta, agg as V2Selection).query[0].selection.filter, 'agg_single:Fylker2024');
});

test('invalid or unsavable v1 queries are refused with V1QueryError', () => {
  const bad: V1QueryItem[][] = [
    [q('Region', 'item', 'nope')],
    [q('Nope', 'item', '1')],
    [q('Tid', 'top', '0')],
    [q('Tid', 'top', 'x')],
    [q('Tid', 'item')], // a mandatory variable with nothing selected
    [q('Region', 'agg_all:Fylker2024', 'F-11')],
    [q('Region', 'weird', '0')],
    [q('Region', 'vs:Nope', '0')],
  ];
  for (const query of bad) assert.throws(() => storedSelectionOf(meta, query, 'no'), V1QueryError, JSON.stringify(query));
  // v1 wildcards are case-sensitive, v2's are not: a pattern that would pick more is refused, not changed
  const mixed: TableMeta = {
    ...meta,
    variables: meta.variables.map((v) => (v.code === 'Region' ? { ...v, values: [...v.values, { code: 'AB1', label: { no: 'x' } }, { code: 'ab2', label: { no: 'y' } }] } : v)),
  };
  assert.throws(() => storedSelectionOf(mixed, [q('Region', 'all', 'ab*')], 'no'), /cannot be saved/);
  assert.doesNotThrow(() => storedSelectionOf(mixed, [q('Region', 'all', '11*')], 'no'));
});

test('v2 expressions v1 cannot write become today\'s codes, listed as resolved', () => {
  const stored: V2Selection = { selection: [{ variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['top(2,1)'] }, { variableCode: 'Alder', valueCodes: ['00?'] }] };
  const form = v1FormOf(meta, stored);
  assert.deepEqual(form.resolved.map((r) => r.code), ['Tid', 'Alder']);
  assert.deepEqual(form.query.find((x) => x.code === 'Tid'), q('Tid', 'item', '2022', '2023'));
  assert.deepEqual(form.query.find((x) => x.code === 'ContentsCode'), q('ContentsCode', 'all', '*'));
  assert.ok(samePlan(resolveV1Query(meta, form.query, 'no'), resolveV2OrDefault(meta, stored, { maxCells: 0 }).plan));
});

test('formats: every savable v1 format maps to a stored one and back', () => {
  // every v2 format and every v1 format but sdmx and json-stat (no stored v2 form) can be saved
  const savable = [...new Set([...formatIds('v2'), ...formatIds('v1')])].filter((f) => f !== 'sdmx' && f !== 'json-stat');
  for (const f of savable) {
    const s = storedFormatOf(f);
    assert.ok(s, f);
    const sel = storedSelectionOf(meta, QUERIES[0], 'no', s);
    const back = v1FormatOf(s.format, s.params, sel.placement);
    if (f === 'html' || f === 'parquet') assert.deepEqual(back, { format: 'json-stat2', exact: false }, f);
    // v2 json-px is v1's json under its v2 name
    else assert.deepEqual(back, { format: f === 'json-px' ? 'json' : f, exact: true }, f);
  }
  for (const f of ['sdmx', 'json-stat', '', 'csv4']) assert.equal(storedFormatOf(f), undefined, f);
  // csv2/csv3 keep one value per row: every selected variable in the stub, time then contents last
  const sel = storedSelectionOf(meta, QUERIES[0], 'no', storedFormatOf('csv2'));
  assert.deepEqual(sel.placement, { heading: [], stub: ['Region', 'Tid', 'ContentsCode'] });
});
