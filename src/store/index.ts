// Store entry point: openStoreUrl() opens whatever a --db / STATBANK_DB value names (a postgres:// URL or a SQLite
// file); openStore() opens the embedded SQLite store; the in-memory store is for tests.

import { existsSync } from 'node:fs';
import { StoreError } from './catalog.js';
import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqliteStore.js';
import type { Store } from './store.js';

export type {
  Folder,
  FolderChild,
  GetCubeOptions,
  ListVersionsOptions,
  PreparedRelease,
  PutTableOptions,
  ScheduledRelease,
  ScheduleOptions,
  Store,
  TableRecord,
  VersionInfo,
} from './store.js';
export { StoreError, parseReleaseTime } from './catalog.js';
export { createMemoryStore, type MemoryStoreOptions } from './memoryStore.js';
export { SqliteStore, openSqliteStore, type SqliteStoreOptions } from './sqliteStore.js';
export type { PostgresStore, PostgresStoreOptions } from './postgresStore.js';
export type { CubeCacheStats } from './cubeCache.js';

export type OpenStoreOptions = SqliteStoreOptions;

/** Open (creating when missing) the statbank database at `path` (":memory:" for a throw-away one). */
export function openStore(path: string, opts: OpenStoreOptions = {}): SqliteStore {
  return openSqliteStore(path, opts);
}

export interface OpenStoreUrlOptions {
  /** Byte budget of the cube cache. */
  cacheBytes?: number;
  /** Chunk size of stored cube data (tests use small ones). */
  chunkBytes?: number;
  /** The clock release times are compared with (epoch ms). */
  now?: () => number;
  /** SQLite: fail with "No database at …" instead of creating a missing file (commands that only read or change). */
  mustExist?: boolean;
  /** SQLite: open without writing (implies mustExist). */
  readonly?: boolean;
  /**
   * SQLite: read the catalogue lazily (a writer that names its tables, such as an import): the open costs the
   * folders, not the catalogue. PostgreSQL loads it whole.
   */
  lazyCatalog?: boolean;
}

/** Whether a --db value names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/**
 * Open the store a --db value names: `postgres://` / `postgresql://` URLs open the PostgreSQL adapter (its driver
 * is loaded only then), anything else is a SQLite file path (created with its folder unless `mustExist`).
 * Close it with closeStore(), which waits until PostgreSQL writes are committed.
 */
export async function openStoreUrl(urlOrPath: string, opts: OpenStoreUrlOptions = {}): Promise<Store> {
  if (typeof urlOrPath !== 'string' || urlOrPath === '') throw new StoreError('database must be a file path or a postgres:// URL');
  if (isPostgresUrl(urlOrPath)) {
    const { openPostgresStore } = await import('./postgresStore.js');
    return openPostgresStore({ connectionString: urlOrPath, cacheBytes: opts.cacheBytes, chunkBytes: opts.chunkBytes, now: opts.now });
  }
  if ((opts.mustExist || opts.readonly) && urlOrPath !== ':memory:' && !urlOrPath.startsWith('file:') && !existsSync(urlOrPath)) {
    throw new StoreError(`No database at ${urlOrPath}`);
  }
  return openSqliteStore(urlOrPath, { cacheBytes: opts.cacheBytes, chunkBytes: opts.chunkBytes, now: opts.now, readonly: opts.readonly, lazyCatalog: opts.lazyCatalog });
}

/**
 * Close a store once its writes are durable: PostgreSQL's queued writes are committed first (and a failed one is
 * thrown after the connections are closed); the other adapters write synchronously and just close.
 */
export async function closeStore(store: Store): Promise<void> {
  const s = store as Store & { flush?: () => Promise<void>; closeAsync?: () => Promise<void> };
  if (typeof s.closeAsync !== 'function') return store.close();
  let failure: unknown;
  try {
    await s.flush?.();
  } catch (e) {
    failure = e;
  }
  await s.closeAsync();
  if (failure) throw failure;
}
