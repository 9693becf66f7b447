// What a CDN and a hostile client meet at the edge: ETag/Last-Modified with 304s, cache lifetimes that end before a
// table's next scheduled release, absolute links only from trusted hosts, bodies that trickle in are cut off, and a
// full disk answers 507 without losing anything.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type AppConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { createMemorySavedQueryStore, type SavedQueryStore } from '../../src/savedQueries/savedQueries.js';
import type { Store } from '../../src/store/store.js';
import { build07459 } from '../query/cube07459.js';

function storeWithTable(now: () => number): Store {
  const store = createMemoryStore({ now });
  store.putTable(build07459(), { folders: [], published: '2025-02-21T07:00:00Z' });
  return store;
}

async function app(store: Store, overrides: Partial<AppConfig> = {}, savedQueries?: SavedQueryStore) {
  return buildApp({ store, config: loadConfig({ maxCalls: 0, logLevel: 'silent', ...overrides }, {}), savedQueries }, { logger: false });
}

const URLS = ['/api/v2/tables/07459', '/api/v2/tables/07459/metadata', '/api/v2/tables/07459/data?lang=no', '/api/v0/no/table/07459'];

test('ETag and Last-Modified on metadata and data; If-None-Match and If-Modified-Since give 304', async () => {
  const a = await app(storeWithTable(Date.now));
  try {
    for (const url of URLS) {
      const first = await a.inject({ method: 'GET', url });
      assert.equal(first.statusCode, 200, url);
      const etag = first.headers.etag as string;
      assert.match(etag, /^"07459-v1-[\w-]+"$/, url);
      assert.equal(first.headers['last-modified'], new Date('2025-02-21T07:00:00Z').toUTCString());
      const again = await a.inject({ method: 'GET', url, headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304, url);
      assert.equal(again.body, '');
      const since = await a.inject({ method: 'GET', url, headers: { 'if-modified-since': first.headers['last-modified'] as string } });
      assert.equal(since.statusCode, 304, url);
      const other = await a.inject({ method: 'GET', url, headers: { 'if-none-match': '"something-else"' } });
      assert.equal(other.statusCode, 200, url);
    }
    // another request on the same table has another tag
    const t1 = (await a.inject({ method: 'GET', url: URLS[2] })).headers.etag;
    const t2 = (await a.inject({ method: 'GET', url: '/api/v2/tables/07459/data?lang=en' })).headers.etag;
    assert.notEqual(t1, t2);
  } finally {
    await a.close();
  }
});

test('a new version changes the ETag; cache lifetimes never outlive the next scheduled release', async () => {
  let now = Date.parse('2026-03-01T06:00:00Z');
  const store = storeWithTable(() => now);
  const a = await app(store, { cacheMaxAge: 3600 });
  try {
    const before = await a.inject({ method: 'GET', url: URLS[0] });
    assert.match(String(before.headers['cache-control']), /s-maxage=\d+/);
    const lifetime = (cc: string) => {
      const s = Number(/s-maxage=(\d+)/.exec(cc)?.[1] ?? 0);
      const swr = Number(/stale-while-revalidate=(\d+)/.exec(cc)?.[1] ?? 0);
      return s + swr;
    };
    assert.equal(lifetime(String(before.headers['cache-control'])), 3600);
    // a release at 08:00 local (07:00Z), 10 minutes from now
    store.scheduleTable(build07459({ lastYear: 2026 }), { releaseAt: '2026-03-01T06:10:00Z' });
    const during = await a.inject({ method: 'GET', url: URLS[1] });
    const cc = String(during.headers['cache-control']);
    assert.ok(lifetime(cc) <= 600 && lifetime(cc) > 0, cc);
    assert.ok(Number(/max-age=(\d+)/.exec(cc)?.[1]) <= 600, cc);
    const oldTag = during.headers.etag;
    now = Date.parse('2026-03-01T06:10:00Z');
    const after = await a.inject({ method: 'GET', url: URLS[1], headers: { 'if-none-match': String(oldTag) } });
    assert.equal(after.statusCode, 200, 'the old tag no longer matches after the release');
    assert.match(String(after.headers.etag), /^"07459-v2-/);
  } finally {
    await a.close();
  }
});

test('absolute links come from the base URL or a trusted host, never from an arbitrary Host header', async () => {
  const a = await app(storeWithTable(Date.now), { port: 8080, host: '0.0.0.0' });
  try {
    const evil = await a.inject({ method: 'GET', url: '/api/v2/tables/07459', headers: { host: 'evil.example' } });
    assert.ok(!evil.body.includes('evil.example'));
    assert.ok(evil.body.includes('http://localhost:8080/api/v2/tables/07459'));
    const rss = await a.inject({ method: 'GET', url: '/rss/updated', headers: { host: 'evil.example' } });
    assert.ok(!rss.body.includes('evil.example'));
    const local = await a.inject({ method: 'GET', url: '/api/v2/tables/07459', headers: { host: 'localhost:9999' } });
    assert.ok(local.body.includes('http://localhost:9999/api/v2/'));
  } finally {
    await a.close();
  }
  const trusted = await app(storeWithTable(Date.now), { trustedHosts: ['data.example.org'] });
  try {
    const r = await trusted.inject({ method: 'GET', url: '/api/v2/tables/07459', headers: { host: 'data.example.org' } });
    assert.ok(r.body.includes('http://data.example.org/api/v2/tables/07459'));
  } finally {
    await trusted.close();
  }
  const based = await app(storeWithTable(Date.now), { baseUrl: 'https://stat.example/' });
  try {
    const r = await based.inject({ method: 'GET', url: '/api/v2/tables/07459', headers: { host: 'localhost' } });
    assert.ok(r.body.includes('https://stat.example/api/v2/tables/07459'));
  } finally {
    await based.close();
  }
});

test('a body that trickles in is cut off after the body timeout', async () => {
  const a = await app(storeWithTable(Date.now), { bodyTimeoutMs: 500 });
  await a.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (a.server.address() as AddressInfo).port;
    const closed = await new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write('POST /api/v0/no/table/07459 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{');
        // one byte now and then, never the whole body
        const drip = setInterval(() => sock.write(' '), 100);
        let got = '';
        sock.on('data', (d) => (got += d.toString()));
        sock.on('close', () => {
          clearInterval(drip);
          resolve(got);
        });
        sock.on('error', (e) => {
          clearInterval(drip);
          if ((e as NodeJS.ErrnoException).code === 'ECONNRESET' || (e as NodeJS.ErrnoException).code === 'EPIPE') resolve(got);
          else reject(e);
        });
      });
    });
    // the server ended the connection, with a 408 when it could still answer
    assert.ok(closed === '' || /^HTTP\/1\.1 408/.test(closed), closed.slice(0, 80));
  } finally {
    await a.close();
  }
});

test('a full disk answers 507 with a clear message on every saved-query write, and the store is unharmed', async () => {
  const inner = createMemorySavedQueryStore();
  let full = true;
  const flaky: SavedQueryStore = {
    async create(q, id) {
      if (full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return inner.create(q, id);
    },
    get: (id) => inner.get(id),
    close: () => inner.close(),
  };
  const a = await app(storeWithTable(Date.now), {}, flaky);
  try {
    const v2 = await a.inject({
      method: 'POST',
      url: '/api/v2/savedqueries',
      payload: JSON.stringify({ tableId: '07459', language: 'no', selection: { selection: [] }, outputFormat: 'csv', outputFormatParams: [] }),
    });
    assert.equal(v2.statusCode, 507, v2.body);
    assert.match(v2.json().detail, /storage full/);
    const page = await a.inject({
      method: 'POST',
      url: '/statbank/sq',
      payload: JSON.stringify({ tableId: '07459', language: 'no', query: [], response: { format: 'csv' } }),
    });
    assert.equal(page.statusCode, 507, page.body);
    assert.match(page.json().error, /storage full/);
    full = false;
    const ok = await a.inject({
      method: 'POST',
      url: '/statbank/sq',
      payload: JSON.stringify({ tableId: '07459', language: 'no', query: [], response: { format: 'csv' } }),
    });
    assert.equal(ok.statusCode, 201);
  } finally {
    await a.close();
  }
});
