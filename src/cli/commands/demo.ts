// statbank demo: the built-in demo database (generated numbers), in a SQLite file or a PostgreSQL database, with its
// content: the ready-made datasets and Klass classifications as files the server reads (beside a SQLite file, or in
// the current folder for PostgreSQL), and the course's saved query stored with the other saved queries.

import { existsSync, writeFileSync } from 'node:fs';
import { openAdminStore } from '../../admin/admin.js';
import { DEMO_HEADLINES } from '../../admin/demoHeadlines.js';
import { ensureSeed } from '../../app/savedQuerySeeds.js';
import { demoContent, generateDemo } from '../../demo/index.js';
import { openSavedQueryStore } from '../../savedQueries/index.js';
import { contentFiles } from '../../server/content.js';
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
    const content = demoContent();
    const files = contentFiles(dbPath) ?? { datasets: 'statbank-demo.datasets.json', klass: 'statbank-demo.klass.json' };
    writeFileSync(files.datasets, JSON.stringify(content.datasets, null, 1));
    writeFileSync(files.klass, JSON.stringify(content.klass));
    const saved = openSavedQueryStore(store);
    try {
      for (const seed of content.savedQuerySeeds) await ensureSeed(seed, store, saved);
    } finally {
      await saved.close();
    }
    // the headline a wire service gets at each release of the trade table (admin data beside the tables)
    const admin = openAdminStore(store);
    try {
      for (const h of DEMO_HEADLINES) await admin.put('headline', h.id, h);
    } finally {
      await admin.close();
    }
    const tables = store.listTables();
    const cells = tables.reduce((a, t) => a + t.cells, 0);
    cli.out(`Demo database ${dbPath}: ${tables.length} tables, ${cells.toLocaleString('en')} cells, ${Date.now() - started} ms`);
    cli.out(`Datasets in ${files.datasets}, Klass classifications in ${files.klass}`);
    if (!contentFiles(dbPath)) cli.out(`Serve them with STATBANK_DATASETS=${files.datasets} STATBANK_KLASS=${files.klass}`);
  });
}
