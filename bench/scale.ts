// Scale benchmark (issue 9): a generated catalogue of Statistics Norway's shape in a SQLite store.
//   quick (default): 300 tables, 10^7 cells;   --full: 20,000 tables, 10^9 cells (minutes and ~9 GB of disk);
//   --tables=N --cells=N for another size.
// Figures: import MB/s and cells/s, stored bytes per cell; then, in a fresh process as a server would start: time
// from start to the first answer, RSS after start, p50/p95 of navigation, metadata, search, cold and warm queries,
// the longest event-loop block during the cold load of the largest table; and p99 latency of that process while
// this one imports five small tables one at a time (each picked up incrementally), with the imports' own times and memory.
// Release at scale: one table's next version released at its instant in a server's store with the release feed,
// timed where a catalogue-sized cost would show (the first read after the instant, the feed's check, the first
// listing after it), beside what the same steps cost when they read the whole catalogue (a full refresh of what
// readers see, a feed snapshot of every table, listings rebuilt), measured in the same run.
// Lookups at scale: an unknown table id, an id in another case, a matrix name, an unknown codelist, the 50 newest
// tables (RSS) and a page of the tables in a language (v2 /tables) through the app's TableLookup (after its one-time build, also timed), beside the catalogue scan or sort
// each was before.
// STATBANK_SCALE_DIR=<dir> keeps the database there and reuses it on the next run.
// Run: `npm run bench -- scale` or `npm run bench -- scale --full`.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../src/store/sqliteStore.js';
import { ReleaseFeed } from '../src/admin/feed.js';
import { createMemoryAdminStore } from '../src/admin/adminStore.js';
import { cellTargets, makeTable, SUBJECTS } from './_scaleData.js';
import { TableLookup } from '../src/app/tableLookup.js';

const SEED = 20_000;
/** The tables the single-table imports store while the probe reads (the probe watches for the last one). */
const IMPORTED = ['99995', '99996', '99997', '99998', '99999'];
/** The table the release phase publishes and releases (removed again after). */
const RELEASED = '99990';

export function fileBytes(db: string): number {
  let n = 0;
  for (const f of [db, `${db}-wal`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}

export function generate(db: string, tables: number, totalCells: number, log: (s: string) => void): Record<string, unknown> {
  const targets = cellTargets(tables, totalCells, SEED);
  const store = openSqliteStore(db);
  for (const [code, no, en] of SUBJECTS) {
    store.putFolder(code, { no, en });
    for (let k = 1; k <= 8; k++) store.putFolder(`${code}/${code}${String(k).padStart(2, '0')}`, { no: `${no} ${k}`, en: `${en} ${k}` });
  }
  let cells = 0;
  let genMs = 0;
  let putMs = 0;
  let largest = 0;
  const t0 = performance.now();
  // as `statbank import` does: batches of up to 64 tables or 256 MB of cells, one transaction each
  for (let i = 0; i < tables; ) {
    const batch: { cube: ReturnType<typeof makeTable>['cube']; folder: string }[] = [];
    let batchBytes = 0;
    let t = performance.now();
    while (i < tables && batch.length < 64 && batchBytes < 256 * 1024 * 1024) {
      const g = makeTable(i++, targets[i - 1], SEED);
      batch.push(g);
      batchBytes += g.cube.values.length * 9;
    }
    genMs += performance.now() - t;
    t = performance.now();
    store.batch(() => {
      for (const { cube, folder } of batch) store.putTable(cube, { folders: [folder], published: '2025-06-01T06:00:00Z' });
    });
    putMs += performance.now() - t;
    for (const { cube } of batch) {
      cells += cube.values.length;
      largest = Math.max(largest, cube.values.length);
    }
    if (Math.floor(i / 1000) !== Math.floor((i - batch.length) / 1000)) {
      log(`[scale] ${i}/${tables} tables, ${(cells / 1e6).toFixed(0)} M cells, ${Math.round((performance.now() - t0) / 1000)} s`);
    }
  }
  store.close();
  const bytes = fileBytes(db);
  return {
    tables,
    cells,
    largestTableCells: largest,
    dbBytes: bytes,
    bytesPerCell: Math.round((bytes / cells) * 100) / 100,
    importSeconds: Math.round(putMs / 100) / 10,
    importMBps: Math.round((bytes / 1e6 / (putMs / 1000)) * 10) / 10,
    importCellsPerSecond: Math.round(cells / (putMs / 1000)),
    generateSeconds: Math.round(genMs / 100) / 10,
  };
}

/** Start the probe and collect its JSON lines; `onReady` runs when it waits for the import. */
function probe(db: string, onReady: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const script = fileURLToPath(new URL('./_scaleProbe.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, script, db], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out: Record<string, unknown> = {};
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    createInterface({ input: child.stdout }).on('line', (line) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      const { phase, ...rest } = msg;
      if (phase === 'ready') {
        onReady().then(
          (imp) => {
            out.singleImport = imp;
            child.stdin.write('stop\n');
          },
          (e) => {
            child.kill();
            reject(e);
          },
        );
      } else Object.assign(out, { [String(phase)]: rest });
    });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`probe exited with ${code}`))));
  });
}

/**
 * The catalogue a scale benchmark runs on: quick (300 tables, 10^7 cells), `--full` (20,000 tables, 10^9 cells), or
 * `--tables=N --cells=N` (e.g. 20,000 tables with fewer cells on a small machine); kept in STATBANK_SCALE_DIR when
 * set (and reused by the next run), else in a fresh temporary folder the caller removes (`keep` undefined).
 */
export function scaleProfile(tmpPrefix: string) {
  const full = process.argv.includes('--full');
  const arg = (name: string) => {
    const v = process.argv.find((x) => x.startsWith(`--${name}=`))?.split('=')[1];
    return v === undefined ? undefined : Number(v);
  };
  const tables = arg('tables') ?? (full ? 20_000 : 300);
  const totalCells = arg('cells') ?? (full ? 1e9 : 1e7);
  const keep = process.env.STATBANK_SCALE_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), tmpPrefix));
  if (keep) mkdirSync(keep, { recursive: true });
  return { full, tables, totalCells, keep, dir, db: join(dir, `scale-${tables}.db`) };
}

export async function run(): Promise<Record<string, unknown>> {
  const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
  const { full, tables, totalCells, keep, dir, db } = scaleProfile('statbank-bench-scale-');
  const log = (s: string) => process.stderr.write(s + '\n');
  try {
    // the machine's other work skews every figure: load averages at the start and before reading
    const result: Record<string, unknown> = { profile: full ? 'full' : 'quick', tables, targetCells: totalCells, loadavgAtStart: load() };
    if (existsSync(db)) {
      result.import = { reused: db, dbBytes: fileBytes(db) };
    } else {
      result.import = generate(db, tables, totalCells, log);
    }
    result.loadavgBeforeReading = load();
    const reading = await probe(db, async () => {
      // small tables, one at a time, as `statbank import` stores each: open (with a lazy catalogue, as the CLI opens
      // it), put, close, in this process; five of them, so the reader's p99 rests on enough requests
      const before = process.memoryUsage().rss;
      const runs: { openMs: number; totalMs: number }[] = [];
      for (const id of IMPORTED) {
        const t = performance.now();
        const s = openSqliteStore(db, { lazyCatalog: true });
        const opened = performance.now() - t;
        const { cube } = makeTable(Number(id) - 10_000, 2_000, 1);
        cube.meta.id = id;
        s.putTable(cube, { folders: ['be/be01'] });
        s.close();
        runs.push({ openMs: Math.round(opened), totalMs: Math.round(performance.now() - t) });
      }
      const ms = (k: 'openMs' | 'totalMs') => runs.map((r) => r[k]).sort((a, b) => a - b);
      return { tables: runs.length, openMs: ms('openMs'), totalMs: ms('totalMs'), rssGrowthBytes: process.memoryUsage().rss - before };
    });
    Object.assign(result, reading);
    result.releaseAtScale = await releaseAtScale(db);
    result.lookupsAtScale = lookupsAtScale(db);
    result.loadavgAtEnd = load();
    // the imported tables go again, so a kept database stays the same catalogue
    const s = openSqliteStore(db, { lazyCatalog: true });
    for (const id of [...IMPORTED, RELEASED]) s.deleteTable(id);
    s.close();
    return result;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Lookups that are not by exact id, at this catalogue size (src/app/tableLookup.ts): an unknown table id (a v2 404),
 * an id in another case, a matrix name and an unknown codelist, each median of 20 after the index's one-time build,
 * and the languages the tables carry (counted from the change log);
 * beside them the scan of the catalogue each of them was before, in the same process.
 */
function lookupsAtScale(db: string): Record<string, unknown> {
  const store = openSqliteStore(db);
  const ms = (t: number) => Math.round((performance.now() - t) * 1000) / 1000;
  // the median time of 20 calls of f
  const medianMs = (f: () => unknown) => {
    const xs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      f();
      xs.push(ms(t));
    }
    return xs.sort((a, b) => a - b)[10];
  };
  try {
    const lookup = new TableLookup(store);
    let t = performance.now();
    lookup.byIdIgnoringCase('no-such-table');
    const buildMs = ms(t);
    const some = store.listTables()[Math.floor(store.listTables().length / 2)];
    const upper = some.id.toUpperCase() === some.id ? some.id.toLowerCase() : some.id.toUpperCase();
    const lookups = {
      unknownIdMs: medianMs(() => lookup.byIdIgnoringCase('no-such-table')),
      otherCaseMs: medianMs(() => lookup.byIdIgnoringCase(upper)),
      matrixMs: medianMs(() => lookup.byMatrix(some.summary.matrix ?? 'no-such-matrix')),
      unknownCodelistMs: medianMs(() => [...lookup.withCodelist('agg_no-such-grouping')]),
      newest50Ms: medianMs(() => {
        const out = [];
        for (const r of lookup.newest()) if (out.push(r) >= 50) break;
      }),
      tablesPageMs: medianMs(() => lookup.inLanguage('no').slice(980, 1000)),
      // the served languages, from the tables (src/app/languages.ts), as each request may ask for them once a second
      servedLanguagesMs: medianMs(() => lookup.languages()),
    };
    const scans = {
      unknownIdMs: medianMs(() => store.listTables().find((r) => r.id.toLowerCase() === 'no-such-table')),
      otherCaseMs: medianMs(() => store.listTables().find((r) => r.id.toLowerCase() === upper.toLowerCase())),
      matrixMs: medianMs(() => store.listTables().find((r) => r.summary.matrix === (some.summary.matrix ?? 'no-such-matrix'))),
      unknownCodelistMs: medianMs(() => store.listTables().filter((r) => r.summary.variables.some((v) => v.groupings?.includes('no-such-grouping') || v.classification))),
      newest50Ms: medianMs(() =>
        store
          .listTables()
          .sort((a, b) => Date.parse(b.published) - Date.parse(a.published) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .slice(0, 50),
      ),
      tablesPageMs: medianMs(() => store.listTables().filter((r) => !r.summary.languages.length || r.summary.languages.includes('no')).slice(980, 1000)),
      servedLanguagesMs: medianMs(() => {
        const count = new Map<string, number>();
        for (const r of store.listTables()) for (const l of r.summary.languages) count.set(l, (count.get(l) ?? 0) + 1);
        return [...count].sort((a, b) => b[1] - a[1]);
      }),
    };
    return { tables: store.listTables().length, indexBuildMs: buildMs, lookups, catalogueScans: scans };
  } finally {
    store.close();
  }
}

/**
 * One release in a catalogue of this size, on an injected clock: a store opened as a server opens it, a release feed
 * primed on it, a table with a version scheduled; at the instant, the first read (which makes the release visible),
 * the feed's check (which announces it) and the first listings after it are timed. Beside them, in the same
 * process, what the whole-catalogue way costs: recomputing what readers see for every table, snapshotting every
 * table for the feed, and rebuilding the id-ordered list and the folder index.
 */
async function releaseAtScale(db: string): Promise<Record<string, unknown>> {
  let now = Date.now();
  const store = openSqliteStore(db, { now: () => now });
  const feed = new ReleaseFeed(store, createMemoryAdminStore(), { baseUrl: 'https://stat.example' });
  const ms = (t: number) => Math.round((performance.now() - t) * 100) / 100;
  try {
    const { cube } = makeTable(RELEASED.length, 2_000, 7);
    cube.meta.id = RELEASED;
    store.putTable(cube, { folders: ['be/be01'] });
    const release = now + 60_000;
    const next = makeTable(RELEASED.length, 2_000, 8).cube;
    next.meta.id = RELEASED;
    // (the version number is the store's: a table left by an interrupted run keeps counting)
    const version = store.scheduleTable(next, { releaseAt: new Date(release).toISOString() }).record.version;
    await store.prepareRelease(RELEASED, version);
    let t = performance.now();
    feed.prime();
    const primeMs = ms(t);
    // the listings a server holds before the instant
    store.listTables();
    store.listChildren('be/be01');
    const tables = store.listTables().length;
    now = release;
    t = performance.now();
    const first = store.getTable(RELEASED);
    const firstReadMs = ms(t);
    t = performance.now();
    const events = await feed.check();
    const feedCheckMs = ms(t);
    t = performance.now();
    store.listTables();
    store.listChildren('be/be01');
    const listingsMs = ms(t);
    if (first?.version !== version || events.map((e) => e.id).join() !== `${RELEASED}@${version}`) throw new Error(`release at scale: saw ${first?.version}, ${events.map((e) => e.id)}`);
    // the whole-catalogue alternative, same process and catalogue
    const catalog = (store as unknown as { catalog: { refresh(): void; changed(): void } }).catalog;
    t = performance.now();
    catalog.refresh();
    const fullRefreshMs = ms(t);
    t = performance.now();
    const all = store.listTables();
    const snapshot = new Map(all.map((r) => [r.id, { version: r.version, discontinued: !!r.discontinued, record: r }]));
    all.filter((r) => (snapshot.get(r.id)?.version ?? 0) < r.version);
    const fullFeedCheckMs = ms(t);
    catalog.changed();
    t = performance.now();
    store.listTables();
    store.listChildren('be/be01');
    const rebuiltListingsMs = ms(t);
    await feed.idle();
    return {
      tables,
      feedPrimeMs: primeMs,
      instant: { firstReadMs, feedCheckMs, listingsMs },
      wholeCatalogue: { refreshMs: fullRefreshMs, feedSnapshotMs: fullFeedCheckMs, listingsRebuiltMs: rebuiltListingsMs },
    };
  } finally {
    await feed.close();
    store.close();
  }
}
