// A Store on PostgreSQL, for several server nodes sharing one database. The Store rules are BaseStore's
// (baseStore.ts); this file holds the schema, the write queue, NOTIFY handling and the persistence operations.
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
// - Every version's record is held in memory for `listVersions`, with its compact summary (TableSummary): a node
//   loads the catalogue from the summaries, and reads a version's full metadata on first use (one row by key,
//   waited for synchronously through a reader thread, pgSync.ts) into a byte-bounded cache, as the SQLite store does.

import pg from 'pg';
import { createSchema, inTransaction } from './postgresSchema.js';
import { randomUUID } from 'node:crypto';
import type { TableMeta, Texts } from '../core/model.js';
import { BaseStore, type ReleaseTime, type StoredVersionInfo } from './baseStore.js';
import { pastReleases, StoreError, summarize, withLazyMeta, type PendingVersion } from './catalog.js';
import { MetaCache } from './metaCache.js';
import { PgSyncReader } from './pgSync.js';
import { PersistentSearchIndex } from './persistentSearch.js';
import { PG_SEARCH_SCHEMA, dropDocs, indexVersion, pgSearchBackend, readDocs } from './postgresSearch.js';
import type { SearchIndexProvider, SearchView } from './searchPort.js';
import { indexDocuments } from './searchText.js';
import type { Folder, TableRecord, TableSummary } from './store.js';

export interface PostgresStoreOptions {
  connectionString: string;
  /** Byte budget of the cube cache (default 512 MiB). */
  cacheBytes?: number;
  /** Size of the bytea chunks cube data is stored in (default 8 MiB; tests use small ones). */
  chunkBytes?: number;
  /** Byte budget of parsed table metadata kept in memory (default 64 MiB). */
  metaCacheBytes?: number;
  /** The clock release times are compared with (epoch ms; default Date.now). */
  now?: () => number;
}

const CHANNEL = 'statbank_store';
/** Metadata misses in one turn of the event loop before the following tables are read ahead, and how many at once. */
const READ_AHEAD_AFTER = 8;
const READ_AHEAD_BATCH = 256;
const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

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
-- the compact summary a node loads the catalogue from (the metadata itself is read per table on first use);
-- versions written before it have none until a node reads them once
ALTER TABLE statbank_versions ADD COLUMN IF NOT EXISTS summary TEXT;
${PG_SEARCH_SCHEMA}
`;

interface VersionRow {
  table_id: string;
  version: number;
  folders: string;
  short_name: string | null;
  published: string;
  cells: number;
  discontinued: boolean | null;
  /** Only for a version stored without a summary (written before summaries existed). */
  meta: string | null;
  summary: string | null;
  release_at: string | null;
  release_ms: number | null;
  pending: boolean;
}

const VERSION_COLUMNS =
  'table_id, version, folders, short_name, published, cells::float8 AS cells, discontinued, summary, CASE WHEN summary IS NULL THEN meta END AS meta, release_at, release_ms::float8 AS release_ms, pending';

/** A stored version as this node knows it. */
interface Known {
  record: TableRecord;
  releaseAt?: string;
}

type Tx = (c: pg.PoolClient) => Promise<void>;

/** The operations of one write, committed as one transaction; `notices` name what other nodes must reload. */
interface Batch {
  ops: Tx[];
  notices: Set<string>;
  /** Tables written (their search documents are read again after the commit). */
  ids: Set<string>;
}

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

export class PostgresStore extends BaseStore implements SearchIndexProvider {
  /** The connection pool (shared with the saved queries kept in the same database). */
  readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private readonly chunkBytes: number;
  private readonly origin = randomUUID();
  /** Every stored version this node knows, per table. */
  private readonly versions = new Map<string, Map<number, Known>>();
  private readonly lastVersion = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  /** The write being collected (inside write()). */
  private batch: Batch | null = null;
  /** Full metadata read on first use (records from the database hold their summary only). */
  private readonly metas: MetaCache;
  private readonly reader: PgSyncReader;
  /** Metadata read ahead (text), until asked for or the turn of the event loop ends. */
  private readonly readAhead = new Map<string, string>();
  private missesThisTurn = 0;
  /** The persistent search index's document list (null until loaded at open). */
  private search: PersistentSearchIndex | null = null;
  /** Counts reloads of search documents (a view is valid for one catalogue generation and one of these). */
  private searchGen = 0;

  constructor(options: PostgresStoreOptions) {
    super(options);
    const cb = options.chunkBytes;
    this.chunkBytes = cb !== undefined && Number.isInteger(cb) && cb >= 64 ? cb : DEFAULT_CHUNK_BYTES;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 4 });
    this.metas = new MetaCache(options.metaCacheBytes ?? 64 * 1024 * 1024);
    this.reader = new PgSyncReader(options.connectionString);
    // an idle client losing its connection must not crash the process
    this.pool.on('error', () => {});
  }

  /** Connect, create the schema if missing, listen for other nodes, load the catalog. */
  async init(): Promise<void> {
    // two nodes starting together must not race on CREATE TABLE
    await createSchema(this.pool, 'statbank_store_schema', SCHEMA);
    const l = new pg.Client({ connectionString: (this.pool.options as { connectionString: string }).connectionString });
    l.on('error', () => {});
    await l.connect();
    this.listener = l;
    l.on('notification', (m) => this.onNotify(m.payload));
    await l.query(`LISTEN ${CHANNEL}`);
    // listening first: a change committed during the load is reloaded again when its notice arrives
    await this.reloadFolders();
    await this.reloadTables(null);
    await this.backfillSearch();
    const search = new PersistentSearchIndex(pgSearchBackend(this.reader));
    const { rows } = await readDocs(this.pool, null);
    search.replace(null, rows, []);
    this.search = search;
  }

  /**
   * Index the versions readers see or will see that have no search documents (a database written before the index
   * existed), once, under a lock so that nodes starting together do not index twice.
   */
  private async backfillSearch(): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['statbank_search_backfill']);
      const missing = await c.query<{ table_id: string; version: number }>(
        `SELECT v.table_id, v.version FROM statbank_versions v
         WHERE (v.pending OR EXISTS (SELECT 1 FROM statbank_tables t WHERE t.id = v.table_id AND t.version = v.version))
           AND NOT EXISTS (SELECT 1 FROM statbank_search_docs d WHERE d.table_id = v.table_id AND d.version = v.version)`,
      );
      for (const { table_id: id, version } of missing.rows) {
        const r = await c.query<{ short_name: string | null; meta: string }>('SELECT short_name, meta FROM statbank_versions WHERE table_id = $1 AND version = $2', [id, version]);
        const meta = parseJson<TableMeta>(r.rows[0].meta, `table ${id} version ${version}`);
        await indexVersion(c, id, version, indexDocuments({ id, shortName: r.rows[0].short_name ?? undefined, meta }));
      }
    });
  }

  /** The persistent search index of what readers see now, in `lang` (see searchPort.ts). */
  searchView(lang: string): SearchView {
    this.look(null);
    if (!this.search) throw new StoreError('store is not open');
    return this.search.view(() => this.catalog.listTables(), `${this.catalog.generation}:${this.searchGen}`, lang);
  }

  /** Read some tables' search documents again (after a commit of this node or a change of another). */
  private async reloadSearch(ids: readonly string[] | null): Promise<void> {
    if (!this.search || this.closed) return;
    const { rows, words } = await readDocs(this.pool, ids);
    if (this.closed) return;
    this.search.replace(ids, rows, words);
    this.searchGen++;
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
    // one snapshot: versions, released pointers and counters agree
    const { rows, released, last } = await inTransaction(
      this.pool,
      async (c) => {
        const where = only === null ? '' : ' WHERE table_id = $1';
        const args = only === null ? [] : [only];
        return {
          rows: (await c.query<VersionRow>(`SELECT ${VERSION_COLUMNS} FROM statbank_versions${where} ORDER BY table_id, version`, args)).rows,
          released: (await c.query<{ id: string; version: number }>(`SELECT id, version FROM statbank_tables${only === null ? '' : ' WHERE id = $1'}`, args)).rows,
          last: (await c.query<{ id: string; last: number }>(`SELECT id, last FROM statbank_last_version${only === null ? '' : ' WHERE id = $1'}`, args)).rows,
        };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
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
        const record = prev && prev.releaseAt === (r.release_at ?? undefined) ? prev.record : this.recordOf(r);
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
    this.tidyCache();
    await this.reloadSearch(only === null ? null : [only]);
  }

  /**
   * A stored version's record: its summary, and its full metadata read on first use (`meta` is a getter over the
   * metadata cache). A version stored before summaries existed is summarised from its metadata now, and the summary
   * written back.
   */
  private recordOf(r: VersionRow): TableRecord {
    const what = `table ${r.table_id} version ${r.version}`;
    let summary: TableSummary;
    if (r.summary !== null) summary = parseJson<TableSummary>(r.summary, what);
    else {
      const json = r.meta ?? '{}';
      const meta = parseJson<TableMeta>(json, what);
      summary = summarize(meta);
      this.metas.set(r.table_id, r.version, meta, json.length);
      void this.pool
        .query('UPDATE statbank_versions SET summary = $1 WHERE table_id = $2 AND version = $3 AND summary IS NULL', [JSON.stringify(summary), r.table_id, r.version])
        .catch(() => {});
    }
    const rec: Omit<TableRecord, 'meta'> = {
      id: r.table_id,
      folders: parseJson<string[]>(r.folders, `table ${r.table_id}`),
      summary,
      version: r.version,
      published: r.published,
      cells: r.cells,
    };
    if (r.short_name !== null) rec.shortName = r.short_name;
    if (r.discontinued !== null) rec.discontinued = r.discontinued;
    const { table_id: id, version } = r;
    return withLazyMeta(rec, () => this.metaOf(id, version));
  }

  /**
   * A version's full metadata: from the cache, else read (synchronously, one row by key) and cached. Many misses in
   * one turn of the event loop (an in-memory search index being built reads every table) are read ahead in batches
   * of the tables that follow in id order, kept as text until asked for.
   */
  private metaOf(id: string, version: number): TableMeta {
    const hit = this.metas.get(id, version);
    if (hit) return hit;
    if (this.closed) throw new StoreError('store is closed');
    const key = `${version}\u0000${id}`;
    let json = this.readAhead.get(key);
    if (json === undefined) {
      if (++this.missesThisTurn === 1) setImmediate(() => ((this.missesThisTurn = 0), this.readAhead.clear()));
      if (this.missesThisTurn > READ_AHEAD_AFTER) this.readAheadFrom(id, version);
      json = this.readAhead.get(key);
    }
    if (json === undefined) {
      const rows = this.reader.query<{ meta: string }>('SELECT meta FROM statbank_versions WHERE table_id = $1 AND version = $2', [id, version]);
      if (!rows.length) throw new StoreError(`table ${id} version ${version}: metadata is gone`);
      json = rows[0].meta;
    }
    this.readAhead.delete(key);
    const meta = parseJson<TableMeta>(json, `table ${id} version ${version}`);
    this.metas.set(id, version, meta, json.length);
    return meta;
  }

  /** Read the metadata of `id@version` and of the visible tables after it in id order that are not cached. */
  private readAheadFrom(id: string, version: number): void {
    const ids = [id];
    const versions = [version];
    const list = this.catalog.listTables();
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].id <= id) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < list.length && ids.length < READ_AHEAD_BATCH; i++) {
      const r = list[i];
      if (this.metas.has(r.id, r.version)) continue;
      ids.push(r.id);
      versions.push(r.version);
    }
    const rows = this.reader.query<{ table_id: string; version: number; meta: string }>(
      `SELECT v.table_id, v.version, v.meta FROM statbank_versions v
       JOIN unnest($1::text[], $2::int[]) AS k(table_id, version) ON v.table_id = k.table_id AND v.version = k.version`,
      [ids, versions],
    );
    for (const r of rows) this.readAhead.set(`${r.version}\u0000${r.table_id}`, r.meta);
  }

  /** Figures of the metadata cache and how many reads fetched metadata (tests, benchmarks). */
  metaCacheStats(): ReturnType<MetaCache['stats']> & { reads: number } {
    return { ...this.metas.stats(), reads: this.reader.queries };
  }

  /** Other nodes' changes arrive by NOTIFY (reloadTables), not on reads. */
  protected catchUp(): boolean {
    return false;
  }

  /** Collect the write's operations and queue them as one transaction; a throw queues nothing. */
  protected write<T>(f: () => T): T {
    if (this.batch) return f();
    const batch: Batch = { ops: [], notices: new Set(), ids: new Set() };
    this.batch = batch;
    try {
      const result = f();
      if (batch.ops.length) this.enqueue(batch);
      return result;
    } finally {
      this.batch = null;
    }
  }

  /** Add one operation to the write being collected; `notice` names what other nodes must reload. */
  private op(notice: { id: string } | { f: 1 }, work: Tx): void {
    if (!this.batch) throw new Error('PostgresStore: a persistence operation outside write()');
    this.batch.ops.push(work);
    this.batch.notices.add(JSON.stringify({ o: this.origin, ...notice }));
    if ('id' in notice) this.batch.ids.add(notice.id);
  }

  private enqueue(batch: Batch): void {
    this.queue = this.queue.then(async () => {
      try {
        await inTransaction(this.pool, async (c) => {
          for (const work of batch.ops) await work(c);
          for (const n of batch.notices) await c.query('SELECT pg_notify($1, $2)', [CHANNEL, n]);
        });
      } catch (e) {
        this.failure ??= e instanceof Error ? e : new Error(String(e));
      }
      // committed (or not): this node's search documents of the tables written
      if (batch.ids.size) await this.reloadSearch([...batch.ids]).catch(() => {});
    });
  }

  /** Resolves when every write made so far is committed; rejects with the first write that failed. */
  async flush(): Promise<void> {
    await this.queue;
    if (this.failure) throw new StoreError(`a write to PostgreSQL failed: ${this.failure.message}`);
  }

  protected lastStoredVersion(id: string): number {
    return this.lastVersion.get(id) ?? 0;
  }

  protected folderStored(path: string): boolean {
    return this.catalog.folders.has(path);
  }

  protected persistFolder(f: Folder): void {
    this.op({ f: 1 }, async (db) => {
      await db.query(
        `INSERT INTO statbank_folders (path, sort, labels) VALUES ($1, $2, $3)
         ON CONFLICT (path) DO UPDATE SET sort = excluded.sort, labels = excluded.labels`,
        [f.path, f.sort, JSON.stringify(f.label)],
      );
    });
  }

  protected persistVersion(rec: TableRecord, metaJson: string, blob: Uint8Array, release?: ReleaseTime): void {
    let m = this.versions.get(rec.id);
    if (!m) this.versions.set(rec.id, (m = new Map()));
    const k: Known = { record: rec };
    if (release) k.releaseAt = release.iso;
    m.set(rec.version, k);
    this.lastVersion.set(rec.id, rec.version);
    const chunkBytes = this.chunkBytes;
    const summaryJson = JSON.stringify(rec.summary);
    const docs = indexDocuments(rec);
    this.op({ id: rec.id }, async (db) => {
      // versions never repeat: another node that wrote this table meanwhile makes this write fail
      // (a lock per table id: a FOR UPDATE cannot lock the row of a table no node has written yet)
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [rec.id]);
      const last = await db.query<{ last: number }>('SELECT last FROM statbank_last_version WHERE id = $1', [rec.id]);
      if (last.rows.length && last.rows[0].last >= rec.version) {
        throw new StoreError(`table ${rec.id}: version ${rec.version} was taken by another node`);
      }
      await db.query(
        `INSERT INTO statbank_versions (table_id, version, folders, short_name, published, cells, discontinued, meta, summary, data_bytes, release_at, release_ms, pending)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [rec.id, rec.version, JSON.stringify(rec.folders), rec.shortName ?? null, rec.published, rec.cells, rec.discontinued ?? null, metaJson, summaryJson, blob.length, release?.iso ?? null, release?.ms ?? null, !!release],
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
      await indexVersion(db, rec.id, rec.version, docs);
      if (!release) await dropDocs(db, rec.id, { below: rec.version });
    });
  }

  protected persistRelease(id: string, version: number): void {
    this.op({ id }, async (db) => {
      const r = await db.query('UPDATE statbank_versions SET pending = FALSE WHERE table_id = $1 AND version = $2 AND pending', [id, version]);
      // another node may have recorded it already: then it also set the released pointer
      if (r.rowCount) await setReleased(db, id, version);
      await dropDocs(db, id, { below: version });
    });
  }

  protected persistCancel(id: string, numbers: number[]): void {
    const m = this.versions.get(id);
    for (const v of numbers) m?.delete(v);
    if (m && !m.size) this.versions.delete(id);
    this.op({ id }, async (db) => {
      await db.query('DELETE FROM statbank_versions WHERE table_id = $1 AND version = ANY($2::int[]) AND pending', [id, numbers]);
      await db.query('DELETE FROM statbank_cube_data WHERE table_id = $1 AND version = ANY($2::int[])', [id, numbers]);
      await dropDocs(db, id, { versions: numbers });
    });
  }

  protected persistReschedule(id: string, version: number, release: ReleaseTime, record: TableRecord): void {
    this.versions.get(id)?.set(version, { record, releaseAt: release.iso });
    this.op({ id }, async (db) => {
      await db.query('UPDATE statbank_versions SET release_at = $1, release_ms = $2, published = $1 WHERE table_id = $3 AND version = $4 AND pending', [
        release.iso,
        release.ms,
        id,
        version,
      ]);
    });
  }

  protected persistDelete(id: string): boolean {
    const had = this.versions.delete(id);
    if (had) {
      this.op({ id }, async (db) => {
        await db.query('DELETE FROM statbank_tables WHERE id = $1', [id]);
        await db.query('DELETE FROM statbank_versions WHERE table_id = $1', [id]);
        await db.query('DELETE FROM statbank_cube_data WHERE table_id = $1', [id]);
        await dropDocs(db, id);
      });
    }
    return had;
  }

  /** One version's chunks, read after this node's queued writes. */
  protected async readChunks(id: string, version: number): Promise<Uint8Array[]> {
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
    return chunks;
  }

  protected releasedVersionMeta(id: string, version: number): TableMeta | undefined {
    const k = this.versions.get(id)?.get(version);
    const p = k && this.catalog.findPending(id, version);
    return !k || (p && p.releaseMs > this.clock()) ? undefined : k.record.meta;
  }

  protected storedReleases(nowMs: number, limit: number, tableId?: string): { id: string; info: StoredVersionInfo }[] {
    // every version's record is in memory here: the history is sorted from it, without a query
    return pastReleases(this.versions, nowMs, limit, tableId).map(({ id, kept: { record: r, releaseAt } }) => ({
      id,
      info: { version: r.version, title: r.summary.title, cells: r.cells, published: r.published, releaseAt },
    }));
  }

  protected storedVersions(id: string): StoredVersionInfo[] {
    return [...(this.versions.get(id)?.values() ?? [])]
      .sort((a, b) => a.record.version - b.record.version)
      .map((k) => {
        const r = k.record;
        const v: StoredVersionInfo = { version: r.version, title: r.summary.title, cells: r.cells, published: r.published };
        if (k.releaseAt !== undefined) v.releaseAt = k.releaseAt;
        const p = this.catalog.findPending(id, r.version);
        if (p) v.pendingUntil = p.releaseMs;
        return v;
      });
  }

  /** Earlier versions this node knows stay cached (readers may ask for them by number). */
  protected override keepCached(id: string, version: number): boolean {
    return this.versions.get(id)?.has(version) === true;
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
    this.metas.clear();
    this.reader.close();
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

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StoreError(`${what}: stored JSON is corrupt`);
  }
}

