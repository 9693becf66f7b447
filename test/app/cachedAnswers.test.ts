// A cached answer is sent without checking its selection again: the answer was only cached once the selection had
// been resolved on that very version. Watched through the table's metadata: resolving a selection reads the
// variables, a cache hit never does. Bad selections still answer 400, and a new version is checked afresh.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { createAppContext } from '../../src/app/context.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import type { TableMeta } from '../../src/core/model.js';
import { stamped } from '../store/cubes.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-cached-answers-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Count reads of `variables` on this metadata object from now on. */
function watchVariables(meta: TableMeta): { reads: number } {
  const seen = { reads: 0 };
  const variables = meta.variables;
  Object.defineProperty(meta, 'variables', {
    configurable: true,
    enumerable: true,
    get() {
      seen.reads++;
      return variables;
    },
  });
  return seen;
}

test('v1 and v2 answer a cached query without resolving its selection; bad selections and new versions are checked', async () => {
  const store = openSqliteStore(join(dir, 'a.db'));
  const cube = (k: number) => {
    const c = stamped('t', [3, 4], k);
    c.meta.decimals = 2;
    return c;
  };
  store.putTable(cube(1));
  const ctx = createAppContext({ store, config: loadConfig({ maxCalls: 0 }, {}) });
  const app = await buildApp(ctx, { logger: false });
  const v2 = '/api/v2/tables/t/data?lang=en&valueCodes[V0]=000,001&valueCodes[V1]=*&outputFormat=json-stat2';
  const v1 = {
    method: 'POST' as const,
    url: '/api/v0/en/table/t',
    payload: JSON.stringify({
      query: [{ code: 'V0', selection: { filter: 'item', values: ['002'] } }, { code: 'V1', selection: { filter: 'all', values: ['*'] } }],
      response: { format: 'json-stat2' },
    }),
  };
  const seen = watchVariables(store.getTable('t')!.meta);

  const first2 = await app.inject({ url: v2 });
  const first1 = await app.inject(v1);
  assert.equal(first2.statusCode, 200, first2.body);
  assert.equal(first1.statusCode, 200, first1.body);
  assert.ok(seen.reads > 0, 'the first answers resolve their selections');

  seen.reads = 0;
  const again2 = await app.inject({ url: v2 });
  const again1 = await app.inject(v1);
  assert.equal(again2.statusCode, 200);
  assert.equal(again1.statusCode, 200);
  assert.equal(again2.body, first2.body);
  assert.equal(again1.body, first1.body);
  assert.equal(again2.headers.etag, first2.headers.etag);
  assert.equal(seen.reads, 0, 'a cached answer is sent as it is');

  // a selection never answered is still checked, every time
  for (let i = 0; i < 2; i++) {
    const bad2 = await app.inject({ url: '/api/v2/tables/t/data?lang=en&valueCodes[V0]=999&valueCodes[V1]=*' });
    assert.equal(bad2.statusCode, 400, bad2.body);
    const bad1 = await app.inject({ ...v1, payload: JSON.stringify({ query: [{ code: 'V0', selection: { filter: 'item', values: ['999'] } }], response: { format: 'json-stat2' } }) });
    assert.equal(bad1.statusCode, 400, bad1.body);
  }

  // a new version: the same queries are resolved on its metadata, and answer its figures
  store.putTable(cube(2));
  const seen2 = watchVariables(store.getTable('t')!.meta);
  const new2 = await app.inject({ url: v2 });
  const new1 = await app.inject(v1);
  assert.equal(new2.statusCode, 200);
  assert.equal(new1.statusCode, 200);
  assert.ok(seen2.reads > 0, 'the new version checks the selections again');
  assert.deepEqual([...new Set((JSON.parse(new2.body) as { value: (number | null)[] }).value.filter((v) => v !== null))], [2.25]);
  assert.deepEqual([...new Set((JSON.parse(new1.body) as { value: (number | null)[] }).value.filter((v) => v !== null))], [2.25]);

  await app.close();
  await ctx.close();
  store.close();
});
