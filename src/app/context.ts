// The application layer, built once per server (or CLI run) and handed to every API adapter: the stores, the one
// query runner with its admission control and time limit, the one response cache, the rate-limit budgets and the
// language rules. Nothing here knows HTTP; the adapters in src/api translate requests into these calls.
//
// Content that is not tables (ready-made datasets, Klass classifications, saved-query seeds) is given by the
// assembly: production reads it from configured files (server/content.ts), tests and the demo pass their own.

import { DatasetCatalog, type ReadyMadeDataset } from '../datasets/catalog.js';
import type { KlassData } from '../klass/model.js';
import { openSavedQueryStore, type SavedQueryStore } from '../savedQueries/index.js';
import type { Store } from '../store/store.js';
import { Admission, type AdmissionSettings } from './admission.js';
import { admissionSettings, type AppConfig } from './config.js';
import { Languages } from './languages.js';
import { QueryRunner } from './queryRunner.js';
import { RateLimits } from './rateLimit.js';
import { RedisRateCounters } from './redisRateLimit.js';
import { ClusterBus } from './clusterBus.js';
import { withRegionGroupings } from './regionGroupings.js';
import { TableLookup } from './tableLookup.js';
import { ResponseCache } from './responseCache.js';
import type { SavedQuerySeed } from './savedQuerySeeds.js';

export interface AppInput {
  store: Store;
  config: AppConfig;
  /** Saved queries (default: beside the tables: the store's SQLite file or PostgreSQL database, else memory). */
  savedQueries?: SavedQueryStore;
  /** Ready-made datasets (default: none). */
  datasets?: readonly ReadyMadeDataset[];
  /** Klass classifications (default: none; the Klass API then lists nothing). */
  klass?: KlassData;
  /** Today's date for Klass, yyyy-MM-dd (tests pin it). */
  klassToday?: () => string;
  /** Saved queries the database should have (the demo's 10007797), created on first use when missing. */
  savedQuerySeeds?: readonly SavedQuerySeed[];
  admission?: Partial<AdmissionSettings>;
  /** Where the application reports state changes (Redis lost or back ...). */
  log?: (msg: string) => void;
}

export interface AppContext {
  readonly config: AppConfig;
  readonly store: Store;
  readonly savedQueries: SavedQueryStore;
  readonly datasets: DatasetCatalog;
  readonly klass: KlassData | undefined;
  readonly klassToday: (() => string) | undefined;
  readonly savedQuerySeeds: readonly SavedQuerySeed[];
  readonly languages: Languages;
  readonly cache: ResponseCache;
  readonly limits: RateLimits;
  readonly runner: QueryRunner;
  readonly admission: Admission;
  /** "Read this again" messages between the nodes (Redis when configured, else this process only). */
  readonly bus: ClusterBus;
  /** Tables by id in any case, by matrix name and by codelist id, at the cost of the changes (tableLookup.ts). */
  readonly lookup: TableLookup;
  /** Release what the context opened itself (before the Store closes: saved queries may share its connection). */
  close(): Promise<void>;
}

export function isAppContext(x: AppInput | AppContext): x is AppContext {
  return x instanceof Object && 'runner' in x && x.runner instanceof QueryRunner;
}

export function createAppContext(input: AppInput): AppContext {
  const { config } = input;
  const store = input.klass ? withRegionGroupings(input.store, input.klass) : input.store;
  const ownsSavedQueries = !input.savedQueries;
  const savedQueries = input.savedQueries ?? openSavedQueryStore(store);
  const cache = new ResponseCache({ maxBytes: config.responseCacheBytes, maxEntryBytes: config.responseCacheEntryBytes });
  const admission = new Admission({ ...admissionSettings(config), ...input.admission });
  const redis = config.redisUrl ? new RedisRateCounters({ url: config.redisUrl, log: input.log }) : undefined;
  const limits = new RateLimits(config, redis);
  const bus = new ClusterBus({ redisUrl: config.redisUrl || undefined, log: input.log });
  const lookup = new TableLookup(store, input.klass);
  const languages = new Languages(config, () => lookup.languages());
  return {
    config,
    store,
    savedQueries,
    datasets: new DatasetCatalog(store, input.datasets ?? []),
    klass: input.klass,
    klassToday: input.klassToday,
    savedQuerySeeds: input.savedQuerySeeds ?? [],
    languages,
    cache,
    limits,
    admission,
    bus,
    lookup,
    runner: new QueryRunner(store, cache, admission, { timeoutMs: config.queryTimeoutMs, timeZone: config.timeZone }),
    async close() {
      limits.close();
      await redis?.close();
      await bus.close();
      if (ownsSavedQueries) await savedQueries.close();
    },
  };
}
