// The release feed works a release out ahead of its instant (headlines on the scheduled version, the change record's
// comparison), so the instant itself reads no cube and compares nothing; what it worked out is used only for the
// version and the instant it was worked out for, and nothing of it shows before the instant.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReleaseFeed, type ReleaseEvent } from '../../src/admin/feed.js';
import { createMemoryAdminStore } from '../../src/admin/adminStore.js';
import type { ChangeRecord } from '../../src/admin/changes.js';
import type { HeadlineDef } from '../../src/admin/headlines.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { cube } from '../store/cubes.js';

const HOUR = 3_600_000;

test('headlines and the change record are worked out ahead, and the instant reads no cube', async () => {
  let now = Date.parse('2026-12-07T06:00:00Z');
  const store = createMemoryStore({ now: () => now });
  const admin = createMemoryAdminStore();
  const feed = new ReleaseFeed(store, admin, { baseUrl: 'https://stat.example' });
  let cubeReads: string[] = [];
  const getCube = store.getCube.bind(store);
  store.getCube = (id, o) => {
    cubeReads.push(`${id}@${o?.version ?? 'current'}`);
    return getCube(id, o);
  };
  const events: ReleaseEvent[] = [];
  feed.subscribe((evs) => events.push(...evs));
  try {
    store.putTable(cube('90002', [2, 3], (i) => i * 1000, 'Handel'));
    const def: HeadlineDef = { id: 'handel', tableId: '90002', template: 'TRADE NK{value:0.0} BLN', query: { V0: '001', V1: 'latest' }, scale: 0.001 };
    await admin.put('headline', def.id, def);
    feed.prime();

    // 1. prepared 2 s ahead: the scheduled version is read then, and nothing is announced or recorded
    const R = now + HOUR;
    store.scheduleTable(cube('90002', [3, 3], (i) => i * 2000, 'Handel'), { releaseAt: new Date(R).toISOString() });
    now = R - 2000;
    await feed.prepare(R);
    assert.deepEqual(cubeReads, ['90002@2'], 'the headline is written on the scheduled version ahead');
    assert.deepEqual(events, []);
    assert.deepEqual(feed.recent(), []);
    assert.deepEqual(await admin.list('change'), []);
    assert.deepEqual(await feed.check(), [], 'a check before the instant finds nothing');

    cubeReads = [];
    now = R;
    await feed.check();
    await feed.idle();
    assert.deepEqual(events.map((e) => [e.id, e.headlines.map((h) => [h.text, h.version])]), [['90002@2', [['TRADE NK10.0 BLN', 2]]]]);
    assert.deepEqual(cubeReads, [], 'no cube read at the instant or for its change record');
    const rec = await admin.get<ChangeRecord>('change', '90002@2');
    assert.deepEqual(rec?.changes, [{ kind: 'values-added', variable: 'V0', values: ['002'] }]);
    assert.equal(rec?.previousVersion, 1);

    // 2. the version prepared for is cancelled and another scheduled for the same instant: the instant works the
    // new one out itself (the prepared headline would be the wrong number)
    const R2 = R + HOUR;
    store.scheduleTable(cube('90002', [3, 3], (i) => i * 3000, 'Handel'), { releaseAt: new Date(R2).toISOString() });
    now = R2 - 2000;
    await feed.prepare(R2);
    assert.deepEqual(store.cancelRelease('90002', 3), [3]);
    store.scheduleTable(cube('90002', [3, 4], (i) => i * 4000, 'Handel'), { releaseAt: new Date(R2).toISOString() });
    cubeReads = [];
    now = R2;
    await feed.check();
    await feed.idle();
    const last = events.at(-1)!;
    assert.equal(last.id, '90002@4');
    // V0 001, V1 'latest' of four: cell 1 * 4 + 3 = 7 of the new version, 7 * 4000 * 0.001
    assert.deepEqual(last.headlines.map((h) => [h.text, h.version]), [['TRADE NK28.0 BLN', 4]]);
    assert.ok(cubeReads.includes('90002@4'), 'the new version was read at the instant');
    const rec4 = await admin.get<ChangeRecord>('change', '90002@4');
    assert.equal(rec4?.previousVersion, 2);
    assert.deepEqual(rec4?.changes, [{ kind: 'values-added', variable: 'V1', values: ['003'] }]);
  } finally {
    await feed.close();
    store.close();
  }
});
