// Which languages the server speaks, decided once for every API: the configured list (which orders and limits),
// else every language the tables carry. A table keeps its own languages; `forTable` says which of them answers a
// request, so no API compares language codes itself.

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
   *   read of the database (several per request otherwise); the app counts them in its lookup (tableLookup.ts)
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
