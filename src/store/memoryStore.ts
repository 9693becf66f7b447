// An in-memory Store: for tests and for serving a folder of PX files without a database.

import { cellCount, type Cube, type Texts } from '../core/model.js';
import type { Folder, FolderChild, PutTableOptions, Store, TableRecord } from './store.js';

export function createMemoryStore(): Store {
  const folders = new Map<string, Folder>([['', { path: '', id: '', label: {}, sort: '' }]]);
  const tables = new Map<string, TableRecord>();
  const cubes = new Map<string, Cube>();

  const parentOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

  return {
    getFolder: (path) => folders.get(normalize(path)),
    listChildren(path) {
      const p = normalize(path);
      const subs = [...folders.values()]
        .filter((f) => f.path !== '' && parentOf(f.path) === p)
        .sort((a, b) => a.sort.localeCompare(b.sort) || a.id.localeCompare(b.id));
      const tabs = [...tables.values()]
        .filter((t) => t.folders.includes(p))
        .sort((a, b) => a.id.localeCompare(b.id));
      return [
        ...subs.map((folder): FolderChild => ({ kind: 'folder', folder })),
        ...tabs.map((table): FolderChild => ({ kind: 'table', table })),
      ];
    },
    putFolder(path: string, label: Texts, sort?: string) {
      const p = normalize(path);
      if (p !== '' && !folders.has(parentOf(p))) throw new Error(`parent folder of ${p} does not exist`);
      const id = p.slice(p.lastIndexOf('/') + 1);
      folders.set(p, { path: p, id, label, sort: sort ?? id });
    },
    getTable: (id) => tables.get(id),
    listTables: () => [...tables.values()],
    async getCube(id) {
      const c = cubes.get(id);
      if (!c) throw new Error(`no table ${id}`);
      return c;
    },
    putTable(cube: Cube, options: PutTableOptions = {}) {
      const id = cube.meta.id;
      const prev = tables.get(id);
      const rec: TableRecord = {
        id,
        folders: (options.folders ?? prev?.folders ?? []).map(normalize),
        shortName: options.shortName ?? prev?.shortName,
        meta: cube.meta,
        version: (prev?.version ?? 0) + 1,
        published: options.published ?? new Date().toISOString(),
        cells: cellCount(cube.meta),
        discontinued: options.discontinued ?? prev?.discontinued,
      };
      tables.set(id, rec);
      cubes.set(id, cube);
      return rec;
    },
    deleteTable: (id) => {
      cubes.delete(id);
      return tables.delete(id);
    },
    close() {},
  };
}

function normalize(path: string): string {
  return path.split('/').filter(Boolean).join('/');
}
