// The Store contract: the behaviour every adapter of the Store port shares (SQLite, in-memory, PostgreSQL).
// Each adapter's test file calls storeContract() with how to open a fresh store and how to finish with it.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/store.js';
import { StoreError } from '../../src/store/index.js';
import { cube } from './cubes.js';

export interface ContractAdapter<S extends Store = Store> {
  /** A fresh, empty store. */
  open(): S | Promise<S>;
  /** Done with a store (close it, or wait for its writes). */
  done(s: S): void | Promise<void>;
}

export function storeContract<S extends Store>(name: string, adapter: ContractAdapter<S>): void {
  describe(`Store contract (${name})`, () => {
    test('put and get a table: record, cube, listing', async () => {
      const s = await adapter.open();
      s.putFolder('be', { no: 'Befolkning', en: 'Population' });
      const c = cube('07459', [3, 4, 5], (i) => i * 1.5);
      c.status = new Uint8Array(60);
      c.status[7] = 8;
      c.values[7] = 0;
      const rec = s.putTable(c, { folders: ['be'], shortName: 'folkemengde', published: '2025-02-20T07:00:00Z' });
      assert.equal(rec.version, 1);
      assert.equal(rec.cells, 60);
      assert.deepEqual(rec.folders, ['be']);
      assert.equal(rec.shortName, 'folkemengde');
      assert.equal(rec.published, '2025-02-20T07:00:00Z');
      assert.deepEqual(s.getTable('07459')?.meta, c.meta);
      const back = await s.getCube('07459');
      assert.deepEqual(back.values, c.values);
      assert.deepEqual(back.status, c.status);
      assert.deepEqual(back.meta, c.meta);
      assert.deepEqual(s.listTables().map((t) => t.id), ['07459']);
      await adapter.done(s);
    });

    test('folders: parents must exist, children are folders then tables, each in sort order', async () => {
      const s = await adapter.open();
      assert.equal(s.getFolder('')?.path, '');
      assert.throws(() => s.putFolder('be/be01', { no: 'x' }), /parent/);
      s.putFolder('be', { no: 'Befolkning' }, '2');
      s.putFolder('al', { no: 'Arbeid' }, '1');
      s.putFolder('be/be02', { no: 'B' }, 'b');
      s.putFolder('be/be01', { no: 'A' }, 'a');
      s.putFolder('be/be01', { no: 'A2', en: 'A2' }); // relabel keeps the sort key
      assert.deepEqual(s.getFolder('/be/be01/'), { path: 'be/be01', id: 'be01', label: { no: 'A2', en: 'A2' }, sort: 'a' });
      s.putTable(cube('Z1', [2], (i) => i), { folders: ['be'] });
      s.putTable(cube('A1', [2], (i) => i), { folders: ['be', 'al'] });
      s.putTable(cube('a1', [2], (i) => i), { folders: ['be'] });
      const kids = s.listChildren('be').map((c) => (c.kind === 'folder' ? `f:${c.folder.id}` : `t:${c.table.id}`));
      assert.deepEqual(kids, ['f:be01', 'f:be02', 't:A1', 't:Z1', 't:a1']);
      assert.deepEqual(s.listChildren('').map((c) => (c.kind === 'folder' ? c.folder.id : c.table.id)), ['al', 'be']);
      assert.deepEqual(s.listChildren('al').map((c) => c.kind === 'table' && c.table.id), ['A1']);
      assert.deepEqual(s.listChildren('nope'), []);
      assert.throws(() => s.putTable(cube('X', [1], () => 1), { folders: ['missing'] }), /does not exist/);
      await adapter.done(s);
    });

    test('versions increment; options are kept unless given; ids are case-sensitive', async () => {
      const s = await adapter.open();
      s.putFolder('pp', { no: 'Priser' });
      const r1 = s.putTable(cube('kpi', [2], () => 1), { folders: ['pp'], shortName: 'kpi', discontinued: false });
      const r2 = s.putTable(cube('kpi', [3], () => 2));
      assert.equal(r2.version, r1.version + 1);
      assert.deepEqual(r2.folders, ['pp']);
      assert.equal(r2.shortName, 'kpi');
      assert.equal(r2.discontinued, false);
      assert.ok(Date.parse(r2.published) > Date.now() - 60_000, 'published defaults to now');
      const r3 = s.putTable(cube('KPI', [1], () => 3));
      assert.equal(r3.version, 1);
      assert.deepEqual([...(await s.getCube('kpi')).values], [2, 2, 2]);
      assert.deepEqual([...(await s.getCube('KPI')).values], [3]);
      assert.deepEqual([...(await s.getCube('kpi', { version: 1 })).values], [1, 1]);
      assert.equal(s.deleteTable('kpi'), true);
      assert.equal(s.deleteTable('kpi'), false);
      assert.equal(s.getTable('kpi'), undefined);
      await assert.rejects(s.getCube('kpi'));
      const r4 = s.putTable(cube('kpi', [1], () => 4));
      assert.ok(r4.version > r2.version, 'a re-created table never reuses a version');
      await adapter.done(s);
    });

    test('what the caller does to its objects after putTable changes nothing', async () => {
      const s = await adapter.open();
      const c = cube('t', [4], (i) => i);
      s.putTable(c);
      c.values[0] = 99;
      c.meta.title.no = 'changed';
      const back = await s.getCube('t');
      assert.equal(back.values[0], 0);
      assert.equal(back.meta.title.no, 't');
      assert.equal(s.getTable('t')?.meta.title.no, 't');
      await adapter.done(s);
    });

    test('garbage ids and cubes: undefined, rejection or StoreError, never a crash', async () => {
      const s = await adapter.open();
      s.putTable(cube('ok', [2], (i) => i));
      for (const id of [undefined, null, 42, {}, '', 'OK', '../ok', 'ok ', '\u0000']) {
        assert.equal(s.getTable(id as string), undefined);
        await assert.rejects(s.getCube(id as string), StoreError);
        assert.equal(s.deleteTable(id as string), false);
        assert.deepEqual(s.listChildren(id as string), []);
      }
      assert.equal(s.getFolder(7 as unknown as string), undefined);
      const bad: unknown[] = [
        null,
        'cube',
        {},
        { meta: { id: 'x', variables: [] }, values: [1], status: null },
        { ...cube('x', [2], () => 1), values: new Float64Array(3) },
        { ...cube('x', [2], () => 1), status: new Uint8Array(1) },
        { ...cube('x', [2], () => 1), status: [0, 0] },
        cube('a/b', [1], () => 1),
        cube('', [1], () => 1),
        (() => {
          const c = cube('x', [2, 2], () => 1);
          c.meta.variables[1].code = 'V0';
          return c;
        })(),
        (() => {
          const c = cube('x', [2], () => 1);
          c.meta.variables[0].values[1].code = c.meta.variables[0].values[0].code;
          return c;
        })(),
      ];
      for (const b of bad) assert.throws(() => s.putTable(b as never), StoreError);
      assert.throws(() => s.putTable(cube('x', [1], () => 1), { published: 'yesterday' }), StoreError);
      assert.throws(() => s.putFolder('a', 'label' as never), StoreError);
      assert.throws(() => s.putFolder(5 as never, {}), StoreError);
      assert.deepEqual(s.listTables().map((t) => t.id), ['ok']);
      await adapter.done(s);
    });

    test('listReleases: versions released at a scheduled time, newest release first, at most limit', async () => {
      const s = await adapter.open();
      s.putTable(cube('a', [2], (i) => i)); // published when stored: no release time, not in the history
      s.scheduleTable(cube('a', [2], (i) => i + 1), { releaseAt: '2020-01-02T07:00:00Z' }); // a time past: out now
      s.scheduleTable(cube('b', [2], (i) => i), { releaseAt: '2020-01-03T07:00:00Z' });
      s.scheduleTable(cube('a', [2], (i) => i + 2), { releaseAt: '2099-01-01T07:00:00Z' }); // under embargo
      assert.deepEqual(
        s.listReleases(10).map((v) => [v.id, v.version, v.releaseAt, v.current, v.pending]),
        [
          ['b', 1, '2020-01-03T07:00:00.000Z', true, false],
          ['a', 2, '2020-01-02T07:00:00.000Z', true, false],
        ],
      );
      assert.deepEqual(s.listReleases(1).map((v) => v.id), ['b']);
      assert.deepEqual(s.listReleases(0), []);
      assert.deepEqual(s.listReleases(Number.NaN), []);
      // one table's history: the same rule, that table only
      assert.deepEqual(s.listReleases(10, 'a').map((v) => [v.id, v.version]), [['a', 2]]);
      assert.deepEqual(s.listReleases(10, 'nosuch'), []);
      await adapter.done(s);
    });

    test('tableChanges: the tables a cursor has not seen changing, each once; null without a cursor', async () => {
      const s = await adapter.open();
      const start = s.tableChanges();
      assert.equal(start.ids, null);
      s.putTable(cube('a', [2], (i) => i));
      s.putTable(cube('b', [2], (i) => i));
      s.putTable(cube('a', [2], (i) => i + 1));
      const next = s.tableChanges(start.seq);
      assert.deepEqual([...(next.ids ?? [])].sort(), ['a', 'b']);
      assert.deepEqual(s.tableChanges(next.seq).ids, []);
      s.deleteTable('b');
      assert.deepEqual(s.tableChanges(next.seq).ids, ['b']);
      await adapter.done(s);
    });
  });
}
