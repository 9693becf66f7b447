// The app's indexes over the catalogue, for what readers ask that is not a table's exact id: the id in another case (v2
// /tables/{id}), a matrix name (v1 short URLs), a value set or grouping id (v2 /codelists/{id}), the tables newest
// first (the RSS of updated tables; the records themselves are kept), the tables in a language (the v2 /tables pages)
// and the languages the tables carry (the served languages). Each was a scan, sort or filter of the whole catalogue per
// request: at 20,000 tables 1-3 ms for an unknown id (a 404 was the dearest answer), 16 ms for the RSS sort, 6 ms for a
// /tables page. The indexes are built on the first use (60-90 ms at 20,000 tables, once) and then kept current from the
// store's change log (`tableChanges`): a lookup costs the changes since the last one, not the catalogue; the
// per-language lists are made again on first use after a change (`npm run bench -- scale --full`, `lookupsAtScale`).
// Codelist ids come from the summaries; the reform groupings the server derives from a variable's classification
// (app/regionGroupings.ts) are indexed under every structure date of that classification, and the caller confirms a
// candidate on its metadata (a date whose structure matches none of the table's codes has no grouping).

import type { KlassData } from '../klass/model.js';
import { reformDates } from '../klass/reform.js';
import { prefixed } from '../query/v2Selection.js';
import type { Store, TableRecord, TableSummary } from '../store/store.js';
import { tableHasLanguage } from './languages.js';
import { reformGroupingId } from './regionGroupings.js';

type Key = string;
/** A table in the newest-first order. */
interface Ranked {
  id: string;
  at: number;
  record: TableRecord;
}

/** The keys a table is found under: `id:<lower-case id>`, `matrix:<name>`, `codelist:<vs_…|agg_…>`. */
export function lookupKeys(id: string, summary: TableSummary, structureDates?: (classification: number) => readonly string[]): Key[] {
  const keys = new Set<Key>([`id:${id.toLowerCase()}`]);
  if (summary.matrix) keys.add(`matrix:${summary.matrix}`);
  for (const v of summary.variables) {
    for (const s of v.valueSets ?? []) keys.add(`codelist:${prefixed('vs_', s)}`);
    for (const g of v.groupings ?? []) keys.add(`codelist:${prefixed('agg_', g)}`);
    if (v.classification && structureDates) {
      for (const c of v.classification.split(',')) {
        const n = Number(c.trim());
        if (!Number.isInteger(n)) continue;
        for (const date of structureDates(n)) keys.add(`codelist:${prefixed('agg_', reformGroupingId(date))}`);
      }
    }
  }
  return [...keys];
}

/** Whether a table is listed in `lang`: it has the language (or names none) and, unless asked, is not discontinued. */
export function listedIn(r: TableRecord, lang: string, includeDiscontinued = false): boolean {
  return tableHasLanguage(r.summary, lang) && (includeDiscontinued || r.discontinued !== true);
}

export class TableLookup {
  /** key -> ids of the visible tables found under it, in id order (once built, an update replaces an array it
   * changes with an edited copy: never changed in place) */
  private byKey = new Map<Key, string[]>();
  /** id -> its keys (to take them out when the table changes or goes) */
  private keysOf = new Map<string, Key[]>();
  private cursor: number | undefined;
  private built = false;
  /** The visible tables, newest publication first (then by id), replaced on a change; with each id's publication
   * time to find it again. The records are the store's (replaced only by a change, which `update` applies), so the
   * RSS of 500 tables is not 500 store reads. */
  private newestFirst: Ranked[] = [];
  private publishedAt = new Map<string, number>();
  /** language -> the visible tables that carry it and the sum of its positions in their language lists */
  private readonly tally = new Map<string, { tables: number; positions: number }>();
  private rankedLanguages: string[] | undefined;
  /** `<lang> <all|current>` -> the visible tables in that language (with or without the discontinued), in id order;
   * made on first use after a change */
  private readonly listings = new Map<string, readonly TableRecord[]>();
  /** classification id -> its structure dates (Klass data does not change while the process runs) */
  private readonly dates = new Map<number, readonly string[]>();

  constructor(
    private readonly store: Store,
    private readonly klass?: KlassData,
  ) {}

  /** The table whose id equals `id` ignoring case (the lowest such id when several do). */
  byIdIgnoringCase(id: string): TableRecord | undefined {
    return this.find(`id:${id.toLowerCase()}`).next().value ?? undefined;
  }

  /** The table with matrix name `name` (the lowest id when several have it). */
  byMatrix(name: string): TableRecord | undefined {
    return this.find(`matrix:${name}`).next().value ?? undefined;
  }

  /** The tables that may have codelist `id` (`vs_…`, `agg_…`), in id order, read as far as needed; confirm on their
   * metadata. */
  withCodelist(id: string): Generator<TableRecord> {
    return this.find(`codelist:${id}`);
  }

  /** The visible tables, newest publication first, ties by id: read as far as needed (`break` when done). */
  *newest(): Generator<TableRecord> {
    this.update();
    for (const { record } of this.newestFirst) yield record;
  }

  /**
   * The languages the visible tables carry, most common first; ties: the language the tables list earlier (the
   * smaller sum of its positions in their lists: Norwegian before English when every table is `no, en`), then by
   * code. Counted from the change log like the other indexes: deriving them from the whole listing took ~4.5 ms at
   * 20,000 tables, and the served languages are asked for on every request.
   */
  languages(): string[] {
    this.update();
    this.rankedLanguages ??= [...this.tally]
      .sort(([a, x], [b, y]) => y.tables - x.tables || x.positions - y.positions || (a < b ? -1 : a > b ? 1 : 0))
      .map(([l]) => l);
    return [...this.rankedLanguages];
  }

  /** The visible tables in `lang` (and without the discontinued unless asked), in id order. */
  inLanguage(lang: string, includeDiscontinued = false): readonly TableRecord[] {
    this.update();
    const key = `${lang} ${includeDiscontinued ? 'all' : 'current'}`;
    let l = this.listings.get(key);
    if (!l) {
      l = this.store.listTables().filter((r) => listedIn(r, lang, includeDiscontinued));
      // bounded whatever languages are asked for (the served languages come from the tables and the configuration)
      if (this.listings.size >= 32) this.listings.clear();
      this.listings.set(key, l);
    }
    return l;
  }

  private *find(key: Key): Generator<TableRecord> {
    this.update();
    // (a changed key gets a new array, so a lookup read lazily is never changed under it)
    for (const id of this.byKey.get(key) ?? []) {
      const r = this.store.getTable(id);
      if (r) yield r;
    }
  }

  /** Bring the maps up to date: the changed tables since the last look, or everything on the first (or when the store
   * no longer remembers that far back). */
  private update(): void {
    const changes = this.store.tableChanges(this.built ? this.cursor : undefined);
    this.cursor = changes.seq;
    if (changes.ids === null || changes.ids.length) this.listings.clear();
    if (!this.built || changes.ids === null) {
      this.byKey.clear();
      this.keysOf.clear();
      this.publishedAt.clear();
      this.tally.clear();
      this.rankedLanguages = undefined;
      const tables = this.store.listTables();
      for (const r of tables) this.addKeys(r);
      this.newestFirst = tables.map((r) => ({ id: r.id, at: this.published(r), record: r })).sort(newerFirst);
      this.built = true;
      return;
    }
    if (!changes.ids.length) return;
    // The arrays readers may be reading are never changed: each array a change touches is copied once per update and
    // edited in place (a release of many tables copies the newest-first order once, not once per table).
    const copied = new Set<Key>();
    const own = (k: Key): string[] => {
      let ids = this.byKey.get(k);
      if (!copied.has(k)) {
        ids = ids ? ids.slice() : [];
        this.byKey.set(k, ids);
        copied.add(k);
      }
      return ids!;
    };
    const order = this.newestFirst.slice();
    for (const id of changes.ids) {
      this.remove(id, own, order);
      const r = this.store.getTable(id);
      if (r) this.add(r, own, order);
    }
    for (const k of copied) if (!this.byKey.get(k)!.length) this.byKey.delete(k);
    this.newestFirst = order;
  }

  private add(r: TableRecord, own: (k: Key) => string[], order: Ranked[]): void {
    const keys = this.keysFor(r);
    this.keysOf.set(r.id, keys);
    for (const k of keys) {
      const ids = own(k);
      ids.splice(idPosition(ids, r.id), 0, r.id);
    }
    const e = { id: r.id, at: this.published(r), record: r };
    order.splice(position(order, e), 0, e);
    this.countLanguages(r, 1);
  }

  private remove(id: string, own: (k: Key) => string[], order: Ranked[]): void {
    for (const k of this.keysOf.get(id) ?? []) {
      const ids = own(k);
      const i = idPosition(ids, id);
      if (ids[i] === id) ids.splice(i, 1);
    }
    this.keysOf.delete(id);
    const at = this.publishedAt.get(id);
    if (at !== undefined) {
      const i = position(order, { id, at });
      if (order[i]?.id === id) this.countLanguages(order.splice(i, 1)[0].record, -1);
      this.publishedAt.delete(id);
    }
  }

  private published(r: TableRecord): number {
    const at = Date.parse(r.published) || 0;
    this.publishedAt.set(r.id, at);
    return at;
  }

  private keysFor(r: TableRecord): Key[] {
    const klass = this.klass;
    return lookupKeys(r.id, r.summary, klass && ((c) => this.dates.get(c) ?? this.dates.set(c, reformDates(klass, c)).get(c)!));
  }

  /** A table's languages counted in (+1) or out (-1). */
  private countLanguages(r: TableRecord, sign: 1 | -1): void {
    r.summary.languages.forEach((l, i) => {
      const t = this.tally.get(l) ?? this.tally.set(l, { tables: 0, positions: 0 }).get(l)!;
      t.tables += sign;
      t.positions += sign * i;
      if (!t.tables) this.tally.delete(l);
    });
    this.rankedLanguages = undefined;
  }

  /** The first build: ids come in id order, so each key's array is appended to. */
  private addKeys(r: TableRecord): void {
    this.countLanguages(r, 1);
    const keys = this.keysFor(r);
    this.keysOf.set(r.id, keys);
    for (const k of keys) {
      const ids = this.byKey.get(k);
      if (ids) ids.push(r.id);
      else this.byKey.set(k, [r.id]);
    }
  }
}

/** Where `e` is, or would go, in a newest-first order. */
function position(order: readonly { id: string; at: number }[], e: { id: string; at: number }): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (newerFirst(order[mid], e) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where `id` is, or would go, in ids in order. */
function idPosition(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function newerFirst(a: { id: string; at: number }, b: { id: string; at: number }): number {
  return b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
