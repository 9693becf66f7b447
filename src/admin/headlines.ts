// Headline templates: a text with placeholders, bound to one cell of a table, written out on a table version (at
// its release, for the push event, and on request). Example for the demo's external trade table 08799:
//
//   template "NORWAY {Tid:MONTH:en} TRADE SURPLUS NK{value:0.0} BLN"
//   query    { Handelsstrom: "HB", ContentsCode: "Verdi", Tid: "latest" }, scale 0.001 (NOK million -> billion)
//
// The query names one value per variable: a value code, or `latest` / `first` (the last or first value in the
// table's order, i.e. the newest period of a time variable). A variable with one value may be left out.
// Placeholders:
//   {value}          the cell (times `scale`) with the contents' decimals; `..` when the cell is missing
//   {value:0.0}      with that many decimals; `+0.0` always shows a sign; `#,##0` groups thousands with commas
//   {Var}            the chosen value's text in the headline's language; {Var:label:en} in English
//   {Var:code}       the value's code
//   {Var:month:en}   a monthly time code (2025M10) as the month's name ("October"); `mon` abbreviates ("Oct");
//                    `year` gives the year, `quarter` the quarter number
// A format written in capitals (MONTH, LABEL, MON) puts the result in capitals. `{{` and `}}` are literal braces.

import type { Cube, TableMeta } from '../core/model.js';
import { text } from '../core/model.js';

export interface HeadlineDef {
  /** Id in URLs (letters, digits, - and _). */
  id: string;
  tableId: string;
  template: string;
  /** Variable code -> value code, `latest` or `first`. */
  query: Record<string, string>;
  /** Factor applied to the value before it is written (default 1). */
  scale?: number;
  /** Language of texts without an explicit one (default the table's default language). */
  language?: string;
}

export interface Headline {
  id: string;
  tableId: string;
  version?: number;
  text: string;
  /** The cell's value (scaled) or null when missing. */
  value: number | null;
}

export class HeadlineError extends Error {}

type Part = { literal: string } | { name: string; format?: string; lang?: string };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isHeadlineId(id: string): boolean {
  return ID.test(id);
}

/** The template's literal and placeholder parts. */
export function parseTemplate(template: string): Part[] {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      lit += c;
      i++;
    } else if (c === '{') {
      const end = template.indexOf('}', i);
      if (end < 0) throw new HeadlineError(`unclosed { at position ${i}`);
      const [name, format, lang] = template.slice(i + 1, end).split(':').map((s) => s.trim());
      if (!name) throw new HeadlineError(`empty placeholder at position ${i}`);
      if (lit) parts.push({ literal: lit });
      lit = '';
      parts.push({ name, format: format || undefined, lang: lang || undefined });
      i = end;
    } else if (c === '}') {
      throw new HeadlineError(`unmatched } at position ${i}`);
    } else {
      lit += c;
    }
  }
  if (lit) parts.push({ literal: lit });
  return parts;
}

/** The index of the chosen value of each variable, in cube order; throws when the query does not fit the table. */
function pick(meta: TableMeta, def: HeadlineDef): number[] {
  for (const code of Object.keys(def.query)) {
    if (!meta.variables.some((v) => v.code === code)) throw new HeadlineError(`table ${meta.id} has no variable ${code}`);
  }
  return meta.variables.map((v) => {
    const want = def.query[v.code];
    if (want === undefined) {
      if (v.values.length === 1) return 0;
      throw new HeadlineError(`the query must choose a value of ${v.code}`);
    }
    if (want === 'latest') return v.values.length - 1;
    if (want === 'first') return 0;
    const i = v.values.findIndex((x) => x.code === want);
    if (i < 0) throw new HeadlineError(`${v.code} has no value ${want}`);
    return i;
  });
}

const MONTHS: Record<string, string[]> = {
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  no: ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'],
};

function timeFormat(code: string, format: string, lang: string): string {
  const m = /^(\d{4})(?:([MKQ])(\d{1,2}))?/.exec(code);
  if (!m) throw new HeadlineError(`${code} is not a time code`);
  const f = format.toLowerCase();
  if (f === 'year') return m[1];
  if (f === 'quarter') {
    if (m[2] !== 'K' && m[2] !== 'Q') throw new HeadlineError(`${code} is not a quarter`);
    return String(Number(m[3]));
  }
  if (m[2] !== 'M') throw new HeadlineError(`${code} is not a month`);
  const names = MONTHS[lang === 'nb' || lang === 'nn' ? 'no' : lang] ?? MONTHS.en;
  const name = names[Number(m[3]) - 1];
  if (!name) throw new HeadlineError(`${code} is not a month`);
  return f === 'mon' ? name.slice(0, 3) : name;
}

export function formatNumber(x: number, pattern: string | undefined, decimals: number): string {
  let d = decimals;
  let sign = false;
  let group = false;
  if (pattern) {
    if (!/^\+?[#,0]*0(\.0+)?$/.test(pattern)) throw new HeadlineError(`number format ${pattern} is not like 0.0, +0.0 or #,##0`);
    sign = pattern.startsWith('+');
    group = pattern.includes(',');
    const dot = pattern.indexOf('.');
    d = dot < 0 ? 0 : pattern.length - dot - 1;
  }
  const fixed = Math.abs(x).toFixed(d);
  const [int, frac] = fixed.split('.');
  const body = (group ? int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : int) + (frac ? `.${frac}` : '');
  const zero = Number(fixed) === 0;
  return (x < 0 && !zero ? '-' : sign ? '+' : '') + body;
}

/** Write the headline on a table version (throws HeadlineError when the template or query does not fit it). */
export function evaluateHeadline(def: HeadlineDef, cube: Cube, version?: number): Headline {
  const meta = cube.meta;
  const picks = pick(meta, def);
  let index = 0;
  for (let k = 0; k < picks.length; k++) index = index * meta.variables[k].values.length + picks[k];
  const missing = !!cube.status?.[index];
  const value = missing ? null : cube.values[index] * (def.scale ?? 1);
  const lang = def.language ?? meta.defaultLanguage;
  const contents = meta.variables.findIndex((v) => v.role === 'contents');
  const info = contents >= 0 ? meta.contentInfo?.[meta.variables[contents].values[picks[contents]].code] : undefined;
  let out = '';
  for (const p of parseTemplate(def.template)) {
    if ('literal' in p) {
      out += p.literal;
      continue;
    }
    if (p.name === 'value') {
      out += value === null ? '..' : formatNumber(value, p.format, info?.decimals ?? 0);
      continue;
    }
    const k = meta.variables.findIndex((v) => v.code === p.name);
    if (k < 0) throw new HeadlineError(`unknown placeholder {${p.name}}: neither value nor a variable of ${meta.id}`);
    const v = meta.variables[k].values[picks[k]];
    const format = p.format ?? 'label';
    const l = p.lang ?? lang;
    let s: string;
    if (format.toLowerCase() === 'code') s = v.code;
    else if (format.toLowerCase() === 'label') s = text(v.label, l, v.code);
    else s = timeFormat(v.code, format, l);
    out += format !== format.toLowerCase() && format === format.toUpperCase() ? s.toUpperCase() : s;
  }
  return { id: def.id, tableId: def.tableId, version, text: out, value };
}

/** Check a definition's shape (not yet against a table). */
export function checkHeadlineDef(x: unknown): HeadlineDef {
  const d = x as Partial<HeadlineDef> | null;
  if (!d || typeof d !== 'object') throw new HeadlineError('a headline is a JSON object');
  if (typeof d.id !== 'string' || !isHeadlineId(d.id)) throw new HeadlineError('id: 1-64 letters, digits, - or _');
  if (typeof d.tableId !== 'string' || !d.tableId) throw new HeadlineError('tableId is required');
  if (typeof d.template !== 'string' || !d.template) throw new HeadlineError('template is required');
  parseTemplate(d.template);
  if (!d.query || typeof d.query !== 'object' || Array.isArray(d.query) || Object.values(d.query).some((v) => typeof v !== 'string')) {
    throw new HeadlineError('query: an object of variable code -> value code, latest or first');
  }
  if (d.scale !== undefined && (typeof d.scale !== 'number' || !Number.isFinite(d.scale))) throw new HeadlineError('scale must be a number');
  if (d.language !== undefined && typeof d.language !== 'string') throw new HeadlineError('language must be a string');
  return { id: d.id, tableId: d.tableId, template: d.template, query: { ...d.query }, scale: d.scale, language: d.language };
}
