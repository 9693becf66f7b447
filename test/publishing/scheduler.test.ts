// The release scheduler on an injected clock: warm-up inside its window only, the release recorded at the instant,
// the search index rebuilt then (the first search finds it built), a corrupt scheduled cube caught by warm-up,
// two processes' schedulers on one file, and the timer path driven by node:test's mock timers (no real waiting).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { ReleaseScheduler, schedulerSettingsFromEnv, type SchedulerLog } from '../../src/publishing/index.js';
import { indexFor, searchTables } from '../../src/search/index.js';
import { stamped, stampOf } from '../store/cubes.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-scheduler-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `q${n++}.db`);

const R = Date.parse('2026-12-01T07:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function memoryLog(): SchedulerLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (_o, m) => lines.push(`info ${m}`), error: (_o, m) => lines.push(`error ${m}`) };
}

test('warm-up in its window only; at the instant the release is recorded and the search index rebuilt', async () => {
  let t = R - 10 * MIN;
  const store = openSqliteStore(dbPath(), { now: () => t });
  store.putFolder('be', { no: 'Befolkning' });
  store.putTable(stamped('t', [8, 9], 1), { folders: ['be'] });
  store.scheduleTable(stamped('t', [8, 10], 2), { releaseAt: iso(R) });
  const log = memoryLog();
  const sched = new ReleaseScheduler(store, { warmupMs: 5 * MIN, log, languages: ['no'] });
  assert.equal(sched.nextWake(), R - 5 * MIN);

  const first = await sched.tick();
  assert.deepEqual(first.warmed, []);
  assert.deepEqual(first.released, []);
  assert.ok(first.searchIndexMs !== undefined, 'the first tick builds the indexes');
  assert.equal(store.cacheStats().pinned, 0);
  assert.equal(store.cubeLoads, 0);

  t = R - 5 * MIN - 1;
  assert.deepEqual((await sched.tick()).warmed, [], 'not before the window');
  t = R - 5 * MIN;
  const w = await sched.tick();
  assert.deepEqual(w.warmed.map((x) => [x.id, x.version, x.loaded, x.cached, x.cells, x.releaseAt]), [['t', 2, true, true, 80, iso(R)]]);
  assert.equal(w.searchIndexMs, undefined, 'no catalog change: the index is left alone');
  assert.equal(store.cubeLoads, 1);
  assert.equal(sched.nextWake(), R);
  t = R - MIN;
  assert.deepEqual((await sched.tick()).warmed, [], 'warmed once');
  assert.equal(store.cubeLoads, 1);
  assert.deepEqual(searchTables(store, 'v2', { lang: 'no' }), [], 'search does not know the coming title');

  t = R;
  const r = await sched.tick();
  assert.deepEqual(r.released.map((x) => `${x.id}@${x.version}`), ['t@2']);
  assert.ok(r.searchIndexMs !== undefined, 'the index was rebuilt at the release');
  const built = indexFor(store, 'no');
  const hits = searchTables(store, 'v2', { lang: 'no' });
  assert.deepEqual(hits.map((h) => `${h.record.id}@${h.record.version}`), ['t@2']);
  assert.equal(indexFor(store, 'no'), built, 'the first search used the index built at the release');
  assert.equal(stampOf(await store.getCube('t')), 2);
  assert.equal(store.cubeLoads, 1, 'the first read after the release came from the warmed cache');
  assert.equal(sched.nextWake(), Infinity);
  assert.ok(log.lines.some((l) => /^info warmed t@2/.test(l)));
  assert.ok(log.lines.some((l) => /^info released t@2/.test(l)));
  store.close();
});

test('warm-up checks the cube: a corrupt scheduled version is reported before its release, and the tick goes on', async () => {
  let t = R - MIN;
  const path = dbPath();
  const store = openSqliteStore(path, { now: () => t });
  store.scheduleTable(stamped('bad', [5, 5], 1), { releaseAt: iso(R) });
  store.scheduleTable(stamped('good', [5, 5], 1), { releaseAt: iso(R) });
  const raw = new Database(path);
  raw.prepare("UPDATE cube_data SET data = X'0001' WHERE table_id = 'bad'").run();
  raw.close();
  const log = memoryLog();
  const sched = new ReleaseScheduler(store, { log });
  const rep = await sched.tick();
  assert.equal(rep.errors.length, 1);
  assert.match(rep.errors[0], /cannot warm bad@1: .*cube data/);
  assert.deepEqual(rep.warmed.map((w) => w.id), ['good']);
  assert.ok(log.lines.some((l) => l.startsWith('error cannot warm bad@1')));
  store.close();
});

test('two processes on one file: both warm their own cache, one records the release, both serve from memory', async () => {
  let t = R - 3 * MIN;
  const path = dbPath();
  const a = openSqliteStore(path, { now: () => t });
  const b = openSqliteStore(path, { now: () => t });
  a.putTable(stamped('t', [6, 7], 1));
  // scheduled by a third connection (the CLI), after both servers started
  const cli = openSqliteStore(path, { now: () => t });
  cli.scheduleTable(stamped('t', [6, 7], 2), { releaseAt: iso(R) });
  cli.close();
  const sa = new ReleaseScheduler(a);
  const sb = new ReleaseScheduler(b);
  assert.equal((await sa.tick()).warmed.length, 1);
  assert.equal((await sb.tick()).warmed.length, 1);
  t = R;
  const ra = await sa.tick();
  const rb = await sb.tick();
  assert.equal(ra.released.length + rb.released.length, 1, 'recorded once');
  assert.ok(rb.searchIndexMs !== undefined, 'b rebuilt its index although a recorded the release');
  for (const s of [a, b]) {
    assert.equal(stampOf(await s.getCube('t')), 2);
    assert.equal(s.cubeLoads, 1, 'only the warm-up read the file');
  }
  a.close();
  b.close();
});

test('start(): timers armed for the warm-up and the release (mock timers and Date, no real waiting)', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: R - 20 * MIN });
  const flush = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  const store = openSqliteStore(dbPath()); // the store's default clock: Date.now, mocked here
  store.putTable(stamped('t', [4, 7], 1));
  store.scheduleTable(stamped('t', [4, 7], 2), { releaseAt: iso(R) });
  const sched = new ReleaseScheduler(store, { warmupMs: 5 * MIN, pollMs: 60 * MIN });
  sched.start();
  await flush();
  assert.equal(store.cacheStats().pinned, 0);
  t.mock.timers.tick(15 * MIN - 1);
  await flush();
  assert.equal(store.cacheStats().pinned, 0, 'one millisecond before the warm-up window');
  t.mock.timers.tick(1);
  await flush();
  assert.equal(store.cacheStats().pinned, 1, 'warmed by the timer');
  const raw = () => {
    const db = new Database(store.path, { readonly: true });
    const v = db.prepare("SELECT version FROM tables WHERE id = 't'").pluck().get();
    db.close();
    return v;
  };
  t.mock.timers.tick(5 * MIN - 1);
  await flush();
  assert.equal(raw(), 1);
  assert.equal(store.getTable('t')?.version, 1);
  t.mock.timers.tick(1);
  await flush();
  assert.equal(store.getTable('t')?.version, 2, 'readers get the new version at the instant, by the clock');
  assert.equal(raw(), 1, 'the recording waits for the settle delay: the instant is the readers\'');
  t.mock.timers.tick(sched.releaseSettleMs - 1);
  await flush();
  assert.equal(raw(), 1);
  t.mock.timers.tick(1);
  await flush();
  assert.equal(raw(), 2, 'the timer recorded the release just after the instant');
  assert.equal(store.cubeLoads, 1);
  sched.stop();
  await sched.idle();
  store.close();
});

test('settings from the environment', () => {
  assert.deepEqual(schedulerSettingsFromEnv({ STATBANK_RELEASE_WARMUP_MS: '60000' }), { warmupMs: 60000, pollMs: undefined, releaseSettleMs: undefined, answersLeadMs: undefined });
  assert.equal(schedulerSettingsFromEnv({ STATBANK_RELEASE_SETTLE_MS: '0' }).releaseSettleMs, 0);
  assert.equal(schedulerSettingsFromEnv({ STATBANK_RELEASE_ANSWERS_LEAD_MS: '500' }).answersLeadMs, 500);
  assert.throws(() => schedulerSettingsFromEnv({ STATBANK_RELEASE_WARMUP_MS: 'soon' }), /STATBANK_RELEASE_WARMUP_MS/);
  assert.throws(() => schedulerSettingsFromEnv({ STATBANK_RELEASE_POLL_MS: '-5' }), /STATBANK_RELEASE_POLL_MS/);
  const store = openSqliteStore(':memory:');
  const s = new ReleaseScheduler(store, { warmupMs: -1, pollMs: Number.NaN });
  assert.equal(s.warmupMs, 5 * MIN);
  assert.equal(s.pollMs, 30_000);
  store.close();
});
