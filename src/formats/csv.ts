// CSV in the shapes PxWeb serves:
//  - v1 `csv`  : wide table, stub variable names then one column per heading-value combination;
//  - v1 `csv2` : every variable in the stub (others, time, contents), one value column titled CONTENTS;
//  - v1 `csv3` : csv2 with codes, value column titled with the table id;
//  - v2 `csv`  : stub/heading layout with outputFormatParams (codes/texts/codesAndTexts, title line,
//                separator comma/tab/space/semicolon).
// Text cells are quoted, numbers are not; numbers have exactly the shown decimals, symbol cells
// carry their symbol. Bytes are in the table codepage (UTF-8 gets a BOM), lines end in CRLF.
//
// Deviation: PxWeb writes an embedded `"` unescaped, which no CSV reader can parse; we double it
// (RFC 4180). Labels without quotes come out byte-identical.
//
// The writer is built for large results: labels are encoded once per value, each row's prefix is copied from the
// row before up to the stub variable that changed, digits go straight into one buffer sized before writing.

import { Status, type Cube, type TableMeta } from '../core/model.js';
import {
  comboOffsets,
  contentsOf,
  cubeStrides,
  placement,
  symbolTexts,
  tx,
  valueCaption,
  valueText,
  variableCaption,
  varName,
} from './cubeText.js';
import { cubeCodepage, type Codepage } from './encoding.js';
import { CHUNK_BYTES, collect, paced } from './streaming.js';
import { MAX_NUMBER_BYTES, cellDecimals, roundingRule, writeFixed } from './numberFormat.js';
import type { CodesOrTexts, SerializeOptions, SerializedBody, SerializedStream, Serializer } from './serializer.js';
import { generatedTitle } from './title.js';

/**
 * Chunk size of the CSV streams (after a first chunk of CHUNK_BYTES, so bytes flow early): 1 MB, larger than the
 * other writers' (CHUNK_BYTES), as a CSV chunk costs only about a millisecond to write. Fewer chunks mean fewer turns
 * through the async pipeline and fewer socket writes; larger ones (4 MB) cost more than they save: each is fresh
 * memory from mmap, faulted in and unmapped again (a 56 MB csv2 took 75-110 ms instead of about 50 ms in process).
 */
const CSV_CHUNK_BYTES = 4 * CHUNK_BYTES;

const SEPARATORS = { comma: 0x2c, tab: 0x09, space: 0x20, semicolon: 0x3b } as const;

export const V1_CSV_CONTENT_TYPE = 'text/csv; charset=Windows-1252';

export function quote(s: string): string {
  return '"' + (s.includes('"') ? s.replace(/"/g, '""') : s) + '"';
}

export interface CsvLayout {
  /** Positions (in meta.variables) of the row variables, outermost first. */
  stub: number[];
  /** Positions of the column variables, outermost first. */
  heading: number[];
  /** Unquoted text of a stub cell. */
  rowLabel(pos: number, valueIndex: number): string;
  /** Header line cells (unquoted): stub captions then one per column. */
  header: string[];
  /** Optional first line (unquoted). */
  title?: string;
  separator: number;
  /** Write numbers with a decimal comma instead of a point. */
  decimalComma?: boolean;
  newline: string;
  codepage: Codepage;
  lang: string;
}

/**
 * Copy `len` bytes inside `buf` from `from` to `pos` (the ranges never overlap): 4-byte words through a DataView
 * for short runs (labels, row prefixes), a native move for long ones.
 */
function copyWithin(buf: Buffer, dv: DataView, pos: number, from: number, len: number): number {
  if (len < 4) {
    for (let i = 0; i < len; i++) buf[pos + i] = buf[from + i];
  } else if (len <= 64) {
    const lastWord = len - 4;
    for (let i = 0; i < lastWord; i += 4) dv.setUint32(pos + i, dv.getUint32(from + i, true), true);
    dv.setUint32(pos + lastWord, dv.getUint32(from + lastWord, true), true);
  } else buf.copyWithin(pos, from, from + len);
  return pos + len;
}

/** Bytes of the longest number `writeFixed` writes for these values and decimals (a bound, not exact). */
function numberWidth(values: Float64Array, status: Uint8Array | null, maxDecimals: number): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > max || a !== a) max = status !== null && status[i] !== 0 ? max : a;
  }
  // NaN, Infinity and values beyond the exact-integer range take the generic (long) path
  if (!(max < 1e15)) return MAX_NUMBER_BYTES;
  let digits = 1;
  for (let p = 10; p <= max + 1; p *= 10) digits++;
  return 1 + digits + (maxDecimals > 0 ? 1 + maxDecimals : 0);
}

/**
 * Write a cube as CSV rows (stub) x columns (heading) with the given captions, in one buffer (serialize()).
 */
export function writeCsv(cube: Cube, layout: CsvLayout): Buffer {
  return collect(csvChunks(cube, layout, Infinity));
}

/**
 * The CSV as chunks of about `chunkBytes` (Infinity: one chunk holding everything, allocated once).
 *
 * Rows are walked with an odometer over the stub variables, so the cell offset of a row is kept up to date with
 * one addition. The row prefix (stub labels) is copied from the previous row up to the first stub variable that
 * changed, and only the labels after it are written again (see CsvRows.fill). Each chunk buffer is allocated once,
 * from a bound computed before writing (exact label bytes plus the widest number); the labels and symbols, encoded
 * once in the output codepage, sit in its tail, so every copy is a move inside one buffer (Buffer#copy between
 * buffers costs far more per call).
 */
export function* csvChunks(cube: Cube, layout: CsvLayout, chunkBytes: number = CSV_CHUNK_BYTES): Generator<Buffer, void, undefined> {
  const rows = new CsvRows(cube, layout);
  if (chunkBytes === Infinity) {
    const buf = rows.buffer(rows.head.length + rows.prefixBytes + rows.nRows * rows.rowTail);
    rows.head.copy(buf, 0);
    yield buf.subarray(0, rows.fill(buf, rows.head.length, rows.nRows));
    return;
  }
  // the first chunk small, so bytes flow early, then chunkBytes; rows per chunk from the widest possible row, so a
  // chunk never overflows
  let size = Math.min(chunkBytes, CHUNK_BYTES);
  let first = true;
  while (first || rows.r < rows.nRows) {
    const n = Math.min(Math.max(1, Math.floor(size / rows.rowMax)), rows.nRows - rows.r);
    size = Math.min(chunkBytes, size * 4);
    const head = first ? rows.head.length : 0;
    const buf = rows.buffer(head + n * rows.rowMax);
    if (first) rows.head.copy(buf, 0);
    first = false;
    yield buf.subarray(0, rows.fill(buf, head, rows.r + n));
  }
}

/** The decimal point of the number in buf[start, end), if any, as a comma. */
function decimalPointToComma(buf: Buffer, start: number, end: number): void {
  for (let k = start; k < end; k++) {
    if (buf[k] === 0x2e) {
      buf[k] = 0x2c;
      return;
    }
  }
}

/** Room after the rows and after the labels for whole-word copies that write or read up to 3 bytes past a text. */
const SLACK = 8;

/** The row-writing state of one CSV document (see csvChunks). */
class CsvRows {
  readonly head: Buffer;
  readonly nRows: number;
  /** Label bytes over all rows. */
  readonly prefixBytes: number;
  /** Bytes of a row after its labels, at most. */
  readonly rowTail: number;
  /** Bytes of a row, at most. */
  readonly rowMax: number;
  /** Next row to write. */
  r = 0;
  private readonly labels: Buffer;
  private readonly symbols: Buffer;
  private readonly levels: number;
  private readonly stubSizes: Int32Array;
  private readonly stubStrides: Int32Array;
  private readonly levelBase: Int32Array;
  private readonly labelAt: Int32Array;
  private readonly labelLen: Int32Array;
  private readonly symbolAt = new Int32Array(256);
  private readonly symbolLen = new Int32Array(256);
  private readonly colOffsets: Int32Array;
  private readonly colDec: Uint8Array;
  private readonly rowDecimals: ArrayLike<number>;
  private readonly contentsLevel: number;
  private readonly rule: ReturnType<typeof roundingRule>;
  private readonly nl: Buffer;
  private readonly decimalComma: boolean;
  private readonly counter: Int32Array;
  private readonly levelStart: Int32Array;
  private rowOff = 0;

  constructor(
    private readonly cube: Cube,
    private readonly layout: CsvLayout,
  ) {
    const { meta, values, status } = cube;
    const cp = layout.codepage;
    this.nl = Buffer.from(layout.newline, 'latin1');
    this.rule = roundingRule(meta);

    const headParts: Buffer[] = [];
    if (cp.bom.length) headParts.push(Buffer.from(cp.bom));
    const sepStr = String.fromCharCode(layout.separator);
    if (layout.title !== undefined) headParts.push(cp.encode(quote(layout.title)), this.nl);
    headParts.push(cp.encode(layout.header.map(quote).join(sepStr)), this.nl);
    this.head = Buffer.concat(headParts);

    // Stub labels, encoded and quoted once per value, each followed by the separator, all in one buffer:
    // label i of level k sits at labelAt[levelBase[k] + i] with length labelLen[...].
    const levels = (this.levels = layout.stub.length);
    const allStrides = cubeStrides(meta);
    this.stubSizes = new Int32Array(levels);
    this.stubStrides = new Int32Array(levels);
    this.levelBase = new Int32Array(levels + 1);
    const encoded: Buffer[] = [];
    let nRows = 1;
    let prefixBytes = 0;
    let maxPrefix = 0;
    for (let k = 0; k < levels; k++) {
      const p = layout.stub[k];
      const size = meta.variables[p].values.length;
      this.stubSizes[k] = size;
      this.stubStrides[k] = allStrides[p];
      this.levelBase[k + 1] = this.levelBase[k] + size;
      nRows *= size;
    }
    for (let k = 0; k < levels; k++) {
      const p = layout.stub[k];
      let sum = 0;
      let max = 0;
      for (let i = 0; i < this.stubSizes[k]; i++) {
        const b = cp.encode(quote(layout.rowLabel(p, i)) + sepStr);
        encoded.push(b);
        sum += b.length;
        if (b.length > max) max = b.length;
      }
      // every value of level k starts nRows / size_k rows
      if (this.stubSizes[k] > 0) prefixBytes += sum * (nRows / this.stubSizes[k]);
      maxPrefix += max;
    }
    this.nRows = nRows;
    this.prefixBytes = prefixBytes;
    this.labels = Buffer.concat(encoded);
    this.labelAt = new Int32Array(encoded.length);
    this.labelLen = new Int32Array(encoded.length);
    for (let j = 0, at = 0; j < encoded.length; j++) {
      this.labelAt[j] = at;
      this.labelLen[j] = encoded[j].length;
      at += encoded[j].length;
    }

    // symbols by status code, in one buffer; unknown codes show as `..`
    const symbolList = symbolTexts(meta, layout.lang).map((t) => cp.encode(t));
    this.symbols = Buffer.concat(symbolList);
    let maxSymbol = 0;
    for (let t = 0, at = 0; t < symbolList.length; t++) {
      this.symbolAt[t] = at;
      this.symbolLen[t] = symbolList[t].length;
      at += symbolList[t].length;
      if (symbolList[t].length > maxSymbol) maxSymbol = symbolList[t].length;
    }
    for (let t = symbolList.length; t < 256; t++) {
      this.symbolAt[t] = this.symbolAt[Status.Dot2];
      this.symbolLen[t] = this.symbolLen[Status.Dot2];
    }

    this.colOffsets = Int32Array.from(comboOffsets(meta, layout.heading));
    const nCols = this.colOffsets.length;

    // decimals per column (contents in the heading) or per row (contents in the stub)
    const cd = cellDecimals(meta);
    const contentsPos = contentsOf(meta)?.pos ?? -1;
    this.colDec = new Uint8Array(nCols).fill(cd.decimals[0] ?? 0);
    const contentsInHeading = layout.heading.includes(contentsPos);
    if (contentsInHeading) for (let c = 0; c < nCols; c++) this.colDec[c] = cd.decimals[Math.floor(this.colOffsets[c] / cd.stride) % cd.size];
    this.contentsLevel = contentsInHeading ? -1 : layout.stub.indexOf(contentsPos);
    this.rowDecimals = cd.decimals;
    let maxDec = 0;
    for (let i = 0; i < cd.decimals.length; i++) if (cd.decimals[i] > maxDec) maxDec = cd.decimals[i];

    const cellMax = Math.max(numberWidth(values, status, maxDec), maxSymbol) + 1;
    this.rowTail = nCols * cellMax + this.nl.length;
    this.rowMax = maxPrefix + this.rowTail;
    this.decimalComma = layout.decimalComma === true;
    this.counter = new Int32Array(levels);
    // start of each level's label relative to the row start; valid for the levels that did not change
    this.levelStart = new Int32Array(levels + 1);
  }

  /** A buffer with room for `bytes` of output, labels and symbols copied after that room. */
  buffer(bytes: number): Buffer {
    const buf = Buffer.allocUnsafe(bytes + SLACK + this.labels.length + this.symbols.length + SLACK);
    this.labels.copy(buf, bytes + SLACK);
    this.symbols.copy(buf, bytes + SLACK + this.labels.length);
    return buf;
  }

  /**
   * Write rows this.r .. end-1 into `buf` (made by buffer()) from `pos`; returns the end position.
   *
   * Rows come in blocks over the innermost stub variable: within a block every row starts with the same labels of
   * the outer levels (the prefix), copied from the block's first row, then the innermost label, then the cells.
   * Between blocks the odometer moves over the outer levels, and only the labels from the outermost level that
   * changed are written again (the rest is copied from the row before). The first row of a buffer writes every
   * label, so every copy reads from the same buffer.
   */
  fill(buf: Buffer, pos: number, end: number): number {
    if (this.r >= end) return pos;
    const labelsAt = buf.length - SLACK - this.labels.length - this.symbols.length;
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const { levels, counter, levelStart, levelBase, labelAt, labelLen, stubSizes, stubStrides, rowDecimals } = this;
    const contentsLevel = this.contentsLevel;
    if (levels === 0) {
      // no stub: one row of cells
      pos = this.cells(buf, dv, pos, 0, 0, labelsAt + this.labels.length);
      this.r = end;
      return pos;
    }
    const last = levels - 1;
    const lastSize = stubSizes[last];
    const lastStride = stubStrides[last];
    const lastBase = levelBase[last];
    const symbolsAt = labelsAt + this.labels.length;
    const { values, status } = this.cube;
    const { symbolAt, symbolLen, rule } = this;
    const decimalComma = this.decimalComma;
    const one = this.colOffsets.length === 1;
    const colDec0 = this.colDec[0];
    const nlLen = this.nl.length;
    const nl0 = this.nl[0];
    const nl1 = nlLen === 2 ? this.nl[1] : 0;
    let changed = 0;
    let rowOff = this.rowOff;
    let prevRow = 0;
    let r = this.r;
    while (r < end) {
      // the block's first row: prefix of the outer levels
      const first = pos;
      if (changed > 0) pos = copyWithin(buf, dv, pos, prevRow, levelStart[changed]);
      for (let k = changed; k < last; k++) {
        levelStart[k] = pos - first;
        const j = levelBase[k] + counter[k];
        pos = copyWithin(buf, dv, pos, labelsAt + labelAt[j], labelLen[j]);
      }
      const prefix = pos - first;
      levelStart[last] = prefix;
      prevRow = first;
      // decimals of the block's rows unless the contents variable is the innermost one (contents in the heading or
      // none: the column's decimals)
      const outerDec = contentsLevel < 0 ? colDec0 : contentsLevel < last ? rowDecimals[counter[contentsLevel]] : 0;
      const j0 = counter[last];
      const jEnd = Math.min(lastSize, j0 + (end - r));
      for (let j = j0; j < jEnd; j++) {
        if (j !== j0) {
          // whole words, up to 3 bytes past the prefix (overwritten next: a label is at least 3 bytes)
          for (let i = 0; i < prefix; i += 4) dv.setUint32(pos + i, dv.getUint32(first + i, true), true);
          pos += prefix;
        }
        const lj = lastBase + j;
        const la = labelsAt + labelAt[lj];
        const ll = labelLen[lj];
        for (let i = 0; i < ll; i += 4) dv.setUint32(pos + i, dv.getUint32(la + i, true), true);
        pos += ll;
        const dec = contentsLevel === last ? rowDecimals[j] : outerDec;
        if (one) {
          // one cell per row (csv2, csv3): written here, the line end as one or two bytes
          const st = status === null ? 0 : status[rowOff];
          if (st !== Status.Value) {
            const sa = symbolsAt + symbolAt[st];
            const sl = symbolLen[st];
            for (let i = 0; i < sl; i++) buf[pos + i] = buf[sa + i];
            pos += sl;
          } else {
            const start = pos;
            pos = writeFixed(buf, pos, values[rowOff], dec, rule);
            if (decimalComma) decimalPointToComma(buf, start, pos);
          }
          buf[pos] = nl0;
          if (nlLen === 2) buf[pos + 1] = nl1;
          pos += nlLen;
        } else pos = this.cells(buf, dv, pos, rowOff, dec, symbolsAt);
        rowOff = (rowOff + lastStride) | 0;
      }
      r += jEnd - j0;
      if (jEnd < lastSize) {
        counter[last] = jEnd; // the buffer is full in the middle of a block
        break;
      }
      counter[last] = 0;
      rowOff = (rowOff - lastStride * lastSize) | 0;
      // advance the odometer over the outer levels; `changed` is the outermost level that moved
      let d = last - 1;
      while (d >= 0) {
        counter[d]++;
        rowOff = (rowOff + stubStrides[d]) | 0;
        if (counter[d] < stubSizes[d]) break;
        rowOff = (rowOff - stubStrides[d] * stubSizes[d]) | 0;
        counter[d] = 0;
        d--;
      }
      changed = d < 0 ? 0 : d;
    }
    this.r = end;
    this.rowOff = rowOff;
    return pos;
  }

  /** The cells of the row at cell offset `rowOff` and its line end; `rowDec`: decimals when contents is in the stub. */
  private cells(buf: Buffer, dv: DataView, pos: number, rowOff: number, rowDec: number, symbolsAt: number): number {
    const { values, status } = this.cube;
    const { colOffsets, colDec, symbolAt, symbolLen, rule, nl } = this;
    const sep = this.layout.separator;
    const byRow = this.contentsLevel >= 0;
    const nCols = colOffsets.length;
    for (let c = 0; c < nCols; c++) {
      if (c !== 0) buf[pos++] = sep;
      const at = (rowOff + colOffsets[c]) | 0;
      const s = status === null ? 0 : status[at];
      if (s !== Status.Value) pos = copyWithin(buf, dv, pos, symbolsAt + symbolAt[s], symbolLen[s]);
      else {
        const start = pos;
        pos = writeFixed(buf, pos, values[at], byRow ? rowDec : colDec[c], rule);
        if (this.decimalComma) decimalPointToComma(buf, start, pos);
      }
    }
    if (nl.length === 2) {
      buf[pos] = nl[0];
      buf[pos + 1] = nl[1];
      return pos + 2;
    }
    for (let i = 0; i < nl.length; i++) buf[pos++] = nl[i];
    return pos;
  }
}

function langOf(meta: TableMeta, lang: string | undefined): string {
  return lang || meta.defaultLanguage || meta.languages[0] || 'en';
}

/** Heading-combination captions: value captions of each heading variable joined by a space. */
function columnTitles(meta: TableMeta, heading: number[], caption: (pos: number, i: number) => string, lang: string): string[] {
  if (!heading.length) return [tx(meta, meta.contents, lang)];
  let out = [''];
  heading.forEach((p, level) => {
    const texts = meta.variables[p].values.map((_, i) => caption(p, i));
    const next: string[] = [];
    for (const prefix of out) for (const t of texts) next.push(level === 0 ? t : prefix + ' ' + t);
    out = next;
  });
  return out;
}

/** v1 `csv`: wide, names and value texts (presentation-aware), comma separated. */
export function csvV1Layout(cube: Cube, options: SerializeOptions): CsvLayout {
  const { meta } = cube;
  const lang = langOf(meta, options.lang);
  const pl = placement(meta);
  const text = (p: number, i: number) => valueText(meta, meta.variables[p], meta.variables[p].values[i], lang);
  return {
    stub: pl.stubPos,
    heading: pl.headingPos,
    rowLabel: text,
    header: [...pl.stub.map((v) => varName(meta, v, lang)), ...columnTitles(meta, pl.headingPos, text, lang)],
    separator: SEPARATORS.comma,
    newline: options.newline ?? '\r\n',
    codepage: cubeCodepage(meta),
    lang,
  };
}

export function csvV1(cube: Cube, options: SerializeOptions): Buffer {
  return writeCsv(cube, csvV1Layout(cube, options));
}

/** Positions of every variable in csv2/csv3 order: others, then time, then contents. */
function longOrder(meta: TableMeta): number[] {
  const idx = meta.variables.map((_, i) => i);
  const rank = (i: number) => (meta.variables[i].role === 'contents' ? 2 : meta.variables[i].role === 'time' ? 1 : 0);
  return idx.sort((a, b) => rank(a) - rank(b) || a - b);
}

/** v1 `csv2` (texts) and `csv3` (codes): one value per row. */
export function csvV1LongLayout(cube: Cube, options: SerializeOptions, codes: boolean): CsvLayout {
  const { meta } = cube;
  const lang = langOf(meta, options.lang);
  const order = longOrder(meta);
  return {
    stub: order,
    heading: [],
    rowLabel: codes
      ? (p, i) => meta.variables[p].values[i].code
      : (p, i) => valueText(meta, meta.variables[p], meta.variables[p].values[i], lang),
    header: [
      ...order.map((p) => (codes ? meta.variables[p].code : varName(meta, meta.variables[p], lang))),
      codes ? meta.id : tx(meta, meta.contents, lang),
    ],
    separator: SEPARATORS[options.separator ?? 'comma'] ?? SEPARATORS.comma,
    decimalComma: options.decimalComma,
    newline: options.newline ?? '\r\n',
    codepage: cubeCodepage(meta),
    lang,
  };
}

export function csvV1Long(cube: Cube, options: SerializeOptions, codes: boolean): Buffer {
  return writeCsv(cube, csvV1LongLayout(cube, options, codes));
}

/** v2 `csv` with outputFormatParams. */
export function csvV2Layout(cube: Cube, options: SerializeOptions): CsvLayout {
  const { meta } = cube;
  const lang = langOf(meta, options.lang);
  const mode: CodesOrTexts = options.labels ?? 'codes';
  const pl = placement(meta);
  const caption = (p: number, i: number) => valueCaption(meta, meta.variables[p], meta.variables[p].values[i], lang, mode);
  const title = options.includeTitle ? tx(meta, meta.description, lang) || generatedTitle(meta, lang) : undefined;
  return {
    stub: pl.stubPos,
    heading: pl.headingPos,
    rowLabel: caption,
    header: [...pl.stub.map((v) => variableCaption(meta, v, lang, mode)), ...columnTitles(meta, pl.headingPos, caption, lang)],
    title,
    separator: SEPARATORS[options.separator ?? 'comma'] ?? SEPARATORS.comma,
    newline: options.newline ?? '\r\n',
    codepage: cubeCodepage(meta, meta.codepage, title === undefined ? [] : [title]),
    lang,
  };
}

export function csvV2(cube: Cube, options: SerializeOptions): Buffer {
  return writeCsv(cube, csvV2Layout(cube, options));
}

/** The v2 CSV content type for the codepage the table's texts are written in. */
export function v2CsvContentType(meta: TableMeta): string {
  return 'text/csv; charset=' + cubeCodepage(meta).name;
}

/** v1 names Windows-1252 as Statistics Norway does for Latin-1 text; other codepages (UTF-8 ...) say which. */
function v1CsvContentType(cp: Codepage): string {
  return cp.name === 'iso-8859-1' || cp.name === 'windows-1252' || cp.name === 'us-ascii' ? V1_CSV_CONTENT_TYPE : 'text/csv; charset=' + cp.name;
}

function csvSerializerOf(id: string, layoutOf: (cube: Cube, options: SerializeOptions) => CsvLayout): Serializer {
  const typeOf = (layout: CsvLayout, options: SerializeOptions) => (options.api === 'v1' || id !== 'csv' ? v1CsvContentType(layout.codepage) : 'text/csv; charset=' + layout.codepage.name);
  return {
    id,
    serialize(cube: Cube, options: SerializeOptions): SerializedBody {
      const layout = layoutOf(cube, options);
      return { body: writeCsv(cube, layout), contentType: typeOf(layout, options), extension: 'csv' };
    },
    stream(cube: Cube, options: SerializeOptions): SerializedStream {
      const layout = layoutOf(cube, options);
      return { contentType: typeOf(layout, options), extension: 'csv', chunks: paced(csvChunks(cube, layout), options.signal) };
    },
  };
}

export const csvSerializer = csvSerializerOf('csv', (cube, options) => (options.api === 'v1' ? csvV1Layout(cube, options) : csvV2Layout(cube, options)));
export const csv2Serializer = csvSerializerOf('csv2', (cube, options) => csvV1LongLayout(cube, options, false));
export const csv3Serializer = csvSerializerOf('csv3', (cube, options) => csvV1LongLayout(cube, options, true));
