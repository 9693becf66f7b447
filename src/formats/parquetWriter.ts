// A minimal Parquet file writer for flat tables, built for speed on large results:
//  - one row group, one page per column chunk, no compression (Parquet format 1, data page v1);
//  - REQUIRED string columns, dictionary-encoded: a PLAIN dictionary page and an RLE_DICTIONARY data page whose
//    indices the caller emits as runs (a cube's code columns are long runs of one value, so they cost almost nothing);
//  - OPTIONAL DOUBLE columns whose values the caller writes straight into the file at a given offset;
//  - OPTIONAL string columns with PLAIN values.
// Metadata is Thrift compact protocol (parquet-format's parquet.thrift). The whole file size is known before any
// cell is written, so it is allocated once and never copied.

/** Thrift compact protocol type ids. */
const enum T {
  True = 1,
  False = 2,
  I32 = 5,
  I64 = 6,
  Binary = 8,
  List = 9,
  Struct = 12,
}

/** Parquet enums used here (parquet.thrift). */
const TYPE_DOUBLE = 5;
const TYPE_BYTE_ARRAY = 6;
const REQUIRED = 0;
const OPTIONAL = 1;
const CONVERTED_UTF8 = 0;
const ENC_PLAIN = 0;
const ENC_RLE = 3;
const ENC_RLE_DICTIONARY = 8;
const PAGE_DATA = 0;
const PAGE_DICTIONARY = 2;
const CODEC_UNCOMPRESSED = 0;

const MAX_PAGE_BYTES = 0x7fffffff;

export class ParquetWriteError extends Error {}

/** A growable byte array. */
class Bytes {
  buf: Uint8Array;
  len = 0;
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  /** Unsigned LEB128 of a non-negative integer up to 2^53. */
  varint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}

/** Thrift compact protocol: structs, lists, i32/i64, binary, bool. */
class Compact extends Bytes {
  private last = 0;
  private stack: number[] = [];

  private zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }
  private field(id: number, type: number): void {
    const delta = id - this.last;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.zigzag(id);
    }
    this.last = id;
  }
  i32(id: number, v: number): this {
    this.field(id, T.I32);
    this.zigzag(v);
    return this;
  }
  i64(id: number, v: number): this {
    this.field(id, T.I64);
    this.zigzag(v);
    return this;
  }
  bool(id: number, v: boolean): this {
    this.field(id, v ? T.True : T.False);
    return this;
  }
  binary(id: number, b: Uint8Array | string): this {
    const bytes = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
    this.field(id, T.Binary);
    this.varint(bytes.length);
    this.bytes(bytes);
    return this;
  }
  /** Open a struct: a field of a struct (id given) or a list element / the top level (no id). */
  begin(id?: number): this {
    if (id !== undefined) this.field(id, T.Struct);
    this.stack.push(this.last);
    this.last = 0;
    return this;
  }
  end(): this {
    this.byte(0);
    this.last = this.stack.pop() ?? 0;
    return this;
  }
  list(id: number, elemType: number, size: number): this {
    this.field(id, T.List);
    if (size < 15) this.byte((size << 4) | elemType);
    else {
      this.byte(0xf0 | elemType);
      this.varint(size);
    }
    return this;
  }
  /** A list of i32 (encodings). */
  i32List(id: number, xs: readonly number[]): this {
    this.list(id, T.I32, xs.length);
    for (const x of xs) this.zigzag(x);
    return this;
  }
  /** A list of strings (path_in_schema). */
  stringList(id: number, xs: readonly string[]): this {
    this.list(id, T.Binary, xs.length);
    for (const x of xs) {
      const b = Buffer.from(x, 'utf8');
      this.varint(b.length);
      this.bytes(b);
    }
    return this;
  }
}

/**
 * The RLE / bit-packing hybrid encoding (without its length prefix). Callers emit runs of equal values; runs of
 * eight or more become RLE runs, shorter ones are bit-packed in groups of eight.
 */
export class HybridEncoder {
  private readonly out = new Bytes(1024);
  private readonly pending = new Int32Array(512);
  private np = 0;
  private readonly valueBytes: number;

  constructor(readonly bitWidth: number) {
    if (!(bitWidth >= 1 && bitWidth <= 24)) throw new ParquetWriteError(`unsupported bit width ${bitWidth}`);
    this.valueBytes = (bitWidth + 7) >> 3;
  }

  /** `count` copies of `value` (0 <= value < 2^bitWidth). */
  run(value: number, count: number): void {
    if (count <= 0) return;
    if (this.np > 0) {
      // finish the open group of eight literals first
      const fill = Math.min(count, (8 - (this.np & 7)) & 7);
      for (let i = 0; i < fill; i++) this.pending[this.np++] = value;
      count -= fill;
      if (this.np === this.pending.length || (count >= 8 && this.np > 0)) this.flushLiterals();
      if (count === 0) return;
    }
    if (count >= 8) {
      const o = this.out;
      o.varint(count * 2);
      o.ensure(this.valueBytes);
      for (let b = 0, v = value; b < this.valueBytes; b++, v >>>= 8) o.buf[o.len++] = v & 0xff;
      return;
    }
    for (let i = 0; i < count; i++) {
      this.pending[this.np++] = value;
      if (this.np === this.pending.length) this.flushLiterals();
    }
  }

  private flushLiterals(): void {
    const n = this.np;
    if (n === 0) return;
    const groups = n >> 3;
    const o = this.out;
    o.varint(groups * 2 + 1);
    const w = this.bitWidth;
    o.ensure(groups * w);
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < n; i++) {
      acc |= this.pending[i] << bits;
      bits += w;
      while (bits >= 8) {
        o.buf[o.len++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    this.np = 0;
  }

  /** The encoded bytes; trailing literals are padded with zeros to a whole group (readers stop at the count). */
  finish(): Uint8Array {
    while (this.np & 7) this.pending[this.np++] = 0;
    this.flushLiterals();
    return this.out.view();
  }
}

/** Bits needed for dictionary indices 0..size-1 (at least 1; dictionaries are limited to 2^24 entries). */
export function bitWidthFor(size: number): number {
  if (size > 2 ** 24) throw new ParquetWriteError(`dictionary of ${size} entries is too large`);
  let w = 1;
  while (w < 24 && 2 ** w < size) w++;
  return w;
}

/** A REQUIRED UTF-8 string column, dictionary-encoded: `writeIndices` emits one index per row, in runs. */
export interface DictionaryColumn {
  kind: 'dictionary';
  name: string;
  dictionary: readonly Uint8Array[];
  writeIndices(enc: HybridEncoder): void;
}

/** An OPTIONAL DOUBLE column: `writeDefined` emits 1 (value) or 0 (null) per row; `writeValues` the non-null values. */
export interface DoubleColumn {
  kind: 'double';
  name: string;
  nonNull: number;
  writeDefined(enc: HybridEncoder): void;
  /** Write `nonNull` little-endian doubles into `view` from `offset`. */
  writeValues(view: DataView, offset: number): void;
}

/** An OPTIONAL UTF-8 string column with PLAIN values (`plain`: 4-byte length + bytes per non-null value). */
export interface PlainStringColumn {
  kind: 'string';
  name: string;
  nonNull: number;
  writeDefined(enc: HybridEncoder): void;
  plain: Uint8Array;
}

export type ParquetColumn = DictionaryColumn | DoubleColumn | PlainStringColumn;

interface PageInfo {
  type: number;
  numValues: number;
  encoding: number;
  size: number;
}

function pageHeader(p: PageInfo): Uint8Array {
  if (p.size > MAX_PAGE_BYTES) throw new ParquetWriteError('result too large for one Parquet page');
  const c = new Compact(64);
  c.begin().i32(1, p.type).i32(2, p.size).i32(3, p.size);
  if (p.type === PAGE_DICTIONARY) c.begin(7).i32(1, p.numValues).i32(2, p.encoding).end();
  else c.begin(5).i32(1, p.numValues).i32(2, p.encoding).i32(3, ENC_RLE).i32(4, ENC_RLE).end();
  c.end();
  return c.view().slice();
}

/** One column chunk: its pages' headers and the byte pieces before the deferred double values. */
interface Chunk {
  column: ParquetColumn;
  /** Pieces written in order; a number stands for that many bytes the column writes itself (doubles). */
  pieces: (Uint8Array | number)[];
  size: number;
  dictionaryOffset?: number;
  dataOffset: number;
  encodings: number[];
}

function lengthPrefixed(levels: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + levels.length);
  new DataView(out.buffer).setUint32(0, levels.length, true);
  out.set(levels, 4);
  return out;
}

function plainStrings(values: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const v of values) n += 4 + v.length;
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  let at = 0;
  for (const v of values) {
    dv.setUint32(at, v.length, true);
    out.set(v, at + 4);
    at += 4 + v.length;
  }
  return out;
}

function chunkOf(column: ParquetColumn, numRows: number): Chunk {
  const pieces: (Uint8Array | number)[] = [];
  const chunk: Chunk = { column, pieces, size: 0, dataOffset: 0, encodings: [] };
  const add = (p: Uint8Array | number) => {
    pieces.push(p);
    chunk.size += typeof p === 'number' ? p : p.length;
  };
  if (column.kind === 'dictionary') {
    const dict = plainStrings(column.dictionary);
    const dictHeader = pageHeader({ type: PAGE_DICTIONARY, numValues: column.dictionary.length, encoding: ENC_PLAIN, size: dict.length });
    chunk.dictionaryOffset = 0;
    add(dictHeader);
    add(dict);
    const width = bitWidthFor(column.dictionary.length);
    const enc = new HybridEncoder(width);
    if (numRows > 0) column.writeIndices(enc);
    const indices = enc.finish();
    chunk.dataOffset = chunk.size;
    add(pageHeader({ type: PAGE_DATA, numValues: numRows, encoding: ENC_RLE_DICTIONARY, size: 1 + indices.length }));
    add(Uint8Array.of(width));
    add(indices);
    chunk.encodings = [ENC_PLAIN, ENC_RLE, ENC_RLE_DICTIONARY];
    return chunk;
  }
  const enc = new HybridEncoder(1);
  if (numRows > 0) column.writeDefined(enc);
  const levels = lengthPrefixed(enc.finish());
  const valueBytes = column.kind === 'double' ? column.nonNull * 8 : column.plain.length;
  add(pageHeader({ type: PAGE_DATA, numValues: numRows, encoding: ENC_PLAIN, size: levels.length + valueBytes }));
  add(levels);
  add(column.kind === 'double' ? valueBytes : column.plain);
  chunk.encodings = [ENC_PLAIN, ENC_RLE];
  return chunk;
}

/** Write a Parquet file of `numRows` rows. `keyValue` goes into the file metadata. */
export function writeParquet(columns: readonly ParquetColumn[], numRows: number, keyValue: Record<string, string> = {}): Buffer {
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new ParquetWriteError(`duplicate column name ${JSON.stringify(c.name)}`);
    names.add(c.name);
  }
  const chunks = columns.map((c) => chunkOf(c, numRows));

  // file offsets of each chunk's pages
  let at = 4;
  const starts = chunks.map((ch) => {
    const s = at;
    at += ch.size;
    return s;
  });
  const dataEnd = at;

  const m = new Compact(1024);
  m.begin().i32(1, 1);
  m.list(2, T.Struct, columns.length + 1);
  m.begin().binary(4, 'schema').i32(5, columns.length).end();
  for (const c of columns) {
    const type = c.kind === 'double' ? TYPE_DOUBLE : TYPE_BYTE_ARRAY;
    m.begin().i32(1, type).i32(3, c.kind === 'dictionary' ? REQUIRED : OPTIONAL).binary(4, c.name);
    if (type === TYPE_BYTE_ARRAY) m.i32(6, CONVERTED_UTF8).begin(10).begin(1).end().end(); // logicalType STRING
    m.end();
  }
  m.i64(3, numRows);
  m.list(4, T.Struct, 1);
  m.begin().list(1, T.Struct, chunks.length);
  chunks.forEach((ch, k) => {
    const start = starts[k];
    m.begin().i64(2, start);
    m.begin(3)
      .i32(1, ch.column.kind === 'double' ? TYPE_DOUBLE : TYPE_BYTE_ARRAY)
      .i32List(2, ch.encodings)
      .stringList(3, [ch.column.name])
      .i32(4, CODEC_UNCOMPRESSED)
      .i64(5, numRows)
      .i64(6, ch.size)
      .i64(7, ch.size)
      .i64(9, start + ch.dataOffset);
    if (ch.dictionaryOffset !== undefined) m.i64(11, start + ch.dictionaryOffset);
    m.end().end();
  });
  m.i64(2, dataEnd - 4).i64(3, numRows).i64(5, 4).i64(6, dataEnd - 4).end();
  const kv = Object.entries(keyValue);
  if (kv.length) {
    m.list(5, T.Struct, kv.length);
    for (const [k, v] of kv) m.begin().binary(1, k).binary(2, v).end();
  }
  m.binary(6, 'statbank');
  m.end();
  const footer = m.view();

  const total = dataEnd + footer.length + 8;
  // An ArrayBuffer of exactly the file: callers may hand `.buffer` to readers.
  const out = Buffer.from(new ArrayBuffer(total));
  const view = new DataView(out.buffer);
  out.write('PAR1', 0, 'latin1');
  chunks.forEach((ch, k) => {
    let p = starts[k];
    for (const piece of ch.pieces) {
      if (typeof piece === 'number') {
        (ch.column as DoubleColumn).writeValues(view, p);
        p += piece;
      } else {
        out.set(piece, p);
        p += piece.length;
      }
    }
  });
  out.set(footer, dataEnd);
  view.setUint32(dataEnd + footer.length, footer.length, true);
  out.write('PAR1', dataEnd + footer.length + 4, 'latin1');
  return out;
}
