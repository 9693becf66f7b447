// Creating tables in a PostgreSQL database shared by several nodes: nodes that start together must not race on
// CREATE TABLE, so each schema is created under its own advisory lock, in one transaction.

import type pg from 'pg';

/**
 * Run `work` in one transaction on a pooled connection (`begin`: the BEGIN statement, e.g. with an isolation level):
 * committed when it resolves, rolled back when it throws; the connection goes back to the pool either way.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query(begin);
    const out = await work(c);
    await c.query('COMMIT');
    return out;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

/** Run `sql` (CREATE ... IF NOT EXISTS) under the advisory lock `lock`, in one transaction. */
export async function createSchema(pool: pg.Pool, lock: string, sql: string): Promise<void> {
  await inTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lock]);
    await c.query(sql);
  });
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
