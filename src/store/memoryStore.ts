// An in-memory Store: for tests and for serving a folder of PX files without a database.
// Same catalog rules and validation as the SQLite store (catalog.ts); cubes are kept as given (copied on put).

import type { Cube, TableMeta, Texts } from '../core/model.js';
import { Catalog, StoreError, validateCube } from './catalog.js';
import type { PutTableOptions, Store, TableRecord } from './store.js';

export function createMemoryStore(): Store {
  const catalog = new Catalog();
  const cells = new Map<string, { values: Float64Array; status: Uint8Array | null }>();
  const lastVersion = new Map<string, number>();
  let closed = false;
  const open = () => {
    if (closed) throw new StoreError('store is closed');
  };

  return {
    getFolder: (path) => catalog.getFolder(path),
    listChildren: (path) => catalog.listChildren(path),
    putFolder(path: string, label: Texts, sort?: string) {
      open();
      catalog.setFolder(catalog.makeFolder(path, label, sort));
    },
    getTable: (id) => (typeof id === 'string' ? catalog.tables.get(id) : undefined),
    listTables: () => catalog.listTables(),
    async getCube(id: string): Promise<Cube> {
      open();
      const rec = typeof id === 'string' ? catalog.tables.get(id) : undefined;
      const c = rec && cells.get(rec.id);
      if (!rec || !c) throw new StoreError(`no table ${JSON.stringify(id)}`);
      return { meta: rec.meta, values: c.values, status: c.status };
    },
    putTable(cube: Cube, options?: PutTableOptions): TableRecord {
      open();
      const c = validateCube(cube);
      const rec = catalog.makeRecord(c, options, lastVersion.get(c.meta.id) ?? 0, (p) => catalog.folders.has(p));
      const status = c.status && c.status.some((s) => s !== 0) ? c.status.slice() : null;
      cells.set(rec.id, { values: c.values.slice(), status });
      // Own copies, as the SQLite store keeps: later edits of the caller's objects change nothing here.
      rec.meta = JSON.parse(JSON.stringify(c.meta)) as TableMeta;
      lastVersion.set(rec.id, rec.version);
      catalog.setTable(rec);
      return rec;
    },
    deleteTable(id: string): boolean {
      open();
      if (typeof id !== 'string') return false;
      cells.delete(id);
      return catalog.removeTable(id);
    },
    close() {
      closed = true;
      cells.clear();
    },
  };
}
