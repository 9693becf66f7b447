// Number formatting shared by every serializer.
//
// PxWeb rounds a cell to its shown decimals before writing it, both in JSON (where the rounded
// value is then written as the shortest number: 87.00 -> 87) and in text formats (where exactly
// `decimals` digits follow the point: "87.00"). Rounding is decided on the decimal representation
// of the double (its shortest round-trip string), so 1.005 is a tie at 2 decimals even though the
// binary value is slightly below it. Ties go to even by default, or away from zero (half up) when
// the table says ROUNDING=1.
//
// The writers put ASCII digits straight into a byte array: no per-number strings on the fast path.

import { contentsVariable, shownDecimals, type TableMeta } from '../core/model.js';

const POW10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) POW10.push(p);

/** Largest |value * 10^d| handled by the fast path (beyond it integers lose exactness). */
const FAST_LIMIT = 4e15;

export type RoundingRule = 'halfEven' | 'halfUp';

/** The table's rounding rule (PX ROUNDING: 0 = half to even, 1 = half up; absent = half to even). */
export function roundingRule(meta: Pick<TableMeta, 'rounding'>): RoundingRule {
  return meta.rounding === 1 ? 'halfUp' : 'halfEven';
}

/**
 * Shown decimals of a contents value: the contents' decimals (shownDecimals), raised by a
 * per-value PRECISION when that is higher.
 */
export function decimalsFor(meta: TableMeta, contentsCode?: string, precision?: number): number {
  const d = shownDecimals(meta, contentsCode);
  const out = precision !== undefined && precision > d ? precision : d;
  return out < 0 ? 0 : out > 15 ? 15 : out;
}

/**
 * Decimals per cell position: `decimals[k]` applies to cells whose contents value index is k.
 * `stride`/`size` locate the contents variable in the flat cell order (size 1 when there is none).
 */
export interface CellDecimals {
  decimals: Uint8Array;
  /** Cells per step of the contents variable (product of the sizes after it). */
  stride: number;
  size: number;
  /** true when every contents value has the same decimals. */
  uniform: boolean;
}

export function cellDecimals(meta: TableMeta): CellDecimals {
  const cv = contentsVariable(meta);
  if (!cv) {
    const d = decimalsFor(meta);
    return { decimals: Uint8Array.of(d), stride: 1, size: 1, uniform: true };
  }
  const decimals = Uint8Array.from(cv.values, (v) => decimalsFor(meta, v.code, v.precision));
  const at = meta.variables.indexOf(cv);
  let stride = 1;
  for (let k = at + 1; k < meta.variables.length; k++) stride *= meta.variables[k].values.length;
  let uniform = true;
  for (let i = 1; i < decimals.length; i++) if (decimals[i] !== decimals[0]) uniform = false;
  return { decimals, stride, size: decimals.length, uniform };
}

/** Decimals of flat cell `i`. */
export function decimalsAt(cd: CellDecimals, i: number): number {
  if (cd.uniform) return cd.decimals[0] ?? 0;
  return cd.decimals[Math.floor(i / cd.stride) % cd.size];
}

// ---------------------------------------------------------------------------------------------
// Exact (slow) path: rounding on the shortest decimal representation, with BigInt digits.

/** Shortest decimal digits of |v|: |v| = 0.DIGITS * 10^point (digits without leading zeros). */
function decimalDigits(a: number): { digits: string; point: number } {
  let s = String(a);
  let exp = 0;
  const e = s.indexOf('e');
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    s = s.slice(0, e);
  }
  const dot = s.indexOf('.');
  let digits = dot >= 0 ? s.slice(0, dot) + s.slice(dot + 1) : s;
  let point = (dot >= 0 ? dot : s.length) + exp;
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead);
  point -= lead;
  if (digits === '0') point = 1;
  return { digits, point };
}

/**
 * |v| rounded to `d` decimals, as a non-negative BigInt m with |v| ≈ m / 10^d.
 * Exact on the shortest decimal representation of v.
 */
function roundExact(a: number, d: number, rule: RoundingRule): bigint {
  const { digits, point } = decimalDigits(a);
  const keep = point + d; // number of leading digits that stay
  if (keep < 0) return 0n;
  if (keep >= digits.length) return BigInt(digits + '0'.repeat(keep - digits.length));
  const kept = keep === 0 ? 0n : BigInt(digits.slice(0, keep));
  const first = digits.charCodeAt(keep) - 48;
  let up: boolean;
  if (first > 5) up = true;
  else if (first < 5) up = false;
  else {
    // a tie only if nothing but zeros follow (the shortest form has no trailing zeros)
    let rest = false;
    for (let i = keep + 1; i < digits.length; i++) if (digits.charCodeAt(i) !== 48) rest = true;
    up = rest || rule === 'halfUp' || (kept & 1n) === 1n;
  }
  return up ? kept + 1n : kept;
}

function fixedFromScaled(m: bigint, d: number, negative: boolean): string {
  let s = m.toString();
  if (d > 0) {
    if (s.length <= d) s = '0'.repeat(d - s.length + 1) + s;
    s = s.slice(0, s.length - d) + '.' + s.slice(s.length - d);
  }
  return negative && m !== 0n ? '-' + s : s;
}

/**
 * Fast rounding: |v| * 10^d rounded to an integer, or -1 when the case is a near-tie or too
 * large for exact double integers (the caller then takes the exact path).
 */
function roundFast(a: number, d: number, rule: RoundingRule): number {
  const s = d === 0 ? a : a * POW10[d];
  if (!(s < FAST_LIMIT)) return -1;
  const n = Math.floor(s);
  const f = s - n;
  if (f === 0) return n;
  const band = 1e-9 + s * 1e-15;
  if (f < 0.5 - band) return n;
  if (f > 0.5 + band) return n + 1;
  // a tie in the binary value may not be one in the decimal representation (or vice versa)
  if (d === 0 && f === 0.5) return rule === 'halfUp' || n % 2 === 1 ? n + 1 : n;
  return -1;
}

/** `v` rounded to exactly `d` decimals ("87.00", "-0.50", "11364"). -0 prints as 0. */
export function formatFixed(v: number, d: number, rule: RoundingRule = 'halfEven'): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  const a = Math.abs(v);
  const m = roundFast(a, d, rule);
  const neg = v < 0;
  if (m >= 0) return fixedFromScaled(BigInt(m), d, neg);
  return fixedFromScaled(roundExact(a, d, rule), d, neg);
}

/**
 * `v` rounded to `d` decimals as a number: the same double as `Number(formatFixed(v, d, rule))`, without the
 * string on the common path (the scaled integer divided by 10^d is correctly rounded, as parsing is). -0 gives 0.
 */
export function roundedValue(v: number, d: number, rule: RoundingRule = 'halfEven'): number {
  if (Number.isInteger(v) || !Number.isFinite(v)) return v === 0 ? 0 : v;
  const a = v < 0 ? -v : v;
  const m = roundFast(a, d, rule);
  if (m < 0) return Number(formatFixed(v, d, rule));
  if (m === 0) return 0;
  const r = d === 0 ? m : m / POW10[d];
  return v < 0 ? -r : r;
}

/**
 * `v` rounded to `d` decimals, written as a JSON number: integers without ".0", others as the
 * shortest round-trip form of the rounded value (87.00 -> "87", 84.190 -> "84.19").
 */
export function formatJsonNumber(v: number, d: number, rule: RoundingRule = 'halfEven'): string {
  if (!Number.isFinite(v)) return 'null';
  const x = Number(formatFixed(v, d, rule));
  return x === 0 ? '0' : String(x);
}

// ---------------------------------------------------------------------------------------------
// Byte writers. `out` must have room for MAX_NUMBER_BYTES bytes at `pos`.

/** Upper bound of bytes any single number writer emits. */
export const MAX_NUMBER_BYTES = 40;

/** "00".."99" as byte pairs: two digits per division. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

function digitCount(n: number): number {
  if (n < 1e5) return n < 100 ? (n < 10 ? 1 : 2) : n < 1e3 ? 3 : n < 1e4 ? 4 : 5;
  if (n < 1e10) return n < 1e7 ? (n < 1e6 ? 6 : 7) : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
  return digitCountLarge(n);
}

function digitCountLarge(n: number): number {
  let len = 11;
  for (let p = 1e11; n >= p && len < 22; p *= 10) len++;
  return len;
}

/** Write exactly `len` digits of int32 `x` (with leading zeros) ending before `end`. */
function writeIntDigits(out: Uint8Array, end: number, x: number, len: number): void {
  let p = end;
  while (len >= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    out[--p] = PAIRS[r + 1];
    out[--p] = PAIRS[r];
    x = q;
    len -= 2;
  }
  if (len) out[--p] = 48 + (x % 10);
}

/** Write `d` digits of a non-negative integer f < 2^53 (with leading zeros) at `pos`. */
function writeBigDigits(out: Uint8Array, pos: number, f: number, d: number): number {
  for (let k = pos + d - 1; k >= pos; k--) {
    const q = Math.floor(f / 10);
    out[k] = 48 + (f - q * 10);
    f = q;
  }
  return pos + d;
}

/** Write the decimal digits of a non-negative integer n < 2^53; returns the new position. */
export function writeUint(out: Uint8Array, pos: number, n: number): number {
  if (n < 10) {
    out[pos] = 48 + n;
    return pos + 1;
  }
  const len = digitCount(n);
  if (n < 2147483648) writeIntDigits(out, pos + len, n | 0, len);
  else writeBigDigits(out, pos, n, len);
  return pos + len;
}

/** Write a scaled non-negative integer m with exactly d decimals. */
function writeScaledFixed(out: Uint8Array, pos: number, m: number, d: number): number {
  if (d === 0) return writeUint(out, pos, m);
  const p = POW10[d];
  const ip = Math.floor(m / p);
  const fp = m - ip * p;
  pos = writeUint(out, pos, ip);
  out[pos++] = 46; // '.'
  if (fp < 2147483648) {
    writeIntDigits(out, pos + d, fp | 0, d);
    return pos + d;
  }
  return writeBigDigits(out, pos, fp, d);
}

function writeAscii(out: Uint8Array, pos: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[pos++] = s.charCodeAt(i);
  return pos;
}

/**
 * Write `v` with exactly `d` decimals (see formatFixed). The common cases (a whole int32 without decimals, or a value
 * whose scaled form fits an int32 and is clearly not a tie) are written here without further calls, digit pairs
 * from the end; the rest takes writeFixedSlow.
 */
export function writeFixed(out: Uint8Array, pos: number, v: number, d: number, rule: RoundingRule): number {
  let m: number;
  if (d === 0 && v === (v | 0) && v !== -2147483648) {
    // a whole int32 (count data): no rounding; -0 is written as 0
    if (v < 0) {
      out[pos++] = 45;
      m = -v | 0;
    } else m = v | 0;
  } else {
    if (d > 9) return writeFixedSlow(out, pos, v, d, rule);
    const a = v < 0 ? -v : v;
    // the same decision as roundFast, for scaled values that fit an int32
    const s = a * POW10[d];
    if (!(s < 2147483000)) return writeFixedSlow(out, pos, v, d, rule);
    const fl = Math.floor(s);
    const f = s - fl;
    if (f === 0) m = fl | 0;
    else {
      const band = 1e-9 + s * 1e-15;
      if (f < 0.5 - band) m = fl | 0;
      else if (f > 0.5 + band) m = (fl + 1) | 0;
      else return writeFixedSlow(out, pos, v, d, rule);
    }
    if (v < 0 && m !== 0) out[pos++] = 45; // '-'
  }
  // digits of m, at least d + 1 of them ("0.05"); written inline rather than through writeIntDigits: this runs
  // once per cell of every CSV answer, and the calls cost a measurable share of the writer's time
  let len = m < 1e5 ? (m < 100 ? (m < 10 ? 1 : 2) : m < 1e3 ? 3 : m < 1e4 ? 4 : 5) : m < 1e7 ? (m < 1e6 ? 6 : 7) : m < 1e8 ? 8 : m < 1e9 ? 9 : 10;
  if (len <= d) len = d + 1;
  const end = d === 0 ? pos + len : pos + len + 1;
  let p = end;
  let x = m;
  let k = d;
  if (k > 0) {
    while (k >= 2) {
      const q = (x / 100) | 0;
      const r = (x - q * 100) << 1;
      out[--p] = PAIRS[r + 1];
      out[--p] = PAIRS[r];
      x = q;
      k -= 2;
    }
    if (k === 1) {
      const q = (x / 10) | 0;
      out[--p] = 48 + x - q * 10;
      x = q;
    }
    out[--p] = 46; // '.'
  }
  k = len - d;
  while (k >= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    out[--p] = PAIRS[r + 1];
    out[--p] = PAIRS[r];
    x = q;
    k -= 2;
  }
  if (k === 1) out[--p] = 48 + x;
  return end;
}

/** writeFixed beyond the int32 fast path: large values, many decimals, near-ties, NaN and infinities. */
function writeFixedSlow(out: Uint8Array, pos: number, v: number, d: number, rule: RoundingRule): number {
  if (d === 0 && v === (v | 0)) {
    // -2147483648
    out[pos++] = 45;
    return writeUint(out, pos, -v);
  }
  const a = v < 0 ? -v : v;
  const m = roundFast(a, d, rule);
  if (m < 0 || !(a === a)) return writeAscii(out, pos, formatFixed(v, d, rule));
  if (v < 0 && m !== 0) out[pos++] = 45; // '-'
  return writeScaledFixed(out, pos, m, d);
}

/** Write int32 m >= 0 scaled by 10^d (d <= 9) with exactly d decimals. */
function writeScaledInt(out: Uint8Array, pos: number, m: number, d: number): number {
  const len = digitCount(m);
  if (d === 0) {
    writeIntDigits(out, pos + len, m, len);
    return pos + len;
  }
  const intLen = len > d ? len - d : 1;
  const p = POW10[d];
  const ip = (m / p) | 0;
  writeIntDigits(out, pos + intLen + 1 + d, m - ip * p, d);
  out[pos + intLen] = 46; // '.'
  writeIntDigits(out, pos + intLen, ip, intLen);
  return pos + intLen + 1 + d;
}

function writeJsonSlow(out: Uint8Array, pos: number, v: number, d: number, rule: RoundingRule): number {
  const a = v < 0 ? -v : v;
  let m = roundFast(a, d, rule);
  // 15 significant digits always round-trip as written; longer ones take the exact path
  if (m < 0 || m >= 1e15 || !(a === a)) return writeAscii(out, pos, formatJsonNumber(v, d, rule));
  if (m === 0) {
    out[pos] = 48;
    return pos + 1;
  }
  if (v < 0) out[pos++] = 45;
  while (d > 0 && m % 10 === 0) {
    m /= 10;
    d--;
  }
  return writeScaledFixed(out, pos, m, d);
}

/** Write `v` rounded to `d` decimals as a JSON number (see formatJsonNumber). */
export function writeJsonNumber(out: Uint8Array, pos: number, v: number, d: number, rule: RoundingRule): number {
  if (v === (v | 0)) {
    // a whole int32 stays itself at any number of decimals; -0 is written as 0
    if (v < 0) {
      out[pos++] = 45;
      v = -v;
    }
    const len = digitCount(v);
    writeIntDigits(out, pos + len, v, len);
    return pos + len;
  }
  // hot path: the scaled value fits an int32 and is clearly not a tie
  const a = v < 0 ? -v : v;
  const s = a * POW10[d];
  if (d > 9 || !(s < 2147483000)) return writeJsonSlow(out, pos, v, d, rule);
  const fl = Math.floor(s);
  const f = s - fl;
  const band = 1e-9 + s * 1e-15;
  let m: number;
  if (f < 0.5 - band) m = fl | 0;
  else if (f > 0.5 + band) m = (fl + 1) | 0;
  else return writeJsonSlow(out, pos, v, d, rule);
  if (m === 0) {
    out[pos] = 48;
    return pos + 1;
  }
  if (v < 0) out[pos++] = 45;
  while (d > 0 && m % 10 === 0) {
    m = (m / 10) | 0;
    d--;
  }
  return writeScaledInt(out, pos, m, d);
}

/**
 * The hot loop of JSON-stat `value` arrays: cells [from, to) with `d` decimals, comma-separated
 * (a comma before the first one too unless from === 0), `null` where `status` marks a symbol.
 * The common cases are written inline here (measurably faster than a call per number); rare
 * ones fall back to writeJsonNumber. `out` needs (to - from) * (MAX_NUMBER_BYTES + 1) bytes.
 */
export function writeJsonNumberRun(
  out: Uint8Array,
  pos: number,
  values: Float64Array,
  status: Uint8Array | null,
  from: number,
  to: number,
  d: number,
  rule: RoundingRule,
): number {
  // beyond 9 decimals scaled values leave the int32 range: one exact call per cell
  const p10 = d > 9 ? 0 : POW10[d];
  let p = pos;
  for (let i = from; i < to; i++) {
    if (i !== 0) out[p++] = 0x2c;
    if (status !== null && status[i] !== 0) {
      out[p] = 0x6e;
      out[p + 1] = 0x75;
      out[p + 2] = 0x6c;
      out[p + 3] = 0x6c;
      p += 4;
      continue;
    }
    let v = values[i];
    if (v === (v | 0)) {
      if (v < 0) {
        out[p++] = 45;
        v = -v;
      }
      const len = digitCount(v);
      writeIntDigits(out, p + len, v, len);
      p += len;
      continue;
    }
    const a = v < 0 ? -v : v;
    const s = a * p10;
    if (!(s < 2147483000) || p10 === 0) {
      p = writeJsonSlow(out, p, v, d, rule);
      continue;
    }
    const fl = Math.floor(s);
    const f = s - fl;
    const band = 1e-9 + s * 1e-15;
    let m: number;
    if (f < 0.5 - band) m = fl | 0;
    else if (f > 0.5 + band) m = (fl + 1) | 0;
    else {
      p = writeJsonSlow(out, p, v, d, rule);
      continue;
    }
    if (m === 0) {
      out[p++] = 48;
      continue;
    }
    if (v < 0) out[p++] = 45;
    let dd = d;
    while (dd > 0 && m % 10 === 0) {
      m = (m / 10) | 0;
      dd--;
    }
    const len = digitCount(m);
    if (dd === 0) {
      writeIntDigits(out, p + len, m, len);
      p += len;
      continue;
    }
    const il = len > dd ? len - dd : 1;
    const pp = POW10[dd];
    const ip = (m / pp) | 0;
    writeIntDigits(out, p + il + 1 + dd, m - ip * pp, dd);
    out[p + il] = 46;
    writeIntDigits(out, p + il, ip, il);
    p += il + 1 + dd;
  }
  return p;
}
