// Which languages the server speaks, decided once for every API: the configured list (which orders and limits),
// else every language the tables carry. A table keeps its own languages; `forTable` says which of them answers a
// request, so no API compares language codes itself.

import type { Store } from '../store/store.js';

export interface LanguageSettings {
  /** Configured languages in order; empty = from the data. */
  languages: readonly string[];
  /** Configured default; empty = the first language. */
  defaultLanguage: string;
}

export class Languages {
  private cached: { list: string[]; default: string; at: number } | undefined;

  /**
   * @param settings configuration
   * @param dataLanguages the languages the tables carry, most common first
   * @param maxAgeMs how long a list derived from the data is used before it is derived again: tables come and go in a
   *   running server (an import, a release) and the store has no change events, while asking it for its changes is a
   *   read of the database (several per request otherwise)
   */
  constructor(
    private readonly settings: LanguageSettings,
    private readonly dataLanguages: () => string[],
    private readonly maxAgeMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  private get state(): { list: string[]; default: string } {
    if (this.cached && (this.settings.languages.length || this.now() - this.cached.at < this.maxAgeMs)) return this.cached;
    let list = this.settings.languages.length ? [...this.settings.languages] : this.dataLanguages();
    const def = this.settings.defaultLanguage || list[0] || 'en';
    if (!list.includes(def)) list = [def, ...list];
    // the default language leads when the list comes from the data
    if (!this.settings.languages.length) list = [def, ...list.filter((l) => l !== def)];
    this.cached = { list, default: def, at: this.now() };
    return this.cached;
  }

  /** Served languages, default first unless configured otherwise. */
  get list(): string[] {
    return this.state.list;
  }

  get default(): string {
    return this.state.default;
  }

  /** A requested language in its served spelling (case-insensitive), or undefined when it is not served. */
  resolve(raw: string | null | undefined): string | undefined {
    if (raw === undefined || raw === null) return undefined;
    const l = raw.toLowerCase();
    return this.list.find((x) => x.toLowerCase() === l);
  }

  /** Like resolve, but absent or empty = the default. */
  resolveOrDefault(raw: string | null | undefined): string | undefined {
    return raw === undefined || raw === null || raw === '' ? this.default : this.resolve(raw);
  }

  has(lang: string): boolean {
    return this.resolve(lang) !== undefined;
  }
}

/** Does the table exist in `lang`? (Tables without a language list exist in every language.) */
export function tableHasLanguage(meta: { languages?: readonly string[] }, lang: string): boolean {
  return !meta.languages?.length || meta.languages.includes(lang);
}

/**
 * The languages the tables carry, most common first; ties: the language the tables list earlier (the smaller sum of
 * its positions in their lists: Norwegian before English when every table is `no, en`), then by code. Kept from the
 * store's change log like the app's lookups: deriving them from the whole listing took ~4.5 ms at 20,000 tables, once a
 * second per process; a look now costs the tables changed since the last one.
 */
export class TableLanguages {
  private cursor: number | undefined;
  /** each table's languages, as counted */
  private readonly counted = new Map<string, readonly string[]>();
  private readonly tally = new Map<string, { tables: number; positions: number }>();
  private ranked: string[] | undefined;

  constructor(private readonly store: Pick<Store, 'tableChanges' | 'listTables' | 'getTable'>) {}

  list(): string[] {
    const changes = this.store.tableChanges(this.cursor);
    this.cursor = changes.seq;
    if (changes.ids === null) {
      this.counted.clear();
      this.tally.clear();
      this.ranked = undefined;
      for (const r of this.store.listTables()) this.count(r.id, r.summary.languages);
    } else {
      for (const id of changes.ids) this.count(id, this.store.getTable(id)?.summary.languages);
    }
    this.ranked ??= [...this.tally]
      .sort(([a, x], [b, y]) => y.tables - x.tables || x.positions - y.positions || (a < b ? -1 : a > b ? 1 : 0))
      .map(([l]) => l);
    return [...this.ranked];
  }

  /** Count a table's languages (undefined: the table is gone) in place of what was counted for it. */
  private count(id: string, languages: readonly string[] | undefined): void {
    const before = this.counted.get(id);
    if (before === languages) return;
    before?.forEach((l, i) => {
      const t = this.tally.get(l)!;
      t.tables--;
      t.positions -= i;
      if (!t.tables) this.tally.delete(l);
    });
    languages?.forEach((l, i) => {
      const t = this.tally.get(l) ?? this.tally.set(l, { tables: 0, positions: 0 }).get(l)!;
      t.tables++;
      t.positions += i;
    });
    if (languages) this.counted.set(id, languages);
    else this.counted.delete(id);
    this.ranked = undefined;
  }
}
