import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CubeCodecError,
  decodeCube,
  decodeCubeChunks,
  encodeCube,
  fitsInt32,
  peekHeader,
  VALUES_FLOAT64,
  VALUES_INT32,
} from '../../src/store/cubeCodec.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sameBits(a: Float64Array, b: Float64Array): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) assert.fail(`cell ${i}: ${a[i]} != ${b[i]}`);
  }
}

test('round trip of random cubes: int and float values, with and without status', () => {
  const rnd = prng(42);
  for (let round = 0; round < 60; round++) {
    const n = Math.floor(rnd() * 5000) + (round === 0 ? 0 : 1);
    const kind = round % 3; // 0 int, 1 float, 2 int with big values
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      values[i] =
        kind === 0 ? Math.floor(rnd() * 2000) - 1000 : kind === 1 ? (rnd() - 0.5) * 1e6 : Math.floor(rnd() * 2 ** 31) * (rnd() < 0.5 ? -1 : 1);
    }
    let status: Uint8Array | null = null;
    if (round % 2 === 1 && n > 0) {
      status = new Uint8Array(n);
      // runs of symbols of random length, including long runs
      let i = 0;
      while (i < n) {
        const len = Math.floor(rnd() * (rnd() < 0.1 ? 400 : 6)) + 1;
        const code = rnd() < 0.5 ? 0 : Math.floor(rnd() * 8) + 1;
        for (let k = i; k < Math.min(n, i + len); k++) {
          status[k] = code;
          if (code) values[k] = 0;
        }
        i += len;
      }
    }
    const enc = encodeCube(values, status);
    const head = peekHeader(enc);
    assert.equal(head.cells, n);
    assert.equal(head.valueKind, kind === 1 ? VALUES_FLOAT64 : VALUES_INT32, `round ${round}`);
    const dec = decodeCube(enc);
    sameBits(dec.values, values);
    const anySymbol = status ? status.some((s) => s !== 0) : false;
    if (anySymbol) assert.deepEqual(dec.status, status);
    else assert.equal(dec.status, null);
  }
});

test('int32 encoding halves the size; floats, NaN, -0 and out-of-range integers stay float64', () => {
  const ints = Float64Array.from({ length: 1000 }, (_, i) => i * 7 - 3000);
  assert.equal(encodeCube(ints, null).length, 16 + 4 * 1000);
  for (const odd of [0.5, NaN, -0, 2 ** 31, -(2 ** 31) - 1, Infinity]) {
    const v = Float64Array.from([1, 2, odd]);
    assert.equal(fitsInt32(v), false, String(odd));
    const dec = decodeCube(encodeCube(v, null));
    sameBits(dec.values, v);
  }
  assert.equal(fitsInt32(Float64Array.from([-(2 ** 31), 2 ** 31 - 1, 0])), true);
});

test('an all-zero status is stored as none; long runs stay small', () => {
  const n = 100_000;
  const values = new Float64Array(n).fill(1.5);
  assert.equal(decodeCube(encodeCube(values, new Uint8Array(n))).status, null);
  const status = new Uint8Array(n);
  status.fill(2, 10, 90_000);
  const enc = encodeCube(values, status);
  assert.ok(enc.length < 16 + 8 * n + 16, `status runs take ${enc.length - 16 - 8 * n} bytes`);
  assert.deepEqual(decodeCube(enc).status, status);
});

test('decoding works from an unaligned copy', () => {
  const values = Float64Array.from([1.25, -2.5, 3.75]);
  const enc = encodeCube(values, null);
  const shifted = new Uint8Array(enc.length + 3);
  shifted.set(enc, 3);
  sameBits(decodeCube(shifted.subarray(3)).values, values);
  const ints = encodeCube(Float64Array.from([5, 6, 7]), Uint8Array.from([0, 8, 0]));
  const s2 = new Uint8Array(ints.length + 1);
  s2.set(ints, 1);
  const d = decodeCube(s2.subarray(1));
  sameBits(d.values, Float64Array.from([5, 6, 7]));
  assert.deepEqual(d.status, Uint8Array.from([0, 8, 0]));
});

test('garbage input is rejected with CubeCodecError, never a crash', () => {
  const good = encodeCube(Float64Array.from([1, 2, 3, 4]), Uint8Array.from([0, 1, 1, 0]));
  const cases: Uint8Array[] = [
    new Uint8Array(0),
    new Uint8Array(15),
    Buffer.from('this is not cube data at all'),
    good.subarray(0, good.length - 1), // truncated runs
    good.subarray(0, 20), // truncated values
  ];
  const badKind = Buffer.from(good);
  badKind[4] = 9;
  cases.push(badKind);
  const badCode = Buffer.from(good);
  badCode[16 + 16] = 200; // first run's status code
  cases.push(badCode);
  const hugeCount = Buffer.from(good);
  hugeCount[12] = 0xff;
  cases.push(hugeCount);
  const rnd = prng(7);
  for (let i = 0; i < 200; i++) {
    const b = Buffer.from(good);
    b[16 + Math.floor(rnd() * (b.length - 16))] = Math.floor(rnd() * 256);
    b[Math.floor(rnd() * 16)] ^= 1 << Math.floor(rnd() * 8);
    cases.push(b);
  }
  for (const c of cases) {
    try {
      const d = decodeCube(c);
      // a mutation may still be valid data: then it must decode to the right cell count
      assert.equal(d.values.length, 4);
    } catch (e) {
      assert.ok(e instanceof CubeCodecError, `unexpected ${(e as Error).stack}`);
    }
  }
  assert.throws(() => encodeCube(Float64Array.from([1]), Uint8Array.from([9])), CubeCodecError);
  assert.throws(() => encodeCube(Float64Array.from([1, 2]), Uint8Array.from([0])), CubeCodecError);
  assert.throws(() => encodeCube([1, 2] as unknown as Float64Array, null), CubeCodecError);
});

test('decoded float cubes keep at most ~9 bytes per cell alive, even with many status runs', () => {
  const n = 200_000;
  const values = Float64Array.from({ length: n }, (_, i) => i + 0.5);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i += 2) status[i] = 1; // a run per cell: the run-length tail is ~2 bytes per cell
  for (const st of [null, status]) {
    const d = decodeCube(encodeCube(values, st));
    const kept = d.values.buffer.byteLength + (d.status ? d.status.buffer.byteLength : 0);
    assert.ok(kept / n <= 9.05, `${kept / n} bytes per cell`);
    sameBits(d.values, values);
  }
});

test('decoding from an unaligned Buffer view copies correctly (Buffer#slice is a view)', () => {
  const values = Float64Array.from([1.5, 2.5, 3.5, 4.5]);
  for (const v of [values, Float64Array.from([1, 2, 3, 4])]) {
    const enc = encodeCube(v, Uint8Array.from([0, 1, 0, 0]));
    const big = Buffer.alloc(enc.length + 5);
    enc.copy(big, 5);
    const d = decodeCube(big.subarray(5));
    assert.equal(d.values.length, 4);
    assert.deepEqual([...d.values], [v[0], v[1], v[2], v[3]]);
  }
});

/** Split `bytes` into pieces of random sizes (1 byte up to `max`), each a view at an odd offset of its own buffer. */
function split(bytes: Uint8Array, rnd: () => number, max: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const len = Math.min(bytes.length - at, 1 + Math.floor(rnd() * max));
    const shift = Math.floor(rnd() * 4);
    const host = new Uint8Array(len + shift);
    host.set(bytes.subarray(at, at + len), shift);
    out.push(host.subarray(shift));
    at += len;
  }
  return out;
}

test('decoding from chunks equals decoding the joined bytes, for any chunk boundaries', () => {
  const rnd = prng(11);
  for (let round = 0; round < 80; round++) {
    const n = 1 + Math.floor(rnd() * 3000);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = round % 2 ? Math.floor(rnd() * 1e6) - 5e5 : (rnd() - 0.5) * 1e9;
    let status: Uint8Array | null = null;
    if (round % 3 !== 0) {
      status = new Uint8Array(n);
      for (let i = 0; i < n; i++) if (rnd() < 0.05) status[i] = 1 + Math.floor(rnd() * 8);
    }
    const enc = encodeCube(values, status);
    const max = [1, 3, 7, 64, 4096][round % 5];
    const d = decodeCubeChunks(split(enc, rnd, max));
    sameBits(d.values, values);
    assert.deepEqual(d.status, status && status.some((s) => s !== 0) ? status : null);
  }
  // the same errors as decodeCube on damaged data
  const good = encodeCube(Float64Array.from([1, 2, 3, 4]), Uint8Array.from([0, 1, 1, 0]));
  for (const bad of [good.subarray(0, good.length - 1), good.subarray(0, 20), Buffer.concat([encodeCube(Float64Array.of(1.5), null), Buffer.of(0)])]) {
    assert.throws(() => decodeCube(bad), CubeCodecError);
    assert.throws(() => decodeCubeChunks(split(bad, rnd, 3)), CubeCodecError);
  }
  assert.throws(() => decodeCubeChunks([]), CubeCodecError);
});
