// The Store contract against PostgreSQL (the same cases as store.test.ts), plus what several nodes sharing one
// database need: reopen keeps everything, a write on one node reaches another through NOTIFY, scheduled releases.
// The test starts its own cluster in a temp dir and removes it afterwards; it skips when PostgreSQL is absent.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgresStore.js';
import { StoreError } from '../../src/store/catalog.js';
import { cube, stamped, stampOf } from './cubes.js';

const BIN = '/usr/lib/postgresql/15/bin';
const missing = !existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'));
const skip = missing ? `PostgreSQL 15 binaries not found in ${BIN}` : false;
if (missing) console.log(`# skipping postgres store tests: ${skip}`);

const asRoot = process.getuid?.() === 0;
let dir = '';
let port = 0;
let base = '';
let dbCount = 0;
const opened: PostgresStore[] = [];

/** Run a PostgreSQL binary, as the postgres user when we are root (initdb refuses root). */
function pgRun(bin: string, args: string[]): void {
  const cmd = asRoot ? 'runuser' : join(BIN, bin);
  const full = asRoot ? ['-u', 'postgres', '--', join(BIN, bin), ...args] : args;
  const r = spawnSync(cmd, full, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr || r.stdout}`);
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => res(p));
    });
  });
}

/** A fresh database on the test cluster. */
async function freshDb(): Promise<string> {
  const name = `t${dbCount++}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return `${base}/${name}`;
}

async function open(connectionString: string, extra: { now?: () => number; cacheBytes?: number } = {}): Promise<PostgresStore> {
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
    dir = mkdtempSync(join(tmpdir(), 'statbank-pg-'));
    chmodSync(dir, 0o777);
    if (asRoot) execFileSync('chown', ['postgres', dir]);
    const data = join(dir, 'data');
    pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    port = await freePort();
    pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off`, 'start']);
    base = `postgresql://postgres@127.0.0.1:${port}`;
  });

  after(async () => {
    for (const s of opened) await s.closeAsync().catch(() => {});
    if (dir) {
      const data = join(dir, 'data');
      if (existsSync(join(data, 'postmaster.pid'))) {
        try {
          pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } catch {
          // the directory is removed anyway
        }
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('Store contract (postgres)', () => {
    test('put and get a table: record, cube, listing', async () => {
      const s = await open(await freshDb());
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
      assert.equal(s.cubeLoads, 1, 'the cube was read from the database');
      await s.flush();
    });

    test('folders: parents must exist, children are folders then tables, each in sort order', async () => {
      const s = await open(await freshDb());
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
      await s.flush();
    });

    test('versions increment; options are kept unless given; ids are case-sensitive', async () => {
      const s = await open(await freshDb());
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
      await s.flush();
    });

    test('what the caller does to its objects after putTable changes nothing', async () => {
      const s = await open(await freshDb());
      const c = cube('t', [4], (i) => i);
      s.putTable(c);
      c.values[0] = 99;
      c.meta.title.no = 'changed';
      const back = await s.getCube('t');
      assert.equal(back.values[0], 0);
      assert.equal(back.meta.title.no, 't');
      assert.equal(s.getTable('t')?.meta.title.no, 't');
      await s.flush();
    });

    test('garbage ids and cubes: undefined, rejection or StoreError, never a crash', async () => {
      const s = await open(await freshDb());
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
      await s.flush();
    });
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
