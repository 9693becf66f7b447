// Opening the database a command names (--db / STATBANK_DB): a SQLite file or a postgres:// URL, through the
// store's openStoreUrl, closed only once its writes are durable.

import { loadConfig } from '../app/config.js';
import { StoreError, closeStore, openStoreUrl } from '../store/index.js';
import type { Store } from '../store/store.js';
import { CliError } from './io.js';

export interface DbOptions {
  /** The database must exist already (commands that read or change what is there). */
  mustExist?: boolean;
  /** The command names the tables it works on: a SQLite catalogue is read table by table, not at open. */
  lazyCatalog?: boolean;
}

/** The configured database: --db, else STATBANK_DB, else the default file. */
export function dbOf(db: string | undefined): { dbPath: string; cacheBytes: number } {
  const cfg = loadConfig({ dbPath: db });
  return { dbPath: cfg.dbPath, cacheBytes: cfg.cacheBytes };
}

/** Run `f` on the store at `db`; the store is closed (PostgreSQL writes committed) before this resolves. */
export async function withStore<T>(db: string | undefined, options: DbOptions, f: (store: Store, dbPath: string) => T | Promise<T>): Promise<T> {
  const { dbPath, cacheBytes } = dbOf(db);
  let store: Store;
  try {
    store = await openStoreUrl(dbPath, { cacheBytes, mustExist: options.mustExist, lazyCatalog: options.lazyCatalog });
  } catch (e) {
    throw e instanceof StoreError ? new CliError(e.message) : e;
  }
  let result: T;
  try {
    result = await f(store, dbPath);
  } catch (e) {
    await closeStore(store).catch(() => {}); // the first error is the one to report
    throw e;
  }
  await closeStore(store);
  return result;
}
