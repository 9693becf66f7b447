// Admission control: small answers pass at once; heavy ones share a few slots, wait their turn per client (round
// robin), and past the queue's bounds are refused with a Retry-After. A request that gives up while waiting leaves.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission, AdmissionRefused } from '../../src/app/admission.js';

const settings = { heavyBytes: 1000, maxHeavy: 1, maxBufferedBytes: 10_000, maxQueue: 4, maxPerClient: 2 };

test('small answers never wait, whatever the load', async () => {
  const a = new Admission(settings);
  const heavy = await a.acquire('x', 5000, false);
  for (let i = 0; i < 100; i++) (await a.acquire(`c${i}`, 10, true))();
  assert.equal(a.stats.running, 1);
  heavy();
  assert.equal(a.stats.running, 0);
});

test('heavy answers take turns between clients (round robin), not first come first served', async () => {
  const a = new Admission({ ...settings, maxPerClient: 3, maxQueue: 10 });
  const order: string[] = [];
  const first = await a.acquire('busy', 5000, false);
  // each grant is released as soon as it is made, so the queue drains one at a time
  const take = (client: string) => a.acquire(client, 5000, false).then((release) => (order.push(client), release()));
  const waits = [take('busy'), take('busy'), take('quiet')];
  assert.equal(a.stats.waiting, 3);
  first();
  await Promise.all(waits);
  assert.deepEqual(order, ['busy', 'quiet', 'busy']);
  assert.equal(a.stats.waiting, 0);
  assert.equal(a.stats.running, 0);
});

test('a client over its share is refused (429-kind), a full queue refuses everyone (503-kind), both with Retry-After', async () => {
  const a = new Admission(settings);
  const held = [await a.acquire('greedy', 5000, false)];
  const queued = a.acquire('greedy', 5000, false);
  await assert.rejects(a.acquire('greedy', 5000, false), (e: unknown) => e instanceof AdmissionRefused && e.reason === 'client' && e.retryAfter >= 1);
  const others = [a.acquire('b', 5000, false), a.acquire('c', 5000, false), a.acquire('d', 5000, false)];
  await assert.rejects(a.acquire('e', 5000, false), (e: unknown) => e instanceof AdmissionRefused && e.reason === 'server' && e.retryAfter >= 1);
  held[0]();
  for (const w of [queued, ...others]) (await w)();
  assert.deepEqual({ running: a.stats.running, waiting: a.stats.waiting }, { running: 0, waiting: 0 });
});

test('whole-in-memory answers count against the byte budget; one larger than it is refused at once', async () => {
  const a = new Admission({ ...settings, maxHeavy: 4 });
  await assert.rejects(a.acquire('x', 20_000, true), (e: unknown) => e instanceof AdmissionRefused && e.reason === 'server');
  const r = await a.acquire('x', 6000, true);
  assert.equal(a.stats.bufferedBytes, 6000);
  // a second one would pass the budget: it waits although slots are free
  let granted = false;
  const w = a.acquire('y', 6000, true).then((rel) => ((granted = true), rel));
  await new Promise((res) => setImmediate(res));
  assert.equal(granted, false);
  r();
  (await w)();
  assert.equal(granted, true);
  assert.equal(a.stats.bufferedBytes, 0);
});

test('a request that gives up while waiting leaves the queue and its place counts no more', async () => {
  const a = new Admission(settings);
  const held = await a.acquire('x', 5000, false);
  const ac = new AbortController();
  const w = a.acquire('y', 5000, false, ac.signal);
  assert.equal(a.stats.waiting, 1);
  ac.abort(new Error('client went away'));
  await assert.rejects(w, /client went away/);
  assert.equal(a.stats.waiting, 0);
  // y may queue again up to its full share
  const again = [a.acquire('y', 5000, false), a.acquire('y', 5000, false)];
  held();
  for (const g of again) (await g)();
});
