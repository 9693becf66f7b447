// Saved queries (PxWebApi 2.0 `/savedqueries`): a stored table id, language, output format and the selection
// exactly as posted (expressions unexpanded). The port below has an in-memory implementation (tests, serving
// PX files without a database) and a SQLite one in the store's database file (sqliteSavedQueries.ts).

import { randomUUID } from 'node:crypto';

export interface SavedQueryInput {
  tableId: string;
  language: string;
  outputFormat: string;
  outputFormatParams: string[];
  /** The VariablesSelection as posted (`{selection:[…], placement:{…}}`), kept verbatim as JSON. */
  selection: unknown;
}

export interface SavedQuery extends SavedQueryInput {
  id: string;
  /** ISO timestamp of creation. */
  created: string;
}

export interface SavedQueryStore {
  /**
   * Store a query under a new id, or under `id` when given (v1-era numeric ids such as "10007797"); throws when
   * `id` is not a valid id or is taken, or when the backend cannot store it.
   */
  create(q: SavedQueryInput, id?: string): SavedQuery;
  /** The query with this id, or undefined (also for ids that cannot be ids). */
  get(id: string): SavedQuery | undefined;
  close(): void;
}

/** Saved-query ids are GUIDs; anything outside [A-Za-z0-9-] is never an id. */
export function isSavedQueryId(id: string): boolean {
  return /^[A-Za-z0-9-]{1,64}$/.test(id);
}

export function newSavedQueryId(): string {
  return randomUUID();
}

/** A defensive deep copy through JSON, so stored queries cannot be changed through references. */
export function cloneJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export function createMemorySavedQueryStore(): SavedQueryStore {
  const items = new Map<string, string>();
  return {
    create(q, id) {
      if (id !== undefined && (!isSavedQueryId(id) || items.has(id))) throw new Error(`saved query id ${JSON.stringify(id)} is invalid or taken`);
      const saved: SavedQuery = { id: id ?? newSavedQueryId(), created: new Date().toISOString(), ...cloneJson(q) };
      items.set(saved.id, JSON.stringify(saved));
      return cloneJson(saved);
    },
    get(id) {
      if (!isSavedQueryId(id)) return undefined;
      const s = items.get(id);
      return s === undefined ? undefined : (JSON.parse(s) as SavedQuery);
    },
    close() {
      items.clear();
    },
  };
}
