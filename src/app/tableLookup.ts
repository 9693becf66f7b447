// Finding a table by something other than its exact id: the id in another case (v2 /tables/{id}), the matrix name
// (v1 short URLs), a value set or grouping id (v2 /codelists/{id}); and the tables newest first (RSS of updated
// tables: a sort of the whole catalogue per request was ~28 ms at 20,000); and the tables in a language, the v2
// /tables pages (a filter of the whole catalogue per page, ~7 ms at 20,000, now made once per change and language). Each was a scan of the whole catalogue per request
// (at 20,000 tables 2.5-3.5 ms of scan for every unknown id: a 404 was the dearest answer). Here they are maps, built
// on the first lookup (~60 ms at 20,000 tables, once) and then kept current from the store's change log
// (`tableChanges`): a lookup costs the changes since the last one, not the catalogue (`npm run bench -- scale --full`,
// `lookupsAtScale`: 0.01 ms). Codelist ids come from the summaries; the reform groupings the server derives from a
// variable's classification (app/regionGroupings.ts) are indexed under every structure date of that classification,
// and the caller confirms a candidate on its metadata (a date whose structure matches none of the table's codes has
// no grouping).

import type { KlassData } from '../klass/model.js';
import { reformDates } from '../klass/reform.js';
import { prefixed } from '../query/v2Selection.js';
import type { Store, TableRecord, TableSummary } from '../store/store.js';
import { tableHasLanguage } from './languages.js';
import { reformGroupingId } from './regionGroupings.js';

type Key = string;

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

export class TableLookup {
  /** key -> ids of the visible tables found under it */
  private byKey = new Map<Key, Set<string>>();
  /** id -> its keys (to take them out when the table changes or goes) */
  private keysOf = new Map<string, Key[]>();
  private cursor: number | undefined;
  private built = false;
  /** The visible tables, newest publication first (then by id); with each id's publication time to find it again. */
  private newestFirst: { id: string; at: number }[] = [];
  private publishedAt = new Map<string, number>();
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
    return this.find(`id:${id.toLowerCase()}`)[0];
  }

  /** The table with matrix name `name` (the lowest id when several have it). */
  byMatrix(name: string): TableRecord | undefined {
    return this.find(`matrix:${name}`)[0];
  }

  /** The tables that may have codelist `id` (`vs_…`, `agg_…`), in id order; confirm on their metadata. */
  withCodelist(id: string): TableRecord[] {
    return this.find(`codelist:${id}`);
  }

  /** The visible tables, newest publication first, ties by id: read as far as needed (`break` when done). */
  *newest(): Generator<TableRecord> {
    this.update();
    for (const { id } of this.newestFirst) {
      const r = this.store.getTable(id);
      if (r) yield r;
    }
  }

  /** The visible tables in `lang` (and without the discontinued unless asked), in id order. */
  inLanguage(lang: string, includeDiscontinued = false): readonly TableRecord[] {
    this.update();
    const key = `${lang} ${includeDiscontinued ? 'all' : 'current'}`;
    let l = this.listings.get(key);
    if (!l) {
      l = this.store.listTables().filter((r) => tableHasLanguage(r.summary, lang) && (includeDiscontinued || r.discontinued !== true));
      // bounded whatever languages are asked for (the served languages come from the tables and the configuration)
      if (this.listings.size >= 32) this.listings.clear();
      this.listings.set(key, l);
    }
    return l;
  }

  private find(key: Key): TableRecord[] {
    this.update();
    const ids = this.byKey.get(key);
    if (!ids) return [];
    const out: TableRecord[] = [];
    for (const id of [...ids].sort()) {
      const r = this.store.getTable(id);
      if (r) out.push(r);
    }
    return out;
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
      const tables = this.store.listTables();
      for (const r of tables) this.addKeys(r);
      this.newestFirst = tables.map((r) => ({ id: r.id, at: this.published(r) })).sort(newerFirst);
      this.built = true;
      return;
    }
    for (const id of changes.ids) {
      this.remove(id);
      const r = this.store.getTable(id);
      if (r) this.add(r);
    }
  }

  private add(r: TableRecord): void {
    this.addKeys(r);
    // into its place in the newest-first order (a memmove, not a sort)
    const e = { id: r.id, at: this.published(r) };
    this.newestFirst.splice(this.position(e), 0, e);
  }

  private published(r: TableRecord): number {
    const at = Date.parse(r.published) || 0;
    this.publishedAt.set(r.id, at);
    return at;
  }

  /** Where `e` is, or would go, in the newest-first order. */
  private position(e: { id: string; at: number }): number {
    let lo = 0;
    let hi = this.newestFirst.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newerFirst(this.newestFirst[mid], e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private addKeys(r: TableRecord): void {
    const klass = this.klass;
    const keys = lookupKeys(r.id, r.summary, klass && ((c) => this.dates.get(c) ?? this.dates.set(c, reformDates(klass, c)).get(c)!));
    this.keysOf.set(r.id, keys);
    for (const k of keys) {
      let ids = this.byKey.get(k);
      if (!ids) this.byKey.set(k, (ids = new Set()));
      ids.add(r.id);
    }
  }

  private remove(id: string): void {
    for (const k of this.keysOf.get(id) ?? []) {
      const ids = this.byKey.get(k);
      ids?.delete(id);
      if (ids && !ids.size) this.byKey.delete(k);
    }
    this.keysOf.delete(id);
    const at = this.publishedAt.get(id);
    if (at !== undefined) {
      const i = this.position({ id, at });
      if (this.newestFirst[i]?.id === id) this.newestFirst.splice(i, 1);
      this.publishedAt.delete(id);
    }
  }
}

function newerFirst(a: { id: string; at: number }, b: { id: string; at: number }): number {
  return b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
