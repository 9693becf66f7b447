// The embargo through the HTTP APIs (SQLite store, injected clock): before the release instant no v1 navigation,
// metadata, data or search answer and no v2 table list, table, metadata or data answer shows the scheduled version
// or the new table (nor its folder); at the instant all of them show it, response caches included. With warm-up,
// the first data query after the release reads no cube from SQLite.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqliteStore.js';
import { ReleaseScheduler } from '../../src/publishing/index.js';
import { cube, stamped } from '../store/cubes.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-embargo-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const RELEASE = Date.parse('2026-12-01T07:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** A stamped cube shown with two decimals, so its values (k + 0.25) come out whole. */
const stamped2 = (id: string, sizes: number[], k: number) => {
  const c = stamped(id, sizes, k);
  c.meta.decimals = 2;
  return c;
};
const ALL = (codes: string[]) => codes.map((code) => ({ code, selection: { filter: 'all', values: ['*'] } }));

async function setup(): Promise<{ app: FastifyInstance; store: SqliteStore; at: (ms: number) => void }> {
  let t = RELEASE - 10 * MIN;
  const store = openSqliteStore(join(dir, `e${Math.random().toString(36).slice(2)}.db`), { now: () => t });
  store.putFolder('be', { no: 'Befolkning', en: 'Population' });
  store.putFolder('be/ny', { no: 'Nyheter', en: 'News' });
  store.putTable(stamped2('07459', [3, 7], 1), { folders: ['be'], published: '2025-02-20T07:00:00Z' });
  store.scheduleTable(stamped2('07459', [3, 8], 2), { releaseAt: iso(RELEASE) });
  store.scheduleTable(cube('13000', [3, 7], (i) => 4242 + i, 'Hemmelig nyhet'), { releaseAt: iso(RELEASE), folders: ['be/ny'] });
  const app = await buildApp({ store, config: loadConfig({ maxCalls: 0 }, {}) }, { logger: false });
  return { app, store, at: (ms) => (t = ms) };
}

/** What a client can learn from the APIs about both tables. */
async function apiView(app: FastifyInstance) {
  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url });
    return { status: r.statusCode, body: r.body, json: r.statusCode === 200 ? JSON.parse(r.body) : undefined };
  };
  const post = async (url: string, body: unknown) => {
    const r = await app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: r.statusCode, json: r.statusCode === 200 ? JSON.parse(r.body) : undefined };
  };
  const nums = (ds: { value: (number | null)[] } | undefined) => (ds ? [...new Set(ds.value.filter((v) => v !== null))].sort() : undefined);

  const navBe = await get('/api/v0/no/table/be');
  const navNy = await get('/api/v0/no/table/be/ny');
  const metaV1 = await get('/api/v0/no/table/07459');
  const dataV1 = await post('/api/v0/no/table/07459', { query: ALL(['V0', 'V1']), response: { format: 'json-stat2' } });
  // a table under embargo must answer exactly as a table that does not exist
  const absent = async (url: string, body?: unknown) => {
    const run = (u: string) =>
      app.inject(body === undefined ? { method: 'GET', url: u } : { method: 'POST', url: u, payload: JSON.stringify(body) });
    const [a, b] = [await run(url), await run(url.replace('13000', '99999'))];
    return a.statusCode === b.statusCode && a.body.replace(/13000/g, 'X') === b.body.replace(/99999/g, 'X') ? 'as absent' : a.statusCode;
  };
  const dataBody = { query: ALL(['V0', 'V1']), response: { format: 'json-stat2' } };
  const newV1 = await get('/api/v0/no/table/13000');
  const newDataV1 = await post('/api/v0/no/table/13000', { query: ALL(['V0', 'V1']), response: { format: 'json-stat2' } });
  const searchV1 = await get('/api/v0/no/table/?query=hemmelig');
  const searchV1b = await get('/api/v0/no/table/?query=v2');
  const listV2 = await get('/api/v2/tables?lang=no&pageSize=100');
  const tableV2 = await get('/api/v2/tables/07459?lang=no');
  const metaV2 = await get('/api/v2/tables/07459/metadata?lang=no');
  const dataV2 = await get('/api/v2/tables/07459/data?lang=no&valueCodes[V0]=*&valueCodes[V1]=*');
  const newV2 = await get('/api/v2/tables/13000?lang=no');
  const newDataV2 = await get('/api/v2/tables/13000/data?lang=no&valueCodes[V0]=*&valueCodes[V1]=*');
  const searchV2 = await get('/api/v2/tables?lang=no&query=hemmelig');
  return {
    navBe: navBe.json?.map((i: { id: string; type: string }) => `${i.type}:${i.id}`),
    navNy: navNy.status,
    metaV1: metaV1.json?.variables[1].values.length,
    metaV1Title: metaV1.json?.title,
    dataV1: nums(dataV1.json),
    newV1: newV1.status,
    newDataV1: newDataV1.status,
    absentV1: [await absent('/api/v0/no/table/13000'), await absent('/api/v0/no/table/13000', dataBody)],
    absentV2: [
      await absent('/api/v2/tables/13000?lang=no'),
      await absent('/api/v2/tables/13000/metadata?lang=no'),
      await absent('/api/v2/tables/13000/data?lang=no&valueCodes[V0]=*&valueCodes[V1]=*'),
    ],
    searchV1: searchV1.json?.map((h: { id: string }) => h.id),
    searchV1b: searchV1b.json?.map((h: { id: string }) => h.id),
    listV2: listV2.json?.tables.map((x: { id: string }) => x.id),
    tableV2: tableV2.json?.label,
    metaV2: metaV2.json?.size.slice(-2),
    dataV2: nums(dataV2.json),
    newV2: newV2.status,
    newDataV2: newDataV2.status,
    searchV2: searchV2.json?.tables.map((x: { id: string }) => x.id),
  };
}

test('before the instant no API shows the coming version or the new table; at the instant every one does', async () => {
  const { app, at } = await setup();
  const before = await apiView(app);
  assert.deepEqual(before.navBe, ['t:07459'], 'the embargoed folder is not listed');
  assert.equal(before.navNy, 400);
  assert.equal(before.metaV1, 7);
  assert.equal(before.dataV1?.join(), '1.25');
  assert.equal(before.newV1, 400);
  assert.equal(before.newDataV1, 400);
  assert.deepEqual(before.searchV1, []);
  assert.deepEqual(before.searchV1b, []);
  assert.deepEqual(before.listV2, ['07459']);
  assert.deepEqual(before.metaV2, [3, 7]);
  assert.equal(before.dataV2?.join(), '1.25');
  assert.equal(before.newV2, 404);
  assert.notEqual(before.newDataV2, 200);
  assert.deepEqual(before.absentV1, ['as absent', 'as absent'], 'v1 answers as for a table that does not exist');
  assert.deepEqual(before.absentV2, ['as absent', 'as absent', 'as absent'], 'v2 answers as for a table that does not exist');
  assert.deepEqual(before.searchV2, []);

  at(RELEASE - 1);
  assert.deepEqual(await apiView(app), before, 'one millisecond before: the same answers (cached or not)');

  at(RELEASE);
  const after = await apiView(app);
  assert.deepEqual(after.navBe, ['l:ny', 't:07459']);
  assert.equal(after.navNy, 200);
  assert.equal(after.metaV1, 8, 'the cached v1 metadata of version 1 is not served');
  assert.equal(after.metaV1Title, before.metaV1Title?.replace('v1', 'v2'));
  assert.equal(after.dataV1?.join(), '2.25');
  assert.equal(after.newV1, 200);
  assert.equal(after.newDataV1, 200);
  assert.deepEqual(after.searchV1, ['13000']);
  assert.deepEqual(after.searchV1b, ['07459']);
  assert.deepEqual(after.listV2, ['07459', '13000']);
  assert.deepEqual(after.metaV2, [3, 8]);
  assert.equal(after.dataV2?.join(), '2.25');
  assert.equal(after.newV2, 200);
  assert.equal(after.newDataV2, 200);
  assert.deepEqual(after.absentV2, [200, 200, 200]);
  assert.deepEqual(after.searchV2, ['13000']);
  await app.close();
});

test('with warm-up the first data queries after the release read no cube from SQLite', async () => {
  const { app, store, at } = await setup();
  const sched = new ReleaseScheduler(store);
  const q = (id: string) =>
    app.inject({ method: 'POST', url: `/api/v0/no/table/${id}`, payload: JSON.stringify({ query: ALL(['V0', 'V1']), response: { format: 'csv' } }) });
  assert.equal((await q('07459')).statusCode, 200);
  assert.equal(store.cubeLoads, 1);
  at(RELEASE - 5 * MIN);
  const w = await sched.tick();
  assert.deepEqual(w.warmed.map((x) => `${x.id}@${x.version}`).sort(), ['07459@2', '13000@1']);
  assert.equal(store.cubeLoads, 3);
  at(RELEASE); // no tick: the store flips on its own, the warmed cubes are already there
  const a = await q('07459');
  const b = await q('13000');
  const c = await app.inject({ method: 'GET', url: '/api/v2/tables/07459/data?lang=no&valueCodes[V0]=*&valueCodes[V1]=*&outputFormat=csv' });
  assert.equal(a.statusCode, 200);
  assert.match(a.body, /2[.,]25/);
  assert.doesNotMatch(a.body, /1[.,]25/);
  assert.equal(b.statusCode, 200);
  assert.equal(c.statusCode, 200);
  assert.equal(store.cubeLoads, 3, 'no cube read from the file after the release');
  await app.close();
  store.close();
});
