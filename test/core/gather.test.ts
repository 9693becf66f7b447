// gather() against direct indexing, for the shapes its fast paths take: trailing variables picked whole (one
// contiguous block), runs of consecutive indices (segments longer and shorter than the native-copy threshold),
// full ranges between partial picks, duplicates, reversed orders, status arrays with and without symbols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gather } from '../../src/core/engine.js';

function brute(src: Float64Array, status: Uint8Array | null, sizes: number[], idx: number[][]): { values: number[]; status: number[] } {
  const values: number[] = [];
  const st: number[] = [];
  const walk = (d: number, at: number) => {
    if (d === sizes.length) {
      values.push(src[at]);
      st.push(status ? status[at] : 0);
      return;
    }
    for (const i of idx[d]) walk(d + 1, at * sizes[d] + i);
  };
  walk(0, 0);
  return { values, status: st };
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

test('gather matches direct indexing for every selection shape', () => {
  let seed = 3;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const sizes = [6, 1, 9, 130, 4];
  const total = sizes.reduce((a, b) => a * b, 1);
  const src = Float64Array.from({ length: total }, (_, i) => i + 0.25);
  const status = new Uint8Array(total);
  for (let i = 0; i < total; i += 97) status[i] = 1 + (i % 8);
  const pickers: ((n: number) => number[])[] = [
    (n) => range(n), // whole
    (n) => range(Math.max(1, n - 2), 1).slice(0, Math.max(1, n - 2)).filter((x) => x < n), // one inner run
    (n) => range(n).reverse(), // descending: runs of one
    (n) => [n - 1, 0, 0, Math.floor(n / 2)], // duplicates and jumps
    (n) => range(n).filter((x) => x % 3 !== 1), // runs of two
    (n) => Array.from({ length: 1 + rnd(n) }, () => rnd(n)), // random
  ];
  let cases = 0;
  for (let round = 0; round < 120; round++) {
    const idx = sizes.map((n) => pickers[rnd(pickers.length)](n).filter((x) => x >= 0 && x < n));
    if (idx.some((a) => a.length === 0)) continue;
    for (const withStatus of [false, true]) {
      const want = brute(src, withStatus ? status : null, sizes, idx);
      const got = gather(src, withStatus ? status : null, sizes, idx);
      assert.deepEqual(Array.from(got.values), want.values, `values, idx ${JSON.stringify(idx)}`);
      const anySymbol = want.status.some((s) => s !== 0);
      if (!anySymbol) assert.equal(got.status, null, 'status is null when no returned cell has a symbol');
      else assert.deepEqual(Array.from(got.status!), want.status, `status, idx ${JSON.stringify(idx)}`);
      cases++;
    }
  }
  assert.ok(cases > 100);
  // the whole cube is one copy; a new array, not a view of the source
  const all = gather(src, status, sizes, sizes.map((n) => range(n)));
  assert.deepEqual(all.values, src);
  assert.notEqual(all.values.buffer, src.buffer);
  assert.deepEqual(all.status, status);
  // an empty pick gives an empty result
  assert.equal(gather(src, status, sizes, [[0], [], [0], [0], [0]]).values.length, 0);
});
