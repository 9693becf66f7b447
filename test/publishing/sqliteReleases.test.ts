// Releases on the SQLite store: connections on one file agree on the release instant without any process event,
// a reader in another thread sees whole versions only (old before the instant, new from it), warm-up puts the
// scheduled cube in memory so the first read after the release does not touch the file, schema 1 upgrades.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { StoreError } from '../../src/store/index.js';
import { cube, stamped, stampOf } from '../store/cubes.js';
import { searchTables } from '../../src/search/searchIndex.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-sqlite-releases-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `s${n++}.db`);

const T0 = Date.parse('2026-11-30T12:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

test('two connections on one file agree on the release instant; recording the release changes nothing readers see', async () => {
  const path = dbPath();
  let t = T0;
  const now = () => t;
  const a = openSqliteStore(path, { now });
  const b = openSqliteStore(path, { now });
  a.putFolder('pp', { no: 'Priser' });
  a.putTable(stamped('kpi', [4, 6], 1), { folders: ['pp'] });
  assert.equal(b.getTable('kpi')?.version, 1);
  const releaseMs = T0 + 10 * MIN;
  a.scheduleTable(stamped('kpi', [4, 7], 2), { releaseAt: iso(releaseMs) });
  a.scheduleTable(stamped('new', [3, 7], 1), { releaseAt: iso(releaseMs), folders: ['pp'] });
  // b learns of the scheduled versions from the file, and keeps them under embargo
  assert.deepEqual(b.listScheduled().map((r) => `${r.record.id}@${r.record.version}`), ['kpi@2', 'new@1']);
  assert.equal(b.getTable('kpi')?.version, 1);
  assert.equal(b.getTable('new'), undefined);
  assert.equal(stampOf(await b.getCube('kpi')), 1);
  await assert.rejects(b.getCube('new'), StoreError);

  t = releaseMs - 1;
  assert.equal(b.getTable('kpi')?.version, 1);
  t = releaseMs;
  // nobody wrote anything: both connections flip on the clock alone
  for (const s of [a, b]) {
    assert.equal(s.getTable('kpi')?.version, 2);
    assert.equal(stampOf(await s.getCube('kpi')), 2);
    assert.equal(stampOf(await s.getCube('new')), 1);
    assert.deepEqual(s.listChildren('pp').map((c) => c.kind === 'table' && `${c.table.id}@${c.table.version}`), ['kpi@2', 'new@1']);
  }
  const heldByB = b.getTable('kpi');
  assert.deepEqual(a.releaseDue().map((r) => `${r.id}@${r.version}`).sort(), ['kpi@2', 'new@1']);
  assert.deepEqual(b.releaseDue(), [], 'a release is recorded once');
  assert.equal(b.getTable('kpi'), heldByB, 'b keeps the very record it served before the release was recorded');
  // a connection opened after the release reads the recorded state, and a raw look at the file agrees
  const c = openSqliteStore(path, { now });
  assert.equal(c.getTable('kpi')?.version, 2);
  assert.deepEqual(c.listScheduled(), []);
  c.close();
  const raw = new Database(path, { readonly: true });
  assert.deepEqual(raw.prepare('SELECT id, version FROM tables ORDER BY id').all(), [
    { id: 'kpi', version: 2 },
    { id: 'new', version: 1 },
  ]);
  assert.equal(raw.prepare('SELECT count(*) FROM versions WHERE pending = 1').pluck().get(), 0);
  raw.close();
  a.close();
  b.close();
});

test('a cancel or reschedule in one connection is seen by another', async () => {
  const path = dbPath();
  let t = T0;
  const now = () => t;
  const a = openSqliteStore(path, { now });
  const b = openSqliteStore(path, { now });
  a.putTable(stamped('t', [3, 7], 1));
  a.scheduleTable(stamped('t', [3, 7], 2), { releaseAt: iso(T0 + MIN) });
  await b.prepareRelease('t', 2);
  assert.equal(b.cacheStats().pinned, 1);
  a.cancelRelease('t', 2);
  assert.deepEqual(b.listScheduled(), []);
  assert.equal(b.cacheStats().pinned, 0, 'the warmed cube of a cancelled release is dropped');
  a.scheduleTable(stamped('t', [3, 7], 3), { releaseAt: iso(T0 + MIN) });
  b.rescheduleRelease('t', 3, iso(T0 + 3 * MIN));
  t = T0 + 2 * MIN;
  assert.equal(a.getTable('t')?.version, 1);
  t = T0 + 3 * MIN;
  assert.equal(a.getTable('t')?.version, 3);
  assert.equal(stampOf(await a.getCube('t')), 3);
  a.close();
  b.close();
});

test('a reader in another thread sees only whole versions: the old one before the instant, the new one from it', async () => {
  const path = dbPath();
  const clock = new SharedArrayBuffer(8);
  const time = new BigInt64Array(clock);
  const releaseMs = T0 + 60 * MIN;
  Atomics.store(time, 0, BigInt(releaseMs - 300));
  const now = () => Number(Atomics.load(time, 0));
  const w = openSqliteStore(path, { chunkBytes: 256, now }); // a cube spans ~200 chunks: a wide window for tearing
  const sizes = [20, 30, 10];
  w.putTable(stamped('atomic', sizes, 1));
  w.scheduleTable(stamped('atomic', sizes, 2), { releaseAt: iso(releaseMs) });

  const entry = new URL('./releaseReader.worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { path, id: 'atomic', clock, releaseMs, oldStamp: 1, newStamp: 2 },
  });
  type Report = { reads: number; readsBefore: number; readsAfter: number; error: string | null };
  let ready!: () => void;
  const started = new Promise<void>((res) => (ready = res));
  let finished = false;
  const done = new Promise<Report>((res, rej) => {
    worker.on('message', (m: Report | { ready: true }) => {
      if ('ready' in m) return ready();
      finished = true;
      res(m);
    });
    worker.once('error', rej);
  });
  await started;
  // walk the clock across the release, one millisecond per turn, recording the release at its instant
  for (let ms = releaseMs - 300; ms <= releaseMs + 300 && !finished; ms++) {
    Atomics.store(time, 0, BigInt(ms));
    if (ms === releaseMs) w.releaseDue();
    await new Promise((r) => setTimeout(r, 1));
  }
  for (let i = 0; i < 5000 && !finished; i++) await new Promise((r) => setTimeout(r, 1));
  const out = await done;
  w.close();
  assert.equal(out.error, null);
  assert.ok(out.readsBefore > 0, `reads before the release: ${out.readsBefore}`);
  assert.ok(out.readsAfter >= 50, `reads after the release: ${out.readsAfter}`);
});

test('warm-up: the scheduled cube is loaded before the release; the first read after it does not touch the file', async () => {
  let t = T0;
  const s = openSqliteStore(dbPath(), { now: () => t });
  const releaseMs = T0 + 5 * MIN;
  s.putTable(stamped('t', [10, 10], 1));
  assert.equal(stampOf(await s.getCube('t')), 1);
  assert.equal(s.cubeLoads, 1);
  s.scheduleTable(stamped('t', [10, 12], 2), { releaseAt: iso(releaseMs) });
  const prep = await s.prepareRelease('t', 2);
  assert.deepEqual(prep, { id: 't', version: 2, cells: 120, loaded: true, cached: true });
  assert.equal(s.cubeLoads, 2);
  assert.equal((await s.prepareRelease('t', 2)).loaded, false, 'warming twice loads once');
  assert.equal(s.cubeLoads, 2);
  assert.equal(s.cacheStats().pinned, 1);
  assert.equal(s.cacheStats().entries, 2, 'old and coming version side by side');
  assert.equal(stampOf(await s.getCube('t')), 1, 'still the old version before the release');
  assert.equal(s.cubeLoads, 2);

  t = releaseMs;
  const c = await s.getCube('t');
  assert.equal(stampOf(c), 2);
  assert.equal(c.values.length, 120);
  assert.equal(s.cubeLoads, 2, 'the first read after the release came from memory');
  const st = s.cacheStats();
  assert.equal(st.pinned, 0, 'a current version is an ordinary cache entry');
  assert.equal(st.entries, 1, 'the old version left the cache');
  s.close();
});

test('a warmed release survives cache pressure until it is current', async () => {
  let t = T0;
  const cellBytes = 9;
  const budget = Math.floor(2.5 * 100 * cellBytes); // room for two 100-cell cubes
  const s = openSqliteStore(dbPath(), { now: () => t, cacheBytes: budget });
  for (let k = 0; k < 4; k++) s.putTable(stamped(`o${k}`, [10, 10], k));
  s.putTable(stamped('t', [10, 10], 1));
  s.scheduleTable(stamped('t', [10, 10], 2), { releaseAt: iso(T0 + MIN) });
  await s.prepareRelease('t', 2);
  for (let round = 0; round < 3; round++) for (let k = 0; k < 4; k++) assert.equal(stampOf(await s.getCube(`o${k}`)), k);
  assert.ok(s.cacheStats().bytes <= budget);
  assert.ok(s.cacheStats().evictions >= 8, 'the other cubes were evicted in turn');
  const loads = s.cubeLoads;
  t = T0 + MIN;
  assert.equal(stampOf(await s.getCube('t')), 2);
  assert.equal(s.cubeLoads, loads, 'the warmed cube was still there');
  // a release too large for the budget is reported, not cached
  const big = openSqliteStore(dbPath(), { now: () => t, cacheBytes: 500 });
  big.scheduleTable(stamped('b', [10, 10], 1), { releaseAt: iso(T0 + 2 * MIN) });
  const p = await big.prepareRelease('b', 1);
  assert.equal(p.loaded, true);
  assert.equal(p.cached, false);
  big.close();
  s.close();
});

test('a schema 1 database is upgraded: its tables become version history; a read-only connection follows releases', async () => {
  const path = dbPath();
  let t = T0;
  const now = () => t;
  const s = openSqliteStore(path, { now });
  s.putTable(stamped('t', [3, 7], 1));
  s.close();
  // make it a schema 1 file: no version history, the metadata in the tables row, none of the later tables
  const raw = new Database(path);
  raw.exec('ALTER TABLE tables ADD COLUMN meta TEXT');
  raw.exec('UPDATE tables SET meta = (SELECT meta FROM version_meta m WHERE m.table_id = tables.id AND m.version = tables.version)');
  for (const t of ['versions', 'version_meta', 'changes', 'search_words', 'search_fts', 'search_docs', 'search_postings']) raw.exec(`DROP TABLE IF EXISTS ${t}`);
  raw.pragma('user_version = 1');
  raw.close();
  assert.throws(() => openSqliteStore(path, { readonly: true }), /schema version 1/);

  const up = openSqliteStore(path, { now });
  assert.equal(stampOf(await up.getCube('t')), 1);
  assert.deepEqual(up.listVersions('t').map((v) => [v.version, v.current]), [[1, true]]);
  up.putTable(stamped('t', [3, 7], 2));
  up.scheduleTable(stamped('t', [3, 7], 3), { releaseAt: iso(T0 + MIN) });
  assert.equal(stampOf(await up.getCube('t', { version: 1 })), 1);

  const ro = openSqliteStore(path, { readonly: true, now });
  assert.equal(ro.getTable('t')?.version, 2);
  assert.deepEqual(ro.releaseDue(), [], 'a read-only connection records nothing');
  t = T0 + MIN;
  assert.equal(ro.getTable('t')?.version, 3, 'but sees the release on the clock');
  assert.equal(stampOf(await ro.getCube('t')), 3);
  ro.close();
  up.close();
});

test("a release drops the older version's search entries after the instant, not in the release's write", async () => {
  const path = dbPath();
  let t = T0;
  const now = () => t;
  const s = openSqliteStore(path, { now, searchTidyMs: 0 });
  s.putTable(cube('kpi', [4, 6], () => 1, 'Konsumprisindeks januar'));
  const releaseMs = T0 + 10 * MIN;
  s.scheduleTable(cube('kpi', [4, 7], () => 2, 'Konsumprisindeks februar'), { releaseAt: iso(releaseMs) });
  const raw = new Database(path, { readonly: true });
  const docs = (v: number) => raw.prepare('SELECT count(*) FROM search_docs WHERE table_id = ? AND version = ?').pluck().get('kpi', v) as number;
  const found = (word: string) => searchTables(s, word, { lang: 'no' }).map((h) => `${h.record.id}@${h.record.version}`);
  assert.ok(docs(1) > 0 && docs(2) > 0, 'both versions indexed: the scheduled one ahead of its release');
  t = releaseMs;
  assert.deepEqual(s.releaseDue().map((r) => `${r.id}@${r.version}`), ['kpi@2']);
  assert.ok(docs(1) > 0, "the release's write left the old entries");
  // meanwhile a search sees the released version only
  assert.deepEqual(found('januar'), []);
  assert.deepEqual(found('februar'), ['kpi@2']);
  await s.whenSearchTidy();
  assert.equal(docs(1), 0, 'dropped after the release');
  assert.ok(docs(2) > 0);
  assert.deepEqual(found('februar'), ['kpi@2']);

  // what is still waiting when the store closes is dropped then
  const s2 = openSqliteStore(path, { now });
  s2.scheduleTable(cube('kpi', [4, 8], () => 3, 'Konsumprisindeks mars'), { releaseAt: iso(releaseMs + MIN) });
  t = releaseMs + MIN;
  assert.equal(s2.releaseDue().length, 1);
  assert.ok(docs(2) > 0);
  s2.close();
  assert.equal(docs(2), 0);
  assert.ok(docs(3) > 0);
  raw.close();
  s.close();
});

test('releaseDue takes the write lock only when a release is due: a tick with nothing due does not wait for a writer', async () => {
  const path = dbPath();
  let t = T0;
  const store = openSqliteStore(path, { now: () => t });
  store.putTable(stamped('kpi', [2, 3], 1));
  store.scheduleTable(stamped('kpi', [2, 3], 2), { releaseAt: iso(T0 + 10 * MIN) });
  // another process is in the middle of a long write (an import)
  const writer = new Database(path, { timeout: 0 });
  writer.exec('BEGIN IMMEDIATE');
  try {
    // nothing due: answered at once, although the lock is held (it used to wait for it, then fail busy)
    assert.deepEqual(store.releaseDue(), []);
    t = T0 + 10 * MIN;
    // due: readers see the new version by the clock, before it is recorded
    assert.equal(store.getTable('kpi')?.version, 2);
  } finally {
    writer.exec('COMMIT');
    writer.close();
  }
  assert.deepEqual(store.releaseDue().map((r) => `${r.id}@${r.version}`), ['kpi@2']);
  assert.deepEqual(store.releaseDue(), [], 'recorded once');
  store.close();
});
