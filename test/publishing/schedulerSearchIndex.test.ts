// The scheduler prepares the search index of the post-release catalogue at warm-up: the release tick (or the first
// search after the instant, before any tick) adopts it without building, the embargo holds until the instant, and a
// cancelled release's prepared index is dropped, never used.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { ReleaseScheduler } from '../../src/publishing/index.js';
import { indexFor, preparedIndexSignature, searchIndexStats, searchTables } from '../../src/search/index.js';
import { stamped } from '../store/cubes.js';
import type { Store } from '../../src/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-sched-index-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `s${n++}.db`);

const R = Date.parse('2026-12-01T07:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const found = (store: Store, q: string, lang = 'no') => searchTables(store, q, { lang }).map((h) => `${h.record.id}@${h.record.version}`);

/** Table t (title "v1", then "v2" at R) and a new table u (title "v7") at R. */
function setup(clock: { t: number }) {
  // the in-memory index (memory and PostgreSQL stores) is the one prepared at warm-up; SQLite's is persistent
  const store = createMemoryStore({ now: () => clock.t });
  store.putFolder('be', { no: 'Befolkning', en: 'Population' });
  store.putTable(stamped('t', [3, 2], 1), { folders: ['be'] });
  store.scheduleTable(stamped('t', [3, 2], 2), { releaseAt: iso(R) });
  store.scheduleTable(stamped('u', [2, 2], 7), { releaseAt: iso(R), folders: ['be'] });
  return store;
}

test('warm-up prepares the index; the release tick adopts it without a rebuild', async () => {
  const clock = { t: R - 10 * MIN };
  const store = setup(clock);
  const sched = new ReleaseScheduler(store, { warmupMs: 5 * MIN, languages: ['no', 'en'] });
  const first = await sched.tick();
  assert.equal(first.preparedIndexMs, undefined, 'nothing prepared outside the window');
  assert.equal(preparedIndexSignature(store), undefined);

  clock.t = R - 5 * MIN;
  const b0 = searchIndexStats().builds;
  const w = await sched.tick();
  assert.deepEqual(w.errors, []);
  assert.ok(w.preparedIndexMs !== undefined, 'the warm-up tick prepared the index');
  assert.equal(searchIndexStats().builds, b0 + 2, 'one index per language');
  assert.equal(preparedIndexSignature(store), 't@2|u@1');
  clock.t = R - MIN;
  assert.equal((await sched.tick()).preparedIndexMs, undefined, 'prepared once');

  clock.t = R - 1;
  assert.deepEqual(found(store, 'v2'), [], 'the coming version is not found before the instant');
  assert.deepEqual(found(store, 'v7'), [], 'nor the new table');
  assert.deepEqual(found(store, 'title:v1'), ['t@1']);
  const before = indexFor(store, 'no');

  clock.t = R;
  const b1 = searchIndexStats().builds;
  const a1 = searchIndexStats().adoptions;
  const r = await sched.tick();
  assert.deepEqual(r.released.map((x) => `${x.id}@${x.version}`).sort(), ['t@2', 'u@1']);
  assert.equal(searchIndexStats().adoptions, a1 + 1);
  assert.deepEqual(found(store, 'v2'), ['t@2']);
  assert.deepEqual(found(store, 'v7'), ['u@1']);
  assert.deepEqual(found(store, 'v7', 'en'), ['u@1']);
  assert.deepEqual(found(store, 'title:v1'), []);
  assert.equal(searchIndexStats().builds, b1, 'no index was built at or after the release');
  assert.notEqual(indexFor(store, 'no'), before);
  assert.equal(sched.nextWake(), Infinity);
  store.close();
});

test('the first search after the instant, before any tick, finds the coming version without a rebuild', async () => {
  const clock = { t: R - 5 * MIN };
  const store = setup(clock);
  const sched = new ReleaseScheduler(store, { warmupMs: 5 * MIN, languages: ['no'] });
  await sched.tick();
  clock.t = R;
  const b0 = searchIndexStats().builds;
  assert.deepEqual(found(store, 'v2'), ['t@2']);
  assert.equal(searchIndexStats().builds, b0);
  const r = await sched.tick();
  assert.equal(searchIndexStats().builds, b0, 'the release tick found the index up to date');
  assert.ok(r.searchIndexMs !== undefined);
  store.close();
});

test('a release cancelled after preparation: the slot is dropped and never used', async () => {
  const clock = { t: R - 5 * MIN };
  const store = setup(clock);
  const sched = new ReleaseScheduler(store, { warmupMs: 5 * MIN, languages: ['no'] });
  await sched.tick();
  assert.equal(preparedIndexSignature(store), 't@2|u@1');
  assert.deepEqual(store.cancelRelease('u'), [1]);
  assert.deepEqual(store.cancelRelease('t'), [2]);

  clock.t = R - MIN;
  await sched.tick();
  assert.equal(preparedIndexSignature(store), undefined, 'nothing is coming: the slot was dropped');
  clock.t = R + MIN;
  const a0 = searchIndexStats().adoptions;
  await sched.tick();
  assert.deepEqual(found(store, 'v2'), []);
  assert.deepEqual(found(store, 'v7'), []);
  assert.deepEqual(found(store, 'title:v1'), ['t@1']);
  assert.equal(searchIndexStats().adoptions, a0);
  store.close();
});

test('one of two coming releases cancelled: the slot is replaced by the smaller catalogue, which is adopted', async () => {
  const clock = { t: R - 5 * MIN };
  const store = setup(clock);
  const sched = new ReleaseScheduler(store, { warmupMs: 5 * MIN, languages: ['no'] });
  await sched.tick();
  store.cancelRelease('u');
  clock.t = R - MIN;
  const again = await sched.tick();
  assert.ok(again.preparedIndexMs !== undefined, 'prepared again for the changed catalogue');
  assert.equal(preparedIndexSignature(store), 't@2');
  clock.t = R;
  const a0 = searchIndexStats().adoptions;
  await sched.tick();
  assert.equal(searchIndexStats().adoptions, a0 + 1);
  assert.deepEqual(found(store, 'v7'), [], 'the cancelled table is not found');
  assert.deepEqual(found(store, 'v2'), ['t@2']);
  store.close();
});
