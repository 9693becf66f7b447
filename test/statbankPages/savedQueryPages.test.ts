// Statbank saved-query pages (/statbank/sq/{id}) on the demo database: the seeded 10007797, its text form, data in
// every format equal to API v1's answer to that text, the web page for browsers, ?select, saving v1 queries
// (shared with PxWebApi 2.0 /savedqueries), garbage, `top` following a new version, and SQLite persistence.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type AppConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { demoContent, generateDemo } from '../../src/demo/index.js';
import { DEMO_SAVED_QUERIES } from '../../src/demo/savedQueries.js';
import { createMemorySavedQueryStore, type SavedQueryStore } from '../../src/savedQueries/savedQueries.js';
import { build07459 } from '../query/cube07459.js';

const BASE = 'http://statbank.test';
const DEMO_ID = DEMO_SAVED_QUERIES[0].id;

async function appOn(store: Store, savedQueries?: SavedQueryStore, overrides: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  return buildApp({ store, config: loadConfig({ maxCalls: 0, baseUrl: BASE, ...overrides }, {}), savedQueries, ...demoContent() }, { logger: false });
}

/** The parts of a `.txt` answer: the URL and the POST body (from the line that is just `{`). */
function readText(t: string): { url: string; body: { query: any[]; response: { format: string } }; lines: string[] } {
  const lines = t.split('\n');
  const urlLine = lines.find((l) => l.startsWith('URL: '));
  assert.ok(urlLine, 'a URL line');
  const start = lines.indexOf('{');
  assert.ok(start > 0, 'the body starts at a line "{"');
  return { url: urlLine.slice(5), body: JSON.parse(lines.slice(start).join('\n')), lines };
}

let store: Store;
let sq: SavedQueryStore;
let app: FastifyInstance;
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const post = (url: string, body: unknown) => app.inject({ method: 'POST', url, payload: typeof body === 'string' ? body : JSON.stringify(body) });
const v1 = (url: string, body: unknown, format: string) =>
  app.inject({ method: 'POST', url: url.slice(BASE.length), payload: JSON.stringify({ ...(body as object), response: { format } }) });

describe('the demo saved query and saving v1 queries', () => {
  before(async () => {
    store = createMemoryStore();
    generateDemo(store, { small: true });
    sq = createMemorySavedQueryStore();
    app = await appOn(store, sq);
  });
  after(async () => {
    await app.close();
    store.close();
  });

  test('10007797 exists at start, in the store PxWebApi 2.0 reads', async () => {
    const seed = DEMO_SAVED_QUERIES[0];
    const v2 = await get(`/api/v2/savedqueries/${DEMO_ID}`);
    assert.equal(v2.statusCode, 200);
    const body = v2.json() as any;
    assert.equal(body.savedQuery.tableId, seed.tableId);
    assert.equal(body.savedQuery.outputFormat, 'json-stat2');
    assert.deepEqual(body.savedQuery.selection.selection.find((s: any) => s.variableCode === 'Tid').valueCodes, ['top(5)']);
  });

  test('.txt: the v1 URL and POST body; POSTing it gives what .{format} gives, in every v1 format', async () => {
    const r = await get(`/statbank/sq/${DEMO_ID}.txt`);
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    const { url, body, lines } = readText(r.body);
    assert.equal(url, `${BASE}/api/v0/no/table/07459`);
    assert.match(lines[0], /^Tabell 07459: Befolkning/);
    assert.deepEqual(body.query, DEMO_SAVED_QUERIES[0].query);
    assert.equal(body.response.format, 'json-stat2');
    for (const format of ['json-stat2', 'json-stat', 'csv', 'csv2', 'csv3', 'json', 'px', 'sdmx']) {
      const direct = await v1(url, { query: body.query }, format);
      assert.equal(direct.statusCode, 200, format);
      const page = await get(`/statbank/sq/${DEMO_ID}.${format}`);
      assert.equal(page.statusCode, 200, format);
      assert.equal(page.headers['content-type'], direct.headers['content-type'], format);
      assert.deepEqual(page.rawPayload, direct.rawPayload, format);
    }
    const xlsx = await get(`/statbank/sq/${DEMO_ID}.xlsx`);
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
    // SSB's format names with underscores, and the v2-only formats
    assert.deepEqual((await get(`/statbank/sq/${DEMO_ID}.json_stat2`)).rawPayload, (await get(`/statbank/sq/${DEMO_ID}.json-stat2`)).rawPayload);
    const html = await get(`/statbank/sq/${DEMO_ID}.html`);
    assert.equal(html.statusCode, 200);
    assert.match(html.body, /<table/);
    const parquet = await get(`/statbank/sq/${DEMO_ID}.parquet`);
    assert.equal(parquet.rawPayload.subarray(0, 4).toString('latin1'), 'PAR1');
    // English texts on request
    const en = await get(`/statbank/sq/${DEMO_ID}.txt?lang=en`);
    assert.equal(readText(en.body).url, `${BASE}/api/v0/en/table/07459`);
    assert.match(en.body, /^Table 07459: Population/);
  });

  test('plain URL: data in the saved format for programs, the web app for browsers', async () => {
    const data = await get(`/statbank/sq/${DEMO_ID}`, { accept: '*/*' });
    assert.equal(data.statusCode, 200);
    assert.equal(data.headers['content-type'], 'application/json; charset=utf-8');
    assert.match(String(data.headers.vary), /accept/i);
    assert.equal(data.headers['access-control-allow-origin'], '*');
    const v2 = await get(`/api/v2/savedqueries/${DEMO_ID}/data`);
    assert.equal(data.body, v2.body, 'the same as PxWebApi 2.0 runs it');
    const ds = data.json() as any;
    assert.deepEqual(ds.id, ['Region', 'ContentsCode', 'Tid']);
    assert.deepEqual(Object.keys(ds.dimension.Tid.category.index), ['2021', '2022', '2023', '2024', '2025']);
    // the numbers are the v1 answer's
    const { url, body } = readText((await get(`/statbank/sq/${DEMO_ID}.txt`)).body);
    assert.deepEqual(ds.value, ((await v1(url, body, 'json-stat2')).json() as any).value);
    const noAccept = await get(`/statbank/sq/${DEMO_ID}`);
    assert.equal(noAccept.body, data.body);

    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    const page = await get(`/statbank/sq/${DEMO_ID}`, browser);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const spa = await get('/statbank/table/07459', browser);
    assert.equal(page.statusCode, spa.statusCode);
    assert.equal(page.body, spa.body, 'the web app page, which opens the saved query');
    assert.equal((await get(`/statbank/sq/${DEMO_ID}?select`, browser)).body, spa.body);
    // an explicit extension is data for browsers too
    assert.match(String((await get(`/statbank/sq/${DEMO_ID}.txt`, browser)).headers['content-type']), /^text\/plain/);
  });

  test('?select: the query and the values it picks now', async () => {
    const r = await get(`/statbank/sq/${DEMO_ID}?select&lang=en`);
    assert.equal(r.statusCode, 200);
    const s = r.json() as any;
    assert.equal(s.id, DEMO_ID);
    assert.equal(s.tableId, '07459');
    assert.deepEqual(s.query, DEMO_SAVED_QUERIES[0].query);
    const byCode = Object.fromEntries(s.variables.map((v: any) => [v.code, v]));
    assert.deepEqual(byCode.Region.values, ['0301', '1103']);
    assert.deepEqual(byCode.Region.valueTexts, ['Oslo', 'Stavanger']);
    assert.deepEqual(byCode.Tid.values, ['2021', '2022', '2023', '2024', '2025']);
    assert.equal(byCode.Kjonn.eliminated, true);
    assert.equal(byCode.Alder.eliminated, true);
    assert.equal(s.cells, 10);
    assert.equal(s.links.text, `${BASE}/statbank/sq/${DEMO_ID}.txt`);
  });

  test('POST /statbank/sq saves a v1 query under a numeric id; every view of it agrees with API v1', async () => {
    const query = [
      { code: 'Region', selection: { filter: 'agg:KommSummer', values: ['F-11', 'F-03'] } },
      { code: 'Alder', selection: { filter: 'item', values: ['100', '000'] } },
      { code: 'Tid', selection: { filter: 'top', values: ['2'] } },
    ];
    const r = await post('/statbank/sq', { tableId: '07459', language: 'en', query, response: { format: 'csv2' } });
    assert.equal(r.statusCode, 201);
    const made = r.json() as any;
    assert.match(made.id, /^\d{8}$/);
    assert.equal(r.headers.location, `${BASE}/statbank/sq/${made.id}`);
    assert.equal(made.format, 'csv2');
    // PxWebApi 2.0 sees the same query
    const v2 = (await get(`/api/v2/savedqueries/${made.id}`)).json() as any;
    assert.equal(v2.savedQuery.tableId, '07459');
    assert.deepEqual(v2.savedQuery.selection.selection.find((s: any) => s.variableCode === 'Region'), { variableCode: 'Region', codelist: 'agg_KommSummer', valueCodes: ['F-03', 'F-11'] });
    // the text gives the query back (codes in the table's order, as v1 answers them)
    const { url, body } = readText((await get(`/statbank/sq/${made.id}.txt`)).body);
    assert.equal(url, `${BASE}/api/v0/en/table/07459`);
    assert.equal(body.response.format, 'csv2');
    const want = [
      { code: 'Region', selection: { filter: 'agg:KommSummer', values: ['F-03', 'F-11'] } },
      { code: 'Alder', selection: { filter: 'item', values: ['000', '100'] } },
      // a mandatory variable the query leaves out: v1 answers all its values
      { code: 'ContentsCode', selection: { filter: 'all', values: ['*'] } },
      { code: 'Tid', selection: { filter: 'top', values: ['2'] } },
    ];
    assert.deepEqual(body.query, want);
    const direct = await v1(url, { query }, 'csv2');
    assert.deepEqual((await get(`/statbank/sq/${made.id}.csv2`)).rawPayload, direct.rawPayload);
    // the plain URL answers the saved format: one value per row, texts (PxWebApi 2.0 csv with everything in the stub)
    const plain = await get(`/statbank/sq/${made.id}`);
    assert.equal(plain.statusCode, 200);
    assert.match(String(plain.headers['content-type']), /^text\/csv/);
    const rows = plain.rawPayload.toString('latin1').trim().split('\r\n');
    const refRows = direct.rawPayload.toString('latin1').trim().split('\r\n');
    assert.equal(rows.length, refRows.length, 'as many rows as v1 csv2');
    assert.deepEqual(rows.slice(1).map((l) => l.split(',').at(-1)), refRows.slice(1).map((l) => l.split(',').at(-1)), 'the same numbers');
    assert.ok(rows[1].includes('"Rogaland"') || rows.some((l) => l.includes('"Rogaland"')));
    // application/json asks for JSON-stat
    const js = await get(`/statbank/sq/${made.id}`, { accept: 'application/json' });
    assert.equal(js.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual((js.json() as any).value, ((await v1(url, { query }, 'json-stat2')).json() as any).value);
  });

  test('saving: a mandatory variable left out keeps all its values; csv3, json and value sets round-trip', async () => {
    const cases: [string, unknown[], string][] = [
      ['03013', [{ code: 'ContentsCode', selection: { filter: 'item', values: ['KpiIndMnd'] } }, { code: 'Tid', selection: { filter: 'top', values: ['3'] } }], 'csv3'],
      ['07459', [{ code: 'Region', selection: { filter: 'vs:Fylker', values: ['11', '03'] } }, { code: 'Kjonn', selection: { filter: 'all', values: ['*'] } }, { code: 'Tid', selection: { filter: 'all', values: ['202*'] } }], 'json'],
      ['08931', [{ code: 'Alder', selection: { filter: 'item', values: [] } }, { code: 'Tid', selection: { filter: 'top', values: ['1'] } }], 'px'],
      ['07459', [{ code: 'Alder', selection: { filter: 'agg_single:FemAarigGruppering', values: ['004', '001'] } }, { code: 'Region', selection: { filter: 'item', values: ['0'] } }, { code: 'Tid', selection: { filter: 'item', values: ['2020'] } }], 'json-stat2'],
    ];
    for (const [tableId, query, format] of cases) {
      const r = await post('/statbank/sq/', { table: tableId, lang: 'no', query, response: { format } });
      if (r.statusCode !== 201) assert.fail(`${tableId} ${format}: ${r.body}`);
      const id = (r.json() as any).id;
      const { url, body } = readText((await get(`/statbank/sq/${id}.txt`)).body);
      assert.equal(body.response.format, format);
      const direct = await v1(url, { query }, format);
      assert.equal(direct.statusCode, 200);
      assert.deepEqual((await get(`/statbank/sq/${id}.${format}`)).rawPayload, direct.rawPayload, `${tableId} ${format}`);
      assert.deepEqual((await v1(url, body, 'json-stat2')).rawPayload, (await v1(url, { query }, 'json-stat2')).rawPayload, `${tableId}: the text means the same`);
    }
  });

  test('a saved query with PxWebApi 2.0 expressions v1 cannot write: the text lists today\'s codes and says so', async () => {
    const r = await post('/api/v2/savedqueries', {
      tableId: '07459',
      language: 'en',
      outputFormat: 'html',
      outputFormatParams: [],
      selection: { selection: [{ variableCode: 'Region', valueCodes: ['0301'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['bottom(2)', 'range(2010,2011)'] }] },
    });
    assert.equal(r.statusCode, 201);
    const id = (r.json() as any).id;
    const text = (await get(`/statbank/sq/${id}.txt`)).body;
    assert.match(text, /Note: Tid is saved as bottom\(2\),range\(2010,2011\)/);
    assert.match(text, /Note: the format html does not exist in API v1/);
    const { url, body } = readText(text);
    assert.deepEqual(body.query.find((q: any) => q.code === 'Tid'), { code: 'Tid', selection: { filter: 'item', values: ['1986', '1987', '2010', '2011'] } });
    assert.deepEqual(body.query.find((q: any) => q.code === 'ContentsCode'), { code: 'ContentsCode', selection: { filter: 'all', values: ['*'] } });
    assert.deepEqual((await get(`/statbank/sq/${id}.json-stat`)).rawPayload, (await v1(url, body, 'json-stat')).rawPayload);
    const plain = await get(`/statbank/sq/${id}`);
    assert.match(String(plain.headers['content-type']), /^text\/html/);
    assert.match(plain.body, /<table/);
  });

  test('garbage on GET: clear errors, never a crash', async () => {
    const cases: [string, number, RegExp][] = [
      ['/statbank/sq/99999999', 404, /No saved query with id "99999999"/],
      ['/statbank/sq/99999999.csv', 404, /No saved query/],
      ['/statbank/sq/..%2F..%2Fetc', 404, /No saved query/],
      ['/statbank/sq/%22%3E%3Cscript%3E', 404, /No saved query/],
      [`/statbank/sq/${'9'.repeat(300)}`, 404, /No saved query/],
      [`/statbank/sq/${DEMO_ID}.foo`, 400, /Unknown format \.foo/],
      [`/statbank/sq/${DEMO_ID}.`, 400, /Unknown format/],
      [`/statbank/sq/${DEMO_ID}.csv.exe`, 400, /Unknown format/],
      [`/statbank/sq/${DEMO_ID}?lang=xx`, 400, /Unknown language "xx"/],
      [`/statbank/sq/${DEMO_ID}.csv?lang=`, 200, /./],
    ];
    for (const [url, status, msg] of cases) {
      const r: LightMyRequestResponse = await get(url);
      assert.equal(r.statusCode, status, url);
      if (status !== 200) {
        assert.equal(r.headers['content-type'], 'application/json; charset=utf-8', url);
        assert.match(String((r.json() as any).error), msg, url);
      }
    }
    const t = await get('/statbank/sq/99999999.txt');
    assert.equal(t.statusCode, 404);
    assert.match(String(t.headers['content-type']), /^text\/plain/);
    assert.match(t.body, /No saved query/);
  });

  test('garbage on POST: clear errors', async () => {
    const q = (over: Record<string, unknown>) => ({ tableId: '07459', language: 'no', query: [{ code: 'Tid', selection: { filter: 'top', values: ['1'] } }], response: { format: 'csv' }, ...over });
    const cases: [unknown, number, RegExp][] = [
      ['', 400, /must be JSON/],
      ['{not json', 400, /must be JSON/],
      ['[1,2]', 400, /JSON object/],
      ['null', 400, /JSON object/],
      [q({ tableId: undefined }), 400, /tableId is required/],
      [q({ tableId: 12 }), 400, /tableId is required/],
      [q({ tableId: '99999' }), 404, /No table "99999"/],
      [q({ language: 'xx' }), 400, /language must be one of/],
      [q({ query: 'x' }), 400, /API v1 query/],
      [q({ query: [{ code: 'Tid', selection: { filter: 'top', values: ['x'] } }] }), 400, /Parameter error/],
      [q({ query: [{ code: 'Nope', selection: { filter: 'item', values: ['1'] } }] }), 400, /Parameter error/],
      [q({ query: [{ code: 'Region', selection: { filter: 'item', values: ['9999'] } }] }), 400, /variable 'Region' has an error/],
      [q({ query: [{ code: 'Region', selection: { filter: 'agg_all:KommSummer', values: ['F-11'] } }] }), 400, /agg_all: cannot be saved/],
      [q({ response: { format: 'sdmx' } }), 400, /cannot be saved/],
      [q({ response: { format: 'json-stat' } }), 400, /cannot be saved/],
      [q({ response: { format: 'nonsense' } }), 400, /cannot be saved/],
    ];
    for (const [body, status, msg] of cases) {
      const r = await post('/statbank/sq', body);
      assert.equal(r.statusCode, status, JSON.stringify(body));
      assert.match(String((r.json() as any).error), msg, JSON.stringify(body));
    }
    // the cell limit applies as in API v1
    const small = await appOn(store, createMemorySavedQueryStore(), { maxCells: 10 });
    try {
      const r = await small.inject({ method: 'POST', url: '/statbank/sq', payload: JSON.stringify(q({ query: [{ code: 'Region', selection: { filter: 'all', values: ['*'] } }] })) });
      assert.equal(r.statusCode, 403);
      assert.equal((r.json() as any).error, 'Too many values selected');
    } finally {
      await small.close();
    }
  });
});

describe('saved queries follow new versions of their tables', () => {
  test('a `top` query moves when a new year is published; an `item` one stays', async () => {
    const own = createMemoryStore();
    generateDemo(own, { small: true, lastYear: 2025 });
    const a = await appOn(own, createMemorySavedQueryStore());
    try {
      const yearsOf = async (id: string) => {
        const s = (await a.inject({ method: 'GET', url: `/statbank/sq/${id}?select` })).json() as any;
        return s.variables.find((v: any) => v.code === 'Tid').values as string[];
      };
      const fixed = await a.inject({
        method: 'POST',
        url: '/statbank/sq',
        payload: JSON.stringify({ tableId: '07459', language: 'no', query: [{ code: 'Region', selection: { filter: 'item', values: ['0301'] } }, { code: 'Tid', selection: { filter: 'item', values: ['2020', '2021'] } }] }),
      });
      const fixedId = (fixed.json() as any).id;
      assert.deepEqual(await yearsOf(DEMO_ID), ['2021', '2022', '2023', '2024', '2025']);
      const before = (await a.inject({ method: 'GET', url: `/statbank/sq/${DEMO_ID}.csv2` })).body;
      generateDemo(own, { small: true, lastYear: 2026 });
      assert.deepEqual(await yearsOf(DEMO_ID), ['2022', '2023', '2024', '2025', '2026']);
      assert.deepEqual(await yearsOf(fixedId), ['2020', '2021']);
      const now = (await a.inject({ method: 'GET', url: `/statbank/sq/${DEMO_ID}.csv2` })).body;
      assert.notEqual(now, before);
      assert.ok(now.includes('"2026"') && !now.includes('"2021"'));
      // still the v1 answer to the (unchanged) text, on the new version
      const text = (await a.inject({ method: 'GET', url: `/statbank/sq/${DEMO_ID}.txt` })).body;
      const { url, body } = readText(text);
      assert.equal(body.query.find((q: any) => q.code === 'Tid').selection.filter, 'top');
      const direct = await a.inject({ method: 'POST', url: url.slice(BASE.length), payload: JSON.stringify({ ...body, response: { format: 'csv2' } }) });
      assert.equal(now, direct.body);
    } finally {
      await a.close();
      own.close();
    }
  });
});

describe('seeding and storage', () => {
  test('the demo query is not created on a table that is not the demo\'s', async () => {
    const own = createMemoryStore();
    own.putTable(build07459({ withSymbols: false }), { published: '2025-02-21T07:00:00Z' });
    const a = await appOn(own, createMemorySavedQueryStore());
    try {
      const r = await a.inject({ method: 'GET', url: `/statbank/sq/${DEMO_ID}` });
      assert.equal(r.statusCode, 404);
    } finally {
      await a.close();
      own.close();
    }
  });

  test('demo published after the server started: the query is made on first use', async () => {
    const own = createMemoryStore();
    const a = await appOn(own, createMemorySavedQueryStore());
    try {
      assert.equal((await a.inject({ method: 'GET', url: `/statbank/sq/${DEMO_ID}.csv` })).statusCode, 404);
      generateDemo(own, { small: true });
      assert.equal((await a.inject({ method: 'GET', url: `/statbank/sq/${DEMO_ID}.csv` })).statusCode, 200);
    } finally {
      await a.close();
      own.close();
    }
  });

  test('on a SQLite database the queries live in its file, shared with PxWebApi 2.0, across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sq-pages-'));
    const dbPath = join(dir, 'statbank.db');
    try {
      let db = openStore(dbPath);
      generateDemo(db, { small: true });
      const config = loadConfig({ dbPath, baseUrl: BASE, maxCalls: 0 }, {});
      let a = await buildApp({ store: db, config, ...demoContent() }, { logger: false });
      assert.equal((await a.inject({ method: 'GET', url: `/api/v2/savedqueries/${DEMO_ID}` })).statusCode, 200, 'seeded at start, visible to v2');
      const made = await a.inject({ method: 'POST', url: '/statbank/sq', payload: JSON.stringify({ tableId: '05810', language: 'en', query: [{ code: 'Tid', selection: { filter: 'top', values: ['2'] } }] }) });
      assert.equal(made.statusCode, 201);
      const id = (made.json() as any).id;
      assert.equal((await a.inject({ method: 'GET', url: `/api/v2/savedqueries/${id}/data` })).statusCode, 200);
      const first = (await a.inject({ method: 'GET', url: `/statbank/sq/${id}.json-stat2` })).body;
      await a.close();
      db.close();
      db = openStore(dbPath);
      a = await buildApp({ store: db, config, ...demoContent() }, { logger: false });
      assert.equal((await a.inject({ method: 'GET', url: `/statbank/sq/${id}.json-stat2` })).body, first);
      assert.equal((await a.inject({ method: 'GET', url: `/statbank/sq/${DEMO_ID}.txt` })).statusCode, 200);
      await a.close();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
