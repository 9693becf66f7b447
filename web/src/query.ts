// The user's selection on a table page, and the API queries it becomes: the API v1 POST body, the
// PxWebApi 2.0 GET URL and POST body, and the saved-query body. Pure functions (no DOM), tested in node.

export interface VarSelection {
  code: string;
  /** v2 code list id (`vs_…` value set or `agg_…` grouping) when the values come from one. */
  codelist?: string;
  /** Selected value codes, in the order the variable (or its code list) lists them. */
  selected: string[];
  /** How many values the variable has (under its code list). */
  total: number;
  /** Eliminable: may be left out (summed away, or shown as its elimination value). */
  elimination: boolean;
  /**
   * A relative selection as PxWebApi 2.0 writes it (`top(5)`, `from(2020)`, `range(2019,2021)`, `11*`, `*`): the
   * queries carry it instead of the codes, so a copied or saved query follows new releases. `selected` holds the
   * codes it gives today (for the cell count).
   */
  expr?: string;
}

export interface TableQuery {
  tableId: string;
  lang: string;
  vars: VarSelection[];
}

/** Number of data cells the selection gives: left-out eliminable variables count once, a missing mandatory one gives 0. */
export function cellCount(vars: readonly VarSelection[]): number {
  let n = 1;
  for (const v of vars) {
    if (v.selected.length) n *= v.selected.length;
    else if (!v.elimination) return 0;
  }
  return n;
}

/** Codes of mandatory variables with nothing selected. */
export function missingMandatory(vars: readonly VarSelection[]): string[] {
  return vars.filter((v) => !v.elimination && v.selected.length === 0).map((v) => v.code);
}

/** Is there anything to ask for? (A query that eliminates every variable has no cell to show.) */
export function hasSelection(vars: readonly VarSelection[]): boolean {
  return vars.some((v) => v.selected.length > 0) && missingMandatory(vars).length === 0;
}

/** The v1 filter name for a v2 code list id: `agg_X` -> `agg:X`, `vs_X` -> `vs:X`. */
export function v1Filter(codelist: string | undefined): string {
  if (!codelist) return 'item';
  if (codelist.startsWith('agg_')) return `agg:${codelist.slice(4)}`;
  if (codelist.startsWith('vs_')) return `vs:${codelist.slice(3)}`;
  return 'item';
}

export interface V1Body {
  query: { code: string; selection: { filter: string; values: string[] } }[];
  response: { format: string };
}

/** API v1 POST body: one `item` (or `agg:`/`vs:`) entry per variable with values; left-out variables are omitted. */
export function v1Body(vars: readonly VarSelection[], format = 'json-stat2'): V1Body {
  return {
    query: vars
      .filter((v) => v.selected.length > 0)
      .map((v) => ({ code: v.code, selection: v1Selection(v) })),
    response: { format },
  };
}

/**
 * One variable's v1 selection: `top` for the latest periods, `all` with the pattern for wildcards and "every value";
 * v1 has no "from" or "range" filter, so those (and code lists) list the codes they give today.
 */
export function v1Selection(v: VarSelection): { filter: string; values: string[] } {
  const e = v.expr;
  if (e && !v.codelist) {
    const top = /^top\((\d+)\)$/i.exec(e);
    if (top) return { filter: 'top', values: [top[1]] };
    if (/[*?]/.test(e) && !e.includes('(')) return { filter: 'all', values: [e] };
  }
  return { filter: v1Filter(v.codelist), values: [...v.selected] };
}

/** Does the v1 query list codes where the selection is relative (from/range)? Then it will not follow releases. */
export function v1LosesRelative(vars: readonly VarSelection[]): boolean {
  return vars.some((v) => v.selected.length > 0 && v.expr !== undefined && v1Selection(v).filter !== 'top' && v1Selection(v).filter !== 'all');
}

/** The v1 body as people write it: one query entry per line, so long value lists stay readable. */
export function formatV1Body(body: V1Body): string {
  const lines = body.query.map((q) => '    ' + JSON.stringify(q));
  return `{\n  "query": [\n${lines.join(',\n')}\n  ],\n  "response": ${JSON.stringify(body.response)}\n}`;
}

export function v1TableUrl(origin: string, lang: string, tableId: string): string {
  return `${origin}/api/v0/${encodeURIComponent(lang)}/table/${encodeURIComponent(tableId)}`;
}

/** A value code as one item of a v2 `valueCodes[...]` list: codes with commas are wrapped in brackets. */
function v2Item(code: string): string {
  const wrapped = code.includes(',') ? `[${code}]` : code;
  return encodeURIComponent(wrapped).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%2A/g, '*');
}

function v2Key(name: string, code: string): string {
  return `${name}[${encodeURIComponent(code)}]`;
}

/**
 * PxWebApi 2.0 GET URL of the selection. A variable with every value selected (and no code list) is written `*`,
 * so the query keeps following the table; left-out variables are omitted (eliminated).
 */
export function v2DataUrl(origin: string, q: TableQuery, format = 'json-stat2', formatParams: readonly string[] = [], placement?: Placement): string {
  const parts = [`lang=${encodeURIComponent(q.lang)}`];
  for (const v of q.vars) {
    if (!v.selected.length) continue;
    const all = !v.codelist && v.total > 1 && v.selected.length === v.total;
    // (the server splits a GET list at every comma, also inside range(a,b): a range is listed as its codes here;
    // POST bodies and saved queries keep range())
    const expr = v.expr && !/^range\(/i.test(v.expr) ? v.expr : undefined;
    const value = expr ? encodeURIComponent(expr).replace(/%2C/g, ',').replace(/%2A/g, '*') : all ? '*' : v.selected.map(v2Item).join(',');
    parts.push(`${v2Key('valueCodes', v.code)}=${value}`);
    if (v.codelist) parts.push(`${v2Key('codelist', v.code)}=${encodeURIComponent(v.codelist)}`);
  }
  if (placement) {
    const kept = (codes: string[]) => codes.filter((c) => q.vars.some((v) => v.code === c && v.selected.length > 0));
    if (kept(placement.heading).length) parts.push(`heading=${kept(placement.heading).map(encodeURIComponent).join(',')}`);
    if (kept(placement.stub).length) parts.push(`stub=${kept(placement.stub).map(encodeURIComponent).join(',')}`);
  }
  parts.push(`outputFormat=${encodeURIComponent(format)}`);
  if (formatParams.length) parts.push(`outputFormatParams=${formatParams.map(encodeURIComponent).join(',')}`);
  return `${origin}/api/v2/tables/${encodeURIComponent(q.tableId)}/data?${parts.join('&')}`;
}

export interface Placement {
  heading: string[];
  stub: string[];
}

export interface V2SelectionBody {
  selection: { variableCode: string; codelist?: string; valueCodes: string[] }[];
  placement?: { heading: string[]; stub: string[] };
}

/** PxWebApi 2.0 POST body (`VariablesSelection`). */
export function v2Body(vars: readonly VarSelection[], placement?: { heading: string[]; stub: string[] }): V2SelectionBody {
  const body: V2SelectionBody = {
    selection: vars
      .filter((v) => v.selected.length > 0)
      .map((v) => {
        const valueCodes = v.expr ? [v.expr] : [...v.selected];
        return v.codelist ? { variableCode: v.code, codelist: v.codelist, valueCodes } : { variableCode: v.code, valueCodes };
      }),
  };
  if (placement) body.placement = placement;
  return body;
}

/** `POST /api/v2/savedqueries` body. */
export function savedQueryBody(q: TableQuery, format: string, formatParams: readonly string[] = [], placement?: Placement) {
  return {
    tableId: q.tableId,
    language: q.lang,
    outputFormat: format,
    outputFormatParams: [...formatParams],
    selection: v2Body(q.vars, placement),
  };
}

/** A v2 selection (from `/defaultselection` or a saved query) as a v1 POST body: the table's default query in the console. */
export function v1BodyFromV2(selection: readonly { variableCode: string; codelist?: string | null; valueCodes: string[] }[], format = 'json-stat2'): V1Body {
  return {
    query: selection
      .filter((s) => s.valueCodes.length > 0)
      .map((s) => ({ code: s.variableCode, selection: { filter: v1Filter(s.codelist ?? undefined), values: [...s.valueCodes] } })),
    response: { format },
  };
}

/** Formats of each API the download menu offers, with the file extension they produce. */
export const V2_FORMATS = ['json-stat2', 'csv', 'xlsx', 'html', 'px', 'json-px', 'parquet'] as const;
export const V1_FORMATS = ['csv2', 'csv3', 'json-stat'] as const;
export const EXTENSIONS: Record<string, string> = {
  'json-stat2': 'json',
  csv: 'csv',
  xlsx: 'xlsx',
  html: 'html',
  px: 'px',
  'json-px': 'json',
  parquet: 'parquet',
  csv2: 'csv',
  csv3: 'csv',
  'json-stat': 'json',
};

/** Formats that take the label parameters (UseCodes/UseTexts/UseCodesAndTexts). */
export const LABEL_PARAM_FORMATS = new Set(['csv', 'xlsx', 'html']);
