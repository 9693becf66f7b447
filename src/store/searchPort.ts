// The persistent search index an adapter may keep (SQLite FTS5, PostgreSQL full-text search), as the search module
// (src/search) reads it. The adapter stores, per table version and language, the folded words of each indexed field
// and their counts, updated in the same transaction as the version itself; a view is the index of what readers see
// now in one language. Ranking and the query syntax stay in src/search, identical for every index.

import type { TableRecord } from './store.js';

export interface SearchView {
  /** The tables the view covers (what readers see now), one document each. */
  readonly records: readonly TableRecord[];
  /**
   * The records are in id order and every id is made of digits only (Statistics Norway's "07459"): documents then
   * compare by number exactly as their ids compare for ties, so ranking needs no string comparison.
   */
  readonly idOrdered?: boolean;
  /** Word count per field of each document (same order as records). */
  readonly lens: readonly Int32Array[];
  /** Postings of one word in the view's documents: flat triplets (document, field, count), a document's together. */
  postings(token: string): number[];
  /** Index words w with lo <= w (and w < hi when given), sorted, at most `limit` (words of other documents may appear). */
  terms(lo: string, hi: string | undefined, limit: number): string[];
  /** Documents with the words as a phrase (the last as a prefix when asked) in one of the fields. */
  phrase(tokens: readonly string[], prefix: boolean, fields: readonly number[]): Set<number>;
}

export interface SearchIndexProvider {
  /** The persistent index of what readers see now, in `lang` (tables without that language use their default's). */
  searchView(lang: string): SearchView;
}

export function hasSearchIndex(x: unknown): x is SearchIndexProvider {
  return x !== null && typeof x === 'object' && typeof (x as Partial<SearchIndexProvider>).searchView === 'function';
}
