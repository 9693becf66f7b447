// The publishing commands end to end: publish (08:00 Europe/Oslo by default, DST-correct), releases, versions,
// reschedule, cancel; export keeps serving the released version during the embargo; bad dates are refused. The
// cycle runs on a SQLite file and on a PostgreSQL database (--db postgres://), in-process through run().

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoTable } from '../../src/demo/index.js';
import { writePx } from '../../src/formats/px/writer.js';
import { closeStore, openStoreUrl } from '../../src/store/index.js';
import { cli } from '../cli/runCli.js';
import { pgSkip, startPgCluster, type PgCluster } from '../store/pgCluster.js';

/** The whole publishing cycle on the database `db` (a SQLite file or a postgres:// URL); PX files go in `dir`. */
async function publishingCycle(dir: string, db: string): Promise<void> {
  const now = join(dir, 'now.px');
  const next = join(dir, 'next.px');
  writeFileSync(now, writePx(buildDemoTable('05810', { lastYear: 2025 })!));
  writeFileSync(next, writePx(buildDemoTable('05810', { lastYear: 2026 })!));
  const imp = await cli(['import', now, '--db', db, '--folder', 'be/be01']);
  assert.equal(imp.status, 0, imp.stderr + imp.stdout);
  const before = await cli(['export', '05810', '--format', 'csv', '--db', db]);
  assert.equal(before.status, 0, before.stderr);
  assert.doesNotMatch(before.stdout, /2026/);

  const p = await cli(['publish', next, '--db', db, '--date', '2099-12-01']);
  assert.equal(p.status, 0, p.stderr + p.stdout);
  assert.match(p.stdout, /Scheduled 1 of 1 files .*\(2099-12-01T07:00:00\.000Z\)/, '08:00 Oslo in winter is 07:00Z');
  assert.match(p.stdout, /05810 version 2/);

  const during = await cli(['export', '05810', '--format', 'csv', '--db', db]);
  assert.equal(during.stdout, before.stdout, 'the embargoed version is not exported');

  const rel = await cli(['releases', '--db', db, '--json']);
  assert.equal(rel.status, 0, rel.stderr);
  const rows = JSON.parse(rel.stdout) as { id: string; version: number; releaseAt: string }[];
  assert.deepEqual(rows.map((r) => [r.id, r.version, r.releaseAt]), [['05810', 2, '2099-12-01T07:00:00.000Z']]);

  const vs = await cli(['versions', '05810', '--db', db]);
  assert.equal(vs.status, 0, vs.stderr);
  assert.match(vs.stdout, /^\* version 1 {2}current/m);
  assert.match(vs.stdout, /^ {2}version 2 {2}scheduled for 1 December 2099/m);

  const moved = await cli(['reschedule', '05810', '--db', db, '--date', '2099-06-01']);
  assert.equal(moved.status, 0, moved.stderr);
  assert.match(moved.stdout, /2099-06-01T06:00:00\.000Z/, '08:00 Oslo in summer is 06:00Z');

  const c = await cli(['cancel', '05810', '--version', '2', '--db', db]);
  assert.equal(c.status, 0, c.stderr + c.stdout);
  assert.match(c.stdout, /Cancelled 05810 version 2/);
  assert.match((await cli(['releases', '--db', db])).stdout, /No scheduled releases/);
  const again = await cli(['cancel', '05810', '--db', db]);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /No scheduled release of 05810/);
}

test('publish, releases, versions, reschedule, cancel; export serves the released version meanwhile', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-publish-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await publishingCycle(dir, join(dir, 'x.db'));
});

describe('on PostgreSQL', { skip: pgSkip }, () => {
  let cluster: PgCluster | undefined;
  before(async () => {
    cluster = await startPgCluster();
  });
  after(() => cluster?.stop());

  test('the same cycle with --db postgres://: import, export, publish, releases, versions, reschedule, cancel', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'statbank-publish-pg-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const url = await cluster!.freshDb();
    await publishingCycle(dir, url);
    // what the commands wrote is committed: a store opened now reads it
    const store = await openStoreUrl(url);
    try {
      assert.equal(store.getTable('05810')?.version, 1);
      assert.deepEqual(store.listVersions('05810', { includePending: true }).map((v) => v.version), [1]);
      assert.deepEqual(store.listChildren('be').map((c) => c.kind === 'folder' && c.folder.id), ['be01']);
    } finally {
      await closeStore(store);
    }
  });

  test('an unreachable database is a message and exit code 1', async () => {
    const gone = await cli(['releases', '--db', `${cluster!.base}/no_such_db`]);
    assert.equal(gone.status, 1);
    assert.match(gone.stderr, /no_such_db/);
  });
});

test('publish refuses past, impossible and malformed release times; the other commands need a database', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-publish-bad-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'x.db');
  const px = join(dir, 't.px');
  writeFileSync(px, writePx(buildDemoTable('11118')!));
  const cases: [string[], RegExp][] = [
    [['--date', '2020-01-01'], /has passed/],
    [['--date', '2099-02-30'], /no such date/],
    [['--date', '2099-03-29', '--time', '02:30'], /does not exist in Europe\/Oslo/],
    [['--date', '1.12.2099'], /YYYY-MM-DD/],
    [['--date', '2099-12-01', '--time-zone', 'Mars/Olympus'], /unknown time zone/],
  ];
  for (const [args, msg] of cases) {
    const r = await cli(['publish', px, '--db', db, ...args]);
    assert.equal(r.status, 1, args.join(' '));
    assert.match(r.stderr, msg);
  }
  const missing = await cli(['versions', '11118', '--db', join(dir, 'absent.db')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /No database/);
});
