// The DATA part of a PX file, parsed from bytes in chunks (spec §6): cells go straight into a
// Float64Array plus a Uint8Array of Status codes; no string per cell, no parseFloat for plain
// integers/decimals. Also: DataLocator, which finds where DATA starts in a byte stream.

import type { ByteDecoder } from './decode.js';
import { PxError } from './errors.js';

const LF = 10;
const QUOTE = 34;
const DASH = 45;
const DOT = 46;

/** Cell separators: whitespace, ',', ';' (INE ends rows with ';'), DOS EOF 0x1A. */
const SEP = new Uint8Array(256);
for (const c of [9, 10, 11, 12, 13, 32, 44, 59, 0x1a]) SEP[c] = 1;

/** Exact powers of ten (10^0..10^22 are exactly representable doubles). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Longest token kept across chunk boundaries before the input is declared broken. */
const MAX_TOKEN = 1 << 20;

/**
 * Finds the start of the DATA values in a byte stream: the first entry, outside quotes, whose
 * keyword is exactly DATA followed by '='. ASCII syntax only, so it works on any ASCII-compatible
 * encoding (UTF-16 is handled by the caller).
 */
export class DataLocator {
  private state = 0; // 0 entry start, 1 keyword, 2 after keyword, 3 body, 4 in quotes
  private kw = '';
  /** Line (1-based) of the current position. */
  line = 1;

  /** Feed bytes from `from`; returns the index just after `DATA=`, or -1. */
  push(b: Uint8Array, from = 0): number {
    let st = this.state;
    for (let i = from; i < b.length; i++) {
      const c = b[i];
      if (c === LF) this.line++;
      switch (st) {
        case 0:
          if (c === 59 || SEP[c] || c === 0xa0) break;
          if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) {
            this.kw = String.fromCharCode(c & 0xdf);
            st = 1;
          } else st = c === QUOTE ? 4 : 3;
          break;
        case 1:
          if (((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === DASH || c === 0x5f) {
            if (this.kw.length < 5) this.kw += String.fromCharCode(c >= 0x61 && c <= 0x7a ? c & 0xdf : c);
            else this.kw = '#';
          } else if (c === 61) {
            if (this.kw === 'DATA') {
              this.state = 3;
              return i + 1;
            }
            st = 3;
          } else if (SEP[c] && c !== 59 && c !== 44) st = 2;
          else st = c === 59 ? 0 : c === QUOTE ? 4 : 3;
          break;
        case 2:
          if (c === 61) {
            if (this.kw === 'DATA') {
              this.state = 3;
              return i + 1;
            }
            st = 3;
          } else if (SEP[c] && c !== 59 && c !== 44) break;
          else st = c === 59 ? 0 : c === QUOTE ? 4 : 3;
          break;
        case 3:
          if (c === QUOTE) st = 4;
          else if (c === 59) st = 0;
          break;
        default:
          if (c === QUOTE) st = 3;
      }
    }
    this.state = st;
    return -1;
  }
}

export interface KeysSpec {
  /** Per STUB variable: key -> value index, by the declared kind (VALUES or CODES) then the other. */
  stub: { name: string; primary: Map<string, number>; secondary: Map<string, number>; stride: number }[];
  /** Cells per row (product of the HEADING sizes). */
  rowCells: number;
}

export interface DataOptions {
  /** Expected number of cells (product of all dimension sizes). */
  cells: number;
  /** How the expected number is made up, for error messages ("4 × 3 × 2"). */
  sizesText: string;
  /** Line of the DATA keyword. */
  line: number;
  keys?: KeysSpec;
  /** Decoder for KEYS texts. */
  decoder: ByteDecoder;
  warnings: string[];
  /** Upper bound on the cells the input can hold (from its byte size), to size arrays early. */
  capacityHint?: number;
}

export interface DataResult {
  values: Float64Array;
  status: Uint8Array | null;
}

export class DataParser {
  private values: Float64Array;
  private status: Uint8Array;
  private idx = 0;
  private line: number;
  private carry: Uint8Array | null = null;
  private anyStatus = false;
  private readonly cells: number;
  // KEYS state
  private readonly keys?: KeysSpec;
  private keyPos = 0;
  private keyRow = 0;
  private cellInRow = 0;
  private rowsSeen: Uint8Array | null = null;
  private dupRows = 0;
  private rowsRead = 0;

  constructor(private readonly o: DataOptions) {
    this.cells = o.cells;
    this.line = o.line;
    this.keys = o.keys && o.keys.stub.length > 0 ? o.keys : undefined;
    let cap: number;
    if (this.keys) {
      cap = o.cells;
      this.rowsSeen = new Uint8Array(o.cells / this.keys.rowCells);
    } else {
      cap = Math.min(o.cells, Math.max(1 << 16, o.capacityHint ?? 1 << 20));
    }
    this.values = new Float64Array(cap);
    this.status = new Uint8Array(cap);
  }

  private fail(msg: string, line = this.line): never {
    throw new PxError(msg, line);
  }

  push(chunk: Uint8Array): void {
    let from = 0;
    const carry = this.carry;
    if (carry) {
      // finish the token cut by the previous chunk on a small buffer (the carry plus the bytes of
      // this chunk up to and including the first separator after it), not by copying the chunk
      this.carry = null;
      let end: number;
      if (carry[0] === QUOTE && carry.indexOf(QUOTE, 1) < 0) {
        const j = chunk.indexOf(QUOTE);
        end = j < 0 ? chunk.length : Math.min(chunk.length, j + 2);
      } else {
        end = 0;
        while (end < chunk.length && SEP[chunk[end]] === 0 && chunk[end] !== QUOTE) end++;
        end = Math.min(chunk.length, end + 1);
      }
      const head = new Uint8Array(carry.length + end);
      head.set(carry, 0);
      head.set(chunk.subarray(0, end), carry.length);
      const used = this.scan(head, false);
      if (used < carry.length || end === chunk.length) {
        this.keep(head, used);
        return;
      }
      from = used - carry.length;
    }
    const buf = from ? chunk.subarray(from) : chunk;
    this.keep(buf, this.scan(buf, false));
  }

  /** Keep the unfinished token at the end of `buf` for the next chunk. */
  private keep(buf: Uint8Array, used: number): void {
    if (used >= buf.length) return;
    if (buf.length - used > MAX_TOKEN) this.fail('a DATA token longer than 1 MB (unbalanced quotes?)');
    // a copy: Buffer#slice would share memory with a chunk the caller may reuse
    this.carry = new Uint8Array(buf.subarray(used));
  }

  end(): DataResult {
    if (this.carry) {
      const b = this.carry;
      this.carry = null;
      this.scan(b, true);
    }
    const o = this.o;
    if (this.keys) {
      if (this.keyPos !== 0 || this.cellInRow !== 0) {
        this.fail(
          `the last KEYS row is incomplete (${this.keyPos} of ${this.keys.stub.length} keys, ` +
            `${this.cellInRow} of ${this.keys.rowCells} cells)`,
        );
      }
      if (this.dupRows) o.warnings.push(`DATA: ${this.dupRows} KEYS rows repeat an earlier row (the last one wins)`);
      const rows = this.rowsSeen!.length;
      if (this.rowsRead < rows) {
        o.warnings.push(`DATA: ${rows - this.rowsRead} of ${rows} KEYS rows are absent and read as zeros`);
      }
    } else if (this.idx !== this.cells) {
      const msg = `DATA has ${this.idx} cells but the table needs ${this.cells} (${o.sizesText})`;
      // too few: the end of the data is where it shows; too many: no single line to blame
      throw this.idx > this.cells ? new PxError(msg) : new PxError(msg, this.line);
    }
    let values = this.values;
    let status = this.status;
    if (values.length !== this.cells) {
      values = values.slice(0, this.cells);
      status = status.slice(0, this.cells);
    }
    return { values, status: this.anyStatus ? status : null };
  }

  private grow(min: number): void {
    let cap = Math.max(min, Math.min(this.cells, this.values.length * 2));
    if (cap > this.cells) cap = this.cells;
    const v = new Float64Array(cap);
    v.set(this.values);
    const s = new Uint8Array(cap);
    s.set(this.status);
    this.values = v;
    this.status = s;
  }

  private scan(buf: Uint8Array, final: boolean): number {
    return this.keys ? this.scanKeyed(buf, final) : this.scanDense(buf, final);
  }

  /**
   * Dense DATA: tokenize `buf` into the next cells; returns how many bytes were consumed. When
   * `final` is false an unfinished token at the end is left for the next chunk. Plain integers
   * and decimals are parsed inline; everything else goes through token().
   */
  private scanDense(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    const cells = this.cells;
    let i = 0;
    let line = this.line;
    let idx = this.idx;
    let values = this.values;
    let status = this.status;
    let cap = values.length;
    // no try/finally in this loop (it is the hot one): state is saved before every exit
    for (;;) {
      let c = 0;
      while (i < n) {
        c = buf[i];
        if (SEP[c] === 0) break;
        if (c === LF) line++;
        i++;
      }
      if (i >= n) {
        this.line = line;
        this.idx = idx;
        return n;
      }
      const start = i;
      let v = 0;
      let st = 0;
      let done = false;
      let neg = false;
      if (c === DASH && i + 1 < n) {
        c = buf[i + 1];
        if (c >= 48 && c <= 57) {
          neg = true;
          i++;
        } else c = DASH;
      } else if (c === QUOTE && i + 2 < n) {
        // fast path for the usual quoted symbols: ".", "..", ... and "-"
        let q = i + 1;
        while (q < n && buf[q] === DOT) q++;
        const dots = q - i - 1;
        if (dots === 0 && buf[q] === DASH) q++;
        if (q + 1 < n && buf[q] === QUOTE && SEP[buf[q + 1]] === 1 && (dots > 0 ? dots <= 7 : q === i + 2)) {
          st = dots > 0 ? dots : 8;
          i = q + 1;
          done = true;
        }
      }
      if (c >= 48 && c <= 57 && !done) {
        // fast path: [-] digits [ '.' digits ] followed by a separator
        let mant = c - 48;
        let nd = 1;
        let frac = 0;
        let p = i + 1;
        c = 32;
        while (p < n) {
          c = buf[p];
          if (c < 48 || c > 57) break;
          mant = mant * 10 + (c - 48);
          nd++;
          p++;
        }
        if (p < n && c === DOT) {
          p++;
          c = 32;
          while (p < n) {
            c = buf[p];
            if (c < 48 || c > 57) break;
            mant = mant * 10 + (c - 48);
            frac++;
            p++;
          }
        }
        if (p >= n) {
          if (!final) {
            this.line = line;
            this.idx = idx;
            return start;
          }
          c = 32;
        }
        if (SEP[c] === 1 && nd + frac <= 15 && frac <= 22) {
          v = frac === 0 ? mant : mant / POW10[frac];
          if (neg) v = -v;
          i = p;
          done = true;
        }
      }
      if (!done) {
        this.line = line;
        this.idx = idx;
        const r = this.token(buf, start, final);
        if (r < 0) return start;
        i = r;
        v = this.tokValue;
        st = this.tokStatus;
      }
      const at = idx++;
      if (at >= cap) {
        if (at >= cells) continue; // too many cells: counted, reported at the end
        this.grow(at + 1);
        values = this.values;
        status = this.status;
        cap = values.length;
      }
      values[at] = v;
      if (st !== 0) {
        status[at] = st;
        this.anyStatus = true;
      }
    }
  }

  /** KEYS DATA: each row is the keys of the STUB variables, then the row's cells. */
  private scanKeyed(buf: Uint8Array, final: boolean): number {
    const n = buf.length;
    const keys = this.keys!;
    let i = 0;
    let line = this.line;
    try {
      for (;;) {
        while (i < n) {
          const c = buf[i];
          if (SEP[c] === 0) break;
          if (c === LF) line++;
          i++;
        }
        if (i >= n) return n;
        const start = i;
        this.line = line;
        if (this.keyPos < keys.stub.length) {
          const r = this.readKey(buf, i, final);
          if (r < 0) return start;
          i = r;
          continue;
        }
        const r = this.token(buf, start, final);
        if (r < 0) return start;
        i = r;
        const at = this.keyRow * keys.rowCells + this.cellInRow;
        if (++this.cellInRow === keys.rowCells) {
          this.cellInRow = 0;
          this.keyPos = 0;
        }
        this.values[at] = this.tokValue;
        this.status[at] = this.tokStatus;
        if (this.tokStatus !== 0) this.anyStatus = true;
      }
    } finally {
      this.line = line;
    }
  }

  private tokValue = 0;
  private tokStatus = 0;

  /**
   * Any cell token at `start` (number in any form, quoted or bare symbol). Sets tokValue and
   * tokStatus; returns the index after the token, or -1 when it continues in the next chunk.
   */
  private token(buf: Uint8Array, start: number, final: boolean): number {
    const n = buf.length;
    const line = this.line;
    const c = buf[start];
    let i = start;
    this.tokValue = 0;
    this.tokStatus = 0;
    if (c === QUOTE) {
      const j = buf.indexOf(QUOTE, i + 1);
      if (j < 0) {
        if (!final) return -1;
        this.fail('a quoted DATA token is never closed');
      }
      const r = this.quotedCell(buf, i + 1, j, line);
      if (r < 0) this.tokStatus = -r;
      else this.tokValue = this.lastNumber;
      i = j + 1;
      if (i < n && SEP[buf[i]] === 0) this.fail(`no separator after the DATA token ${show(buf, start, i + 1)}`, line);
      if (i >= n && !final) return -1; // the separator check needs the next byte
      return i;
    }
    let p = i;
    let neg = false;
    if (c === DASH) {
      neg = true;
      p++;
    }
    if (p < n && buf[p] === DOT && !neg) {
      // dots: a symbol, unless it is ".5"
      let q = p;
      while (q < n && buf[q] === DOT) q++;
      if (q >= n && !final) return -1;
      if (q >= n || SEP[buf[q]] === 1) {
        const dots = q - p;
        if (dots > 7) this.fail(`unknown DATA symbol ${show(buf, start, q)}`, line);
        this.tokStatus = dots;
        return q;
      }
    } else if (neg && (p >= n || SEP[buf[p]] === 1)) {
      if (p >= n && !final) return -1;
      this.tokStatus = 8;
      return p;
    }
    let mant = 0;
    let nd = 0;
    let frac = 0;
    let d = 0;
    while (p < n && (d = buf[p] - 48) >= 0 && d <= 9) {
      mant = mant * 10 + d;
      nd++;
      p++;
    }
    if (p < n && buf[p] === DOT) {
      p++;
      while (p < n && (d = buf[p] - 48) >= 0 && d <= 9) {
        mant = mant * 10 + d;
        nd++;
        frac++;
        p++;
      }
    }
    if (p >= n && !final) return -1;
    let v: number;
    if (p < n && SEP[buf[p]] === 0) {
      // exotic form (exponent, '+', junk): find the token end and use the slow path
      while (p < n && SEP[buf[p]] === 0 && buf[p] !== QUOTE) p++;
      if (p >= n && !final) return -1;
      v = slowNumber(buf, start, p, line);
    } else if (nd === 0) {
      this.fail(`malformed number ${show(buf, start, p)} in DATA`, line);
    } else if (nd <= 15 && frac <= 22) {
      v = frac === 0 ? mant : mant / POW10[frac];
      if (neg) v = -v;
    } else {
      v = slowNumber(buf, start, p, line);
    }
    this.tokValue = v;
    return p;
  }

  private lastNumber = 0;

  /** A quoted cell: returns -status for a symbol, else 0 and the number in lastNumber. */
  private quotedCell(buf: Uint8Array, a: number, b: number, line: number): number {
    while (a < b && (buf[a] === 32 || buf[a] === 9)) a++;
    while (b > a && (buf[b - 1] === 32 || buf[b - 1] === 9)) b--;
    let dots = 0;
    while (a + dots < b && buf[a + dots] === DOT) dots++;
    if (dots > 0 && a + dots === b) {
      if (dots > 7) this.fail(`unknown DATA symbol "${latin(buf, a, b)}"`, line);
      return -dots;
    }
    if (b === a + 1 && buf[a] === DASH) return -8;
    const t = latin(buf, a, b);
    if (!NUMBER_RE.test(t)) this.fail(`unknown DATA symbol "${t.slice(0, 40)}"`, line);
    this.lastNumber = Number(t);
    return 0;
  }

  /** A KEYS key (quoted or bare); returns the index after it, or -1 when it continues in the next chunk. */
  private readKey(buf: Uint8Array, i: number, final: boolean): number {
    const keys = this.keys!;
    let a: number;
    let b: number;
    let next: number;
    if (buf[i] === QUOTE) {
      const j = buf.indexOf(QUOTE, i + 1);
      if (j < 0) {
        if (!final) return -1;
        this.fail('a quoted KEYS key is never closed');
      }
      a = i + 1;
      b = j;
      next = j + 1;
    } else {
      let p = i;
      while (p < buf.length && SEP[buf[p]] === 0 && buf[p] !== QUOTE) p++;
      if (p >= buf.length && !final) return -1;
      a = i;
      b = p;
      next = p;
    }
    const key = this.o.decoder.decode(buf.subarray(a, b));
    const k = keys.stub[this.keyPos];
    let ix = k.primary.get(key) ?? k.secondary.get(key);
    if (ix === undefined) {
      const t = key.trim();
      ix = k.primary.get(t) ?? k.secondary.get(t);
    }
    if (ix === undefined) this.fail(`KEYS: "${key.slice(0, 60)}" is not a value of "${k.name}"`);
    if (this.keyPos === 0) this.keyRow = 0;
    this.keyRow += ix * k.stride;
    this.keyPos++;
    if (this.keyPos === keys.stub.length) {
      const seen = this.rowsSeen!;
      if (seen[this.keyRow]) this.dupRows++;
      else this.rowsRead++;
      seen[this.keyRow] = 1;
    }
    return next;
  }
}

function latin(buf: Uint8Array, a: number, b: number): string {
  let s = '';
  for (let i = a; i < b && i < a + 200; i++) s += String.fromCharCode(buf[i]);
  return s;
}

function show(buf: Uint8Array, a: number, b: number): string {
  const t = latin(buf, a, Math.min(b, a + 40));
  return `"${t}${b - a > 40 ? '…' : ''}"`;
}

function slowNumber(buf: Uint8Array, a: number, b: number, line: number): number {
  const t = latin(buf, a, b);
  if (b - a > 100 || !NUMBER_RE.test(t)) throw new PxError(`malformed number ${show(buf, a, b)} in DATA`, line);
  return Number(t);
}
