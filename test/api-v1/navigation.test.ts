// Navigation, database list, metadata, short table URLs, ?config, search, CORS and path errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { HAVE_SHARED, SHARED, makeApp, makeStore } from './helpers.js';
import { simpleCube } from '../query/cube07459.js';
import type { Store } from '../../src/store/store.js';

let app: FastifyInstance;
let store: Store;

before(async () => {
  store = makeStore().store;
  store.putFolder('tr', { no: 'Transport', en: 'Transport' });
  store.putFolder('tr/tr01', { no: 'Veitransport', en: 'Road transport' });
  store.putFolder('tr/tr01/kilt', { no: 'Kostnadsindeks', en: 'Cost index' });
  store.putTable(
    simpleCube(
      '12535',
      '12535: Totalkostnadsindeks for lastebiltransport, etter kostnadsart og måned',
      [
        { code: 'Kostnad', label: 'kostnadsart', values: [['170', 'Drivstoff'], ['180', 'Lønn']] },
        { code: 'Tid', label: 'måned', values: [['2024M01', '2024M01'], ['2024M02', '2024M02']], time: true },
      ],
      { matrix: 'Kilt01' },
    ),
    { folders: ['tr/tr01/kilt', 'be'], published: '2025-01-10T07:00:00.000Z' },
  );
  app = await makeApp(store);
});
after(() => app.close());

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

test('database list on both prefixes', async () => {
  for (const [url, text] of [
    ['/api/v0/no', 'Statistikkbanken etter emne'],
    ['/api/v0/en/', 'StatBank by subject'],
    ['/api/v1/no', 'Statistikkbanken etter emne'],
  ]) {
    const r = await get(url);
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.body, JSON.stringify([{ dbid: 'table', text }]));
  }
});

test('navigation: folders then tables, PxWeb keys and order, node ids, time spans', async () => {
  const root = JSON.parse((await get('/api/v0/no/table/')).body);
  assert.deepEqual(root.map((x: { id: string }) => x.id), ['be', 'tom', 'tr']);
  for (const x of root) assert.deepEqual(Object.keys(x), ['id', 'type', 'text']);
  assert.equal(root[0].type, 'l');
  assert.equal(root[0].text, 'Befolkning');
  const en = JSON.parse((await get('/api/v0/en/table')).body);
  assert.equal(en[0].text, 'Population');

  const be = JSON.parse((await get('/api/v0/no/table/be')).body);
  assert.deepEqual(be.map((x: { id: string; type: string }) => `${x.type}:${x.id}`), ['l:be01', 't:Kilt01']);
  const kilt = be[1];
  assert.deepEqual(Object.keys(kilt), ['id', 'type', 'text', 'updated']);
  assert.equal(kilt.text, '12535: Totalkostnadsindeks for lastebiltransport, etter kostnadsart og måned 2024M01 - 2024M02');
  assert.equal(kilt.updated, '2025-01-10T07:00:00');

  const be01 = JSON.parse((await get('/api/v0/no/table/be/be01/')).body);
  assert.equal(be01.length, 1);
  assert.equal(be01[0].id, '07459');
  assert.match(be01[0].text, /^07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år 2015 - 2024$/);
  assert.match(be01[0].updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);

  // the course's walk: tr -> tr01 -> kilt -> Kilt01 (table 12535)
  const trail = ['tr', 'tr/tr01', 'tr/tr01/kilt'];
  const expectIds = ['tr01', 'kilt', 'Kilt01'];
  for (let i = 0; i < trail.length; i++) {
    const list = JSON.parse((await get(`/api/v0/no/table/${trail[i]}`)).body);
    assert.deepEqual(list.map((x: { id: string }) => x.id), [expectIds[i]]);
  }
});

test('navigation shape matches the real levels fixture (pxweb R)', { skip: !HAVE_SHARED }, async () => {
  const fixture = JSON.parse(readFileSync(join(SHARED, 'fixtures/clients/pxweb-r/rda-as-json/px_levels_example__px_levels.json'), 'utf8'));
  const ours = JSON.parse((await get('/api/v0/no/table/be')).body);
  const theirTable = fixture.find((x: { type: string }) => x.type === 't');
  const ourTable = ours.find((x: { type: string }) => x.type === 't');
  assert.deepEqual(Object.keys(ourTable), Object.keys(theirTable));
  assert.match(theirTable.updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  assert.match(theirTable.text, /\d{4} - \d{4}$/);
});

test('metadata: title then variables, PxWeb key order, flags only when true', async () => {
  const r = await get('/api/v0/no/table/07459');
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  const m = JSON.parse(r.body);
  assert.deepEqual(Object.keys(m), ['title', 'variables']);
  assert.equal(m.title, '07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år');
  const keys = m.variables.map((v: object) => Object.keys(v).join(','));
  assert.deepEqual(keys, [
    'code,text,values,valueTexts,elimination,map',
    'code,text,values,valueTexts,elimination',
    'code,text,values,valueTexts,elimination',
    'code,text,values,valueTexts',
    'code,text,values,valueTexts,time',
  ]);
  const region = m.variables[0];
  assert.equal(region.elimination, true);
  assert.equal(region.text, 'region');
  assert.deepEqual(region.values.slice(0, 2), ['0', '03']);
  assert.deepEqual(region.valueTexts.slice(0, 2), ['Hele landet', 'Oslo (fylke)']);
  for (const v of m.variables) assert.equal(v.values.length, v.valueTexts.length);
  const en = JSON.parse((await get('/api/v0/en/table/07459')).body);
  assert.equal(en.variables[1].valueTexts[1], 'Females');
  assert.equal(en.variables[4].text, 'year');
});

test('metadata shape matches the SSB fixture', { skip: !HAVE_SHARED }, async () => {
  const fixture = JSON.parse(readFileSync(join(SHARED, 'fixtures/pxweb/v1/ssb-real/dapla_fake_get_table_meta.json'), 'utf8'));
  const ours = JSON.parse((await get('/api/v0/no/table/07459')).body);
  assert.deepEqual(Object.keys(ours), Object.keys(fixture));
  const contentsTheirs = fixture.variables.find((v: { code: string }) => v.code === 'ContentsCode');
  const contentsOurs = ours.variables.find((v: { code: string }) => v.code === 'ContentsCode');
  assert.deepEqual(Object.keys(contentsOurs), Object.keys(contentsTheirs));
  const timeTheirs = fixture.variables.find((v: { time?: boolean }) => v.time);
  const timeOurs = ours.variables.find((v: { time?: boolean }) => v.time);
  assert.deepEqual(Object.keys(timeOurs), Object.keys(timeTheirs));
});

test('maxValues drops values and valueTexts of long variables', async () => {
  const small = await makeApp(store, { maxValues: 5 });
  try {
    const m = JSON.parse((await small.inject({ method: 'GET', url: '/api/v0/no/table/07459' })).body);
    const byCode = Object.fromEntries(m.variables.map((v: { code: string }) => [v.code, v]));
    assert.deepEqual(Object.keys(byCode.Region), ['code', 'text', 'elimination', 'map']);
    assert.deepEqual(Object.keys(byCode.Alder), ['code', 'text', 'elimination']);
    assert.deepEqual(byCode.Kjonn.values, ['1', '2']);
    const cfg = JSON.parse((await small.inject({ method: 'GET', url: '/api/v0/no?config' })).body);
    assert.equal(cfg.maxValues, 5);
  } finally {
    await small.close();
  }
});

test('a table by full path, by id alone and by node id; case-sensitive', async () => {
  const ok = [
    '/api/v0/no/table/07459',
    '/api/v0/no/table/be/be01/07459',
    '/api/v0/no/table/12535',
    '/api/v0/no/table/Kilt01',
    '/api/v0/no/table/tr/tr01/kilt/Kilt01',
    '/api/v0/no/table/tr/tr01/kilt/12535/',
    '/api/v1/en/table/be/be01/07459',
    '/api/v0/no/table/07459?query=region',
  ];
  for (const url of ok) {
    const r = await get(url);
    assert.equal(r.statusCode, 200, url);
    assert.ok(JSON.parse(r.body).variables, url);
  }
  const bad = ['/api/v0/no/table/be/07459', '/api/v0/no/table/kilt01', '/api/v0/no/table/BE', '/api/v0/no/table/tr/tr01/nope', '/api/v0/no/table/nope/07459'];
  for (const url of bad) {
    const r = await get(url);
    assert.equal(r.statusCode, 400, url);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(r.body), { error: 'Parameter error' }, url);
  }
  // a malformed percent escape is refused before routing, still in the v1 error shape
  const r = await get('/api/v0/no/table/%E0%A4%A');
  assert.equal(r.statusCode, 400);
  assert.deepEqual(JSON.parse(r.body), { error: 'Parameter error' });
});

test('path and method errors', async () => {
  const cases: [string, string, number][] = [
    ['GET', '/api/v0/xx/table/', 400],
    ['GET', '/api/v0/NO/table/', 400],
    ['GET', '/api/v0/no/ssd/', 400],
    ['GET', '/api/v0', 404],
    ['GET', '/api/v0/', 404],
    ['GET', '/api/v0/no/table/tom', 400],
    ['POST', '/api/v0/no/table/be', 400],
    ['POST', '/api/v0/no', 400],
    ['PUT', '/api/v0/no/table/07459', 400],
    ['DELETE', '/api/v0/no/table/07459', 400],
  ];
  for (const [method, url, status] of cases) {
    const r = await app.inject({ method: method as 'GET', url, payload: method === 'GET' ? undefined : '{"query":[]}' });
    assert.equal(r.statusCode, status, `${method} ${url}`);
    assert.deepEqual(JSON.parse(r.body), { error: 'Parameter error' });
  }
});

// this app runs with the rate limit off: ?config then reports a huge maxCalls (R pxweb needs >= 1)
// PxWeb's five keys exactly as Statistics Norway writes them, then Statbank's admission limits
const CONFIG =
  '{"maxValues":50000,"maxCells":800000,"maxCalls":2147483647,"timeWindow":60,"CORS":true,' +
  '"heavyAnswerBytes":4194304,"maxHeavyAnswers":2,"maxHeavyPerClient":2,"maxHeavyQueue":32,"queryTimeoutSeconds":60}';

test('?config on every path (exact token), in PxWeb key order', async () => {
  for (const url of [
    '/api/v0/no/?config',
    '/api/v0/en/table/?config',
    '/api/v0/no/table/07459?config',
    '/api/v0/no/table/be/be01?config',
    '/api/v0/xx/whatever/nope?config',
    '/api/v1/en/table/?prettyprint=true&config',
  ]) {
    const r = await get(url);
    assert.equal(r.statusCode, 200, url);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.body, CONFIG, url);
  }
  const post = await app.inject({ method: 'POST', url: '/api/v0/no/table/07459?config', payload: 'garbage' });
  assert.equal(post.body, CONFIG);
  // not the exact token: handled as a normal request
  const notConfig = await get('/api/v0/no/table/07459?config=1');
  assert.ok(JSON.parse(notConfig.body).variables);
  const notConfig2 = await get('/api/v0/no/?configx');
  assert.ok(JSON.parse(notConfig2.body)[0].dbid);
});

test('search on a folder: subtree only, paths relative to it, PxWeb keys', async () => {
  const r = await get('/api/v0/no/table/?query=kostnadsart');
  assert.equal(r.statusCode, 200);
  const hits = JSON.parse(r.body);
  // the table sits in two folders: one hit per folder
  assert.deepEqual(hits.map((h: { path: string }) => h.path).sort(), ['/be', '/tr/tr01/kilt']);
  for (const h of hits) {
    assert.deepEqual(Object.keys(h), ['id', 'path', 'title', 'score', 'published']);
    assert.equal(h.id, 'Kilt01');
    assert.equal(typeof h.score, 'number');
    assert.equal(h.published, '2025-01-10T07:00:00');
  }
  const scoped = JSON.parse((await get('/api/v0/no/table/tr/tr01/?query=kostnadsart')).body);
  assert.deepEqual(scoped.map((h: { path: string }) => h.path), ['/kilt']);
  const none = JSON.parse((await get('/api/v0/no/table/be/be01?query=kostnadsart')).body);
  assert.deepEqual(none, []);
  const words = JSON.parse((await get('/api/v0/no/table/?query=alder%20kj%C3%B8nn')).body);
  assert.deepEqual(words.map((h: { id: string }) => h.id), ['07459']);
  const plus = JSON.parse((await get('/api/v0/no/table/?query=title:befolkning+OR+title:lastebiltransport')).body);
  assert.equal(plus.length, 3);
  const bad = await get('/api/v0/no/table/?query=(unbalanced');
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(JSON.parse(bad.body), { error: 'Parameter error' });
  const filtered = JSON.parse((await get('/api/v0/no/table/?query=drivstoff&filter=title')).body);
  assert.deepEqual(filtered, []);
});

test('search answers a bounded list, best first (searchResultLimit, as PxWeb\'s result list length)', async () => {
  const all = JSON.parse((await get('/api/v0/no/table/?query=title:befolkning+OR+title:lastebiltransport')).body) as { id: string; score: number }[];
  const tables = [...new Set(all.map((h) => h.id))];
  assert.equal(tables.length, 2);
  const limited = await makeApp(store, { searchResultLimit: 1 });
  try {
    const one = JSON.parse((await limited.inject({ method: 'GET', url: '/api/v0/no/table/?query=title:befolkning+OR+title:lastebiltransport' })).body) as { id: string; score: number }[];
    // one table (with one hit per folder it sits in): the best-scored one
    assert.deepEqual([...new Set(one.map((h) => h.id))], [tables[0]]);
    assert.ok(one.every((h) => h.score === Math.max(...all.map((x) => x.score))));
  } finally {
    await limited.close();
  }
});

test('CORS: header on every answer, OPTIONS preflight; off when configured', async () => {
  const r = await get('/api/v0/no/table/');
  assert.equal(r.headers['access-control-allow-origin'], '*');
  const e = await get('/api/v0/xx');
  assert.equal(e.headers['access-control-allow-origin'], '*');
  const o = await app.inject({ method: 'OPTIONS', url: '/api/v0/no/table/07459', headers: { origin: 'http://x.example', 'access-control-request-method': 'POST' } });
  assert.equal(o.statusCode, 200);
  assert.equal(o.headers['access-control-allow-methods'], 'GET, POST');
  assert.equal(o.headers['access-control-allow-headers'], 'Content-Type');
  assert.equal(o.body, '');
  const off = await makeApp(store, { cors: false });
  try {
    const r2 = await off.inject({ method: 'GET', url: '/api/v0/no/table/' });
    assert.equal(r2.headers['access-control-allow-origin'], undefined);
    assert.equal(JSON.parse((await off.inject({ method: 'GET', url: '/api/v0/no?config' })).body).CORS, false);
  } finally {
    await off.close();
  }
});

test('prettyprint=true indents JSON answers', async () => {
  const r = await get('/api/v0/no/table/?prettyprint=true');
  assert.match(r.body, /^\[\n  \{\n    "id": "be"/);
});
