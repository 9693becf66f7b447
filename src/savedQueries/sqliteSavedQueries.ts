// Saved queries in a SQLite table of the statbank database file (its own connection; the store runs in WAL
// mode, so this writer does not block the store's readers).

import { openSqliteSideConnection } from '../store/sqliteStore.js';
import {
  SavedQueryIdTakenError,
  cloneJson,
  invalidSavedQueryId,
  isSavedQueryId,
  newSavedQueryId,
  type SavedQuery,
  type SavedQueryStore,
  savedQueryOfRow,
  type SavedQueryRow,
} from './savedQueries.js';

/** Open (creating the table when missing) the saved queries kept in the database at `path`. */
export function openSqliteSavedQueryStore(path: string): SavedQueryStore {
  const db = openSqliteSideConnection(
    path,
    `CREATE TABLE IF NOT EXISTS saved_queries (
      id TEXT PRIMARY KEY,
      table_id TEXT NOT NULL,
      language TEXT NOT NULL,
      output_format TEXT NOT NULL,
      output_format_params TEXT NOT NULL,
      selection TEXT NOT NULL,
      created TEXT NOT NULL
    )`,
  );
  const insert = db.prepare(
    'INSERT INTO saved_queries (id, table_id, language, output_format, output_format_params, selection, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare('SELECT * FROM saved_queries WHERE id = ?');
  return {
    create(q, id) {
      if (id !== undefined && !isSavedQueryId(id)) throw invalidSavedQueryId(id);
      const saved: SavedQuery = { id: id ?? newSavedQueryId(), created: new Date().toISOString(), ...cloneJson(q) };
      try {
        insert.run(
          saved.id,
          saved.tableId,
          saved.language,
          saved.outputFormat,
          JSON.stringify(saved.outputFormatParams),
          JSON.stringify(saved.selection ?? null),
          saved.created,
        );
      } catch (e) {
        // a taken id fails on the primary key (also when another connection took it meanwhile)
        if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new SavedQueryIdTakenError(saved.id);
        throw e;
      }
      return saved;
    },
    get(id) {
      if (!isSavedQueryId(id)) return undefined;
      const r = select.get(id) as SavedQueryRow | undefined;
      if (!r) return undefined;
      return savedQueryOfRow(r);
    },
    close() {
      if (db.open) db.close();
    },
  };
}
