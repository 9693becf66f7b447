// Saved-query storage: the in-memory and SQLite implementations behave alike, stored queries cannot be changed
// through returned objects, ids are GUIDs, and a server on a SQLite database keeps saved queries across restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemorySavedQueryStore, isSavedQueryId, type SavedQueryStore } from '../../src/savedQueries/savedQueries.js';
import { openSqliteSavedQueryStore } from '../../src/savedQueries/sqliteSavedQueries.js';
import { openStore } from '../../src/store/index.js';
import { loadConfig } from '../../src/app/config.js';
import { buildApp } from '../../src/server/app.js';
import { build03024 } from './cubes.js';

const input = () => ({
  tableId: '03024',
  language: 'en',
  outputFormat: 'csv',
  outputFormatParams: ['UseTexts', 'SeparatorSemicolon'],
  selection: { selection: [{ variableCode: 'Tid', valueCodes: ['top(3)'] }], placement: { heading: ['Tid'], stub: [] } },
});

function exercise(store: SavedQueryStore, name: string) {
  const a = store.create(input());
  const b = store.create(input());
  assert.ok(isSavedQueryId(a.id), name);
  assert.notEqual(a.id, b.id, name);
  assert.match(a.created, /^\d{4}-\d{2}-\d{2}T/);
  const got = store.get(a.id)!;
  assert.deepEqual({ ...got, created: undefined }, { ...input(), id: a.id, created: undefined }, name);
  (got.selection as { selection: unknown[] }).selection.length = 0; // mutate the copy
  got.outputFormatParams.push('IncludeTitle');
  assert.deepEqual(store.get(a.id)!.selection, input().selection, `${name}: stored copy unchanged`);
  assert.deepEqual(store.get(a.id)!.outputFormatParams, input().outputFormatParams);
  for (const bad of ['', '../x', 'a/b', "x' OR '1'='1", 'nope']) assert.equal(store.get(bad), undefined, `${name}: ${bad}`);
}

test('memory and SQLite stores', () => {
  exercise(createMemorySavedQueryStore(), 'memory');
  const dir = mkdtempSync(join(tmpdir(), 'sq-'));
  try {
    const path = join(dir, 'db.sqlite');
    const s = openSqliteSavedQueryStore(path);
    exercise(s, 'sqlite');
    const id = s.create(input()).id;
    s.close();
    const again = openSqliteSavedQueryStore(path);
    assert.equal(again.get(id)?.tableId, '03024');
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a server on a SQLite database keeps saved queries in it across restarts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sq-app-'));
  const dbPath = join(dir, 'statbank.db');
  const config = loadConfig({ dbPath, baseUrl: 'http://x', maxCalls: 0, logLevel: 'silent' }, {});
  try {
    let store = openStore(dbPath);
    store.putTable(build03024());
    let app = await buildApp({ store, config }, { logger: false });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v2/savedqueries',
      payload: JSON.stringify({
        ...input(),
        selection: { selection: [{ variableCode: 'VareGrupper2', valueCodes: ['*'] }, { variableCode: 'ContentsCode', valueCodes: ['Vekt'] }, { variableCode: 'Tid', valueCodes: ['top(3)'] }] },
      }),
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = JSON.parse(created.body).id as string;
    const first = await app.inject({ url: `/api/v2/savedqueries/${id}/data` });
    await app.close();
    store.close();

    store = openStore(dbPath);
    app = await buildApp({ store, config }, { logger: false });
    const r = await app.inject({ url: `/api/v2/savedqueries/${id}` });
    assert.equal(r.statusCode, 200);
    assert.equal(JSON.parse(r.body).savedQuery.tableId, '03024');
    const data = await app.inject({ url: `/api/v2/savedqueries/${id}/data` });
    assert.equal(data.statusCode, 200);
    assert.equal(data.body, first.body);
    await app.close();
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
