// The in-memory catalog shared by the store adapters: folders and table records, child listings in sort
// order, and the validation every adapter applies before it stores anything.
//
// Release rules (the same in both adapters): the catalog holds each table's released record and its scheduled
// versions. What readers see (`tables`) is, per table, the scheduled version released last whose time has come,
// else the released record. `refresh()` recomputes that view at the clock's now; adapters call `checkDue()` on
// every read, so a release shows at its instant whether or not a timer fired. A folder whose subtree holds only
// tables under embargo is hidden too: a new subject folder must not announce its table before the release.

import { cellCount, type Cube, type TableMeta, type Texts } from '../core/model.js';
import { latestUpdate } from '../formats/cubeText.js';
import type { Folder, FolderChild, PutTableOptions, TableChanges, TableRecord, TableSummary } from './store.js';

/**
 * Give a record a `meta` read on first use by `read` (kept in the store's metadata cache, not in the record);
 * assigning `meta` replaces the getter with the value.
 */
export function withLazyMeta(rec: Omit<TableRecord, 'meta'>, read: () => TableMeta): TableRecord {
  Object.defineProperty(rec, 'meta', {
    enumerable: true,
    configurable: true,
    get: read,
    set: (m: TableMeta) => Object.defineProperty(rec, 'meta', { value: m, enumerable: true, configurable: true, writable: true }),
  });
  return rec as TableRecord;
}

/** The compact summary of a table's metadata (what listings and navigation read). */
export function summarize(m: TableMeta): TableSummary {
  const s: TableSummary = {
    title: m.title,
    contents: m.contents,
    languages: m.languages ?? [],
    defaultLanguage: m.defaultLanguage,
    periods: 0,
    variables: m.variables.map((v) => {
      const x: TableSummary['variables'][number] = { code: v.code, label: v.label, values: v.values.length };
      if (v.role !== undefined) x.role = v.role;
      if (v.valueSets?.length) x.valueSets = v.valueSets.map((vs) => vs.id);
      if (v.groupings?.length) x.groupings = v.groupings.map((g) => g.id);
      if (v.classification) x.classification = v.classification.id;
      return x;
    }),
  };
  if (m.description !== undefined) s.description = m.description;
  if (m.source !== undefined) s.source = m.source;
  if (m.matrix !== undefined) s.matrix = m.matrix;
  if (m.subjectCode !== undefined) s.subjectCode = m.subjectCode;
  const updated = latestUpdate(m);
  if (updated !== undefined) s.updated = updated;
  const t = m.variables.find((v) => v.role === 'time');
  if (t) {
    s.periods = t.values.length;
    if (t.values.length) {
      s.firstPeriod = t.values[0].code;
      s.lastPeriod = t.values[t.values.length - 1].code;
    }
    if (t.timeUnit !== undefined) s.timeUnit = t.timeUnit;
  }
  return s;
}

export class StoreError extends Error {}

/** How many changes of visible tables the catalog remembers for `changedSince`. */
const CHANGE_LOG = 10_000;

/** A release-history limit as a count: whole, not negative; 0 for one that is not a number. */
export function releaseLimit(limit: number): number {
  return Number.isFinite(limit) ? Math.max(0, Math.floor(limit)) : 0;
}

/**
 * The release history from versions held in memory (table id -> version -> its record and release time), of every
 * table or of `tableId`: those with a release time at or before `nowMs`, newest release first (then id, then newest
 * version), at most `limit`.
 */
export function pastReleases<T extends { record: TableRecord; releaseAt?: string }>(
  versions: ReadonlyMap<string, ReadonlyMap<number, T>>,
  nowMs: number,
  limit: number,
  tableId?: string,
): { id: string; kept: T }[] {
  const out: { id: string; kept: T; ms: number }[] = [];
  const tables: Iterable<[string, ReadonlyMap<number, T>]> =
    tableId === undefined ? versions : versions.has(tableId) ? [[tableId, versions.get(tableId)!]] : [];
  for (const [id, byVersion] of tables) {
    for (const kept of byVersion.values()) {
      const ms = kept.releaseAt === undefined ? NaN : Date.parse(kept.releaseAt);
      if (ms <= nowMs) out.push({ id, kept, ms });
    }
  }
  out.sort((a, b) => b.ms - a.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || b.kept.record.version - a.kept.record.version);
  return out.slice(0, releaseLimit(limit)).map(({ id, kept }) => ({ id, kept }));
}

function sameFolders(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/** A scheduled version not yet recorded as released. */
export interface PendingVersion {
  record: TableRecord;
  /** ISO UTC release time. */
  releaseAt: string;
  releaseMs: number;
}

// A release time must name its zone: "2026-12-01T07:00:00Z" or "2026-12-01T08:00:00+01:00".
const RELEASE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Check a release time; returns it as ISO UTC and epoch milliseconds. */
export function parseReleaseTime(value: unknown): { iso: string; ms: number } {
  const ms = typeof value === 'string' && RELEASE_TIME.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) {
    throw new StoreError(`release time must be an ISO 8601 time with a zone (e.g. 2026-12-01T07:00:00Z), got ${JSON.stringify(value)}`);
  }
  return { iso: new Date(ms).toISOString(), ms };
}

/** Check a version number argument. */
export function checkVersion(v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new StoreError(`invalid version ${JSON.stringify(v)}`);
  return v;
}

/** Pending versions in release order: time, then version. */
export function byRelease(a: PendingVersion, b: PendingVersion): number {
  return a.releaseMs - b.releaseMs || a.record.version - b.record.version;
}

/** "/be//be01/" -> "be/be01"; undefined when not a string. */
export function normalizePath(path: unknown): string | undefined {
  if (typeof path !== 'string') return undefined;
  return path.split('/').filter(Boolean).join('/');
}

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

// Ids and path segments end up in URLs and file names: no slashes, control characters or surrounding blanks.
const BAD_ID = /[/\\\u0000-\u001f\u007f]|^\s|\s$/;

export function checkTableId(id: unknown): string {
  if (typeof id !== 'string' || id === '' || id.length > 200 || BAD_ID.test(id)) {
    throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
  }
  return id;
}

function checkTexts(t: unknown, what: string): Texts {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new StoreError(`${what}: texts must be an object`);
  for (const [k, v] of Object.entries(t)) {
    if (typeof v !== 'string') throw new StoreError(`${what}: text for ${k} is not a string`);
  }
  return t as Texts;
}

/** Check a cube before storing it; throws StoreError with the reason. */
export function validateCube(cube: unknown): Cube {
  if (cube === null || typeof cube !== 'object') throw new StoreError('cube must be an object');
  const c = cube as Partial<Cube>;
  const meta = c.meta;
  if (!meta || typeof meta !== 'object') throw new StoreError('cube has no meta');
  checkTableId(meta.id);
  if (!Array.isArray(meta.variables)) throw new StoreError(`table ${meta.id}: variables must be an array`);
  const codes = new Set<string>();
  for (const v of meta.variables) {
    if (!v || typeof v.code !== 'string' || v.code === '') throw new StoreError(`table ${meta.id}: a variable has no code`);
    if (codes.has(v.code)) throw new StoreError(`table ${meta.id}: variable ${v.code} appears twice`);
    codes.add(v.code);
    if (!Array.isArray(v.values) || v.values.length === 0) throw new StoreError(`table ${meta.id}: variable ${v.code} has no values`);
    const vals = new Set<string>();
    for (const x of v.values) {
      if (!x || typeof x.code !== 'string') throw new StoreError(`table ${meta.id}: variable ${v.code} has a value without code`);
      if (vals.has(x.code)) throw new StoreError(`table ${meta.id}: variable ${v.code} has value ${x.code} twice`);
      vals.add(x.code);
    }
  }
  if (!(c.values instanceof Float64Array)) throw new StoreError(`table ${meta.id}: values must be a Float64Array`);
  const n = cellCount(meta);
  if (c.values.length !== n) throw new StoreError(`table ${meta.id}: ${c.values.length} values for ${n} cells`);
  if (c.status !== null && c.status !== undefined) {
    if (!(c.status instanceof Uint8Array)) throw new StoreError(`table ${meta.id}: status must be a Uint8Array or null`);
    if (c.status.length !== n) throw new StoreError(`table ${meta.id}: ${c.status.length} status codes for ${n} cells`);
  }
  return c as Cube;
}

export class Catalog {
  readonly folders = new Map<string, Folder>();
  /** What readers see: per table, the record current at the last refresh. */
  readonly tables = new Map<string, TableRecord>();
  /** The record of each table recorded as released (the stored current version). */
  readonly released = new Map<string, TableRecord>();
  /** Scheduled versions not yet recorded as released, per table, in release order. */
  readonly pending = new Map<string, PendingVersion[]>();
  /** The earliest release time after the last refresh (Infinity: none). */
  private nextRelease = Infinity;
  /** Children per folder path and the id-ordered table list, built on demand, dropped on any change. */
  private index: Map<string, FolderChild[]> | null = null;
  private hidden: Set<string> | null = null;
  private sortedTables: TableRecord[] | null = null;

  constructor(readonly now: () => number = Date.now) {
    this.folders.set('', { path: '', id: '', label: {}, sort: '' });
  }

  getFolder(path: unknown): Folder | undefined {
    const p = normalizePath(path);
    if (p === undefined || this.hiddenFolders().has(p)) return undefined;
    return this.folders.get(p);
  }

  listChildren(path: unknown): FolderChild[] {
    const p = normalizePath(path);
    if (p === undefined || !this.folders.has(p) || this.hiddenFolders().has(p)) return [];
    if (!this.index) this.index = this.buildIndex();
    return (this.index.get(p) ?? []).slice();
  }

  /** The earliest coming release time (epoch ms), Infinity when none. */
  get nextReleaseMs(): number {
    return this.nextRelease;
  }

  /**
   * When a release time has come since the last refresh: the tables with a scheduled version due are refreshed
   * (only they can have changed by the clock alone), at the cost of the schedule, not of the catalogue. Returns the
   * ids whose visible version changed, null when nothing was due.
   */
  checkDue(): string[] | null {
    const now = this.now();
    if (this.nextRelease === Infinity || now < this.nextRelease) return null;
    const due: string[] = [];
    let next = Infinity;
    for (const [id, list] of this.pending) {
      let isDue = false;
      for (const p of list) {
        if (p.releaseMs <= now) isDue = true;
        else if (p.releaseMs < next) next = p.releaseMs;
      }
      if (isDue) due.push(id);
    }
    this.nextRelease = next;
    return this.refreshTables(due);
  }

  /** Recompute what readers see at the clock's now. Returns the ids whose visible version changed. */
  refresh(): string[] {
    const now = this.now();
    let next = Infinity;
    const changedIds: string[] = [];
    const ids = new Set([...this.released.keys(), ...this.pending.keys()]);
    for (const id of ids) {
      let visible = this.released.get(id);
      for (const p of this.pending.get(id) ?? []) {
        if (p.releaseMs <= now) visible = p.record;
        else if (p.releaseMs < next) next = p.releaseMs;
      }
      const prev = this.tables.get(id);
      if (!visible) {
        if (prev) {
          this.tables.delete(id);
          changedIds.push(id);
        }
        continue;
      }
      // versions never repeat: the same number is the same content, and readers keep the object they hold
      if (prev && prev.version === visible.version) continue;
      this.tables.set(id, visible);
      changedIds.push(id);
    }
    for (const id of [...this.tables.keys()]) {
      if (!ids.has(id)) {
        this.tables.delete(id);
        changedIds.push(id);
      }
    }
    this.nextRelease = next;
    this.changed();
    this.logChanges(changedIds);
    return changedIds;
  }

  /** Scheduled versions whose time has come, in release order (to be recorded as released). */
  dueVersions(): PendingVersion[] {
    const now = this.now();
    const out: PendingVersion[] = [];
    for (const list of this.pending.values()) for (const p of list) if (p.releaseMs <= now) out.push(p);
    return out.sort(byRelease);
  }

  /** Scheduled versions still under embargo, soonest first (ties by id, version). */
  embargoed(tableId?: string): PendingVersion[] {
    const now = this.now();
    const out: PendingVersion[] = [];
    const lists = tableId === undefined ? this.pending.values() : [this.pending.get(tableId) ?? []];
    for (const list of lists) for (const p of list) if (p.releaseMs > now) out.push(p);
    return out.sort((a, b) => a.releaseMs - b.releaseMs || cmp(a.record.id, b.record.id) || a.record.version - b.record.version);
  }

  /** The pending entry of one version, if scheduled. */
  findPending(id: string, version: number): PendingVersion | undefined {
    return this.pending.get(id)?.find((p) => p.record.version === version);
  }

  /**
   * Scheduled versions of a table whose time has not come, for cancel and reschedule: one version, or all when
   * `version` is undefined. Naming a version that is unknown or already released is an error.
   */
  cancellable(id: string, version: number | undefined): PendingVersion[] {
    const now = this.now();
    const list = (this.pending.get(id) ?? []).filter((p) => version === undefined || p.record.version === version);
    if (version !== undefined && (!list.length || list[0].releaseMs <= now)) {
      throw new StoreError(
        list.length ? `table ${id} version ${version} was released at ${list[0].releaseAt}` : `table ${id} has no scheduled version ${version}`,
      );
    }
    return list.filter((p) => p.releaseMs > now);
  }

  /**
   * What a warm-up may prepare: a scheduled version, or the current one (already released). Validates its
   * arguments; throws when the version is neither.
   */
  releaseTarget(id: unknown, version: unknown): { id: string; version: number; meta: TableMeta; pending?: PendingVersion } {
    if (typeof id !== 'string') throw new StoreError(`invalid table id ${JSON.stringify(id)}`);
    const v = checkVersion(version);
    const pending = this.findPending(id, v);
    const current = this.tables.get(id);
    const meta = pending?.record.meta ?? (current?.version === v ? current.meta : undefined);
    if (!meta) throw new StoreError(`table ${id} has no scheduled version ${v}`);
    return { id, version: v, meta, pending };
  }

  /** The newest version the catalog knows of a table (scheduled or visible): later versions inherit its options. */
  latest(id: string): TableRecord | undefined {
    const list = this.pending.get(id);
    const last = list?.length ? list.reduce((a, b) => (b.record.version > a.record.version ? b : a)).record : undefined;
    const vis = this.tables.get(id);
    return last && (!vis || last.version > vis.version) ? last : vis;
  }

  /** Replace the scheduled versions of a table (sorted here); an empty list removes them. */
  setPending(id: string, list: PendingVersion[]): void {
    if (list.length) this.pending.set(id, list.slice().sort(byRelease));
    else this.pending.delete(id);
  }

  /** Record a scheduled version as released: it becomes the table's released record. */
  markReleased(p: PendingVersion): void {
    const id = p.record.id;
    const rest = (this.pending.get(id) ?? []).filter((x) => x !== p);
    this.setPending(id, rest);
    this.released.set(id, p.record);
  }

  /** Every table record, in id order. */
  listTables(): TableRecord[] {
    if (!this.sortedTables) this.sortedTables = [...this.tables.values()].sort((a, b) => cmp(a.id, b.id));
    return this.sortedTables.slice();
  }

  /** A folder record for putFolder: checks the path and that the parent exists. */
  makeFolder(path: unknown, label: unknown, sort: unknown): Folder {
    const p = normalizePath(path);
    if (p === undefined) throw new StoreError('folder path must be a string');
    for (const seg of p === '' ? [] : p.split('/')) {
      if (seg.length > 200 || BAD_ID.test(seg)) throw new StoreError(`invalid folder path ${JSON.stringify(path)}`);
    }
    if (p !== '' && !this.folders.has(parentPath(p))) throw new StoreError(`parent folder of ${p} does not exist`);
    if (sort !== undefined && typeof sort !== 'string') throw new StoreError('folder sort key must be a string');
    const id = p.slice(p.lastIndexOf('/') + 1);
    const prev = this.folders.get(p);
    return { path: p, id, label: { ...checkTexts(label, `folder ${p}`) }, sort: sort ?? prev?.sort ?? id };
  }

  /**
   * The record a putTable stores: keeps folders/short name/discontinued of the previous version unless given.
   * `lastVersion` is the highest version the id ever had (versions never repeat, even after a delete).
   */
  makeRecord(
    cube: Cube,
    options: PutTableOptions | undefined,
    lastVersion: number,
    folderExists: (p: string) => boolean,
    prev: TableRecord | undefined = this.tables.get(cube.meta.id),
  ): TableRecord {
    const o = options ?? {};
    if (o === null || typeof o !== 'object') throw new StoreError('options must be an object');
    const id = cube.meta.id;
    let folders = prev?.folders ?? [];
    if (o.folders !== undefined) {
      if (!Array.isArray(o.folders)) throw new StoreError('folders must be an array of paths');
      folders = [];
      for (const f of o.folders) {
        const p = normalizePath(f);
        if (p === undefined) throw new StoreError(`invalid folder path ${JSON.stringify(f)}`);
        if (!folderExists(p)) throw new StoreError(`folder ${p} does not exist`);
        if (!folders.includes(p)) folders.push(p);
      }
    }
    if (o.shortName !== undefined && typeof o.shortName !== 'string') throw new StoreError('shortName must be a string');
    const published = o.published ?? new Date(this.now()).toISOString();
    if (typeof published !== 'string' || Number.isNaN(Date.parse(published))) {
      throw new StoreError(`published is not a date: ${JSON.stringify(o.published)}`);
    }
    const rec: TableRecord = {
      id,
      folders,
      meta: cube.meta,
      summary: summarize(cube.meta),
      version: Math.max(lastVersion, prev?.version ?? 0) + 1,
      published,
      cells: cube.values.length,
    };
    const shortName = o.shortName ?? prev?.shortName;
    if (shortName !== undefined) rec.shortName = shortName;
    const discontinued = o.discontinued ?? prev?.discontinued;
    if (discontinued !== undefined) rec.discontinued = !!discontinued;
    return rec;
  }

  setFolder(f: Folder): void {
    this.folders.set(f.path, f);
    this.changed();
  }

  /** Record `rec` as the table's released version (an immediate put) and refresh the view of that table. */
  setTable(rec: TableRecord): void {
    this.released.set(rec.id, rec);
    this.refreshTable(rec.id);
  }

  /**
   * Recompute what readers see of one table (its scheduled versions are unchanged, so the next release time is
   * too): a put costs the same whatever the size of the catalogue.
   */
  refreshTable(id: string): void {
    this.refreshTables([id]);
  }

  /**
   * Recompute what readers see of some tables whose records or scheduled versions changed (another connection's
   * writes): the cost is those tables', not the catalogue's. A release time among them may only move the next
   * refresh earlier (an early refresh is harmless).
   */
  refreshTables(ids: Iterable<string>): string[] {
    const now = this.now();
    if (now >= this.nextRelease) return this.refresh();
    const swaps: [TableRecord | undefined, TableRecord | undefined][] = [];
    for (const id of ids) {
      let visible = this.released.get(id);
      for (const p of this.pending.get(id) ?? []) {
        if (p.releaseMs <= now) visible = p.record;
        else if (p.releaseMs < this.nextRelease) this.nextRelease = p.releaseMs;
      }
      const prev = this.tables.get(id);
      // versions never repeat: the same number is the same content, and readers keep the object they hold
      if (visible === prev || (visible && prev && visible.version === prev.version)) continue;
      if (visible) this.tables.set(id, visible);
      else this.tables.delete(id);
      swaps.push([prev, visible]);
    }
    const changedIds = swaps.map(([prev, next]) => (prev ?? next)!.id);
    if (!swaps.length) return changedIds;
    // the derived listings are patched for these tables, not rebuilt: the id-ordered list always; the folder index
    // when no folder can have been hidden or shown by them (nothing is under embargo, or each is a new version of a
    // visible table in the same folders: a release at 08:00); else it is rebuilt on demand
    const hidden = this.hidden;
    const index = hidden !== null && ((!this.pending.size && hidden.size === 0) || swaps.every(([prev, next]) => prev && next && sameFolders(prev.folders, next.folders))) ? this.index : null;
    const sorted = this.sortedTables;
    this.changed();
    this.logChanges(changedIds);
    for (const [prev, next] of swaps) {
      if (index) {
        for (const p of prev?.folders ?? []) {
          const l = index.get(p);
          const i = l ? l.findIndex((c) => c.kind === 'table' && c.table.id === prev!.id) : -1;
          if (l && i >= 0) l.splice(i, 1);
        }
        for (const p of next?.folders ?? []) {
          const l = index.get(p);
          if (!l) continue;
          let i = l.findIndex((c) => c.kind === 'table');
          if (i < 0) i = l.length;
          while (i < l.length && cmp((l[i] as { table: TableRecord }).table.id, next!.id) < 0) i++;
          l.splice(i, 0, { kind: 'table', table: next! });
        }
      }
      if (sorted) {
        const id = (prev ?? next)!.id;
        let lo = 0;
        let hi = sorted.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cmp(sorted[mid].id, id) < 0) lo = mid + 1;
          else hi = mid;
        }
        const there = lo < sorted.length && sorted[lo].id === id;
        if (next) sorted.splice(lo, there ? 1 : 0, next);
        else if (there) sorted.splice(lo, 1);
      }
    }
    if (index) {
      this.index = index;
      this.hidden = hidden;
    }
    this.sortedTables = sorted;
    return changedIds;
  }

  /** Forget a table: released record and scheduled versions. Returns whether readers could see it. */
  removeTable(id: string): boolean {
    const had = this.tables.has(id);
    this.released.delete(id);
    this.pending.delete(id);
    this.refresh();
    return had;
  }

  /** Replace every folder (the root is kept when absent). */
  resetFolders(list: Folder[]): void {
    this.folders.clear();
    this.folders.set('', { path: '', id: '', label: {}, sort: '' });
    for (const f of list) this.folders.set(f.path, f);
    this.changed();
  }

  /** Counts changes: derived views (listings, search views) are valid for one generation. */
  generation = 0;

  /** Ids whose visible record changed, in order; `logStart` is the sequence number of the first one kept. */
  private log: string[] = [];
  private logStart = 0;

  /** The sequence number of the next change of a visible table record (a cursor for `changedSince`). */
  get changeSeq(): number {
    return this.logStart + this.log.length;
  }

  /** `Store.tableChanges` of every adapter: the cursor now, and what changed after `since` (null without one). */
  changes(since?: number): TableChanges {
    return { seq: this.changeSeq, ids: since === undefined ? null : this.changedSince(since) };
  }

  /**
   * Ids of the tables whose visible record changed (new version, new table, gone) after cursor `since`, each once;
   * null when that is no longer known (the oldest changes are dropped): then the caller reads the whole catalogue.
   */
  changedSince(since: number): string[] | null {
    if (!Number.isInteger(since) || since < this.logStart || since > this.changeSeq) return null;
    return [...new Set(this.log.slice(since - this.logStart))];
  }

  private logChanges(ids: string[]): void {
    if (!ids.length) return;
    for (const id of ids) this.log.push(id);
    // keep the last CHANGE_LOG entries (a bulk import of more than that between two looks reads the catalogue)
    if (this.log.length > CHANGE_LOG * 2) {
      const drop = this.log.length - CHANGE_LOG;
      this.log = this.log.slice(drop);
      this.logStart += drop;
    }
  }

  /** Drop the derived listings after a change. */
  changed(): void {
    this.generation++;
    this.index = null;
    this.hidden = null;
    this.sortedTables = null;
  }

  /** Folders whose subtree has tables under embargo and no visible table (never the root). */
  private hiddenFolders(): Set<string> {
    if (this.hidden) return this.hidden;
    const hidden = new Set<string>();
    if (this.pending.size) {
      const mark = (into: Set<string>, paths: string[]) => {
        for (let p of paths) {
          while (p !== '' && !into.has(p)) {
            into.add(p);
            p = parentPath(p);
          }
        }
      };
      const visible = new Set<string>();
      for (const t of this.tables.values()) mark(visible, t.folders);
      const embargoed = new Set<string>();
      for (const p of this.embargoed()) mark(embargoed, p.record.folders);
      for (const p of embargoed) if (!visible.has(p)) hidden.add(p);
    }
    return (this.hidden = hidden);
  }

  private buildIndex(): Map<string, FolderChild[]> {
    const subs = new Map<string, Folder[]>();
    for (const f of this.folders.values()) {
      if (f.path === '') continue;
      const p = parentPath(f.path);
      let l = subs.get(p);
      if (!l) subs.set(p, (l = []));
      l.push(f);
    }
    const tabs = new Map<string, TableRecord[]>();
    for (const t of this.tables.values()) {
      for (const p of t.folders) {
        let l = tabs.get(p);
        if (!l) tabs.set(p, (l = []));
        l.push(t);
      }
    }
    const index = new Map<string, FolderChild[]>();
    const hidden = this.hiddenFolders();
    for (const p of this.folders.keys()) {
      const fs = (subs.get(p) ?? []).filter((f) => !hidden.has(f.path)).sort((a, b) => cmp(a.sort, b.sort) || cmp(a.id, b.id));
      const ts = (tabs.get(p) ?? []).sort((a, b) => cmp(a.id, b.id));
      index.set(p, [
        ...fs.map((folder): FolderChild => ({ kind: 'folder', folder })),
        ...ts.map((table): FolderChild => ({ kind: 'table', table })),
      ]);
    }
    return index;
  }
}

/** Code-point order: the same on every machine and locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
