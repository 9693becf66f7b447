// The PxWeb client against our own server over loopback HTTP, with limits small enough that queries are split
// and paced: the merged cube equals one direct query cell for cell, the server sees exactly the planned number
// of data calls and never more than maxCalls per window; 429 (with Retry-After) and 5xx answers from a fake
// server in front are retried as they should be.

import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PxWebClient, PxWebHttpError, SelectionError, classifyUrl, type FetchProgress, type Selection } from '../../src/client/index.js';
import type { Cube } from '../../src/core/model.js';
import type { Store } from '../../src/store/store.js';
import { assertSameCube, makeStore, maxInWindow, startServer, type TestServer } from './helpers.js';

let store: Store;
/** maxCells 50, 4 calls per second */
let limited: TestServer;
/** no limits: one call answers any query here */
let open: TestServer;

before(async () => {
  store = makeStore();
  limited = await startServer(store, { maxCells: 50, maxCalls: 4, timeWindow: 1 });
  open = await startServer(store, { maxCells: 1_000_000, maxCalls: 0 });
});

after(async () => {
  await limited.close();
  await open.close();
});

const isData = (method: string, url: string) => (method === 'POST' && /\/table\/07459$|\/data/.test(url)) || (method === 'GET' && /\/data\?/.test(url));

async function direct(api: 'v1' | 'v2', table: string, sel: Selection): Promise<Cube> {
  const c = api === 'v1' ? PxWebClient.v1(`${open.url}/api/v0`, { lang: 'en' }) : PxWebClient.v2(`${open.url}/api/v2`, { lang: 'en' });
  const p = await c.plan(table, sel);
  assert.equal(p.batches.length, 1, 'the direct query is one call');
  return c.fetchCube(table, sel);
}

test('v1: a query over the cell limit is split, paced under the rate limit and merged into the direct answer', async () => {
  const sel: Selection = { Region: '*', Alder: '*', Tid: 'top(4)' }; // Kjonn eliminated: 7 × 6 × 2 × 4 = 336 cells
  // a server of its own: no other test's calls in its window
  const limited = await startServer(store, { maxCells: 50, maxCalls: 4, timeWindow: 1 });
  after(() => limited.close());
  const client = PxWebClient.v1(`${limited.url}/api/v0`, { lang: 'en' });
  const plan = await client.plan('07459', sel);
  assert.equal(plan.limits.maxCells, 50);
  assert.equal(plan.plan.totalCells, 336);
  assert.ok(plan.batches.length > 1);
  for (const b of plan.batches) assert.ok(b.cells <= 50);

  const from = limited.log.length;
  const events: FetchProgress[] = [];
  const cube = await client.fetchCube('07459', sel, { onProgress: (e) => events.push(e) });
  const seen = limited.log.slice(from);
  assert.equal(seen.filter((r) => isData(r.method, r.url)).length, plan.batches.length, 'data calls = planned batches');
  assert.equal(seen.filter((r) => r.status === 429).length, 0, 'no call was refused');
  // the limiter counts everything but ?config
  const counted = seen.filter((r) => !r.url.includes('?config')).map((r) => r.at);
  assert.ok(maxInWindow(counted, 1000) <= 4, `at most 4 calls in any second (saw ${maxInWindow(counted, 1000)})`);
  assert.ok(events.some((e) => e.phase === 'wait'), 'the client waited for the window');
  const last = events.filter((e) => e.phase === 'batch').at(-1)!;
  assert.equal(last.batchesDone, plan.batches.length);
  assert.equal(last.cellsDone, 336);
  assert.equal(events.at(-1)!.phase, 'done');

  assertSameCube(cube, await direct('v1', '07459', sel), 'en');
  assert.equal(cube.meta.id, '07459');
  assert.deepEqual(cube.meta.variables.map((v) => v.code), ['Region', 'Alder', 'ContentsCode', 'Tid']);
  assert.ok(cube.status !== null, 'symbols came through');
});

test('v1: codes asked out of metadata order come back as the server orders them', async () => {
  const sel: Selection = { Region: ['1103', '0301', '03'], Kjonn: ['2', '1'], Tid: ['2024', '2016', '2020'] };
  const client = PxWebClient.v1(`${limited.url}/api/v0`, { lang: 'no' });
  const cube = await client.fetchCube('07459', sel);
  const want = await direct('v1', '07459', sel);
  assert.deepEqual(cube.meta.variables[0].values.map((v) => v.code), ['03', '0301', '1103']);
  assert.deepEqual(
    cube.meta.variables.map((v) => v.values.map((x) => x.code)),
    want.meta.variables.map((v) => v.values.map((x) => x.code)),
  );
  assert.deepEqual(Array.from(cube.values), Array.from(want.values));
});

test('v2 POST: request order, codelists, expressions and elimination survive the split', async () => {
  const sel: Selection = {
    Region: { codes: ['1108', '0301', '1101'], codelist: 'vs_Kommun' },
    Kjonn: ['2', '1'],
    ContentsCode: '*',
    Tid: ['from(2019)'],
  };
  const limited = await startServer(store, { maxCells: 50, maxCalls: 4, timeWindow: 1 });
  after(() => limited.close());
  const client = PxWebClient.v2(`${limited.url}/api/v2`, { lang: 'en' });
  const plan = await client.plan('07459', sel);
  assert.equal(plan.plan.totalCells, 3 * 2 * 2 * 6);
  const from = limited.log.length;
  const cube = await client.fetchCube('07459', sel);
  const seen = limited.log.slice(from);
  assert.equal(seen.filter((r) => r.method === 'POST' && r.url.includes('/data')).length, plan.batches.length);
  assert.equal(seen.filter((r) => r.status === 429).length, 0);
  assert.ok(maxInWindow(seen.filter((r) => !r.url.endsWith('/config')).map((r) => r.at), 1000) <= 4);
  const want = await direct('v2', '07459', sel);
  assertSameCube(cube, want, 'en');
  assert.deepEqual(cube.meta.variables[0].values.map((v) => v.code), ['1108', '0301', '1101']);
  assert.deepEqual(cube.meta.variables[1].values.map((v) => v.code), ['2', '1']);
});

test('v2 GET: data asked with valueCodes parameters, same cells', async () => {
  const sel: Selection = { Region: ['0', '03', '11'], Alder: ['000', '020', '050'], ContentsCode: ['Andel'], Tid: ['range(2016,2023)'] };
  const client = PxWebClient.v2(`${limited.url}/api/v2`, { lang: 'no', method: 'GET' });
  const from = limited.log.length;
  const cube = await client.fetchCube('07459', sel);
  const gets = limited.log.slice(from).filter((r) => r.method === 'GET' && r.url.includes('/data?'));
  assert.ok(gets.length > 1);
  assert.ok(gets.every((r) => r.url.includes('valueCodes[Tid]=')));
  const c = PxWebClient.v2(`${open.url}/api/v2`, { lang: 'no' });
  assertSameCube(cube, await c.fetchCube('07459', sel), 'no');
  // Andel has one decimal: the values keep it
  assert.ok(Array.from(cube.values).some((v) => !Number.isInteger(v)));
});

test('v2: a table without a contents variable (PxWeb adds a dimension for it, which the reader takes away)', async () => {
  const client = PxWebClient.v2(`${limited.url}/api/v2`, { lang: 'en', limits: { maxCells: 5 } });
  const cube = await client.fetchCube('03013', {});
  assert.deepEqual(cube.meta.variables.map((v) => v.code), ['Vare', 'Tid']);
  assert.deepEqual(Array.from(cube.values), Array.from((await store.getCube('03013')).values));
  assert.equal(cube.meta.unit?.en, 'NOK');
});

/** A server in front of `target` that may answer a request itself (return true when it did). */
async function proxy(target: string, intercept: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => boolean) {
  let dataCalls = 0;
  const times: { at: number; status: number; data: boolean }[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const data = isData(req.method ?? '', req.url ?? '');
    const entry = { at: Date.now(), status: 0, data };
    times.push(entry);
    if (data && intercept(req, res, dataCalls++)) {
      entry.status = res.statusCode;
      return;
    }
    const r = await fetch(target + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, body: chunks.length ? Buffer.concat(chunks) : undefined });
    entry.status = r.status;
    res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, times, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('a 429 with Retry-After is waited out before the call is repeated', async () => {
  const p = await proxy(open.url, (_req, res, n) => {
    if (n !== 1) return false;
    res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' });
    res.end('API calls quota exceeded!');
    return true;
  });
  try {
    const sel: Selection = { Region: ['0', '03', '11', '0301'], Tid: '*' };
    const client = PxWebClient.v2(`${p.url}/api/v2`, { lang: 'en', limits: { maxCells: 40 } });
    const plan = await client.plan('07459', sel);
    const events: FetchProgress[] = [];
    const cube = await client.fetchCube('07459', sel, { onProgress: (e) => events.push(e) });
    const data = p.times.filter((t) => t.data);
    assert.equal(data.length, plan.batches.length + 1, 'one repeated call');
    const refused = data.findIndex((t) => t.status === 429);
    assert.equal(refused, 1);
    assert.ok(data[refused + 1].at - data[refused].at >= 1000, `waited ${data[refused + 1].at - data[refused].at} ms`);
    const retry = events.find((e) => e.phase === 'retry');
    assert.equal(retry?.status, 429);
    assert.ok((retry?.waitMs ?? 0) >= 1000);
    assertSameCube(cube, await direct('v2', '07459', sel), 'en');
  } finally {
    await p.close();
  }
});

test('5xx answers are retried with backoff; when they go on the fetch fails with the status', async () => {
  const p = await proxy(open.url, (_req, res, n) => {
    if (n !== 0 && n !== 2) return false;
    res.writeHead(n === 0 ? 503 : 502, { 'content-type': 'text/plain' });
    res.end('busy');
    return true;
  });
  try {
    const sel: Selection = { Region: '*', Kjonn: '*', Tid: ['2020', '2021'] };
    const client = PxWebClient.v1(`${p.url}/api/v0`, { lang: 'en', limits: { maxCells: 30 }, backoffMs: 20 });
    const plan = await client.plan('07459', sel);
    const cube = await client.fetchCube('07459', sel);
    assert.equal(p.times.filter((t) => t.data).length, plan.batches.length + 2);
    assertSameCube(cube, await direct('v1', '07459', sel), 'en');
  } finally {
    await p.close();
  }
  const down = await proxy(open.url, (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('down');
    return true;
  });
  try {
    const client = PxWebClient.v2(`${down.url}/api/v2`, { retries: 2, backoffMs: 5 });
    await assert.rejects(client.fetchCube('07459', { Tid: ['2020'] }), (e: unknown) => e instanceof PxWebHttpError && e.status === 500);
    assert.equal(down.times.filter((t) => t.data).length, 3, 'first try and two retries');
  } finally {
    await down.close();
  }
});

test('a server that refuses a batch as too large gets the query again in smaller batches', async () => {
  const sel: Selection = { Region: '*', Alder: '*', Tid: ['2023', '2024'] }; // 168 cells
  for (const api of ['v1', 'v2'] as const) {
    const opts = { lang: 'en', limits: { maxCells: 10_000 } };
    const client = api === 'v1' ? PxWebClient.v1(`${limited.url}/api/v0`, opts) : PxWebClient.v2(`${limited.url}/api/v2`, opts);
    const events: FetchProgress[] = [];
    const cube = await client.fetchCube('07459', sel, { onProgress: (e) => events.push(e) });
    assert.ok(events.some((e) => e.phase === 'retry' && /planning with/.test(e.message ?? '')), api);
    assertSameCube(cube, await direct(api, '07459', sel), 'en');
  }
});

test('navigation, search and metadata on both APIs', async () => {
  const v1 = PxWebClient.v1(`${open.url}/api/v0`, { lang: 'en' });
  assert.deepEqual((await v1.databases()).map((d) => d.dbid), ['table']);
  const top = await v1.list();
  assert.deepEqual(top.map((n) => [n.id, n.type]), [['be', 'l'], ['pp', 'l']]);
  const be = await v1.list('be');
  assert.equal(be[0].id, '07459');
  assert.equal(be[0].type, 't');
  const hits = await v1.search('population');
  assert.ok(hits.some((h) => h.id === '07459'));
  const m1 = await v1.metadata('07459');
  assert.deepEqual(m1.variables.map((v) => [v.code, v.elimination, v.time]), [
    ['Region', true, false],
    ['Kjonn', true, false],
    ['Alder', true, false],
    ['ContentsCode', false, false],
    ['Tid', false, true],
  ]);
  assert.equal(m1.variables[0].values?.[1].label, 'Oslo (county)');

  const v2 = PxWebClient.v2(`${open.url}/api/v2`, { lang: 'en' });
  const page = await v2.tables();
  assert.deepEqual(page.tables.map((t) => t.id).sort(), ['03013', '07459']);
  assert.ok((await v2.search('prices')).some((t) => t.id === '03013'));
  const m2 = await v2.metadata('07459');
  assert.ok(m2.variables[0].codelists?.some((c) => c.id === 'vs_Fylker'));
  assert.equal(m2.variables[4].time, true);
  assert.equal(m2.variables[3].contents, true);
  const under = await v2.metadata('07459', { Region: 'vs_Fylker' });
  assert.deepEqual(under.variables[0].values?.map((v) => v.code), ['03', '11']);
});

test('selections that cannot work fail before any data call', async () => {
  const client = PxWebClient.v2(`${open.url}/api/v2`, { lang: 'en' });
  await assert.rejects(client.plan('07459', { Fylke: ['03'] }), SelectionError);
  await assert.rejects(client.plan('07459', { Region: ['9999'] }), SelectionError);
  await assert.rejects(client.plan('07459', { Tid: [] }), SelectionError);
  await assert.rejects(client.plan('07459', { Tid: ['top(0)'] }), SelectionError);
  // v1 knows no codelist values: expressions under one are refused, explicit codes are fine
  const v1 = PxWebClient.v1(`${open.url}/api/v0`, { lang: 'en' });
  await assert.rejects(v1.plan('07459', { Region: { codes: ['*'], codelist: 'vs_Fylker' } }), SelectionError);
  const cube = await v1.fetchCube('07459', { Region: { codes: ['03', '11'], codelist: 'vs:Fylker' }, Tid: ['2024'] });
  assert.deepEqual(cube.meta.variables[0].values.map((v) => v.code), ['03', '11']);
});

test('URLs are told apart by their shape', () => {
  const v2 = classifyUrl('https://data.example.org/api/pxwebapi/v2/tables/07459/data?lang=en&valueCodes[Region]=0301,1103&valueCodes[Tid]=[top(3)]&codelist[Region]=vs_Kommun');
  assert.equal(v2?.client.api, 'v2');
  assert.equal(v2?.tableId, '07459');
  assert.deepEqual(v2?.selection, { Region: { codes: ['0301', '1103'], codelist: 'vs_Kommun' }, Tid: { codes: ['top(3)'], codelist: undefined } });
  assert.equal((v2?.client as { base: string }).base, 'https://data.example.org/api/pxwebapi/v2');
  const v1 = classifyUrl('https://api.example.se/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy');
  assert.equal(v1?.client.api, 'v1');
  assert.equal(v1?.tableId, 'BE/BE0101/BE0101A/BefolkningNy');
  assert.equal((v1?.client as { root: string; lang: string }).root, 'https://api.example.se/OV0104/v1/doris');
  assert.equal((v1?.client as { lang: string }).lang, 'sv');
  assert.equal(classifyUrl('https://example.org/'), null);
  assert.throws(() => classifyUrl('not a url'));
  assert.throws(() => classifyUrl('ftp://example.org/api/v2/tables/1'));
});

test('calls running side by side still keep to the rate limit', async () => {
  const server = await startServer(store, { maxCells: 20, maxCalls: 3, timeWindow: 1 });
  try {
    const client = PxWebClient.v2(`${server.url}/api/v2`, { lang: 'en', concurrency: 3 });
    const sel: Selection = { Region: '*', Kjonn: '*', Tid: ['2022', '2023', '2024'] };
    const plan = await client.plan('07459', sel);
    const from = server.log.length;
    const cube = await client.fetchCube('07459', sel);
    const seen = server.log.slice(from);
    assert.equal(seen.filter((r) => r.status === 429).length, 0);
    assert.ok(maxInWindow(seen.filter((r) => !r.url.endsWith('/config')).map((r) => r.at), 1000) <= 3);
    assert.equal(seen.filter((r) => r.url.includes('/data')).length, plan.batches.length);
    assertSameCube(cube, await direct('v2', '07459', sel), 'en');
  } finally {
    await server.close();
  }
});

test('a server answering garbage ends the fetch with a clear error', async () => {
  const answers: [number, string, RegExp][] = [
    [200, '<html>oops</html>', /did not answer JSON/],
    [200, '{"class":"dataset","id":["Region"],"size":[2],"dimension":{},"value":[1,2]}', /not described/],
    [200, '{"version":"2.0","class":"dataset","id":[],"size":[],"dimension":{},"value":[1]}', /variables/],
    [404, '{"error":"Parameter error"}', /404/],
  ];
  for (const [status, body, re] of answers) {
    const p = await proxy(open.url, (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
      return true;
    });
    try {
      const client = PxWebClient.v1(`${p.url}/api/v0`, { lang: 'en', retries: 0 });
      await assert.rejects(client.fetchCube('07459', { Region: ['0', '03'], Tid: ['2024'] }), (e: Error) => re.test(e.message), body);
    } finally {
      await p.close();
    }
  }
});
