// The Store contract, run against both adapters (SQLite and in-memory), plus SQLite specifics:
// reopen, a second connection, atomic replace under concurrent reads, the cache bound, corrupt files.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openStore, StoreError } from '../../src/store/index.js';
import { cube, stamped, stampOf } from './cubes.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-store-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `t${n++}.db`);

const adapters: [string, () => Store][] = [
  ['sqlite', () => openSqliteStore(dbPath(), { chunkBytes: 1000 })],
  ['memory', () => createMemoryStore()],
];

for (const [name, open] of adapters) {
  describe(`Store contract (${name})`, () => {
    test('put and get a table: record, cube, listing', async () => {
      const s = open();
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
      s.close();
    });

    test('folders: parents must exist, children are folders then tables, each in sort order', () => {
      const s = open();
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
      s.close();
    });

    test('versions increment; options are kept unless given; ids are case-sensitive', async () => {
      const s = open();
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
      assert.equal(s.deleteTable('kpi'), true);
      assert.equal(s.deleteTable('kpi'), false);
      assert.equal(s.getTable('kpi'), undefined);
      await assert.rejects(s.getCube('kpi'));
      const r4 = s.putTable(cube('kpi', [1], () => 4));
      assert.ok(r4.version > r2.version, 'a re-created table never reuses a version');
      s.close();
    });

    test('what the caller does to its objects after putTable changes nothing', async () => {
      const s = open();
      const c = cube('t', [4], (i) => i);
      s.putTable(c);
      c.values[0] = 99;
      c.meta.title.no = 'changed';
      const back = await s.getCube('t');
      assert.equal(back.values[0], 0);
      assert.equal(back.meta.title.no, 't');
      assert.equal(s.getTable('t')?.meta.title.no, 't');
      s.close();
    });

    test('garbage ids and cubes: undefined, rejection or StoreError, never a crash', async () => {
      const s = open();
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
      s.close();
    });
  });
}

test('sqlite: reopening after close keeps folders, records, versions and cells', async () => {
  const path = dbPath();
  const a = openStore(path, { chunkBytes: 100 });
  a.putFolder('', { no: 'Statistikkbanken', en: 'Statbank' });
  a.putFolder('tr', { no: 'Transport', en: 'Transport' }, '09');
  const c = stamped('12535', [5, 7, 9], 3);
  a.putTable(stamped('12535', [5, 7, 9], 2), { folders: ['tr'], shortName: 'kilt', published: '2024-01-01T00:00:00Z', discontinued: true });
  const rec = a.putTable(c, { published: '2024-02-01T00:00:00Z' });
  a.close();
  assert.throws(() => a.getTable('12535'), /closed/);
  const b = openStore(path);
  assert.deepEqual(b.getFolder(''), { path: '', id: '', label: { no: 'Statistikkbanken', en: 'Statbank' }, sort: '' });
  assert.deepEqual(b.getFolder('tr'), { path: 'tr', id: 'tr', label: { no: 'Transport', en: 'Transport' }, sort: '09' });
  assert.deepEqual(b.getTable('12535'), rec);
  const back = await b.getCube('12535');
  assert.equal(stampOf(back), 3);
  assert.deepEqual(back.values, c.values);
  assert.equal(b.putTable(stamped('12535', [2], 4)).version, 3);
  b.close();
  const ro = openSqliteStore(path, { readonly: true });
  assert.equal(ro.getTable('12535')?.version, 3);
  assert.throws(() => ro.putFolder('x', {}));
  ro.close();
});

test('sqlite: a second connection sees changes, and its cached cube is replaced', async () => {
  const path = dbPath();
  const w = openSqliteStore(path);
  const r = openSqliteStore(path);
  w.putFolder('sk', { no: 'Kriminalitet' });
  w.putTable(stamped('t', [10, 10], 1), { folders: ['sk'] });
  assert.equal(r.getTable('t')?.version, 1);
  assert.equal(stampOf(await r.getCube('t')), 1);
  assert.equal(r.cacheStats().entries, 1);
  w.putTable(stamped('t', [10, 10], 2));
  assert.equal(stampOf(await r.getCube('t')), 2);
  assert.equal(r.getTable('t')?.meta.title.no, 'v2');
  assert.deepEqual(r.listChildren('sk').map((c) => c.kind === 'table' && c.table.version), [2]);
  w.deleteTable('t');
  assert.equal(r.getTable('t'), undefined);
  await assert.rejects(r.getCube('t'), StoreError);
  assert.equal(r.cacheStats().entries, 0);
  w.close();
  r.close();
});

test('sqlite: cache bytes never exceed the budget; LRU eviction; oversized cubes are served uncached', async () => {
  const cellBytes = 9; // Float64 value + status byte
  const cells = 1000;
  const budget = Math.floor(2.5 * cells * cellBytes);
  const s = openSqliteStore(dbPath(), { cacheBytes: budget });
  for (let k = 0; k < 6; k++) s.putTable(stamped(`t${k}`, [10, 100], k));
  s.putTable(stamped('big', [10, 1000], 9));
  for (const k of [0, 1, 2, 0, 3, 4, 5, 0]) {
    assert.equal(stampOf(await s.getCube(`t${k}`)), k);
    const st = s.cacheStats();
    assert.ok(st.bytes <= budget, `cache holds ${st.bytes} bytes, budget ${budget}`);
    assert.ok(st.bytes >= cells * cellBytes, 'the cube just read is cached');
  }
  const st = s.cacheStats();
  assert.equal(st.entries, 2);
  assert.ok(st.evictions >= 4);
  assert.equal(stampOf(await s.getCube('big')), 9);
  assert.ok(s.cacheStats().bytes <= budget);
  // resident bytes per cell of a cached cube: at most 10
  const c = await s.getCube('t0');
  const perCell = (c.values.buffer.byteLength + (c.status?.buffer.byteLength ?? 0)) / c.values.length;
  assert.ok(perCell <= 10, `${perCell} bytes per cell`);
  s.close();
});

test('sqlite: replacing a table while another connection reads it in a loop: every read is one whole version', async () => {
  const path = dbPath();
  const w = openSqliteStore(path, { chunkBytes: 1024 }); // a cube spans ~240 chunks: a wide window for tearing
  const id = 'atomic';
  const sizes = [30, 40, 25]; // 30,000 cells
  w.putTable(stamped(id, sizes, 0));
  const last = 60;
  // Workers do not inherit tsx's loader hooks: a small bootstrap registers them, then loads the reader.
  const entry = new URL('./replaceReader.worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { path, id, stopAt: last } });
  type Report = { reads: number; seen: number[]; error: string | null };
  let ready!: () => void;
  const started = new Promise<void>((res) => (ready = res));
  const done = new Promise<Report>((res, rej) => {
    worker.on('message', (m: Report | { ready: true }) => ('ready' in m ? ready() : res(m)));
    worker.once('error', rej);
  });
  await started;
  for (let k = 1; k <= last; k++) {
    w.putTable(stamped(id, sizes, k));
    await new Promise((r) => setTimeout(r, 2)); // let the reader interleave
  }
  const out = await done;
  w.close();
  assert.equal(out.error, null);
  assert.ok(out.reads > 0);
  assert.equal(out.seen[out.seen.length - 1], last);
  assert.ok(out.seen.length >= 3, `reader saw versions ${out.seen.join(',')}`);
});

test('sqlite: a file that is not a database, a newer schema or corrupt cube data give StoreError', async () => {
  const junk = join(dir, 'junk.db');
  writeFileSync(junk, 'this is certainly not an SQLite database file, just some text '.repeat(100));
  assert.throws(() => openSqliteStore(junk), StoreError);
  assert.throws(() => openSqliteStore(join(dir, 'absent.db'), { readonly: true }), StoreError);

  const newer = dbPath();
  openSqliteStore(newer).close();
  const raw = new Database(newer);
  raw.pragma('user_version = 99');
  raw.close();
  assert.throws(() => openSqliteStore(newer), /newer/);

  const path = dbPath();
  const s = openSqliteStore(path);
  s.putTable(cube('c', [50], (i) => i + 0.5));
  s.putTable(cube('m', [50], (i) => i + 0.5));
  const db = new Database(path);
  db.prepare("UPDATE cube_data SET data = X'00010203' WHERE table_id = 'c'").run();
  db.prepare("UPDATE tables SET meta = '{not json' WHERE id = 'm'").run();
  db.close();
  await assert.rejects(s.getCube('c'), StoreError);
  s.close();
  assert.throws(() => openSqliteStore(path), /corrupt/);
});
