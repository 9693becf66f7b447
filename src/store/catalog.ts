// The in-memory catalog shared by the store adapters: folders and table records, child listings in sort
// order, and the validation every adapter applies before it stores anything.

import { cellCount, type Cube, type Texts } from '../core/model.js';
import type { Folder, FolderChild, PutTableOptions, TableRecord } from './store.js';

export class StoreError extends Error {}

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
  readonly tables = new Map<string, TableRecord>();
  /** Children per folder path and the id-ordered table list, built on demand, dropped on any change. */
  private index: Map<string, FolderChild[]> | null = null;
  private sortedTables: TableRecord[] | null = null;

  constructor() {
    this.folders.set('', { path: '', id: '', label: {}, sort: '' });
  }

  getFolder(path: unknown): Folder | undefined {
    const p = normalizePath(path);
    return p === undefined ? undefined : this.folders.get(p);
  }

  listChildren(path: unknown): FolderChild[] {
    const p = normalizePath(path);
    if (p === undefined || !this.folders.has(p)) return [];
    if (!this.index) this.index = this.buildIndex();
    return (this.index.get(p) ?? []).slice();
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
  makeRecord(cube: Cube, options: PutTableOptions | undefined, lastVersion: number, folderExists: (p: string) => boolean): TableRecord {
    const o = options ?? {};
    if (typeof o !== 'object') throw new StoreError('options must be an object');
    const id = cube.meta.id;
    const prev = this.tables.get(id);
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
    const published = o.published ?? new Date().toISOString();
    if (typeof published !== 'string' || Number.isNaN(Date.parse(published))) {
      throw new StoreError(`published is not a date: ${JSON.stringify(o.published)}`);
    }
    const rec: TableRecord = {
      id,
      folders,
      meta: cube.meta,
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

  setTable(rec: TableRecord): void {
    this.tables.set(rec.id, rec);
    this.changed();
  }

  removeTable(id: string): boolean {
    const had = this.tables.delete(id);
    if (had) this.changed();
    return had;
  }

  /** Replace every folder (the root is kept when absent). */
  resetFolders(list: Folder[]): void {
    this.folders.clear();
    this.folders.set('', { path: '', id: '', label: {}, sort: '' });
    for (const f of list) this.folders.set(f.path, f);
    this.changed();
  }

  /** Drop the derived listings after a change. */
  changed(): void {
    this.index = null;
    this.sortedTables = null;
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
    for (const p of this.folders.keys()) {
      const fs = (subs.get(p) ?? []).sort((a, b) => cmp(a.sort, b.sort) || cmp(a.id, b.id));
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
