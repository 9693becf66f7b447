// App-level behaviour: health, and errors raised before routing answer in each API's own error shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';

async function app() {
  return buildApp({ store: createMemoryStore(), config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}) }, { logger: false });
}

test('/healthz answers ok', async () => {
  const a = await app();
  try {
    const r = await a.inject({ method: 'GET', url: '/healthz' });
    assert.equal(r.statusCode, 200);
    const body = r.json();
    assert.equal(body.status, 'ok');
    // the load it reports is the admission controller's: nothing running or waiting on an idle server
    assert.equal(body.admission.running, 0);
    assert.equal(body.admission.waiting, 0);
  } finally {
    await a.close();
  }
});

test('a malformed percent escape answers 400 in the API error shape', async () => {
  const a = await app();
  try {
    const v1 = await a.inject({ method: 'GET', url: '/api/v0/no/table/%E0%A4%A' });
    assert.equal(v1.statusCode, 400);
    assert.deepEqual(JSON.parse(v1.body), { error: 'Parameter error' });
    const v2 = await a.inject({ method: 'GET', url: '/api/v2/tables/%E0%A4%A' });
    assert.equal(v2.statusCode, 400);
    assert.equal(JSON.parse(v2.body).status, 400);
    assert.match(String(v2.headers['content-type']), /^application\/json; charset=utf-8/);
  } finally {
    await a.close();
  }
});

test('settings: environment overrides defaults, explicit overrides win, bad numbers are refused', () => {
  const cfg = loadConfig({ port: 9000 }, { PORT: '7000', STATBANK_MAX_CELLS: '1234', STATBANK_CORS: 'false' });
  assert.equal(cfg.port, 9000);
  assert.equal(cfg.maxCells, 1234);
  assert.equal(cfg.cors, false);
  assert.throws(() => loadConfig({}, { STATBANK_MAX_CELLS: 'lots' }), /not a number/);
});
