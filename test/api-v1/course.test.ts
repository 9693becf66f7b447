// The course's exercises 1-3 (shared spec course-exercises.md), as written, against the demo database over
// real HTTP. Expected numbers are computed here from the demo cubes' flat arrays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { generateDemo } from '../../src/demo/index.js';
import type { Store } from '../../src/store/store.js';
import type { Cube } from '../../src/core/model.js';
import { bruteCell, checkAgainstCube, item, makeApp, readJsonStat2, type VarExpect } from './helpers.js';

let app: FastifyInstance;
let store: Store;
let base: string;
let c07459: Cube;

before(async () => {
  store = createMemoryStore();
  generateDemo(store, { lastYear: 2025 });
  app = await makeApp(store);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  c07459 = await store.getCube('07459');
});
after(() => app.close());

const T = '/api/v0/no/table/07459';
const post = (url: string, body: unknown) => fetch(base + url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
const codesOf = (c: Cube, code: string) => c.meta.variables.find((v) => v.code === code)!.values.map((v) => v.code);
const sel = (code: string, filter: string, values: string[]) => ({ code, selection: { filter, values } });

async function xlsxCells(buf: ArrayBuffer): Promise<(string | number)[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf);
  const out: (string | number)[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value;
        if (typeof v === 'number' || typeof v === 'string') out.push(v);
      }),
    ),
  );
  return out;
}

test('exercise 1.1: the default query, then as xlsx with the codes in the file', async () => {
  const r = await post(T, { query: [] });
  assert.equal(r.status, 200);
  const js = readJsonStat2(await r.text());
  // Region has an elimination value, Kjonn and Alder are summed; ContentsCode and Tid are mandatory
  const regionVar = c07459.meta.variables[0];
  assert.ok(regionVar.eliminationValue);
  checkAgainstCube(c07459, js, [
    { elim: [regionVar.eliminationValue!] },
    { elim: codesOf(c07459, 'Kjonn') },
    { elim: codesOf(c07459, 'Alder') },
    item(...codesOf(c07459, 'ContentsCode')),
    item(...codesOf(c07459, 'Tid')),
  ]);
  const x = await post(T, { query: [sel('Region', 'item', ['0301']), sel('Tid', 'top', ['2'])], response: { format: 'xlsx' } });
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; charset=Windows-1252');
  const cells = await xlsxCells(await x.arrayBuffer());
  const ages = codesOf(c07459, 'Alder');
  for (const year of ['2024', '2025']) {
    const b = bruteCell(c07459, [['0301'], codesOf(c07459, 'Kjonn'), ages, ['Personer1'], [year]]);
    assert.equal(b.kind, 'value');
    assert.ok(cells.includes((b as { value: number }).value), `Oslo ${year} total in the workbook`);
  }
  assert.ok(cells.some((v) => typeof v === 'string' && v.includes('Oslo')));
});

test('exercise 1.2: 0-year-olds in Oslo, both sexes: left out (summed) or both selected', async () => {
  const left = readJsonStat2(await (await post(T, { query: [sel('Region', 'item', ['0301']), sel('Alder', 'item', ['000'])], response: { format: 'json-stat2' } })).text());
  const both = readJsonStat2(await (await post(T, { query: [sel('Region', 'item', ['0301']), sel('Kjonn', 'item', ['1', '2']), sel('Alder', 'item', ['000'])] })).text());
  const years = codesOf(c07459, 'Tid');
  checkAgainstCube(c07459, left, [item('0301'), { elim: ['1', '2'] }, item('000'), item('Personer1'), item(...years)]);
  checkAgainstCube(c07459, both, [item('0301'), item('1', '2'), item('000'), item('Personer1'), item(...years)]);
  // the sum of the two sexes equals the left-out answer
  for (let t = 0; t < years.length; t++) assert.equal(left.value[t], (both.value[t] as number) + (both.value[years.length + t] as number));
});

test('exercise 1.3: 2020-2021 three ways, before and after next year is published', async () => {
  const ask = async (tid: object) => {
    const r = await post(T, { query: [sel('Region', 'item', ['0301']), tid] });
    assert.equal(r.status, 200);
    return readJsonStat2(await r.text()).codes.at(-1);
  };
  const item2 = sel('Tid', 'item', ['2020', '2021']);
  const all2 = { code: 'Tid', selection: { filter: 'all', values: ['202*'] } };
  const top2 = { code: 'Tid', selection: { filter: 'top', values: ['2'] } };
  assert.deepEqual(await ask(item2), ['2020', '2021']);
  assert.deepEqual(await ask(all2), ['2020', '2021', '2022', '2023', '2024', '2025']);
  assert.deepEqual(await ask(top2), ['2024', '2025']);
  // publish next year's figures: a new version of the table
  const before07459 = store.getTable('07459')!.version;
  generateDemo(store, { lastYear: 2026, small: true });
  assert.ok(store.getTable('07459')!.version > before07459);
  assert.deepEqual(await ask(item2), ['2020', '2021']);
  assert.deepEqual(await ask(all2), ['2020', '2021', '2022', '2023', '2024', '2025', '2026']);
  assert.deepEqual(await ask(top2), ['2025', '2026']);
  generateDemo(store, { lastYear: 2025, small: true });
  c07459 = await store.getCube('07459');
});

test('exercise 2.1: 100-year-olds in Stavanger and Oslo in 2021 as csv2', async () => {
  const r = await post(T, {
    query: [sel('Region', 'item', ['1103', '0301']), sel('Alder', 'item', ['100']), sel('Tid', 'item', ['2021'])],
    response: { format: 'csv2' },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/csv; charset=Windows-1252');
  const lines = Buffer.from(await r.arrayBuffer()).toString('latin1').split('\r\n').filter(Boolean);
  assert.equal(lines.length, 3, lines.join('|'));
  const region = c07459.meta.variables[0];
  const rows = lines.slice(1).map((l) => l.split(','));
  // metadata order: Oslo (0301) before Stavanger (1103)
  for (const [k, code] of ['0301', '1103'].entries()) {
    const label = region.values.find((v) => v.code === code)!.label.no;
    assert.equal(rows[k][0], `"${label}"`);
    const b = bruteCell(c07459, [[code], ['1', '2'], ['100'], ['Personer1'], ['2021']]);
    assert.equal(b.kind, 'value');
    assert.equal(rows[k].at(-1), String((b as { value: number }).value));
  }
});

test('exercise 2.2: totals for Oslo and Stavanger as xlsx (the course solution, Alder left out)', async () => {
  const body =
    '{"query":[{"code":"Region","selection":{"filter":"item","values":["1103","0301"]}},' +
    '{"code":"ContentsCode","selection":{"filter":"item","values":["Personer1"]}},' +
    '{"code":"Tid","selection":{"filter":"top","values":["1"]}}],"response":{"format":"xlsx"}}';
  const r = await post(T, body);
  assert.equal(r.status, 200);
  const cells = await xlsxCells(await r.arrayBuffer());
  for (const code of ['0301', '1103']) {
    const b = bruteCell(c07459, [[code], ['1', '2'], codesOf(c07459, 'Alder'), ['Personer1'], ['2025']]);
    assert.equal(b.kind, 'value');
    assert.ok(cells.includes((b as { value: number }).value), `${code} total`);
  }
});

test('exercise 2.3: Rogaland (11) and every municipality in it with all 11*', async () => {
  const r = await post(T, { query: [sel('Region', 'all', ['11*']), sel('Tid', 'top', ['1'])] });
  const js = readJsonStat2(await r.text());
  const expected = codesOf(c07459, 'Region').filter((c) => c.startsWith('11'));
  assert.ok(expected.includes('11') && expected.includes('1103') && expected.length > 2);
  const e: VarExpect[] = [item(...expected), { elim: ['1', '2'] }, { elim: codesOf(c07459, 'Alder') }, item('Personer1'), item('2025')];
  checkAgainstCube(c07459, js, e);
});

test('exercise 3.1: walk tr -> tr01 -> kilt -> Kilt01 (table 12535), also at /table/12535', async () => {
  let path = '/api/v0/no/table/';
  for (const step of ['tr', 'tr01', 'kilt']) {
    const list = await (await fetch(base + path)).json();
    assert.ok(list.some((x: { id: string; type: string }) => x.id === step && x.type === 'l'), `${step} under ${path}`);
    path += step + '/';
  }
  const tables = await (await fetch(base + path)).json();
  const kilt = tables.find((x: { id: string }) => x.id === 'Kilt01');
  assert.equal(kilt.type, 't');
  assert.match(kilt.text, /^12535: Totalkostnadsindeks for lastebiltransport/);
  const a = await (await fetch(base + path + 'Kilt01')).json();
  const b = await (await fetch(base + '/api/v0/no/table/12535')).json();
  assert.deepEqual(a, b);
  assert.match(a.title, /Totalkostnadsindeks for lastebiltransport/);
});

test('exercise 3.2: tables under sk/sk02 with a variable "statsborgerskap"', async () => {
  const hits = await (await fetch(base + '/api/v0/no/table/sk/sk02/?query=statsborgerskap')).json();
  const expected = store
    .listTables()
    .filter((t) => t.folders.some((f) => f === 'sk/sk02' || f.startsWith('sk/sk02/')))
    .filter((t) => t.meta.variables.some((v) => (v.label.no ?? '').toLowerCase().includes('statsborgerskap')))
    .map((t) => t.meta.matrix ?? t.id)
    .sort();
  assert.ok(expected.length >= 1);
  assert.deepEqual(hits.map((h: { id: string }) => h.id).sort(), expected);
  for (const h of hits) assert.ok(h.path.startsWith('/'));
});

test('the course\'s other search examples', async () => {
  const ids = async (url: string) => ((await (await fetch(base + url)).json()) as { id: string }[]).map((h) => h.id);
  const framskr = store.listTables().find((t) => (t.meta.matrix ?? '').toLowerCase() === 'framskr2020t07' || (t.shortName ?? '') === 'framskr2020t07');
  assert.ok(framskr);
  assert.ok((await ids('/api/v0/no/table/?query=framskr2020t07')).includes(framskr!.meta.matrix ?? framskr!.id));
  const bolig = await ids('/api/v0/no/table/?query=title:bolig');
  const expectBolig = store.listTables().filter((t) => /bolig/i.test(t.meta.title.no ?? '')).map((t) => t.meta.matrix ?? t.id);
  assert.deepEqual(bolig.sort(), expectBolig.sort());
  const inRange = await ids('/api/v0/no/table/?query=published:[20200601%20TO%2020200616*]');
  const expectRange = store
    .listTables()
    .filter((t) => t.published.slice(0, 10) >= '2020-06-01' && t.published.slice(0, 10) <= '2020-06-16')
    .map((t) => t.meta.matrix ?? t.id);
  assert.ok(expectRange.length >= 1);
  assert.deepEqual(inRange.sort(), expectRange.sort());
  assert.deepEqual(await ids('/api/v0/no/table/?query=funksjon%20AND%20170'), ['12367']);
  const tr = await ids('/api/v0/no/table/tr?query=alder%20NOT%20avslutta');
  assert.ok(tr.length >= 1);
  for (const id of tr) assert.ok(!/avslutta/.test(store.listTables().find((t) => (t.meta.matrix ?? t.id) === id)!.meta.title.no));
});

test('the HTTP statuses the course teaches: 200, 400, 403 (over 800,000 cells)', async () => {
  assert.equal((await fetch(base + T)).status, 200);
  assert.equal((await post(T, '{"query":[{"code":"Region","selection":{"filter":"item","values":["nope"]}}]}')).status, 400);
  assert.equal((await fetch(base + '/api/v0/no/tabel/')).status, 400);
  const big = store.listTables().find((t) => t.cells > 800_000);
  assert.ok(big, 'the demo has a table above the cell limit');
  const all = big!.meta.variables.map((v) => sel(v.code, 'all', ['*']));
  const r = await post(`/api/v0/no/table/${big!.id}`, { query: all });
  assert.equal(r.status, 403);
  assert.deepEqual(await r.json(), { error: 'Too many values selected' });
});
