// The AdminStore in two tables of the statbank PostgreSQL database, through the store's pool (closing this leaves
// the pool open: the store owns it). Every write is one autocommitted statement; `insertNew` relies on the primary
// key (ON CONFLICT DO NOTHING), so exactly one node claims a key.

import { schemaOnce } from '../store/postgresSchema.js';
import type pg from 'pg';
import { logLimit, type AdminStore, type LogEntry, type ReadLogOptions } from './adminStore.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS statbank_admin_docs (
  kind    TEXT NOT NULL,
  id      TEXT NOT NULL,
  doc     TEXT NOT NULL,
  created BIGSERIAL,
  PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS statbank_admin_log (
  seq   BIGSERIAL PRIMARY KEY,
  log   TEXT NOT NULL,
  entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS statbank_admin_log_by_log ON statbank_admin_log (log, seq);`;

export function openPostgresAdminStore(pool: pg.Pool): AdminStore {
  // nodes starting together must not race on CREATE TABLE
  const schema = schemaOnce(pool, 'statbank_admin_schema', SCHEMA);
  const q = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    await schema();
    return pool.query<R>(sql, params);
  };
  return {
    async get<T>(kind: string, id: string) {
      const r = await q<{ doc: string }>('SELECT doc FROM statbank_admin_docs WHERE kind = $1 AND id = $2', [kind, id]);
      return r.rows.length ? (JSON.parse(r.rows[0].doc) as T) : undefined;
    },
    async list<T>(kind: string) {
      const r = await q<{ doc: string }>('SELECT doc FROM statbank_admin_docs WHERE kind = $1 ORDER BY created', [kind]);
      return r.rows.map((row) => JSON.parse(row.doc) as T);
    },
    async put(kind, id, doc) {
      await q('INSERT INTO statbank_admin_docs (kind, id, doc) VALUES ($1, $2, $3) ON CONFLICT (kind, id) DO UPDATE SET doc = excluded.doc', [
        kind,
        id,
        JSON.stringify(doc),
      ]);
    },
    async insertNew(kind, id, doc) {
      const r = await q('INSERT INTO statbank_admin_docs (kind, id, doc) VALUES ($1, $2, $3) ON CONFLICT (kind, id) DO NOTHING', [kind, id, JSON.stringify(doc)]);
      return r.rowCount === 1;
    },
    async delete(kind, id) {
      const r = await q('DELETE FROM statbank_admin_docs WHERE kind = $1 AND id = $2', [kind, id]);
      return r.rowCount === 1;
    },
    async append(log, entry) {
      const r = await q<{ seq: string }>('INSERT INTO statbank_admin_log (log, entry) VALUES ($1, $2) RETURNING seq', [log, JSON.stringify(entry)]);
      return Number(r.rows[0].seq);
    },
    async readLog<T>(log: string, o?: ReadLogOptions) {
      const r = await q<{ seq: string; entry: string }>(
        'SELECT seq, entry FROM statbank_admin_log WHERE log = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3',
        [log, o?.before ?? Number.MAX_SAFE_INTEGER, logLimit(o)],
      );
      return r.rows.map((row): LogEntry<T> => ({ seq: Number(row.seq), entry: JSON.parse(row.entry) as T }));
    },
    async close() {},
  };
}
