// xlsx: a title row, one header row per heading variable, stub captions, numbers as
// numbers with a number format per shown decimals, symbols as text, and under the table the
// footnotes: table notes, variable and value notes, cell notes and a legend of the symbols used.

import { Status, type Cube, type TableMeta } from '../core/model.js';
import {
  advance,
  comboOffsets,
  contentsOf,
  noteTexts,
  placement,
  symbolTexts,
  tx,
  valueLabel,
  valueText,
  varName,
} from './cubeText.js';
import { cellDecimals, formatFixed, roundingRule, writeFixed, MAX_NUMBER_BYTES } from './numberFormat.js';
import type { CodesOrTexts, SerializeOptions, SerializedBody, SerializedStream, Serializer } from './serializer.js';
import { CHUNK_BYTES, collectAsync, paced } from './streaming.js';
import { escapeXmlText } from './xmlText.js';
import { ZipWriter } from './zipStream.js';
import { generatedTitle } from './title.js';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What each missing-value symbol means, per language (index = Status). */
const SYMBOL_MEANING: Record<string, string[]> = {
  en: ['', 'Category not applicable', 'Data not available', 'Not for publication', 'Missing value', 'Missing value', 'Missing value', 'Sum of cells with different symbols', 'Nil'],
  no: ['', 'Ikke mulig å oppgi tall', 'Tallgrunnlag mangler', 'Tall kan ikke offentliggjøres', 'Manglende verdi', 'Manglende verdi', 'Manglende verdi', 'Sum av celler med ulike symboler', 'Null'],
  sv: ['', 'Uppgift kan inte förekomma', 'Uppgift inte tillgänglig', 'Uppgift kan inte redovisas', 'Värde saknas', 'Värde saknas', 'Värde saknas', 'Summa av celler med olika symboler', 'Noll'],
};

function meaning(lang: string, s: number): string {
  const l = lang.toLowerCase().slice(0, 2);
  const table = SYMBOL_MEANING[l === 'nb' || l === 'nn' ? 'no' : l] ?? SYMBOL_MEANING.en;
  return table[s] ?? '';
}

function numFmt(decimals: number): string {
  return decimals > 0 ? '#,##0.' + '0'.repeat(decimals) : '#,##0';
}

function caption(meta: TableMeta, pos: number, i: number, lang: string, mode: CodesOrTexts | undefined): string {
  const v = meta.variables[pos];
  const x = v.values[i];
  if (mode === 'codes') return x.code;
  if (mode === 'codesAndTexts') return x.code + ' ' + valueLabel(meta, x, lang);
  return valueText(meta, v, x, lang);
}

/** The footnote lines shown under the table. */
export function footnotes(cube: Cube, lang: string, usedSymbols: Set<number>): string[] {
  const { meta } = cube;
  const lines: string[] = [];
  for (const t of noteTexts(meta, meta.notes, lang)) lines.push(t);
  for (const v of meta.variables) {
    for (const t of noteTexts(meta, v.notes, lang)) lines.push(`${varName(meta, v, lang)}: ${t}`);
    for (const x of v.values) for (const t of noteTexts(meta, x.notes, lang)) lines.push(`${varName(meta, v, lang)} ${valueLabel(meta, x, lang)}: ${t}`);
  }
  for (const n of meta.cellNotes ?? []) {
    const t = tx(meta, n.text, lang);
    if (!t) continue;
    const where = n.coords
      .map((c, d) => (c === '*' ? undefined : valueLabel(meta, meta.variables[d]?.values.find((x) => x.code === c) ?? { code: c, label: {} }, lang)))
      .filter((s) => s !== undefined)
      .join(', ');
    lines.push(where ? `${where}: ${t}` : t);
  }
  const symbols = symbolTexts(meta, lang);
  for (const s of [...usedSymbols].sort((a, b) => a - b)) lines.push(`${symbols[s]} = ${meaning(lang, s)}`);
  const source = tx(meta, meta.source, lang);
  if (source) lines.push(source);
  return lines;
}

/** The same workbook built with exceljs (kept as the reference the streaming writer is checked against). */
export async function xlsxWorkbook(cube: Cube, options: SerializeOptions): Promise<Buffer> {
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const mode = options.labels;
  const rule = roundingRule(meta);
  const pl = placement(meta);
  const cd = cellDecimals(meta);
  const contentsPos = contentsOf(meta)?.pos ?? -1;
  const symbols = symbolTexts(meta, lang);

  // exceljs costs ~500 ms of CPU to load and serves only as this reference: loaded when it is used
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Statbank';
  const ws = wb.addWorksheet((meta.matrix ?? meta.id).replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Data');
  const nStub = pl.stub.length;
  let rowNo = 1;
  if (options.includeTitle !== false) {
    const r = ws.getRow(rowNo++);
    r.getCell(1).value = tx(meta, meta.description, lang) || generatedTitle(meta, lang);
    r.getCell(1).font = { bold: true, size: 12 };
    rowNo++;
  }

  const cols = comboOffsets(meta, pl.headingPos);
  // header rows: one per heading variable; stub names on the last one
  let repeat = 1;
  pl.headingPos.forEach((p, level) => {
    const r = ws.getRow(rowNo++);
    let span = 1;
    for (let k = level + 1; k < pl.headingPos.length; k++) span *= meta.variables[pl.headingPos[k]].values.length;
    const size = meta.variables[p].values.length;
    for (let rep = 0, c = 0; rep < repeat; rep++) {
      for (let i = 0; i < size; i++, c += span) {
        const cell = r.getCell(nStub + 1 + c);
        cell.value = caption(meta, p, i, lang, mode);
        cell.font = { bold: true };
      }
    }
    if (level === pl.headingPos.length - 1) pl.stub.forEach((v, k) => ((r.getCell(k + 1).value = varName(meta, v, lang)), (r.getCell(k + 1).font = { bold: true })));
    repeat *= size;
  });
  if (!pl.headingPos.length) {
    const r = ws.getRow(rowNo++);
    pl.stub.forEach((v, k) => ((r.getCell(k + 1).value = varName(meta, v, lang)), (r.getCell(k + 1).font = { bold: true })));
    r.getCell(nStub + 1).value = tx(meta, meta.contents, lang);
    r.getCell(nStub + 1).font = { bold: true };
  }

  const rows = comboOffsets(meta, pl.stubPos);
  const sizes = pl.stubPos.map((p) => meta.variables[p].values.length);
  const counter = new Int32Array(sizes.length);
  const used = new Set<number>();
  for (let r = 0; r < rows.length; r++) {
    const row = ws.getRow(rowNo++);
    for (let k = 0; k < sizes.length; k++) row.getCell(k + 1).value = caption(meta, pl.stubPos[k], counter[k], lang, mode);
    for (let c = 0; c < cols.length; c++) {
      const at = rows[r] + cols[c];
      const cell = row.getCell(nStub + 1 + c);
      const s = status ? status[at] : 0;
      if (s !== Status.Value) {
        used.add(s);
        cell.value = symbols[s] ?? '..';
        cell.alignment = { horizontal: 'right' };
      } else {
        const d = contentsPos >= 0 ? cd.decimals[Math.floor(at / cd.stride) % cd.size] : cd.decimals[0];
        cell.value = Number(formatFixed(values[at], d, rule));
        cell.numFmt = numFmt(d);
      }
    }
    if (sizes.length) advance(counter, sizes);
  }

  const notes = footnotes(cube, lang, used);
  if (notes.length) {
    rowNo++;
    for (const line of notes) ws.getRow(rowNo++).getCell(1).value = line;
  }
  for (let k = 1; k <= nStub; k++) ws.getColumn(k).width = 24;
  const ab = await wb.xlsx.writeBuffer();
  return Buffer.from(ab as ArrayBuffer);
}

// ------------------------------------------------------------------------------------------------
// The streaming writer: SpreadsheetML written as bytes, shared strings for every text, one sheet deflated chunk by
// chunk into a ZIP with a data descriptor. Memory: the texts of the metadata plus a few chunks.

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** Style indexes in styles.xml cellXfs. */
const XF_BOLD = 1;
const XF_TITLE = 2;
const XF_RIGHT = 3;
/** Number formats start here: XF_NUMBER + decimals. */
const XF_NUMBER = 4;

function stylesXml(maxDecimals: number): string {
  const fmts: string[] = [];
  const xfs: string[] = [
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>',
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf>',
  ];
  for (let d = 0; d <= maxDecimals; d++) {
    fmts.push(`<numFmt numFmtId="${164 + d}" formatCode="${numFmt(d)}"/>`);
    xfs.push(`<xf numFmtId="${164 + d}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`);
  }
  return (
    XML_HEAD +
    `<styleSheet xmlns="${NS_MAIN}"><numFmts count="${fmts.length}">${fmts.join('')}</numFmts>` +
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="12"/><name val="Calibri"/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
  );
}

function packageFiles(sheetName: string, maxDecimals: number): [string, string][] {
  return [
    [
      '[Content_Types].xml',
      XML_HEAD +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ],
    ['_rels/.rels', XML_HEAD + `<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    [
      'xl/workbook.xml',
      XML_HEAD + `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets><sheet name="${escapeXmlText(sheetName)}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      XML_HEAD +
        `<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${NS_REL}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ],
    ['xl/styles.xml', stylesXml(maxDecimals)],
  ];
}

/** Column letters of 0-based column c (A, B, ..., Z, AA, ...). */
function columnName(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Bytes into one chunk buffer at a time; full chunks are handed on. */
class ByteOut {
  buf = Buffer.allocUnsafe(CHUNK_BYTES + 4096);
  pos = 0;
  full(): boolean {
    return this.pos >= CHUNK_BYTES;
  }
  take(): Buffer {
    const b = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES + 4096);
    this.pos = 0;
    return b;
  }
  /** Make room for n bytes (a long text may need a bigger buffer). */
  room(n: number): void {
    if (this.pos + n > this.buf.length) {
      const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(b, 0, 0, this.pos);
      this.buf = b;
    }
  }
  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    for (let i = 0; i < b.length; i++) this.buf[this.pos++] = b[i];
  }
}

interface SheetPlan {
  sheetName: string;
  strings: string[];
  maxDecimals: number;
  sheet: () => Generator<Buffer, void, undefined>;
}

function planWorkbook(cube: Cube, options: SerializeOptions): SheetPlan {
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const mode = options.labels;
  const rule = roundingRule(meta);
  const pl = placement(meta);
  const cd = cellDecimals(meta);
  const contentsPos = contentsOf(meta)?.pos ?? -1;
  const symbols = symbolTexts(meta, lang);
  const strings: string[] = [];
  const index = new Map<string, number>();
  const sst = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const used = new Set<number>();
  if (status) for (let i = 0; i < status.length; i++) if (status[i] !== Status.Value) used.add(status[i]);
  let maxDecimals = 0;
  for (let i = 0; i < cd.decimals.length; i++) if (cd.decimals[i] > maxDecimals) maxDecimals = cd.decimals[i];

  const nStub = pl.stub.length;
  const cols = comboOffsets(meta, pl.headingPos);
  const rows = comboOffsets(meta, pl.stubPos);
  const sizes = pl.stubPos.map((p) => meta.variables[p].values.length);
  const stubIds = pl.stubPos.map((p) => meta.variables[p].values.map((_, i) => sst(caption(meta, p, i, lang, mode))));
  const symbolIds = symbols.map((t) => sst(t ?? '..'));
  const dotsId = sst('..');
  const colDec = new Uint8Array(cols.length);
  for (let c = 0; c < cols.length; c++) colDec[c] = contentsPos >= 0 ? cd.decimals[Math.floor(cols[c] / cd.stride) % cd.size] : cd.decimals[0];
  const colNames = Array.from({ length: nStub + Math.max(cols.length, 1) }, (_, c) => columnName(c));
  const colRefs = colNames.map((n) => Buffer.from(`<c r="${n}`, 'latin1'));
  const title = options.includeTitle !== false ? tx(meta, meta.description, lang) || generatedTitle(meta, lang) : undefined;
  const titleId = title === undefined ? -1 : sst(title);
  // header rows: one per heading variable; stub names on the last one
  const headerRows: { cells: [col: number, id: number][] }[] = [];
  let repeat = 1;
  pl.headingPos.forEach((p, level) => {
    let span = 1;
    for (let k = level + 1; k < pl.headingPos.length; k++) span *= meta.variables[pl.headingPos[k]].values.length;
    const size = meta.variables[p].values.length;
    const cells: [number, number][] = [];
    if (level === pl.headingPos.length - 1) pl.stub.forEach((v, k) => cells.push([k, sst(varName(meta, v, lang))]));
    for (let rep = 0, c = 0; rep < repeat; rep++) for (let i = 0; i < size; i++, c += span) cells.push([nStub + c, sst(caption(meta, p, i, lang, mode))]);
    headerRows.push({ cells });
    repeat *= size;
  });
  if (!pl.headingPos.length) {
    const cells: [number, number][] = pl.stub.map((v, k) => [k, sst(varName(meta, v, lang))]);
    cells.push([nStub, sst(tx(meta, meta.contents, lang))]);
    headerRows.push({ cells });
  }
  const noteIds = footnotes(cube, lang, used).map(sst);
  const sheetName = (meta.matrix ?? meta.id).replace(/[\\/?*[\]:]/g, '_').slice(0, 31) || 'Data';

  function* sheet(): Generator<Buffer, void, undefined> {
    const out = new ByteOut();
    out.ascii(XML_HEAD + `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`);
    if (nStub) out.ascii(`<cols><col min="1" max="${nStub}" width="24" customWidth="1"/></cols>`);
    out.ascii('<sheetData>');
    let rowNo = 1;
    const textCell = (col: number, id: number, style: number) => {
      out.bytes(colRefs[col]);
      out.ascii(`${rowNo}" t="s"${style ? ` s="${style}"` : ''}><v>${id}</v></c>`);
    };
    if (title !== undefined) {
      out.ascii(`<row r="${rowNo}">`);
      textCell(0, titleId, XF_TITLE);
      out.ascii('</row>');
      rowNo += 2;
    }
    for (const hr of headerRows) {
      hr.cells.sort((a, b) => a[0] - b[0]);
      out.ascii(`<row r="${rowNo}">`);
      for (const [col, id] of hr.cells) textCell(col, id, XF_BOLD);
      out.ascii('</row>');
      rowNo++;
    }
    const counter = new Int32Array(sizes.length);
    const symbolTail = symbolIds.map((id) => Buffer.from(` t="s" s="${XF_RIGHT}"><v>${id}</v></c>`, 'latin1'));
    const numberHead = Array.from({ length: maxDecimals + 1 }, (_, d) => Buffer.from(` s="${XF_NUMBER + d}"><v>`, 'latin1'));
    const numberTail = Buffer.from('</v></c>', 'latin1');
    const dotsTail = Buffer.from(` t="s" s="${XF_RIGHT}"><v>${dotsId}</v></c>`, 'latin1');
    const cellMax = 16 + 8 + 24 + MAX_NUMBER_BYTES;
    // Data rows are contiguous from column A: only a row's first cell carries its reference (`r` is optional in
    // SpreadsheetML; a cell without one is the next column), which saves a quarter of the sheet's bytes.
    const bareCell = Buffer.from('<c', 'latin1');
    for (let r = 0; r < rows.length; r++) {
      const rowText = String(rowNo);
      out.ascii(`<row r="${rowText}">`);
      for (let k = 0; k < sizes.length; k++) {
        if (k === 0) {
          out.bytes(colRefs[0]);
          out.ascii(`${rowText}" t="s"><v>${stubIds[k][counter[k]]}</v></c>`);
        } else out.ascii(`<c t="s"><v>${stubIds[k][counter[k]]}</v></c>`);
      }
      out.room(cols.length * (cellMax + rowText.length));
      const buf = out.buf;
      let pos = out.pos;
      for (let c = 0; c < cols.length; c++) {
        const at = rows[r] + cols[c];
        if (c === 0 && nStub === 0) {
          const ref = colRefs[0];
          for (let i = 0; i < ref.length; i++) buf[pos++] = ref[i];
          for (let i = 0; i < rowText.length; i++) buf[pos++] = rowText.charCodeAt(i);
          buf[pos++] = 0x22; // the closing quote the pieces below expect after the reference
        } else {
          buf[pos++] = bareCell[0];
          buf[pos++] = bareCell[1];
        }
        const s = status ? status[at] : 0;
        let tail: Buffer;
        if (s !== Status.Value) tail = symbolTail[s] ?? dotsTail;
        else {
          const d = cd.uniform ? colDec[c] : cd.decimals[Math.floor(at / cd.stride) % cd.size];
          const head = numberHead[d];
          for (let i = 0; i < head.length; i++) buf[pos++] = head[i];
          const start = pos;
          pos = writeFixed(buf, pos, values[at], d, rule);
          if (d > 0) {
            // Excel's number text: no trailing zeros, no trailing point
            while (buf[pos - 1] === 48) pos--;
            if (buf[pos - 1] === 46) pos--;
          }
          // "-0" after rounding is 0
          if (pos - start === 2 && buf[start] === 45 && buf[start + 1] === 48) {
            buf[start] = 48;
            pos--;
          }
          tail = numberTail;
        }
        for (let i = 0; i < tail.length; i++) buf[pos++] = tail[i];
      }
      out.pos = pos;
      out.ascii('</row>');
      rowNo++;
      if (sizes.length) advance(counter, sizes);
      if (out.full()) yield out.take();
    }
    if (noteIds.length) {
      rowNo++;
      for (const id of noteIds) {
        out.ascii(`<row r="${rowNo}">`);
        textCell(0, id, 0);
        out.ascii('</row>');
        rowNo++;
      }
    }
    out.ascii('</sheetData></worksheet>');
    yield out.take();
  }
  return { sheetName, strings, maxDecimals, sheet };
}

function sharedStringsXml(strings: string[]): Buffer {
  const parts = [XML_HEAD, `<sst xmlns="${NS_MAIN}" count="${strings.length}" uniqueCount="${strings.length}">`];
  for (const s of strings) {
    const t = escapeXmlText(s);
    // leading/trailing blanks are kept only when asked to
    parts.push(/^\s|\s$/.test(t) ? `<si><t xml:space="preserve">${t}</t></si>` : `<si><t>${t}</t></si>`);
  }
  parts.push('</sst>');
  return Buffer.from(parts.join(''), 'utf8');
}

/** The xlsx file as chunks: the small parts, the shared strings, the streamed sheet, the central directory. */
export async function* xlsxChunks(cube: Cube, options: SerializeOptions): AsyncGenerator<Buffer, void, undefined> {
  const plan = planWorkbook(cube, options);
  const zip = new ZipWriter(1);
  for (const [name, text] of packageFiles(plan.sheetName, plan.maxDecimals)) yield zip.file(name, Buffer.from(text, 'utf8'));
  yield zip.file('xl/sharedStrings.xml', sharedStringsXml(plan.strings));
  yield* zip.stream('xl/worksheets/sheet1.xml', plan.sheet());
  yield zip.finish();
}

function xlsxContentType(options: SerializeOptions): string {
  return options.api === 'v1' ? XLSX_CONTENT_TYPE + '; charset=Windows-1252' : XLSX_CONTENT_TYPE;
}

export const xlsxSerializer: Serializer = {
  id: 'xlsx',
  async serialize(cube: Cube, options: SerializeOptions): Promise<SerializedBody> {
    return { body: await collectAsync(xlsxChunks(cube, options)), contentType: xlsxContentType(options), extension: 'xlsx' };
  },
  stream(cube: Cube, options: SerializeOptions): SerializedStream {
    return { contentType: xlsxContentType(options), extension: 'xlsx', chunks: paced(xlsxChunks(cube, options), options.signal) };
  },
};
