// Texts and layout facts every serializer needs from a result cube: variable and value labels in
// a language, presentation-aware value texts (PX PRESTEXT), stub/heading placement with cell
// offsets, notes, dates and symbols.

import {
  STATUS_TOKENS,
  contentsVariable,
  strides,
  symbolText,
  text,
  type Note,
  type Presentation,
  type TableMeta,
  type Value,
  type Variable,
} from '../core/model.js';
import type { CodesOrTexts } from './serializer.js';
import { DEFAULT_TIME_ZONE, toUtcIso } from './timeZone.js';

export function tx(meta: TableMeta, t: Record<string, string> | undefined, lang: string): string {
  return text(t, lang, meta.defaultLanguage);
}

/** How a variable's values are shown; time variables default to their codes. */
export function presentationOf(v: Variable): Presentation {
  return v.presentation ?? (v.role === 'time' ? 'code' : 'value');
}

export function varName(meta: TableMeta, v: Variable, lang: string): string {
  return tx(meta, v.label, lang) || v.code;
}

export function valueLabel(meta: TableMeta, value: Value, lang: string): string {
  return tx(meta, value.label, lang) || value.code;
}

/** PxWeb `Value.Text`: code, text, "code text" or "text code" per the variable's presentation. */
export function valueText(meta: TableMeta, v: Variable, value: Value, lang: string): string {
  const label = valueLabel(meta, value, lang);
  switch (presentationOf(v)) {
    case 'code':
      return value.code;
    case 'code_value':
      return label === value.code ? label : value.code + ' ' + label;
    case 'value_code':
      return label === value.code ? label : label + ' ' + value.code;
    default:
      return label;
  }
}

/** v2 outputFormatParams labels: codes, texts or "code - text". */
export function variableCaption(meta: TableMeta, v: Variable, lang: string, mode: CodesOrTexts): string {
  if (mode === 'codes') return v.code;
  if (mode === 'texts') return varName(meta, v, lang);
  return v.code + ' - ' + varName(meta, v, lang);
}

export function valueCaption(meta: TableMeta, v: Variable, value: Value, lang: string, mode: CodesOrTexts): string {
  if (mode === 'codes') return value.code;
  if (mode === 'texts') return valueText(meta, v, value, lang);
  return value.code + ' - ' + valueLabel(meta, value, lang);
}

/** Stub and heading variables of the cube; variables named in neither go to the stub. */
export interface Placement {
  stub: Variable[];
  heading: Variable[];
  /** Position of each placed variable in meta.variables. */
  stubPos: number[];
  headingPos: number[];
}

export function placement(meta: TableMeta): Placement {
  const byCode = new Map(meta.variables.map((v, i) => [v.code, i] as const));
  const used = new Set<number>();
  const pick = (codes: readonly string[]) => {
    const out: number[] = [];
    for (const c of codes) {
      const i = byCode.get(c);
      if (i !== undefined && !used.has(i)) {
        used.add(i);
        out.push(i);
      }
    }
    return out;
  };
  const stubPos = pick(meta.stub ?? []);
  const headingPos = pick(meta.heading ?? []);
  meta.variables.forEach((_, i) => {
    if (!used.has(i)) stubPos.push(i);
  });
  return {
    stub: stubPos.map((i) => meta.variables[i]),
    heading: headingPos.map((i) => meta.variables[i]),
    stubPos,
    headingPos,
  };
}

export function cubeStrides(meta: TableMeta): number[] {
  return strides(meta.variables.map((v) => v.values.length));
}

/**
 * Flat cell offsets of every combination of the variables at `positions` (last fastest),
 * e.g. one offset per CSV row (stub) or per column (heading).
 */
export function comboOffsets(meta: TableMeta, positions: readonly number[]): Float64Array {
  const st = cubeStrides(meta);
  let n = 1;
  for (const p of positions) n *= meta.variables[p].values.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  let len = 1;
  out[0] = 0;
  // expand one variable at a time: each existing offset is followed by its children
  for (const p of positions) {
    const size = meta.variables[p].values.length;
    const s = st[p];
    for (let i = len - 1; i >= 0; i--) {
      const base = out[i];
      for (let k = size - 1; k >= 0; k--) out[i * size + k] = base + k * s;
    }
    len *= size;
  }
  return out;
}

/** Advance an odometer over `sizes` (last fastest); returns the first position that changed, or -1 at the end. */
export function advance(counter: Int32Array, sizes: readonly number[]): number {
  let d = sizes.length - 1;
  while (d >= 0) {
    counter[d]++;
    if (counter[d] < sizes[d]) return d;
    counter[d] = 0;
    d--;
  }
  return -1;
}

export function noteTexts(meta: TableMeta, notes: readonly Note[] | undefined, lang: string): string[] {
  if (!notes) return [];
  const out: string[] = [];
  for (const n of notes) out.push(...splitNote(tx(meta, n.text, lang)));
  return out;
}

/**
 * A PX note text as separate notes: `##` starts a new note (PX: a new paragraph; PxWebApi lists each as its own
 * note). Blank pieces are left out; a single `#` (a line break) stays in the text.
 */
export function splitNote(text: string): string[] {
  if (text === '') return [];
  if (!text.includes('##')) return text.trim() === '' ? [] : [text];
  return text
    .split('##')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Display text of each status code in `lang` (index = Status). */
export function symbolTexts(meta: TableMeta, lang: string): string[] {
  return STATUS_TOKENS.map((_, s) => (s === 0 ? '' : symbolText(meta, s, lang)));
}

/**
 * A timestamp as `yyyy-MM-ddTHH:mm:ssZ`. Strings with a zone keep their instant; ISO strings without one and PX
 * dates ("20250102 08:00") are local times of the office, read in `timeZone` (default Europe/Oslo); unparsable
 * input is returned unchanged.
 */
export function isoUtc(s: string | undefined, timeZone: string = DEFAULT_TIME_ZONE): string | undefined {
  return toUtcIso(s, timeZone);
}

/**
 * The latest update stamp as written in the metadata (LAST-UPDATED of the contents values, else the table's update or
 * creation date), not converted: the record summary keeps it, so listings need not read the full metadata.
 * Stamps are compared as instants of one zone; every stamp of a table is in the office's zone.
 */
export function latestUpdate(meta: Pick<TableMeta, 'contentInfo' | 'updated' | 'created'>): string | undefined {
  let best: string | undefined;
  let bestMs = -Infinity;
  if (meta.contentInfo) {
    for (const ci of Object.values(meta.contentInfo)) {
      const iso = isoUtc(ci.lastUpdated, 'UTC');
      const ms = iso ? Date.parse(iso) : NaN;
      if (!Number.isNaN(ms) && ms > bestMs) {
        best = ci.lastUpdated;
        bestMs = ms;
      }
    }
  }
  return best ?? (meta.updated || undefined) ?? (meta.created || undefined);
}

/** Latest LAST-UPDATED among contents values, else the table's update/creation date (as UTC). */
export function updatedOf(meta: Pick<TableMeta, 'contentInfo' | 'updated' | 'created'>, timeZone: string = DEFAULT_TIME_ZONE): string | undefined {
  return isoUtc(latestUpdate(meta), timeZone);
}

/** The contents variable and its position, if any. */
export function contentsOf(meta: TableMeta): { variable: Variable; pos: number } | undefined {
  const v = contentsVariable(meta);
  return v ? { variable: v, pos: meta.variables.indexOf(v) } : undefined;
}

/** Raw items of a table-level extra keyword (e.g. SURVEY, LINK, UPDATE-FREQUENCY) in `lang`. */
export function extraKeyword(meta: TableMeta, keyword: string, lang: string): string | undefined {
  const all = meta.extra?.filter((e) => e.keyword === keyword && !e.subkeys?.length);
  if (!all?.length) return undefined;
  const hit = all.find((e) => e.lang === lang) ?? all.find((e) => !e.lang || e.lang === meta.defaultLanguage) ?? all[0];
  return hit.items.join('');
}

/** Units of a contents value (or the table) in `lang`. */
export function unitText(meta: TableMeta, contentsCode: string | undefined, lang: string): string {
  if (contentsCode !== undefined && meta.contentInfo?.[contentsCode]) return tx(meta, meta.contentInfo[contentsCode].unit, lang);
  return tx(meta, meta.unit, lang);
}
