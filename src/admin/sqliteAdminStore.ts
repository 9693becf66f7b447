// The AdminStore in two tables of the statbank SQLite file (its own connection; WAL mode, so these small writes do
// not block the store's readers). `insertNew` is an INSERT that a primary key refuses, so two processes on one file
// cannot both claim a key.

import { openSqliteSideConnection } from '../store/sqliteStore.js';
import { logLimit, type AdminStore, type LogEntry, type ReadLogOptions } from './adminStore.js';

export function openSqliteAdminStore(path: string): AdminStore {
  const db = openSqliteSideConnection(
    path,
    `CREATE TABLE IF NOT EXISTS admin_docs (
      kind TEXT NOT NULL,
      id   TEXT NOT NULL,
      doc  TEXT NOT NULL,
      PRIMARY KEY (kind, id)
    );
    CREATE TABLE IF NOT EXISTS admin_log (
      seq   INTEGER PRIMARY KEY AUTOINCREMENT,
      log   TEXT NOT NULL,
      entry TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS admin_log_by_log ON admin_log (log, seq);`,
  );
  const get = db.prepare<[string, string], { doc: string }>('SELECT doc FROM admin_docs WHERE kind = ? AND id = ?');
  const list = db.prepare<[string], { doc: string }>('SELECT doc FROM admin_docs WHERE kind = ? ORDER BY rowid');
  const put = db.prepare('INSERT INTO admin_docs (kind, id, doc) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc');
  const insertNew = db.prepare('INSERT INTO admin_docs (kind, id, doc) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO NOTHING');
  const del = db.prepare('DELETE FROM admin_docs WHERE kind = ? AND id = ?');
  const append = db.prepare('INSERT INTO admin_log (log, entry) VALUES (?, ?)');
  const read = db.prepare<[string, number, number], { seq: number; entry: string }>(
    'SELECT seq, entry FROM admin_log WHERE log = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );
  return {
    async get<T>(kind: string, id: string) {
      const r = get.get(kind, id);
      return r ? (JSON.parse(r.doc) as T) : undefined;
    },
    async list<T>(kind: string) {
      return list.all(kind).map((r) => JSON.parse(r.doc) as T);
    },
    async put(kind, id, doc) {
      put.run(kind, id, JSON.stringify(doc));
    },
    async insertNew(kind, id, doc) {
      return insertNew.run(kind, id, JSON.stringify(doc)).changes === 1;
    },
    async delete(kind, id) {
      return del.run(kind, id).changes === 1;
    },
    async append(log, entry) {
      return Number(append.run(log, JSON.stringify(entry)).lastInsertRowid);
    },
    async readLog<T>(log: string, o?: ReadLogOptions) {
      return read.all(log, o?.before ?? Number.MAX_SAFE_INTEGER, logLimit(o)).map((r): LogEntry<T> => ({ seq: r.seq, entry: JSON.parse(r.entry) as T }));
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
