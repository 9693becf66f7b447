// The Store contract, run against both adapters (SQLite and in-memory), plus SQLite specifics:
// reopen, a second connection, atomic replace under concurrent reads, the cache bound, corrupt files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { encodeCube } from '../../src/store/cubeCodec.js';
import { searchTables } from '../../src/search/searchIndex.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { SqliteStore, closeStore, isPostgresUrl, openStore, openStoreUrl, StoreError } from '../../src/store/index.js';
import { cube, stamped, stampOf } from './cubes.js';
import { storeContract } from './storeContract.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-store-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `t${n++}.db`);

const adapters: [string, () => Store][] = [
  ['sqlite', () => openSqliteStore(dbPath(), { chunkBytes: 1000 })],
  // every cube through the loader thread, and a catalogue read table by table (as `statbank import` opens it)
  ['sqlite, cubes loaded in a worker thread', () => openSqliteStore(dbPath(), { chunkBytes: 1000, offThreadLoadBytes: 0 })],
  ['sqlite, lazy catalogue', () => openSqliteStore(dbPath(), { chunkBytes: 1000, lazyCatalog: true })],
  ['memory', () => createMemoryStore()],
];

for (const [name, open] of adapters) {
  storeContract(name, { open, done: (s) => s.close() });
}

test('sqlite: reopening after close keeps folders, records, versions and cells', async () => {
  const path = dbPath();
  const a = openStore(path, { chunkBytes: 100 });
  a.putFolder('', { no: 'Statistikkbanken', en: 'Statbank' });
  a.putFolder('tr', { no: 'Transport', en: 'Transport' }, '09');
  const c = stamped('12535', [5, 7, 9], 3);
  a.putTable(stamped('12535', [5, 7, 9], 2), { folders: ['tr'], shortName: 'kilt', published: '2024-01-01T00:00:00Z', discontinued: true });
  const rec = a.putTable(c, { published: '2024-02-01T00:00:00Z' });
  // a record reads its full metadata from its store on first use: a copy taken while the store is open
  const snapshot = { ...rec };
  a.close();
  assert.throws(() => a.getTable('12535'), /closed/);
  const b = openStore(path);
  assert.deepEqual(b.getFolder(''), { path: '', id: '', label: { no: 'Statistikkbanken', en: 'Statbank' }, sort: '' });
  assert.deepEqual(b.getFolder('tr'), { path: 'tr', id: 'tr', label: { no: 'Transport', en: 'Transport' }, sort: '09' });
  assert.deepEqual(b.getTable('12535'), snapshot);
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
  s.putTable(cube('j', [50], (i) => i + 0.5));
  const db = new Database(path);
  db.prepare("UPDATE cube_data SET data = X'00010203' WHERE table_id = 'c'").run();
  db.prepare("UPDATE version_meta SET meta = '{not json' WHERE table_id = 'j'").run();
  await assert.rejects(s.getCube('c'), StoreError);
  s.close();
  // full metadata is read on first use: corrupt metadata is a StoreError then, not at open
  const t = openSqliteStore(path);
  assert.equal(t.getTable('j')?.summary.title.en, 'j');
  assert.throws(() => t.getTable('j')?.meta, (e: Error) => e instanceof StoreError && /corrupt/.test(e.message));
  await assert.rejects(t.getCube('j'), StoreError);
  t.close();
  // the summaries are read at open
  db.prepare("UPDATE versions SET summary = '{not json' WHERE table_id = 'm'").run();
  db.close();
  assert.throws(() => openSqliteStore(path), /corrupt/);
});

test('openStoreUrl: a file path opens SQLite (created unless mustExist), closeStore closes it', async () => {
  const path = join(dir, 'sub', `u${n++}.db`);
  await assert.rejects(openStoreUrl(path, { mustExist: true }), (e: Error) => e instanceof StoreError && /No database at/.test(e.message));
  const s = await openStoreUrl(path);
  assert.ok(s instanceof SqliteStore);
  s.putFolder('x', { no: 'X' });
  await closeStore(s);
  assert.throws(() => s.getFolder('x'), /closed/);
  const again = await openStoreUrl(path, { mustExist: true });
  assert.equal(again.getFolder('x')?.label.no, 'X');
  await closeStore(again);
  assert.equal(isPostgresUrl('postgresql://h/db'), true);
  assert.equal(isPostgresUrl('POSTGRES://h/db'), true);
  assert.equal(isPostgresUrl('data/postgres.db'), false);
});

test('sqlite: open, listings and search read summaries only; full metadata is read per table on first use, once per version', async () => {
  const path = dbPath();
  const a = openSqliteStore(path);
  a.putFolder('x', { no: 'X' });
  for (let i = 0; i < 5; i++) a.putTable(cube(`t${i}`, [3, 4], (k) => k + i), { folders: ['x'] });
  a.close();
  const raw = new Database(path, { readonly: true });
  assert.equal(raw.prepare("SELECT count(*) FROM pragma_table_info('tables') WHERE name = 'meta'").pluck().get(), 0, 'metadata is stored once, in versions');
  raw.close();
  const b = openSqliteStore(path);
  try {
    assert.equal(b.listTables().length, 5);
    assert.equal(b.listChildren('x').length, 5);
    assert.equal(b.getTable('t3')?.summary.variables.length, 2);
    assert.deepEqual(b.getTable('t3')?.summary.title, { no: 't3', en: 't3' });
    assert.equal(b.metaCacheStats().entries, 0, 'nothing parsed yet');
    assert.equal(b.getTable('t3')?.meta.variables[1].values.length, 4);
    assert.equal(b.getTable('t3')?.meta.variables[0].values.length, 3);
    const st = b.metaCacheStats();
    assert.equal(st.entries, 1);
    assert.equal(st.misses, 1, 'read once, then from the cache');
    const c = await b.getCube('t4');
    assert.equal(c.values[0], 4);
    assert.equal(b.metaCacheStats().entries, 2);
  } finally {
    b.close();
  }
  // a tiny budget keeps one entry at a time
  const small = openSqliteStore(path, { metaCacheBytes: 1 });
  try {
    for (let i = 0; i < 5; i++) assert.equal(small.getTable(`t${i}`)?.meta.id, `t${i}`);
    assert.equal(small.metaCacheStats().entries, 1);
  } finally {
    small.close();
  }
});

test('sqlite: a cold load reads and decodes chunk by chunk, giving other work turns of the event loop', async () => {
  const path = dbPath();
  const w = openSqliteStore(path, { chunkBytes: 1024 });
  w.putTable(cube('big', [50, 40], (i) => i * 1.5)); // 16 kB of values: 16+ chunks
  w.putTable(cube('ints', [50, 40], (i) => i)); // Int32-encoded: widened piece by piece
  w.close();
  const s = openSqliteStore(path);
  try {
    for (const id of ['big', 'ints']) {
      let turns = 0;
      let loading = true;
      const tick = () => {
        if (!loading) return;
        turns++;
        setImmediate(tick);
      };
      setImmediate(tick);
      const c = await s.getCube(id);
      loading = false;
      assert.ok(turns >= 8, `${id}: other work ran ${turns} times during the load`);
      assert.equal(c.values.length, 2000);
      assert.equal(c.values[1999], id === 'big' ? 1999 * 1.5 : 1999);
    }
  } finally {
    s.close();
  }
});

test('sqlite: a lazy catalogue (as import opens it) reads the folders at open and a table when named; a listing loads the rest', async () => {
  const path = dbPath();
  const w = openSqliteStore(path);
  w.putFolder('x', { no: 'X' });
  for (let i = 0; i < 6; i++) w.putTable(cube(`t${i}`, [3, 4], (k) => k + i), { folders: ['x'] });
  const lazy = openSqliteStore(path, { lazyCatalog: true });
  try {
    assert.deepEqual(lazy.catalogueStats(), { tables: 0, lazy: true });
    assert.equal(lazy.getFolder('x')?.label.no, 'X');
    assert.equal(lazy.getTable('t2')?.version, 1);
    assert.equal(lazy.getTable('absent'), undefined);
    assert.equal(lazy.catalogueStats().tables, 1);
    // another connection's change of a table it read is seen; of others, read when named
    w.putTable(cube('t2', [3, 4], (k) => k * 2), { folders: ['x'] });
    w.putTable(cube('t4', [3, 4], (k) => k * 3), { folders: ['x'] });
    assert.equal(lazy.getTable('t2')?.version, 2);
    assert.equal((await lazy.getCube('t2')).values[3], 6);
    assert.equal(lazy.catalogueStats().tables, 1);
    // its own put: a new version over the stored one, with the earlier folders
    const rec = lazy.putTable(cube('t5', [3, 4], () => 1));
    assert.equal(rec.version, 2);
    assert.deepEqual(rec.folders, ['x']);
    assert.equal(w.getTable('t5')?.version, 2, 'the writer sees the lazy connection\'s put');
    assert.equal(lazy.catalogueStats().tables, 2);
    // a listing needs everything: from then on a full catalogue
    assert.equal(lazy.listTables().length, 6);
    assert.deepEqual(lazy.catalogueStats(), { tables: 6, lazy: false });
    assert.equal(lazy.getTable('t4')?.version, 2);
    assert.equal(searchTables(lazy, 't4', { lang: 'no' })[0]?.record.id, 't4');
  } finally {
    lazy.close();
    w.close();
  }
});

test('sqlite: large cubes load in a worker thread; cubes a batch has not committed load on the store\'s own connection', async () => {
  const path = dbPath();
  const w = openSqliteStore(path, { chunkBytes: 1024 });
  w.putTable(cube('big', [50, 40], (i) => i * 1.5));
  w.putTable(cube('ints', [50, 40], (i) => i));
  w.close();
  const s = openSqliteStore(path, { offThreadLoadBytes: 0 });
  try {
    // both at once: the serving thread only posts and receives
    const [big, ints] = await Promise.all([s.getCube('big'), s.getCube('ints')]);
    assert.equal(s.offThreadLoads, 2);
    for (const [id, c] of [['big', big], ['ints', ints]] as const) {
      assert.equal(c.values.length, 2000);
      assert.equal(c.values[1999], id === 'big' ? 1999 * 1.5 : 1999);
    }
    await assert.rejects(s.getCube('big', { version: 7 }), StoreError);
    // inside a batch the loader's connection cannot see the batch's writes: read on this connection
    const fresh = s.batch(() => {
      s.putTable(cube('fresh', [5, 4], (i) => i + 0.5));
      return { cube: s.getCube('fresh') };
    });
    assert.equal((await fresh.cube).values[19], 19.5);
    assert.equal(s.offThreadLoads, 2);
  } finally {
    s.close();
  }
  // a load still waiting when the store closes rejects (and the thread ends with it)
  const t = openSqliteStore(path, { offThreadLoadBytes: 0 });
  const waiting = t.getCube('big');
  t.close();
  await assert.rejects(waiting, /closed/);
});

test('sqlite: a batch of puts is one transaction: others see all of it at the commit, a throw keeps none of it', () => {
  const path = dbPath();
  const w = openSqliteStore(path);
  const r = openSqliteStore(path);
  try {
    w.batch(() => {
      w.putTable(cube('a', [2], (i) => i));
      w.putTable(cube('b', [2], (i) => i));
      assert.equal(w.getTable('a')?.version, 1, 'the writer sees its own puts');
      assert.equal(r.getTable('a'), undefined, 'others do not, before the commit');
    });
    assert.deepEqual(r.listTables().map((t) => t.id), ['a', 'b']);
    assert.throws(
      () =>
        w.batch(() => {
          w.putTable(cube('c', [2], (i) => i));
          throw new Error('stop');
        }),
      /stop/,
    );
    assert.equal(w.getTable('c'), undefined, 'rolled back, also in the writer’s memory');
    assert.equal(r.getTable('c'), undefined);
    assert.equal(w.putTable(cube('c', [2], (i) => i)).version, 1);
  } finally {
    w.close();
    r.close();
  }
});

test('sqlite: a schema-2 database is upgraded once: summaries written, metadata kept once, the search index built', async () => {
  const path = dbPath();
  const raw = new Database(path);
  raw.exec(`
    CREATE TABLE folders (path TEXT PRIMARY KEY, parent TEXT, sort TEXT NOT NULL, labels TEXT NOT NULL);
    CREATE TABLE tables (id TEXT PRIMARY KEY, folders TEXT NOT NULL, short_name TEXT, version INTEGER NOT NULL,
      published TEXT NOT NULL, cells INTEGER NOT NULL, discontinued INTEGER, meta TEXT NOT NULL, data_bytes INTEGER NOT NULL);
    CREATE TABLE cube_data (table_id TEXT NOT NULL, version INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,
      PRIMARY KEY (table_id, version, seq));
    CREATE TABLE table_versions (id TEXT PRIMARY KEY, last INTEGER NOT NULL);
    CREATE TABLE versions (table_id TEXT NOT NULL, version INTEGER NOT NULL, folders TEXT NOT NULL, short_name TEXT,
      published TEXT NOT NULL, cells INTEGER NOT NULL, discontinued INTEGER, meta TEXT NOT NULL, data_bytes INTEGER NOT NULL,
      release_at TEXT, release_ms INTEGER, pending INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (table_id, version));
  `);
  const c = cube('old', [3, 2], (i) => i, 'Gamle kommuner');
  const data = encodeCube(c.values, null);
  const metaJson = JSON.stringify(c.meta);
  raw.prepare("INSERT INTO folders VALUES ('x', '', 'x', '{\"no\":\"X\"}')").run();
  raw.prepare("INSERT INTO tables VALUES ('old', '[\"x\"]', NULL, 1, '2024-01-01T00:00:00Z', 6, NULL, ?, ?)").run(metaJson, data.length);
  raw.prepare("INSERT INTO versions VALUES ('old', 1, '[\"x\"]', NULL, '2024-01-01T00:00:00Z', 6, NULL, ?, ?, NULL, NULL, 0)").run(metaJson, data.length);
  raw.prepare("INSERT INTO cube_data VALUES ('old', 1, 0, ?)").run(data);
  raw.prepare("INSERT INTO table_versions VALUES ('old', 1)").run();
  raw.pragma('user_version = 2');
  raw.close();
  assert.throws(() => openSqliteStore(path, { readonly: true }), /schema version 2: open it once for writing/);
  const s = openSqliteStore(path);
  try {
    assert.deepEqual(s.getTable('old')?.summary.title, { no: 'Gamle kommuner', en: 'Gamle kommuner' });
    assert.deepEqual(s.getTable('old')?.meta, c.meta);
    assert.deepEqual(Array.from((await s.getCube('old')).values), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(searchTables(s, 'kommuner', { lang: 'no' }).map((h) => h.record.id), ['old']);
    assert.deepEqual(s.listChildren('x').map((ch) => (ch.kind === 'table' ? ch.table.id : ch.folder.path)), ['old']);
  } finally {
    s.close();
  }
  const check = new Database(path, { readonly: true });
  assert.equal(check.pragma('user_version', { simple: true }), 3);
  assert.equal(check.prepare("SELECT count(*) FROM pragma_table_info('tables') WHERE name = 'meta'").pluck().get(), 0);
  check.close();
});
