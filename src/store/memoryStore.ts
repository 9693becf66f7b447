// An in-memory Store: for tests and for serving a folder of PX files without a database.
// Same catalog rules, release rules and validation as the SQLite store (catalog.ts); cubes are kept as given
// (copied on put), every version of them, so earlier versions stay readable by number.

import { cellCount, type Cube, type TableMeta, type Texts } from '../core/model.js';
import { Catalog, pastReleases, StoreError, summarize, checkVersion, parseReleaseTime, validateCube, type PendingVersion } from './catalog.js';
import type {
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

export interface MemoryStoreOptions {
  /** The clock release times are compared with (epoch ms; default Date.now). Tests inject one. */
  now?: () => number;
}

interface StoredVersion {
  record: TableRecord;
  values: Float64Array;
  status: Uint8Array | null;
  releaseAt?: string;
}

export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const clock = typeof options?.now === 'function' ? options.now : Date.now;
  const catalog = new Catalog(clock);
  /** Every stored version of every table, released or scheduled. */
  const versions = new Map<string, Map<number, StoredVersion>>();
  const lastVersion = new Map<string, number>();
  let closed = false;
  const open = () => {
    if (closed) throw new StoreError('store is closed');
  };
  // the check every read makes: a release shows at its instant, whatever timers do
  const look = () => catalog.checkDue();

  const keep = (c: Cube, rec: TableRecord, releaseAt?: string): void => {
    const status = c.status && c.status.some((s) => s !== 0) ? c.status.slice() : null;
    // Own copies, as the SQLite store keeps: later edits of the caller's objects change nothing here.
    rec.meta = JSON.parse(JSON.stringify(c.meta)) as TableMeta;
    rec.summary = summarize(rec.meta);
    let m = versions.get(rec.id);
    if (!m) versions.set(rec.id, (m = new Map()));
    const v: StoredVersion = { record: rec, values: c.values.slice(), status };
    if (releaseAt !== undefined) v.releaseAt = releaseAt;
    m.set(rec.version, v);
    lastVersion.set(rec.id, rec.version);
  };

  const releaseDue = (): TableRecord[] => {
    const due = catalog.dueVersions();
    for (const p of due) catalog.markReleased(p);
    if (due.length) catalog.refresh();
    return due.map((p) => p.record);
  };

  const folderExists = (p: string) => catalog.folders.has(p);

  return {
    getFolder: (path) => (look(), catalog.getFolder(path)),
    listChildren: (path) => (look(), catalog.listChildren(path)),
    putFolder(path: string, label: Texts, sort?: string) {
      open();
      catalog.setFolder(catalog.makeFolder(path, label, sort));
    },
    getTable: (id) => (look(), typeof id === 'string' ? catalog.tables.get(id) : undefined),
    listTables: () => (look(), catalog.listTables()),
    async getCube(id: string, opts?: GetCubeOptions): Promise<Cube> {
      open();
      look();
      const rec = typeof id === 'string' ? catalog.tables.get(id) : undefined;
      const want = opts?.version;
      if (want !== undefined && want !== rec?.version) {
        checkVersion(want);
        const v = typeof id === 'string' ? versions.get(id)?.get(want) : undefined;
        const p = v && catalog.findPending(id, want);
        if (!v || (p && p.releaseMs > clock() && !opts?.includePending)) throw new StoreError(`table ${JSON.stringify(id)} has no version ${want}`);
        return { meta: v.record.meta, values: v.values, status: v.status };
      }
      const c = rec && versions.get(rec.id)?.get(rec.version);
      if (!rec || !c) throw new StoreError(`no table ${JSON.stringify(id)}`);
      return { meta: rec.meta, values: c.values, status: c.status };
    },
    putTable(cube: Cube, options?: PutTableOptions): TableRecord {
      open();
      look();
      const c = validateCube(cube);
      const rec = catalog.makeRecord(c, options, lastVersion.get(c.meta.id) ?? 0, folderExists);
      releaseDue(); // releases due before this put come first, so this version is the one released last
      keep(c, rec);
      catalog.setTable(rec);
      return rec;
    },
    deleteTable(id: string): boolean {
      open();
      if (typeof id !== 'string') return false;
      const had = versions.delete(id);
      catalog.removeTable(id);
      return had;
    },
    listVersions(id: string, opts?: ListVersionsOptions): VersionInfo[] {
      open();
      look();
      if (typeof id !== 'string') return [];
      const now = clock();
      const current = catalog.tables.get(id)?.version;
      const out: VersionInfo[] = [];
      for (const v of [...(versions.get(id)?.values() ?? [])].sort((a, b) => a.record.version - b.record.version)) {
        const p = catalog.findPending(id, v.record.version);
        const pending = !!p && p.releaseMs > now;
        if (pending && !opts?.includePending) continue;
        const r = v.record;
        const info: VersionInfo = { id, version: r.version, title: r.meta.title, cells: r.cells, published: r.published, pending, current: r.version === current };
        if (v.releaseAt !== undefined) info.releaseAt = v.releaseAt;
        out.push(info);
      }
      return out;
    },
    listReleases(limit: number, tableId?: string): VersionInfo[] {
      open();
      look();
      return pastReleases(versions, clock(), limit, tableId).map(({ id, kept: { record: r, releaseAt } }) => ({
        id,
        version: r.version,
        title: r.meta.title,
        cells: r.cells,
        published: r.published,
        pending: false,
        current: catalog.tables.get(id)?.version === r.version,
        releaseAt,
      }));
    },
    scheduleTable(cube: Cube, opts: ScheduleOptions): ScheduledRelease {
      open();
      look();
      if (opts === null || typeof opts !== 'object') throw new StoreError('schedule options must be an object with releaseAt');
      const release = parseReleaseTime(opts.releaseAt);
      const c = validateCube(cube);
      const put: PutTableOptions = { folders: opts.folders, shortName: opts.shortName, discontinued: opts.discontinued, published: release.iso };
      const rec = catalog.makeRecord(c, put, lastVersion.get(c.meta.id) ?? 0, folderExists, catalog.latest(c.meta.id));
      keep(c, rec, release.iso);
      catalog.setPending(rec.id, [...(catalog.pending.get(rec.id) ?? []), { record: rec, releaseAt: release.iso, releaseMs: release.ms }]);
      catalog.refresh();
      if (release.ms <= clock()) releaseDue();
      return { record: rec, releaseAt: release.iso };
    },
    listScheduled(tableId?: string): ScheduledRelease[] {
      open();
      look();
      return catalog.embargoed(tableId).map((p) => ({ record: p.record, releaseAt: p.releaseAt }));
    },
    cancelRelease(id: string, version?: number): number[] {
      open();
      look();
      if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
      if (version !== undefined) checkVersion(version);
      const gone = catalog.cancellable(id, version);
      if (!gone.length) return [];
      catalog.setPending(id, (catalog.pending.get(id) ?? []).filter((p) => !gone.includes(p)));
      const m = versions.get(id);
      for (const p of gone) m?.delete(p.record.version);
      if (m && !m.size) versions.delete(id);
      catalog.refresh();
      return gone.map((p) => p.record.version);
    },
    rescheduleRelease(id: string, version: number, releaseAt: string): ScheduledRelease {
      open();
      look();
      if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
      checkVersion(version);
      const release = parseReleaseTime(releaseAt);
      const old = catalog.cancellable(id, version)[0];
      const p: PendingVersion = { record: { ...old.record, published: release.iso }, releaseAt: release.iso, releaseMs: release.ms };
      catalog.setPending(id, (catalog.pending.get(id) ?? []).map((x) => (x === old ? p : x)));
      const stored = versions.get(id)?.get(version);
      if (stored) {
        stored.record = p.record;
        stored.releaseAt = release.iso;
      }
      catalog.refresh();
      if (release.ms <= clock()) releaseDue();
      return { record: p.record, releaseAt: p.releaseAt };
    },
    tableChanges(since?: number): TableChanges {
      open();
      look();
      return catalog.changes(since);
    },
    releaseDue(): TableRecord[] {
      open();
      look();
      return releaseDue();
    },
    async prepareRelease(id: string, version: number): Promise<PreparedRelease> {
      open();
      look();
      catalog.releaseTarget(id, version);
      const v = versions.get(id)?.get(version);
      if (!v) throw new StoreError(`table ${id} has no scheduled version ${version}`);
      // cells are in memory already: nothing to load
      return { id, version, cells: cellCount(v.record.meta), loaded: false, cached: true };
    },
    now: () => clock(),
    close() {
      closed = true;
      versions.clear();
    },
  };
}
