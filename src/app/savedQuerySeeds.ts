// The seeded saved queries a database should have (the course's `/statbank/sq/10007797`). Every route that saves
// or reads queries uses the one SavedQueryStore of the AppContext, so a query saved anywhere is readable everywhere.

import type { TableMeta } from '../core/model.js';
import type { V1QueryItem } from '../query/v1Query.js';
import { storedFormatOf, storedSelectionOf } from '../query/v1SavedQuery.js';
import type { SavedQuery, SavedQueryStore } from '../savedQueries/index.js';
import type { Store } from '../store/store.js';

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
export async function ensureSeed(seed: SavedQuerySeed, tables: Store, store: SavedQueryStore): Promise<SavedQuery | undefined> {
  const have = await store.get(seed.id);
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
    return await store.create({ tableId: rec.id, language: seed.language, outputFormat: format.format, outputFormatParams: format.params, selection }, seed.id);
  } catch {
    return await store.get(seed.id); // made by another connection meanwhile
  }
}
