// The embedded store: one SQLite file (better-sqlite3, WAL mode).
//
// - The catalog (folders + table records) is held in memory and reloaded when another connection committed
//   (PRAGMA data_version changes); only tables whose version changed have their metadata parsed again.
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
import { cellCount, type Cube, type TableMeta, type Texts } from '../core/model.js';
import {
  Catalog,
  StoreError,
  checkVersion,
  parentPath,
  parseReleaseTime,
  validateCube,
  type PendingVersion,
} from './catalog.js';
import { CubeCache, type CubeCacheStats } from './cubeCache.js';
import { decodeCubeChunks, encodeCube, type CubeCells } from './cubeCodec.js';
import type {
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

export interface SqliteStoreOptions {
  /** Byte budget of the cube cache (default 512 MiB). */
  cacheBytes?: number;
  /** Open without writing (the file must exist). */
  readonly?: boolean;
  /** Size of the chunks cube data is stored in (default 16 MiB; tests use small ones). */
  chunkBytes?: number;
  /** The clock release times are compared with (epoch ms; default Date.now). Tests inject one. */
  now?: () => number;
}

const SCHEMA_VERSION = 2;
const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;
const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

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
  meta: string;
}

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(path, options);
}

export class SqliteStore implements Store {
  private db: Database.Database;
  private catalog: Catalog;
  private cache: CubeCache;
  private dataVersion = -1;
  private closed = false;
  private loadCount = 0;
  private readonly readonly: boolean;
  private readonly chunkBytes: number;
  private readonly clock: () => number;
  private readonly stmt: Statements;

  constructor(readonly path: string, options: SqliteStoreOptions = {}) {
    if (typeof path !== 'string' || path === '') throw new StoreError('database path must be a non-empty string');
    this.clock = typeof options.now === 'function' ? options.now : Date.now;
    this.catalog = new Catalog(this.clock);
    this.cache = new CubeCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    const cb = options.chunkBytes;
    this.chunkBytes = cb !== undefined && Number.isInteger(cb) && cb >= 64 ? cb : DEFAULT_CHUNK_BYTES;
    const readonly = (this.readonly = !!options.readonly);
    if (!readonly && path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(resolve(path)), { recursive: true });
    try {
      this.db = new Database(path, { readonly, fileMustExist: readonly, timeout: 10_000 });
    } catch (e) {
      throw new StoreError(`cannot open database ${path}: ${(e as Error).message}`);
    }
    try {
      this.init(readonly);
      this.stmt = prepareStatements(this.db);
      this.sync();
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
      if (version === 1) throw new StoreError('database has schema version 1: open it once for writing to upgrade it');
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
        if (now < SCHEMA_VERSION) this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreError('store is closed');
  }

  /**
   * Reload the catalog if another connection committed since the last look; else recompute what readers see
   * when a release time has come. Runs on every read, so a release never waits for a timer.
   */
  private sync(): void {
    const dv = this.stmt.dataVersion.get() as number;
    if (dv !== this.dataVersion) {
      if (this.db.inTransaction) this.reload();
      else this.db.transaction(() => this.reload())();
      this.dataVersion = dv;
      this.tidyCache();
    } else if (this.catalog.checkDue() !== null) {
      this.tidyCache();
    }
  }

  private reload(): void {
    const folders: Folder[] = [];
    for (const r of this.stmt.folders.all() as FolderRow[]) {
      const id = r.path.slice(r.path.lastIndexOf('/') + 1);
      folders.push({ path: r.path, id, label: parseJson<Texts>(r.labels, `folder ${r.path}`), sort: r.sort });
    }
    this.catalog.resetFolders(folders);
    const seen = new Set<string>();
    for (const r of this.stmt.tables.all() as TableRow[]) {
      seen.add(r.id);
      const prev = this.catalog.released.get(r.id);
      // Every change of a table row comes with a new version: an unchanged version keeps its record object.
      if (prev && prev.version === r.version) continue;
      // a release recorded by another connection: keep the object readers already got from the pending version
      const was = this.catalog.findPending(r.id, r.version);
      const rec = was?.record ?? this.record(r, parseJson<TableMeta>(this.stmt.meta.get(r.id) as string, `table ${r.id}`));
      this.catalog.released.set(r.id, rec);
    }
    for (const id of [...this.catalog.released.keys()]) if (!seen.has(id)) this.catalog.released.delete(id);

    const pending = new Map<string, PendingVersion[]>();
    for (const r of this.stmt.pendingRows.all() as PendingRow[]) {
      const prev = this.catalog.findPending(r.id, r.version);
      let p: PendingVersion;
      if (prev && prev.releaseMs === r.release_ms) p = prev;
      else {
        const meta = parseJson<TableMeta>(this.stmt.versionMeta.get(r.id, r.version) as string, `table ${r.id} version ${r.version}`);
        p = { record: this.record(r, meta), releaseAt: r.release_at, releaseMs: r.release_ms };
      }
      let l = pending.get(r.id);
      if (!l) pending.set(r.id, (l = []));
      l.push(p);
    }
    this.catalog.pending.clear();
    for (const [id, l] of pending) this.catalog.setPending(id, l);
    this.catalog.refresh();
  }

  private record(r: TableRow, meta: TableMeta): TableRecord {
    const rec: TableRecord = {
      id: r.id,
      folders: parseJson<string[]>(r.folders, `table ${r.id}`),
      meta,
      version: r.version,
      published: r.published,
      cells: r.cells,
    };
    if (r.short_name !== null) rec.shortName = r.short_name;
    if (r.discontinued !== null) rec.discontinued = r.discontinued !== 0;
    return rec;
  }

  /** Keep cached cubes only for versions readers get now or will get at a release; a current version is unpinned. */
  private tidyCache(): void {
    for (const id of this.cache.ids()) {
      const current = this.catalog.tables.get(id)?.version;
      const coming = new Set((this.catalog.pending.get(id) ?? []).map((p) => p.record.version));
      this.cache.retain(id, (v) => v === current || coming.has(v));
      if (current !== undefined) this.cache.unpin(id, current);
    }
  }

  getFolder(path: string): Folder | undefined {
    this.ensureOpen();
    this.sync();
    return this.catalog.getFolder(path);
  }

  listChildren(path: string): FolderChild[] {
    this.ensureOpen();
    this.sync();
    return this.catalog.listChildren(path);
  }

  putFolder(path: string, label: Texts, sort?: string): void {
    this.ensureOpen();
    let folder!: Folder;
    this.db.transaction(() => {
      this.sync();
      folder = this.catalog.makeFolder(path, label, sort);
      const parent = folder.path === '' ? null : parentPath(folder.path);
      this.stmt.putFolder.run(folder.path, parent, folder.sort, JSON.stringify(folder.label));
    }).immediate();
    this.catalog.setFolder(folder);
  }

  getTable(id: string): TableRecord | undefined {
    this.ensureOpen();
    this.sync();
    return typeof id === 'string' ? this.catalog.tables.get(id) : undefined;
  }

  listTables(): TableRecord[] {
    this.ensureOpen();
    this.sync();
    return this.catalog.listTables();
  }

  async getCube(id: string, options?: GetCubeOptions): Promise<Cube> {
    this.ensureOpen();
    this.sync();
    const rec = typeof id === 'string' ? this.catalog.tables.get(id) : undefined;
    const want = options?.version;
    if (want !== undefined && want !== rec?.version) return this.getEarlierCube(id, checkVersion(want));
    if (!rec) throw new StoreError(`no table ${JSON.stringify(id)}`);
    const hit = this.cache.get(rec.id, rec.version);
    if (hit) return { meta: rec.meta, values: hit.values, status: hit.status };
    const cells = this.load(rec.id, rec.version, rec.meta);
    this.cache.set(rec.id, rec.version, cells);
    return { meta: rec.meta, values: cells.values, status: cells.status };
  }

  /** A released version other than the current one. Scheduled versions under embargo read as absent. */
  private getEarlierCube(id: string, version: number): Cube {
    const absent = () => new StoreError(`table ${JSON.stringify(id)} has no version ${version}`);
    if (typeof id !== 'string') throw absent();
    const row = this.stmt.versionRow.get(id, version) as VersionRow | undefined;
    if (!row || (row.pending === 1 && (row.release_ms ?? 0) > this.clock())) throw absent();
    const meta = this.catalog.findPending(id, version)?.record.meta ?? parseJson<TableMeta>(row.meta, `table ${id} version ${version}`);
    let cells = this.cache.get(id, version);
    if (!cells) {
      cells = this.load(id, version, meta);
      this.cache.set(id, version, cells);
    }
    return { meta, values: cells.values, status: cells.status };
  }

  /** Read one version's cube data: its size and every chunk in one read transaction, decoded and checked. */
  private load(id: string, version: number, meta: TableMeta): CubeCells {
    const chunks: Uint8Array[] = [];
    this.db.transaction(() => {
      const bytes = this.stmt.dataBytes.get(id, version) as number | undefined;
      if (bytes === undefined) throw new StoreError(`no table ${JSON.stringify(id)} version ${version}`);
      let at = 0;
      for (const chunk of this.stmt.chunks.iterate(id, version) as IterableIterator<Buffer>) {
        if (at + chunk.length > bytes) throw new StoreError(`table ${id}: cube data longer than recorded`);
        chunks.push(chunk);
        at += chunk.length;
      }
      if (at !== bytes) throw new StoreError(`table ${id}: cube data incomplete (${at} of ${bytes} bytes)`);
    })();
    this.loadCount++;
    let cells: CubeCells;
    try {
      // decoded from the chunks as read: values go straight into the cube's own arrays, no joined copy
      cells = decodeCubeChunks(chunks);
    } catch (e) {
      throw new StoreError(`table ${id}: corrupt cube data: ${(e as Error).message}`);
    }
    if (cells.values.length !== cellCount(meta)) throw new StoreError(`table ${id}: cube data does not match its metadata`);
    return cells;
  }

  /** Write one version's row and chunks (inside the caller's write transaction). */
  private writeVersion(rec: TableRecord, metaJson: string, data: Uint8Array, release?: { iso: string; ms: number }): void {
    for (let at = 0, seq = 0; at < data.length || seq === 0; at += this.chunkBytes, seq++) {
      this.stmt.putChunk.run(rec.id, rec.version, seq, data.subarray(at, Math.min(data.length, at + this.chunkBytes)));
    }
    this.stmt.putVersion.run({
      ...rowOf(rec, metaJson, data.length),
      release_at: release?.iso ?? null,
      release_ms: release?.ms ?? null,
      pending: release ? 1 : 0,
    });
    this.stmt.putLastVersion.run(rec.id, rec.version);
  }

  putTable(cube: Cube, options?: PutTableOptions): TableRecord {
    this.ensureOpen();
    const c = validateCube(cube);
    // Encode outside the write lock: it is the costly part.
    const data = encodeCube(c.values, c.status ?? null);
    const metaJson = JSON.stringify(c.meta);
    let rec!: TableRecord;
    let released: { id: string; version: number }[] = [];
    this.db.transaction(() => {
      this.sync(); // decide the version from what is committed now, not from a stale catalog
      // releases due before this put are recorded first, so this version is the one released last
      released = this.recordDue();
      const last = (this.stmt.lastVersion.get(c.meta.id) as number | undefined) ?? 0;
      rec = this.catalog.makeRecord(c, options, last, (p) => p === '' || this.stmt.folderExists.get(p) !== undefined);
      this.writeVersion(rec, metaJson, data);
      this.stmt.putTable.run(rowOf(rec, metaJson, data.length));
    }).immediate();
    this.applyReleased(released);
    // The record keeps its own parsed copy of the metadata, as a reload would, so later edits of the
    // caller's object cannot change what the store serves.
    rec.meta = JSON.parse(metaJson) as TableMeta;
    this.catalog.setTable(rec);
    this.tidyCache();
    return rec;
  }

  scheduleTable(cube: Cube, options: ScheduleOptions): ScheduledRelease {
    this.ensureOpen();
    if (options === null || typeof options !== 'object') throw new StoreError('schedule options must be an object with releaseAt');
    const release = parseReleaseTime(options.releaseAt);
    const c = validateCube(cube);
    const data = encodeCube(c.values, c.status ?? null);
    const metaJson = JSON.stringify(c.meta);
    const put: PutTableOptions = { folders: options.folders, shortName: options.shortName, discontinued: options.discontinued, published: release.iso };
    let rec!: TableRecord;
    this.db.transaction(() => {
      this.sync();
      const last = (this.stmt.lastVersion.get(c.meta.id) as number | undefined) ?? 0;
      const exists = (p: string) => p === '' || this.stmt.folderExists.get(p) !== undefined;
      rec = this.catalog.makeRecord(c, put, last, exists, this.catalog.latest(c.meta.id));
      this.writeVersion(rec, metaJson, data, release);
    }).immediate();
    rec.meta = JSON.parse(metaJson) as TableMeta;
    const p: PendingVersion = { record: rec, releaseAt: release.iso, releaseMs: release.ms };
    this.catalog.setPending(rec.id, [...(this.catalog.pending.get(rec.id) ?? []), p]);
    this.catalog.refresh();
    if (release.ms <= this.clock()) this.releaseDue(); // a time already past: released now
    this.tidyCache();
    return { record: rec, releaseAt: release.iso };
  }

  listScheduled(): ScheduledRelease[] {
    this.ensureOpen();
    this.sync();
    return this.catalog.embargoed().map((p) => ({ record: p.record, releaseAt: p.releaseAt }));
  }

  cancelRelease(id: string, version?: number): number[] {
    this.ensureOpen();
    if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
    if (version !== undefined) checkVersion(version);
    let cancelled: PendingVersion[] = [];
    this.db.transaction(() => {
      this.sync();
      cancelled = this.catalog.cancellable(id, version);
      for (const p of cancelled) {
        this.stmt.dropPendingVersion.run(id, p.record.version);
        this.stmt.dropVersionChunks.run(id, p.record.version);
      }
    }).immediate();
    if (!cancelled.length) return [];
    this.catalog.setPending(id, (this.catalog.pending.get(id) ?? []).filter((p) => !cancelled.includes(p)));
    this.catalog.refresh();
    this.tidyCache();
    return cancelled.map((p) => p.record.version);
  }

  /** Scheduled versions that may still be cancelled or moved (their time has not come). */
  rescheduleRelease(id: string, version: number, releaseAt: string): ScheduledRelease {
    this.ensureOpen();
    if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
    checkVersion(version);
    const release = parseReleaseTime(releaseAt);
    let old!: PendingVersion;
    this.db.transaction(() => {
      this.sync();
      old = this.catalog.cancellable(id, version)[0];
      this.stmt.setRelease.run(release.iso, release.ms, release.iso, id, version);
    }).immediate();
    const p: PendingVersion = { record: { ...old.record, published: release.iso }, releaseAt: release.iso, releaseMs: release.ms };
    this.catalog.setPending(id, (this.catalog.pending.get(id) ?? []).map((x) => (x === old ? p : x)));
    this.catalog.refresh();
    if (release.ms <= this.clock()) this.releaseDue();
    this.tidyCache();
    return { record: p.record, releaseAt: p.releaseAt };
  }

  /** Record in `tables` the scheduled versions whose time has come (inside a write transaction). */
  private recordDue(): { id: string; version: number }[] {
    const due = this.stmt.dueRows.all(this.clock()) as { id: string; version: number }[];
    for (const d of due) {
      this.stmt.recordRelease.run(d.id, d.version);
      this.stmt.markReleased.run(d.id, d.version);
    }
    return due;
  }

  /** Mirror recorded releases in the catalog (after their transaction committed). */
  private applyReleased(due: { id: string; version: number }[]): TableRecord[] {
    const out: TableRecord[] = [];
    for (const d of due) {
      const p = this.catalog.findPending(d.id, d.version);
      if (p) {
        this.catalog.markReleased(p);
        out.push(p.record);
      } else {
        this.dataVersion = -1; // not what the catalog expected: reload on the next read
      }
    }
    if (due.length) this.catalog.refresh();
    return out;
  }

  releaseDue(): TableRecord[] {
    this.ensureOpen();
    if (this.readonly) {
      this.sync();
      return [];
    }
    let due: { id: string; version: number }[] = [];
    this.db.transaction(() => {
      this.sync();
      due = this.recordDue();
    }).immediate();
    const out = this.applyReleased(due);
    this.tidyCache();
    return out;
  }

  async prepareRelease(id: string, version: number): Promise<PreparedRelease> {
    this.ensureOpen();
    this.sync();
    const { meta, pending: p } = this.catalog.releaseTarget(id, version);
    if (this.cache.has(id, version)) return { id, version, cells: cellCount(meta), loaded: false, cached: true };
    const cells = this.load(id, version, meta);
    const cached = this.cache.set(id, version, cells, !!p && p.releaseMs > this.clock());
    return { id, version, cells: cells.values.length, loaded: true, cached };
  }

  listVersions(id: string, options?: ListVersionsOptions): VersionInfo[] {
    this.ensureOpen();
    this.sync();
    if (typeof id !== 'string') return [];
    const now = this.clock();
    const current = this.catalog.tables.get(id)?.version;
    const out: VersionInfo[] = [];
    for (const r of this.stmt.versionList.all(id) as VersionRow[]) {
      const pending = r.pending === 1 && (r.release_ms ?? 0) > now;
      if (pending && !options?.includePending) continue;
      const meta = parseJson<TableMeta>(r.meta, `table ${id} version ${r.version}`);
      const v: VersionInfo = { id, version: r.version, title: meta.title, cells: r.cells, published: r.published, pending, current: r.version === current };
      if (r.release_at !== null) v.releaseAt = r.release_at;
      out.push(v);
    }
    return out;
  }

  deleteTable(id: string): boolean {
    this.ensureOpen();
    if (typeof id !== 'string') return false;
    let removed = false;
    this.db.transaction(() => {
      const a = this.stmt.dropTable.run(id).changes;
      const b = this.stmt.dropVersions.run(id).changes;
      this.stmt.dropChunks.run(id);
      removed = a + b > 0;
    }).immediate();
    this.catalog.removeTable(id);
    this.cache.delete(id);
    return removed;
  }

  now(): number {
    return this.clock();
  }

  /** Figures of the cube cache (for tests, benchmarks and health output). */
  cacheStats(): CubeCacheStats {
    return this.cache.stats();
  }

  /** How many times cube data was read from the file (cache misses that went to SQLite). */
  get cubeLoads(): number {
    return this.loadCount;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.db.close();
  }
}

function rowOf(rec: TableRecord, metaJson: string, dataBytes: number) {
  return {
    id: rec.id,
    folders: JSON.stringify(rec.folders),
    short_name: rec.shortName ?? null,
    version: rec.version,
    published: rec.published,
    cells: rec.cells,
    discontinued: rec.discontinued === undefined ? null : rec.discontinued ? 1 : 0,
    meta: metaJson,
    data_bytes: dataBytes,
  };
}

function prepareStatements(db: Database.Database) {
  return {
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    folders: db.prepare('SELECT path, sort, labels FROM folders'),
    folderExists: db.prepare('SELECT 1 FROM folders WHERE path = ?').pluck(),
    tables: db.prepare('SELECT id, folders, short_name, version, published, cells, discontinued FROM tables'),
    meta: db.prepare('SELECT meta FROM tables WHERE id = ?').pluck(),
    pendingRows: db.prepare(
      `SELECT table_id AS id, folders, short_name, version, published, cells, discontinued, release_at, release_ms
       FROM versions WHERE pending = 1`,
    ),
    versionMeta: db.prepare('SELECT meta FROM versions WHERE table_id = ? AND version = ?').pluck(),
    versionRow: db.prepare(
      'SELECT version, published, cells, release_at, release_ms, pending, meta FROM versions WHERE table_id = ? AND version = ?',
    ),
    versionList: db.prepare(
      'SELECT version, published, cells, release_at, release_ms, pending, meta FROM versions WHERE table_id = ? ORDER BY version',
    ),
    dataBytes: db.prepare('SELECT data_bytes FROM versions WHERE table_id = ? AND version = ?').pluck(),
    lastVersion: db.prepare('SELECT last FROM table_versions WHERE id = ?').pluck(),
    chunks: db.prepare('SELECT data FROM cube_data WHERE table_id = ? AND version = ? ORDER BY seq').pluck(),
    putFolder: db.prepare(
      `INSERT INTO folders (path, parent, sort, labels) VALUES (?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET parent = excluded.parent, sort = excluded.sort, labels = excluded.labels`,
    ),
    putChunk: db.prepare('INSERT INTO cube_data (table_id, version, seq, data) VALUES (?, ?, ?, ?)'),
    putVersion: db.prepare(
      `INSERT INTO versions (table_id, version, folders, short_name, published, cells, discontinued, meta, data_bytes, release_at, release_ms, pending)
       VALUES (@id, @version, @folders, @short_name, @published, @cells, @discontinued, @meta, @data_bytes, @release_at, @release_ms, @pending)`,
    ),
    putTable: db.prepare(
      `INSERT INTO tables (id, folders, short_name, version, published, cells, discontinued, meta, data_bytes)
       VALUES (@id, @folders, @short_name, @version, @published, @cells, @discontinued, @meta, @data_bytes)
       ON CONFLICT(id) DO UPDATE SET folders = excluded.folders, short_name = excluded.short_name,
         version = excluded.version, published = excluded.published, cells = excluded.cells,
         discontinued = excluded.discontinued, meta = excluded.meta, data_bytes = excluded.data_bytes`,
    ),
    putLastVersion: db.prepare(
      'INSERT INTO table_versions (id, last) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET last = excluded.last',
    ),
    dueRows: db.prepare(
      'SELECT table_id AS id, version FROM versions WHERE pending = 1 AND release_ms <= ? ORDER BY release_ms, version',
    ),
    recordRelease: db.prepare(
      `INSERT INTO tables (id, folders, short_name, version, published, cells, discontinued, meta, data_bytes)
       SELECT table_id, folders, short_name, version, published, cells, discontinued, meta, data_bytes
       FROM versions WHERE table_id = ? AND version = ?
       ON CONFLICT(id) DO UPDATE SET folders = excluded.folders, short_name = excluded.short_name,
         version = excluded.version, published = excluded.published, cells = excluded.cells,
         discontinued = excluded.discontinued, meta = excluded.meta, data_bytes = excluded.data_bytes`,
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
