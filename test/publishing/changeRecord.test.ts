// The change record of a release on a SQLite store: made from the metadata of the version before (the record the
// feed held), without reading or decoding that version's cells, which the instant's readers may need the time for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReleaseFeed } from '../../src/admin/feed.js';
import { createMemoryAdminStore } from '../../src/admin/adminStore.js';
import type { ChangeRecord } from '../../src/admin/changes.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { cube } from '../store/cubes.js';

test('a release is recorded as a structural change without loading the previous version\'s cells', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-changes-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let now = Date.parse('2026-12-01T12:00:00Z');
  const path = join(dir, 'c.db');
  const writer = openSqliteStore(path, { now: () => now });
  writer.putTable(cube('90002', [2, 3], (i) => i, 'Handel'));
  writer.close();
  // a fresh process: nothing of 90002 is in its cube cache
  const store = openSqliteStore(path, { now: () => now });
  const admin = createMemoryAdminStore();
  const feed = new ReleaseFeed(store, admin, { baseUrl: 'https://stat.example' });
  try {
    feed.prime();
    const release = now + 3_600_000;
    store.scheduleTable(cube('90002', [3, 3], (i) => i * 2, 'Handel'), { releaseAt: new Date(release).toISOString() });
    await store.prepareRelease('90002', 2); // the scheduler's warm-up
    const loads = store.cubeLoads;
    now = release;
    assert.deepEqual((await feed.check()).map((e) => e.id), ['90002@2']);
    await feed.idle();
    const rec = await admin.get<ChangeRecord>('change', '90002@2');
    assert.deepEqual(rec?.changes, [{ kind: 'values-added', variable: 'V0', values: ['002'] }]);
    assert.equal(rec?.previousVersion, 1);
    assert.equal(store.cubeLoads, loads, 'no cube was read for the change record');
  } finally {
    await feed.close();
    store.close();
  }
});
