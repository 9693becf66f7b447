// Saved queries in a table of the statbank PostgreSQL database, through the store's own connection pool. Every
// create() is one autocommitted INSERT, so it resolves only once the query is committed: a link handed out after
// create() works on every node, also after a crash.

import { schemaOnce } from '../store/postgresSchema.js';
import type pg from 'pg';
import {
  SavedQueryIdTakenError,
  cloneJson,
  invalidSavedQueryId,
  isSavedQueryId,
  newSavedQueryId,
  type SavedQuery,
  type SavedQueryInput,
  savedQueryOfRow,
  type SavedQueryRow,
} from './savedQueries.js';
import type { SavedQueryStore } from './index.js';

const SCHEMA = `CREATE TABLE IF NOT EXISTS statbank_saved_queries (
  id                   TEXT PRIMARY KEY,
  table_id             TEXT NOT NULL,
  language             TEXT NOT NULL,
  output_format        TEXT NOT NULL,
  output_format_params TEXT NOT NULL,
  selection            TEXT NOT NULL,
  created              TEXT NOT NULL
)`;

/** The saved queries in the database `pool` connects to (the table is created on first use). Closing it leaves the pool open: the store owns it. */
export function openPostgresSavedQueryStore(pool: pg.Pool): SavedQueryStore {
  let closed = false;
  // two nodes starting together must not race on CREATE TABLE; a failed attempt is tried again next time
  const schema = schemaOnce(pool, 'statbank_saved_queries_schema', SCHEMA);
  const open = () => {
    if (closed) throw new Error('saved-query store is closed');
  };
  return {
    async create(q: SavedQueryInput, id?: string): Promise<SavedQuery> {
      open();
      if (id !== undefined && !isSavedQueryId(id)) throw invalidSavedQueryId(id);
      const saved: SavedQuery = { id: id ?? newSavedQueryId(), created: new Date().toISOString(), ...cloneJson(q) };
      await schema();
      try {
        await pool.query(
          `INSERT INTO statbank_saved_queries (id, table_id, language, output_format, output_format_params, selection, created)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [saved.id, saved.tableId, saved.language, saved.outputFormat, JSON.stringify(saved.outputFormatParams), JSON.stringify(saved.selection ?? null), saved.created],
        );
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw new SavedQueryIdTakenError(saved.id); // unique_violation
        throw e;
      }
      return saved;
    },
    async get(id: string): Promise<SavedQuery | undefined> {
      open();
      if (!isSavedQueryId(id)) return undefined;
      await schema();
      const r = await pool.query<SavedQueryRow>('SELECT * FROM statbank_saved_queries WHERE id = $1', [id]);
      const row = r.rows[0];
      if (!row) return undefined;
      return savedQueryOfRow(row);
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
