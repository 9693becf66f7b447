#!/usr/bin/env node
// The `statbank` command line: serve, import, export, demo.

import { Command, Option } from 'commander';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { loadConfig, type ServerConfig } from '../server/config.js';
import { startServer } from '../server/main.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { readPxFile } from '../formats/px/reader.js';
import { getSerializer } from '../formats/registry.js';
import { generateDemo } from '../demo/index.js';

const program = new Command();
program.name('statbank').description('Statbank: a statistics bank for PX cubes with PxWeb APIs').version('0.1.0');

const dbOption = () => new Option('--db <file>', 'SQLite database file').env('STATBANK_DB');

program
  .command('serve')
  .description('serve the APIs and the web app')
  .addOption(dbOption())
  .addOption(new Option('-p, --port <n>', 'port').env('PORT').argParser(int))
  .option('--host <host>', 'interface to listen on')
  .option('--base-url <url>', 'absolute base URL used in links')
  .option('--max-cells <n>', 'cell limit per query', int)
  .option('--max-calls <n>', 'rate limit: calls per time window (0 = off)', int)
  .option('--time-window <s>', 'rate limit window in seconds', int)
  .option('--cache-bytes <n>', 'memory budget of the cube cache', int)
  .option('--log-level <level>', 'pino log level')
  .action(async (o) => {
    const config = loadConfig({
      dbPath: o.db,
      port: o.port,
      host: o.host,
      baseUrl: o.baseUrl,
      maxCells: o.maxCells,
      maxCalls: o.maxCalls,
      timeWindow: o.timeWindow,
      cacheBytes: o.cacheBytes,
      logLevel: o.logLevel,
    });
    if (!existsSync(config.dbPath)) {
      console.error(`No database at ${config.dbPath}. Create the demo with: statbank demo --db ${config.dbPath}`);
      process.exit(1);
    }
    const server = await startServer(config);
    console.log(`Statbank serving ${config.dbPath} at ${server.url}`);
    const stop = async () => {
      await server.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('demo')
  .description('create the built-in demo database (numbers are generated demo data)')
  .addOption(dbOption())
  .option('--if-missing', 'do nothing when the database already exists')
  .option('--last-year <year>', 'newest year of annual tables', int)
  .action(async (o) => {
    const cfg = loadConfig({ dbPath: o.db });
    if (o.ifMissing && existsSync(cfg.dbPath)) {
      console.log(`Demo database ${cfg.dbPath} exists`);
      return;
    }
    mkdirSync(dirname(resolve(cfg.dbPath)), { recursive: true });
    const started = Date.now();
    const store = openStore(cfg.dbPath, { cacheBytes: cfg.cacheBytes });
    try {
      await generateDemo(store, { lastYear: o.lastYear });
      const tables = store.listTables();
      const cells = tables.reduce((a, t) => a + t.cells, 0);
      console.log(`Demo database ${cfg.dbPath}: ${tables.length} tables, ${cells.toLocaleString('en')} cells, ${Date.now() - started} ms`);
    } finally {
      store.close();
    }
  });

program
  .command('import')
  .description('import PX files (or folders of them) into the database')
  .argument('<paths...>', 'PX files or folders')
  .addOption(dbOption())
  .option('--folder <path>', 'subject folder to list the tables under, e.g. be/be01')
  .option('--folder-label <text>', 'label of a folder created by --folder')
  .option('--id <id>', 'table id (only with one file; default MATRIX)')
  .option('--language <lang>', 'language of files without LANGUAGE', 'no')
  .action(async (paths: string[], o) => {
    const cfg = loadConfig({ dbPath: o.db });
    mkdirSync(dirname(resolve(cfg.dbPath)), { recursive: true });
    const files = paths.flatMap((p) => pxFiles(p));
    if (!files.length) {
      console.error('No PX files found');
      process.exit(1);
    }
    const store = openStore(cfg.dbPath, { cacheBytes: cfg.cacheBytes });
    const folder = o.folder ? ensureFolder(store, o.folder, o.folderLabel) : undefined;
    const bar = new cliProgress.SingleBar(
      { format: 'import [{bar}] {value}/{total} {file}', hideCursor: true, noTTYOutput: false, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(files.length, 0, { file: '' });
    const ok: string[] = [];
    const failed: { file: string; reason: string }[] = [];
    for (const file of files) {
      bar.update({ file });
      try {
        const { cube, warnings } = await readPxFile(file, {
          id: files.length === 1 ? o.id : undefined,
          defaultLanguage: o.language,
        });
        const rec = store.putTable(cube, { folders: folder !== undefined ? [folder] : undefined });
        ok.push(`${rec.id} (${rec.cells.toLocaleString('en')} cells, version ${rec.version})${warnings.length ? `, ${warnings.length} warnings` : ''} <- ${file}`);
      } catch (e) {
        failed.push({ file, reason: (e as Error).message });
      }
      bar.increment();
    }
    bar.stop();
    store.close();
    console.log(`Imported ${ok.length} of ${files.length} files into ${cfg.dbPath}`);
    for (const line of ok) console.log(`  ok    ${line}`);
    for (const f of failed) console.log(`  FAIL  ${f.file}: ${f.reason}`);
    if (failed.length) process.exitCode = ok.length ? 2 : 1;
  });

program
  .command('export')
  .description('write a whole table in a format')
  .argument('<table>', 'table id')
  .addOption(dbOption())
  .addOption(new Option('-f, --format <format>', 'output format').choices(['px', 'json-stat2', 'json-stat', 'csv', 'xlsx', 'parquet', 'html']).default('px'))
  .option('--lang <lang>', 'language of texts (px: all languages when omitted)')
  .option('-o, --out <file>', 'output file (default: stdout)')
  .action(async (id: string, o) => {
    const cfg = loadConfig({ dbPath: o.db });
    if (!existsSync(cfg.dbPath)) {
      console.error(`No database at ${cfg.dbPath}`);
      process.exit(1);
    }
    const store = openStore(cfg.dbPath, { cacheBytes: cfg.cacheBytes });
    try {
      const rec = store.getTable(id);
      if (!rec) {
        console.error(`No table ${id}`);
        process.exitCode = 1;
        return;
      }
      const cube = await store.getCube(id);
      const api = o.format === 'json-stat' ? 'v1' : 'v2';
      const ser = getSerializer(o.format, api);
      if (!ser) throw new Error(`unknown format ${o.format}`);
      const lang = o.lang ?? (o.format === 'px' ? undefined : rec.meta.defaultLanguage);
      const out = await ser.serialize(cube, { lang: lang as string, api });
      if (o.out) writeFileSync(o.out, out.body);
      else process.stdout.write(out.body);
    } finally {
      store.close();
    }
  });

function int(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`not an integer: ${v}`);
  return n;
}

/** Every .px file under a path (case-insensitive extension), sorted. */
function pxFiles(p: string): string[] {
  if (!existsSync(p)) return [p]; // reported as a failure with the reader's message
  if (statSync(p).isDirectory()) {
    return readdirSync(p)
      .sort()
      .flatMap((n) => {
        const q = join(p, n);
        return statSync(q).isDirectory() ? pxFiles(q) : extname(n).toLowerCase() === '.px' ? [q] : [];
      });
  }
  return [p];
}

/** Create each segment of a folder path that does not exist yet. */
function ensureFolder(store: Store, path: string, label?: string): string {
  const parts = path.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const p = parts.slice(0, i).join('/');
    if (!store.getFolder(p)) {
      const text = i === parts.length && label ? label : parts[i - 1];
      store.putFolder(p, { no: text, en: text });
    }
  }
  return parts.join('/');
}

export type { ServerConfig };

program.parseAsync(process.argv).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
