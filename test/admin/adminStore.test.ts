// One contract for the AdminStore port, run against the memory, SQLite and PostgreSQL adapters: documents (get,
// list in creation order, put replaces in place, insertNew claims once, also when racing, delete), logs (append
// order, newest first, paging) and that nothing a caller holds is shared with the store.

import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createMemoryAdminStore, type AdminStore } from '../../src/admin/adminStore.js';
import { openSqliteAdminStore } from '../../src/admin/sqliteAdminStore.js';
import { openPostgresAdminStore } from '../../src/admin/postgresAdminStore.js';
import { pgSkip, startPgCluster, type PgCluster } from '../store/pgCluster.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-adminstore-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function contract(name: string, open: () => Promise<{ a: AdminStore; b: AdminStore; done: () => Promise<void> }>, skip: string | false = false) {
  describe(`AdminStore contract: ${name}`, { skip }, () => {
    test('documents: get, list in creation order, replace in place, delete', async () => {
      const { a, done } = await open();
      try {
        assert.equal(await a.get('hook', 'x'), undefined);
        await a.put('hook', 'x', { n: 1 });
        await a.put('hook', 'y', { n: 2 });
        await a.put('other', 'x', { n: 9 });
        await a.put('hook', 'x', { n: 3 });
        assert.deepEqual(await a.get('hook', 'x'), { n: 3 });
        assert.deepEqual(await a.list('hook'), [{ n: 3 }, { n: 2 }]);
        assert.equal(await a.delete('hook', 'x'), true);
        assert.equal(await a.delete('hook', 'x'), false);
        assert.deepEqual(await a.list('hook'), [{ n: 2 }]);
        assert.deepEqual(await a.list('other'), [{ n: 9 }]);
        const held = { deep: { v: 1 } };
        await a.put('hook', 'z', held);
        held.deep.v = 2;
        const got = await a.get<{ deep: { v: number } }>('hook', 'z');
        assert.equal(got?.deep.v, 1);
        got!.deep.v = 5;
        assert.equal((await a.get<{ deep: { v: number } }>('hook', 'z'))?.deep.v, 1);
      } finally {
        await done();
      }
    });

    test('insertNew claims a key once, across two connections racing for it', async () => {
      const { a, b, done } = await open();
      try {
        assert.equal(await a.insertNew('delivery', 'h|t@1', { by: 'a' }), true);
        assert.equal(await b.insertNew('delivery', 'h|t@1', { by: 'b' }), false);
        assert.deepEqual(await b.get('delivery', 'h|t@1'), { by: 'a' });
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).insertNew('delivery', 'race', { i })));
        assert.equal(results.filter(Boolean).length, 1);
      } finally {
        await done();
      }
    });

    test('logs: sequence numbers increase, read newest first, paged with before and limit', async () => {
      const { a, b, done } = await open();
      try {
        const seqs: number[] = [];
        for (let i = 0; i < 5; i++) seqs.push(await (i % 2 ? b : a).append('audit', { i }));
        await a.append('elsewhere', { i: 99 });
        assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]));
        const all = await b.readLog<{ i: number }>('audit');
        assert.deepEqual(all.map((e) => e.entry.i), [4, 3, 2, 1, 0]);
        const page = await a.readLog<{ i: number }>('audit', { before: all[1].seq, limit: 2 });
        assert.deepEqual(page.map((e) => e.entry.i), [2, 1]);
        assert.deepEqual(await a.readLog('none'), []);
      } finally {
        await done();
      }
    });
  });
}

contract('memory', async () => {
  const a = createMemoryAdminStore();
  return { a, b: a, done: () => a.close() };
});

let files = 0;
contract('sqlite', async () => {
  const path = join(dir, `a${files++}.db`);
  const a = openSqliteAdminStore(path);
  const b = openSqliteAdminStore(path);
  return { a, b, done: async () => (await a.close(), await b.close()) };
});

let cluster: PgCluster | undefined;
after(() => cluster?.stop());
contract(
  'postgres',
  async () => {
    cluster ??= await startPgCluster();
    const url = await cluster.freshDb();
    const p1 = new pg.Pool({ connectionString: url, max: 3 });
    const p2 = new pg.Pool({ connectionString: url, max: 3 });
    return { a: openPostgresAdminStore(p1), b: openPostgresAdminStore(p2), done: async () => (await p1.end(), await p2.end()) };
  },
  pgSkip,
);
