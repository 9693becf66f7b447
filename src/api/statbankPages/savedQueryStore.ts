// The saved-query store the Statbank pages share with PxWebApi 2.0 `/savedqueries` (same policy as the v2 routes:
// the context's store, else the SQLite table in the database file, else memory), numeric ids for queries saved
// here (Statistics Norway's `/statbank/sq/10007797` form), and the seeded queries a database should have.

import { randomInt } from 'node:crypto';
import type { TableMeta } from '../../core/model.js';
import type { V1QueryItem } from '../../query/v1Query.js';
import { createMemorySavedQueryStore, type SavedQuery, type SavedQueryInput, type SavedQueryStore } from '../../savedQueries/savedQueries.js';
import { openSqliteSavedQueryStore } from '../../savedQueries/sqliteSavedQueries.js';
import type { AppContext } from '../../server/app.js';
import type { Store } from '../../store/store.js';
import { storedFormatOf, storedSelectionOf } from './v1SavedQuery.js';

export function savedQueryStoreOf(ctx: AppContext & { savedQueries?: SavedQueryStore }): { store: SavedQueryStore; owned: boolean } {
  if (ctx.savedQueries) return { store: ctx.savedQueries, owned: false };
  const path = (ctx.store as Store & { path?: unknown }).path;
  if (typeof path === 'string' && path !== '' && path !== ':memory:' && !path.startsWith('file:')) {
    return { store: openSqliteSavedQueryStore(path), owned: true };
  }
  return { store: createMemorySavedQueryStore(), owned: true };
}

/** Ids of queries saved through the Statbank pages: 8 digits, like Statistics Norway's. */
export function isNumericSavedQueryId(id: string): boolean {
  return /^\d{1,12}$/.test(id);
}

/** Store `q` under a fresh numeric id (random, so ids say nothing about how many queries exist). */
export function createWithNumericId(store: SavedQueryStore, q: SavedQueryInput): SavedQuery {
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const id = String(randomInt(10_000_000, 100_000_000));
    if (store.get(id)) continue;
    try {
      return store.create(q, id);
    } catch (e) {
      lastError = e; // taken meanwhile: try another
    }
  }
  throw lastError instanceof Error ? lastError : new Error('no free saved-query id');
}

/** A saved query a database should have (the demo's `10007797`). */
export interface SavedQuerySeed {
  id: string;
  tableId: string;
  language: string;
  query: V1QueryItem[];
  format: string;
  appliesTo(meta: TableMeta): boolean;
}

/**
 * Create the seed when it is missing and its table is there and accepts it. Returns the stored query, or undefined
 * when it cannot be made (no table, another table with that id, a query that no longer fits).
 */
export function ensureSeed(seed: SavedQuerySeed, tables: Store, store: SavedQueryStore): SavedQuery | undefined {
  const have = store.get(seed.id);
  if (have) return have;
  const rec = tables.getTable(seed.tableId);
  if (!rec || !seed.appliesTo(rec.meta)) return undefined;
  const format = storedFormatOf(seed.format);
  if (!format) return undefined;
  let selection;
  try {
    selection = storedSelectionOf(rec.meta, seed.query, seed.language, format);
  } catch {
    return undefined;
  }
  try {
    return store.create({ tableId: rec.id, language: seed.language, outputFormat: format.format, outputFormatParams: format.params, selection }, seed.id);
  } catch {
    return store.get(seed.id); // made by another connection meanwhile
  }
}
