// The embedded store: one SQLite file (better-sqlite3, WAL mode). The Store rules are BaseStore's (baseStore.ts);
// this file holds the schema and the persistence operations.
//
// - At open only folders and a compact summary per table (titles, languages, time span, variables' names; see
//   TableSummary) are read. A record's full metadata is read from its version row on first use and kept in a
//   byte-bounded cache keyed by table id and version (`meta` is a getter), so start-up and memory do not grow with
//   the number of values. Each version's metadata is stored once (in `versions`; `tables` points at a version).
// - Every write appends the ids it changed to `changes`; another connection that sees PRAGMA data_version move
//   reads only the changes after the last one it knew and reloads those tables (their records and search entries).
// - Search: a persistent FTS5 index per table version and language, written in the same transaction as the
//   version (sqliteSearch.ts); `searchView` hands it to src/search.
// - Cube data is a codec blob (cubeCodec.ts) per table version, split into chunks so no row nears SQLite's
//   blob size limit. Every version is kept (`versions` holds each version's record and metadata, `cube_data` its
//   chunks), so a version once written never changes: a reader reads one version's chunks inside one read
//   transaction and sees exactly that version.
// - `tables` holds each table's released record. A scheduled version waits in `versions` (pending = 1) with its
//   release time; readers see it from that instant on because the catalog compares release times with the clock
//   on every read (catalog.ts), so every connection flips at the same instant. `releaseDue` later records the
//   release in `tables` (housekeeping that changes nothing readers see).
// - Loaded cubes live in a byte-bounded LRU cache (cubeCache.ts) keyed by table id and version; a scheduled
//   version warmed before its release (prepareRelease) is pinned there until it is current.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { TableMeta, Texts } from '../core/model.js';
import { BaseStore, yieldTurn, type ReleaseTime, type StoredVersionInfo } from './baseStore.js';
import { StoreError, parentPath, summarize, withLazyMeta, type PendingVersion } from './catalog.js';
import { MetaCache } from './metaCache.js';
import { CubeLoader } from './cubeLoader.js';
import type { CubeCells } from './cubeCodec.js';
import type { SearchIndexProvider, SearchView } from './searchPort.js';
import { SEARCH_SCHEMA, SqliteSearchIndex } from './sqliteSearch.js';
import type { Folder, TableRecord, TableSummary } from './store.js';

export interface SqliteStoreOptions {
  /** Byte budget of the cube cache (default 512 MiB). */
  cacheBytes?: number;
  /** Open without writing (the file must exist). */
  readonly?: boolean;
  /** Size of the chunks cube data is stored in (default 4 MiB; tests use small ones). */
  chunkBytes?: number;
  /** The clock release times are compared with (epoch ms; default Date.now). Tests inject one. */
  now?: () => number;
  /** Byte budget of parsed table metadata kept in memory (default 64 MiB). */
  metaCacheBytes?: number;
  /**
   * Load the catalogue lazily (a writer such as `statbank import`): the open reads the folders only, and a table's
   * record when an operation names it; the first listing, search or release check loads the whole catalogue. An
   * import of one table into a catalogue of 20,000 then costs what the table costs.
   */
  lazyCatalog?: boolean;
  /**
   * Cubes of at least this many stored bytes are read and decoded in a worker thread, off the thread that answers
   * requests (default 1 MiB; Infinity: never; 0: always, as tests do). A database in memory is always read here.
   */
  offThreadLoadBytes?: number;
  /** How long after a release its older versions' search entries are dropped (ms, default 5 s). */
  searchTidyMs?: number;
}

const SCHEMA_VERSION = 3;
// small enough that reading one chunk takes a few milliseconds (a cold load yields between chunks)
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
// a cube this large takes longer to read and decode than a message to a worker thread takes
const DEFAULT_OFF_THREAD_BYTES = 1024 * 1024;
// after a release instant, when its readers have had their first answers
const DEFAULT_SEARCH_TIDY_MS = 5_000;

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS folders (
  path   TEXT PRIMARY KEY,
  parent TEXT,
  sort   TEXT NOT NULL,
  labels TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tables (
  id           TEXT PRIMARY KEY,
  folders      TEXT NOT NULL,
  short_name   TEXT,
  version      INTEGER NOT NULL,
  published    TEXT NOT NULL,
  cells        INTEGER NOT NULL,
  discontinued INTEGER,
  meta         TEXT NOT NULL,
  data_bytes   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cube_data (
  table_id TEXT NOT NULL,
  version  INTEGER NOT NULL,
  seq      INTEGER NOT NULL,
  data     BLOB NOT NULL,
  PRIMARY KEY (table_id, version, seq)
);
-- The highest version each id ever had, so versions never repeat after a delete.
CREATE TABLE IF NOT EXISTS table_versions (
  id   TEXT PRIMARY KEY,
  last INTEGER NOT NULL
);
`;

// Schema 2: every version's record (released, earlier or scheduled). `pending` = 1 until the release is
// recorded in `tables`; release_ms is the release time for comparisons, NULL for a version published when stored.
const SCHEMA_V2 = `
CREATE TABLE IF NOT EXISTS versions (
  table_id     TEXT NOT NULL,
  version      INTEGER NOT NULL,
  folders      TEXT NOT NULL,
  short_name   TEXT,
  published    TEXT NOT NULL,
  cells        INTEGER NOT NULL,
  discontinued INTEGER,
  meta         TEXT NOT NULL,
  data_bytes   INTEGER NOT NULL,
  release_at   TEXT,
  release_ms   INTEGER,
  pending      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (table_id, version)
);
CREATE INDEX IF NOT EXISTS versions_pending ON versions (release_ms) WHERE pending = 1;
`;

const MIGRATE_1_TO_2 = `
INSERT OR IGNORE INTO versions (table_id, version, folders, short_name, published, cells, discontinued, meta, data_bytes, pending)
SELECT id, version, folders, short_name, published, cells, discontinued, meta, data_bytes, 0 FROM tables;
`;

// Schema 3: metadata stored once per version (with a compact summary the catalogue is loaded from), a change log
// other connections catch up from, and the persistent search index.
const SCHEMA_V3 = `
-- each version's full metadata, apart from the version rows the catalogue is read from (a wide row would make
-- reading the summary walk the metadata's overflow pages)
CREATE TABLE IF NOT EXISTS version_meta (
  table_id TEXT NOT NULL,
  version  INTEGER NOT NULL,
  meta     TEXT NOT NULL,
  PRIMARY KEY (table_id, version)
);
CREATE TABLE IF NOT EXISTS changes (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  table_id TEXT
);
${SEARCH_SCHEMA}
`;

/** Keep this many entries of the change log; a connection further behind reloads everything. */
const CHANGE_LOG_KEEP = 10_000;

interface FolderRow {
  path: string;
  sort: string;
  labels: string;
}

interface TableRow {
  id: string;
  folders: string;
  short_name: string | null;
  version: number;
  published: string;
  cells: number;
  discontinued: number | null;
  summary: string;
}

interface PendingRow extends TableRow {
  release_at: string;
  release_ms: number;
}

interface VersionRow {
  version: number;
  published: string;
  cells: number;
  release_at: string | null;
  release_ms: number | null;
  pending: number;
  summary: string;
}

/**
 * A connection of its own to the store's SQLite file for data kept beside the tables (saved queries, admin data):
 * WAL mode, so its small writes do not block the store's readers, and its tables created when missing.
 */
export function openSqliteSideConnection(path: string, schemaSql: string): Database.Database {
  const db = new Database(path, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(schemaSql);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(path, options);
}

export class SqliteStore extends BaseStore implements SearchIndexProvider {
  private db: Database.Database;
  private dataVersion = -1;
  private readonly readonly: boolean;
  private readonly chunkBytes: number;
  private stmt!: Statements;
  private search!: SqliteSearchIndex;
  private readonly metas: MetaCache;
  /** The last change-log entry this connection has applied (-1: none yet, load everything). */
  private changeSeq = -1;
  /** Tables the current write changed (reloaded into the search index after the commit). */
  private touched: Set<string | null> | null = null;
  /** Lazy catalogue: the ids whose record this connection has read (present or absent); null once it holds all. */
  private loaded: Set<string> | null = null;
  /** The worker thread large cubes are loaded in (null: a database only this connection can see). */
  private readonly loader: CubeLoader | null;
  private readonly offThreadBytes: number;
  /**
   * Tables released since their older versions' search entries were last dropped. Dropping them deletes a row per
   * distinct word (~3.5 ms for one demo table on a small VM), so it is not done in the release's write, which runs
   * when readers ask most and holds the thread for every table released at that instant: it runs `searchTidyMs`
   * later, a table per turn. Meanwhile the entries only take room: a search view shows the current versions only.
   */
  private readonly staleSearch = new Set<string>();
  private readonly searchTidyMs: number;
  private searchTidyTimer: NodeJS.Timeout | undefined;
  private searchTidyWaiters: (() => void)[] = [];

  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    super(options);
    this.metas = new MetaCache(options.metaCacheBytes ?? 64 * 1024 * 1024);
    if (typeof path !== 'string' || path === '') throw new StoreError('database path must be a non-empty string');
    const cb = options.chunkBytes;
    this.chunkBytes = cb !== undefined && Number.isInteger(cb) && cb >= 64 ? cb : DEFAULT_CHUNK_BYTES;
    const readonly = (this.readonly = !!options.readonly);
    if (options.lazyCatalog) this.loaded = new Set();
    const ot = options.offThreadLoadBytes;
    this.offThreadBytes = typeof ot === 'number' && ot >= 0 ? ot : DEFAULT_OFF_THREAD_BYTES;
    const tidy = options.searchTidyMs;
    this.searchTidyMs = typeof tidy === 'number' && tidy >= 0 ? tidy : DEFAULT_SEARCH_TIDY_MS;
    this.loader = path === ':memory:' || path.startsWith('file:') || this.offThreadBytes === Infinity ? null : new CubeLoader(resolve(path));
    if (!readonly && path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(resolve(path)), { recursive: true });
    try {
      this.db = new Database(path, { readonly, fileMustExist: readonly, timeout: 10_000 });
    } catch (e) {
      throw new StoreError(`cannot open database ${path}: ${(e as Error).message}`);
    }
    try {
      this.init(readonly);
      this.stmt = prepareStatements(this.db);
      this.search = new SqliteSearchIndex(this.db);
      this.catchUp();
    } catch (e) {
      this.db.close();
      throw e instanceof StoreError ? e : new StoreError(`cannot use database ${path}: ${(e as Error).message}`);
    }
  }

  private init(readonly: boolean): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StoreError(`database schema version ${version} is newer than this program supports (${SCHEMA_VERSION})`);
    }
    if (readonly) {
      if (version >= 1 && version < SCHEMA_VERSION) {
        throw new StoreError(`database has schema version ${version}: open it once for writing to upgrade it`);
      }
      if (version !== SCHEMA_VERSION) throw new StoreError('database has no Statbank schema');
      return;
    }
    if (version === 0 && (this.db.pragma('page_count', { simple: true }) as number) === 0) {
      // Larger pages make multi-megabyte cube blobs cheaper to read; only settable before the first table.
      this.db.pragma('page_size = 16384');
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // Keep the WAL file from staying at the size of the largest cube ever written.
    this.db.pragma('journal_size_limit = 67108864');
    if (version < SCHEMA_VERSION) {
      this.db.transaction(() => {
        // a racing connection may have upgraded meanwhile: look again inside the write lock
        const now = this.db.pragma('user_version', { simple: true }) as number;
        if (now === 0) this.db.exec(SCHEMA_V1 + SCHEMA_V2);
        if (now === 1) this.db.exec(SCHEMA_V2 + MIGRATE_1_TO_2);
        if (now < 3) this.migrateTo3();
        if (now < SCHEMA_VERSION) this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
    // the release history reads versions newest release first (an index added to databases of any schema)
    this.db.exec('CREATE INDEX IF NOT EXISTS versions_released ON versions (release_ms) WHERE release_ms IS NOT NULL');
  }

  /** Schema 3 (inside the upgrade transaction): summaries, metadata once, the change log, the search index. */
  private migrateTo3(): void {
    this.db.exec("ALTER TABLE versions ADD COLUMN summary TEXT NOT NULL DEFAULT '{}'");
    this.db.exec('ALTER TABLE versions ADD COLUMN content_hash TEXT');
    const rows = this.db.prepare('SELECT table_id, version, short_name, meta, pending FROM versions').all() as {
      table_id: string;
      version: number;
      short_name: string | null;
      meta: string;
      pending: number;
    }[];
    const current = new Map(
      (this.db.prepare('SELECT id, version FROM tables').all() as { id: string; version: number }[]).map((r) => [r.id, r.version]),
    );
    this.db.exec('ALTER TABLE tables DROP COLUMN meta');
    this.db.exec(SCHEMA_V3);
    this.db.exec('INSERT INTO version_meta (table_id, version, meta) SELECT table_id, version, meta FROM versions');
    const setSummary = this.db.prepare('UPDATE versions SET summary = ? WHERE table_id = ? AND version = ?');
    const search = new SqliteSearchIndex(this.db);
    for (const r of rows) {
      const meta = parseJson<TableMeta>(r.meta, `table ${r.table_id} version ${r.version}`);
      setSummary.run(JSON.stringify(summarize(meta)), r.table_id, r.version);
      if (r.pending === 1 || current.get(r.table_id) === r.version) {
        search.add({ id: r.table_id, version: r.version, meta, shortName: r.short_name ?? undefined });
      }
    }
    this.db.exec('ALTER TABLE versions DROP COLUMN meta');
  }

  /**
   * Catch up with other connections' commits (PRAGMA data_version moved): the tables named in the change log since
   * the last entry this connection applied are reloaded; everything when that is unknown or pruned.
   */
  protected catchUp(): boolean {
    const dv = this.stmt.dataVersion.get() as number;
    if (dv === this.dataVersion) return false;
    const run = () => {
      const last = (this.stmt.lastChange.get() as number | undefined) ?? 0;
      const first = (this.stmt.firstChange.get() as number | undefined) ?? 0;
      if (this.changeSeq < 0 || (first > this.changeSeq + 1 && last > this.changeSeq)) {
        // a lazy catalogue reads again only what it has read
        if (this.loaded) this.reloadSome(new Set<string | null>([null, ...this.loaded]));
        else this.reload();
      } else if (last > this.changeSeq) {
        const ids = new Set<string | null>();
        for (const r of this.stmt.changesSince.all(this.changeSeq) as { table_id: string | null }[]) {
          if (!this.loaded || r.table_id === null || this.loaded.has(r.table_id)) ids.add(r.table_id);
        }
        this.reloadSome(ids);
      }
      this.changeSeq = last;
    };
    if (this.db.inTransaction) run();
    else this.db.transaction(run)();
    this.dataVersion = dv;
    this.tidyCache();
    return true;
  }

  protected write<T>(f: () => T): T {
    // decide from what is committed now, not from a stale catalog
    const touched = new Set<string | null>();
    const result = this.db.transaction(() => {
      if (!this.catchUp()) this.catalog.checkDue();
      this.touched = touched;
      try {
        const r = f();
        for (const id of touched) this.stmt.logChange.run(id);
        if (touched.size) {
          this.changeSeq = this.stmt.lastChange.get() as number;
          const cut = this.changeSeq - CHANGE_LOG_KEEP;
          if (cut > 0 && this.changeSeq % 1000 === 0) this.stmt.pruneChanges.run(cut);
        }
        return r;
      } finally {
        this.touched = null;
      }
    }).immediate();
    // committed: this connection's own search entries of the changed tables
    const ids = [...touched].filter((x): x is string => x !== null);
    if (ids.length && !this.loaded) this.search.reload(ids);
    return result;
  }

  /** Lazy catalogue: read what an operation needs (one table's record, or everything). */
  protected override need(scope: string | null): void {
    const loaded = this.loaded;
    if (!loaded) return;
    if (scope === null) {
      // from now on a full catalogue, caught up like any other connection
      this.loaded = null;
      this.changeSeq = -1;
      this.dataVersion = -1;
      this.catchUp();
      return;
    }
    if (loaded.has(scope)) return;
    loaded.add(scope);
    const load = () => this.reloadSome(new Set([scope]));
    if (this.db.inTransaction) load();
    else this.db.transaction(load)();
  }

  /**
   * Run many writes (puts of a bulk import) as one transaction: each put is a savepoint inside it, and the commit
   * writes the pages the puts share (search postings of common words, the catalogue's rows) once instead of once per
   * table. Other connections see the whole batch at its commit. A throw rolls the batch back.
   */
  batch<T>(f: () => T): T {
    this.ensureOpen();
    if (this.db.inTransaction) return f();
    const cache = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma('cache_size = -131072');
    try {
      return this.db.transaction(f).immediate();
    } catch (e) {
      // what this connection holds in memory may include rolled-back writes: read everything again
      this.changeSeq = -1;
      this.dataVersion = -1;
      this.catchUp();
      throw e;
    } finally {
      this.db.pragma(`cache_size = ${cache}`);
    }
  }

  private touch(id: string | null): void {
    this.touched?.add(id);
  }

  /** Reload some tables (null: the folders) from the database, inside a read transaction. */
  private reloadSome(ids: Set<string | null>): void {
    if (ids.has(null)) this.reloadFolders();
    const tableIds = [...ids].filter((x): x is string => x !== null);
    for (const id of tableIds) {
      const r = this.stmt.tableRow.get(id) as TableRow | undefined;
      if (!r) this.catalog.released.delete(id);
      else {
        const prev = this.catalog.released.get(id);
        if (!prev || prev.version !== r.version) {
          const was = this.catalog.findPending(id, r.version);
          this.catalog.released.set(id, was?.record ?? this.record(r));
        }
      }
      const list: PendingVersion[] = [];
      for (const p of this.stmt.pendingOf.all(id) as PendingRow[]) list.push(this.pendingOf(p));
      this.catalog.setPending(id, list);
    }
    if (tableIds.length && !this.loaded) this.search.reload(tableIds);
    // only these tables: a change elsewhere costs this connection what the change costs
    this.catalog.refreshTables(tableIds);
    if (ids.has(null)) this.catalog.changed();
  }

  private pendingOf(r: PendingRow): PendingVersion {
    const prev = this.catalog.findPending(r.id, r.version);
    if (prev && prev.releaseMs === r.release_ms) return prev;
    return { record: this.record(r), releaseAt: r.release_at, releaseMs: r.release_ms };
  }

  private reloadFolders(): void {
    const folders: Folder[] = [];
    for (const r of this.stmt.folders.all() as FolderRow[]) {
      const id = r.path.slice(r.path.lastIndexOf('/') + 1);
      folders.push({ path: r.path, id, label: parseJson<Texts>(r.labels, `folder ${r.path}`), sort: r.sort });
    }
    this.catalog.resetFolders(folders);
  }

  /** How many cubes were loaded in the loader thread. */
  get offThreadLoads(): number {
    return this.loader?.loads ?? 0;
  }

  /** How many table records this connection holds, and whether it still reads the catalogue table by table. */
  catalogueStats(): { tables: number; lazy: boolean } {
    return { tables: this.catalog.released.size, lazy: this.loaded !== null };
  }

  /** Figures of the metadata cache (tests, benchmarks). */
  metaCacheStats(): ReturnType<MetaCache['stats']> {
    return this.metas.stats();
  }

  /** The persistent search index of what readers see now, in `lang` (see searchPort.ts). */
  searchView(lang: string): SearchView {
    this.look(null);
    return this.search.view(() => this.catalog.listTables(), this.catalog.generation, lang);
  }

  /** A version's full metadata: from the cache, else read and parsed (and cached). */
  private metaOf(id: string, version: number): TableMeta {
    const hit = this.metas.get(id, version);
    if (hit) return hit;
    const json = this.stmt.versionMeta.get(id, version) as string | undefined;
    if (json === undefined) throw new StoreError(`table ${id} version ${version}: metadata is gone`);
    const meta = parseJson<TableMeta>(json, `table ${id} version ${version}`);
    this.metas.set(id, version, meta, json.length);
    return meta;
  }

  /** Give a record a `meta` read on first use (and kept in the metadata cache, not in the record). */
  private lazyMeta(rec: Omit<TableRecord, 'meta'>): TableRecord {
    const { id, version } = rec;
    return withLazyMeta(rec, () => this.metaOf(id, version));
  }

  protected override adoptRecord(rec: TableRecord, _metaJson: string): void {
    rec.summary = JSON.parse(JSON.stringify(rec.summary)) as TableSummary;
    delete (rec as Partial<TableRecord>).meta;
    this.lazyMeta(rec);
  }

  protected override get writable(): boolean {
    return !this.readonly;
  }

  private reload(): void {
    this.reloadFolders();
    const seen = new Set<string>();
    for (const r of this.stmt.tables.all() as TableRow[]) {
      seen.add(r.id);
      const prev = this.catalog.released.get(r.id);
      // Every change of a table row comes with a new version: an unchanged version keeps its record object.
      if (prev && prev.version === r.version) continue;
      // a release recorded by another connection: keep the object readers already got from the pending version
      const was = this.catalog.findPending(r.id, r.version);
      const rec = was?.record ?? this.record(r);
      this.catalog.released.set(r.id, rec);
    }
    for (const id of [...this.catalog.released.keys()]) if (!seen.has(id)) this.catalog.released.delete(id);

    const pending = new Map<string, PendingVersion[]>();
    for (const r of this.stmt.pendingRows.all() as PendingRow[]) {
      const p = this.pendingOf(r);
      let l = pending.get(r.id);
      if (!l) pending.set(r.id, (l = []));
      l.push(p);
    }
    this.catalog.pending.clear();
    for (const [id, l] of pending) this.catalog.setPending(id, l);
    this.search.reload(null);
    this.catalog.refresh();
  }

  private record(r: TableRow): TableRecord {
    const rec: Omit<TableRecord, 'meta'> = {
      id: r.id,
      folders: parseJson<string[]>(r.folders, `table ${r.id}`),
      summary: parseJson<TableSummary>(r.summary, `table ${r.id} version ${r.version}`),
      version: r.version,
      published: r.published,
      cells: r.cells,
    };
    if (r.short_name !== null) rec.shortName = r.short_name;
    if (r.discontinued !== null) rec.discontinued = r.discontinued !== 0;
    return this.lazyMeta(rec);
  }

  protected lastStoredVersion(id: string): number {
    return (this.stmt.lastVersion.get(id) as number | undefined) ?? 0;
  }

  protected folderStored(path: string): boolean {
    return this.stmt.folderExists.get(path) !== undefined;
  }

  protected persistFolder(f: Folder): void {
    this.touch(null);
    this.stmt.putFolder.run(f.path, f.path === '' ? null : parentPath(f.path), f.sort, JSON.stringify(f.label));
  }

  protected override storedContentHash(id: string, version: number): string | undefined {
    return (this.stmt.contentHash.get(id, version) as string | null | undefined) ?? undefined;
  }

  protected persistVersion(rec: TableRecord, metaJson: string, data: Uint8Array, release?: ReleaseTime, contentHash?: string): void {
    for (let at = 0, seq = 0; at < data.length || seq === 0; at += this.chunkBytes, seq++) {
      this.stmt.putChunk.run(rec.id, rec.version, seq, data.subarray(at, Math.min(data.length, at + this.chunkBytes)));
    }
    const row = rowOf(rec, data.length);
    this.stmt.putMeta.run(rec.id, rec.version, metaJson);
    this.stmt.putVersion.run({ ...row, summary: JSON.stringify(rec.summary), content_hash: contentHash ?? null, release_at: release?.iso ?? null, release_ms: release?.ms ?? null, pending: release ? 1 : 0 });
    this.stmt.putLastVersion.run(rec.id, rec.version);
    if (!release) this.stmt.putTable.run(row);
    this.search.add(rec);
    if (!release) this.dropStaleSearch(rec.id, rec.version);
    this.touch(rec.id);
  }

  /** Search entries are kept for the released version and the scheduled ones only. */
  private dropStaleSearch(id: string, released: number): void {
    const pending = new Set((this.stmt.pendingVersions.all(id) as number[]));
    this.search.drop(id, (v) => v >= released || pending.has(v));
  }

  protected persistRelease(id: string, version: number): void {
    this.stmt.recordRelease.run(id, version);
    this.stmt.markReleased.run(id, version);
    this.touch(id);
    this.staleSearch.add(id);
    this.searchTidyTimer ??= setTimeout(() => this.tidySearchStep(), this.searchTidyMs).unref();
  }

  /** A table per turn, until none is waiting. */
  private tidySearchStep(): void {
    this.searchTidyTimer = undefined;
    if (this.closed) return;
    this.dropOneStaleSearch();
    if (this.staleSearch.size) this.searchTidyTimer = setTimeout(() => this.tidySearchStep(), 0).unref();
    else for (const w of this.searchTidyWaiters.splice(0)) w();
  }

  /** One released table's older search entries dropped, in a write of its own. */
  private dropOneStaleSearch(): void {
    const id = this.staleSearch.values().next().value;
    if (id === undefined) return;
    this.staleSearch.delete(id);
    try {
      this.write(() => {
        // the version released now (a later release or put may have come meanwhile)
        const row = this.stmt.tableRow.get(id) as TableRow | undefined;
        if (row) this.dropStaleSearch(id, row.version);
        this.touch(id);
      });
    } catch {
      // the database is busy or gone: the table's next release or put drops them (dropStaleSearch keeps no others)
    }
  }

  /** Resolves when no release is waiting for its older search entries to be dropped (for tests; `close` drops them). */
  whenSearchTidy(): Promise<void> {
    if (!this.staleSearch.size || this.closed) return Promise.resolve();
    return new Promise((r) => this.searchTidyWaiters.push(r));
  }

  /** Drop every waiting table's older search entries now, instead of after `searchTidyMs` (at close). */
  private tidySearch(): void {
    clearTimeout(this.searchTidyTimer);
    this.searchTidyTimer = undefined;
    while (this.staleSearch.size && !this.closed) this.dropOneStaleSearch();
    for (const w of this.searchTidyWaiters.splice(0)) w();
  }

  protected persistCancel(id: string, versions: number[]): void {
    for (const v of versions) {
      if (this.stmt.dropPendingVersion.run(id, v).changes) this.stmt.dropVersionMeta.run(id, v);
      this.stmt.dropVersionChunks.run(id, v);
    }
    this.search.drop(id, (v) => !versions.includes(v));
    this.touch(id);
  }

  protected persistReschedule(id: string, version: number, release: ReleaseTime): void {
    this.stmt.setRelease.run(release.iso, release.ms, release.iso, id, version);
    this.touch(id);
  }

  protected persistDelete(id: string): boolean {
    this.search.drop(id);
    this.touch(id);
    const a = this.stmt.dropTable.run(id).changes;
    const b = this.stmt.dropVersions.run(id).changes;
    this.stmt.dropTableMeta.run(id);
    this.stmt.dropChunks.run(id);
    return a + b > 0;
  }

  /**
   * One version's chunks, one chunk per turn of the event loop (a large cube's read never holds up other requests
   * for more than one chunk). A version's data never changes once written (versions are never reused), so the
   * reads need no common transaction: a version deleted meanwhile shows as missing or incomplete data.
   */
  protected async readChunks(id: string, version: number): Promise<Uint8Array[]> {
    const bytes = this.stmt.dataBytes.get(id, version) as number | undefined;
    if (bytes === undefined) throw new StoreError(`no table ${JSON.stringify(id)} version ${version}`);
    const chunks: Uint8Array[] = [];
    let at = 0;
    for (let seq = 0; ; seq++) {
      if (seq > 0) {
        await yieldTurn();
        if (this.closed) throw new StoreError('store is closed');
      }
      const chunk = this.stmt.chunk.get(id, version, seq) as Buffer | undefined;
      if (chunk === undefined) break;
      if (at + chunk.length > bytes) throw new StoreError(`table ${id}: cube data longer than recorded`);
      chunks.push(chunk);
      at += chunk.length;
      if (at === bytes && bytes > 0) break;
    }
    if (at !== bytes) throw new StoreError(`table ${id}: cube data incomplete (${at} of ${bytes} bytes)`);
    return chunks;
  }

  /**
   * Large cubes are read and decoded in the loader thread (its own read-only connection): the disk reads and the
   * decoding never hold up requests. Not inside a transaction of this connection: its uncommitted writes are its own.
   */
  protected override loadElsewhere(id: string, version: number): Promise<CubeCells> | undefined {
    if (!this.loader || this.db.inTransaction) return undefined;
    const bytes = this.stmt.dataBytes.get(id, version) as number | undefined;
    if (bytes === undefined || bytes < this.offThreadBytes) return undefined;
    return this.loader.load(id, version);
  }

  /** A released version by number; a scheduled one under embargo reads as absent. */
  protected releasedVersionMeta(id: string, version: number): TableMeta | undefined {
    const row = this.stmt.versionRow.get(id, version) as VersionRow | undefined;
    if (!row || (row.pending === 1 && (row.release_ms ?? 0) > this.clock())) return undefined;
    return this.metaOf(id, version);
  }

  protected storedReleases(nowMs: number, limit: number, tableId?: string): { id: string; info: StoredVersionInfo }[] {
    const rows = tableId === undefined ? this.stmt.releaseList.all(nowMs, limit) : this.stmt.tableReleaseList.all(tableId, nowMs, limit);
    return (rows as (VersionRow & { table_id: string })[]).map((r) => {
      const summary = parseJson<TableSummary>(r.summary, `table ${r.table_id} version ${r.version}`);
      return { id: r.table_id, info: { version: r.version, title: summary.title, cells: r.cells, published: r.published, releaseAt: r.release_at ?? undefined } };
    });
  }

  protected storedVersions(id: string): StoredVersionInfo[] {
    return (this.stmt.versionList.all(id) as VersionRow[]).map((r) => {
      const summary = parseJson<TableSummary>(r.summary, `table ${id} version ${r.version}`);
      const v: StoredVersionInfo = { version: r.version, title: summary.title, cells: r.cells, published: r.published };
      if (r.release_at !== null) v.releaseAt = r.release_at;
      if (r.pending === 1) v.pendingUntil = r.release_ms ?? 0;
      return v;
    });
  }

  close(): void {
    if (this.closed) return;
    // what a release left to drop is dropped now (else it would wait for the table's next change)
    if (!this.readonly) this.tidySearch();
    this.closed = true;
    this.cache.clear();
    this.metas.clear();
    this.loader?.close();
    this.db.close();
  }
}

function rowOf(rec: TableRecord, dataBytes: number) {
  return {
    id: rec.id,
    folders: JSON.stringify(rec.folders),
    short_name: rec.shortName ?? null,
    version: rec.version,
    published: rec.published,
    cells: rec.cells,
    discontinued: rec.discontinued === undefined ? null : rec.discontinued ? 1 : 0,
    data_bytes: dataBytes,
  };
}

function prepareStatements(db: Database.Database) {
  return {
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    folders: db.prepare('SELECT path, sort, labels FROM folders'),
    folderExists: db.prepare('SELECT 1 FROM folders WHERE path = ?').pluck(),
    tables: db.prepare(
      `SELECT t.id, t.folders, t.short_name, t.version, t.published, t.cells, t.discontinued, v.summary
       FROM tables t JOIN versions v ON v.table_id = t.id AND v.version = t.version`,
    ),
    tableRow: db.prepare(
      `SELECT t.id, t.folders, t.short_name, t.version, t.published, t.cells, t.discontinued, v.summary
       FROM tables t JOIN versions v ON v.table_id = t.id AND v.version = t.version WHERE t.id = ?`,
    ),
    pendingRows: db.prepare(
      `SELECT table_id AS id, folders, short_name, version, published, cells, discontinued, release_at, release_ms, summary
       FROM versions WHERE pending = 1`,
    ),
    pendingOf: db.prepare(
      `SELECT table_id AS id, folders, short_name, version, published, cells, discontinued, release_at, release_ms, summary
       FROM versions WHERE pending = 1 AND table_id = ?`,
    ),
    contentHash: db.prepare('SELECT content_hash FROM versions WHERE table_id = ? AND version = ?').pluck(),
    pendingVersions: db.prepare('SELECT version FROM versions WHERE pending = 1 AND table_id = ?').pluck(),
    lastChange: db.prepare('SELECT max(seq) FROM changes').pluck(),
    firstChange: db.prepare('SELECT min(seq) FROM changes').pluck(),
    changesSince: db.prepare('SELECT table_id FROM changes WHERE seq > ?'),
    logChange: db.prepare('INSERT INTO changes (table_id) VALUES (?)'),
    pruneChanges: db.prepare('DELETE FROM changes WHERE seq < ?'),
    versionMeta: db.prepare('SELECT meta FROM version_meta WHERE table_id = ? AND version = ?').pluck(),
    versionRow: db.prepare(
      'SELECT version, published, cells, release_at, release_ms, pending FROM versions WHERE table_id = ? AND version = ?',
    ),
    releaseList: db.prepare(
      'SELECT table_id, version, published, cells, release_at, release_ms, pending, summary FROM versions WHERE release_ms IS NOT NULL AND release_ms <= ? ORDER BY release_ms DESC, table_id, version DESC LIMIT ?',
    ),
    tableReleaseList: db.prepare(
      'SELECT table_id, version, published, cells, release_at, release_ms, pending, summary FROM versions WHERE table_id = ? AND release_ms IS NOT NULL AND release_ms <= ? ORDER BY release_ms DESC, version DESC LIMIT ?',
    ),
    versionList: db.prepare(
      'SELECT version, published, cells, release_at, release_ms, pending, summary FROM versions WHERE table_id = ? ORDER BY version',
    ),
    dataBytes: db.prepare('SELECT data_bytes FROM versions WHERE table_id = ? AND version = ?').pluck(),
    lastVersion: db.prepare('SELECT last FROM table_versions WHERE id = ?').pluck(),
    chunk: db.prepare('SELECT data FROM cube_data WHERE table_id = ? AND version = ? AND seq = ?').pluck(),
    putFolder: db.prepare(
      `INSERT INTO folders (path, parent, sort, labels) VALUES (?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET parent = excluded.parent, sort = excluded.sort, labels = excluded.labels`,
    ),
    putChunk: db.prepare('INSERT INTO cube_data (table_id, version, seq, data) VALUES (?, ?, ?, ?)'),
    putVersion: db.prepare(
      `INSERT INTO versions (table_id, version, folders, short_name, published, cells, discontinued, summary, content_hash, data_bytes, release_at, release_ms, pending)
       VALUES (@id, @version, @folders, @short_name, @published, @cells, @discontinued, @summary, @content_hash, @data_bytes, @release_at, @release_ms, @pending)`,
    ),
    putMeta: db.prepare('INSERT INTO version_meta (table_id, version, meta) VALUES (?, ?, ?)'),
    dropVersionMeta: db.prepare('DELETE FROM version_meta WHERE table_id = ? AND version = ?'),
    dropTableMeta: db.prepare('DELETE FROM version_meta WHERE table_id = ?'),
    putTable: db.prepare(
      `INSERT INTO tables (id, folders, short_name, version, published, cells, discontinued, data_bytes)
       VALUES (@id, @folders, @short_name, @version, @published, @cells, @discontinued, @data_bytes)
       ON CONFLICT(id) DO UPDATE SET folders = excluded.folders, short_name = excluded.short_name,
         version = excluded.version, published = excluded.published, cells = excluded.cells,
         discontinued = excluded.discontinued, data_bytes = excluded.data_bytes`,
    ),
    putLastVersion: db.prepare(
      'INSERT INTO table_versions (id, last) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET last = excluded.last',
    ),
    dueRows: db.prepare(
      'SELECT table_id AS id, version FROM versions WHERE pending = 1 AND release_ms <= ? ORDER BY release_ms, version',
    ),
    recordRelease: db.prepare(
      `INSERT INTO tables (id, folders, short_name, version, published, cells, discontinued, data_bytes)
       SELECT table_id, folders, short_name, version, published, cells, discontinued, data_bytes
       FROM versions WHERE table_id = ? AND version = ?
       ON CONFLICT(id) DO UPDATE SET folders = excluded.folders, short_name = excluded.short_name,
         version = excluded.version, published = excluded.published, cells = excluded.cells,
         discontinued = excluded.discontinued, data_bytes = excluded.data_bytes`,
    ),
    markReleased: db.prepare('UPDATE versions SET pending = 0 WHERE table_id = ? AND version = ?'),
    setRelease: db.prepare(
      'UPDATE versions SET release_at = ?, release_ms = ?, published = ? WHERE table_id = ? AND version = ? AND pending = 1',
    ),
    dropPendingVersion: db.prepare('DELETE FROM versions WHERE table_id = ? AND version = ? AND pending = 1'),
    dropVersionChunks: db.prepare('DELETE FROM cube_data WHERE table_id = ? AND version = ?'),
    dropTable: db.prepare('DELETE FROM tables WHERE id = ?'),
    dropVersions: db.prepare('DELETE FROM versions WHERE table_id = ?'),
    dropChunks: db.prepare('DELETE FROM cube_data WHERE table_id = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StoreError(`${what}: stored JSON is corrupt`);
  }
}
