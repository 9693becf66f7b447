// The prepared index slot: built ahead of a scheduled release, never answering before the store lists exactly the
// tables it covers, adopted without a rebuild at the flip, unused after a cancel or a change of the catalogue.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import {
  discardPreparedIndex,
  indexFor,
  prepareIndex,
  preparedIndexSignature,
  searchIndexStats,
  searchTables,
} from '../../src/search/searchIndex.js';
import { catalogueAt } from '../../src/publishing/comingCatalogue.js';
import { simpleCube } from '../query/cube07459.js';
import type { Store } from '../../src/store/store.js';

const R = Date.parse('2026-12-01T07:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const ids = (store: Store, q: string, lang = 'no') => searchTables(store, q, { lang }).map((h) => `${h.record.id}@${h.record.version}`);

function table(id: string, title: string, region: string) {
  return simpleCube(id, title, [
    { code: 'Region', label: 'region', values: [['0301', region]] },
    { code: 'Tid', label: 'år', values: [['2024', '2024']], time: true },
  ]);
}

/** A store with table 1 (current "Folkemengde") whose version 2 (adds "Kvartalstall") and a new table 2 ("Turisme") come at R. */
function setup(clock: { t: number }): Store {
  const store = createMemoryStore({ now: () => clock.t });
  store.putFolder('be', { no: 'Befolkning' });
  store.putTable(table('11111', '11111: Folkemengde', 'Oslo'), { folders: ['be'] });
  store.scheduleTable(table('11111', '11111: Folkemengde, kvartalstall', 'Oslo'), { releaseAt: iso(R) });
  store.scheduleTable(table('22222', '22222: Turisme', 'Bergen'), { releaseAt: iso(R), folders: ['be'] });
  return store;
}

test('before the instant the prepared index answers nothing; at the flip it is adopted without a rebuild', () => {
  const clock = { t: R - 5 * MIN };
  const store = setup(clock);
  assert.deepEqual(ids(store, 'folkemengde'), ['11111@1']);
  const future = catalogueAt(store, R);
  assert.deepEqual(future.map((r) => `${r.id}@${r.version}`), ['11111@2', '22222@1']);

  const b0 = searchIndexStats().builds;
  assert.equal(prepareIndex(store, () => future, 'no'), true);
  assert.equal(searchIndexStats().builds, b0 + 1, 'one language index built for the coming catalogue');
  assert.equal(prepareIndex(store, () => future, 'no'), false, 'preparing the same catalogue again builds nothing');
  assert.equal(preparedIndexSignature(store), '11111@2|22222@1');

  // embargo: words of the coming version and the new table are not found, up to the last millisecond
  for (const t of [R - 5 * MIN, R - 1]) {
    clock.t = t;
    assert.deepEqual(ids(store, 'kvartalstall'), [], `coming title hidden at ${iso(t)}`);
    assert.deepEqual(ids(store, 'turisme'), [], `new table hidden at ${iso(t)}`);
    assert.deepEqual(ids(store, 'bergen'), []);
    assert.deepEqual(ids(store, 'folkemengde'), ['11111@1']);
  }
  assert.equal(searchIndexStats().builds, b0 + 1, 'searches before the release used the current index');

  clock.t = R;
  const a0 = searchIndexStats().adoptions;
  assert.deepEqual(ids(store, 'kvartalstall'), ['11111@2']);
  assert.deepEqual(ids(store, 'turisme'), ['22222@1']);
  assert.equal(searchIndexStats().builds, b0 + 1, 'no rebuild at the flip');
  assert.equal(searchIndexStats().adoptions, a0 + 1);
  assert.equal(preparedIndexSignature(store), undefined, 'the slot became the current index');
  // the hits are the store's own records (folder scope and dates read from them)
  const hit = searchTables(store, 'turisme', { lang: 'no', folder: 'be' })[0];
  assert.equal(hit.record, store.getTable('22222'));
  assert.deepEqual(ids(store, 'published:2026-12-01'), ['11111@2', '22222@1']);
  // a language that was not prepared is built on demand
  assert.deepEqual(ids(store, 'turisme', 'en'), ['22222@1']);
  assert.equal(searchIndexStats().builds, b0 + 2);
});

test('a release cancelled after preparation leaves the prepared slot unused', () => {
  const clock = { t: R - 5 * MIN };
  const store = setup(clock);
  indexFor(store, 'no');
  prepareIndex(store, () => catalogueAt(store, R), 'no');
  const prepared = preparedIndexSignature(store);
  assert.ok(prepared);
  assert.deepEqual(store.cancelRelease('22222'), [1]);

  clock.t = R; // 11111@2 is released, 22222 never is
  const a0 = searchIndexStats().adoptions;
  const b0 = searchIndexStats().builds;
  const u1 = searchIndexStats().updates;
  assert.deepEqual(ids(store, 'turisme'), [], 'the cancelled table is not found');
  assert.deepEqual(ids(store, 'bergen'), []);
  assert.deepEqual(ids(store, 'kvartalstall'), ['11111@2']);
  assert.equal(searchIndexStats().adoptions, a0, 'the slot was not adopted');
  assert.equal(searchIndexStats().builds - b0 + (searchIndexStats().updates - u1), 1, 'the current catalogue was indexed anew (built or updated table by table)');
  assert.equal(preparedIndexSignature(store), prepared, 'the slot is still there, never matching');
  discardPreparedIndex(store);
  assert.equal(preparedIndexSignature(store), undefined);
});

test('a table put during the window changes the catalogue: the slot does not match and the index is rebuilt', () => {
  const clock = { t: R - 5 * MIN };
  const store = setup(clock);
  prepareIndex(store, () => catalogueAt(store, R), 'no');
  store.putTable(table('33333', '33333: Arbeidsledighet', 'Tromsø'), { folders: ['be'] });
  clock.t = R;
  const a0 = searchIndexStats().adoptions;
  assert.deepEqual(ids(store, 'arbeidsledighet'), ['33333@1']);
  assert.deepEqual(ids(store, 'turisme'), ['22222@1']);
  assert.equal(searchIndexStats().adoptions, a0);
});

test('catalogueAt: the version released last by the instant wins; later releases are left out', () => {
  const clock = { t: R - 60 * MIN };
  const store = createMemoryStore({ now: () => clock.t });
  store.putTable(table('11111', 'a', 'Oslo'));
  store.scheduleTable(table('11111', 'b', 'Oslo'), { releaseAt: iso(R + MIN) }); // v2, later time
  store.scheduleTable(table('11111', 'c', 'Oslo'), { releaseAt: iso(R) }); // v3, earlier time
  store.scheduleTable(table('22222', 'd', 'Oslo'), { releaseAt: iso(R + 60 * MIN) });
  const at = (ms: number) => catalogueAt(store, ms).map((r) => `${r.id}@${r.version}`);
  assert.deepEqual(at(R - 1), ['11111@1']);
  assert.deepEqual(at(R), ['11111@3']);
  assert.deepEqual(at(R + MIN), ['11111@2']);
  assert.deepEqual(at(R + 60 * MIN), ['11111@2', '22222@1']);
  // and the store agrees at each instant (clock moved forward only)
  const expected = [R - 1, R, R + MIN, R + 60 * MIN].map((ms) => [ms, at(ms)] as const);
  for (const [ms, want] of expected) {
    clock.t = ms;
    assert.deepEqual(store.listTables().map((r) => `${r.id}@${r.version}`), want, iso(ms));
  }
});

test('a store with a persistent index prepares nothing and never makes the coming catalogue (it costs the catalogue)', () => {
  const store = openSqliteStore(':memory:');
  store.putTable(table('07459', 'Befolkning', 'Oslo'));
  let made = 0;
  assert.equal(prepareIndex(store, () => (made++, catalogueAt(store, R)), 'no'), false);
  assert.equal(made, 0);
  const memory = createMemoryStore();
  memory.putTable(table('07459', 'Befolkning', 'Oslo'));
  prepareIndex(memory, () => (made++, catalogueAt(memory, R)), 'no');
  assert.equal(made, 1, 'a store without one asks for it');
  store.close();
});
