// DuckDB (npm @duckdb/node-api) as an independent Parquet reader for tests: writes the bytes to a temp
// file, hands a connection and the file's path to `fn`, cleans up. Skips the test when DuckDB is absent.
import type { TestContext } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type DuckConnection = Awaited<ReturnType<Awaited<ReturnType<typeof import('@duckdb/node-api').DuckDBInstance.create>>['connect']>>;

export async function withParquetInDuckDb(
  t: TestContext,
  bytes: Uint8Array,
  fn: (con: DuckConnection, file: string) => Promise<void>,
): Promise<void> {
  let duck: typeof import('@duckdb/node-api');
  try {
    duck = await import('@duckdb/node-api');
  } catch {
    t.skip('@duckdb/node-api not available');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'statbank-duckdb-'));
  try {
    const file = join(dir, 'data.parquet');
    writeFileSync(file, bytes);
    const db = await duck.DuckDBInstance.create(':memory:');
    const con = await db.connect();
    try {
      await fn(con, file);
    } finally {
      con.closeSync?.();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
