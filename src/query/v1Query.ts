// PxWeb API v1 query syntax: the POST body {"query":[{code, selection:{filter, values}}], "response":{format}}
// and its filters (item, all, top, agg:, agg_single:, agg_all:, vs:), resolved into an engine Plan.
// Errors carry the exact messages PxWeb answers with (see shared spec pxweb-api.md §2.4).

import type { Plan, DimPlan } from '../core/engine.js';
import type { TableMeta, Variable } from '../core/model.js';
import {
  codelistDomain,
  domainIndex,
  eliminatePlan,
  leftOutPlan,
  selectPlan,
  SelectionError,
  variableDomain,
  type Domain,
  type GroupMode,
} from './selection.js';

export const PARAMETER_ERROR = 'Parameter error';

export function variableErrorMessage(code: string): string {
  return `The request for variable '${code}' has an error. Please check your query.`;
}

/** A v1 request error: answered as 400 {"error": message}. */
export class V1QueryError extends Error {
  readonly status = 400;
  constructor(message: string = PARAMETER_ERROR) {
    super(message);
    this.name = 'V1QueryError';
  }
}

export interface V1Selection {
  filter: string;
  values: string[];
}

export interface V1QueryItem {
  code: string;
  selection: V1Selection;
}

export interface V1Request {
  query: V1QueryItem[];
  /** response.format as sent (undefined when absent). */
  format?: string;
}

/** Property lookup ignoring case, as Newtonsoft binds v1 request DTOs. */
function prop(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function scalarString(x: unknown): string {
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  throw new V1QueryError();
}

/** Parse a v1 POST body (bytes or text, whatever its Content-Type). Throws V1QueryError on any fault. */
export function parseV1Body(raw: string | Buffer | undefined | null): V1Request {
  let text = raw === undefined || raw === null ? '' : typeof raw === 'string' ? raw : raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw new V1QueryError();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new V1QueryError();
  }
  if (!isObject(doc)) throw new V1QueryError();
  const q = prop(doc, 'query');
  if (q === undefined || q === null) throw new V1QueryError();
  if (!Array.isArray(q)) throw new V1QueryError();
  const query: V1QueryItem[] = q.map((item) => {
    if (!isObject(item)) throw new V1QueryError();
    const code = prop(item, 'code');
    const sel = prop(item, 'selection');
    if (typeof code !== 'string' || !isObject(sel)) throw new V1QueryError();
    const filter = prop(sel, 'filter');
    const vals = prop(sel, 'values');
    if (typeof filter !== 'string') throw new V1QueryError();
    let values: string[];
    if (vals === undefined || vals === null) values = [];
    else if (Array.isArray(vals)) values = vals.map(scalarString);
    else values = [scalarString(vals)];
    return { code, selection: { filter, values } };
  });
  let format: string | undefined;
  const resp = prop(doc, 'response');
  if (isObject(resp)) {
    const f = prop(resp, 'format');
    if (f !== undefined && f !== null) format = scalarString(f);
  } else if (resp !== undefined && resp !== null) {
    throw new V1QueryError();
  }
  return { query, format };
}

/** `all` patterns: "*" = everything, "abc*" = prefix, "*abc" = suffix; anything else is an error. */
function matchAll(d: Domain, patterns: string[]): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (const p of patterns) {
    let test: (code: string) => boolean;
    if (p === '*') test = () => true;
    else if (p.startsWith('*')) {
      const s = p.slice(1);
      test = (c) => c.endsWith(s);
    } else if (p.endsWith('*')) {
      const s = p.slice(0, -1);
      test = (c) => c.startsWith(s);
    } else throw new V1QueryError();
    d.entries.forEach((e, i) => {
      if (!seen.has(i) && test(e.value.code)) {
        seen.add(i);
        out.push(i);
      }
    });
  }
  return out;
}

/** `item`: the domain entries whose code is listed, in domain order; an unknown or repeated code is an error. */
function matchItems(d: Domain, values: string[]): number[] {
  const ix = domainIndex(d);
  const wanted = new Set<number>();
  for (const v of values) {
    const i = ix.get(v);
    if (i === undefined || wanted.has(i)) throw new V1QueryError(variableErrorMessage(d.variable.code));
    wanted.add(i);
  }
  return [...wanted].sort((a, b) => a - b);
}

/** `top`: N latest periods of a time variable (stored ascending -> the last N), else the first N. */
function matchTop(d: Domain, values: string[], isTime: boolean, lang: string): number[] {
  if (values.length !== 1 || !/^\s*\+?\d+\s*$/.test(values[0])) throw new V1QueryError();
  const n = Number(values[0]);
  if (!Number.isSafeInteger(n) || n < 1) throw new V1QueryError();
  const len = d.entries.length;
  const k = Math.min(n, len);
  if (isTime && len >= 2) {
    const t0 = textOf(d, 0, lang);
    const t1 = textOf(d, 1, lang);
    if (t0 < t1) return Array.from({ length: k }, (_, i) => len - k + i);
  }
  return Array.from({ length: k }, (_, i) => i);
}

function textOf(d: Domain, i: number, lang: string): string {
  const l = d.entries[i].value.label;
  return l[lang] ?? Object.values(l)[0] ?? d.entries[i].value.code;
}

const AGG = /^agg(_single|_all)?:(.+)$/;
const VS = /^vs:(.+)$/;

/** Resolve one variable's selection into a DimPlan (eliminating it when it selects nothing). */
function resolveVariable(v: Variable, sel: V1Selection, lang: string): DimPlan {
  const filter = sel.filter;
  const lower = filter.toLowerCase();
  let domain = variableDomain(v);
  let chosen: number[];
  if (lower === 'all') {
    chosen = matchAll(domain, sel.values);
  } else if (lower === 'top') {
    chosen = matchTop(domain, sel.values, v.role === 'time', lang);
  } else if (lower.startsWith('agg:') || lower.startsWith('agg_')) {
    const m = AGG.exec(filter);
    if (!m) throw new V1QueryError();
    const mode: GroupMode = m[1] === '_single' ? 'single' : m[1] === '_all' ? 'all' : 'aggregated';
    const d = codelistDomain(v, m[2], 'grouping', mode);
    if (!d) throw new V1QueryError(variableErrorMessage(v.code));
    domain = d;
    chosen = matchItems(domain, sel.values);
  } else if (lower.startsWith('vs:')) {
    const m = VS.exec(filter);
    if (!m) throw new V1QueryError();
    const d = codelistDomain(v, m[1], 'valueSet');
    if (!d) throw new V1QueryError(variableErrorMessage(v.code));
    domain = d;
    chosen = matchItems(domain, sel.values);
  } else {
    chosen = matchItems(domain, sel.values);
  }
  if (chosen.length) return selectPlan(domain, chosen);
  // nothing selected: an eliminable variable is eliminated (under the chosen value set, if any)
  if (!v.elimination) throw new V1QueryError();
  return eliminatePlan(v, domain);
}

/** Resolve a parsed v1 query against a table into an engine Plan (one DimPlan per table variable). */
export function resolveV1Query(meta: TableMeta, query: V1QueryItem[], lang: string = meta.defaultLanguage): Plan {
  const byCode = new Map<string, V1QueryItem>();
  for (const item of query) {
    if (byCode.has(item.code)) throw new V1QueryError();
    byCode.set(item.code, item);
  }
  const known = new Set(meta.variables.map((v) => v.code));
  for (const code of byCode.keys()) if (!known.has(code)) throw new V1QueryError();
  try {
    return meta.variables.map((v) => {
      const item = byCode.get(v.code);
      return item ? resolveVariable(v, item.selection, lang) : leftOutPlan(v);
    });
  } catch (e) {
    if (e instanceof SelectionError) throw new V1QueryError();
    throw e;
  }
}
