// Regions through reforms: where each code of a classification ends up in the structure valid at a target date.
//
// The versions of a classification follow each other in time; between two neighbours the change table (a
// correspondence table between them, either direction) lists old -> new code rows. A code that is in both
// versions and in no row keeps its code. Following these steps from any version to the target version gives, per
// code, the set of target codes it became (older versions: successors; newer versions: predecessors, so a code
// formed by a merge goes back to the merged codes). A code that reaches one target belongs to it whole; one that
// reaches several was split somewhere on the way, and only an unknown share of it belongs to each.
//
// A code string may appear in several versions (1103 Stavanger before and after 2020). A table's value carries the
// code without its version, but a cell has a period: where the code's share of a target differs between versions
// (split in 2019, whole from 2020), `during` gives the share per version's date range, and a period outside them
// takes the union over the versions (whole when that reaches one target, else partial).

import type { ClassificationVersion, KlassData, Text } from './model.js';

export interface ReformTarget {
  code: string;
  /** The code's name in the target version. */
  name: Text;
  /** Codes (of any version) that belong wholly to this target code. Includes the code itself. */
  whole: string[];
  /** Codes of which only an unknown share belongs here (they were split in some version). */
  partial: string[];
  /** Per code whose share differs between versions: the share while each version was valid (see the header). */
  during?: Record<string, ReformSpan[]>;
}

/** A code's share of a target while one version was valid: `from` inclusive, `to` exclusive (open when absent). */
export interface ReformSpan {
  from: string;
  to?: string;
  share: 'whole' | 'partial' | 'none';
}

export interface ReformStructure {
  classificationId: number;
  /** Start of the target version, yyyy-MM-dd. */
  date: string;
  /** Target codes in code order. */
  targets: ReformTarget[];
}

/** Published versions of a classification, oldest first. */
function versionsOf(data: KlassData, classificationId: number): ClassificationVersion[] {
  return data.versions
    .filter((v) => v.classificationId === classificationId && !v.draft && !v.deleted)
    .sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
}

/** Old code -> new codes between two neighbouring versions; undefined when they have no change table. */
function stepMap(data: KlassData, older: ClassificationVersion, newer: ClassificationVersion): Map<string, Set<string>> | undefined {
  const forward = data.correspondenceTables.find((t) => !t.draft && !t.deleted && t.sourceVersionId === older.id && t.targetVersionId === newer.id);
  const backward = data.correspondenceTables.find((t) => !t.draft && !t.deleted && t.sourceVersionId === newer.id && t.targetVersionId === older.id);
  const table = forward ?? backward;
  if (!table) return undefined;
  const out = new Map<string, Set<string>>();
  const mentioned = new Set<string>();
  for (const [s, g] of table.maps) {
    const [oldCode, newCode] = table === forward ? [s, g] : [g, s];
    if (oldCode === null) continue;
    mentioned.add(oldCode);
    const set = out.get(oldCode) ?? new Set<string>();
    if (newCode !== null) set.add(newCode);
    out.set(oldCode, set);
  }
  const newCodes = new Set(newer.items.map((i) => i.code));
  for (const i of older.items) if (!mentioned.has(i.code) && newCodes.has(i.code)) out.set(i.code, new Set([i.code]));
  return out;
}

/** Version start dates that can be targets: the first version and every one that changed a code. */
export function reformDates(data: KlassData, classificationId: number): string[] {
  const vs = versionsOf(data, classificationId);
  const out: string[] = [];
  for (let i = 0; i < vs.length; i++) {
    if (i === 0) {
      out.push(vs[i].validFrom);
      continue;
    }
    const m = stepMap(data, vs[i - 1], vs[i]);
    // only renames (every row keeps its code and nothing appears or goes): the structure is the previous one
    const changed = !m || [...m].some(([c, set]) => set.size !== 1 || !set.has(c)) || vs[i].items.length !== vs[i - 1].items.length;
    if (changed) out.push(vs[i].validFrom);
  }
  return out;
}

/**
 * The structure valid at `date` (the version containing it) and where every code of every version goes.
 * Undefined when the classification has no version at that date or a step lacks its change table.
 */
export function reformStructure(data: KlassData, classificationId: number, date: string): ReformStructure | undefined {
  const vs = versionsOf(data, classificationId);
  const t = vs.findIndex((v) => v.validFrom <= date && (v.validTo === null || date < v.validTo));
  if (t < 0) return undefined;
  const steps: Map<string, Set<string>>[] = [];
  for (let i = 0; i + 1 < vs.length; i++) {
    const m = stepMap(data, vs[i], vs[i + 1]);
    if (!m) return undefined;
    steps.push(m);
  }
  // targets per version index: code -> set of target codes
  const at: Map<string, Set<string>>[] = new Array(vs.length);
  at[t] = new Map(vs[t].items.map((i) => [i.code, new Set([i.code])]));
  for (let i = t - 1; i >= 0; i--) {
    const next = at[i + 1];
    const m = new Map<string, Set<string>>();
    for (const item of vs[i].items) {
      const set = new Set<string>();
      for (const s of steps[i].get(item.code) ?? []) for (const x of next.get(s) ?? []) set.add(x);
      m.set(item.code, set);
    }
    at[i] = m;
  }
  for (let i = t + 1; i < vs.length; i++) {
    // predecessors: the older codes whose step row points at this code
    const prev = at[i - 1];
    const back = new Map<string, Set<string>>();
    for (const [oldCode, news] of steps[i - 1]) for (const n of news) for (const x of prev.get(oldCode) ?? []) (back.get(n) ?? back.set(n, new Set()).get(n)!).add(x);
    at[i] = new Map(vs[i].items.map((item) => [item.code, back.get(item.code) ?? new Set<string>()]));
  }
  // union over versions per code string
  const all = new Map<string, Set<string>>();
  for (const m of at) for (const [c, set] of m) for (const x of set) (all.get(c) ?? all.set(c, new Set()).get(c)!).add(x);
  const targets: ReformTarget[] = vs[t].items
    .map((item) => ({ code: item.code, name: item.name, whole: [] as string[], partial: [] as string[] }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const byCode = new Map(targets.map((x) => [x.code, x]));
  for (const [c, set] of all) {
    for (const x of set) {
      const target = byCode.get(x);
      if (!target) continue;
      (set.size === 1 ? target.whole : target.partial).push(c);
    }
  }
  // per version: the share of each code in each target, where it differs from the union's
  for (const [c, set] of all) {
    for (const x of set) {
      const target = byCode.get(x);
      if (!target) continue;
      const usual = set.size === 1 ? 'whole' : 'partial';
      const spans: ReformSpan[] = [];
      for (let i = 0; i < vs.length; i++) {
        const there = at[i].get(c);
        if (!there) continue;
        const share = !there.has(x) ? 'none' : there.size === 1 ? 'whole' : 'partial';
        const last = spans[spans.length - 1];
        if (last && last.share === share && last.to === vs[i].validFrom) {
          if (vs[i].validTo) last.to = vs[i].validTo!;
          else delete last.to;
        } else {
          const span: ReformSpan = { from: vs[i].validFrom, share };
          if (vs[i].validTo) span.to = vs[i].validTo!;
          spans.push(span);
        }
      }
      if (spans.some((sp) => sp.share !== usual)) (target.during ??= {})[c] = spans;
    }
  }
  for (const x of targets) {
    x.whole.sort();
    x.partial.sort();
  }
  return { classificationId, date: vs[t].validFrom, targets };
}
