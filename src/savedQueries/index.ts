// The saved-query port callers use: async, so a network database can store a query before create() resolves.
// openSavedQueryStore() picks the backend from the Store the server runs on: the same SQLite file, the same
// PostgreSQL database (the store's pool), or memory.

import { randomInt } from 'node:crypto';
import { createMemorySavedQueryStore as createSyncMemoryStore, SavedQueryIdTakenError, type SavedQuery, type SavedQueryInput } from './savedQueries.js';
import type { SavedQueryStore as SyncSavedQueryStore } from './savedQueries.js';
import { openSqliteSavedQueryStore as openSyncSqliteStore } from './sqliteSavedQueries.js';
import { openPostgresSavedQueryStore } from './postgresSavedQueries.js';
import { SqliteStore } from '../store/sqliteStore.js';
import { PostgresStore } from '../store/postgresStore.js';
import type { Store } from '../store/store.js';

export { SavedQueryIdTakenError, isSavedQueryId, type SavedQuery, type SavedQueryInput } from './savedQueries.js';
export { openPostgresSavedQueryStore } from './postgresSavedQueries.js';

export interface SavedQueryStore {
  /**
   * Store a query under a new GUID, or under `id` when given (v1-era numeric ids such as "10007797"). Resolves once
   * the query is durable; rejects with SavedQueryIdTakenError when `id` is taken, with an Error when `id` cannot be
   * an id or the backend cannot store it.
   */
  create(q: SavedQueryInput, id?: string): Promise<SavedQuery>;
  /** The query with this id, or undefined (also for ids that cannot be ids). */
  get(id: string): Promise<SavedQuery | undefined>;
  /** Release what the store holds (not the Store's own connections). */
  close(): Promise<void>;
}

/** The async port over a synchronous store (memory, SQLite): each call settles at once. */
export function asyncSavedQueryStore(sync: SyncSavedQueryStore): SavedQueryStore {
  return {
    create: async (q, id) => sync.create(q, id),
    get: async (id) => sync.get(id),
    close: async () => sync.close(),
  };
}

/** Saved queries held in memory (tests; serving PX files without a database). */
export function createMemorySavedQueries(): SavedQueryStore {
  return asyncSavedQueryStore(createSyncMemoryStore());
}

/** Saved queries in the SQLite database file at `path` (its own connection). */
export function openSqliteSavedQueries(path: string): SavedQueryStore {
  return asyncSavedQueryStore(openSyncSqliteStore(path));
}

/**
 * The saved-query store that goes with `store`: a table in the same SQLite file, a table in the same PostgreSQL
 * database (through the store's pool, so close the saved queries before the store), else memory.
 */
export function openSavedQueryStore(store: Store): SavedQueryStore {
  if (store instanceof PostgresStore) return openPostgresSavedQueryStore(store.pool);
  if (store instanceof SqliteStore) {
    const path = store.path;
    if (path !== ':memory:' && !path.startsWith('file:')) return openSqliteSavedQueries(path);
  }
  return createMemorySavedQueries();
}

/** Ids of queries saved through the Statbank pages: 8 digits, like Statistics Norway's. */
export function isNumericSavedQueryId(id: string): boolean {
  return /^\d{1,12}$/.test(id);
}

/**
 * Store `q` under a fresh random 8-digit id (random, so ids say nothing about how many queries exist); an id taken
 * meanwhile, here or on another node, is retried with another. Other failures are not retried.
 */
export async function createWithNumericId(store: SavedQueryStore, q: SavedQueryInput, attempts = 20): Promise<SavedQuery> {
  for (let i = 0; i < attempts; i++) {
    try {
      return await store.create(q, String(randomInt(10_000_000, 100_000_000)));
    } catch (e) {
      if (!(e instanceof SavedQueryIdTakenError)) throw e;
    }
  }
  throw new Error('no free numeric saved-query id');
}
