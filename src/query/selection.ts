// API-neutral building blocks for turning a query into an engine Plan (src/core/engine.ts).
// Both API v1 (src/query/v1Query.ts) and API v2 resolve their own filter syntax with these:
//   1. pick the variable's *domain*: its own values, a value set, or a grouping (agg/single/all);
//   2. choose entries of that domain (codes, wildcards, top …: the API's own syntax);
//   3. turn the chosen entries into a DimPlan (pick or group), or eliminate the variable;
//   4. check the cell limit on the finished Plan.

import type { DimPlan, Plan, PlanGroup } from '../core/engine.js';
import { resultSize } from '../core/engine.js';
import type { Group, GroupInputSpan, Grouping, Value, ValueSet, Variable } from '../core/model.js';

/** A selection problem. `variable` is set when the fault lies in one variable's selection. */
export class SelectionError extends Error {
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super(message);
    this.name = 'SelectionError';
  }
}

/** One selectable output value: its metadata and the indices (into `variable.values`) it stands for. */
export interface DomainEntry {
  value: Value;
  /** Indices into the variable's values; one index = that value itself, several = their sum. */
  inputs: number[];
  /** true when this entry is an unchanged value of the variable (not a group). */
  plain: boolean;
  /** The grouping's group this entry sums (its split rules go into the plan). */
  group?: Group;
}

/** The values a query may choose from for one variable, after any value set or grouping. */
export interface Domain {
  variable: Variable;
  entries: DomainEntry[];
  /** What was applied: nothing, a value set or a grouping. */
  source: { kind: 'variable' } | { kind: 'valueSet'; valueSet: ValueSet } | { kind: 'grouping'; grouping: Grouping; mode: GroupMode };
  /** Code of the value that stands for the whole variable when it is eliminated under this domain. */
  eliminationValue?: string;
}

/** Which values a grouping yields: its groups (v1 `agg:`), their member values (`agg_single:`), or both (`agg_all:`). */
export type GroupMode = 'aggregated' | 'single' | 'all';

/** Value code -> index in `variable.values` (first occurrence wins). */
export function valueIndex(v: Variable): Map<string, number> {
  const m = new Map<string, number>();
  v.values.forEach((x, i) => {
    if (!m.has(x.code)) m.set(x.code, i);
  });
  return m;
}

/** The variable's own values, in metadata order. */
export function variableDomain(v: Variable): Domain {
  return {
    variable: v,
    entries: v.values.map((value, i) => ({ value, inputs: [i], plain: true })),
    source: { kind: 'variable' },
    eliminationValue: v.eliminationValue,
  };
}

// Codelist ids: the model keeps the bare id ("Fylker"); v2 names them with a prefix ("vs_Fylker", "agg_Fylker").
// Accept either spelling, always case-sensitively.
function idMatches(id: string, wanted: string, prefix: string): boolean {
  return id === wanted || prefix + id === wanted || id === prefix + wanted;
}

export function findValueSet(v: Variable, id: string): ValueSet | undefined {
  return v.valueSets?.find((s) => s.id === id) ?? v.valueSets?.find((s) => idMatches(s.id, id, 'vs_'));
}

export function findGrouping(v: Variable, id: string): Grouping | undefined {
  return v.groupings?.find((g) => g.id === id) ?? v.groupings?.find((g) => idMatches(g.id, id, 'agg_'));
}

/** A value set's codes as a domain, in the value set's order. Codes the variable lacks are skipped. */
export function valueSetDomain(v: Variable, vs: ValueSet): Domain {
  const idx = valueIndex(v);
  const seen = new Set<string>();
  const entries: DomainEntry[] = [];
  for (const c of vs.codes) {
    const i = idx.get(c);
    if (i === undefined || seen.has(c)) continue;
    seen.add(c);
    entries.push({ value: v.values[i], inputs: [i], plain: true });
  }
  return { variable: v, entries, source: { kind: 'valueSet', valueSet: vs }, eliminationValue: vs.eliminationValue ?? v.eliminationValue };
}

/**
 * A grouping as a domain.
 * - aggregated: one entry per group, the sum of its inputs (inputs the variable lacks are skipped);
 * - single: the member values of all groups, once each, in metadata order;
 * - all: each group followed by its members not listed before.
 */
export function groupingDomain(v: Variable, g: Grouping, mode: GroupMode): Domain {
  const idx = valueIndex(v);
  const entries: DomainEntry[] = [];
  const source = { kind: 'grouping' as const, grouping: g, mode };
  const groupInputs = g.groups.map((grp) => {
    const out: number[] = [];
    for (const c of grp.inputs) {
      const i = idx.get(c);
      if (i !== undefined && !out.includes(i)) out.push(i);
    }
    return out;
  });
  if (mode === 'single') {
    const all = new Set<number>();
    for (const ins of groupInputs) for (const i of ins) all.add(i);
    for (const i of [...all].sort((a, b) => a - b)) entries.push({ value: v.values[i], inputs: [i], plain: true });
    return { variable: v, entries, source };
  }
  const codes = new Set<string>();
  const listed = new Set<number>();
  g.groups.forEach((grp, gi) => {
    if (!codes.has(grp.code)) {
      codes.add(grp.code);
      entries.push({ value: { code: grp.code, label: grp.label }, inputs: groupInputs[gi], plain: false, group: grp });
    }
    if (mode === 'all') {
      for (const i of groupInputs[gi]) {
        const c = v.values[i].code;
        if (listed.has(i) || codes.has(c)) continue;
        listed.add(i);
        codes.add(c);
        entries.push({ value: v.values[i], inputs: [i], plain: true });
      }
    }
  });
  return { variable: v, entries, source };
}

/**
 * Look up a codelist (value set or grouping) by id on a variable and return its domain.
 * `kind` narrows the lookup (v1 `vs:` / `agg:`); undefined when there is no such codelist.
 */
export function codelistDomain(v: Variable, id: string, kind?: 'valueSet' | 'grouping', mode: GroupMode = 'aggregated'): Domain | undefined {
  if (kind !== 'grouping') {
    const vs = findValueSet(v, id);
    if (vs) return valueSetDomain(v, vs);
  }
  if (kind !== 'valueSet') {
    const g = findGrouping(v, id);
    if (g) return groupingDomain(v, g, mode);
  }
  return undefined;
}

/** Code -> entry position within a domain (first occurrence wins). */
export function domainIndex(d: Domain): Map<string, number> {
  const m = new Map<string, number>();
  d.entries.forEach((e, i) => {
    if (!m.has(e.value.code)) m.set(e.value.code, i);
  });
  return m;
}

/** A DimPlan keeping the chosen domain entries (positions into `d.entries`), in the given order. */
export function selectPlan(d: Domain, chosen: readonly number[]): DimPlan {
  const entries = chosen.map((k) => {
    const e = d.entries[k];
    if (!e) throw new SelectionError(`entry ${k} out of range`, d.variable.code);
    return e;
  });
  if (entries.every((e) => e.plain && e.inputs.length === 1)) {
    return { kind: 'pick', indices: Int32Array.from(entries, (e) => e.inputs[0]) };
  }
  let index: Map<string, number> | undefined;
  const at = (code: string) => {
    if (!index) {
      index = new Map();
      d.variable.values.forEach((x, i) => index!.has(x.code) || index!.set(x.code, i));
    }
    return index.get(code);
  };
  return {
    kind: 'group',
    groups: entries.map((e) => {
      const g: PlanGroup = { value: e.value, inputs: Int32Array.from(e.inputs) };
      // the grouping's split rules, by input index: the engine then knows them for this very group
      if (e.group?.partial?.length || e.group?.during) {
        g.partial = (e.group.partial ?? []).map(at).filter((i): i is number => i !== undefined);
        const during = new Map<number, GroupInputSpan[]>();
        for (const [code, spans] of Object.entries(e.group.during ?? {})) {
          const i = at(code);
          if (i !== undefined) during.set(i, spans);
        }
        if (during.size) g.during = during;
      }
      return g;
    }),
  };
}

/**
 * Remove a variable from the result. With an elimination value (the domain's, else the variable's) that value
 * is taken; otherwise every entry of the domain is summed (for a grouping: the union of its inputs).
 * Throws when the variable may not be eliminated.
 */
export function eliminatePlan(v: Variable, d: Domain = variableDomain(v)): DimPlan {
  if (!v.elimination) throw new SelectionError(`variable ${v.code} cannot be eliminated`, v.code);
  const ev = d.eliminationValue ?? v.eliminationValue;
  if (ev !== undefined) {
    const i = valueIndex(v).get(ev);
    if (i !== undefined) return { kind: 'eliminate', inputs: Int32Array.of(i) };
  }
  const set = new Set<number>();
  for (const e of d.entries) for (const i of e.inputs) set.add(i);
  const inputs = [...set].sort((a, b) => a - b);
  if (!inputs.length) throw new SelectionError(`variable ${v.code} has no values to sum`, v.code);
  return { kind: 'eliminate', inputs: Int32Array.from(inputs) };
}

/**
 * The plan for a variable a query leaves out: eliminable -> eliminated (elimination value or sum),
 * mandatory -> all its values.
 */
export function leftOutPlan(v: Variable): DimPlan {
  if (v.elimination) return eliminatePlan(v);
  return { kind: 'pick', indices: Int32Array.from(v.values, (_, i) => i) };
}

/** Number of cells a plan returns (eliminated variables count as 1). */
export function planCells(plan: Plan): number {
  return resultSize(plan);
}

/** true when the plan returns more than `maxCells` cells (0 or less = no limit). */
export function exceedsCellLimit(plan: Plan, maxCells: number): boolean {
  return maxCells > 0 && resultSize(plan) > maxCells;
}

/** The value codes of a domain's entries. */
export function domainCodes(d: Domain): string[] {
  return d.entries.map((e) => e.value.code);
}

