// statbank export: a whole table in one format, to a file or stdout, through the application's query runner (the
// same pipeline the APIs use: streamed writers for large tables, the same limits on memory).

import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { loadConfig } from '../../app/config.js';
import { createAppContext } from '../../app/context.js';
import { identityPlan } from '../../core/engine.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';

export async function exportTable(cli: Cli, id: string, o: { db?: string; format: string; lang?: string; out?: string }): Promise<void> {
  await withStore(o.db, { mustExist: true }, async (store) => {
    const rec = store.getTable(id);
    if (!rec) throw new CliError(`No table ${id}`);
    // a whole table: no cell limit, no time limit, one client
    const ctx = createAppContext({ store, config: loadConfig({ dbPath: o.db, maxCells: 0, queryTimeoutMs: 0 }) });
    try {
      const lang = o.lang ?? (o.format === 'px' ? undefined : rec.meta.defaultLanguage);
      const answer = await ctx.runner
        .run({ record: rec, resolve: (meta) => ({ plan: identityPlan(meta) }), format: o.format, api: 'cli', options: { lang: lang as string } })
        .catch((e: Error & { kind?: string }) => {
          throw e.kind === 'unknown-format' ? new CliError(`unknown format ${o.format}`) : e;
        });
      const chunks = answer.stream ?? [answer.body!];
      if (o.out) await pipeline(Readable.from(chunks), createWriteStream(o.out));
      else for await (const c of chunks) cli.write(c);
    } finally {
      await ctx.close();
    }
  });
}
