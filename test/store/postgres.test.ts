// The Store contract against PostgreSQL (the same cases as store.test.ts), plus what several nodes sharing one
// database need: reopen keeps everything, a write on one node reaches another through NOTIFY, scheduled releases.
// The test starts its own cluster in a temp dir and removes it afterwards; it skips when PostgreSQL is absent.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PostgresStore, openPostgresStore } from '../../src/store/postgresStore.js';
import { StoreError } from '../../src/store/catalog.js';
import { closeStore, openStoreUrl } from '../../src/store/index.js';
import { storeContract } from './storeContract.js';
import { searchTables } from '../../src/search/searchIndex.js';
import { cube, stamped, stampOf } from './cubes.js';
import { pgSkip as skip, startPgCluster, type PgCluster } from './pgCluster.js';

if (skip) console.log(`# skipping postgres store tests: ${skip}`);

let cluster: PgCluster | undefined;
let port = 0;
const opened: PostgresStore[] = [];
const freshDb = () => cluster!.freshDb();

async function open(connectionString: string, extra: { now?: () => number; cacheBytes?: number; metaCacheBytes?: number } = {}): Promise<PostgresStore> {
  const s = await openPostgresStore({ connectionString, chunkBytes: 1000, ...extra });
  opened.push(s);
  return s;
}

/** Wait until `cond` holds (a NOTIFY arrives within milliseconds); fails after 5 s. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PostgreSQL store', { skip }, () => {
  before(async () => {
    cluster = await startPgCluster();
    port = cluster.port;
  });

  after(async () => {
    for (const s of opened) await s.closeAsync().catch(() => {});
    cluster?.stop();
  });

  storeContract('postgres', { open: async () => open(await freshDb()), done: (s) => s.flush() });

  test('openStoreUrl opens a postgres:// URL with the PostgreSQL adapter; closeStore commits queued writes first', async () => {
    const url = await freshDb();
    const s = await openStoreUrl(url.replace(/^postgresql:/, 'postgres:'));
    assert.ok(s instanceof PostgresStore);
    s.putTable(stamped('u', [3], 7));
    await closeStore(s);
    const b = await open(url);
    assert.equal(stampOf(await b.getCube('u')), 7);
  });

  test('a cube put on this node is read back from the database once, then from the cache', async () => {
    const s = await open(await freshDb());
    s.putTable(cube('07459', [3, 4], (i) => i));
    await s.getCube('07459');
    assert.equal(s.cubeLoads, 1, 'the cube was read from the database');
    await s.getCube('07459');
    assert.equal(s.cubeLoads, 1, 'the second read came from the cache');
    await s.flush();
  });

  test('reopening keeps folders, records, versions and cells', async () => {
    const url = await freshDb();
    const a = await open(url);
    a.putFolder('', { no: 'Statistikkbanken', en: 'Statbank' });
    a.putFolder('tr', { no: 'Transport', en: 'Transport' }, '09');
    const c = stamped('12535', [5, 7, 9], 3);
    a.putTable(stamped('12535', [5, 7, 9], 2), { folders: ['tr'], shortName: 'kilt', published: '2024-01-01T00:00:00Z', discontinued: true });
    const rec = a.putTable(c, { published: '2024-02-01T00:00:00Z' });
    await a.flush();
    await a.closeAsync();
    assert.throws(() => a.getTable('12535'), /closed/);
    const b = await open(url);
    assert.deepEqual(b.getFolder(''), { path: '', id: '', label: { no: 'Statistikkbanken', en: 'Statbank' }, sort: '' });
    assert.deepEqual(b.getFolder('tr'), { path: 'tr', id: 'tr', label: { no: 'Transport', en: 'Transport' }, sort: '09' });
    assert.deepEqual(b.getTable('12535'), rec);
    const back = await b.getCube('12535');
    assert.equal(stampOf(back), 3);
    assert.deepEqual(back.values, c.values);
    assert.equal(stampOf(await b.getCube('12535', { version: 1 })), 2);
    assert.deepEqual(b.listVersions('12535').map((v) => [v.version, v.current]), [[1, false], [2, true]]);
    assert.equal(b.putTable(stamped('12535', [2], 4)).version, 3);
    await b.flush();
  });

  test('a node starts from the summaries and reads a version\'s metadata on first use; a version without a summary gets one', async () => {
    const url = await freshDb();
    const a = await open(url);
    a.putFolder('tr', { no: 'Transport' });
    for (let i = 0; i < 4; i++) a.putTable(stamped(`t${i}`, [3, 4], i), { folders: ['tr'] });
    await a.flush();
    // as a version written before summaries existed
    await a.pool.query("UPDATE statbank_versions SET summary = NULL WHERE table_id = 't3'");
    const b = await open(url);
    assert.equal(b.listTables().length, 4);
    assert.equal(b.getTable('t1')?.summary.variables.length, 2);
    assert.equal(b.metaCacheStats().entries, 1, 'only the version without a summary was parsed at start');
    assert.deepEqual(b.getTable('t1')?.meta, a.getTable('t1')?.meta);
    assert.equal(b.getTable('t1')?.meta.variables[1].values.length, 4);
    assert.equal(b.metaCacheStats().misses, 1, 'read once, then from the cache');
    assert.equal(stampOf(await b.getCube('t2')), 2);
    assert.equal(b.getTable('t3')?.summary.variables.length, 2);
    // the summary is written back by the node that read the version (asynchronously)
    const missing = async () => (await a.pool.query('SELECT count(*)::int AS n FROM statbank_versions WHERE summary IS NULL')).rows[0].n as number;
    const end = Date.now() + 5000;
    while ((await missing()) > 0) {
      if (Date.now() > end) assert.fail('the summary was not written back');
      await new Promise((r) => setTimeout(r, 10));
    }
  });

  test('search reads the persistent index (no metadata); many metadata misses in one turn are read in batches', async () => {
    const url = await freshDb();
    const a = await open(url);
    for (let i = 0; i < 40; i++) a.putTable(stamped(`s${String(i).padStart(2, '0')}`, [2, 3], i));
    await a.flush();
    const b = await open(url, { metaCacheBytes: 1 });
    assert.deepEqual(searchTables(b, 'v17', { lang: 'no' }).map((h) => h.record.id), ['s17']);
    assert.equal(b.metaCacheStats().misses, 0, 'the search read no metadata');
    let n = 0;
    for (const r of b.listTables()) n += r.meta.variables.length;
    assert.equal(n, 80);
    assert.ok(b.metaCacheStats().reads < 15, `40 tables' metadata in a few reads (${b.metaCacheStats().reads})`);
  });

  test('two nodes on one database: a put, a folder and a delete on one reach the other through NOTIFY', async () => {
    const url = await freshDb();
    const w = await open(url);
    const r = await open(url);
    w.putFolder('sk', { no: 'Kriminalitet' });
    w.putTable(stamped('t', [10, 10], 1), { folders: ['sk'] });
    await w.flush();
    await until(() => r.getTable('t')?.version === 1, 'version 1 on the second node');
    assert.equal(r.getFolder('sk')?.label.no, 'Kriminalitet');
    assert.equal(stampOf(await r.getCube('t')), 1);
    assert.equal(r.cacheStats().entries, 1);
    w.putTable(stamped('t', [10, 10], 2));
    await w.flush();
    await until(() => r.getTable('t')?.version === 2, 'version 2 on the second node');
    assert.equal(stampOf(await r.getCube('t')), 2);
    assert.equal(r.getTable('t')?.meta.title.no, 'v2');
    assert.deepEqual(r.listChildren('sk').map((c) => c.kind === 'table' && c.table.version), [2]);
    // the other direction, and a version number continued from what the first node wrote
    assert.equal(r.putTable(stamped('t', [10, 10], 3)).version, 3);
    await r.flush();
    await until(() => w.getTable('t')?.version === 3, 'version 3 back on the first node');
    assert.equal(stampOf(await w.getCube('t')), 3);
    w.deleteTable('t');
    await w.flush();
    await until(() => r.getTable('t') === undefined, 'the delete on the second node');
    await assert.rejects(r.getCube('t'), StoreError);
    assert.equal(r.cacheStats().entries, 0);
  });

  test('scheduled releases: embargoed on every node until the clock passes, then recorded', async () => {
    const url = await freshDb();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = () => now;
    const a = await open(url, { now: clock });
    const b = await open(url, { now: clock });
    a.putTable(stamped('k', [4], 1), { published: '2025-12-01T00:00:00Z' });
    const sch = a.scheduleTable(stamped('k', [4], 2), { releaseAt: '2026-01-01T08:00:00+01:00' });
    assert.equal(sch.record.version, 2);
    assert.equal(sch.releaseAt, '2026-01-01T07:00:00.000Z');
    await a.flush();
    await until(() => b.listScheduled().length === 1, 'the schedule on the second node');
    assert.equal(b.getTable('k')?.version, 1);
    await assert.rejects(b.getCube('k', { version: 2 }), StoreError);
    assert.deepEqual(b.listVersions('k').map((v) => v.version), [1]);
    assert.deepEqual(b.listVersions('k', { includePending: true }).map((v) => [v.version, v.pending]), [[1, false], [2, true]]);
    const prep = await b.prepareRelease('k', 2);
    assert.equal(prep.loaded, true);
    now = Date.parse('2026-01-01T07:00:00Z');
    assert.equal(a.getTable('k')?.version, 2);
    assert.equal(b.getTable('k')?.version, 2);
    assert.equal(stampOf(await b.getCube('k')), 2);
    assert.deepEqual(a.releaseDue().map((r) => r.version), [2]);
    await a.flush();
    // a node opened now reads the recorded release
    const c = await open(url, { now: clock });
    assert.equal(c.getTable('k')?.version, 2);
    assert.deepEqual(c.listScheduled(), []);
    // cancel on one node removes the version on the other
    a.scheduleTable(stamped('k', [4], 3), { releaseAt: '2026-02-01T00:00:00Z' });
    await a.flush();
    await until(() => c.listScheduled().length === 1, 'the new schedule on the third node');
    assert.deepEqual(c.cancelRelease('k'), [3]);
    await c.flush();
    await until(() => a.listScheduled().length === 0, 'the cancel on the first node');
  });

  test('a write that the database rejects is reported by flush(), and bad connections give StoreError', async () => {
    const url = await freshDb();
    const a = await open(url);
    const b = await open(url);
    // both nodes take version 1 of the same new table before either has heard of the other: the second write loses
    a.putTable(cube('race', [2], () => 1));
    b.putTable(cube('race', [2], () => 2));
    const outcomes = await Promise.allSettled([a.flush(), b.flush()]);
    const lost = outcomes.filter((o) => o.status === 'rejected');
    assert.equal(lost.length, 1, 'exactly one of the two writes is refused');
    assert.match(String((lost[0] as PromiseRejectedResult).reason), /another node/);
    await assert.rejects(openPostgresStore({ connectionString: `postgresql://postgres@127.0.0.1:${port}/no_such_db` }), StoreError);
    await assert.rejects(openPostgresStore({ connectionString: '' }), StoreError);
  });
});
