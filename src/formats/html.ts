// v2 `html`: one escaped HTML table (§3.8.3) with an optional caption, a header row per heading
// variable, stub cells as row headers and numbers with the language's separators. Written in the
// table codepage.

import { Status, type Cube, type TableMeta } from '../core/model.js';
import { advance, comboOffsets, contentsOf, placement, symbolTexts, tx, valueLabel, valueText, varName } from './cubeText.js';
import { cubeCodepage, type Codepage } from './encoding.js';
import { collect, paced, TextChunker } from './streaming.js';
import { escapeXmlText } from './xmlText.js';
import { cellDecimals, formatFixed, roundingRule } from './numberFormat.js';
import type { CodesOrTexts, SerializeOptions, SerializedBody, SerializedStream, Serializer } from './serializer.js';
import { generatedTitle } from './title.js';

export function escapeHtml(s: string): string {
  return escapeXmlText(s, '&#39;');
}

/** Decimal and thousands separators per language (English style unless listed). */
function separators(lang: string): [decimal: string, thousands: string] {
  const l = lang.toLowerCase().slice(0, 2);
  if (l === 'no' || l === 'nb' || l === 'nn' || l === 'sv' || l === 'fi' || l === 'fr') return [',', '\u00a0'];
  if (l === 'da' || l === 'de' || l === 'is') return [',', '.'];
  return ['.', ','];
}

/** A fixed-decimals number with locale separators ("1 234,50"). */
export function localeNumber(fixed: string, lang: string): string {
  const [dec, th] = separators(lang);
  const neg = fixed.startsWith('-');
  const body = neg ? fixed.slice(1) : fixed;
  const dot = body.indexOf('.');
  const int = dot >= 0 ? body.slice(0, dot) : body;
  const frac = dot >= 0 ? body.slice(dot + 1) : '';
  let grouped = '';
  for (let i = 0; i < int.length; i++) {
    if (i > 0 && (int.length - i) % 3 === 0) grouped += th;
    grouped += int[i];
  }
  return (neg ? '-' : '') + grouped + (frac ? dec + frac : '');
}

function caption(meta: TableMeta, pos: number, i: number, lang: string, mode: CodesOrTexts | undefined): string {
  const v = meta.variables[pos];
  const x = v.values[i];
  if (mode === 'codes') return x.code;
  if (mode === 'codesAndTexts') return x.code + ' ' + valueLabel(meta, x, lang);
  return valueText(meta, v, x, lang);
}

/** The caption text, and the codepage the document is written in (the table's unless it cannot hold the texts). */
function htmlPlan(cube: Cube, options: SerializeOptions): { title: string | undefined; cp: Codepage } {
  const meta = cube.meta;
  const lang = options.lang || meta.defaultLanguage;
  const title = options.includeTitle !== false ? tx(meta, meta.description, lang) || generatedTitle(meta, lang) : undefined;
  return { title, cp: cubeCodepage(meta, meta.codepage, title === undefined ? [] : [title]) };
}

export function htmlTable(cube: Cube, options: SerializeOptions): Buffer {
  return collect(htmlChunks(cube, options, htmlPlan(cube, options)));
}

/** Lines, each followed by the newline, gathered into chunks in the document's codepage. */
class Lines extends TextChunker {
  constructor(
    cp: Codepage,
    private readonly nl: string,
  ) {
    super((s) => cp.encode(s));
  }
  line(s: string): void {
    this.push(s + this.nl);
  }
}

function* htmlChunks(cube: Cube, options: SerializeOptions, plan: { title: string | undefined; cp: Codepage }): Generator<Buffer, void, undefined> {
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const mode = options.labels;
  const nl = options.newline ?? '\r\n';
  const rule = roundingRule(meta);
  const pl = placement(meta);
  const cd = cellDecimals(meta);
  const contentsPos = contentsOf(meta)?.pos ?? -1;
  const symbols = symbolTexts(meta, lang);
  const cp = plan.cp;
  if (cp.bom.length) yield Buffer.from(cp.bom);
  const out = new Lines(cp, nl);

  out.line(`<table id="${escapeHtml(meta.matrix ?? meta.id)}">`);
  if (plan.title !== undefined) out.line(`<caption>${escapeHtml(plan.title)}</caption>`);
  const nStub = pl.stub.length;
  const stubHead = nStub ? `<th${nStub > 1 ? ` colspan="${nStub}"` : ''}></th>` : '';

  out.line('<thead>');
  let repeat = 1;
  pl.headingPos.forEach((p, level) => {
    let span = 1;
    for (let k = level + 1; k < pl.headingPos.length; k++) span *= meta.variables[pl.headingPos[k]].values.length;
    const last = level === pl.headingPos.length - 1;
    const cells: string[] = [];
    for (let r = 0; r < repeat; r++) {
      meta.variables[p].values.forEach((_, i) => {
        const t = escapeHtml(caption(meta, p, i, lang, mode));
        cells.push(last ? `<th scope="col">${t}</th>` : `<th colspan="${span}">${t}</th>`);
      });
    }
    out.line(`<tr>${stubHead}${cells.join('')}</tr>`);
    repeat *= meta.variables[p].values.length;
  });
  if (!pl.headingPos.length) out.line(`<tr>${pl.stub.map((v) => `<th scope="col">${escapeHtml(varName(meta, v, lang))}</th>`).join('')}<th scope="col">${escapeHtml(tx(meta, meta.contents, lang))}</th></tr>`);
  out.line('</thead>');
  out.line('<tbody>');

  const rows = comboOffsets(meta, pl.stubPos);
  const cols = comboOffsets(meta, pl.headingPos);
  const sizes = pl.stubPos.map((p) => meta.variables[p].values.length);
  const counter = new Int32Array(sizes.length);
  const stubLabels = pl.stubPos.map((p) => meta.variables[p].values.map((_, i) => escapeHtml(caption(meta, p, i, lang, mode))));
  for (let r = 0; r < rows.length; r++) {
    let row = '<tr>';
    for (let k = 0; k < sizes.length; k++) row += `<th scope="row">${stubLabels[k][counter[k]]}</th>`;
    for (let c = 0; c < cols.length; c++) {
      const at = rows[r] + cols[c];
      const s = status ? status[at] : 0;
      if (s !== Status.Value) row += `<td>${escapeHtml(symbols[s] ?? '..')}</td>`;
      else {
        const d = contentsPos >= 0 ? cd.decimals[Math.floor(at / cd.stride) % cd.size] : cd.decimals[0];
        row += `<td>${localeNumber(formatFixed(values[at], d, rule), lang)}</td>`;
      }
    }
    out.line(row + '</tr>');
    if (sizes.length) advance(counter, sizes);
    const chunk = out.take();
    if (chunk) yield chunk;
  }
  out.line('</tbody>');
  out.line('</table>');
  yield out.flush();
}

export const htmlSerializer: Serializer = {
  id: 'html',
  serialize(cube: Cube, options: SerializeOptions): SerializedBody {
    const plan = htmlPlan(cube, options);
    return { body: collect(htmlChunks(cube, options, plan)), contentType: 'text/html; charset=' + plan.cp.name, extension: 'html' };
  },
  stream(cube: Cube, options: SerializeOptions): SerializedStream {
    const plan = htmlPlan(cube, options);
    return { contentType: 'text/html; charset=' + plan.cp.name, extension: 'html', chunks: paced(htmlChunks(cube, options, plan), options.signal) };
  },
};
