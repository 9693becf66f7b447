// Serving the built web app (src/server/webApp.ts): files as they are, index.html for the app's own paths,
// no way out of the app folder, a clear page when the app is not built, and its place in the real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { webApp } from '../../src/server/webApp.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/index.js';

let dir: string;
let outside: string;
let app: FastifyInstance;
const INDEX = '<!doctype html><title>app</title><script type="module" src="/statbank/assets/index-abc.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

before(async () => {
  const parent = mkdtempSync(join(tmpdir(), 'statbank-webapp-'));
  dir = join(parent, 'dist');
  outside = join(parent, 'secret.txt');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc.js'), SCRIPT);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(outside, 'secret');
  app = Fastify({ logger: false });
  await app.register(webApp, { dir });
  await app.ready();
});
after(async () => {
  await app.close();
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

test('deep links of the app get index.html with a content security policy', async () => {
  for (const url of ['/statbank/', '/statbank/table/07459', '/statbank/browse/tr/tr01/kilt', '/statbank/console?table=07459', '/statbank/list/kpi']) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.body, INDEX, url);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(String(res.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(res.headers['cache-control'], 'no-cache');
  }
});

test('/statbank redirects to /statbank/ keeping the query; / opens the app', async () => {
  const res = await app.inject({ method: 'GET', url: '/statbank?lang=en' });
  assert.equal(res.statusCode, 302);
  assert.equal(res.headers.location, '/statbank/?lang=en');
  const root = await app.inject({ method: 'GET', url: '/' });
  assert.equal(root.statusCode, 302);
  assert.equal(root.headers.location, '/statbank/');
});

test('assets: their type, a year of caching, gzip when asked, 304 on a matching ETag', async () => {
  const res = await app.inject({ method: 'GET', url: '/statbank/assets/index-abc.js' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.body, SCRIPT);
  assert.match(String(res.headers['content-type']), /^text\/javascript/);
  assert.match(String(res.headers['cache-control']), /max-age=31536000/);
  const gz = await app.inject({ method: 'GET', url: '/statbank/assets/index-abc.js', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gunzipSync(gz.rawPayload).toString(), SCRIPT);
  assert.ok(gz.rawPayload.length < SCRIPT.length);
  const again = await app.inject({ method: 'GET', url: '/statbank/assets/index-abc.js', headers: { 'if-none-match': String(res.headers.etag) } });
  assert.equal(again.statusCode, 304);
  const svg = await app.inject({ method: 'GET', url: '/statbank/favicon.svg' });
  assert.equal(svg.headers['content-type'], 'image/svg+xml');
});

test('a missing asset is a 404, not the page', async () => {
  const res = await app.inject({ method: 'GET', url: '/statbank/assets/nope-123.js' });
  assert.equal(res.statusCode, 404);
  assert.doesNotMatch(res.body, /<title>app/);
});

test('no path leads out of the app folder', async () => {
  for (const url of ['/statbank/..%2fsecret.txt', '/statbank/%2e%2e/secret.txt', '/statbank/assets/..%2F..%2Fsecret.txt', '/statbank/%2Fetc%2Fpasswd', '/statbank/%00', '/statbank/%E0%A4%A']) {
    const res = await app.inject({ method: 'GET', url });
    assert.ok(res.statusCode === 200 || res.statusCode === 404 || res.statusCode === 400, `${url}: ${res.statusCode}`);
    assert.notEqual(res.body, 'secret', url);
    assert.doesNotMatch(res.body, /root:/, url);
  }
});

test('an app that is not built answers 503 with what to run', async () => {
  const bare = Fastify({ logger: false });
  await bare.register(webApp, { dir: join(dir, 'missing') });
  const res = await bare.inject({ method: 'GET', url: '/statbank/table/07459' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /npm run build/);
  await bare.close();
});

test('the real server serves the app next to the APIs (STATBANK_WEB_DIR)', async () => {
  const before = process.env.STATBANK_WEB_DIR;
  process.env.STATBANK_WEB_DIR = dir;
  const server = await buildApp({ store: createMemoryStore(), config: loadConfig({ maxCalls: 0, logLevel: 'warn' }, {}) }, { logger: false });
  try {
    const page = await server.inject({ method: 'GET', url: '/statbank/table/07459' });
    assert.equal(page.body, INDEX);
    const apiRes = await server.inject({ method: 'GET', url: '/api/v2/config' });
    assert.equal(apiRes.statusCode, 200);
    assert.equal(typeof (JSON.parse(apiRes.body) as { maxDataCells: number }).maxDataCells, 'number');
  } finally {
    await server.close();
    if (before === undefined) delete process.env.STATBANK_WEB_DIR;
    else process.env.STATBANK_WEB_DIR = before;
  }
});
