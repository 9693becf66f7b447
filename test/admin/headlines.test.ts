// Headline templates: placeholders, number formats, time formats, capitals, missing cells, and the demo's trade
// template written on the demo table 08799 (the newest month's trade balance in NOK billion).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateHeadline, formatNumber, parseTemplate, checkHeadlineDef, HeadlineError } from '../../src/admin/headlines.js';
import { DEMO_HEADLINES } from '../../src/admin/demoHeadlines.js';
import { buildDemoTable } from '../../src/demo/index.js';
import { Status } from '../../src/core/model.js';
import { cube } from '../store/cubes.js';

test('number formats: decimals, sign, thousands, rounding of negatives to zero', () => {
  assert.equal(formatNumber(52.345, '0.0', 0), '52.3');
  assert.equal(formatNumber(52.346, undefined, 2), '52.35');
  assert.equal(formatNumber(3.2, '+0.0', 0), '+3.2');
  assert.equal(formatNumber(-3.25, '+0.0', 0), '-3.3');
  assert.equal(formatNumber(-0.01, '0.0', 0), '0.0');
  assert.equal(formatNumber(1234567.8, '#,##0', 0), '1,234,568');
  assert.throws(() => formatNumber(1, 'abc', 0), HeadlineError);
});

test('templates: literal braces, errors at the right place', () => {
  assert.deepEqual(parseTemplate('a {{b}} {value}'), [{ literal: 'a {b} ' }, { name: 'value', format: undefined, lang: undefined }]);
  assert.throws(() => parseTemplate('a {value'), /unclosed/);
  assert.throws(() => parseTemplate('a } b'), /unmatched/);
  assert.throws(() => checkHeadlineDef({ id: 'bad id!', tableId: 'x', template: 'x', query: {} }), /id/);
});

test('placeholders pick one cell; a missing cell writes ..; a query that does not fit the table is an error', () => {
  const c = cube('t', [2, 3], (i) => i * 10);
  const def = { id: 'h', tableId: 't', template: '{V0:code}/{V1:LABEL:en}/{V1:label:no}={value:0.00}', query: { V0: '001', V1: 'first' } };
  assert.equal(evaluateHeadline(def, c).text, '001/VALUE 0/verdi 0=30.00');
  const s = new Uint8Array(6);
  s[3] = Status.Dot2;
  assert.equal(evaluateHeadline(def, { ...c, status: s }).text, '001/VALUE 0/verdi 0=..');
  assert.equal(evaluateHeadline(def, { ...c, status: s }).value, null);
  assert.throws(() => evaluateHeadline({ ...def, query: { V0: '001' } }, c), /must choose a value of V1/);
  assert.throws(() => evaluateHeadline({ ...def, query: { V0: '009', V1: 'latest' } }, c), /no value 009/);
  assert.throws(() => evaluateHeadline({ ...def, template: '{Nope}' }, c), /unknown placeholder/);
});

test("the demo's trade headline on 08799: the newest month, the balance in billions", () => {
  const c = buildDemoTable('08799', { lastYear: 2025 })!;
  const h = evaluateHeadline(DEMO_HEADLINES[0], c, 1);
  const vars = c.meta.variables;
  const tid = vars.find((v) => v.code === 'Tid')!;
  assert.equal(tid.values.at(-1)!.code, '2025M10');
  // the cell by hand: flow HB, contents Verdi, the last month
  const idx = (vars[0].values.findIndex((v) => v.code === 'HB') * vars[1].values.length + vars[1].values.findIndex((v) => v.code === 'Verdi')) * tid.values.length + tid.values.length - 1;
  const billions = (c.values[idx] / 1000).toFixed(1);
  assert.equal(h.text, `NORWAY OCTOBER TRADE SURPLUS NK${billions} BLN`);
});
