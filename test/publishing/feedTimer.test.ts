// The release feed's own timer (mock timers and Date, no real waiting): it wakes `prepareMs` before a release to read
// the headline templates, announces nothing then, and at the instant announces the release with the headline on the
// new version without reading the templates again; a template changed in between is read again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReleaseFeed, type ReleaseEvent } from '../../src/admin/feed.js';
import { Admin } from '../../src/admin/admin.js';
import { createMemoryAdminStore } from '../../src/admin/adminStore.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { cube } from '../store/cubes.js';

const R = Date.parse('2026-12-07T07:00:00.000Z');
const HOUR = 3_600_000;

test('the feed prepares a release before its instant (nothing announced) and announces it at the instant', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: R - HOUR });
  const flush = async () => {
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  };
  const store = createMemoryStore({ now: () => Date.now() });
  const adminStore = createMemoryAdminStore();
  let reads = 0;
  const list = adminStore.list.bind(adminStore);
  adminStore.list = (kind) => {
    if (kind === 'headline') reads++;
    return list(kind);
  };
  const admin = new Admin(store, { baseUrl: 'https://stat.example', adminStore, pollMs: 10 * HOUR, prepareMs: 2000 });
  const feed = admin.feed;
  const events: ReleaseEvent[] = [];
  feed.subscribe((evs) => events.push(...evs));
  try {
    store.putTable(cube('90002', [2, 3], (i) => i * 1000, 'Handel'));
    await admin.putHeadline({ id: 'handel', tableId: '90002', template: 'TRADE NK{value:0.0} BLN', query: { V0: '001', V1: 'latest' }, scale: 0.001 });
    store.scheduleTable(cube('90002', [2, 3], (i) => i * 2000, 'Handel'), { releaseAt: new Date(R).toISOString() });
    feed.start();
    await flush();
    reads = 0;

    t.mock.timers.tick(HOUR - 2000 - 1);
    await flush();
    assert.equal(reads, 0, 'not yet prepared');
    t.mock.timers.tick(1);
    await flush();
    assert.equal(reads, 1, 'the templates are read 2 s before the instant');
    assert.deepEqual(events, [], 'nothing announced when preparing');
    assert.deepEqual(feed.recent(), [], 'nothing held for a replay either');

    t.mock.timers.tick(1999);
    await flush();
    assert.deepEqual(events, [], 'one millisecond before the instant');
    t.mock.timers.tick(1);
    await flush();
    assert.deepEqual(
      events.map((e) => [e.id, e.released, e.headlines.map((h) => h.text)]),
      [['90002@2', new Date(R).toISOString(), ['TRADE NK10.0 BLN']]],
      'at the instant, the headline on the new version',
    );
    assert.equal(reads, 1, 'the templates were not read again at the instant');

    // a template changed after the preparation is read again at the instant
    const R2 = R + HOUR;
    store.scheduleTable(cube('90002', [2, 3], (i) => i * 3000, 'Handel'), { releaseAt: new Date(R2).toISOString() });
    feed.rearm();
    t.mock.timers.tick(HOUR - 1000);
    await flush();
    assert.equal(reads, 2, 'prepared for the second release');
    await admin.putHeadline({ id: 'handel', tableId: '90002', template: 'TRADE {V1:code} NK{value:0.00} BLN', query: { V0: '001', V1: 'latest' }, scale: 0.001 });
    t.mock.timers.tick(1000);
    await flush();
    assert.deepEqual(events.map((e) => e.headlines.map((h) => h.text)), [['TRADE NK10.0 BLN'], ['TRADE 002 NK15.00 BLN']]);
    assert.equal(reads, 3);
  } finally {
    await admin.close();
    store.close();
  }
});
