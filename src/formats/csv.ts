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
// The writer is built for large results: labels are encoded once per value, the row prefix is
// rebuilt only from the stub variable that changed, and digits go straight into the buffer.

import { Status, type Cube, type TableMeta } from '../core/model.js';
import {
  advance,
  comboOffsets,
  contentsOf,
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
  newline: string;
  codepage: Codepage;
  lang: string;
}

function copyInto(dst: Uint8Array, pos: number, src: Uint8Array): number {
  const n = src.length;
  if (n < 32) {
    for (let i = 0; i < n; i++) dst[pos + i] = src[i];
  } else dst.set(src, pos);
  return pos + n;
}

/** Write a cube as CSV rows (stub) x columns (heading) with the given captions. */
export function writeCsv(cube: Cube, layout: CsvLayout): Buffer {
  const { meta, values, status } = cube;
  const cp = layout.codepage;
  const sep = layout.separator;
  const nl = Buffer.from(layout.newline, 'latin1');
  const rule = roundingRule(meta);

  // header
  const headParts: Buffer[] = [];
  if (cp.bom.length) headParts.push(Buffer.from(cp.bom));
  const sepStr = String.fromCharCode(sep);
  if (layout.title !== undefined) headParts.push(cp.encode(quote(layout.title)), nl);
  headParts.push(cp.encode(layout.header.map(quote).join(sepStr)), nl);
  const head = Buffer.concat(headParts);

  // labels, encoded and quoted once per value; each followed by the separator
  const stubSizes = layout.stub.map((p) => meta.variables[p].values.length);
  const labels: Uint8Array[][] = layout.stub.map((p) =>
    meta.variables[p].values.map((_, i) => cp.encode(quote(layout.rowLabel(p, i)) + sepStr)),
  );
  const symbols = symbolTexts(meta, layout.lang).map((s) => cp.encode(s));

  const rowOffsets = comboOffsets(meta, layout.stub);
  const colOffsets = comboOffsets(meta, layout.heading);
  const nRows = rowOffsets.length;
  const nCols = colOffsets.length;

  // decimals per column (contents in the heading) or per row (contents in the stub)
  const cd = cellDecimals(meta);
  const contentsPos = contentsOf(meta)?.pos ?? -1;
  const colDec = new Uint8Array(nCols).fill(cd.decimals[0] ?? 0);
  const contentsInHeading = layout.heading.includes(contentsPos);
  if (contentsInHeading) for (let c = 0; c < nCols; c++) colDec[c] = cd.decimals[Math.floor(colOffsets[c] / cd.stride) % cd.size];
  const contentsInStub = !contentsInHeading && contentsPos >= 0;

  let maxPrefix = 0;
  for (const l of labels) {
    let m = 0;
    for (const b of l) if (b.length > m) m = b.length;
    maxPrefix += m;
  }
  let maxSymbol = 0;
  for (const s of symbols) if (s.length > maxSymbol) maxSymbol = s.length;
  const cellMax = Math.max(MAX_NUMBER_BYTES, maxSymbol) + 1;
  const rowMax = maxPrefix + nCols * cellMax + nl.length;

  let buf = Buffer.allocUnsafe(head.length + Math.min(nRows * rowMax, nRows * (maxPrefix + nCols * 9 + 2) + 1024));
  head.copy(buf, 0);
  let pos = head.length;

  const prefix = new Uint8Array(maxPrefix);
  const prefixEnd = new Int32Array(layout.stub.length + 1); // prefix length after level k-1
  const counter = new Int32Array(layout.stub.length);
  let changed = 0;
  const levels = layout.stub.length;
  for (let r = 0; r < nRows; r++) {
    if (pos + rowMax > buf.length) {
      const next = Buffer.allocUnsafe(Math.max(buf.length * 2, pos + rowMax));
      buf.copy(next, 0, 0, pos);
      buf = next;
    }
    // rebuild the row prefix from the first stub variable that changed
    for (let k = changed; k < levels; k++) prefixEnd[k + 1] = copyInto(prefix, prefixEnd[k], labels[k][counter[k]]);
    const plen = prefixEnd[levels];
    for (let i = 0; i < plen; i++) buf[pos + i] = prefix[i];
    pos += plen;

    const rowOff = rowOffsets[r];
    const rowDec = contentsInStub ? cd.decimals[Math.floor(rowOff / cd.stride) % cd.size] : 0;
    for (let c = 0; c < nCols; c++) {
      if (c !== 0) buf[pos++] = sep;
      const at = rowOff + colOffsets[c];
      const s = status === null ? 0 : status[at];
      if (s !== Status.Value) pos = copyInto(buf, pos, symbols[s] ?? symbols[Status.Dot2]);
      else pos = writeFixed(buf, pos, values[at], contentsInStub ? rowDec : colDec[c], rule);
    }
    for (let i = 0; i < nl.length; i++) buf[pos++] = nl[i];
    if (levels) changed = advance(counter, stubSizes);
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
    separator: SEPARATORS.comma,
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
