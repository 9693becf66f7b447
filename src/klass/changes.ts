// Code changes of a classification between a range's versions (/changes): the versions overlapping the range, in
// date order; for each consecutive pair, the one change table between them (either direction); each of its maps
// is a row oriented old -> new, dated at the later version's start. Rows keep table order (not sorted), as Klass.

import { periodOf, type KlassCatalog } from './catalog.js';
import { overlaps, type DateRange } from './dates.js';
import { KlassError } from './errors.js';
import { textIn, type ClassificationVersion, type Lang } from './model.js';

export interface CodeChange {
  oldCode: string | null;
  oldName: string | null;
  oldShortName: string | null;
  newCode: string | null;
  newName: string | null;
  newShortName: string | null;
  changeOccurred: string;
}

export interface ChangeOptions {
  language: Lang;
  includeFuture: boolean;
  today: string;
}

export function changesInRange(cat: KlassCatalog, classificationId: number, range: DateRange, opts: ChangeOptions): CodeChange[] {
  const c = cat.classification(classificationId);
  const versions = cat
    .versions(c.id)
    .filter((v) => !v.draft && overlaps(periodOf(v), range) && (opts.includeFuture || !cat.isFuture(v, opts.today)))
    .sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
  const out: CodeChange[] = [];
  for (let i = 0; i + 1 < versions.length; i++) {
    const older = versions[i];
    const newer = versions[i + 1];
    const tables = [
      ...cat.tablesFrom(older.id).filter((t) => t.targetVersionId === newer.id),
      ...cat.tablesFrom(newer.id).filter((t) => t.targetVersionId === older.id),
    ];
    if (tables.length > 1) {
      throw new KlassError(404, `${cat.versionNameInPrimary(older)} has multiple change tables (correspondenceTables) with: ${cat.versionNameInPrimary(newer)}`);
    }
    if (tables.length === 0) {
      throw new KlassError(404, `${cat.versionNameInPrimary(older)} has no change table (correspondenceTable) with: ${cat.versionNameInPrimary(newer)}`);
    }
    const t = tables[0];
    // Tables not published in the language are skipped silently, as Klass does.
    if (!t.published.includes(opts.language)) continue;
    const source = cat.version(t.sourceVersionId);
    const target = cat.version(t.targetVersionId);
    const targetIsOlder = target.validFrom < source.validFrom;
    const changeOccurred = source.validFrom > target.validFrom ? source.validFrom : target.validFrom;
    for (const [s, g] of t.maps) {
      const [oldV, oldCode, newV, newCode] = targetIsOlder ? [target, g, source, s] : [source, s, target, g];
      const o = describe(cat, oldV, oldCode, opts.language);
      const n = describe(cat, newV, newCode, opts.language);
      out.push({ oldCode: o.code, oldName: o.name, oldShortName: o.shortName, newCode: n.code, newName: n.name, newShortName: n.shortName, changeOccurred });
    }
  }
  return out;
}

function describe(cat: KlassCatalog, v: ClassificationVersion, code: string | null, lang: Lang) {
  if (code === null) return { code: null, name: null, shortName: null };
  const item = cat.item(v, code)!;
  return { code, name: textIn(item.name, lang), shortName: textIn(item.shortName, lang) };
}
