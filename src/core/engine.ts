// The query engine: selection (strided gather), groupings and elimination (sums).
// Pure: it takes a Cube and a plan, returns a new Cube whose metadata describes exactly
// the returned cells. Every API (v1, v2, saved queries, CLI) resolves its own filter syntax
// into a Plan (see src/query/) and calls evaluate().
//
// Sum rule (elimination and groupings), one rule everywhere:
//   - numbers add up; a nil cell (`-`) adds 0;
//   - if any input is missing (`.`..`......` or the sum symbol), the result is missing:
//     the inputs' symbol when they all share one, else Status.DotSum (DATASYMBOLSUM);
//   - if every input is nil, the result is nil.
// This follows PX semantics: `-` is "absolutely nil" (a true zero), dots are unknown values,
// and a total of unknowns is unknown. The value slot of a non-numeric cell holds 0.
// Refinements for regions through reforms (all off unless the metadata asks for them):
//   - a variable's `absentStatus` marks a code in a period it did not exist: along that variable such cells add
//     nothing (a structural zero), and a sum of only such cells keeps that status;
//   - a group's `partial` inputs (a split region: only an unknown share belongs to the group) make the group's
//     cell Status.Split wherever they hold a non-zero number, whatever the other inputs are;
//   - a group's `during` makes an input's share depend on the period (whole, partial or none in each structure):
//     a code split in 2019 but whole from 2020 marks only the cells of periods before 2020.
// Variables with these rules are reduced first, so the rules see the stored cells, not sums of them.

import {
  periodStart,
  Status,
  strides,
  type CellNote,
  type Cube,
  type GroupInputSpan,
  type TableMeta,
  type Value,
  type Variable,
} from './model.js';

/** What to do with one variable of the cube. */
export type DimPlan =
  /** Keep the values at these indices, in this order (duplicates allowed). */
  | { kind: 'pick'; indices: ArrayLike<number> }
  /**
   * Each output value is the sum of the listed input indices. `partial` (a subset of `inputs`) marks split
   * inputs and `during` period-dependent shares (by input index); when both are left out they are taken from the
   * variable's grouping with the same group code and inputs.
   */
  | { kind: 'group'; groups: PlanGroup[] }
  /** Remove the variable: sum the listed inputs (one index = take that value). */
  | { kind: 'eliminate'; inputs: ArrayLike<number> };

/** One DimPlan per variable, in the cube's variable order. */
export type Plan = DimPlan[];

export class PlanError extends Error {}

/** Number of cells the plan returns (eliminated variables count as 1). */
export function resultSize(plan: Plan): number {
  let n = 1;
  for (const p of plan) {
    if (p.kind === 'pick') n *= p.indices.length;
    else if (p.kind === 'group') n *= p.groups.length;
  }
  return n;
}

/** A plan that returns the whole cube unchanged. */
export function identityPlan(meta: TableMeta): Plan {
  return meta.variables.map((v) => ({ kind: 'pick', indices: range(v.values.length) }));
}

export function range(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * Strided gather: copy the cells at the cartesian product of `idx[d]` into a new dense array.
 *
 * Trailing variables that are picked whole, in order, form one contiguous block of cells; on the last variable
 * before them, runs of consecutive indices extend that block. So the copy is a list of segments (start, length)
 * repeated for every combination of the remaining outer variables, walked with an odometer: a full-range
 * selection is one copy, and even a scattered one copies whole rows at a time.
 */
export function gather(
  src: Float64Array,
  srcStatus: Uint8Array | null,
  sizes: readonly number[],
  idx: readonly ArrayLike<number>[],
): { values: Float64Array; status: Uint8Array | null } {
  const nd = sizes.length;
  let total = 1;
  for (const a of idx) total *= a.length;
  const values = new Float64Array(total);
  const status = srcStatus ? new Uint8Array(total) : null;
  if (total === 0) return { values, status: null };
  if (nd === 0) {
    values[0] = src[0];
    if (status && srcStatus) status[0] = srcStatus[0];
    return { values, status: status && status[0] ? status : null };
  }
  const st = strides(sizes);

  // trailing variables taken whole and in order: one block of `block` cells
  let m = nd;
  let block = 1;
  while (m > 0 && isFullRange(idx[m - 1], sizes[m - 1])) {
    m--;
    block *= sizes[m];
  }

  // segments on variable m-1 (or the whole block when every variable is taken whole)
  let segStart: Float64Array;
  let segLen: Float64Array;
  if (m === 0) {
    segStart = Float64Array.of(0);
    segLen = Float64Array.of(block);
  } else {
    const a = idx[m - 1];
    const starts: number[] = [];
    const lens: number[] = [];
    for (let i = 0; i < a.length; ) {
      let j = i + 1;
      while (j < a.length && a[j] === a[j - 1] + 1) j++;
      starts.push(a[i] * st[m - 1]);
      lens.push((j - i) * block);
      i = j;
    }
    segStart = Float64Array.from(starts);
    segLen = Float64Array.from(lens);
  }
  const nSeg = segStart.length;

  // offsets of the outer variables 0..m-2, walked with an odometer
  const outer = Math.max(0, m - 1);
  const offs: Float64Array[] = [];
  for (let d = 0; d < outer; d++) {
    const a = idx[d];
    const o = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) o[i] = a[i] * st[d];
    offs.push(o);
  }
  const counter = new Int32Array(outer);
  const base = new Float64Array(outer + 1); // base[d] = offset of variables 0..d-1
  for (let d = 0; d < outer; d++) base[d + 1] = base[d] + offs[d][0];

  let out = 0;
  for (;;) {
    const b = base[outer];
    for (let s = 0; s < nSeg; s++) {
      const from = b + segStart[s];
      const len = segLen[s];
      if (len >= 256) {
        values.set(src.subarray(from, from + len), out);
        if (status !== null && srcStatus !== null) status.set(srcStatus.subarray(from, from + len), out);
      } else if (status !== null && srcStatus !== null) {
        for (let k = 0; k < len; k++) {
          values[out + k] = src[from + k];
          status[out + k] = srcStatus[from + k];
        }
      } else {
        for (let k = 0; k < len; k++) values[out + k] = src[from + k];
      }
      out += len;
    }
    let d = outer - 1;
    while (d >= 0) {
      counter[d]++;
      if (counter[d] < offs[d].length) break;
      counter[d] = 0;
      d--;
    }
    if (d < 0) break;
    for (let k = d; k < outer; k++) base[k + 1] = base[k] + offs[k][counter[k]];
  }
  return { values, status: status && anyNonZero(status) ? status : null };
}

function isFullRange(a: ArrayLike<number>, size: number): boolean {
  if (a.length !== size) return false;
  for (let i = 0; i < size; i++) if (a[i] !== i) return false;
  return true;
}

export interface PlanGroup {
  value: Value;
  inputs: ArrayLike<number>;
  partial?: ArrayLike<number>;
  during?: ReadonlyMap<number, GroupInputSpan[]>;
}

function anyNonZero(a: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return true;
  return false;
}

/** Refinements of the sum rule along one axis (see the header). */
export interface SumRule {
  /** Status of cells that did not exist: skipped; all skipped keeps it. */
  absent?: number;
  /** Per group, the positions (into that group's input list) of partial inputs; null = none. */
  partial?: readonly (ArrayLike<number> | null)[];
  /**
   * Shares that depend on the period: `modes[g][k][t]` is input k's share of group g at position t of the time
   * axis (0 none, 1 whole, 2 partial; a null list = as `partial` says). The time axis is another axis of the array:
   * its position is `floor(o / div) % n` when it lies before the summed axis (`inOuter`), else `floor(i / div) % n`.
   */
  timed?: { modes: readonly (readonly (Uint8Array | null)[])[]; inOuter: boolean; div: number; n: number };
}

const SHARE: Record<GroupInputSpan['share'], number> = { none: 0, whole: 1, partial: 2 };

/**
 * Sum along one axis: `out[o, g, i] = Σ_{j in groups[g]} in[o, j, i]` with the sum rule above.
 * `outer` = product of sizes before the axis, `inner` = product after it.
 */
export function sumAxis(
  src: Float64Array,
  srcStatus: Uint8Array | null,
  outer: number,
  axisLen: number,
  inner: number,
  groups: readonly ArrayLike<number>[],
  rule: SumRule = {},
): { values: Float64Array; status: Uint8Array | null } {
  const ng = groups.length;
  const values = new Float64Array(outer * ng * inner);
  const partialGroups = rule.partial?.some((p) => p !== null && p.length > 0) ?? false;
  const timed = rule.timed;
  if (!srcStatus && !partialGroups && !timed) {
    for (let o = 0; o < outer; o++) {
      const inBase = o * axisLen * inner;
      for (let g = 0; g < ng; g++) {
        const grp = groups[g];
        const outBase = (o * ng + g) * inner;
        for (let k = 0; k < grp.length; k++) {
          const from = inBase + grp[k] * inner;
          for (let i = 0; i < inner; i++) values[outBase + i] += src[from + i];
        }
      }
    }
    return { values, status: null };
  }
  // flags[g][k] = 1 when input k of group g is partial
  const flags = groups.map((grp, g) => {
    const f = new Uint8Array(grp.length);
    const p = rule.partial?.[g];
    if (p) for (let k = 0; k < p.length; k++) f[p[k]] = 1;
    return f;
  });
  const absent = rule.absent ?? -1;
  // a group none of whose inputs belonged to it in a period: the region did not exist then
  const nothing = absent >= 0 ? absent : Status.Dot1;
  const status = new Uint8Array(values.length);
  let anyStatus = false;
  for (let o = 0; o < outer; o++) {
    const inBase = o * axisLen * inner;
    const tOuter = timed && timed.inOuter ? Math.floor(o / timed.div) % timed.n : 0;
    for (let g = 0; g < ng; g++) {
      const grp = groups[g];
      const flag = flags[g];
      const modes = timed?.modes[g];
      const outBase = (o * ng + g) * inner;
      for (let i = 0; i < inner; i++) {
        const t = timed ? (timed.inOuter ? tOuter : Math.floor(i / timed.div) % timed.n) : 0;
        let sum = 0;
        let missing = 0; // 0 none, else a symbol (DotSum when symbols differ)
        let allNil = true;
        let present = false; // an input that existed
        let split = false;
        for (let k = 0; k < grp.length; k++) {
          const byTime = modes?.[k];
          const share = byTime ? byTime[t] : flag[k] === 1 ? 2 : 1;
          if (share === 0) continue; // not part of this group in this period
          const at = inBase + grp[k] * inner + i;
          const s = srcStatus ? srcStatus[at] : Status.Value;
          if (s === absent) continue;
          present = true;
          if (s === Status.Value) {
            if (share === 2 && src[at] !== 0) split = true;
            sum += src[at];
            allNil = false;
          } else if (s !== Status.Nil) {
            allNil = false;
            missing = missing === 0 || missing === s ? s : Status.DotSum;
          }
        }
        const at = outBase + i;
        let st = 0;
        if (split) st = Status.Split;
        else if (missing) st = missing;
        else if (grp.length > 0 && !present) st = nothing;
        else if (present && allNil) st = Status.Nil;
        if (st !== 0) {
          status[at] = st;
          anyStatus = true;
        } else {
          values[at] = sum;
        }
      }
    }
  }
  return { values, status: anyStatus ? status : null };
}

/** The split rules of one planned group: partial input indices, and period-dependent shares by input index. */
interface GroupRules {
  partial: number[] | null;
  during: ReadonlyMap<number, GroupInputSpan[]> | null;
}

/**
 * Split rules of each planned group: given in the plan, else those of the variable's grouping group with the same
 * code and the same inputs (so every API that builds groups from a grouping gets them). null = none.
 */
function groupRules(v: Variable, groups: readonly PlanGroup[]): (GroupRules | null)[] {
  let byCode: Map<string, { inputs: Set<number>; partial: number[]; during: Map<number, GroupInputSpan[]> | null }[]> | null = null;
  const lazyIndex = () => {
    byCode = new Map();
    const index = new Map<string, number>();
    v.values.forEach((x, i) => {
      if (!index.has(x.code)) index.set(x.code, i);
    });
    for (const g of v.groupings ?? []) {
      for (const grp of g.groups) {
        if (!grp.partial?.length && !grp.during) continue;
        const inputs = new Set<number>();
        for (const c of grp.inputs) {
          const i = index.get(c);
          if (i !== undefined) inputs.add(i);
        }
        const partial = (grp.partial ?? []).map((c) => index.get(c)).filter((i): i is number => i !== undefined);
        let during: Map<number, GroupInputSpan[]> | null = null;
        for (const [c, spans] of Object.entries(grp.during ?? {})) {
          const i = index.get(c);
          if (i !== undefined) (during ??= new Map()).set(i, spans);
        }
        const list = byCode.get(grp.code) ?? [];
        list.push({ inputs, partial, during });
        byCode.set(grp.code, list);
      }
    }
    return byCode;
  };
  const any = v.groupings?.some((g) => g.groups.some((grp) => grp.partial?.length || grp.during)) ?? false;
  return groups.map((grp) => {
    if (grp.partial || grp.during) {
      const partial = grp.partial ? Array.from(grp.partial as ArrayLike<number>) : [];
      return partial.length || grp.during ? { partial: partial.length ? partial : null, during: grp.during ?? null } : null;
    }
    if (!any) return null;
    const candidates = (byCode ?? lazyIndex()).get(grp.value.code);
    if (!candidates) return null;
    const ins = new Set(Array.from(grp.inputs as ArrayLike<number>));
    // conservative: any grouping defining this very group with split inputs marks them
    const partial = new Set<number>();
    let during: Map<number, GroupInputSpan[]> | null = null;
    let matched = 0;
    for (const c of candidates) {
      if (c.inputs.size !== ins.size || ![...ins].every((i) => c.inputs.has(i))) continue;
      matched++;
      for (const i of c.partial) partial.add(i);
      if (c.during) during = c.during;
    }
    // two groupings defining the same group with different period rules: keep the conservative union only
    if (matched > 1) during = null;
    if (!partial.size && !during) return null;
    return { partial: partial.size ? [...partial] : null, during };
  });
}

/**
 * The period-dependent shares of a grouped axis `d` as SumRule.timed, or undefined when the groups have none or the
 * time axis is not there to read periods from (then each input counts as `partial` says: conservative).
 */
function timedShares(
  d: number,
  lists: readonly ArrayLike<number>[],
  rules: readonly (GroupRules | null)[],
  timeAxis: { t: number; codes: readonly string[] } | undefined,
  curSizes: readonly number[],
): SumRule['timed'] {
  if (!rules.some((r) => r?.during) || !timeAxis) return undefined;
  const { t, codes } = timeAxis;
  const starts = codes.map(periodStart);
  const modes = lists.map((l, g) => {
    const r = rules[g];
    return Array.from({ length: l.length }, (_, k) => {
      const spans = r?.during?.get(l[k]);
      if (!spans) return null;
      const fallback = r?.partial?.includes(l[k]) ? 2 : 1;
      return Uint8Array.from(starts, (day) => {
        const span = day === undefined ? undefined : spans.find((s) => s.from <= day && (s.to === undefined || day < s.to));
        return span ? SHARE[span.share] : fallback;
      });
    });
  });
  let div = 1;
  if (t < d) for (let k = t + 1; k < d; k++) div *= curSizes[k];
  else for (let k = t + 1; k < curSizes.length; k++) div *= curSizes[k];
  return { modes, inOuter: t < d, div, n: curSizes[t] };
}

/** Run a plan: the result is a Cube whose meta lists only the returned variables and values. */
export function evaluate(cube: Cube, plan: Plan): Cube {
  const vars = cube.meta.variables;
  if (plan.length !== vars.length) throw new PlanError(`plan has ${plan.length} entries, cube has ${vars.length} variables`);
  const sizes = vars.map((v) => v.values.length);

  // Step 1: gather the union of inputs each variable needs, so sums run on a small cube.
  const need: Int32Array[] = [];
  const remap: (Map<number, number> | null)[] = [];
  for (let d = 0; d < plan.length; d++) {
    const p = plan[d];
    if (p.kind === 'pick') {
      check(p.indices, sizes[d], vars[d]);
      need.push(Int32Array.from(p.indices as ArrayLike<number>));
      remap.push(null);
    } else {
      const lists = p.kind === 'group' ? p.groups.map((g) => g.inputs) : [p.inputs];
      const m = new Map<number, number>();
      for (const l of lists) {
        check(l, sizes[d], vars[d]);
        for (let i = 0; i < l.length; i++) if (!m.has(l[i])) m.set(l[i], m.size);
      }
      need.push(Int32Array.from(m.keys()));
      remap.push(m);
    }
  }
  let { values, status } = gather(cube.values, cube.status, sizes, need);
  let curSizes = need.map((a) => a.length);

  // Step 2: reduce each grouped or eliminated variable along its axis; those with an absent status or split
  // inputs first, so their rules apply to stored cells.
  const rules = plan.map((p, d) => (p.kind === 'group' ? groupRules(vars[d], p.groups) : null));
  const special = (d: number) => vars[d].absentStatus !== undefined || (rules[d]?.some((x) => x !== null) ?? false);
  const order = range(plan.length);
  const sorted = [...order].sort((a, b) => Number(special(b)) - Number(special(a)) || a - b);
  const reduced = new Set<number>();
  const time = vars.findIndex((v) => v.role === 'time');
  for (const d of sorted) {
    const p = plan[d];
    if (p.kind === 'pick') continue;
    const m = remap[d]!;
    const lists = p.kind === 'group' ? p.groups.map((g) => g.inputs) : [p.inputs];
    const groups = lists.map((l) => Int32Array.from(Array.from({ length: l.length }, (_, i) => m.get(l[i])!)));
    // partial inputs as positions into each group's input list
    const partial = rules[d]?.map((r, g) => {
      const pi = r?.partial;
      if (!pi) return null;
      const l = lists[g];
      const want = new Set(pi);
      const pos: number[] = [];
      for (let k = 0; k < l.length; k++) if (want.has(l[k])) pos.push(k);
      return pos;
    });
    // periods are read from the time axis while it is still whole (special axes are reduced first)
    const timeAxis = time >= 0 && time !== d && !reduced.has(time) ? { t: time, codes: Array.from(need[time], (vi) => vars[time].values[vi].code) } : undefined;
    const timed = rules[d] ? timedShares(d, lists, rules[d]!, timeAxis, curSizes) : undefined;
    const hasPartial = (partial?.some((x) => x !== null && x.length > 0) ?? false) || timed !== undefined;
    const singletons = !hasPartial && groups.every((g) => g.length === 1);
    let outer = 1;
    for (let k = 0; k < d; k++) outer *= curSizes[k];
    let inner = 1;
    for (let k = d + 1; k < curSizes.length; k++) inner *= curSizes[k];
    if (singletons) {
      const r = gather(values, status, curSizes, curSizes.map((n, k) => (k === d ? groups.map((g) => g[0]) : range(n))));
      values = r.values;
      status = r.status;
    } else {
      const r = sumAxis(values, status, outer, curSizes[d], inner, groups, { absent: vars[d].absentStatus, partial, timed });
      values = r.values;
      status = r.status;
    }
    curSizes = curSizes.slice();
    curSizes[d] = groups.length;
    reduced.add(d);
  }

  return { meta: resultMeta(cube.meta, plan), values, status };
}

function check(indices: ArrayLike<number>, size: number, v: Variable): void {
  for (let i = 0; i < indices.length; i++) {
    const x = indices[i];
    if (!Number.isInteger(x) || x < 0 || x >= size) throw new PlanError(`index ${x} out of range for variable ${v.code}`);
  }
}

/** Metadata of a plan's result: kept variables with their output values, notes that still apply. */
export function resultMeta(meta: TableMeta, plan: Plan): TableMeta {
  const variables: Variable[] = [];
  const keep: boolean[] = [];
  for (let d = 0; d < plan.length; d++) {
    const v = meta.variables[d];
    const p = plan[d];
    if (p.kind === 'eliminate') {
      keep.push(false);
      continue;
    }
    keep.push(true);
    const values =
      p.kind === 'pick' ? Array.from(p.indices as ArrayLike<number>, (i) => v.values[i]) : p.groups.map((g) => g.value);
    variables.push({ ...v, values });
  }
  const kept = new Set(variables.map((v) => v.code));
  const out: TableMeta = {
    ...meta,
    variables,
    stub: meta.stub.filter((c) => kept.has(c)),
    heading: meta.heading.filter((c) => kept.has(c)),
  };
  if (meta.cellNotes?.length) out.cellNotes = remapCellNotes(meta, plan, variables, keep);
  return out;
}

function remapCellNotes(meta: TableMeta, plan: Plan, outVars: Variable[], keep: boolean[]): CellNote[] {
  const res: CellNote[] = [];
  const outCodes = outVars.map((v) => new Set(v.values.map((x) => x.code)));
  for (const n of meta.cellNotes!) {
    if (n.coords.length !== plan.length) continue;
    const coords: string[] = [];
    let ok = true;
    let o = 0;
    for (let d = 0; d < plan.length && ok; d++) {
      const c = n.coords[d];
      const p = plan[d];
      if (!keep[d]) {
        // an eliminated variable: the note applies only if it covers every value, or the one value taken
        if (c !== '*') {
          const inputs = (p as { inputs: ArrayLike<number> }).inputs;
          ok = inputs.length === 1 && meta.variables[d].values[inputs[0]].code === c;
        }
        continue;
      }
      if (c !== '*' && !outCodes[o].has(c)) ok = false;
      if (p.kind === 'group' && c !== '*') ok = false;
      coords.push(c);
      o++;
    }
    if (ok) res.push({ ...n, coords });
  }
  return res;
}

/** Flat index of a cell given one value index per variable. */
export function cellIndex(sizes: readonly number[], coords: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < sizes.length; d++) i = i * sizes[d] + coords[d];
  return i;
}
