// statbank demo: the built-in demo database (generated numbers), in a SQLite file or a PostgreSQL database.

import { existsSync } from 'node:fs';
import { generateDemo } from '../../demo/index.js';
import { isPostgresUrl } from '../../store/index.js';
import { dbOf, withStore } from '../db.js';
import type { Cli } from '../io.js';

export async function demo(cli: Cli, o: { db?: string; ifMissing?: boolean; lastYear?: number }): Promise<void> {
  const { dbPath } = dbOf(o.db);
  if (o.ifMissing && !isPostgresUrl(dbPath) && existsSync(dbPath)) return cli.out(`Demo database ${dbPath} exists`);
  const started = Date.now();
  await withStore(o.db, {}, async (store) => {
    if (o.ifMissing && store.listTables().length) return cli.out(`Demo database ${dbPath} exists`);
    await generateDemo(store, { lastYear: o.lastYear });
    const tables = store.listTables();
    const cells = tables.reduce((a, t) => a + t.cells, 0);
    cli.out(`Demo database ${dbPath}: ${tables.length} tables, ${cells.toLocaleString('en')} cells, ${Date.now() - started} ms`);
  });
}
