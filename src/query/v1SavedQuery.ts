// A Statbank saved query (`/statbank/sq/{id}`) is an API v1 query with a format; the project keeps saved queries
// in one store in PxWebApi 2.0 form (tableId, language, outputFormat + params, VariablesSelection). This module
// translates both ways:
//   v1 -> stored: item -> codes (in the variable's order, as v1 returns them), all -> the same wildcards,
//                 top -> top(n), agg:X / agg_single:X -> codelist agg_X (aggregated / single), vs:X -> codelist vs_X,
//                 a mandatory variable left out -> `*` (v1 returns all its values);
//                 formats: json-stat2, csv (texts), csv2/csv3 (csv, one value per row: placement all in the stub),
//                 px, xlsx, json (json-px), and the v2-only html, parquet.
//   stored -> v1: the inverse; v2 expressions v1 cannot write (bottom, range, from, to, `?` patterns, offsets)
//                 become the codes they select on the table's current version, with a note saying so.

import type { DimPlan, Plan } from '../core/engine.js';
import type { TableMeta, Variable } from '../core/model.js';
import { codelistDomain, domainIndex, variableDomain, type Domain } from './selection.js';
import { parseSelectionExpression } from './v2Expressions.js';
import { findVariable, resolveV2OrDefault, type V2Selection, type V2VariableSelection } from './v2Selection.js';
import { resolveV1Query, V1QueryError, type V1QueryItem } from './v1Query.js';

/** The stored form of a selection (what `POST /api/v2/savedqueries` keeps): key order variableCode, codelist, valueCodes. */
export interface StoredSelection {
  selection: { variableCode: string; codelist?: string; valueCodes: string[]; outputValues?: 'single' | 'aggregated' }[];
  placement?: { heading: string[]; stub: string[] };
}

export interface StoredFormat {
  format: string;
  params: string[];
  /** csv2/csv3: one value per row (every selected variable in the stub). */
  long?: boolean;
}

/** v1 `response.format` (and the v2-only ids) -> the stored v2 format; undefined when it cannot be saved. */
export function storedFormatOf(v1Format: string): StoredFormat | undefined {
  switch (v1Format.toLowerCase()) {
    case 'json-stat2':
      return { format: 'json-stat2', params: [] };
    case 'csv':
      return { format: 'csv', params: ['UseTexts'] };
    case 'csv2':
      return { format: 'csv', params: ['UseTexts'], long: true };
    case 'csv3':
      return { format: 'csv', params: ['UseCodes'], long: true };
    case 'px':
      return { format: 'px', params: [] };
    case 'xlsx':
      return { format: 'xlsx', params: [] };
    case 'json':
    case 'json-px':
      return { format: 'json-px', params: [] };
    case 'html':
      return { format: 'html', params: [] };
    case 'parquet':
      return { format: 'parquet', params: [] };
    default:
      return undefined;
  }
}


/** The v1 format a stored query is written with in its v1 body; v2-only formats have none (json-stat2 instead). */
export function v1FormatOf(format: string, params: readonly string[], placement: StoredSelection['placement'] | null | undefined): { format: string; exact: boolean } {
  const f = format.toLowerCase();
  if (f === 'csv') {
    const long = !!placement && placement.heading.length === 0 && placement.stub.length > 0;
    if (!long) return { format: 'csv', exact: true };
    return { format: params.includes('UseCodes') ? 'csv3' : 'csv2', exact: true };
  }
  if (f === 'json-px') return { format: 'json', exact: true };
  if (f === 'json-stat2' || f === 'px' || f === 'xlsx') return { format: f, exact: true };
  return { format: 'json-stat2', exact: false };
}

/** csv2/csv3 variable order: the others in table order, then time, then contents. */
function longOrder(meta: TableMeta, selected: readonly string[]): string[] {
  const rank = (v: Variable) => (v.role === 'contents' ? 2 : v.role === 'time' ? 1 : 0);
  return meta.variables
    .filter((v) => selected.includes(v.code))
    .sort((a, b) => rank(a) - rank(b) || meta.variables.indexOf(a) - meta.variables.indexOf(b))
    .map((v) => v.code);
}

const AGG = /^agg(_single|_all)?:(.+)$/i;
const VS = /^vs:(.+)$/i;

/** Codes of `values` in the domain's order (v1 answers in metadata order whatever the request order). */
function inDomainOrder(d: Domain, values: readonly string[]): string[] {
  const ix = domainIndex(d);
  return [...values].sort((a, b) => (ix.get(a) ?? 0) - (ix.get(b) ?? 0));
}

/** Positive whole number of a v1 `top` value. */
function topCount(values: readonly string[]): number {
  const n = values.length === 1 ? Number(values[0].trim().replace(/^\+/, '')) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new V1QueryError();
  return n;
}

/**
 * Translate a v1 query on `meta` into the stored selection. Throws V1QueryError (with the v1 message) when the
 * query is invalid, or when it cannot be kept exactly (the v2 form would select other cells).
 */
export function storedSelectionOf(meta: TableMeta, query: readonly V1QueryItem[], lang: string, format?: StoredFormat): StoredSelection {
  const v1Plan = resolveV1Query(meta, [...query], lang); // validates (unknown codes, repeated variables ...)
  const byCode = new Map(query.map((q) => [q.code, q]));
  const selection: StoredSelection['selection'] = [];
  for (const v of meta.variables) {
    const q = byCode.get(v.code);
    if (!q) {
      if (!v.elimination) selection.push({ variableCode: v.code, valueCodes: ['*'] });
      continue;
    }
    const filter = q.selection.filter;
    const values = q.selection.values;
    const lower = filter.toLowerCase();
    if (lower === 'item') {
      if (values.length) selection.push({ variableCode: v.code, valueCodes: inDomainOrder(variableDomain(v), values) });
    } else if (lower === 'all') {
      if (values.length) selection.push({ variableCode: v.code, valueCodes: [...values] });
    } else if (lower === 'top') {
      selection.push({ variableCode: v.code, valueCodes: [`top(${topCount(values)})`] });
    } else if (AGG.test(filter)) {
      const m = AGG.exec(filter)!;
      if (m[1]?.toLowerCase() === '_all') throw new V1QueryError(`agg_all: cannot be saved (variable '${v.code}'): use agg: or agg_single:`);
      const single = m[1]?.toLowerCase() === '_single';
      const d = codelistDomain(v, m[2], 'grouping', single ? 'single' : 'aggregated');
      if (!d) throw new V1QueryError();
      const s: StoredSelection['selection'][number] = { variableCode: v.code, codelist: `agg_${m[2]}`, valueCodes: inDomainOrder(d, values) };
      if (single) s.outputValues = 'single';
      selection.push(s);
    } else if (VS.test(filter)) {
      const id = VS.exec(filter)![1];
      const d = codelistDomain(v, id, 'valueSet');
      if (!d) throw new V1QueryError();
      selection.push({ variableCode: v.code, codelist: `vs_${id}`, valueCodes: inDomainOrder(d, values) });
    } else {
      throw new V1QueryError();
    }
  }
  const stored: StoredSelection = { selection };
  if (format?.long) {
    const selected = meta.variables.filter((_, i) => v1Plan[i].kind !== 'eliminate').map((v) => v.code);
    stored.placement = { heading: [], stub: longOrder(meta, selected) };
  }
  // the v2 form must pick exactly what the v1 query picks (guards the few spelling rules that differ)
  let v2Plan: Plan;
  try {
    v2Plan = resolveV2OrDefault(meta, stored as V2Selection, { maxCells: 0 }).plan;
  } catch {
    throw new V1QueryError('This query cannot be saved: its stored form would select other values');
  }
  if (!samePlan(v1Plan, v2Plan)) throw new V1QueryError('This query cannot be saved: its stored form would select other values');
  return stored;
}

function dimKey(d: DimPlan): string {
  if (d.kind === 'pick') return 'p' + Array.from(d.indices).join(',');
  if (d.kind === 'eliminate') return 'e' + Array.from(d.inputs).join(',');
  return 'g' + d.groups.map((g) => `${g.value.code}=${Array.from(g.inputs).join('+')}`).join(';');
}

export function samePlan(a: Plan, b: Plan): boolean {
  return a.length === b.length && a.every((d, i) => dimKey(d) === dimKey(b[i]));
}

/** v1 `all` patterns: `*`, `abc*` or `*abc` (no other `*`, no `?`). */
function isV1Pattern(t: string): boolean {
  if (t.includes('?')) return false;
  if (t === '*') return true;
  const stars = t.split('*').length - 1;
  return stars === 1 && (t.startsWith('*') || t.endsWith('*'));
}

export interface V1Form {
  query: V1QueryItem[];
  /** Variables whose v2 expressions v1 cannot write: written as today's codes. */
  resolved: { code: string; expression: string }[];
}

/**
 * The v1 query of a stored selection on `meta`. Plain codes, v1 wildcards and `top(n)` translate exactly; other
 * expressions are replaced by the codes they select now (listed in `resolved`). Throws the v2 selection errors
 * when the stored selection no longer fits the table.
 */
export function v1FormOf(meta: TableMeta, stored: V2Selection | null): V1Form {
  const resolved = resolveV2OrDefault(meta, stored, { maxCells: 0 });
  const expanded = new Map(resolved.selection.map((s) => [s.variableCode, s]));
  const out: V1Form = { query: [], resolved: [] };
  const entries: V2VariableSelection[] = stored && stored.selection.length ? stored.selection : resolved.selection;
  const seen = new Set<string>();
  for (const s of entries) {
    const v = findVariable(meta, s.variableCode);
    if (!v || seen.has(v.code)) continue;
    seen.add(v.code);
    const now = expanded.get(v.code)?.valueCodes ?? [];
    const tokens = s.valueCodes;
    if (s.codelist) {
      const cl = s.codelist;
      const filter = cl.startsWith('agg_') ? (s.outputValues === 'single' ? `agg_single:${cl.slice(4)}` : `agg:${cl.slice(4)}`) : `vs:${cl.slice(3)}`;
      const plain = tokens.every((t) => parseSelectionExpression(t) === null);
      out.query.push({ code: v.code, selection: { filter, values: plain ? [...tokens] : [...now] } });
      if (!plain) out.resolved.push({ code: v.code, expression: tokens.join(',') });
      continue;
    }
    if (tokens.length === 0) continue; // eliminated
    const exprs = tokens.map((t) => ({ t, e: v.values.some((x) => x.code === t) ? null : parseSelectionExpression(t) }));
    if (exprs.every((x) => x.e === null)) {
      out.query.push({ code: v.code, selection: { filter: 'item', values: [...tokens] } });
    } else if (tokens.length === 1 && exprs[0].e?.kind === 'top' && exprs[0].e.offset === 0) {
      out.query.push({ code: v.code, selection: { filter: 'top', values: [String(exprs[0].e.count)] } });
    } else if (exprs.every((x) => x.e !== null && isV1Pattern(x.t))) {
      out.query.push({ code: v.code, selection: { filter: 'all', values: [...tokens] } });
    } else {
      out.query.push({ code: v.code, selection: { filter: 'item', values: [...now] } });
      out.resolved.push({ code: v.code, expression: tokens.join(',') });
    }
  }
  return out;
}
