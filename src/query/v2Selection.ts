// PxWebApi 2.0 selections -> engine Plan.
//
// A v2 selection ({selection:[{variableCode, codelist, valueCodes}], placement}) is validated and expanded in
// the reference server's order: variables (with the `time` alias) and codelists, mandatory variables, value codes
// and expressions, cell limit. Value order: explicit codes in request order, then each expression's expansion in
// metadata order, codes already chosen skipped. Left-out and empty eliminable variables are eliminated.
// Domains (value sets, groupings), elimination and the cell count come from the shared helpers in selection.ts.
// Also here: the default-selection algorithm (no selection given) and placement (heading/stub).

import type { DimPlan, Plan } from '../core/engine.js';
import type { TableMeta, Variable } from '../core/model.js';
import {
  domainCodes,
  eliminatePlan,
  exceedsCellLimit,
  findGrouping,
  findValueSet,
  groupingDomain,
  planCells,
  selectPlan,
  valueSetDomain,
  variableDomain,
  type Domain,
  type GroupMode,
} from './selection.js';
import {
  ExpressionSyntaxError,
  ExpressionValueError,
  expandExpression,
  parseSelectionExpression,
  sameCode,
} from './v2Expressions.js';

/** One variable of a v2 selection, as posted (or built from GET parameters). */
export interface V2VariableSelection {
  variableCode: string;
  codelist?: string | null;
  valueCodes: string[];
  /** Legacy `outputValues[VAR]` for groupings: the groups' sums (default) or their member values. */
  outputValues?: 'aggregated' | 'single';
}

export interface V2Placement {
  heading?: string[];
  stub?: string[];
}

export interface V2Selection {
  selection: V2VariableSelection[];
  placement?: V2Placement | null;
}

export type V2SelectionProblem =
  | 'Non-existent variable'
  | 'Non-existent codelist'
  | 'Non-existent value'
  | 'Missing selection for mandantory variable'
  | 'Illegal selection expression'
  | 'Too many cells selected';

/** A selection the server rejects; `title` is the v2 Problem title, the message says what exactly. */
export class V2SelectionError extends Error {
  constructor(
    readonly title: V2SelectionProblem,
    message: string,
  ) {
    super(message);
    this.name = 'V2SelectionError';
  }
}

/** The outcome of resolving a selection against a table. */
export interface ResolvedV2Selection {
  /** One DimPlan per table variable, in table order. */
  plan: Plan;
  /** Per table variable, in the order the request named them, then the variables it left out. Codes expanded. */
  selection: { variableCode: string; codelist?: string; valueCodes: string[] }[];
  /** Output placement when the request's placement was usable; null = the table's own order. */
  placement: { heading: string[]; stub: string[] } | null;
  cells: number;
}

/** true when a request carries no selection and the default selection applies. */
export function usesDefaultSelection(s: V2Selection | null | undefined): boolean {
  return !s || !Array.isArray(s.selection) || s.selection.length === 0;
}

/** Find a table variable by the code a client wrote: `time` (any case) = the time variable, then exact, then any case. */
export function findVariable(meta: TableMeta, code: string): Variable | undefined {
  if (code.toLowerCase() === 'time') {
    const t = meta.variables.find((v) => v.role === 'time');
    if (t) return t;
  }
  return meta.variables.find((v) => v.code === code) ?? meta.variables.find((v) => sameCode(v.code, code));
}

/**
 * The domain a v2 codelist id gives on a variable: `vs_<id>` (value set) or `agg_<id>` (grouping). Ids are
 * case-sensitive. Undefined when blank; throws 'Non-existent codelist' when unknown.
 */
export function v2CodelistDomain(v: Variable, codelist: string | null | undefined, mode: GroupMode = 'aggregated'): Domain | undefined {
  if (codelist === undefined || codelist === null || codelist.trim() === '') return undefined;
  let d: Domain | undefined;
  if (codelist.startsWith('agg_')) {
    const g = findGrouping(v, codelist);
    if (g) d = groupingDomain(v, g, mode);
  } else if (codelist.startsWith('vs_')) {
    const vs = findValueSet(v, codelist);
    if (vs) d = valueSetDomain(v, vs);
  }
  if (!d) throw new V2SelectionError('Non-existent codelist', `variable ${v.code} has no codelist ${codelist}`);
  return d;
}

/** The v2 id of the codelist a domain came from (`vs_…`/`agg_…`), undefined for the plain variable. */
export function domainCodelistId(d: Domain): string | undefined {
  if (d.source.kind === 'valueSet') return prefixed('vs_', d.source.valueSet.id);
  if (d.source.kind === 'grouping') return prefixed('agg_', d.source.grouping.id);
  return undefined;
}

export function prefixed(prefix: string, id: string): string {
  return id.startsWith(prefix) ? id : prefix + id;
}

export interface ResolveOptions {
  /** Cell limit (0 = none). */
  maxCells: number;
}

/** Validate and expand a (non-default) selection into a Plan. Throws V2SelectionError. */
export function resolveV2Selection(meta: TableMeta, input: V2Selection, opts: ResolveOptions): ResolvedV2Selection {
  interface Entry {
    variable: Variable;
    index: number;
    domain: Domain;
    codelist?: string;
    tokens: string[];
  }
  const byVar = new Map<number, Entry>();
  const order: Entry[] = [];

  // 1. variables and codelists
  for (const s of input.selection) {
    const code = typeof s?.variableCode === 'string' ? s.variableCode : '';
    const v = findVariable(meta, code);
    if (!v) throw new V2SelectionError('Non-existent variable', `the table has no variable '${code}'`);
    const index = meta.variables.indexOf(v);
    const mode: GroupMode = s.outputValues === 'single' ? 'single' : 'aggregated';
    const tokens = Array.isArray(s.valueCodes) ? s.valueCodes.filter((t): t is string => typeof t === 'string') : [];
    const prev = byVar.get(index);
    if (prev) {
      // the same variable twice: one selection with both lists
      prev.tokens.push(...tokens);
      continue;
    }
    const cl = v2CodelistDomain(v, s.codelist, mode);
    const e: Entry = { variable: v, index, domain: cl ?? variableDomain(v), codelist: cl ? domainCodelistId(cl) : undefined, tokens: [...tokens] };
    byVar.set(index, e);
    order.push(e);
  }

  // 2. mandatory variables must be there
  for (const v of meta.variables) {
    if (!v.elimination && !byVar.has(meta.variables.indexOf(v))) {
      throw new V2SelectionError('Missing selection for mandantory variable', `variable ${v.code} must be selected`);
    }
  }

  // 3. left-out variables: eliminated
  meta.variables.forEach((v, index) => {
    if (byVar.has(index)) return;
    const e: Entry = { variable: v, index, domain: variableDomain(v), tokens: [] };
    byVar.set(index, e);
    order.push(e);
  });

  // 4. codes and expressions
  const chosen = new Map<number, number[]>();
  for (const e of order) {
    const picked = expandTokens(e.variable, e.domain, e.tokens);
    if (picked.length === 0 && !e.variable.elimination) {
      throw new V2SelectionError('Missing selection for mandantory variable', `no values selected for variable ${e.variable.code}`);
    }
    chosen.set(e.index, picked);
  }

  // 5. plan and cell limit
  const plan: Plan = meta.variables.map((v, i): DimPlan => {
    const e = byVar.get(i)!;
    const picked = chosen.get(i)!;
    return picked.length ? selectPlan(e.domain, picked) : eliminatePlan(v, e.domain);
  });
  if (exceedsCellLimit(plan, opts.maxCells)) {
    throw new V2SelectionError('Too many cells selected', 'Too many cells selected');
  }

  const selection = order.map((e) => {
    const valueCodes = chosen.get(e.index)!.map((k) => e.domain.entries[k].value.code);
    // key order as the reference server writes it: variableCode, codelist, valueCodes
    return e.codelist ? { variableCode: e.variable.code, codelist: e.codelist, valueCodes } : { variableCode: e.variable.code, valueCodes };
  });
  const selected = order.filter((e) => chosen.get(e.index)!.length > 0).map((e) => e.variable.code);
  return { plan, selection, placement: resolvePlacement(meta, input.placement, selected), cells: planCells(plan) };
}

/** Explicit codes in request order, then expression expansions; duplicates dropped. Positions into the domain. */
function expandTokens(v: Variable, d: Domain, tokens: readonly string[]): number[] {
  const codes = domainCodes(d);
  const out: number[] = [];
  const seen = new Set<number>();
  const add = (k: number) => {
    if (!seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  };
  // code lookups through maps, so long explicit lists stay linear (exact spelling first, then any case)
  const exact = new Map<string, number>();
  const lower = new Map<string, number>();
  codes.forEach((c, i) => {
    if (!exact.has(c)) exact.set(c, i);
    const l = c.toLowerCase();
    if (!lower.has(l)) lower.set(l, i);
  });
  const expressions: string[] = [];
  for (const t of tokens) {
    const k = exact.get(t) ?? lower.get(t.toLowerCase());
    if (k !== undefined) add(k);
    else expressions.push(t);
  }
  const isTime = v.role === 'time';
  for (const t of expressions) {
    let expr;
    try {
      expr = parseSelectionExpression(t);
    } catch (err) {
      if (err instanceof ExpressionSyntaxError) {
        throw new V2SelectionError('Illegal selection expression', `variable ${v.code}: ${err.message}`);
      }
      throw err;
    }
    if (!expr) throw new V2SelectionError('Non-existent value', `variable ${v.code} has no value '${t}'`);
    try {
      for (const k of expandExpression(expr, codes, isTime, t)) add(k);
    } catch (err) {
      if (err instanceof ExpressionValueError) {
        throw new V2SelectionError('Non-existent value', `variable ${v.code}: ${err.message}`);
      }
      throw err;
    }
  }
  return out;
}

/**
 * The reference server's placement rules: `TIME` = the time variable; every named variable must have selected
 * values; heading+stub naming all of them (no overlap) is used as given; only one of them given -> the other
 * gets the rest (selection order); anything else is ignored (null = keep the table's order).
 */
export function resolvePlacement(
  meta: TableMeta,
  placement: V2Placement | null | undefined,
  selected: readonly string[],
): { heading: string[]; stub: string[] } | null {
  if (!placement) return null;
  const norm = (list: unknown): string[] | null => {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) return null;
    const out: string[] = [];
    for (const x of list) {
      if (typeof x !== 'string') return null;
      const v = x.toLowerCase() === 'time' ? meta.variables.find((w) => w.role === 'time') : undefined;
      const code = v?.code ?? selected.find((c) => sameCode(c, x));
      if (!code || out.includes(code)) return null;
      out.push(code);
    }
    return out;
  };
  const heading = norm(placement.heading);
  const stub = norm(placement.stub);
  if (!heading || !stub || (heading.length === 0 && stub.length === 0)) return null;
  if (heading.some((c) => stub.includes(c))) return null;
  if (heading.length + stub.length === selected.length) return { heading, stub };
  if (heading.length === 0) return { heading: selected.filter((c) => !stub.includes(c)), stub };
  if (stub.length === 0) return { heading, stub: selected.filter((c) => !heading.includes(c)) };
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Default selection (PxWebApi "Bjarte3", with "SimpleDefaultSelection" for tables without contents or time)

const STUB_MAX = 1500;
const HEADING_MAX = 13;

/** The domain a variable shows by default: its first value set when it has any. */
export function defaultDomain(v: Variable): Domain {
  return v.valueSets?.length ? valueSetDomain(v, v.valueSets[0]) : variableDomain(v);
}

/**
 * The selection a request without one gets: per-variable value lists and a placement.
 * Time values are taken from the end (newest), other values from the start.
 */
export function defaultV2Selection(meta: TableMeta): V2Selection & { placement: { heading: string[]; stub: string[] } } {
  const selection: V2VariableSelection[] = [];
  const heading: string[] = [];
  const stub: string[] = [];
  const vars = meta.variables;
  const contents = vars.find((v) => v.role === 'contents');
  const time = vars.find((v) => v.role === 'time');
  const size = (v: Variable) => defaultDomain(v).entries.length;

  const add = (v: Variable, count: number, last: boolean, place: 'heading' | 'stub' | null) => {
    const d = defaultDomain(v);
    const codes = domainCodes(d);
    const valueCodes = count === 0 ? [] : last ? codes.slice(-count) : codes.slice(0, count);
    const cl = domainCodelistId(d);
    // key order as the reference server writes it: variableCode, codelist, valueCodes
    selection.push(cl ? { variableCode: v.code, codelist: cl, valueCodes } : { variableCode: v.code, valueCodes });
    if (place === 'heading') heading.push(v.code);
    else if (place === 'stub') stub.push(v.code);
  };
  // Bjarte3 takes the newest periods; the fallback algorithm takes every variable from its start
  const fromEnd = (v: Variable) => v === time && contents !== undefined;
  const first = (v: Variable, n: number, place: 'heading' | 'stub') => add(v, n, fromEnd(v), place);
  const eliminate = (v: Variable) => add(v, 0, false, null);
  // the one with more values goes to the stub; a tie sends the second one there
  const stubOrHeading = (a: Variable, b: Variable): [Variable, Variable] => (size(a) > size(b) ? [a, b] : [b, a]);
  const pair = (a: Variable, b: Variable) => {
    const [s, h] = stubOrHeading(a, b);
    first(s, STUB_MAX, 'stub');
    first(h, HEADING_MAX, 'heading');
  };

  if (contents && time && vars.length >= 2) {
    const others = vars.filter((v) => v !== contents && v !== time);
    if (others.length === 0) {
      if (size(contents) < 6) {
        first(contents, HEADING_MAX, 'heading');
        first(time, HEADING_MAX, 'stub');
      } else {
        first(contents, STUB_MAX, 'stub');
        first(time, HEADING_MAX, 'heading');
      }
    } else if (others.length === 1) {
      const other = others[0];
      if (size(contents) === 1) {
        first(contents, 1, 'heading');
        first(time, HEADING_MAX, 'heading');
        first(other, STUB_MAX, 'stub');
      } else {
        first(time, 1, 'heading');
        pair(contents, other);
      }
    } else {
      first(contents, 1, 'heading');
      first(time, 1, 'heading');
      const mandatory = others.filter((v) => !v.elimination);
      const optional = others.filter((v) => v.elimination);
      if (mandatory.length > 1) {
        for (const v of mandatory.slice(1, -1)) first(v, 1, 'heading');
        pair(mandatory[0], mandatory[mandatory.length - 1]);
        optional.forEach(eliminate);
      } else if (mandatory.length === 1) {
        const lastOptional = optional[optional.length - 1];
        pair(mandatory[0], lastOptional);
        optional.filter((v) => v !== lastOptional).forEach(eliminate);
      } else {
        const a = others[0];
        const b = others[others.length - 1];
        pair(a, b);
        optional.filter((v) => v !== a && v !== b).forEach(eliminate);
      }
    }
  } else if (vars.length === 1) {
    first(vars[0], STUB_MAX, 'stub');
  } else if (vars.length > 1) {
    const mandatory = vars.filter((v) => !v.elimination);
    const optional = vars.filter((v) => v.elimination);
    if (mandatory.length === 1) {
      const lastOptional = optional[optional.length - 1];
      pair(mandatory[0], lastOptional);
      optional.filter((v) => v !== lastOptional).forEach(eliminate);
    } else if (mandatory.length > 1) {
      for (const v of mandatory.slice(1, -1)) first(v, 1, 'heading');
      optional.forEach(eliminate);
      pair(mandatory[0], mandatory[mandatory.length - 1]);
    } else {
      const a = optional[0];
      const b = optional[optional.length - 1];
      pair(a, b);
      optional.filter((v) => v !== a && v !== b).forEach(eliminate);
    }
  }
  return { selection, placement: { heading, stub } };
}

/**
 * Resolve a request's selection, or the default selection when it has none. The default selection's placement
 * always applies; a cell limit never rejects it (it is at most a few thousand cells).
 */
export function resolveV2OrDefault(meta: TableMeta, input: V2Selection | null | undefined, opts: ResolveOptions): ResolvedV2Selection {
  if (usesDefaultSelection(input)) return resolveV2Selection(meta, defaultV2Selection(meta), { maxCells: 0 });
  return resolveV2Selection(meta, input!, opts);
}

/**
 * Metadata under codelists: each variable named in `codelists` (variable code -> `vs_…`/`agg_…` id, variable codes
 * matched like selections) shows that codelist's values instead of its own. Throws V2SelectionError for an
 * unknown variable or codelist.
 */
export function applyCodelistsToMeta(meta: TableMeta, codelists: Record<string, string | null | undefined>): TableMeta {
  const replaced = new Map<Variable, Variable>();
  for (const [code, id] of Object.entries(codelists)) {
    const v = findVariable(meta, code);
    if (!v) throw new V2SelectionError('Non-existent variable', `the table has no variable '${code}'`);
    const d = v2CodelistDomain(v, id);
    if (d) replaced.set(v, domainVariable(v, d));
  }
  if (!replaced.size) return meta;
  return { ...meta, variables: meta.variables.map((v) => replaced.get(v) ?? v) };
}

/** Metadata as the default selection shows it: each variable with value sets under its first one. */
export function applyDefaultCodelistsToMeta(meta: TableMeta): TableMeta {
  if (!meta.variables.some((v) => v.valueSets?.length)) return meta;
  return { ...meta, variables: meta.variables.map((v) => (v.valueSets?.length ? domainVariable(v, defaultDomain(v)) : v)) };
}

/** A variable whose values are a domain's entries (value-set members or grouping outputs). */
function domainVariable(v: Variable, d: Domain): Variable {
  const values = d.entries.map((e) => e.value);
  const out: Variable = { ...v, values };
  const ev = d.eliminationValue;
  if (ev !== undefined && values.some((x) => x.code === ev)) out.eliminationValue = ev;
  else delete out.eliminationValue;
  if (d.source.kind === 'grouping') delete out.hierarchy;
  return out;
}
