// The reading side of bench/scale.ts, in its own process so start-up time and resident memory are its own:
// opens the database as a server would, answers a first request, then measures navigation, metadata, search,
// cold and warm queries, the longest event-loop block during the cold load of the largest table, and (after
// "go" on stdin) latencies while another process imports one table, until "stop". Prints one JSON line per phase.

import { createInterface } from 'node:readline';
import { evaluate, type Plan } from '../src/core/engine.js';
import { searchPage, searchTables } from '../src/search/searchIndex.js';
import { openSqliteStore } from '../src/store/sqliteStore.js';
import { rng, SEARCH_WORDS } from './_scaleData.js';

const t0 = performance.now();
const path = process.argv[2];
const say = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
const store = openSqliteStore(path, { cacheBytes: 256 * 1024 * 1024 });
const opened = performance.now() - t0;
// the first answer: the root of the subject tree and one search, as the first requests of a server would be
const root = store.listChildren('');
searchTables(store, 'folkemengde', { lang: 'no' });
const firstAnswer = performance.now() - t0;
const rssAfterStart = process.memoryUsage().rss;

const r = rng(7);
const tables = store.listTables();
const folders: string[] = [];
const walk = (p: string) => {
  folders.push(p);
  for (const c of store.listChildren(p)) if (c.kind === 'folder') walk(c.folder.path);
};
walk('');
const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];

function navigation(): void {
  // a folder listing as the APIs render it: each table's title and time span from its summary
  for (const c of store.listChildren(pick(folders))) {
    if (c.kind === 'table') void `${c.table.summary.title.no} ${c.table.summary.firstPeriod}-${c.table.summary.lastPeriod}`;
  }
}
function metadata(): void {
  const m = store.getTable(pick(tables).id)!.meta;
  void m.variables.reduce((a, v) => a + v.values.length, 0);
}
/** A search as the APIs answer it: the first page (20 hits) and the number of hits. */
function search(): void {
  searchPage(store, pick(SEARCH_WORDS), { lang: pick(['no', 'en']), limit: 20 });
}
/** Every hit ranked (what an unpaged catalogue-wide answer needs). */
function searchAll(): void {
  searchTables(store, pick(SEARCH_WORDS), { lang: pick(['no', 'en']) });
}
/** A small query: the first two values of every variable. */
async function query(id: string): Promise<void> {
  const c = await store.getCube(id);
  const plan: Plan = c.meta.variables.map((v) => ({ kind: 'pick', indices: v.values.length > 1 ? [0, 1] : [0] }));
  evaluate(c, plan);
}

function stats(xs: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100;
  return { n: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1) };
}
async function timeIt(f: () => unknown, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}

say({ phase: 'start', openMs: Math.round(opened), firstAnswerMs: Math.round(firstAnswer), rssAfterStartBytes: rssAfterStart, rootChildren: root.length, tables: tables.length });

const nav = await timeIt(navigation, 400);
const meta = await timeIt(metadata, 400);
const srch = await timeIt(search, 300);
const srchAll = await timeIt(searchAll, 300);
const byCells = [...tables].sort((a, b) => a.cells - b.cells);
const smallish = byCells.slice(0, Math.max(1, Math.floor(byCells.length * 0.9)));
const coldIds = Array.from({ length: 40 }, () => pick(smallish).id);
const cold = await timeIt(() => query(coldIds.shift()!), 40);
const warmId = pick(smallish).id;
await query(warmId);
const warm = await timeIt(() => query(warmId), 100);

// the longest block of the event loop while the largest table is loaded cold
const largest = byCells[byCells.length - 1];
let lastTick = performance.now();
let maxGap = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  maxGap = Math.max(maxGap, now - lastTick);
  lastTick = now;
}, 1);
const tl = performance.now();
await query(largest.id);
const largestLoadMs = performance.now() - tl;
await new Promise((res) => setTimeout(res, 5));
clearInterval(ticker);

say({
  phase: 'latency',
  navigationMs: stats(nav),
  metadataMs: stats(meta),
  searchMs: stats(srch),
  searchAllHitsMs: stats(srchAll),
  coldQueryMs: stats(cold),
  warmQueryMs: stats(warm),
  largestTable: { id: largest.id, cells: largest.cells, coldLoadMs: Math.round(largestLoadMs), longestEventLoopBlockMs: Math.round(maxGap) },
  rssBytes: process.memoryUsage().rss,
  metaCache: store.metaCacheStats(),
});

// during an import by another process: a mix of requests until "stop"
const during: number[] = [];
let stop = false;
let sawNew = false;
const lines = createInterface({ input: process.stdin });
lines.on('line', (l) => {
  if (l.trim() === 'stop') stop = true;
});
say({ phase: 'ready' });
const ops = [navigation, metadata, search];
const byOp = new Map<string, number[]>(ops.map((f) => [f.name, []]));
while (!stop) {
  const t = performance.now();
  const op = pick(ops);
  op();
  const ms = performance.now() - t;
  during.push(ms);
  byOp.get(op.name)!.push(ms);
  if (!sawNew && store.getTable('99999')) sawNew = true;
  await new Promise((res) => setImmediate(res));
}
say({
  phase: 'during',
  duringImportMs: stats(during),
  byOperation: Object.fromEntries([...byOp].map(([k, v]) => [k, stats(v)])),
  sawImportedTable: sawNew || !!store.getTable('99999'),
});
lines.close();
store.close();
