// Versions and scheduled releases on the Store port, run against both adapters with an injected clock:
// history by number, the embargo on every store read path, the flip at the exact instant, new tables in new
// folders, cancel and reschedule, an immediate put during an embargo, garbage arguments.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { StoreError } from '../../src/store/index.js';
import { cube, stamped, stampOf } from '../store/cubes.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-releases-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let n = 0;

const T0 = Date.parse('2026-11-30T12:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A store on a clock the test moves. */
function clocked(kind: 'sqlite' | 'memory'): { s: Store; at: (ms: number) => void } {
  let t = T0;
  const now = () => t;
  const s = kind === 'sqlite' ? openSqliteStore(join(dir, `r${n++}.db`), { chunkBytes: 512, now }) : createMemoryStore({ now });
  return { s, at: (ms) => (t = ms) };
}

/** Everything a reader can learn about table `id` through the store's read paths. */
async function readerView(s: Store, id: string, folder: string) {
  const rec = s.getTable(id);
  const listed = s.listTables().find((r) => r.id === id);
  const child = s.listChildren(folder).find((c) => c.kind === 'table' && c.table.id === id);
  let stamp: number | undefined;
  try {
    stamp = stampOf(await s.getCube(id));
  } catch (e) {
    assert.ok(e instanceof StoreError, String(e));
  }
  return {
    version: rec?.version,
    listed: listed?.version,
    child: child?.kind === 'table' ? child.table.version : undefined,
    stamp,
    versions: s.listVersions(id).map((v) => v.version),
  };
}

for (const kind of ['sqlite', 'memory'] as const) {
  describe(`versions and releases (${kind})`, () => {
    test('every put keeps its version: cubes by number, listVersions oldest first', async () => {
      const { s } = clocked(kind);
      for (let k = 1; k <= 3; k++) s.putTable(stamped('t', [4, 5], k), { published: iso(T0 - (4 - k) * HOUR) });
      assert.equal(stampOf(await s.getCube('t')), 3);
      assert.equal(stampOf(await s.getCube('t', { version: 1 })), 1);
      assert.equal(stampOf(await s.getCube('t', { version: 2 })), 2);
      assert.equal(stampOf(await s.getCube('t', { version: 3 })), 3);
      const vs = s.listVersions('t');
      assert.deepEqual(vs.map((v) => [v.version, v.title.no, v.current, v.pending]), [
        [1, 'v1', false, false],
        [2, 'v2', false, false],
        [3, 'v3', true, false],
      ]);
      assert.equal(vs[0].published, iso(T0 - 3 * HOUR));
      assert.equal(vs[0].cells, 20);
      for (const bad of [4, 0, -1, 1.5, '1', null, NaN]) {
        await assert.rejects(s.getCube('t', { version: bad as number }), StoreError, `version ${String(bad)}`);
      }
      await assert.rejects(s.getCube('nope', { version: 1 }), StoreError);
      assert.deepEqual(s.listVersions('nope'), []);
      assert.deepEqual(s.listVersions(7 as unknown as string), []);
      // a deleted table takes its history with it
      assert.equal(s.deleteTable('t'), true);
      assert.deepEqual(s.listVersions('t'), []);
      await assert.rejects(s.getCube('t', { version: 1 }), StoreError);
      s.close();
    });

    test('a scheduled version is invisible on every read path until its release instant', async () => {
      const { s, at } = clocked(kind);
      s.putFolder('be', { no: 'Befolkning', en: 'Population' });
      s.putTable(stamped('t', [3, 4], 1), { folders: ['be'], shortName: 'folk' });
      const releaseMs = T0 + 20 * HOUR;
      const sched = s.scheduleTable(stamped('t', [3, 5], 2), { releaseAt: iso(releaseMs) });
      assert.equal(sched.record.version, 2);
      assert.equal(sched.releaseAt, iso(releaseMs));
      assert.equal(sched.record.published, iso(releaseMs), 'published is the release time');
      assert.deepEqual(sched.record.folders, ['be'], 'folders are inherited');
      assert.equal(sched.record.shortName, 'folk');

      const before = { version: 1, listed: 1, child: 1, stamp: 1, versions: [1] };
      assert.deepEqual(await readerView(s, 't', 'be'), before);
      await assert.rejects(s.getCube('t', { version: 2 }), StoreError);
      // release tooling (headlines written ahead of the instant) reads it only by asking, and readers still do not
      assert.equal(stampOf(await s.getCube('t', { version: 2, includePending: true })), 2);
      await assert.rejects(s.getCube('t', { version: 3, includePending: true }), StoreError);
      assert.deepEqual(await readerView(s, 't', 'be'), before);
      await assert.rejects(s.getCube('t', { version: 2 }), StoreError);
      assert.deepEqual(s.listVersions('t', { includePending: true }).map((v) => [v.version, v.pending, v.releaseAt ?? null]), [
        [1, false, null],
        [2, true, iso(releaseMs)],
      ]);
      assert.deepEqual(s.listScheduled().map((r) => [r.record.id, r.record.version, r.releaseAt]), [['t', 2, iso(releaseMs)]]);

      at(releaseMs - 1);
      assert.deepEqual(await readerView(s, 't', 'be'), before);
      at(releaseMs);
      assert.deepEqual(await readerView(s, 't', 'be'), { version: 2, listed: 2, child: 2, stamp: 2, versions: [1, 2] });
      assert.equal(s.getTable('t')?.published, iso(releaseMs));
      assert.equal(stampOf(await s.getCube('t', { version: 1 })), 1, 'the old version stays readable by number');
      assert.deepEqual(s.listScheduled(), []);
      assert.deepEqual(s.listVersions('t').map((v) => v.current), [false, true]);
      s.close();
    });

    test('a new table in a new folder: neither shows before the release, both at it', async () => {
      const { s, at } = clocked(kind);
      s.putFolder('be', { no: 'Befolkning' });
      s.putFolder('be/be09', { no: 'Ny statistikk' });
      s.putFolder('be/tom', { no: 'Tom' });
      s.putTable(cube('old', [2], (i) => i), { folders: ['be'] });
      const releaseMs = T0 + HOUR;
      s.scheduleTable(stamped('new1', [2, 2], 1), { releaseAt: iso(releaseMs), folders: ['be/be09'] });
      const folderIds = () => s.listChildren('be').map((c) => (c.kind === 'folder' ? `f:${c.folder.id}` : `t:${c.table.id}`));

      assert.equal(s.getTable('new1'), undefined);
      assert.deepEqual(s.listTables().map((r) => r.id), ['old']);
      assert.deepEqual(folderIds(), ['f:tom', 't:old'], 'the empty folder shows, the embargoed one does not');
      assert.equal(s.getFolder('be/be09'), undefined);
      assert.deepEqual(s.listChildren('be/be09'), []);
      await assert.rejects(s.getCube('new1'), StoreError);
      await assert.rejects(s.getCube('new1', { version: 1 }), StoreError);
      assert.deepEqual(s.listVersions('new1'), []);

      at(releaseMs);
      assert.equal(s.getTable('new1')?.version, 1);
      assert.deepEqual(folderIds(), ['f:be09', 'f:tom', 't:old']);
      assert.equal(s.getFolder('be/be09')?.label.no, 'Ny statistikk');
      assert.deepEqual(s.listChildren('be/be09').map((c) => c.kind === 'table' && c.table.id), ['new1']);
      assert.equal(stampOf(await s.getCube('new1')), 1);
      s.close();
    });

    test('cancel and reschedule; versions are never reused; a released version cannot be cancelled', async () => {
      const { s, at } = clocked(kind);
      s.putTable(stamped('t', [2, 3], 1));
      s.scheduleTable(stamped('t', [2, 3], 2), { releaseAt: iso(T0 + HOUR) });
      assert.deepEqual(s.cancelRelease('t', 2), [2]);
      assert.throws(() => s.cancelRelease('t', 2), /no scheduled version 2/);
      assert.deepEqual(s.listScheduled(), []);
      assert.deepEqual(s.listVersions('t', { includePending: true }).map((v) => v.version), [1]);
      at(T0 + 2 * HOUR);
      assert.equal(s.getTable('t')?.version, 1, 'a cancelled version is never released');
      assert.equal(stampOf(await s.getCube('t')), 1);

      const r3 = s.scheduleTable(stamped('t', [2, 3], 3), { releaseAt: iso(T0 + 3 * HOUR) });
      assert.equal(r3.record.version, 3, 'version 2 is not reused');
      const moved = s.rescheduleRelease('t', 3, iso(T0 + 5 * HOUR));
      assert.equal(moved.releaseAt, iso(T0 + 5 * HOUR));
      assert.equal(moved.record.published, iso(T0 + 5 * HOUR));
      at(T0 + 4 * HOUR);
      assert.equal(s.getTable('t')?.version, 1, 'not at the old time');
      at(T0 + 5 * HOUR);
      assert.equal(s.getTable('t')?.version, 3, 'at the new time');
      assert.throws(() => s.cancelRelease('t', 3), /was released/);
      assert.throws(() => s.rescheduleRelease('t', 3, iso(T0 + 9 * HOUR)), /was released/);
      assert.equal(s.getTable('t')?.version, 3);

      // without a version: every scheduled version of the table
      s.scheduleTable(stamped('t', [2, 3], 4), { releaseAt: iso(T0 + 6 * HOUR) });
      s.scheduleTable(stamped('t', [2, 3], 5), { releaseAt: iso(T0 + 7 * HOUR) });
      assert.deepEqual(s.cancelRelease('t'), [4, 5]);
      assert.deepEqual(s.cancelRelease('t'), []);
      at(T0 + 8 * HOUR);
      assert.equal(s.getTable('t')?.version, 3);

      for (const bad of [42, null, undefined]) assert.throws(() => s.cancelRelease(bad as unknown as string), StoreError);
      assert.throws(() => s.cancelRelease('t', 0), StoreError);
      assert.throws(() => s.rescheduleRelease('t', 3, 'tomorrow'), StoreError);
      assert.throws(() => s.rescheduleRelease('t', 'x' as unknown as number, iso(T0)), StoreError);
      s.close();
    });

    test('release times must name a zone; garbage schedule arguments give StoreError', () => {
      const { s } = clocked(kind);
      s.putTable(cube('t', [2], (i) => i));
      const c = () => cube('t', [2], (i) => i + 1);
      for (const releaseAt of ['2026-12-01 08:00', '2026-12-01T08:00:00', 'tomorrow', '', 42, null, undefined, '2026-13-45T08:00Z']) {
        assert.throws(() => s.scheduleTable(c(), { releaseAt } as never), StoreError, String(releaseAt));
      }
      for (const opts of [null, undefined, 'x', 5]) assert.throws(() => s.scheduleTable(c(), opts as never), StoreError);
      assert.throws(() => s.scheduleTable(c(), { releaseAt: iso(T0 + HOUR), folders: ['missing'] }), /does not exist/);
      assert.throws(() => s.scheduleTable({ meta: { id: 'x' } } as never, { releaseAt: iso(T0 + HOUR) }), StoreError);
      assert.deepEqual(s.listScheduled(), []);
      assert.deepEqual(s.listVersions('t', { includePending: true }).map((v) => v.version), [1]);
      // an offset is understood
      const r = s.scheduleTable(c(), { releaseAt: '2026-12-01T08:00:00+01:00' });
      assert.equal(r.releaseAt, '2026-12-01T07:00:00.000Z');
      s.close();
    });

    test('an immediate put during an embargo: the version released last is current', async () => {
      const { s, at } = clocked(kind);
      s.putTable(stamped('t', [3, 5], 1));
      s.scheduleTable(stamped('t', [3, 5], 2), { releaseAt: iso(T0 + HOUR) });
      const fix = s.putTable(stamped('t', [3, 5], 3)); // a correction of the public version
      assert.equal(fix.version, 3);
      assert.equal(fix.published, iso(T0), 'published defaults to the store clock');
      assert.equal(stampOf(await s.getCube('t')), 3);
      at(T0 + HOUR);
      assert.equal(stampOf(await s.getCube('t')), 2, 'the release at 08:00 wins over the earlier correction');
      assert.equal(s.getTable('t')?.version, 2);
      at(T0 + 2 * HOUR);
      const later = s.putTable(stamped('t', [3, 5], 4));
      assert.equal(later.version, 4);
      assert.equal(stampOf(await s.getCube('t')), 4, 'a put after the release wins');
      assert.deepEqual(s.listVersions('t').map((v) => [v.version, v.current]), [
        [1, false],
        [2, false],
        [3, false],
        [4, true],
      ]);
      s.close();
    });

    test('releaseDue records each release once; a past release time publishes at once; two pending versions in order', async () => {
      const { s, at } = clocked(kind);
      s.putTable(stamped('t', [3, 5], 1));
      s.scheduleTable(stamped('t', [3, 5], 2), { releaseAt: iso(T0 + HOUR) });
      s.scheduleTable(stamped('t', [3, 5], 3), { releaseAt: iso(T0 + 2 * HOUR) });
      assert.deepEqual(s.releaseDue(), []);
      s.putTable(stamped('u', [3], 1));
      s.scheduleTable(stamped('u', [3], 2), { releaseAt: iso(T0 + HOUR / 2) });
      // one table's own schedule, soonest first; the whole schedule has both tables in time order
      assert.deepEqual(s.listScheduled('t').map((r) => [r.record.id, r.record.version]), [['t', 2], ['t', 3]]);
      assert.deepEqual(s.listScheduled('u').map((r) => r.record.version), [2]);
      assert.deepEqual(s.listScheduled('none'), []);
      assert.deepEqual(s.listScheduled().map((r) => r.record.id), ['u', 't', 't']);
      s.cancelRelease('u');
      at(T0 + 1.5 * HOUR);
      assert.equal(s.getTable('t')?.version, 2);
      assert.deepEqual(s.releaseDue().map((r) => r.version), [2]);
      assert.deepEqual(s.releaseDue(), []);
      assert.equal(s.getTable('t')?.version, 2);
      assert.deepEqual(s.listScheduled().map((r) => r.record.version), [3]);
      at(T0 + 2 * HOUR);
      assert.equal(stampOf(await s.getCube('t')), 3);
      assert.deepEqual(s.releaseDue().map((r) => r.version), [3]);

      const past = s.scheduleTable(stamped('p', [3, 5], 7), { releaseAt: iso(T0) });
      assert.equal(s.getTable('p')?.version, past.record.version, 'a release time already past is released now');
      assert.deepEqual(s.listScheduled(), []);
      assert.equal(s.now(), T0 + 2 * HOUR);
      s.close();
    });

    test('deleting a table removes its scheduled versions; prepareRelease checks its arguments', async () => {
      const { s, at } = clocked(kind);
      const r = s.scheduleTable(stamped('n', [3], 1), { releaseAt: iso(T0 + HOUR) });
      const prep = await s.prepareRelease('n', r.record.version);
      assert.equal(prep.cells, 3);
      assert.equal(prep.cached, true);
      await assert.rejects(s.prepareRelease('n', 9), StoreError);
      await assert.rejects(s.prepareRelease(5 as unknown as string, 1), StoreError);
      assert.equal(s.deleteTable('n'), true);
      assert.deepEqual(s.listScheduled(), []);
      at(T0 + 2 * HOUR);
      assert.equal(s.getTable('n'), undefined);
      await assert.rejects(s.getCube('n'), StoreError);
      s.close();
    });
  });
}
