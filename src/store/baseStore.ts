// What the persistent adapters (SQLite, PostgreSQL) share: the Store port's rules written once over a small set
// of persistence operations each adapter provides.
//
// - Reads go to the in-memory catalog (catalog.ts) after `look()`: the adapter catches up with the database
//   (SQLite: another connection's commits), else the catalog re-checks release times against the clock, so a
//   release shows at its instant whether or not a timer fired.
// - Every write is `write(f)`: `f` decides from a fresh catalog (versions, records, what is due) and calls the
//   persist* operations, which the adapter commits together (SQLite: one immediate transaction; PostgreSQL: one
//   queued transaction). Only after `write` returns does the catalog change, so a refused write changes nothing
//   readers see.
// - Cube data: the adapter reads one version's chunks; decoding, the checks, the byte-bounded cache (keyed by id
//   and version, warmed releases pinned until current) and the load count live here.

import { createHash } from 'node:crypto';
import { cellCount, type Cube, type TableMeta, type Texts } from '../core/model.js';
import { Catalog, releaseLimit, StoreError, summarize, checkVersion, parseReleaseTime, validateCube, type PendingVersion } from './catalog.js';
import { CubeCache, type CubeCacheStats } from './cubeCache.js';
import { decodeCubeChunks, decodeCubeChunksYielding, encodeCube, type CubeCells } from './cubeCodec.js';

/** One turn of the event loop (other requests' callbacks run). */
export const yieldTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
import type {
  Folder,
  FolderChild,
  GetCubeOptions,
  ListVersionsOptions,
  PreparedRelease,
  PutTableOptions,
  ScheduledRelease,
  TableChanges,
  ScheduleOptions,
  Store,
  TableRecord,
  VersionInfo,
} from './store.js';

const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

export interface BaseStoreOptions {
  /** Byte budget of the cube cache (default 512 MiB). */
  cacheBytes?: number;
  /** The clock release times are compared with (epoch ms; default Date.now). */
  now?: () => number;
}

/** A release time, checked. */
export interface ReleaseTime {
  iso: string;
  ms: number;
}

/** One stored version as listVersions needs it. */
export interface StoredVersionInfo {
  version: number;
  title: Texts;
  cells: number;
  published: string;
  releaseAt?: string;
  /** The release time (epoch ms) of a version not yet recorded as released; undefined once released. */
  pendingUntil?: number;
}

export abstract class BaseStore implements Store {
  protected readonly catalog: Catalog;
  protected readonly cache: CubeCache;
  protected readonly clock: () => number;
  protected closed = false;
  private loadCount = 0;

  constructor(options: BaseStoreOptions = {}) {
    this.clock = typeof options.now === 'function' ? options.now : Date.now;
    this.catalog = new Catalog(this.clock);
    this.cache = new CubeCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  }

  // ---- the persistence operations of an adapter

  /** Bring the catalog up to date with the database; true when it reloaded (and tidied the cache). */
  protected abstract catchUp(): boolean;
  /** Versions (of every table or of `tableId`) with a release time at or before `nowMs`, newest release first (then id,
   * then newest version), at most `limit`. */
  protected abstract storedReleases(nowMs: number, limit: number, tableId?: string): { id: string; info: StoredVersionInfo }[];
  /** Run `f` as one write: fresh catalog first, its persist* calls committed together; a throw writes nothing. */
  protected abstract write<T>(f: () => T): T;
  /** Whether this connection may write (a read-only SQLite connection records no releases). */
  protected get writable(): boolean {
    return true;
  }
  /** The highest version the id ever had (versions never repeat, even after a delete). */
  protected abstract lastStoredVersion(id: string): number;
  protected abstract folderStored(path: string): boolean;
  protected abstract persistFolder(folder: Folder): void;
  /** A new version's record and cells; without `release` it is also the table's released version. */
  protected abstract persistVersion(rec: TableRecord, metaJson: string, data: Uint8Array, release?: ReleaseTime, contentHash?: string): void;
  /** The content hash stored with a version (see putTableIfChanged), if the adapter keeps one. */
  protected storedContentHash(_id: string, _version: number): string | undefined {
    return undefined;
  }
  /** Record a scheduled version whose time has come as the table's released version. */
  protected abstract persistRelease(id: string, version: number): void;
  protected abstract persistCancel(id: string, versions: number[]): void;
  protected abstract persistReschedule(id: string, version: number, release: ReleaseTime, record: TableRecord): void;
  /** Remove a table with every version; whether there was anything. */
  protected abstract persistDelete(id: string): boolean;
  /** One version's cube data, complete (the adapter checks the stored length). */
  protected abstract readChunks(id: string, version: number): Uint8Array[] | Promise<Uint8Array[]>;
  /**
   * One version's cells read and decoded off the serving thread (SQLite: a worker thread, for large cubes), or
   * undefined to read the chunks here (`readChunks`) and decode them between turns of the event loop.
   */
  protected loadElsewhere(_id: string, _version: number): Promise<CubeCells> | undefined {
    return undefined;
  }
  /** The metadata of a version readers may get by number (released by now), else undefined. */
  protected abstract releasedVersionMeta(id: string, version: number): TableMeta | undefined;
  /** Every stored version of a table, oldest first. */
  protected abstract storedVersions(id: string): StoredVersionInfo[];
  /**
   * Make a just-written record the store's own: by default it keeps its own parsed copy of the metadata, so later
   * edits of the caller's object change nothing (an adapter may instead read the metadata lazily).
   */
  protected adoptRecord(rec: TableRecord, metaJson: string): void {
    rec.meta = JSON.parse(metaJson) as TableMeta;
    rec.summary = summarize(rec.meta);
  }
  /** Whether a cached version that is neither current nor coming may stay cached. */
  protected keepCached(_id: string, _version: number): boolean {
    return false;
  }
  abstract close(): void;

  // ---- shared rules

  protected ensureOpen(): void {
    if (this.closed) throw new StoreError('store is closed');
  }

  /**
   * What an operation needs of the catalogue, for an adapter that loads it lazily (a SQLite store opened for an
   * import): `null` the whole catalogue (listings, search, releases), a table id that table's record and scheduled
   * versions. Adapters that hold the whole catalogue need nothing.
   */
  protected need(_scope: string | null): void {}

  /**
   * Before every read and write: up to date with the database and the clock. `scope`: what the operation reads of
   * the catalogue (see `need`; undefined: the folders only).
   */
  protected look(scope?: string | null): void {
    this.ensureOpen();
    if (!this.catchUp() && this.catalog.checkDue() !== null) this.tidyCache();
    if (scope !== undefined) this.need(scope);
  }

  /** Keep cached cubes only for versions readers get now or will get at a release; a current version is unpinned. */
  protected tidyCache(): void {
    for (const id of this.cache.ids()) {
      const current = this.catalog.tables.get(id)?.version;
      const coming = new Set((this.catalog.pending.get(id) ?? []).map((p) => p.record.version));
      this.cache.retain(id, (v) => v === current || coming.has(v) || this.keepCached(id, v));
      if (current !== undefined) this.cache.unpin(id, current);
    }
  }

  private readonly folderExists = (p: string) => p === '' || this.folderStored(p);

  getFolder(path: string): Folder | undefined {
    this.look();
    return this.catalog.getFolder(path);
  }

  listChildren(path: string): FolderChild[] {
    this.look(null);
    return this.catalog.listChildren(path);
  }

  putFolder(path: string, label: Texts, sort?: string): void {
    this.ensureOpen();
    const folder = this.write(() => {
      const f = this.catalog.makeFolder(path, label, sort);
      this.persistFolder(f);
      return f;
    });
    this.catalog.setFolder(folder);
  }

  getTable(id: string): TableRecord | undefined {
    this.look(typeof id === 'string' ? id : undefined);
    return typeof id === 'string' ? this.catalog.tables.get(id) : undefined;
  }

  listTables(): TableRecord[] {
    this.look(null);
    return this.catalog.listTables();
  }

  async getCube(id: string, options?: GetCubeOptions): Promise<Cube> {
    this.look(typeof id === 'string' ? id : undefined);
    const rec = typeof id === 'string' ? this.catalog.tables.get(id) : undefined;
    const want = options?.version;
    let meta: TableMeta;
    let version: number;
    if (want !== undefined && want !== rec?.version) {
      version = checkVersion(want);
      const m =
        typeof id !== 'string'
          ? undefined
          : (this.releasedVersionMeta(id, version) ?? (options?.includePending ? this.catalog.findPending(id, version)?.record.meta : undefined));
      if (!m) throw new StoreError(`table ${JSON.stringify(id)} has no version ${want}`);
      meta = m;
    } else {
      if (!rec) throw new StoreError(`no table ${JSON.stringify(id)}`);
      meta = rec.meta;
      version = rec.version;
    }
    let cells = this.cache.get(id, version);
    if (!cells) {
      cells = await this.loadCells(id, version, meta);
      this.cache.set(id, version, cells);
    }
    return { meta, values: cells.values, status: cells.status };
  }

  /** Read, decode and check one version's cells. */
  private async loadCells(id: string, version: number, meta: TableMeta): Promise<CubeCells> {
    const elsewhere = this.loadElsewhere(id, version);
    if (elsewhere) {
      const cells = await elsewhere;
      this.loadCount++;
      if (cells.values.length !== cellCount(meta)) throw new StoreError(`table ${id}: cube data does not match its metadata`);
      return cells;
    }
    const chunks = await this.readChunks(id, version);
    this.loadCount++;
    let cells: CubeCells;
    try {
      // decoded from the chunks as read: values go straight into the cube's own arrays, no joined copy; a turn
      // of the event loop between chunks, so a large cold load does not hold up other requests
      cells = chunks.length > 1 ? await decodeCubeChunksYielding(chunks, yieldTurn) : decodeCubeChunks(chunks);
    } catch (e) {
      throw new StoreError(`table ${id}: corrupt cube data: ${(e as Error).message}`);
    }
    if (cells.values.length !== cellCount(meta)) throw new StoreError(`table ${id}: cube data does not match its metadata`);
    return cells;
  }

  /** Scheduled versions whose time has come, recorded as released (inside `write`). */
  private persistDue(): PendingVersion[] {
    const due = this.catalog.dueVersions();
    for (const p of due) this.persistRelease(p.record.id, p.record.version);
    return due;
  }

  /** Mirror recorded releases in the catalog (after their write). */
  private markReleased(due: PendingVersion[]): TableRecord[] {
    for (const p of due) this.catalog.markReleased(p);
    // what readers see changes only for these tables (and not at all when the clock had flipped them already)
    if (due.length) this.catalog.refreshTables(due.map((p) => p.record.id));
    return due.map((p) => p.record);
  }

  putTable(cube: Cube, options?: PutTableOptions): TableRecord {
    return this.putTableIfChanged(cube, options, false).record;
  }

  /**
   * Store a table unless its current version has the same content (metadata and cells, by a hash kept with each
   * version) and the same folders, short name and discontinued flag: a whole-catalogue import can be run again and
   * skips what it stored before. `stored` says whether a new version was written. Adapters that keep no hash always
   * store.
   */
  putTableIfChanged(cube: Cube, options?: PutTableOptions, skipSame = true): { record: TableRecord; stored: boolean } {
    this.look();
    const c = validateCube(cube);
    this.need(c.meta.id);
    // Encode outside the write: it is the costly part.
    const data = encodeCube(c.values, c.status ?? null);
    const metaJson = JSON.stringify(c.meta);
    const hash = createHash('sha256').update(metaJson).update(data).digest('base64url');
    if (skipSame) {
      const cur = this.catalog.tables.get(c.meta.id);
      const o = options ?? {};
      const same =
        cur &&
        !this.catalog.pending.get(cur.id)?.length &&
        this.storedContentHash(cur.id, cur.version) === hash &&
        (o.folders === undefined || JSON.stringify(o.folders.map((f) => f.split('/').filter(Boolean).join('/'))) === JSON.stringify(cur.folders)) &&
        (o.shortName === undefined || o.shortName === cur.shortName) &&
        (o.discontinued === undefined || !!o.discontinued === !!cur.discontinued);
      if (same) return { record: cur, stored: false };
    }
    const { rec, due } = this.write(() => {
      const rec = this.catalog.makeRecord(c, options, this.lastStoredVersion(c.meta.id), this.folderExists);
      // releases due before this put are recorded first, so this version is the one released last
      const due = this.persistDue();
      this.persistVersion(rec, metaJson, data, undefined, hash);
      return { rec, due };
    });
    this.markReleased(due);
    this.adoptRecord(rec, metaJson);
    this.catalog.setTable(rec);
    this.tidyCache();
    return { record: rec, stored: true };
  }

  scheduleTable(cube: Cube, options: ScheduleOptions): ScheduledRelease {
    this.look();
    if (options === null || typeof options !== 'object') throw new StoreError('schedule options must be an object with releaseAt');
    const release = parseReleaseTime(options.releaseAt);
    const c = validateCube(cube);
    this.need(c.meta.id);
    const data = encodeCube(c.values, c.status ?? null);
    const metaJson = JSON.stringify(c.meta);
    const put: PutTableOptions = { folders: options.folders, shortName: options.shortName, discontinued: options.discontinued, published: release.iso };
    const rec = this.write(() => {
      const id = c.meta.id;
      const rec = this.catalog.makeRecord(c, put, this.lastStoredVersion(id), this.folderExists, this.catalog.latest(id));
      this.persistVersion(rec, metaJson, data, release);
      return rec;
    });
    this.adoptRecord(rec, metaJson);
    this.catalog.setPending(rec.id, [...(this.catalog.pending.get(rec.id) ?? []), { record: rec, releaseAt: release.iso, releaseMs: release.ms }]);
    this.catalog.refresh();
    if (release.ms <= this.clock()) this.releaseDue(); // a time already past: released now
    this.tidyCache();
    return { record: rec, releaseAt: release.iso };
  }

  listScheduled(tableId?: string): ScheduledRelease[] {
    this.look(tableId ?? null);
    return this.catalog.embargoed(tableId).map((p) => ({ record: p.record, releaseAt: p.releaseAt }));
  }

  /** Scheduled versions whose time has not come (for cancel and reschedule). */
  cancelRelease(id: string, version?: number): number[] {
    this.look();
    if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
    this.need(id);
    if (version !== undefined) checkVersion(version);
    const gone = this.write(() => {
      const gone = this.catalog.cancellable(id, version);
      if (gone.length) this.persistCancel(id, gone.map((p) => p.record.version));
      return gone;
    });
    if (!gone.length) return [];
    this.catalog.setPending(id, (this.catalog.pending.get(id) ?? []).filter((p) => !gone.includes(p)));
    for (const p of gone) this.cache.deleteVersion(id, p.record.version);
    this.catalog.refresh();
    this.tidyCache();
    return gone.map((p) => p.record.version);
  }

  rescheduleRelease(id: string, version: number, releaseAt: string): ScheduledRelease {
    this.look();
    if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
    this.need(id);
    checkVersion(version);
    const release = parseReleaseTime(releaseAt);
    const { old, moved } = this.write(() => {
      const old = this.catalog.cancellable(id, version)[0];
      const moved: PendingVersion = { record: { ...old.record, published: release.iso }, releaseAt: release.iso, releaseMs: release.ms };
      this.persistReschedule(id, version, release, moved.record);
      return { old, moved };
    });
    this.catalog.setPending(id, (this.catalog.pending.get(id) ?? []).map((x) => (x === old ? moved : x)));
    this.catalog.refresh();
    if (release.ms <= this.clock()) this.releaseDue();
    this.tidyCache();
    return { record: moved.record, releaseAt: moved.releaseAt };
  }

  tableChanges(since?: number): TableChanges {
    this.look();
    return this.catalog.changes(since);
  }

  releaseDue(): TableRecord[] {
    this.look(null);
    // nothing due: no write transaction (the scheduler asks on every tick). A version scheduled elsewhere for a time
    // already past is recorded by the process that scheduled it.
    if (!this.writable || !this.catalog.dueVersions().length) return [];
    const due = this.write(() => this.persistDue());
    const out = this.markReleased(due);
    this.tidyCache();
    return out;
  }

  async prepareRelease(id: string, version: number): Promise<PreparedRelease> {
    this.look(typeof id === 'string' ? id : undefined);
    const { meta, pending: p } = this.catalog.releaseTarget(id, version);
    if (this.cache.has(id, version)) return { id, version, cells: cellCount(meta), loaded: false, cached: true };
    const cells = await this.loadCells(id, version, meta);
    const cached = this.cache.set(id, version, cells, !!p && p.releaseMs > this.clock());
    return { id, version, cells: cells.values.length, loaded: true, cached };
  }

  listVersions(id: string, options?: ListVersionsOptions): VersionInfo[] {
    this.look(typeof id === 'string' ? id : undefined);
    if (typeof id !== 'string') return [];
    const now = this.clock();
    const current = this.catalog.tables.get(id)?.version;
    const out: VersionInfo[] = [];
    for (const s of this.storedVersions(id)) {
      const pending = s.pendingUntil !== undefined && s.pendingUntil > now;
      if (pending && !options?.includePending) continue;
      const v: VersionInfo = { id, version: s.version, title: s.title, cells: s.cells, published: s.published, pending, current: s.version === current };
      if (s.releaseAt !== undefined) v.releaseAt = s.releaseAt;
      out.push(v);
    }
    return out;
  }

  listReleases(limit: number, tableId?: string): VersionInfo[] {
    this.look(tableId ?? null);
    const n = releaseLimit(limit);
    if (!n) return [];
    return this.storedReleases(this.clock(), n, tableId).map(({ id, info }) => ({
      id,
      version: info.version,
      title: info.title,
      cells: info.cells,
      published: info.published,
      pending: false,
      current: this.catalog.tables.get(id)?.version === info.version,
      releaseAt: info.releaseAt,
    }));
  }

  deleteTable(id: string): boolean {
    this.ensureOpen();
    if (typeof id !== 'string') return false;
    const removed = this.write(() => this.persistDelete(id));
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

  /** How many times cube data was read from the database (cache misses). */
  get cubeLoads(): number {
    return this.loadCount;
  }
}
