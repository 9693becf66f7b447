// A Store on PostgreSQL, for several server nodes sharing one database.
//
// - The port's writes are synchronous; a network database is not. Each write therefore changes this node's
//   in-memory catalog at once (same rules and validation as the other adapters, catalog.ts) and is persisted
//   through a serialized write queue: one transaction per write, so other nodes see whole versions. `flush()`
//   resolves when every queued write is committed, and rejects with the first write that failed (after a failed
//   write this node's memory may be ahead of the database: reopen to resynchronise).
// - What differs from the SQLite adapter: a write is durable only after `flush()`; a write rejected by the
//   database (e.g. two nodes writing the same table at the same time, which races on the version number) is
//   reported by `flush()`, not thrown by the write call. Other nodes see a change once it is committed and its
//   NOTIFY has arrived (milliseconds), not at the next read.
// - Other nodes learn of changes through LISTEN/NOTIFY (channel `statbank_store`, payload: the origin node and
//   the table id or "folders"); a notified node reloads only what changed, queued behind its own writes.
// - Cube data: the codec's encoding (cubeCodec.ts) in `bytea` chunks per table version; every version is kept.
//   `getCube` waits for this node's queued writes, then loads lazily through the byte-bounded CubeCache.
// - Release times are compared with the clock on every read (catalog.ts), so every node flips at the same
//   instant; `releaseDue` records the releases in `tables` (housekeeping).
// - Every version's record (metadata included) is held in memory for `listVersions`.

import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { cellCount, type Cube, type TableMeta, type Texts } from '../core/model.js';
import { Catalog, StoreError, checkVersion, parseReleaseTime, validateCube, type PendingVersion } from './catalog.js';
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

export interface PostgresStoreOptions {
  connectionString: string;
  /** Byte budget of the cube cache (default 512 MiB). */
  cacheBytes?: number;
  /** Size of the bytea chunks cube data is stored in (default 8 MiB; tests use small ones). */
  chunkBytes?: number;
  /** The clock release times are compared with (epoch ms; default Date.now). */
  now?: () => number;
}

const CHANNEL = 'statbank_store';
const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS statbank_folders (
  path   TEXT PRIMARY KEY,
  sort   TEXT NOT NULL,
  labels TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS statbank_versions (
  table_id     TEXT NOT NULL,
  version      INTEGER NOT NULL,
  folders      TEXT NOT NULL,
  short_name   TEXT,
  published    TEXT NOT NULL,
  cells        BIGINT NOT NULL,
  discontinued BOOLEAN,
  meta         TEXT NOT NULL,
  data_bytes   BIGINT NOT NULL,
  release_at   TEXT,
  release_ms   BIGINT,
  pending      BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (table_id, version)
);
CREATE TABLE IF NOT EXISTS statbank_cube_data (
  table_id TEXT NOT NULL,
  version  INTEGER NOT NULL,
  seq      INTEGER NOT NULL,
  data     BYTEA NOT NULL,
  PRIMARY KEY (table_id, version, seq)
);
-- each table's released version
CREATE TABLE IF NOT EXISTS statbank_tables (
  id      TEXT PRIMARY KEY,
  version INTEGER NOT NULL
);
-- the highest version each id ever had, so versions never repeat after a delete
CREATE TABLE IF NOT EXISTS statbank_last_version (
  id   TEXT PRIMARY KEY,
  last INTEGER NOT NULL
);
`;

interface VersionRow {
  table_id: string;
  version: number;
  folders: string;
  short_name: string | null;
  published: string;
  cells: number;
  discontinued: boolean | null;
  meta: string;
  release_at: string | null;
  release_ms: number | null;
  pending: boolean;
}

const VERSION_COLUMNS =
  'table_id, version, folders, short_name, published, cells::float8 AS cells, discontinued, meta, release_at, release_ms::float8 AS release_ms, pending';

/** A stored version as this node knows it. */
interface Known {
  record: TableRecord;
  releaseAt?: string;
}

type Tx = (c: pg.PoolClient) => Promise<void>;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  if (!options || typeof options.connectionString !== 'string' || options.connectionString === '') {
    throw new StoreError('connectionString must be a non-empty string');
  }
  const s = new PostgresStore(options);
  try {
    await s.init();
  } catch (e) {
    await s.closeAsync();
    throw e instanceof StoreError ? e : new StoreError(`cannot use database: ${(e as Error).message}`);
  }
  return s;
}

export class PostgresStore implements Store {
  /** The connection pool (shared with the saved queries kept in the same database). */
  readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private readonly catalog: Catalog;
  private readonly cache: CubeCache;
  private readonly clock: () => number;
  private readonly chunkBytes: number;
  private readonly origin = randomUUID();
  /** Every stored version this node knows, per table. */
  private readonly versions = new Map<string, Map<number, Known>>();
  private readonly lastVersion = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;
  private loadCount = 0;

  constructor(options: PostgresStoreOptions) {
    this.clock = typeof options.now === 'function' ? options.now : Date.now;
    this.catalog = new Catalog(this.clock);
    this.cache = new CubeCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    const cb = options.chunkBytes;
    this.chunkBytes = cb !== undefined && Number.isInteger(cb) && cb >= 64 ? cb : DEFAULT_CHUNK_BYTES;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 4 });
    // an idle client losing its connection must not crash the process
    this.pool.on('error', () => {});
  }

  /** Connect, create the schema if missing, listen for other nodes, load the catalog. */
  async init(): Promise<void> {
    const c = await this.pool.connect();
    try {
      // two nodes starting together must not race on CREATE TABLE
      await c.query('BEGIN');
      await c.query("SELECT pg_advisory_xact_lock(hashtext('statbank_store_schema'))");
      await c.query(SCHEMA);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
    const l = new pg.Client({ connectionString: (this.pool.options as { connectionString: string }).connectionString });
    l.on('error', () => {});
    await l.connect();
    this.listener = l;
    l.on('notification', (m) => this.onNotify(m.payload));
    await l.query(`LISTEN ${CHANNEL}`);
    // listening first: a change committed during the load is reloaded again when its notice arrives
    await this.reloadFolders();
    await this.reloadTables(null);
  }

  private onNotify(payload: string | undefined): void {
    if (this.closed || !payload) return;
    let msg: { o?: unknown; id?: unknown; f?: unknown };
    try {
      msg = JSON.parse(payload) as typeof msg;
    } catch {
      return;
    }
    if (msg.o === this.origin) return;
    // behind this node's own queued writes, so a reload never undoes them in memory
    const job = msg.f ? () => this.reloadFolders() : typeof msg.id === 'string' ? ((id: string) => () => this.reloadTables(id))(msg.id) : null;
    if (!job) return;
    this.queue = this.queue.then(job).catch((e: Error) => {
      this.failure ??= e;
    });
  }

  private async reloadFolders(): Promise<void> {
    const r = await this.pool.query<{ path: string; sort: string; labels: string }>('SELECT path, sort, labels FROM statbank_folders');
    const list: Folder[] = r.rows.map((row) => ({
      path: row.path,
      id: row.path.slice(row.path.lastIndexOf('/') + 1),
      label: parseJson<Texts>(row.labels, `folder ${row.path}`),
      sort: row.sort,
    }));
    this.catalog.resetFolders(list);
  }

  /** Reload one table (or every table when `only` is null) from the database into the catalog. */
  private async reloadTables(only: string | null): Promise<void> {
    const c = await this.pool.connect();
    let rows: VersionRow[];
    let released: { id: string; version: number }[];
    let last: { id: string; last: number }[];
    try {
      // one snapshot: versions, released pointers and counters agree
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const where = only === null ? '' : ' WHERE table_id = $1';
      const args = only === null ? [] : [only];
      rows = (await c.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM statbank_versions${where} ORDER BY table_id, version`, args)).rows;
      released = (await c.query(`SELECT id, version FROM statbank_tables${only === null ? '' : ' WHERE id = $1'}`, args)).rows;
      last = (await c.query(`SELECT id, last FROM statbank_last_version${only === null ? '' : ' WHERE id = $1'}`, args)).rows;
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
    const ids = only === null ? new Set([...this.versions.keys(), ...this.catalog.released.keys(), ...this.catalog.pending.keys()]) : new Set([only]);
    const byId = new Map<string, VersionRow[]>();
    for (const r of rows) {
      ids.add(r.table_id);
      let l = byId.get(r.table_id);
      if (!l) byId.set(r.table_id, (l = []));
      l.push(r);
    }
    for (const l of last) this.lastVersion.set(l.id, Math.max(this.lastVersion.get(l.id) ?? 0, l.last));
    const releasedOf = new Map(released.map((r) => [r.id, r.version]));
    for (const id of ids) {
      const old = this.versions.get(id);
      const m = new Map<number, Known>();
      const pending: PendingVersion[] = [];
      for (const r of byId.get(id) ?? []) {
        const prev = old?.get(r.version);
        // a version never changes content; keep the object readers already hold unless its release moved
        const record = prev && prev.releaseAt === (r.release_at ?? undefined) ? prev.record : recordOf(r);
        const k: Known = { record };
        if (r.release_at !== null) k.releaseAt = r.release_at;
        m.set(r.version, k);
        if (r.pending && r.release_at !== null && r.release_ms !== null) pending.push({ record, releaseAt: r.release_at, releaseMs: r.release_ms });
      }
      if (m.size) this.versions.set(id, m);
      else this.versions.delete(id);
      const rv = releasedOf.get(id);
      const rec = rv === undefined ? undefined : m.get(rv)?.record;
      if (rec) this.catalog.released.set(id, rec);
      else this.catalog.released.delete(id);
      this.catalog.setPending(id, pending);
    }
    this.catalog.refresh();
    for (const id of ids) this.tidyCache(id);
  }

  /** Keep cached cubes only for versions readers get now or will get at a release; a current version is unpinned. */
  private tidyCache(id?: string): void {
    for (const t of id === undefined ? this.cache.ids() : [id]) {
      const current = this.catalog.tables.get(t)?.version;
      const coming = new Set((this.catalog.pending.get(t) ?? []).map((p) => p.record.version));
      this.cache.retain(t, (v) => v === current || coming.has(v) || this.versions.get(t)?.has(v) === true);
      if (current !== undefined) this.cache.unpin(t, current);
    }
  }

  /** Queue one write transaction; `notice` names what other nodes must reload. */
  private enqueue(notice: { id: string } | { f: 1 }, work: Tx): void {
    this.queue = this.queue.then(async () => {
      const c = await this.pool.connect();
      try {
        await c.query('BEGIN');
        await work(c);
        await c.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ o: this.origin, ...notice })]);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => {});
        this.failure ??= e instanceof Error ? e : new Error(String(e));
      } finally {
        c.release();
      }
    });
  }

  /** Resolves when every write made so far is committed; rejects with the first write that failed. */
  async flush(): Promise<void> {
    await this.queue;
    if (this.failure) throw new StoreError(`a write to PostgreSQL failed: ${this.failure.message}`);
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreError('store is closed');
  }

  private look(): void {
    this.ensureOpen();
    if (this.catalog.checkDue() !== null) this.tidyCache();
  }

  getFolder(path: string): Folder | undefined {
    this.look();
    return this.catalog.getFolder(path);
  }

  listChildren(path: string): FolderChild[] {
    this.look();
    return this.catalog.listChildren(path);
  }

  putFolder(path: string, label: Texts, sort?: string): void {
    this.ensureOpen();
    const f = this.catalog.makeFolder(path, label, sort);
    this.catalog.setFolder(f);
    this.enqueue({ f: 1 }, async (c) => {
      await c.query(
        `INSERT INTO statbank_folders (path, sort, labels) VALUES ($1, $2, $3)
         ON CONFLICT (path) DO UPDATE SET sort = excluded.sort, labels = excluded.labels`,
        [f.path, f.sort, JSON.stringify(f.label)],
      );
    });
  }

  getTable(id: string): TableRecord | undefined {
    this.look();
    return typeof id === 'string' ? this.catalog.tables.get(id) : undefined;
  }

  listTables(): TableRecord[] {
    this.look();
    return this.catalog.listTables();
  }

  async getCube(id: string, options?: GetCubeOptions): Promise<Cube> {
    this.look();
    const rec = typeof id === 'string' ? this.catalog.tables.get(id) : undefined;
    const want = options?.version;
    let meta: TableMeta;
    let version: number;
    if (want !== undefined && want !== rec?.version) {
      checkVersion(want);
      const k = typeof id === 'string' ? this.versions.get(id)?.get(want) : undefined;
      const p = k && this.catalog.findPending(id, want);
      if (!k || (p && p.releaseMs > this.clock())) throw new StoreError(`table ${JSON.stringify(id)} has no version ${want}`);
      meta = k.record.meta;
      version = want;
    } else {
      if (!rec) throw new StoreError(`no table ${JSON.stringify(id)}`);
      meta = rec.meta;
      version = rec.version;
    }
    let cells = this.cache.get(id, version);
    if (!cells) {
      cells = await this.load(id, version, meta);
      this.cache.set(id, version, cells);
    }
    return { meta, values: cells.values, status: cells.status };
  }

  /** Read one version's chunks (after this node's queued writes), decoded and checked. */
  private async load(id: string, version: number, meta: TableMeta): Promise<CubeCells> {
    await this.queue;
    const r = await this.pool.query<{ data_bytes: number; data: Buffer | null }>(
      `SELECT v.data_bytes::float8 AS data_bytes, c.data FROM statbank_versions v
       LEFT JOIN statbank_cube_data c ON c.table_id = v.table_id AND c.version = v.version
       WHERE v.table_id = $1 AND v.version = $2 ORDER BY c.seq`,
      [id, version],
    );
    if (!r.rows.length) throw new StoreError(`no table ${JSON.stringify(id)} version ${version}`);
    const bytes = r.rows[0].data_bytes;
    const chunks = r.rows.map((x) => x.data).filter((d): d is Buffer => d !== null);
    const got = chunks.reduce((a, b) => a + b.length, 0);
    if (got !== bytes) throw new StoreError(`table ${id}: cube data incomplete (${got} of ${bytes} bytes)`);
    this.loadCount++;
    let cells: CubeCells;
    try {
      cells = decodeCubeChunks(chunks);
    } catch (e) {
      throw new StoreError(`table ${id}: corrupt cube data (${(e as Error).message})`);
    }
    if (cells.values.length !== cellCount(meta)) throw new StoreError(`table ${id}: cube data does not match its metadata`);
    return cells;
  }

  /** Keep a new version in memory and queue its rows and chunks. */
  private store(c: Cube, rec: TableRecord, release?: { iso: string; ms: number }): void {
    rec.meta = JSON.parse(JSON.stringify(c.meta)) as TableMeta; // own copy: later edits by the caller change nothing
    const blob = encodeCube(c.values, c.status ?? null);
    let m = this.versions.get(rec.id);
    if (!m) this.versions.set(rec.id, (m = new Map()));
    const k: Known = { record: rec };
    if (release) k.releaseAt = release.iso;
    m.set(rec.version, k);
    this.lastVersion.set(rec.id, rec.version);
    const metaJson = JSON.stringify(rec.meta);
    const chunkBytes = this.chunkBytes;
    this.enqueue({ id: rec.id }, async (db) => {
      // versions never repeat: another node that wrote this table meanwhile makes this write fail
      // (a lock per table id: a FOR UPDATE cannot lock the row of a table no node has written yet)
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [rec.id]);
      const last = await db.query<{ last: number }>('SELECT last FROM statbank_last_version WHERE id = $1', [rec.id]);
      if (last.rows.length && last.rows[0].last >= rec.version) {
        throw new StoreError(`table ${rec.id}: version ${rec.version} was taken by another node`);
      }
      await db.query(
        `INSERT INTO statbank_versions (table_id, version, folders, short_name, published, cells, discontinued, meta, data_bytes, release_at, release_ms, pending)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [rec.id, rec.version, JSON.stringify(rec.folders), rec.shortName ?? null, rec.published, rec.cells, rec.discontinued ?? null, metaJson, blob.length, release?.iso ?? null, release?.ms ?? null, !!release],
      );
      for (let at = 0, seq = 0; at < blob.length || seq === 0; at += chunkBytes, seq++) {
        await db.query('INSERT INTO statbank_cube_data (table_id, version, seq, data) VALUES ($1, $2, $3, $4)', [
          rec.id,
          rec.version,
          seq,
          blob.subarray(at, at + chunkBytes),
        ]);
      }
      await db.query(
        'INSERT INTO statbank_last_version (id, last) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET last = excluded.last',
        [rec.id, rec.version],
      );
      if (!release) await setReleased(db, rec.id, rec.version);
    });
  }

  private folderExists = (p: string) => this.catalog.folders.has(p);

  putTable(cube: Cube, options?: PutTableOptions): TableRecord {
    this.look();
    const c = validateCube(cube);
    const rec = this.catalog.makeRecord(c, options, this.lastVersion.get(c.meta.id) ?? 0, this.folderExists);
    this.recordDue(); // releases due before this put come first, so this version is the one released last
    this.store(c, rec);
    this.catalog.setTable(rec);
    this.tidyCache(rec.id);
    return rec;
  }

  deleteTable(id: string): boolean {
    this.ensureOpen();
    if (typeof id !== 'string') return false;
    const had = this.versions.delete(id);
    this.catalog.removeTable(id);
    this.cache.delete(id);
    if (had) {
      this.enqueue({ id }, async (db) => {
        await db.query('DELETE FROM statbank_tables WHERE id = $1', [id]);
        await db.query('DELETE FROM statbank_versions WHERE table_id = $1', [id]);
        await db.query('DELETE FROM statbank_cube_data WHERE table_id = $1', [id]);
      });
    }
    return had;
  }

  listVersions(id: string, options?: ListVersionsOptions): VersionInfo[] {
    this.look();
    if (typeof id !== 'string') return [];
    const now = this.clock();
    const current = this.catalog.tables.get(id)?.version;
    const out: VersionInfo[] = [];
    for (const k of [...(this.versions.get(id)?.values() ?? [])].sort((a, b) => a.record.version - b.record.version)) {
      const p = this.catalog.findPending(id, k.record.version);
      const pending = !!p && p.releaseMs > now;
      if (pending && !options?.includePending) continue;
      const r = k.record;
      const v: VersionInfo = { id, version: r.version, title: r.meta.title, cells: r.cells, published: r.published, pending, current: r.version === current };
      if (k.releaseAt !== undefined) v.releaseAt = k.releaseAt;
      out.push(v);
    }
    return out;
  }

  scheduleTable(cube: Cube, options: ScheduleOptions): ScheduledRelease {
    this.look();
    if (options === null || typeof options !== 'object') throw new StoreError('schedule options must be an object with releaseAt');
    const release = parseReleaseTime(options.releaseAt);
    const c = validateCube(cube);
    const put: PutTableOptions = { folders: options.folders, shortName: options.shortName, discontinued: options.discontinued, published: release.iso };
    const rec = this.catalog.makeRecord(c, put, this.lastVersion.get(c.meta.id) ?? 0, this.folderExists, this.catalog.latest(c.meta.id));
    this.store(c, rec, release);
    this.catalog.setPending(rec.id, [...(this.catalog.pending.get(rec.id) ?? []), { record: rec, releaseAt: release.iso, releaseMs: release.ms }]);
    this.catalog.refresh();
    if (release.ms <= this.clock()) this.recordDue();
    this.tidyCache(rec.id);
    return { record: rec, releaseAt: release.iso };
  }

  listScheduled(): ScheduledRelease[] {
    this.look();
    return this.catalog.embargoed().map((p) => ({ record: p.record, releaseAt: p.releaseAt }));
  }

  /** Scheduled versions whose time has not come (for cancel and reschedule). */
  cancelRelease(id: string, version?: number): number[] {
    this.look();
    if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
    if (version !== undefined) checkVersion(version);
    const gone = this.catalog.cancellable(id, version);
    if (!gone.length) return [];
    this.catalog.setPending(id, (this.catalog.pending.get(id) ?? []).filter((p) => !gone.includes(p)));
    const m = this.versions.get(id);
    const numbers = gone.map((p) => p.record.version);
    for (const v of numbers) {
      m?.delete(v);
      this.cache.deleteVersion(id, v);
    }
    if (m && !m.size) this.versions.delete(id);
    this.catalog.refresh();
    this.enqueue({ id }, async (db) => {
      await db.query('DELETE FROM statbank_versions WHERE table_id = $1 AND version = ANY($2::int[]) AND pending', [id, numbers]);
      await db.query('DELETE FROM statbank_cube_data WHERE table_id = $1 AND version = ANY($2::int[])', [id, numbers]);
    });
    return numbers;
  }

  rescheduleRelease(id: string, version: number, releaseAt: string): ScheduledRelease {
    this.look();
    if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
    checkVersion(version);
    const release = parseReleaseTime(releaseAt);
    const old = this.catalog.cancellable(id, version)[0];
    const p: PendingVersion = { record: { ...old.record, published: release.iso }, releaseAt: release.iso, releaseMs: release.ms };
    this.catalog.setPending(id, (this.catalog.pending.get(id) ?? []).map((x) => (x === old ? p : x)));
    this.versions.get(id)?.set(version, { record: p.record, releaseAt: release.iso });
    this.catalog.refresh();
    this.enqueue({ id }, async (db) => {
      await db.query('UPDATE statbank_versions SET release_at = $1, release_ms = $2, published = $1 WHERE table_id = $3 AND version = $4 AND pending', [
        release.iso,
        release.ms,
        id,
        version,
      ]);
    });
    if (release.ms <= this.clock()) this.recordDue();
    this.tidyCache(id);
    return { record: p.record, releaseAt: p.releaseAt };
  }

  /** Record the due releases in memory and queue them (in release order: the one released last wins). */
  private recordDue(): TableRecord[] {
    const due = this.catalog.dueVersions();
    if (!due.length) return [];
    for (const p of due) this.catalog.markReleased(p);
    this.catalog.refresh();
    const list = due.map((p) => ({ id: p.record.id, version: p.record.version }));
    for (const id of new Set(list.map((d) => d.id))) {
      const mine = list.filter((d) => d.id === id);
      this.enqueue({ id }, async (db) => {
        for (const d of mine) {
          const r = await db.query('UPDATE statbank_versions SET pending = FALSE WHERE table_id = $1 AND version = $2 AND pending', [d.id, d.version]);
          // another node may have recorded it already: then it also set the released pointer
          if (r.rowCount) await setReleased(db, d.id, d.version);
        }
      });
    }
    return due.map((p) => p.record);
  }

  releaseDue(): TableRecord[] {
    this.look();
    const out = this.recordDue();
    this.tidyCache();
    return out;
  }

  async prepareRelease(id: string, version: number): Promise<PreparedRelease> {
    this.look();
    const { meta, pending: p } = this.catalog.releaseTarget(id, version);
    if (this.cache.has(id, version)) return { id, version, cells: cellCount(meta), loaded: false, cached: true };
    const cells = await this.load(id, version, meta);
    const cached = this.cache.set(id, version, cells, !!p && p.releaseMs > this.clock());
    return { id, version, cells: cells.values.length, loaded: true, cached };
  }

  now(): number {
    return this.clock();
  }

  cacheStats(): CubeCacheStats {
    return this.cache.stats();
  }

  /** How many times cube data was read from the database. */
  get cubeLoads(): number {
    return this.loadCount;
  }

  /** Port close: stops reads at once; queued writes still complete before the connections end (see closeAsync). */
  close(): void {
    void this.closeAsync();
  }

  /** Close after the queued writes are committed. */
  async closeAsync(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    await this.queue;
    await this.listener?.end().catch(() => {});
    await this.pool.end().catch(() => {});
  }
}

/** Point a table's released version at `version` (inside a write transaction). */
async function setReleased(db: pg.PoolClient, id: string, version: number): Promise<void> {
  await db.query('INSERT INTO statbank_tables (id, version) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET version = excluded.version', [
    id,
    version,
  ]);
}

function recordOf(r: VersionRow): TableRecord {
  const rec: TableRecord = {
    id: r.table_id,
    folders: parseJson<string[]>(r.folders, `table ${r.table_id}`),
    meta: parseJson<TableMeta>(r.meta, `table ${r.table_id} version ${r.version}`),
    version: r.version,
    published: r.published,
    cells: r.cells,
  };
  if (r.short_name !== null) rec.shortName = r.short_name;
  if (r.discontinued !== null) rec.discontinued = r.discontinued;
  return rec;
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StoreError(`${what}: stored JSON is corrupt`);
  }
}

