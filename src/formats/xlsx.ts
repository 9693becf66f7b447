// xlsx (exceljs): a title row, one header row per heading variable, stub captions, numbers as
// numbers with a number format per shown decimals, symbols as text, and under the table the
// footnotes: table notes, variable and value notes, cell notes and a legend of the symbols used.

import ExcelJS from 'exceljs';
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
import { cellDecimals, formatFixed, roundingRule } from './numberFormat.js';
import type { CodesOrTexts, SerializeOptions, SerializedBody, Serializer } from './serializer.js';
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

export async function xlsxWorkbook(cube: Cube, options: SerializeOptions): Promise<Buffer> {
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const mode = options.labels;
  const rule = roundingRule(meta);
  const pl = placement(meta);
  const cd = cellDecimals(meta);
  const contentsPos = contentsOf(meta)?.pos ?? -1;
  const symbols = symbolTexts(meta, lang);

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

export const xlsxSerializer: Serializer = {
  id: 'xlsx',
  async serialize(cube: Cube, options: SerializeOptions): Promise<SerializedBody> {
    return {
      body: await xlsxWorkbook(cube, options),
      contentType: options.api === 'v1' ? XLSX_CONTENT_TYPE + '; charset=Windows-1252' : XLSX_CONTENT_TYPE,
      extension: 'xlsx',
    };
  },
};
