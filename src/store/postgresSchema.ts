// Creating tables in a PostgreSQL database shared by several nodes: nodes that start together must not race on
// CREATE TABLE, so each schema is created under its own advisory lock, in one transaction.

import type pg from 'pg';

/** Run `sql` (CREATE ... IF NOT EXISTS) under the advisory lock `lock`, in one transaction. */
export async function createSchema(pool: pg.Pool, lock: string, sql: string): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    await c.query(sql);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

/** createSchema once, on first use; a failed attempt is tried again at the next call. */
export function schemaOnce(pool: pg.Pool, lock: string, sql: string): () => Promise<void> {
  let ready: Promise<void> | null = null;
  return () => {
    ready ??= createSchema(pool, lock, sql).catch((e) => {
      ready = null;
      throw e;
    });
    return ready;
  };
}
