// Store entry point: openStore() opens the embedded SQLite store; the in-memory store is for tests.

import { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqliteStore.js';

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
export type { CubeCacheStats } from './cubeCache.js';

export type OpenStoreOptions = SqliteStoreOptions;

/** Open (creating when missing) the statbank database at `path` (":memory:" for a throw-away one). */
export function openStore(path: string, opts: OpenStoreOptions = {}): SqliteStore {
  return openSqliteStore(path, opts);
}
