// One saved-query store for the whole application: a query saved through any route is readable through every
// other route (PxWebApi 2.0 /savedqueries and the Statbank pages /statbank/sq), on every store adapter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { generateDemo } from '../../src/demo/index.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';

async function roundTrips(app: FastifyInstance): Promise<void> {
  // saved through the Statbank pages (a v1 query) ...
  const page = await app.inject({
    method: 'POST',
    url: '/statbank/sq',
    payload: JSON.stringify({
      tableId: '07459',
      language: 'en',
      query: [
        { code: 'Region', selection: { filter: 'item', values: ['0301'] } },
        { code: 'Tid', selection: { filter: 'top', values: ['2'] } },
      ],
      response: { format: 'csv2' },
    }),
  });
  assert.equal(page.statusCode, 201, page.body);
  const pageId = page.json().id as string;
  // ... is a PxWebApi 2.0 saved query
  const v2 = await app.inject({ method: 'GET', url: `/api/v2/savedqueries/${pageId}` });
  assert.equal(v2.statusCode, 200, v2.body);
  assert.equal(v2.json().savedQuery.tableId, '07459');
  const v2data = await app.inject({ method: 'GET', url: `/api/v2/savedqueries/${pageId}/data?outputFormat=csv` });
  assert.equal(v2data.statusCode, 200, v2data.body);

  // saved through PxWebApi 2.0 ...
  const made = await app.inject({
    method: 'POST',
    url: '/api/v2/savedqueries',
    payload: JSON.stringify({
      tableId: '07459',
      language: 'no',
      selection: { selection: [{ variableCode: 'Region', valueCodes: ['1103'] }, { variableCode: 'Tid', valueCodes: ['top(3)'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }] },
      outputFormat: 'csv',
      outputFormatParams: [],
    }),
  });
  assert.equal(made.statusCode, 201, made.body);
  const v2Id = made.json().id as string;
  // ... is readable as a Statbank page: its text, its selection and its data agree
  const text = await app.inject({ method: 'GET', url: `/statbank/sq/${v2Id}.txt` });
  assert.equal(text.statusCode, 200, text.body);
  assert.match(text.body, /07459/);
  const sel = await app.inject({ method: 'GET', url: `/statbank/sq/${v2Id}?select` });
  assert.equal(sel.statusCode, 200, sel.body);
  const tid = sel.json().variables.find((v: { code: string }) => v.code === 'Tid');
  assert.equal(tid.values.length, 3, 'top(3) picks three years');
  const data = await app.inject({ method: 'GET', url: `/statbank/sq/${v2Id}.json-stat2` });
  assert.equal(data.statusCode, 200, data.body);
  assert.deepEqual(data.json().size.reduce((a: number, b: number) => a * b, 1) > 0, true);
}

function demoOn(store: Store): Store {
  generateDemo(store, { small: true });
  return store;
}

test('memory store: saved anywhere, read everywhere', async () => {
  const app = await buildApp({ store: demoOn(createMemoryStore()), config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}) }, { logger: false });
  try {
    await roundTrips(app);
  } finally {
    await app.close();
  }
});

test('SQLite store: saved anywhere, read everywhere, and still there after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-sq-'));
  const path = join(dir, 'db.sqlite');
  try {
    const store = demoOn(openStore(path));
    const config = loadConfig({ maxCalls: 0, logLevel: 'silent' }, {});
    let app = await buildApp({ store, config }, { logger: false });
    await roundTrips(app);
    const made = await app.inject({
      method: 'POST',
      url: '/api/v2/savedqueries',
      payload: JSON.stringify({ tableId: '07459', language: 'en', selection: { selection: [] }, outputFormat: 'px', outputFormatParams: [] }),
    });
    const id = made.json().id as string;
    await app.close();
    app = await buildApp({ store, config }, { logger: false });
    assert.equal((await app.inject({ method: 'GET', url: `/statbank/sq/${id}.txt` })).statusCode, 200);
    await app.close();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
