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
import { getCodepage, type Codepage } from './encoding.js';
import { MAX_NUMBER_BYTES, cellDecimals, roundingRule, writeFixed } from './numberFormat.js';
import type { CodesOrTexts, SerializeOptions, SerializedBody, Serializer } from './serializer.js';
import { generatedTitle } from './title.js';

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
 * Write a cube as CSV rows (stub) x columns (heading) with the given captions.
 *
 * Rows are walked with an odometer over the stub variables, so the cell offset of a row is kept up to date with
 * one addition. The row prefix (stub labels) is copied from the previous row up to the first stub variable that
 * changed, and only the labels after it are written again. The output is allocated once, from a bound computed
 * before writing (exact label bytes plus the widest number), and nothing is copied afterwards.
 */
export function writeCsv(cube: Cube, layout: CsvLayout): Buffer {
  const { meta, values, status } = cube;
  const cp = layout.codepage;
  const sep = layout.separator;
  const nl = Buffer.from(layout.newline, 'latin1');
  const nlLen = nl.length;
  const nl0 = nl[0];
  const nl1 = nl[1];
  const rule = roundingRule(meta);
  const decimalComma = layout.decimalComma === true;

  // header
  const headParts: Buffer[] = [];
  if (cp.bom.length) headParts.push(Buffer.from(cp.bom));
  const sepStr = String.fromCharCode(sep);
  if (layout.title !== undefined) headParts.push(cp.encode(quote(layout.title)), nl);
  headParts.push(cp.encode(layout.header.map(quote).join(sepStr)), nl);
  const head = Buffer.concat(headParts);

  // Stub labels, encoded and quoted once per value, each followed by the separator, all in one buffer:
  // label i of level k sits at labelAt[levelBase[k] + i] with length labelLen[...].
  const levels = layout.stub.length;
  const allStrides = cubeStrides(meta);
  const stubSizes = new Int32Array(levels);
  const stubStrides = new Float64Array(levels);
  const levelBase = new Int32Array(levels + 1);
  const encoded: Buffer[] = [];
  let nRows = 1;
  let prefixBytes = 0; // label bytes over all rows
  for (let k = 0; k < levels; k++) {
    const p = layout.stub[k];
    const size = meta.variables[p].values.length;
    stubSizes[k] = size;
    stubStrides[k] = allStrides[p];
    levelBase[k + 1] = levelBase[k] + size;
    nRows *= size;
  }
  for (let k = 0; k < levels; k++) {
    const p = layout.stub[k];
    let sum = 0;
    for (let i = 0; i < stubSizes[k]; i++) {
      const b = cp.encode(quote(layout.rowLabel(p, i)) + sepStr);
      encoded.push(b);
      sum += b.length;
    }
    // every value of level k starts nRows / size_k rows
    if (stubSizes[k] > 0) prefixBytes += sum * (nRows / stubSizes[k]);
  }
  const labels = Buffer.concat(encoded);
  const labelAt = new Int32Array(encoded.length);
  const labelLen = new Int32Array(encoded.length);
  for (let j = 0, at = 0; j < encoded.length; j++) {
    labelAt[j] = at;
    labelLen[j] = encoded[j].length;
    at += encoded[j].length;
  }

  // symbols by status code, in one buffer; unknown codes show as `..`
  const symbolList = symbolTexts(meta, layout.lang).map((s) => cp.encode(s));
  const symbols = Buffer.concat(symbolList);
  const symbolAt = new Int32Array(256);
  const symbolLen = new Int32Array(256);
  let maxSymbol = 0;
  for (let s = 0, at = 0; s < symbolList.length; s++) {
    symbolAt[s] = at;
    symbolLen[s] = symbolList[s].length;
    at += symbolList[s].length;
    if (symbolList[s].length > maxSymbol) maxSymbol = symbolList[s].length;
  }
  for (let s = symbolList.length; s < 256; s++) {
    symbolAt[s] = symbolAt[Status.Dot2];
    symbolLen[s] = symbolLen[Status.Dot2];
  }

  const colOffsets = comboOffsets(meta, layout.heading);
  const nCols = colOffsets.length;

  // decimals per column (contents in the heading) or per row (contents in the stub)
  const cd = cellDecimals(meta);
  const contentsPos = contentsOf(meta)?.pos ?? -1;
  const colDec = new Uint8Array(nCols).fill(cd.decimals[0] ?? 0);
  const contentsInHeading = layout.heading.includes(contentsPos);
  if (contentsInHeading) for (let c = 0; c < nCols; c++) colDec[c] = cd.decimals[Math.floor(colOffsets[c] / cd.stride) % cd.size];
  const contentsLevel = contentsInHeading ? -1 : layout.stub.indexOf(contentsPos);
  let maxDec = 0;
  for (let i = 0; i < cd.decimals.length; i++) if (cd.decimals[i] > maxDec) maxDec = cd.decimals[i];

  const cellMax = Math.max(numberWidth(values, status, maxDec), maxSymbol) + 1;
  const bound = head.length + prefixBytes + nRows * (nCols * cellMax + nlLen);
  // Labels and symbols go after the bound, so every copy is a move inside one buffer (Buffer#copy between
  // buffers costs far more per call); that tail is never part of the returned view.
  const buf = Buffer.allocUnsafe(bound + labels.length + symbols.length);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const labelsAt = bound;
  const symbolsAt = bound + labels.length;
  labels.copy(buf, labelsAt);
  symbols.copy(buf, symbolsAt);
  head.copy(buf, 0);
  let pos = head.length;
  if (nRows === 0) return buf.subarray(0, pos);

  const counter = new Int32Array(levels);
  // start of each level's label relative to the row start; valid for the levels that did not change
  const levelStart = new Int32Array(levels + 1);
  let changed = 0;
  let rowOff = 0;
  let prevRow = 0;
  const last = levels - 1;
  for (let r = 0; r < nRows; r++) {
    const rowStart = pos;
    if (changed > 0) {
      const keep = levelStart[changed];
      pos = copyWithin(buf, dv, pos, prevRow, keep);
    }
    for (let k = changed; k < levels; k++) {
      levelStart[k] = pos - rowStart;
      const j = levelBase[k] + counter[k];
      pos = copyWithin(buf, dv, pos, labelsAt + labelAt[j], labelLen[j]);
    }
    levelStart[levels] = pos - rowStart;
    prevRow = rowStart;

    const rowDec = contentsLevel >= 0 ? cd.decimals[counter[contentsLevel]] : 0;
    for (let c = 0; c < nCols; c++) {
      if (c !== 0) buf[pos++] = sep;
      const at = rowOff + colOffsets[c];
      const s = status === null ? 0 : status[at];
      if (s !== Status.Value) pos = copyWithin(buf, dv, pos, symbolsAt + symbolAt[s], symbolLen[s]);
      else {
        const start = pos;
        pos = writeFixed(buf, pos, values[at], contentsLevel >= 0 ? rowDec : colDec[c], rule);
        if (decimalComma) {
          for (let k = start; k < pos; k++) {
            if (buf[k] === 0x2e) {
              buf[k] = 0x2c;
              break;
            }
          }
        }
      }
    }
    if (nlLen === 2) {
      buf[pos] = nl0;
      buf[pos + 1] = nl1;
      pos += 2;
    } else for (let i = 0; i < nlLen; i++) buf[pos++] = nl[i];

    // advance the odometer over the stub; `changed` is the outermost level that moved
    let d = last;
    while (d >= 0) {
      counter[d]++;
      rowOff += stubStrides[d];
      if (counter[d] < stubSizes[d]) break;
      rowOff -= stubStrides[d] * stubSizes[d];
      counter[d] = 0;
      d--;
    }
    changed = d < 0 ? 0 : d;
  }
  return buf.subarray(0, pos);
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
export function csvV1(cube: Cube, options: SerializeOptions): Buffer {
  const { meta } = cube;
  const lang = langOf(meta, options.lang);
  const pl = placement(meta);
  const text = (p: number, i: number) => valueText(meta, meta.variables[p], meta.variables[p].values[i], lang);
  return writeCsv(cube, {
    stub: pl.stubPos,
    heading: pl.headingPos,
    rowLabel: text,
    header: [...pl.stub.map((v) => varName(meta, v, lang)), ...columnTitles(meta, pl.headingPos, text, lang)],
    separator: SEPARATORS.comma,
    newline: options.newline ?? '\r\n',
    codepage: getCodepage(meta.codepage),
    lang,
  });
}

/** Positions of every variable in csv2/csv3 order: others, then time, then contents. */
function longOrder(meta: TableMeta): number[] {
  const idx = meta.variables.map((_, i) => i);
  const rank = (i: number) => (meta.variables[i].role === 'contents' ? 2 : meta.variables[i].role === 'time' ? 1 : 0);
  return idx.sort((a, b) => rank(a) - rank(b) || a - b);
}

/** v1 `csv2` (texts) and `csv3` (codes): one value per row. */
export function csvV1Long(cube: Cube, options: SerializeOptions, codes: boolean): Buffer {
  const { meta } = cube;
  const lang = langOf(meta, options.lang);
  const order = longOrder(meta);
  return writeCsv(cube, {
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
    codepage: getCodepage(meta.codepage),
    lang,
  });
}

/** v2 `csv` with outputFormatParams. */
export function csvV2(cube: Cube, options: SerializeOptions): Buffer {
  const { meta } = cube;
  const lang = langOf(meta, options.lang);
  const mode: CodesOrTexts = options.labels ?? 'codes';
  const pl = placement(meta);
  const caption = (p: number, i: number) => valueCaption(meta, meta.variables[p], meta.variables[p].values[i], lang, mode);
  return writeCsv(cube, {
    stub: pl.stubPos,
    heading: pl.headingPos,
    rowLabel: caption,
    header: [...pl.stub.map((v) => variableCaption(meta, v, lang, mode)), ...columnTitles(meta, pl.headingPos, caption, lang)],
    title: options.includeTitle ? tx(meta, meta.description, lang) || generatedTitle(meta, lang) : undefined,
    separator: SEPARATORS[options.separator ?? 'comma'] ?? SEPARATORS.comma,
    newline: options.newline ?? '\r\n',
    codepage: getCodepage(meta.codepage),
    lang,
  });
}

export function v2CsvContentType(meta: TableMeta): string {
  return 'text/csv; charset=' + getCodepage(meta.codepage).name;
}

export const csvSerializer: Serializer = {
  id: 'csv',
  serialize(cube: Cube, options: SerializeOptions): SerializedBody {
    if (options.api === 'v1') return { body: csvV1(cube, options), contentType: V1_CSV_CONTENT_TYPE, extension: 'csv' };
    return { body: csvV2(cube, options), contentType: v2CsvContentType(cube.meta), extension: 'csv' };
  },
};

export const csv2Serializer: Serializer = {
  id: 'csv2',
  serialize: (cube, options) => ({ body: csvV1Long(cube, options, false), contentType: V1_CSV_CONTENT_TYPE, extension: 'csv' }),
};

export const csv3Serializer: Serializer = {
  id: 'csv3',
  serialize: (cube, options) => ({ body: csvV1Long(cube, options, true), contentType: V1_CSV_CONTENT_TYPE, extension: 'csv' }),
};
