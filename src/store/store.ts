// The storage port: what the APIs, CLI and web app need from a statbank store.
// Adapters: sqlite.ts (embedded default). The catalog (folders + table metadata) is small
// and read synchronously; cube data is loaded lazily and cached (see cubeCache.ts).

import type { Cube, TableMeta, Texts } from '../core/model.js';

export interface Folder {
  /** Full path of segment ids from the root, e.g. "be/be02" ("" is the root). */
  path: string;
  /** Last segment of the path ("be02"). */
  id: string;
  label: Texts;
  /** Sort key among siblings. */
  sort: string;
}

export interface TableRecord {
  /** Table id ("07459"). */
  id: string;
  /** Folder paths the table is listed under (a table may sit in several folders). */
  folders: string[];
  /** Short name of the statistic the table belongs to ("folkemengde", "kpi"). */
  shortName?: string;
  meta: TableMeta;
  /** Increments each time the table is replaced. */
  version: number;
  /** ISO timestamp of this version's publication. */
  published: string;
  /** Number of cells in the cube. */
  cells: number;
  discontinued?: boolean;
}

export type FolderChild = { kind: 'folder'; folder: Folder } | { kind: 'table'; table: TableRecord };

export interface PutTableOptions {
  folders?: string[];
  shortName?: string;
  /** Publication time; defaults to now. */
  published?: string;
  discontinued?: boolean;
}

export interface Store {
  /** Folder by path ("" = root); undefined when absent. */
  getFolder(path: string): Folder | undefined;
  /** Children of a folder: sub-folders then tables, each in sort order. */
  listChildren(path: string): FolderChild[];
  /** Create or relabel a folder (its parents must exist, except the root). */
  putFolder(path: string, label: Texts, sort?: string): void;
  getTable(id: string): TableRecord | undefined;
  listTables(): TableRecord[];
  /** The table's cube, loaded lazily and cached. Rejects when the table is unknown. */
  getCube(id: string): Promise<Cube>;
  /**
   * Store a table, atomically replacing any previous version: a concurrent reader sees the
   * whole old table or the whole new one. Returns the new record.
   */
  putTable(cube: Cube, options?: PutTableOptions): TableRecord;
  deleteTable(id: string): boolean;
  close(): void;
}
