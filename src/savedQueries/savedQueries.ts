// Saved queries (PxWebApi 2.0 `/savedqueries`): a stored table id, language, output format and the selection
// exactly as posted (expressions unexpanded). The shared records, id rules and the synchronous in-memory
// implementation live here; the port callers use (async, with SQLite and PostgreSQL behind it) is index.ts.
// `SavedQueryStore` below is the synchronous form the memory and SQLite implementations have; it stays exported
// for callers not yet switched to index.ts.

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

/** Thrown by create() when the id asked for is already taken (callers generating ids try another). */
export class SavedQueryIdTakenError extends Error {
  constructor(readonly id: string) {
    super(`saved query id ${JSON.stringify(id)} is taken`);
  }
}

/** Thrown by create() for an id that can never be an id. */
export function invalidSavedQueryId(id: string): Error {
  return new Error(`saved query id ${JSON.stringify(id)} is invalid`);
}

/** The synchronous store (memory, SQLite); index.ts wraps it in the async port. */
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

/** A saved query as both SQL adapters store it: one row, the lists and the selection as JSON text. */
export interface SavedQueryRow {
  id: string;
  table_id: string;
  language: string;
  output_format: string;
  output_format_params: string;
  selection: string;
  created: string;
}

export function savedQueryOfRow(r: SavedQueryRow): SavedQuery {
  return {
    id: r.id,
    tableId: r.table_id,
    language: r.language,
    outputFormat: r.output_format,
    outputFormatParams: JSON.parse(r.output_format_params) as string[],
    selection: JSON.parse(r.selection) as unknown,
    created: r.created,
  };
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
      if (id !== undefined && !isSavedQueryId(id)) throw invalidSavedQueryId(id);
      if (id !== undefined && items.has(id)) throw new SavedQueryIdTakenError(id);
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
