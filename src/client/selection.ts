// What a client asks for, and how it becomes explicit value codes.
//
// A selection names, per variable code, value codes and PxWebApi 2.0 selection expressions (`*`, `03*`, `*01`,
// `?` patterns, `top(n[,o])`, `bottom(n[,o])`, `from(x)`, `to(x)`, `range(a,b)`), optionally under a codelist
// (`vs_…` value set or `agg_…` grouping). The client expands everything against the table's metadata itself, so
// that every call it sends lists explicit codes and a big query can be cut anywhere. Left-out variables are
// eliminated when the table allows it, else all their values are taken (PxWeb v1's rule); an empty list
// eliminates.
//
// Also here: reading a selection from a v1 query body, a v2 selection body, a v2 data URL or `Var=codes` arguments.

import { expandExpression, findCode, parseSelectionExpression, splitValueCodes } from '../query/v2Expressions.js';

export interface VariableSelection {
  /** Codes and expressions; [] eliminates the variable. */
  codes: string[];
  /** v2 codelist id (`vs_Fylker`, `agg_KommSummer`); a v1 filter (`vs:Fylker`, `agg_single:X`) is also accepted. */
  codelist?: string;
}

/** Variable code -> codes (a list, or one comma-separated string) or a VariableSelection. */
export type Selection = Record<string, string | string[] | VariableSelection>;

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

/** A variable as the client sees a table (either API). */
export interface ClientVariable {
  code: string;
  label: string;
  /** null when the server left the list out (PxWeb v1 above maxValues). */
  values: { code: string; label: string }[] | null;
  elimination: boolean;
  time: boolean;
  contents?: boolean;
}

export interface ResolvedVariable {
  code: string;
  /** null = eliminated. */
  codes: string[] | null;
  codelist?: string;
  /** Position of each code in the variable's metadata (or codelist) order, when known. */
  order?: Map<string, number>;
}

/** Split a command-line code list on commas outside (), [] and quotes; `[x,y]` items are unwrapped. */
export function splitCodeList(raw: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of raw) {
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out
    .map((s) => s.trim())
    .map((s) => (s.length >= 2 && s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s))
    .filter((s) => s !== '');
}

export function normalizeSelection(sel: Selection): Map<string, VariableSelection> {
  const out = new Map<string, VariableSelection>();
  if (typeof sel !== 'object' || sel === null || Array.isArray(sel)) throw new SelectionError('a selection is an object: variable code -> codes');
  for (const [code, v] of Object.entries(sel)) {
    if (typeof v === 'string') out.set(code, { codes: splitCodeList(v) });
    else if (Array.isArray(v)) out.set(code, { codes: v.map(String) });
    else if (v && typeof v === 'object' && Array.isArray(v.codes)) out.set(code, { codes: v.codes.map(String), codelist: v.codelist || undefined });
    else throw new SelectionError(`the selection of ${code} is neither a code list nor {codes, codelist}`);
  }
  return out;
}

/** `Var=code,code` / `Var=*` / `Var=vs_Fylker:03,11` (codelist before a colon) / `Var=` (eliminate). */
export function parseSelectArgs(args: readonly string[]): Selection {
  const out: Selection = {};
  for (const a of args) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new SelectionError(`--select wants Var=codes, not ${JSON.stringify(a)}`);
    const code = a.slice(0, eq).trim();
    let rest = a.slice(eq + 1);
    let codelist: string | undefined;
    const m = /^((?:vs|agg)(?:_single|_all)?[_:][^:=]+):(.*)$/.exec(rest);
    if (m) {
      codelist = m[1];
      rest = m[2];
    }
    out[code] = { codes: splitCodeList(rest), codelist };
  }
  return out;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function prop(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/**
 * A selection from a query document: a PxWeb v1 body (`{"query":[{code, selection:{filter, values}}]}`) or a
 * PxWebApi 2.0 body (`{"selection":[{variableCode, codelist, valueCodes}]}`). v1 filters become expressions:
 * `all` patterns stay patterns, `top` n becomes `top(n)`, `vs:`/`agg:` become codelists.
 */
export function selectionFromQuery(doc: unknown): Selection {
  if (!isObj(doc)) throw new SelectionError('a query file holds a JSON object');
  const q = prop(doc, 'query');
  const s = prop(doc, 'selection');
  const out: Selection = {};
  if (Array.isArray(q)) {
    for (const item of q) {
      if (!isObj(item)) throw new SelectionError('each "query" entry is an object');
      const code = prop(item, 'code');
      const sel = prop(item, 'selection');
      if (typeof code !== 'string' || !isObj(sel)) throw new SelectionError('each "query" entry has a "code" and a "selection"');
      const filter = String(prop(sel, 'filter') ?? 'item');
      const raw = prop(sel, 'values');
      const values = Array.isArray(raw) ? raw.map(String) : raw === undefined || raw === null ? [] : [String(raw)];
      const lower = filter.toLowerCase();
      if (lower === 'item') out[code] = { codes: values };
      else if (lower === 'all') out[code] = { codes: values.length ? values : ['*'] };
      else if (lower === 'top') {
        if (values.length !== 1 || !/^\d+$/.test(values[0].trim())) throw new SelectionError(`"top" on ${code} wants one count`);
        out[code] = { codes: [`top(${values[0].trim()})`] };
      } else if (lower.startsWith('vs:') || lower.startsWith('agg')) out[code] = { codes: values, codelist: filter };
      else throw new SelectionError(`unknown v1 filter ${JSON.stringify(filter)} on ${code}`);
    }
    return out;
  }
  if (Array.isArray(s)) {
    for (const item of s) {
      if (!isObj(item)) throw new SelectionError('each "selection" entry is an object');
      const code = prop(item, 'variableCode');
      const codes = prop(item, 'valueCodes');
      const codelist = prop(item, 'codelist');
      if (typeof code !== 'string') throw new SelectionError('each "selection" entry has a "variableCode"');
      if (codes !== undefined && codes !== null && !Array.isArray(codes)) throw new SelectionError(`"valueCodes" of ${code} is not a list`);
      out[code] = { codes: ((codes as unknown[]) ?? []).map(String), codelist: typeof codelist === 'string' && codelist ? codelist : undefined };
    }
    return out;
  }
  throw new SelectionError('a query file has "query" (PxWeb v1) or "selection" (PxWebApi 2.0)');
}

/** The selection written into a PxWebApi 2.0 data URL (`valueCodes[VAR]=…`, `codelist[VAR]=…`). */
export function selectionFromV2Url(url: URL): Selection {
  const codes = new Map<string, string[]>();
  const lists = new Map<string, string>();
  for (const [k, v] of url.searchParams) {
    const m = /^(valuecodes|codelist)\[(.+)\]$/i.exec(k);
    if (!m) continue;
    if (m[1].toLowerCase() === 'codelist') lists.set(m[2], v);
    else codes.set(m[2], [...(codes.get(m[2]) ?? []), ...splitValueCodes(v)]);
  }
  const out: Selection = {};
  for (const [code, list] of codes) out[code] = { codes: list, codelist: lists.get(code) };
  return out;
}

/** The v1 filter for a codelist id: `vs_X` -> `vs:X`, `agg_X` -> `agg:X`; v1 spellings pass through. */
export function v1Filter(codelist: string | undefined): string {
  if (!codelist) return 'item';
  if (codelist.includes(':')) return codelist;
  const m = /^(vs|agg)_(.+)$/.exec(codelist);
  if (!m) throw new SelectionError(`codelist ${JSON.stringify(codelist)} is neither vs_… nor agg_…`);
  return `${m[1]}:${m[2]}`;
}

/** The v2 codelist id for a v1 filter or v2 id: `vs:X` -> `vs_X`, `agg:X` -> `agg_X`. */
export function v2Codelist(codelist: string | undefined): string | undefined {
  if (!codelist) return undefined;
  const m = /^(vs|agg)(_single|_all)?:(.+)$/.exec(codelist);
  if (!m) return codelist;
  if (m[2]) throw new SelectionError(`${codelist}: PxWebApi 2.0 has no ${m[1]}${m[2]} filter`);
  return `${m[1]}_${m[3]}`;
}

/**
 * Expand a selection against the table's variables. `valuesUnder(varCode)` gives the values of a variable under
 * its codelist when one is chosen (undefined when unknown: then only explicit codes are allowed).
 * `caseInsensitive`: codes match regardless of case (PxWebApi 2.0), else exactly (PxWeb v1).
 */
export function resolveSelection(
  variables: readonly ClientVariable[],
  selection: Selection,
  opts: { valuesUnder?: (code: string, codelist: string) => string[] | undefined; caseInsensitive?: boolean } = {},
): ResolvedVariable[] {
  const wanted = normalizeSelection(selection);
  const byCode = new Map(variables.map((v) => [v.code, v] as const));
  for (const code of wanted.keys()) {
    if (!byCode.has(code)) {
      const near = variables.find((v) => v.code.toLowerCase() === code.toLowerCase() || (code.toLowerCase() === 'time' && v.time));
      if (near) {
        wanted.set(near.code, wanted.get(code)!);
        wanted.delete(code);
      } else throw new SelectionError(`the table has no variable ${code} (it has ${variables.map((v) => v.code).join(', ')})`);
    }
  }
  return variables.map((v): ResolvedVariable => {
    const w = wanted.get(v.code);
    if (!w) {
      if (v.elimination) return { code: v.code, codes: null };
      if (!v.values) throw new SelectionError(`${v.code} must be selected: the server does not list its values`);
      return { code: v.code, codes: v.values.map((x) => x.code), order: positions(v.values.map((x) => x.code)) };
    }
    if (!w.codes.length) {
      if (!v.elimination) throw new SelectionError(`${v.code} cannot be eliminated: select at least one value`);
      return { code: v.code, codes: null, codelist: w.codelist };
    }
    const domain = w.codelist ? opts.valuesUnder?.(v.code, w.codelist) : v.values?.map((x) => x.code);
    const codes = expandCodes(v, w.codes, domain, !!opts.caseInsensitive, w.codelist);
    return { code: v.code, codes, codelist: w.codelist, order: domain ? positions(domain) : undefined };
  });
}

function positions(codes: readonly string[]): Map<string, number> {
  return new Map(codes.map((c, i) => [c, i] as const));
}

/** Codes in request order, then expression expansions in metadata order; repeats dropped. */
function expandCodes(v: ClientVariable, items: string[], domain: string[] | undefined, ci: boolean, codelist?: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (c: string) => {
    if (!seen.has(c)) {
      seen.add(c);
      out.push(c);
    }
  };
  const expansions: string[] = [];
  for (const item of items) {
    if (!domain) {
      if (parseSafe(item)) throw new SelectionError(`${v.code}: "${item}" needs the list of values${codelist ? ` of ${codelist}` : ''}, which is not known; list the codes`);
      add(item);
      continue;
    }
    const exact = domain.indexOf(item);
    const at = exact >= 0 ? exact : ci ? findCode(domain, item) : -1;
    if (at >= 0) {
      add(domain[at]);
      continue;
    }
    let expr;
    try {
      expr = parseSelectionExpression(item);
    } catch (e) {
      throw new SelectionError(`${v.code}: ${(e as Error).message}`);
    }
    if (!expr) throw new SelectionError(`${v.code} has no value ${JSON.stringify(item)}`);
    let idx: number[];
    try {
      idx = expandExpression(expr, domain, v.time, item);
    } catch (e) {
      throw new SelectionError(`${v.code}: ${(e as Error).message}`);
    }
    for (const i of idx) expansions.push(domain[i]);
  }
  for (const c of expansions) add(c);
  return out;
}

function parseSafe(item: string): boolean {
  try {
    return parseSelectionExpression(item) !== null;
  } catch {
    return true;
  }
}
