// Compact binary form of a cube's cells (values + status), as stored in the database.
//
// Layout (little-endian):
//   0  4 bytes  magic "SBC1"
//   4  u8       value kind: 1 = Int32 (every value an integer that fits), 2 = Float64
//   5  u8       status kind: 0 = none (status null), 1 = run-length encoded
//   6  u16      reserved (0)
//   8  u32 x2   cell count (low, high word)
//  16  values   count x 4 or count x 8 bytes (offset 16 keeps Float64 8-byte aligned)
//  ..  status   runs of [u8 status code][LEB128 run length], covering every cell
//
// Decoding builds typed arrays only: Float64 values are viewed in place when aligned, Int32 values are widened
// by one native typed-array copy, runs are expanded with fill().

import { endianness } from 'node:os';

const MAGIC = 0x31434253; // "SBC1" read as little-endian u32
const HEADER = 16;
export const VALUES_INT32 = 1;
export const VALUES_FLOAT64 = 2;
/** Highest valid status code (Status.Nil). */
const MAX_STATUS = 8;
const LITTLE = endianness() === 'LE';

export class CubeCodecError extends Error {}

export interface CubeCells {
  values: Float64Array;
  /** null when no cell has a symbol. */
  status: Uint8Array | null;
}

/** True when every value is an integer in Int32 range (and no negative zero, which Int32 cannot keep). */
export function fitsInt32(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if ((v | 0) !== v || (v === 0 && 1 / v < 0)) return false;
  }
  return true;
}

/** Run-length encode status codes; returns null when every cell is Status.Value. */
function encodeRuns(status: Uint8Array): Uint8Array | null {
  const n = status.length;
  let any = false;
  for (let i = 0; i < n; i++) {
    if (status[i] !== 0) {
      any = true;
      break;
    }
  }
  if (!any) return null;
  // Worst case: a run per cell, 1 code byte + up to 8 varint bytes.
  const parts: Uint8Array[] = [];
  let buf = new Uint8Array(Math.min(n * 2 + 16, 1 << 20));
  let at = 0;
  let i = 0;
  while (i < n) {
    const code = status[i];
    if (code > MAX_STATUS) throw new CubeCodecError(`invalid status code ${code} at cell ${i}`);
    let j = i + 1;
    while (j < n && status[j] === code) j++;
    if (at + 10 > buf.length) {
      parts.push(buf.subarray(0, at));
      buf = new Uint8Array(buf.length);
      at = 0;
    }
    buf[at++] = code;
    let len = j - i;
    while (len >= 0x80) {
      buf[at++] = (len % 0x80) | 0x80;
      len = Math.floor(len / 0x80);
    }
    buf[at++] = len;
    i = j;
  }
  parts.push(buf.subarray(0, at));
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Encode values + status. The result is a Buffer over a fresh ArrayBuffer (offset 0). */
export function encodeCube(values: Float64Array, status: Uint8Array | null): Buffer {
  if (!(values instanceof Float64Array)) throw new CubeCodecError('values must be a Float64Array');
  const n = values.length;
  if (status && !(status instanceof Uint8Array)) throw new CubeCodecError('status must be a Uint8Array or null');
  if (status && status.length !== n) throw new CubeCodecError(`status has ${status.length} cells, values ${n}`);
  const runs = status ? encodeRuns(status) : null;
  const asInt = fitsInt32(values);
  const width = asInt ? 4 : 8;
  const total = HEADER + n * width + (runs ? runs.length : 0);
  const ab = new ArrayBuffer(total);
  const dv = new DataView(ab);
  dv.setUint32(0, MAGIC, true);
  dv.setUint8(4, asInt ? VALUES_INT32 : VALUES_FLOAT64);
  dv.setUint8(5, runs ? 1 : 0);
  dv.setUint16(6, 0, true);
  dv.setUint32(8, n % 0x100000000, true);
  dv.setUint32(12, Math.floor(n / 0x100000000), true);
  if (LITTLE) {
    if (asInt) new Int32Array(ab, HEADER, n).set(values);
    else new Float64Array(ab, HEADER, n).set(values);
  } else if (asInt) {
    for (let i = 0; i < n; i++) dv.setInt32(HEADER + i * 4, values[i], true);
  } else {
    for (let i = 0; i < n; i++) dv.setFloat64(HEADER + i * 8, values[i], true);
  }
  if (runs) new Uint8Array(ab, HEADER + n * width).set(runs);
  return Buffer.from(ab, 0, total);
}

/** Cell count and value kind of an encoded cube, without decoding it. */
export function peekHeader(bytes: Uint8Array): { cells: number; valueKind: number; hasStatus: boolean } {
  if (!(bytes instanceof Uint8Array) || bytes.length < HEADER) throw new CubeCodecError('cube data too short');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new CubeCodecError('not cube data (bad magic)');
  const valueKind = dv.getUint8(4);
  if (valueKind !== VALUES_INT32 && valueKind !== VALUES_FLOAT64) throw new CubeCodecError(`unknown value kind ${valueKind}`);
  const statusKind = dv.getUint8(5);
  if (statusKind > 1) throw new CubeCodecError(`unknown status kind ${statusKind}`);
  const cells = dv.getUint32(8, true) + dv.getUint32(12, true) * 0x100000000;
  if (!Number.isSafeInteger(cells)) throw new CubeCodecError('bad cell count');
  return { cells, valueKind, hasStatus: statusKind === 1 };
}

/**
 * Decode cube data. Float64 values are a view into `bytes` when it is 8-byte aligned and its buffer holds little
 * else (the caller hands the buffer over); otherwise they are copied, so a decoded cube keeps at most about
 * 9 bytes per cell alive.
 */
export function decodeCube(bytes: Uint8Array): CubeCells {
  const { cells: n, valueKind, hasStatus } = peekHeader(bytes);
  const width = valueKind === VALUES_INT32 ? 4 : 8;
  const valuesEnd = HEADER + n * width;
  if (bytes.length < valuesEnd) throw new CubeCodecError(`cube data truncated: ${bytes.length} bytes for ${n} cells`);
  if (!hasStatus && bytes.length !== valuesEnd) throw new CubeCodecError('trailing bytes after cube values');
  const start = bytes.byteOffset + HEADER;
  let values: Float64Array;
  if (!LITTLE) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    values = new Float64Array(n);
    for (let i = 0; i < n; i++) values[i] = width === 4 ? dv.getInt32(HEADER + i * 4, true) : dv.getFloat64(HEADER + i * 8, true);
  } else if (width === 4) {
    const ints = start % 4 === 0 ? new Int32Array(bytes.buffer, start, n) : new Int32Array(copyBytes(bytes, HEADER, valuesEnd).buffer);
    values = new Float64Array(ints);
  } else if (start % 8 === 0 && bytes.buffer.byteLength - 8 * n <= Math.max(4096, n / 8)) {
    // In place: the view keeps the whole buffer alive, so only when little besides the values is in it.
    values = new Float64Array(bytes.buffer, start, n);
  } else {
    values = new Float64Array(copyBytes(bytes, HEADER, valuesEnd).buffer);
  }
  const status = hasStatus ? decodeRuns(bytes, valuesEnd, n) : null;
  return { values, status };
}

/**
 * Decode cube data stored in consecutive pieces (the database's chunks) without joining them first: values are
 * copied (Float64) or widened (Int32) from each piece straight into the result, so no blob-sized intermediate
 * buffer is ever made. Same result and errors as `decodeCube` of the joined bytes.
 */
export function decodeCubeChunks(chunks: readonly Uint8Array[]): CubeCells {
  const steps = decodeSteps(chunks);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * `decodeCubeChunks` that gives the event loop a turn (`pause`) after each piece, so decoding a large cube never
 * blocks other requests for longer than one piece takes.
 */
export async function decodeCubeChunksYielding(chunks: readonly Uint8Array[], pause: () => Promise<void>): Promise<CubeCells> {
  const steps = decodeSteps(chunks);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/** The decoding, one step per piece (a generator: the callers decide whether to pause between steps). */
function* decodeSteps(chunks: readonly Uint8Array[]): Generator<void, CubeCells> {
  if (chunks.length === 1) return decodeCube(chunks[0]);
  let total = 0;
  for (const c of chunks) total += c.length;
  const head = readRange(chunks, 0, Math.min(HEADER, total));
  const { cells: n, valueKind, hasStatus } = peekHeader(head);
  const width = valueKind === VALUES_INT32 ? 4 : 8;
  const valuesEnd = HEADER + n * width;
  if (total < valuesEnd) throw new CubeCodecError(`cube data truncated: ${total} bytes for ${n} cells`);
  if (!hasStatus && total !== valuesEnd) throw new CubeCodecError('trailing bytes after cube values');
  if (!LITTLE) return decodeCube(readRange(chunks, 0, total));

  // not zero-filled: every cell is written below, piece by piece, so the pages are touched between the pauses
  // instead of all at once here (on a VM, first-touching 100+ MB takes 100 ms)
  const values = n ? new Float64Array(Buffer.allocUnsafeSlow(n * 8).buffer, 0, n) : new Float64Array(0);
  yield;
  if (width === 8) {
    const out = new Uint8Array(values.buffer);
    for (const [piece, at] of pieces(chunks, HEADER, valuesEnd)) {
      out.set(piece, at - HEADER);
      yield;
    }
  } else {
    // widen whole Int32s per piece; an int split between two pieces goes through a 4-byte carry
    const carry = new Uint8Array(4);
    let carried = 0;
    let cell = 0;
    for (const [piece] of pieces(chunks, HEADER, valuesEnd)) {
      let p = 0;
      if (carried) {
        while (carried < 4 && p < piece.length) carry[carried++] = piece[p++];
        if (carried < 4) continue;
        values[cell++] = new Int32Array(carry.buffer)[0];
        carried = 0;
      }
      const whole = (piece.length - p) >> 2;
      if (whole) {
        const start = piece.byteOffset + p;
        const ints = start % 4 === 0 ? new Int32Array(piece.buffer, start, whole) : new Int32Array(piece.slice(p, p + whole * 4).buffer);
        values.set(ints, cell);
        cell += whole;
        p += whole * 4;
      }
      while (p < piece.length) carry[carried++] = piece[p++];
      yield;
    }
  }
  const status = hasStatus ? decodeRuns(readRange(chunks, valuesEnd, total), 0, n) : null;
  return { values, status };
}

/** The part of each piece that falls in the byte range [from, to) of the joined data, with its offset there. */
function pieces(chunks: readonly Uint8Array[], from: number, to: number): [Uint8Array, number][] {
  const out: [Uint8Array, number][] = [];
  forEachPiece(chunks, from, to, (piece, at) => out.push([piece, at]));
  return out;
}

/** Call `f` with the part of each piece that falls in the byte range [from, to) of the joined data. */
function forEachPiece(chunks: readonly Uint8Array[], from: number, to: number, f: (piece: Uint8Array, at: number) => void): void {
  let at = 0;
  for (const c of chunks) {
    const end = at + c.length;
    const a = Math.max(from, at);
    const b = Math.min(to, end);
    if (a < b) f(c.subarray(a - at, b - at), a);
    at = end;
    if (at >= to) break;
  }
}

/** The bytes [from, to) of the joined pieces, in a fresh array. */
function readRange(chunks: readonly Uint8Array[], from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  forEachPiece(chunks, from, to, (piece, at) => out.set(piece, at - from));
  return out;
}

/** A copy in a fresh buffer (Buffer#slice would return a view of the same memory). */
function copyBytes(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(to - from);
  out.set(bytes.subarray(from, to));
  return out;
}

function decodeRuns(bytes: Uint8Array, from: number, n: number): Uint8Array | null {
  const status = new Uint8Array(n);
  let at = from;
  let cell = 0;
  let any = false;
  const end = bytes.length;
  while (at < end) {
    const code = bytes[at++];
    if (code > MAX_STATUS) throw new CubeCodecError(`invalid status code ${code}`);
    let len = 0;
    let mul = 1;
    for (;;) {
      if (at >= end) throw new CubeCodecError('status runs truncated');
      const b = bytes[at++];
      len += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new CubeCodecError('status run length too long');
    }
    if (len === 0 || cell + len > n) throw new CubeCodecError('status runs do not match the cell count');
    if (code !== 0) {
      status.fill(code, cell, cell + len);
      any = true;
    }
    cell += len;
  }
  if (cell !== n) throw new CubeCodecError(`status runs cover ${cell} of ${n} cells`);
  return any ? status : null;
}
