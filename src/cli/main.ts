#!/usr/bin/env node
// The `statbank` command line: serve, import, export, demo; publish (scheduled releases), releases, cancel,
// reschedule, versions.

import { Command, Option } from 'commander';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { readFileSync } from 'node:fs';
import { PxWebClient, parseSelectArgs, selectionFromQuery, type FetchProgress, type Selection } from '../client/index.js';
import { OUTPUT_FORMATS, outputFormatOf, readCubeFile, serializeCube } from '../client/cubeFiles.js';
import { loadConfig, type AppConfig } from '../app/config.js';
import { isPostgresUrl, startServer } from '../server/main.js';
import { relaunchWithHugePages } from '../server/hugePages.js';
import { openStore } from '../store/index.js';
import { openPostgresStore } from '../store/postgresStore.js';
import type { Store } from '../store/store.js';
import { readPxFile } from '../formats/px/reader.js';
import { getSerializer } from '../formats/registry.js';
import { generateDemo } from '../demo/index.js';
import { DEFAULT_RELEASE_CLOCK, RELEASE_TIME_ZONE, formatReleaseTime, releaseInstant } from '../publishing/releaseTime.js';

const program = new Command();
program.name('statbank').description('Statbank: a statistics bank for PX cubes with PxWeb APIs').version('0.1.0');
// program options (--version) only before the command name, so `cancel --version 3` means the table version
program.enablePositionalOptions();

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
    if (relaunchWithHugePages()) return;
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
    if (!isPostgresUrl(config.dbPath) && !existsSync(config.dbPath)) {
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
    if (o.ifMissing && !isPostgresUrl(cfg.dbPath) && existsSync(cfg.dbPath)) {
      console.log(`Demo database ${cfg.dbPath} exists`);
      return;
    }
    const started = Date.now();
    const db = await openDb(cfg.dbPath, cfg.cacheBytes);
    const { store } = db;
    try {
      if (o.ifMissing && store.listTables().length) {
        console.log(`Demo database ${cfg.dbPath} exists`);
        return;
      }
      await generateDemo(store, { lastYear: o.lastYear });
      const tables = store.listTables();
      const cells = tables.reduce((a, t) => a + t.cells, 0);
      console.log(`Demo database ${cfg.dbPath}: ${tables.length} tables, ${cells.toLocaleString('en')} cells, ${Date.now() - started} ms`);
    } finally {
      await db.close();
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
    const files = paths.flatMap((p) => pxFiles(p));
    if (!files.length) {
      console.error('No PX files found');
      process.exit(1);
    }
    const db = await openDb(cfg.dbPath, cfg.cacheBytes);
    const { store } = db;
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
    await db.close();
    console.log(`Imported ${ok.length} of ${files.length} files into ${cfg.dbPath}`);
    for (const line of ok) console.log(`  ok    ${line}`);
    for (const f of failed) console.log(`  FAIL  ${f.file}: ${f.reason}`);
    if (failed.length) process.exitCode = ok.length ? 2 : 1;
  });

program
  .command('fetch')
  .description('fetch a table from any PxWeb server (API v1 or 2.0), split under its cell limit and paced under its rate limit')
  .argument('<url>', 'a v2 table or data URL (…/api/v2/tables/07459[/data?valueCodes[…]=…]), a v1 table URL (…/api/v0/en/table/07459) or an API root')
  .argument('[table]', 'table id, when <url> is an API root')
  .option('-q, --query <file>', 'selection as a PxWeb v1 query body or a PxWebApi 2.0 selection body (JSON)')
  .option('-s, --select <Var=codes>', 'values of one variable: codes and v2 expressions (*, 03*, top(5), from(2020), range(a,b)); vs_X:codes for a codelist; repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[])
  .addOption(new Option('-f, --format <format>', 'output format (default from the -o extension, else json-stat2)').choices(OUTPUT_FORMATS as unknown as string[]))
  .option('-o, --out <file>', 'output file (default: stdout unless --import)')
  .option('--lang <lang>', 'language of the texts')
  .option('--labels <mode>', 'csv/arrow/parquet columns: codes, texts or codesAndTexts')
  .option('--all', 'take all values of the variables a selection leaves out (default: eliminated where the table allows, as PxWeb does; with no selection at all the whole table is fetched)')
  .option('--import', 'import the fetched table into the database')
  .addOption(dbOption())
  .option('--folder <path>', 'with --import: subject folder to list the table under')
  .option('--id <id>', 'table id to store or write (default the server’s)')
  .option('--max-cells <n>', 'cells per call (default the server’s limit)', int)
  .option('--max-calls <n>', 'calls per time window (default the server’s limit)', int)
  .option('--time-window <s>', 'rate-limit window in seconds (default the server’s)', int)
  .option('--concurrency <n>', 'calls at the same time', int, 1)
  .addOption(new Option('--method <method>', 'v2: how to ask for data').choices(['GET', 'POST', 'get', 'post']))
  .option('--plan', 'only print how the query would be split')
  .action(async (url: string, tableArg: string | undefined, o) => {
    const limits = { maxCells: o.maxCells, maxCalls: o.maxCalls, timeWindow: o.timeWindow };
    const { client, tableId, selection: urlSelection } = await PxWebClient.fromUrl(url, {
      lang: o.lang,
      limits,
      concurrency: o.concurrency,
      method: o.method ? (o.method.toUpperCase() as 'GET' | 'POST') : undefined,
      userAgent: 'statbank-cli',
    });
    const table = tableArg ?? tableId;
    if (!table) throw new Error(`${url} names no table: add the table id`);
    let selection: Selection = { ...(urlSelection ?? {}) };
    if (o.query) selection = { ...selection, ...selectionFromQuery(JSON.parse(readFileSync(o.query, 'utf8'))) };
    if (o.select.length) selection = { ...selection, ...parseSelectArgs(o.select) };
    const omitted = o.all || !Object.keys(selection).length ? 'all' : 'eliminate';
    if (client.limitsWarning) console.error(client.limitsWarning);
    const plan = await client.plan(table, selection, { omitted });
    const l = plan.limits;
    console.error(
      `${client.api} ${table}: ${plan.plan.totalCells.toLocaleString('en')} cells in ${plan.batches.length} call(s) of at most ${plan.plan.maxBatchCells.toLocaleString('en')} cells` +
        ` (server: ${l.maxCells.toLocaleString('en')} cells per call${l.maxCalls > 0 && l.maxCalls < 2147483647 ? `, ${l.maxCalls} calls per ${l.timeWindow} s` : ''})`,
    );
    if (o.plan) {
      let d = 0;
      for (const r of plan.resolved) console.log(`  ${r.code}: ${r.codes === null ? 'eliminated' : `${r.codes.length} values in ${plan.plan.pieces[d++]} piece(s)`}`);
      return;
    }
    const bar = new cliProgress.SingleBar(
      { format: 'fetch [{bar}] {value}/{total} calls | {cells} cells | {state}', hideCursor: true, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(plan.batches.length, 0, { cells: 0, state: '' });
    const onProgress = (p: FetchProgress) => {
      if (p.phase === 'plan') bar.setTotal(p.batches);
      const state =
        p.phase === 'wait' ? (Number.isNaN(p.waitMs) ? 'waiting for a call to end' : `rate limit: waiting ${((p.waitMs ?? 0) / 1000).toFixed(1)} s`)
        : p.phase === 'retry' ? `retry${p.status ? ` after ${p.status}` : ''}: ${p.message ?? ''}`.slice(0, 60)
        : p.phase;
      bar.update(p.batchesDone, { cells: p.cellsDone.toLocaleString('en'), state });
    };
    let cube;
    try {
      cube = await client.fetchCube(table, selection, { onProgress, omitted });
    } finally {
      bar.stop();
    }
    if (o.id) cube.meta.id = o.id;
    console.error(`fetched ${cube.values.length.toLocaleString('en')} cells in ${client.calls} HTTP calls`);
    if (o.import) {
      const cfg = loadConfig({ dbPath: o.db });
      mkdirSync(dirname(resolve(cfg.dbPath)), { recursive: true });
      const store = openStore(cfg.dbPath, { cacheBytes: cfg.cacheBytes });
      try {
        if (o.folder && !store.getFolder(o.folder)) {
          const parts = (o.folder as string).split('/').filter(Boolean);
          for (let i = 1; i <= parts.length; i++) {
            const p = parts.slice(0, i).join('/');
            if (!store.getFolder(p)) store.putFolder(p, { no: parts[i - 1], en: parts[i - 1] });
          }
        }
        const rec = store.putTable(cube, { folders: o.folder ? [(o.folder as string).split('/').filter(Boolean).join('/')] : undefined });
        console.error(`imported ${rec.id} (version ${rec.version}) into ${cfg.dbPath}`);
      } finally {
        store.close();
      }
    }
    if (o.out || !o.import) {
      const format = o.format ?? (o.out ? outputFormatOf(o.out) : 'json-stat2');
      const body = await serializeCube(cube, format, { lang: o.lang, labels: o.labels });
      if (o.out) writeFileSync(o.out, body);
      else process.stdout.write(body);
    }
  });

program
  .command('convert')
  .description('convert a table file: PX or JSON-stat (1.x, 2.0) in; PX, JSON-stat 2, CSV, Arrow, Parquet or xlsx out')
  .argument('<in>', 'input file (.px, .json)')
  .argument('<out>', 'output file (.px, .json, .csv, .arrow, .parquet, .xlsx)')
  .option('--from <format>', 'input format: px or json-stat (default from the extension)')
  .addOption(new Option('--to <format>', 'output format (default from the extension)').choices(OUTPUT_FORMATS as unknown as string[]))
  .option('--lang <lang>', 'language of the texts written (PX: all when omitted); JSON-stat input: language of its texts')
  .option('--labels <mode>', 'csv/arrow/parquet columns: codes, texts or codesAndTexts')
  .option('--dataset <key>', 'JSON-stat bundle or collection: which dataset (key, label or position)')
  .option('--id <id>', 'table id (default MATRIX / tableid, then the file name)')
  .action(async (input: string, output: string, o) => {
    const format = outputFormatOf(output, o.to);
    const dataset = o.dataset !== undefined && /^\d+$/.test(o.dataset) ? Number(o.dataset) : o.dataset;
    const { cube, warnings, format: from } = await readCubeFile(input, { from: o.from, id: o.id, lang: o.lang, dataset });
    for (const w of warnings) console.error(`warning: ${w}`);
    const lang = o.lang !== undefined && cube.meta.languages.includes(o.lang) ? o.lang : undefined;
    const body = await serializeCube(cube, format, { lang, labels: o.labels });
    writeFileSync(output, body);
    console.error(`${input} (${from}) -> ${output} (${format}): table ${cube.meta.id}, ${cube.values.length.toLocaleString('en')} cells, ${body.length.toLocaleString('en')} bytes`);
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

program
  .command('publish')
  .description('schedule PX files as new table versions, public at the release time (08:00 Europe/Oslo by default) and invisible until then')
  .argument('<paths...>', 'PX files or folders')
  .addOption(dbOption())
  .requiredOption('--date <YYYY-MM-DD>', 'release date')
  .option('--time <HH:MM>', 'release time of day', DEFAULT_RELEASE_CLOCK)
  .option('--time-zone <zone>', 'time zone of --date and --time', RELEASE_TIME_ZONE)
  .option('--folder <path>', 'subject folder to list the tables under (repeatable); default: where the table is now', collect, [])
  .option('--folder-label <text>', 'label of a folder created by --folder')
  .option('--id <id>', 'table id (only with one file; default MATRIX)')
  .option('--short-name <name>', 'short name of the statistic')
  .option('--language <lang>', 'language of files without LANGUAGE', 'no')
  .action(async (paths: string[], o) => {
    const cfg = loadConfig({ dbPath: o.db });
    let releaseAt: string;
    try {
      releaseAt = releaseInstant(o.date, o.time, o.timeZone);
    } catch (e) {
      return fail((e as Error).message);
    }
    const when = `${formatReleaseTime(releaseAt, 'en', o.timeZone)} ${o.timeZone} (${releaseAt})`;
    if (Date.parse(releaseAt) <= Date.now()) {
      return fail(`The release time ${when} has passed; publish now with: statbank import`);
    }
    const files = paths.flatMap((p) => pxFiles(p));
    if (!files.length) return fail('No PX files found');
    mkdirSync(dirname(resolve(cfg.dbPath)), { recursive: true });
    const store = openStore(cfg.dbPath, { cacheBytes: cfg.cacheBytes });
    const ok: string[] = [];
    const failed: { file: string; reason: string }[] = [];
    try {
      // a new folder stays hidden while it holds only tables under embargo
      const folders = (o.folder as string[]).map((f) => ensureFolder(store, f, o.folderLabel));
      for (const file of files) {
        try {
          const { cube, warnings } = await readPxFile(file, { id: files.length === 1 ? o.id : undefined, defaultLanguage: o.language });
          const r = store.scheduleTable(cube, { releaseAt, folders: folders.length ? folders : undefined, shortName: o.shortName });
          const rec = r.record;
          ok.push(`${rec.id} version ${rec.version} (${rec.cells.toLocaleString('en')} cells)${warnings.length ? `, ${warnings.length} warnings` : ''} <- ${file}`);
        } catch (e) {
          failed.push({ file, reason: (e as Error).message });
        }
      }
    } finally {
      store.close();
    }
    console.log(`Scheduled ${ok.length} of ${files.length} files in ${cfg.dbPath} for release at ${when}`);
    for (const line of ok) console.log(`  ok    ${line}`);
    for (const f of failed) console.log(`  FAIL  ${f.file}: ${f.reason}`);
    if (failed.length) process.exitCode = ok.length ? 2 : 1;
  });

program
  .command('releases')
  .description('list the scheduled releases (versions under embargo), soonest first')
  .addOption(dbOption())
  .option('--json', 'print JSON')
  .action((o) => {
    withExistingStore(o.db, (store) => {
      const list = store.listScheduled();
      if (o.json) {
        const rows = list.map((r) => ({ id: r.record.id, version: r.record.version, releaseAt: r.releaseAt, cells: r.record.cells, title: r.record.meta.title, folders: r.record.folders }));
        console.log(JSON.stringify(rows, null, 2));
        return;
      }
      if (!list.length) return console.log('No scheduled releases');
      for (const r of list) {
        const rec = r.record;
        const title = rec.meta.title[rec.meta.defaultLanguage] ?? Object.values(rec.meta.title)[0] ?? '';
        console.log(`${formatReleaseTime(r.releaseAt, 'en')}  ${r.releaseAt}  ${rec.id} version ${rec.version}  ${rec.cells.toLocaleString('en')} cells  ${title}`);
      }
    });
  });

program
  .command('cancel')
  .description('cancel a scheduled release of a table (all of its scheduled versions unless --version)')
  .argument('<table>', 'table id')
  .addOption(dbOption())
  .option('--version <n>', 'the scheduled version', int)
  .action((id: string, o) => {
    withExistingStore(o.db, (store) => {
      const gone = store.cancelRelease(id, o.version);
      if (!gone.length) return fail(`No scheduled release of ${id}`);
      console.log(`Cancelled ${id} version${gone.length > 1 ? 's' : ''} ${gone.join(', ')}`);
    });
  });

program
  .command('reschedule')
  .description('move a scheduled release to another time')
  .argument('<table>', 'table id')
  .addOption(dbOption())
  .requiredOption('--date <YYYY-MM-DD>', 'new release date')
  .option('--time <HH:MM>', 'release time of day', DEFAULT_RELEASE_CLOCK)
  .option('--time-zone <zone>', 'time zone of --date and --time', RELEASE_TIME_ZONE)
  .option('--version <n>', 'the scheduled version (needed when the table has several)', int)
  .action((id: string, o) => {
    withExistingStore(o.db, (store) => {
      const releaseAt = releaseInstant(o.date, o.time, o.timeZone);
      if (Date.parse(releaseAt) <= Date.now()) return fail(`The release time ${releaseAt} has passed`);
      const mine = store.listScheduled().filter((r) => r.record.id === id);
      const version: number | undefined = o.version ?? (mine.length === 1 ? mine[0].record.version : undefined);
      if (version === undefined) {
        return fail(mine.length ? `${id} has several scheduled versions (${mine.map((r) => r.record.version).join(', ')}): give --version` : `No scheduled release of ${id}`);
      }
      const r = store.rescheduleRelease(id, version, releaseAt);
      console.log(`Rescheduled ${id} version ${version} for ${formatReleaseTime(r.releaseAt, 'en', o.timeZone)} ${o.timeZone} (${r.releaseAt})`);
    });
  });

program
  .command('versions')
  .description("list a table's versions, scheduled ones included")
  .argument('<table>', 'table id')
  .addOption(dbOption())
  .option('--json', 'print JSON')
  .action((id: string, o) => {
    withExistingStore(o.db, (store) => {
      const list = store.listVersions(id, { includePending: true });
      if (o.json) return console.log(JSON.stringify(list, null, 2));
      if (!list.length) return fail(`No table ${id}`);
      for (const v of list) {
        const state = v.pending ? `scheduled for ${formatReleaseTime(v.releaseAt ?? v.published, 'en')}` : v.current ? 'current' : 'earlier';
        const title = v.title.no ?? Object.values(v.title)[0] ?? '';
        console.log(`${v.current ? '*' : ' '} version ${v.version}  ${state}  published ${v.published}  ${v.cells.toLocaleString('en')} cells  ${title}`);
      }
    });
  });

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Print an error and set a failing exit code. */
function fail(message: string): void {
  console.error(message);
  process.exitCode = 1;
}

/** Run `f` on the database at `db` (or the configured one), which must exist; store errors are printed. */
function withExistingStore(db: string | undefined, f: (store: Store) => void): void {
  const cfg = loadConfig({ dbPath: db });
  if (!existsSync(cfg.dbPath)) return fail(`No database at ${cfg.dbPath}`);
  const store = openStore(cfg.dbPath, { cacheBytes: cfg.cacheBytes });
  try {
    f(store);
  } catch (e) {
    fail((e as Error).message);
  } finally {
    store.close();
  }
}

/** Open the database --db names: a SQLite file (created with its folder), or a postgres:// URL whose queued
 * writes are flushed before it closes. */
async function openDb(db: string, cacheBytes: number): Promise<{ store: Store; close(): Promise<void> }> {
  if (isPostgresUrl(db)) {
    const pg = await openPostgresStore({ connectionString: db, cacheBytes });
    return {
      store: pg,
      close: async () => {
        try {
          await pg.flush();
        } finally {
          await pg.closeAsync();
        }
      },
    };
  }
  mkdirSync(dirname(resolve(db)), { recursive: true });
  const store = openStore(db, { cacheBytes });
  return { store, close: async () => store.close() };
}

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

export type { AppConfig };

program.parseAsync(process.argv).catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
