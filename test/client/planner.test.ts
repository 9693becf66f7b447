// Batch planning and pacing, with no server: the planner against an exhaustive search, the pacer on a fake clock.

import test from 'node:test';
import assert from 'node:assert/strict';
import { cutList, planBatches, PlanError } from '../../src/client/planner.js';
import { SlidingWindowPacer } from '../../src/client/pacer.js';
import { retryAfterMs } from '../../src/client/http.js';

/** Fewest batches over every choice of pieces per variable (small cases only). */
function bruteForce(sizes: number[], limit: number): number {
  let best = Infinity;
  const rec = (i: number, batches: number, cells: number) => {
    if (cells > limit) return;
    if (i === sizes.length) {
      best = Math.min(best, batches);
      return;
    }
    for (let k = 1; k <= sizes[i]; k++) rec(i + 1, batches * k, cells * Math.ceil(sizes[i] / k));
  };
  rec(0, 1, 1);
  return best;
}

test('the planner finds the fewest batches (checked exhaustively)', () => {
  const cases: [number[], number][] = [
    [[7, 2, 6, 10], 20],
    [[24], 5],
    [[4, 6], 5],
    [[10, 10], 7],
    [[5, 5], 12],
    [[13, 7, 3], 30],
    [[9, 8, 7, 6], 100],
    [[2, 3, 5, 7, 11], 60],
    [[50, 40], 333],
  ];
  for (const [sizes, limit] of cases) {
    const p = planBatches(sizes.map((size, i) => ({ code: `v${i}`, size, splittable: true })), limit);
    const chunks = sizes.map((s, i) => Math.ceil(s / p.pieces[i]));
    assert.ok(chunks.reduce((a, b) => a * b, 1) <= limit, `${sizes} under ${limit}: batch too big`);
    assert.equal(p.batches, p.pieces.reduce((a, b) => a * b, 1));
    assert.equal(p.batches, bruteForce(sizes, limit), `${sizes} under ${limit}`);
  }
});

test('the planner leaves small queries whole, keeps unsplittable variables whole, and refuses what cannot fit', () => {
  const whole = planBatches([{ code: 'a', size: 10, splittable: true }], 10);
  assert.deepEqual(whole.pieces, [1]);
  assert.equal(whole.batches, 1);
  const p = planBatches(
    [
      { code: 'a', size: 6, splittable: false },
      { code: 'b', size: 10, splittable: true },
    ],
    20,
  );
  assert.equal(p.pieces[0], 1);
  assert.equal(p.batches, 4); // b in pieces of 3 (6 × 3 = 18 cells)
  assert.throws(() => planBatches([{ code: 'a', size: 30, splittable: false }], 20), PlanError);
  assert.throws(() => planBatches([{ code: 'a', size: 3, splittable: true }], 0), PlanError);
  // large figures stay quick and at the bound prod(sizes) / limit
  const big = planBatches(
    [1000, 1000, 20, 30].map((size, i) => ({ code: `v${i}`, size, splittable: true })),
    800_000,
  );
  assert.equal(big.batches, 750);
});

test('cutList makes balanced consecutive pieces', () => {
  const list = Array.from({ length: 10 }, (_, i) => i);
  const pieces = cutList(list, 3);
  assert.deepEqual(pieces.map((p) => p.length), [4, 3, 3]);
  assert.deepEqual(pieces.flat(), list);
});

test('the pacer waits exactly until the oldest call leaves the window', async () => {
  let now = 0;
  const sleeps: number[] = [];
  const pacer = new SlidingWindowPacer({
    maxCalls: 3,
    windowMs: 1000,
    marginMs: 0,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  });
  const starts: number[] = [];
  for (let i = 0; i < 7; i++) {
    const release = await pacer.acquire();
    starts.push(now);
    now += 10; // each call takes 10 ms
    release();
  }
  // three calls, then each next one as soon as the call three back has been over for a whole window
  assert.deepEqual(starts, [0, 10, 20, 1010, 1020, 1030, 2020]);
  for (let i = 3; i < starts.length; i++) assert.ok(starts[i] >= starts[i - 3] + 10 + 1000);
  assert.equal(pacer.waitedMs, sleeps.reduce((a, b) => a + b, 0));
});

test('the pacer counts calls in flight and is off without a limit', async () => {
  let now = 0;
  const pacer = new SlidingWindowPacer({ maxCalls: 2, windowMs: 1000, marginMs: 0, now: () => now, sleep: async (ms) => void (now += ms) });
  const r1 = await pacer.acquire();
  const r2 = await pacer.acquire();
  assert.equal(pacer.delay(), Infinity); // both slots held by calls still running
  let third = false;
  const p3 = pacer.acquire().then((r) => ((third = true), r));
  await new Promise((r) => setImmediate(r));
  assert.equal(third, false);
  now = 500;
  r1();
  // the first call ended at 500: it counts until 1500, so the third starts no earlier
  (await p3)();
  assert.equal(third, true);
  assert.equal(now, 1500);
  r2();
  const off = new SlidingWindowPacer({ maxCalls: 0, windowMs: 1000 });
  for (let i = 0; i < 100; i++) (await off.acquire())();
  assert.equal(off.delay(), 0);
});

test('Retry-After in seconds or as a date', () => {
  assert.equal(retryAfterMs('3'), 3000);
  assert.equal(retryAfterMs('0.5'), 500);
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now), 5000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(null), undefined);
});
