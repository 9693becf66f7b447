// Correspondences between two classifications over a date range (/corresponds) or at a date (/correspondsAt).
//
// For every version of the source classification overlapping the request, its correspondence tables towards a
// version of the target classification give rows valid in the overlap of the two versions. When there are none,
// the tables of the other direction are read backwards, so 131 -> 104 works from tables stored as 104 -> 131.
// Rows are then cut to the request, rows equal in codes and names whose periods follow each other are merged, and
// the list is sorted by source then target.

import { periodOf, type KlassCatalog } from './catalog.js';
import { MAX_DATE, contains, dayRange, fromOut, intersect, overlaps, rangeText, toOut, type DateRange } from './dates.js';
import { KlassError } from './errors.js';
import { textIn, type ClassificationVersion, type Lang } from './model.js';
import { codeCompare } from './names.js';

export interface RangedCorrespondence {
  sourceCode: string | null;
  sourceName: string | null;
  sourceShortName: string | null;
  targetCode: string | null;
  targetName: string | null;
  targetShortName: string | null;
  validFrom: string | null;
  validTo: string | null;
}

export type CorrespondenceAt = Omit<RangedCorrespondence, 'validFrom' | 'validTo'>;

export interface CorrespondenceOptions {
  language: Lang;
  includeFuture: boolean;
  today: string;
  /** Swap source and target in the output (correspondsAt only in Klass). */
  inverted?: boolean;
}

interface Side {
  code: string;
  name: string;
  shortName: string;
}

interface Row {
  source: Side | null;
  target: Side | null;
  period: DateRange;
}

export function correspondencesInRange(
  cat: KlassCatalog,
  sourceClassificationId: number,
  targetClassificationId: number,
  range: DateRange,
  opts: CorrespondenceOptions,
): RangedCorrespondence[] {
  const source = cat.classification(sourceClassificationId);
  const target = cat.classification(targetClassificationId);
  const inverted = opts.inverted ?? false;
  let rows = collect(cat, source.id, target.id, range, opts, inverted);
  if (rows.length === 0) rows = collect(cat, target.id, source.id, range, opts, !inverted);
  if (rows.length === 0) {
    throw new KlassError(404, `Classification '${textIn(source.name, 'nb')}' has no correspondence table with Classification '${textIn(target.name, 'nb')}'`);
  }
  // removeOutside + limit: a row valid today (unless includeFuture) counts as open-ended, like the current version
  const limited: Row[] = [];
  for (const r of rows) {
    const p = effective(r.period, opts);
    const cut = overlaps(p, range) ? intersect(p, range) : null;
    if (cut) limited.push({ ...r, period: cut });
  }
  return group(limited, opts)
    .sort(compareRows)
    .map((r) => ({
      sourceCode: r.source?.code ?? null,
      sourceName: r.source?.name ?? null,
      sourceShortName: r.source?.shortName ?? null,
      targetCode: r.target?.code ?? null,
      targetName: r.target?.name ?? null,
      targetShortName: r.target?.shortName ?? null,
      validFrom: fromOut(r.period.from),
      validTo: toOut(r.period.to),
    }));
}

export function correspondencesAt(
  cat: KlassCatalog,
  sourceClassificationId: number,
  targetClassificationId: number,
  date: string,
  opts: CorrespondenceOptions,
): CorrespondenceAt[] {
  return correspondencesInRange(cat, sourceClassificationId, targetClassificationId, dayRange(date), opts).map(
    ({ validFrom: _f, validTo: _t, ...rest }) => rest,
  );
}

function collect(cat: KlassCatalog, fromId: number, toId: number, range: DateRange, opts: CorrespondenceOptions, inverted: boolean): Row[] {
  const rows: Row[] = [];
  for (const v of cat.versions(fromId)) {
    if (v.draft) continue;
    const vPeriod = periodOf(v);
    if (!overlaps(vPeriod, range) || (cat.isFuture(v, opts.today) && !opts.includeFuture)) continue;
    for (const t of cat.tablesFrom(v.id)) {
      const targetVersion = cat.version(t.targetVersionId);
      if (targetVersion.classificationId !== toId || t.draft) continue;
      if (!t.published.includes(opts.language)) {
        const tablePeriod = intersect(vPeriod, periodOf(targetVersion)) ?? vPeriod;
        throw new KlassError(404, `CorrespondenceTable: ${cat.tableName(t, opts.language)} ${rangeText(tablePeriod)}. Is not published in language: ${opts.language.toUpperCase()}`);
      }
      const period = intersect(vPeriod, periodOf(targetVersion));
      if (!period) continue;
      for (const [s, g] of t.maps) {
        const a = side(cat, v, s, opts.language);
        const b = side(cat, targetVersion, g, opts.language);
        rows.push(inverted ? { source: b, target: a, period } : { source: a, target: b, period });
      }
    }
  }
  return rows;
}

function side(cat: KlassCatalog, v: ClassificationVersion, code: string | null, lang: Lang): Side | null {
  if (code === null) return null;
  const item = cat.item(v, code)!;
  return { code, name: textIn(item.name, lang), shortName: textIn(item.shortName, lang) };
}

function effective(p: DateRange, opts: CorrespondenceOptions): DateRange {
  return !opts.includeFuture && contains(p, opts.today) ? { from: p.from, to: MAX_DATE } : p;
}

/** Merge rows equal in (sourceCode, sourceName, targetCode, targetName) whose periods follow each other. */
function group(rows: Row[], opts: CorrespondenceOptions): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.source?.code, r.source?.name, r.target?.code, r.target?.name]);
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: Row[] = [];
  for (const g of groups.values()) {
    const sorted = [...g].sort((a, b) => codeCompare(a.period.from, b.period.from));
    const merged: DateRange[] = [];
    for (const r of sorted) {
      const next = effective(r.period, opts);
      const prev = merged[merged.length - 1];
      if (prev && next.from === prev.to && next.to > prev.to) merged[merged.length - 1] = { from: prev.from, to: next.to };
      else if (!prev || !(prev.from === next.from && prev.to === next.to)) merged.push(next);
    }
    for (const p of merged) out.push({ ...sorted[0], period: p });
  }
  return out;
}

function compareRows(a: Row, b: Row): number {
  return (
    codeCompare(a.source?.code ?? '', b.source?.code ?? '') ||
    codeCompare(a.source?.name ?? '', b.source?.name ?? '') ||
    codeCompare(a.target?.code ?? '', b.target?.code ?? '') ||
    codeCompare(a.target?.name ?? '', b.target?.name ?? '')
  );
}
