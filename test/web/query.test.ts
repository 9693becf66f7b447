// The web app's pure modules: the API queries it builds from a selection (web/src/query.ts) must ask the server
// for the same cells through v1 and v2, and its JSON-stat reader and pivot (web/src/jsonstat.ts) must place each
// value where the dataset says it belongs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { generateDemo } from '../../src/demo/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import {
  cellCount,
  formatV1Body,
  hasSelection,
  missingMandatory,
  savedQueryBody,
  v1Body,
  v1BodyFromV2,
  v1Filter,
  v2Body,
  v2DataUrl,
  type VarSelection,
} from '../../web/src/query.js';
import { errorMessage } from '../../web/src/api.js';
import { choiceExpr, choiceFromCodes, kindsFor, matchesPattern, resolveChoice } from '../../web/src/selection.js';
import { v1LosesRelative, v1Selection } from '../../web/src/query.js';
import { chartModel, formatCell, JsonStatError, pivot, readDataset, type Dataset } from '../../web/src/jsonstat.js';

let app: FastifyInstance;

before(async () => {
  const store = createMemoryStore();
  generateDemo(store, { small: true });
  app = await buildApp({ store, config: loadConfig({ maxCalls: 0, logLevel: 'warn' }, {}) }, { logger: false });
});
after(() => app.close());

const sel = (code: string, selected: string[], total: number, elimination: boolean, codelist?: string): VarSelection => ({ code, selected, total, elimination, codelist });

test('cell count: left-out eliminable variables count once, a missing mandatory variable gives none', () => {
  const vars = [sel('Region', ['0301', '1103'], 57, true), sel('Alder', [], 106, true), sel('Tid', ['2024', '2025'], 40, false)];
  assert.equal(cellCount(vars), 4);
  assert.deepEqual(missingMandatory(vars), []);
  assert.equal(hasSelection(vars), true);
  const missing = [sel('Region', ['0301'], 57, true), sel('Tid', [], 40, false)];
  assert.equal(cellCount(missing), 0);
  assert.deepEqual(missingMandatory(missing), ['Tid']);
  assert.equal(hasSelection(missing), false);
  assert.equal(hasSelection([sel('Region', [], 57, true)]), false);
});

test('v1 filters for code lists: agg_X -> agg:X, vs_X -> vs:X, none -> item', () => {
  assert.equal(v1Filter(undefined), 'item');
  assert.equal(v1Filter('agg_FemAarigGruppering'), 'agg:FemAarigGruppering');
  assert.equal(v1Filter('vs_Landet'), 'vs:Landet');
});

test('v1 body leaves eliminated variables out; the formatted text is the same JSON', () => {
  const vars = [sel('Region', ['0301', '1103'], 57, true), sel('Kjonn', [], 2, true), sel('Tid', ['2025'], 40, false)];
  const body = v1Body(vars, 'csv2');
  assert.deepEqual(body, {
    query: [
      { code: 'Region', selection: { filter: 'item', values: ['0301', '1103'] } },
      { code: 'Tid', selection: { filter: 'item', values: ['2025'] } },
    ],
    response: { format: 'csv2' },
  });
  assert.deepEqual(JSON.parse(formatV1Body(body)), body);
});

test('v2 GET URL: * for a full selection, brackets around codes with commas, code lists named', () => {
  const url = v2DataUrl('http://h', {
    tableId: '07459',
    lang: 'en',
    vars: [sel('Region', ['0301'], 57, true), sel('Kjonn', ['1', '2'], 2, true), sel('Alder', ['000-004'], 21, true, 'agg_FemAarigGruppering'), sel('X', ['a,b', 'c'], 5, false), sel('Tid', [], 40, true)],
  }, 'csv', ['UseTexts']);
  const u = new URL(url);
  assert.equal(u.pathname, '/api/v2/tables/07459/data');
  assert.equal(u.searchParams.get('valueCodes[Region]'), '0301');
  assert.equal(u.searchParams.get('valueCodes[Kjonn]'), '*');
  assert.equal(u.searchParams.get('valueCodes[Alder]'), '000-004');
  assert.equal(u.searchParams.get('codelist[Alder]'), 'agg_FemAarigGruppering');
  assert.equal(u.searchParams.get('valueCodes[X]'), '[a,b],c');
  assert.equal(u.searchParams.get('valueCodes[Tid]'), null);
  assert.equal(u.searchParams.get('outputFormat'), 'csv');
  assert.equal(u.searchParams.get('outputFormatParams'), 'UseTexts');
  assert.equal(u.searchParams.get('lang'), 'en');
});

/** Values of a json-stat2 answer by cell, keyed by the codes of its dimensions. */
function cells(json: unknown): Map<string, number | null> {
  const ds = readDataset(json);
  const out = new Map<string, number | null>();
  const p = pivot(ds, { stub: ds.dims.map((d) => d.code), heading: [] });
  for (const row of p.rows) out.set(row.codes.join('|'), ds.value[row.cells[0]]);
  return out;
}

test('the v1 body, the v2 GET URL and the v2 POST body of one selection give the same numbers', async () => {
  const vars = [
    sel('Region', ['0301', '1103'], 57, true),
    sel('Kjonn', [], 2, true),
    sel('Alder', ['000-004', '005-009'], 21, true, 'agg_FemAarigGruppering'),
    sel('ContentsCode', ['Personer1'], 1, false),
    sel('Tid', ['2024', '2025'], 40, false),
  ];
  const q = { tableId: '07459', lang: 'no', vars };
  const v1 = await app.inject({ method: 'POST', url: '/api/v0/no/table/07459', payload: JSON.stringify(v1Body(vars)) });
  assert.equal(v1.statusCode, 200, v1.body);
  const v2get = await app.inject({ method: 'GET', url: v2DataUrl('', q) });
  assert.equal(v2get.statusCode, 200, v2get.body);
  const v2post = await app.inject({ method: 'POST', url: '/api/v2/tables/07459/data?lang=no&outputFormat=json-stat2', payload: JSON.stringify(v2Body(vars)) });
  assert.equal(v2post.statusCode, 200, v2post.body);
  const a = cells(JSON.parse(v1.body));
  assert.equal(a.size, cellCount(vars));
  assert.deepEqual(cells(JSON.parse(v2get.body)), a);
  assert.deepEqual(cells(JSON.parse(v2post.body)), a);
  // grouped ages are sums of the single years: check one against the single-year query
  const single = await app.inject({
    method: 'POST',
    url: '/api/v0/no/table/07459',
    payload: JSON.stringify(v1Body([sel('Region', ['0301'], 57, true), sel('Alder', ['000', '001', '002', '003', '004'], 106, true), sel('Tid', ['2025'], 40, false)])),
  });
  const sum = [...cells(JSON.parse(single.body)).values()].reduce<number>((s, v) => s + (v ?? 0), 0);
  assert.equal(a.get('0301|000-004|Personer1|2025'), sum);
});

test('the saved-query body is accepted by POST /api/v2/savedqueries and its data equals the query', async () => {
  const vars = [sel('Region', ['1103'], 57, true), sel('ContentsCode', ['Personer1'], 1, false), sel('Tid', ['2025'], 40, false)];
  const q = { tableId: '07459', lang: 'no', vars };
  const res = await app.inject({ method: 'POST', url: '/api/v2/savedqueries', payload: JSON.stringify(savedQueryBody(q, 'json-stat2')) });
  assert.equal(res.statusCode, 201, res.body);
  const id = (JSON.parse(res.body) as { id: string }).id;
  const data = await app.inject({ method: 'GET', url: `/api/v2/savedqueries/${id}/data` });
  const direct = await app.inject({ method: 'GET', url: v2DataUrl('', q) });
  assert.deepEqual(cells(JSON.parse(data.body)), cells(JSON.parse(direct.body)));
});

test("the table's default selection as a v1 body runs (the console's default query)", async () => {
  const d = await app.inject({ method: 'GET', url: '/api/v2/tables/07459/defaultselection?lang=no' });
  const body = v1BodyFromV2((JSON.parse(d.body) as { selection: { variableCode: string; codelist?: string; valueCodes: string[] }[] }).selection);
  assert.ok(body.query.length > 0);
  const res = await app.inject({ method: 'POST', url: '/api/v0/no/table/07459', payload: JSON.stringify(body) });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((JSON.parse(res.body) as { class: string }).class, 'dataset');
});

// ------------------------------------------------------------------------------------------------
// JSON-stat reading and pivoting, on a dataset made here (value = flat index, so every cell says where it is)

function sample(): unknown {
  return {
    version: '2.0',
    class: 'dataset',
    label: 'Sample',
    id: ['A', 'B', 'T'],
    size: [2, 3, 2],
    role: { time: ['T'], metric: ['B'] },
    dimension: {
      A: { label: 'a', category: { index: ['a1', 'a2'], label: { a1: 'A one', a2: 'A two' } } },
      B: { label: 'b', category: { index: { b1: 0, b2: 1, b3: 2 }, label: { b1: 'B1', b2: 'B2', b3: 'B3' }, unit: { b1: { base: 'x', decimals: 1 }, b2: { decimals: 0 }, b3: { decimals: 2 } } } },
      T: { label: 't', category: { index: { '2024': 0, '2025': 1 } } },
    },
    value: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null],
    status: { '11': '..', '3': 'p' },
    extension: { px: { stub: ['A', 'B'], heading: ['T'], decimals: 0 } },
  };
}

test('pivot: every cell lands under its row and column codes', () => {
  const ds = readDataset(sample());
  const p = pivot(ds, { stub: ['T', 'A'], heading: ['B'] });
  assert.equal(p.rows.length, 4);
  assert.equal(p.columns, 3);
  assert.deepEqual(p.headerRows.map((r) => r.map((c) => c.code)), [['b1', 'b2', 'b3']]);
  // flat index = a*6 + b*2 + t
  for (const row of p.rows) {
    const [t, a] = row.codes;
    row.cells.forEach((flat, b) => {
      const expected = ['a1', 'a2'].indexOf(a) * 6 + b * 2 + ['2024', '2025'].indexOf(t);
      assert.equal(flat, expected);
    });
  }
  // the first stub level spans the rows of the second
  assert.deepEqual(p.rows.map((r) => r.stub.map((s) => [s.code, s.rowspan])), [[['2024', 2], ['a1', 1]], [['a2', 1]], [['2025', 2], ['a1', 1]], [['a2', 1]]]);
});

test('pivot with two heading levels: spans and repeats', () => {
  const ds = readDataset(sample());
  const p = pivot(ds, { stub: ['A'], heading: ['B', 'T'] });
  assert.deepEqual(p.headerRows[0].map((c) => [c.code, c.span]), [['b1', 2], ['b2', 2], ['b3', 2]]);
  assert.equal(p.headerRows[1].length, 6);
  assert.deepEqual(p.rows[1].cells, [6, 7, 8, 9, 10, 11]);
});

test('read: labels default to codes, symbols, units, placement from extension.px', () => {
  const ds: Dataset = readDataset(sample());
  assert.equal(ds.dims[2].values[0].label, '2024');
  assert.equal(ds.status.get(11), '..');
  assert.equal(ds.value[11], null);
  assert.equal(ds.dims[1].units.b1, 'x');
  assert.deepEqual(ds.stub, ['A', 'B']);
  assert.equal(ds.dims[2].role, 'time');
});

test('read: garbage is refused with a JsonStatError', () => {
  for (const bad of [null, 1, 'x', [], {}, { class: 'dataset' }, { class: 'dataset', id: ['A'], size: [2], dimension: {} }, { ...(sample() as object), size: [2, 3, 3] }, { ...(sample() as object), value: [1, 2] }]) {
    assert.throws(() => readDataset(bad), JsonStatError);
  }
});

test('cells: locale numbers with the unit decimals, symbols for missing values', () => {
  assert.equal(formatCell(1234.5, undefined, 1, 'en-GB'), '1,234.5');
  assert.equal(formatCell(1234.5, undefined, 2, 'nb-NO').replace(/\s/g, ' '), '1 234,50');
  assert.equal(formatCell(null, ':', 0, 'en-GB'), ':');
  assert.equal(formatCell(null, undefined, 0, 'en-GB'), '..');
});

test('chart: lines over time per combination of the other varying variables; bars without time', () => {
  const ds = readDataset(sample());
  const line = chartModel(ds);
  assert.equal(line.kind, 'line');
  assert.deepEqual(line.categories, ['2024', '2025']);
  assert.equal(line.series.length, 6);
  // each series carries its contents value's unit (one value axis per unit)
  assert.deepEqual(line.series[0], { name: 'A one, B1', data: [0, 1], unit: 'x' });
  assert.equal(line.categoryTitle, 't');
  assert.deepEqual(line.series[5].data, [10, null]);
  const limited = chartModel(ds, 4);
  assert.equal(limited.series.length, 4);
  assert.equal(limited.total, 6);
  const noTime = sample() as { size: number[]; value: unknown[]; dimension: Record<string, unknown>; status?: unknown };
  noTime.size = [2, 3, 1];
  noTime.dimension.T = { label: 't', category: { index: ['2025'] } };
  noTime.value = [0, 1, 2, 3, 4, 5];
  delete noTime.status;
  const bar = chartModel(readDataset(noTime));
  assert.equal(bar.kind, 'bar');
  assert.equal(bar.categories.length, 6);
  assert.deepEqual(bar.series[0].data, [0, 1, 2, 3, 4, 5]);
});

test("error messages: v1's {error}, v2's problem title and detail, the 429 text", async () => {
  const v1 = await app.inject({ method: 'POST', url: '/api/v0/no/table/07459', payload: '{"query":[{"code":"Nope","selection":{"filter":"item","values":["1"]}}]}' });
  assert.equal(errorMessage(v1.statusCode, v1.body), (JSON.parse(v1.body) as { error: string }).error);
  const v2 = await app.inject({ method: 'GET', url: '/api/v2/tables/07459/data?valueCodes[Region]=nope' });
  const problem = JSON.parse(v2.body) as { title: string; detail?: string };
  assert.ok(errorMessage(v2.statusCode, v2.body).startsWith(problem.title));
  assert.equal(errorMessage(429, 'API calls quota exceeded! maximum admitted 30 per 60s.'), 'API calls quota exceeded! maximum admitted 30 per 60s.');
  assert.equal(errorMessage(502, ''), 'HTTP 502');
});

test('selections as people think of them: each mode gives the codes of the API and back from the stored expression', async () => {
  const years = ['2019', '2020', '2021', '2022', '2023'].map((c) => ({ code: c, label: c }));
  const none = new Set<string>();
  assert.deepEqual(resolveChoice({ kind: 'top', n: 2 }, years, none), ['2022', '2023']);
  assert.deepEqual(resolveChoice({ kind: 'from', code: '2021' }, years, none), ['2021', '2022', '2023']);
  assert.deepEqual(resolveChoice({ kind: 'range', from: '2022', to: '2020' }, years, none), ['2020', '2021', '2022']);
  assert.deepEqual(resolveChoice({ kind: 'pattern', pattern: '202?' }, years, none), ['2020', '2021', '2022', '2023']);
  assert.deepEqual(resolveChoice({ kind: 'items' }, years, new Set(['2023', '2019'])), ['2019', '2023']);
  assert.deepEqual(resolveChoice({ kind: 'total' }, years, none), []);
  assert.equal(matchesPattern('11*', '1103'), true);
  assert.equal(matchesPattern('11*', '0301'), false);
  for (const c of [{ kind: 'top', n: 5 }, { kind: 'from', code: '2020' }, { kind: 'range', from: '2019', to: '2021' }, { kind: 'pattern', pattern: '11*' }, { kind: 'all' }] as const) {
    assert.deepEqual(choiceFromCodes([choiceExpr(c)!], false), c);
  }
  assert.deepEqual(choiceFromCodes([], true), { kind: 'total' });
  assert.deepEqual(choiceFromCodes(['0301', '1103'], true), { kind: 'items' });
  assert.deepEqual(kindsFor(true, false), ['items', 'top', 'from', 'range', 'all', 'pattern']);
  assert.equal(kindsFor(false, true)[0], 'total');
  // v1: top and all where v1 has them; "from" lists the codes and says it will not follow releases
  const v = (expr: string, selected: string[]): VarSelection => ({ code: 'Tid', selected, total: 5, elimination: false, expr });
  assert.deepEqual(v1Selection(v('top(2)', ['2022', '2023'])), { filter: 'top', values: ['2' ] });
  assert.deepEqual(v1Selection({ ...v('11*', ['11', '1103']), code: 'Region' }), { filter: 'all', values: ['11*'] });
  assert.deepEqual(v1Selection(v('from(2022)', ['2022', '2023'])), { filter: 'item', values: ['2022', '2023'] });
  assert.equal(v1LosesRelative([v('from(2022)', ['2022', '2023'])]), true);
  assert.equal(v1LosesRelative([v('top(2)', ['2022', '2023'])]), false);
  // the v2 URL and body carry the expression; the server gives the cells the page counts
  const q = { tableId: '07459', lang: 'no', vars: [{ code: 'Region', selected: ['0301'], total: 57, elimination: true }, { code: 'ContentsCode', selected: ['Personer1'], total: 1, elimination: false }, v('range(2019,2021)', ['2019', '2020', '2021'])] };
  const url = v2DataUrl('', q);
  // a GET list is split at commas by the server, so a range goes into the URL as its codes
  assert.match(url, /valueCodes\[Tid\]=2019,2020,2021/);
  const res = await app.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((JSON.parse(res.body) as { value: unknown[] }).value.length, 3);
  assert.deepEqual(v2Body(q.vars).selection[2], { variableCode: 'Tid', valueCodes: ['range(2019,2021)'] });
});
