// Cell limit (403), rate limit (429), query timeout (503), the response cache, and POST bodies with every
// Content-Type over real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkAgainstCube, item, makeApp, makeStore, query, readJsonStat2 } from './helpers.js';
import type { Store } from '../../src/store/store.js';
import { SlidingWindowRateLimiter } from '../../src/app/rateLimit.js';
import { ResponseCache } from '../../src/app/responseCache.js';
import { build07459 } from '../query/cube07459.js';

const URL = '/api/v0/no/table/07459';

test('cell limit: above maxCells answers 403 Too many values selected; eliminated variables count as 1', async () => {
  const { store } = makeStore();
  const app = await makeApp(store, { maxCells: 20 });
  try {
    // 2 sexes x 10 years = 20 cells: allowed
    const ok = await app.inject({ method: 'POST', url: URL, payload: query([['Region', 'item', ['0']], ['Kjonn', 'all', ['*']]]) });
    assert.equal(ok.statusCode, 200);
    // 3 regions x 10 years = 30 cells
    const big = await app.inject({ method: 'POST', url: URL, payload: query([['Region', 'item', ['0', '03', '11']]]) });
    assert.equal(big.statusCode, 403);
    assert.equal(big.headers['content-type'], 'application/json');
    assert.equal(big.body, '{"error":"Too many values selected"}');
  } finally {
    await app.close();
  }
});

test('rate limiter: sliding window, rejected calls count too', () => {
  let now = 0;
  const rl = new SlidingWindowRateLimiter({ maxCalls: 2, timeWindow: 10, now: () => now });
  assert.equal(rl.hit('a').allowed, true);
  assert.equal(rl.hit('a').allowed, true);
  now = 1000;
  const denied = rl.hit('a');
  assert.equal(denied.allowed, false);
  assert.equal(denied.retryAfter, 9);
  assert.equal(rl.hit('b').allowed, true, 'clients are counted apart');
  now = 10_500; // the two calls at 0 left the window; the refused one at 1000 still counts
  assert.equal(rl.hit('a').allowed, true);
  now = 10_600;
  assert.equal(rl.hit('a').allowed, false);
  now = 100_000;
  rl.sweep();
  assert.equal(rl.clients, 0);
  const off = new SlidingWindowRateLimiter({ maxCalls: 0, timeWindow: 10 });
  for (let i = 0; i < 100; i++) assert.equal(off.hit('x').allowed, true);
});

test('rate limit over HTTP: 429 with the PxWeb body and Retry-After; ?config never counts', async () => {
  const { store } = makeStore();
  const app = await makeApp(store, { maxCalls: 3, timeWindow: 60, clientIpHeader: 'x-forwarded-for' });
  try {
    const h = { 'x-forwarded-for': '10.0.0.1' };
    for (let i = 0; i < 5; i++) {
      const c = await app.inject({ method: 'GET', url: '/api/v0/no/table/?config', headers: h });
      assert.equal(c.statusCode, 200);
    }
    for (let i = 0; i < 3; i++) assert.equal((await app.inject({ method: 'GET', url: URL, headers: h })).statusCode, 200);
    const r = await app.inject({ method: 'POST', url: URL, payload: '{"query":[]}', headers: h });
    assert.equal(r.statusCode, 429);
    assert.equal(r.body, '{"error":"429 - Too many requests in too short timeframe. Please try again later."}');
    assert.equal(r.headers['retry-after'], '60');
    assert.equal(r.headers['content-type'], 'application/json');
    // still limited, but ?config answers; another client is not limited
    assert.equal((await app.inject({ method: 'GET', url: '/api/v0/no?config', headers: h })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: URL, headers: { 'x-forwarded-for': '10.0.0.2, 10.9.9.9' } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: URL, headers: h })).statusCode, 429);
  } finally {
    await app.close();
  }
});

function slowStore(store: Store, ms: number, counter?: { n: number }): Store {
  return {
    ...store,
    async getCube(id: string) {
      if (counter) counter.n++;
      await new Promise((r) => setTimeout(r, ms));
      return store.getCube(id);
    },
  };
}

test('a query slower than queryTimeoutMs answers 503', async () => {
  const { store } = makeStore();
  const app = await makeApp(slowStore(store, 200), { queryTimeoutMs: 20 });
  try {
    const r = await app.inject({ method: 'POST', url: URL, payload: '{"query":[]}' });
    assert.equal(r.statusCode, 503);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.ok(JSON.parse(r.body).error);
  } finally {
    await app.close();
  }
  const fast = await makeApp(slowStore(store, 1), { queryTimeoutMs: 5000 });
  try {
    assert.equal((await fast.inject({ method: 'POST', url: URL, payload: '{"query":[]}' })).statusCode, 200);
  } finally {
    await fast.close();
  }
});

test('response cache: a repeated query is served from memory until the table changes', async () => {
  const { store, cube } = makeStore();
  const counter = { n: 0 };
  const app = await makeApp(slowStore(store, 0, counter));
  try {
    const body = query([['Region', 'item', ['0301']], ['Tid', 'top', ['1']]]);
    const a = await app.inject({ method: 'POST', url: URL, payload: body });
    const b = await app.inject({ method: 'POST', url: URL, payload: body });
    assert.equal(a.statusCode, 200);
    assert.equal(b.body, a.body);
    assert.equal(b.headers['content-type'], a.headers['content-type']);
    assert.equal(counter.n, 1, 'the second answer came from the cache');
    checkAgainstCube(cube, readJsonStat2(b.body), [item('0301'), { elim: ['1', '2'] }, { elim: cube.meta.variables[2].values.map((v) => v.code) }, item('Personer1'), item('2024')]);
    // a different body is a different key
    await app.inject({ method: 'POST', url: URL, payload: body.replace('0301', '1103') });
    assert.equal(counter.n, 2);
    // publishing a new version (one more year) invalidates: top 1 now answers 2025
    const next = build07459({ withSymbols: true, lastYear: 2025 });
    store.putTable(next, { folders: ['be/be01'] });
    const c = await app.inject({ method: 'POST', url: URL, payload: body });
    assert.equal(counter.n, 3);
    assert.deepEqual(readJsonStat2(c.body).codes.at(-1), ['2025']);
  } finally {
    await app.close();
  }
});

test('ResponseCache: LRU by bytes, oversized entries skipped', () => {
  const c = new ResponseCache({ maxBytes: 1000, maxEntryBytes: 300 });
  const entry = (n: number) => ({ status: 200, headers: { 'content-type': 'x' }, body: Buffer.alloc(n) });
  assert.equal(c.set('a', entry(250)), true);
  assert.equal(c.set('b', entry(250)), true);
  assert.equal(c.set('big', entry(301)), false);
  assert.ok(c.get('a'));
  assert.equal(c.set('c', entry(250)), true);
  assert.equal(c.set('d', entry(250)), true); // over budget: the least recently used ("b") goes
  assert.equal(c.get('b'), undefined);
  assert.ok(c.get('a'));
  assert.ok(c.bytes <= 1000);
  assert.notEqual(ResponseCache.key('POST', '/x', '{}', 1), ResponseCache.key('POST', '/x', '{}', 2));
  assert.notEqual(ResponseCache.key('POST', '/x', '{"a":1}', 1), ResponseCache.key('POST', '/x', '{"a":2}', 1));
  const off = new ResponseCache({ maxBytes: 0 });
  assert.equal(off.set('a', entry(1)), false);
});

function rawPost(port: number, path: string, body: string, headers: Record<string, string>, chunked = false): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const h: Record<string, string | number> = { ...headers };
    if (!chunked) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: h }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(parts).toString('utf8') }));
    });
    req.on('error', reject);
    if (chunked) {
      req.write(body.slice(0, 10));
      req.write(body.slice(10));
    } else req.write(body);
    req.end();
  });
}

test('POST bodies are read as JSON whatever the Content-Type (real HTTP)', async () => {
  const { store, cube } = makeStore();
  const app = await makeApp(store);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (app.server.address() as AddressInfo).port;
    const body = query([['Region', 'item', ['1103']], ['Kjonn', 'item', ['2']], ['Tid', 'item', ['2020']]], 'json-stat2');
    const expect = [item('1103'), item('2'), { elim: cube.meta.variables[2].values.map((v) => v.code) }, item('Personer1'), item('2020')];
    const variants: [Record<string, string>, boolean][] = [
      [{}, false],
      [{}, true],
      [{ 'content-type': 'text/plain;charset=UTF-8' }, false],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, false],
      [{ 'content-type': 'application/json' }, false],
      [{ 'content-type': 'application/json; charset=utf-8' }, true],
      [{ 'content-type': 'application/octet-stream' }, false],
    ];
    for (const [headers, chunked] of variants) {
      const r = await rawPost(port, '/api/v0/no/table/07459/', body, headers, chunked);
      assert.equal(r.status, 200, `${JSON.stringify(headers)} chunked=${chunked}: ${r.body}`);
      checkAgainstCube(cube, readJsonStat2(r.body), expect);
    }
    // fetch with a string body (text/plain), as jsonstat-toolkit posts
    const f = await fetch(`http://127.0.0.1:${port}/api/v0/no/table/07459`, { method: 'POST', body });
    assert.equal(f.status, 200);
    checkAgainstCube(cube, readJsonStat2(await f.text()), expect);
    // a bad body with no Content-Type is still a JSON 400
    const bad = await rawPost(port, '/api/v0/no/table/07459', '{"query":', {});
    assert.equal(bad.status, 400);
    assert.equal(bad.body, '{"error":"Parameter error"}');
  } finally {
    await app.close();
  }
});
