// The storage port: what the APIs, CLI and web app need from a statbank store.
// Adapters: sqlite.ts (embedded default). The catalog (folders + table metadata) is small
// and read synchronously; cube data is loaded lazily and cached (see cubeCache.ts).
//
// Versions and scheduled releases: every put keeps the table's earlier versions (metadata + cells, readable by
// number). A version stored with `scheduleTable` is under embargo until its release time: no read path (catalog,
// listings, cubes, version lists) shows it, nor a table that has no released version yet. The release is a fact
// of the stored data and the clock, so every process on the same database flips at the same instant; at that
// instant the version released last becomes the one readers get.

import type { Cube, TableMeta, Texts } from '../core/model.js';

export interface Folder {
  /** Full path of segment ids from the root, e.g. "be/be02" ("" is the root). */
  path: string;
  /** Last segment of the path ("be02"). */
  id: string;
  label: Texts;
  /** Sort key among siblings. */
  sort: string;
}

/**
 * What listings, navigation and search need of a table, held for every table from the start (a few hundred bytes):
 * reading it never loads the full metadata. `meta` has everything, and may be loaded on first use (SQLite).
 */
export interface TableSummary {
  title: Texts;
  contents: Texts;
  description?: Texts;
  source?: Texts;
  languages: string[];
  defaultLanguage: string;
  matrix?: string;
  subjectCode?: string;
  /** The metadata's latest update stamp as written (LAST-UPDATED of the contents, else UPDATED/CREATION-DATE), unconverted. */
  updated?: string;
  /** Codes of the first and last period of the time variable, and how many periods. */
  firstPeriod?: string;
  lastPeriod?: string;
  periods: number;
  /** The time variable's unit (A, Q, M, W …). */
  timeUnit?: string;
  /**
   * Variables in cube order: code, label, number of values, role; the ids of their value sets and groupings and the
   * classification they follow, when they have them (so a codelist is found without reading every table's metadata).
   */
  variables: { code: string; label: Texts; values: number; role?: string; valueSets?: string[]; groupings?: string[]; classification?: string }[];
}

export interface TableRecord {
  /** Table id ("07459"). */
  id: string;
  /** Folder paths the table is listed under (a table may sit in several folders). */
  folders: string[];
  /** Short name of the statistic the table belongs to ("folkemengde", "kpi"). */
  shortName?: string;
  /**
   * The full metadata (variables with every value). On a large catalogue this may be read from the database on
   * first use and kept in a byte-bounded cache: listings should read `summary` instead.
   */
  meta: TableMeta;
  /** The compact summary of the metadata (always in memory). */
  summary: TableSummary;
  /** Increments each time the table is replaced. */
  version: number;
  /** ISO timestamp of this version's publication. */
  published: string;
  /** Number of cells in the cube. */
  cells: number;
  discontinued?: boolean;
}

export type FolderChild = { kind: 'folder'; folder: Folder } | { kind: 'table'; table: TableRecord };

export interface PutTableOptions {
  folders?: string[];
  shortName?: string;
  /** Publication time; defaults to now. */
  published?: string;
  discontinued?: boolean;
}

export interface GetCubeOptions {
  /** A released version of the table, current or earlier (default: the current one). */
  version?: number;
  /** Let `version` name a version under embargo (release tooling only, such as headlines worked out ahead of the
   * release; default false). */
  includePending?: boolean;
}

export interface ScheduleOptions {
  /** When the version becomes public: an ISO 8601 time with a zone (Z or an offset). */
  releaseAt: string;
  /** Folders, short name, discontinued: kept from the latest version unless given (as in putTable). */
  folders?: string[];
  shortName?: string;
  discontinued?: boolean;
}

/** What `tableChanges` answers: the ids of the tables readers see changed, or null for "read the whole listing". */
export interface TableChanges {
  /** The cursor to pass next time. */
  seq: number;
  ids: string[] | null;
}

/** A version waiting for its release time. Only release tooling sees these (never the public read paths). */
export interface ScheduledRelease {
  /** The record readers will get from the release on (`published` = the release time). */
  record: TableRecord;
  /** The release time as an ISO UTC string. */
  releaseAt: string;
}

/** One version of a table, as `listVersions` describes it. */
export interface VersionInfo {
  id: string;
  version: number;
  title: Texts;
  cells: number;
  published: string;
  /** Set when the version was scheduled (its release time, ISO UTC). */
  releaseAt?: string;
  /** Waiting for its release time (listed only when asked for). */
  pending: boolean;
  /** The version readers get now. */
  current: boolean;
}

export interface ListVersionsOptions {
  /** Include versions under embargo (release tooling only; default false). */
  includePending?: boolean;
}

export interface PreparedRelease {
  id: string;
  version: number;
  cells: number;
  /** Whether the cells were read and decoded now (false: already in memory). */
  loaded: boolean;
  /** Whether the cells are held in memory for the release (false: larger than the cache budget). */
  cached: boolean;
}

export interface Store {
  /** Folder by path ("" = root); undefined when absent. */
  getFolder(path: string): Folder | undefined;
  /** Children of a folder: sub-folders then tables, each in sort order. */
  listChildren(path: string): FolderChild[];
  /** Create or relabel a folder (its parents must exist, except the root). */
  putFolder(path: string, label: Texts, sort?: string): void;
  getTable(id: string): TableRecord | undefined;
  /** Every released table, in id order (code-unit order; the list is kept sorted, so callers need not sort it). */
  listTables(): TableRecord[];
  /**
   * The table's cube, loaded lazily and cached. Rejects when the table is unknown (or, with `version`, when that
   * version does not exist or is not released).
   */
  getCube(id: string, options?: GetCubeOptions): Promise<Cube>;
  /**
   * Store a table, atomically replacing any previous version: a concurrent reader sees the
   * whole old table or the whole new one. Returns the new record.
   */
  putTable(cube: Cube, options?: PutTableOptions): TableRecord;
  /** Remove a table with all its versions, released and scheduled. */
  deleteTable(id: string): boolean;
  /** Versions of a table, oldest first: the released ones (also pending ones when asked). [] for an unknown id. */
  listVersions(id: string, options?: ListVersionsOptions): VersionInfo[];
  /**
   * The release history, of every table or of `tableId`: versions made public at a scheduled time whose time has
   * come, newest release first, at most `limit` (read in release-time order, not table by table).
   */
  listReleases(limit: number, tableId?: string): VersionInfo[];
  /**
   * Store a new version of a table that becomes public at `releaseAt` (immediately when that time has passed).
   * Until then it is invisible to every read path; a table without a released version is not listed at all.
   */
  scheduleTable(cube: Cube, options: ScheduleOptions): ScheduledRelease;
  /**
   * Versions waiting for their release time, soonest first; with `tableId`, that table's only (read from its own
   * entry: what a request pays does not grow with the schedule).
   */
  listScheduled(tableId?: string): ScheduledRelease[];
  /** Cancel a scheduled version (every scheduled version of the table when `version` is omitted). Returns the cancelled versions. */
  cancelRelease(id: string, version?: number): number[];
  /** Move a scheduled version to another release time. */
  rescheduleRelease(id: string, version: number, releaseAt: string): ScheduledRelease;
  /**
   * Record as released the scheduled versions whose time has come (readers already see them: the release time
   * alone decides). Idempotent; returns the records released by this call.
   */
  releaseDue(): TableRecord[];
  /**
   * What changed in what readers see since cursor `since` (a `seq` this method returned before): the ids of the
   * tables with a new visible version, newly visible or gone, each once. `ids` is null without a cursor or when the
   * cursor is too old to know: then read `listTables()`. Lets a watcher (the release feed) follow the catalogue at
   * the cost of its changes, not of its size.
   */
  tableChanges(since?: number): TableChanges;
  /** Warm-up: load and check a scheduled version's cube into memory so its first read after release is a cache hit. */
  prepareRelease(id: string, version: number): Promise<PreparedRelease>;
  /** The store's clock (epoch milliseconds): the time release decisions are made with. */
  now(): number;
  close(): void;
}
