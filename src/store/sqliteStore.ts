// The embedded store: one SQLite file (better-sqlite3, WAL mode).
//
// - The catalog (folders + table records) is held in memory and reloaded when another connection committed
//   (PRAGMA data_version changes); only tables whose version changed have their metadata parsed again.
// - Cube data is a codec blob (cubeCodec.ts) per table version, split into chunks so no row nears SQLite's
//   blob size limit. putTable writes the new version and removes the old one in one transaction; a reader
//   reads the version and all its chunks inside one read transaction, so it sees the whole old or whole new cube.
// - Loaded cubes live in a byte-bounded LRU cache (cubeCache.ts), checked against the table version.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { cellCount, type Cube, type TableMeta, type Texts } from '../core/model.js';
import { Catalog, StoreError, parentPath, validateCube } from './catalog.js';
import { CubeCache, type CubeCacheStats } from './cubeCache.js';
import { decodeCubeChunks, encodeCube, type CubeCells } from './cubeCodec.js';
import type { Folder, FolderChild, PutTableOptions, Store, TableRecord } from './store.js';

export interface SqliteStoreOptions {
  /** Byte budget of the cube cache (default 512 MiB). */
  cacheBytes?: number;
  /** Open without writing (the file must exist). */
  readonly?: boolean;
  /** Size of the chunks cube data is stored in (default 16 MiB; tests use small ones). */
  chunkBytes?: number;
}

const SCHEMA_VERSION = 1;
const DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024;
const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024;

const SCHEMA = `
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

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  return new SqliteStore(path, options);
}

export class SqliteStore implements Store {
  private db: Database.Database;
  private catalog = new Catalog();
  private cache: CubeCache;
  private dataVersion = -1;
  private closed = false;
  private readonly chunkBytes: number;
  private readonly stmt: Statements;

  constructor(readonly path: string, options: SqliteStoreOptions = {}) {
    if (typeof path !== 'string' || path === '') throw new StoreError('database path must be a non-empty string');
    this.cache = new CubeCache(options.cacheBytes ?? DEFAULT_CACHE_BYTES);
    const cb = options.chunkBytes;
    this.chunkBytes = cb !== undefined && Number.isInteger(cb) && cb >= 64 ? cb : DEFAULT_CHUNK_BYTES;
    const readonly = !!options.readonly;
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
    if (version === 0) {
      this.db.transaction(() => {
        this.db.exec(SCHEMA);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreError('store is closed');
  }

  /** Reload the catalog if another connection committed since the last look. */
  private sync(): void {
    const dv = this.stmt.dataVersion.get() as number;
    if (dv === this.dataVersion) return;
    if (this.db.inTransaction) this.reload();
    else this.db.transaction(() => this.reload())();
    this.dataVersion = dv;
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
      const prev = this.catalog.tables.get(r.id);
      // Every change of a table row comes with a new version: an unchanged version keeps its record object.
      if (prev && prev.version === r.version) continue;
      const meta = parseJson<TableMeta>(this.stmt.meta.get(r.id) as string, `table ${r.id}`);
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
      this.catalog.tables.set(r.id, rec);
      this.cache.invalidate(r.id, r.version);
    }
    for (const id of [...this.catalog.tables.keys()]) {
      if (!seen.has(id)) {
        this.catalog.tables.delete(id);
        this.cache.delete(id);
      }
    }
    this.catalog.changed();
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

  async getCube(id: string): Promise<Cube> {
    this.ensureOpen();
    this.sync();
    const rec = typeof id === 'string' ? this.catalog.tables.get(id) : undefined;
    if (!rec) throw new StoreError(`no table ${JSON.stringify(id)}`);
    const hit = this.cache.get(rec.id, rec.version);
    if (hit) return { meta: rec.meta, values: hit.values, status: hit.status };
    const { meta, version, cells } = this.load(rec);
    // Cache only what matches the catalog; a newer version read in a race is served once and reloaded later.
    if (version === rec.version) this.cache.set(rec.id, version, cells);
    return { meta, values: cells.values, status: cells.status };
  }

  /** Read one consistent version of a table's cube: version, metadata and every chunk in one read transaction. */
  private load(rec: TableRecord): { meta: TableMeta; version: number; cells: CubeCells } {
    let meta = rec.meta;
    let version = rec.version;
    const chunks: Uint8Array[] = [];
    this.db.transaction(() => {
      const row = this.stmt.tableVersion.get(rec.id) as { version: number; bytes: number } | undefined;
      if (!row) throw new StoreError(`no table ${JSON.stringify(rec.id)}`);
      if (row.version !== rec.version) {
        version = row.version;
        meta = parseJson<TableMeta>(this.stmt.meta.get(rec.id) as string, `table ${rec.id}`);
      }
      let at = 0;
      for (const chunk of this.stmt.chunks.iterate(rec.id, version) as IterableIterator<Buffer>) {
        if (at + chunk.length > row.bytes) throw new StoreError(`table ${rec.id}: cube data longer than recorded`);
        chunks.push(chunk);
        at += chunk.length;
      }
      if (at !== row.bytes) throw new StoreError(`table ${rec.id}: cube data incomplete (${at} of ${row.bytes} bytes)`);
    })();
    let cells: CubeCells;
    try {
      // decoded from the chunks as read: values go straight into the cube's own arrays, no joined copy
      cells = decodeCubeChunks(chunks);
    } catch (e) {
      throw new StoreError(`table ${rec.id}: corrupt cube data: ${(e as Error).message}`);
    }
    if (cells.values.length !== cellCount(meta)) throw new StoreError(`table ${rec.id}: cube data does not match its metadata`);
    return { meta, version, cells };
  }

  putTable(cube: Cube, options?: PutTableOptions): TableRecord {
    this.ensureOpen();
    const c = validateCube(cube);
    // Encode outside the write lock: it is the costly part.
    const data = encodeCube(c.values, c.status ?? null);
    const metaJson = JSON.stringify(c.meta);
    let rec!: TableRecord;
    this.db.transaction(() => {
      this.sync(); // decide the version from what is committed now, not from a stale catalog
      const last = (this.stmt.lastVersion.get(c.meta.id) as number | undefined) ?? 0;
      rec = this.catalog.makeRecord(c, options, last, (p) => p === '' || this.stmt.folderExists.get(p) !== undefined);
      for (let at = 0, seq = 0; at < data.length || seq === 0; at += this.chunkBytes, seq++) {
        this.stmt.putChunk.run(rec.id, rec.version, seq, data.subarray(at, Math.min(data.length, at + this.chunkBytes)));
      }
      this.stmt.dropOtherChunks.run(rec.id, rec.version);
      this.stmt.putTable.run({
        id: rec.id,
        folders: JSON.stringify(rec.folders),
        short_name: rec.shortName ?? null,
        version: rec.version,
        published: rec.published,
        cells: rec.cells,
        discontinued: rec.discontinued === undefined ? null : rec.discontinued ? 1 : 0,
        meta: metaJson,
        data_bytes: data.length,
      });
      this.stmt.putLastVersion.run(rec.id, rec.version);
    }).immediate();
    // The record keeps its own parsed copy of the metadata, as a reload would, so later edits of the
    // caller's object cannot change what the store serves.
    rec.meta = JSON.parse(metaJson) as TableMeta;
    this.catalog.setTable(rec);
    this.cache.delete(rec.id);
    return rec;
  }

  deleteTable(id: string): boolean {
    this.ensureOpen();
    if (typeof id !== 'string') return false;
    let removed = false;
    this.db.transaction(() => {
      removed = this.stmt.dropTable.run(id).changes > 0;
      this.stmt.dropChunks.run(id);
    }).immediate();
    this.catalog.removeTable(id);
    this.cache.delete(id);
    return removed;
  }

  /** Figures of the cube cache (for tests, benchmarks and health output). */
  cacheStats(): CubeCacheStats {
    return this.cache.stats();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.db.close();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    folders: db.prepare('SELECT path, sort, labels FROM folders'),
    folderExists: db.prepare('SELECT 1 FROM folders WHERE path = ?').pluck(),
    tables: db.prepare('SELECT id, folders, short_name, version, published, cells, discontinued FROM tables'),
    tableVersion: db.prepare('SELECT version, data_bytes AS bytes FROM tables WHERE id = ?'),
    meta: db.prepare('SELECT meta FROM tables WHERE id = ?').pluck(),
    lastVersion: db.prepare('SELECT last FROM table_versions WHERE id = ?').pluck(),
    chunks: db.prepare('SELECT data FROM cube_data WHERE table_id = ? AND version = ? ORDER BY seq').pluck(),
    putFolder: db.prepare(
      `INSERT INTO folders (path, parent, sort, labels) VALUES (?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET parent = excluded.parent, sort = excluded.sort, labels = excluded.labels`,
    ),
    putChunk: db.prepare('INSERT INTO cube_data (table_id, version, seq, data) VALUES (?, ?, ?, ?)'),
    dropOtherChunks: db.prepare('DELETE FROM cube_data WHERE table_id = ? AND version <> ?'),
    dropChunks: db.prepare('DELETE FROM cube_data WHERE table_id = ?'),
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
    dropTable: db.prepare('DELETE FROM tables WHERE id = ?'),
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
