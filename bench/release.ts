// Release benchmark: the first query after a scheduled release, with and without warm-up, against an ordinary
// cube-cached query (a different selection each time, so the response cache never answers).
//
// Two demo tables (07459, ~0.5M cells; 05196, ~5.9M cells) are stored in a temporary SQLite file, and their next
// versions scheduled for 08:00 Europe/Oslo on three successive days (three release rounds). Two server apps open
// the file on one injected clock: "warm" runs the release scheduler (5 minutes before each release the cube is
// read, decoded and pinned in the cache), "cold" does not. At each instant, before any tick, each app answers a v1
// POST (one region, every other value, json-stat2); the app that goes first alternates by round. Figures are
// medians over the rounds. Also: the search index prepared at warm-up (the post-release catalogue), the time the
// release tick spends bringing the index up to date (adopting the prepared one), builds at the release, and the
// first search after it.
// Push (first): 200 SSE subscribers on /api/events and 200 clients polling /api/v2 data across a release on the
// real clock (the server's release feed wakes at the instant): the time from the release instant to the last SSE
// event delivered (and p99 over subscribers), to the first answer with the new version, errors, and mixed versions
// (an answer with cells of two versions, or a client that saw the new version and then the old one).
// Targets: last event <= 50 ms, p99 <= 10 ms, zero errors, zero mixed versions.
// Run alone: `npm run bench -- release`.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FastifyInstance } from 'fastify';
import { buildDemoTable, DEFAULT_LAST_YEAR } from '../src/demo/index.js';
import { ReleaseScheduler } from '../src/publishing/scheduler.js';
import { searchIndexStats } from '../src/search/searchIndex.js';
import { releaseInstant } from '../src/publishing/releaseTime.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/app/config.js';
import { openSqliteStore, type SqliteStore } from '../src/store/sqliteStore.js';
import { createMemoryStore } from '../src/store/memoryStore.js';
import { createAppContext } from '../src/app/context.js';
import { Admin } from '../src/admin/admin.js';
import { createMemoryAdminStore } from '../src/admin/adminStore.js';
import { attachAdmin } from '../src/api/admin/adminContext.js';
import type { Cube, TableMeta } from '../src/core/model.js';
import { Agent as HttpAgent, get as httpGet, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

const TABLES = ['07459', '05196'];
const ROUNDS = 3;
const CACHED_RUNS = 5;

/** A full garbage collection between phases, so one phase's garbage is not collected during the next one's timing. */
function getGc(): () => Promise<void> {
  let gc = globalThis.gc as (() => void) | undefined;
  if (typeof gc !== 'function') {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  const collect = gc;
  return async () => {
    collect();
    await new Promise((r) => setImmediate(r));
    collect();
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

function query(region: string): string {
  const all = (code: string) => ({ code, selection: { filter: 'all', values: ['*'] } });
  return JSON.stringify({
    query: [{ code: 'Region', selection: { filter: 'item', values: [region] } }, all('Kjonn'), all('Alder'), all('Tid')],
    response: { format: 'json-stat2' },
  });
}

async function timed(app: FastifyInstance, url: string, body?: string): Promise<number> {
  const t0 = performance.now();
  const r = await app.inject(body === undefined ? { method: 'GET', url } : { method: 'POST', url, payload: body });
  const ms = performance.now() - t0;
  if (r.statusCode !== 200) throw new Error(`${url}: HTTP ${r.statusCode} ${r.body.slice(0, 200)}`);
  return ms;
}

interface Side {
  store: SqliteStore;
  app: FastifyInstance;
}

export async function run(): Promise<Record<string, unknown>> {
  // the push phase runs first, on a quiet process (the warm-up phase leaves gigabytes of cubes behind)
  const push = await runPush();
  return { push, ...(await runWarmup()) };
}

async function runWarmup(): Promise<Record<string, unknown>> {
  const gc = getGc();
  const dir = mkdtempSync(join(tmpdir(), 'statbank-bench-release-'));
  const path = join(dir, 'release.db');
  const year = DEFAULT_LAST_YEAR + 2;
  const releases = Array.from({ length: ROUNDS }, (_, r) => releaseInstant(`${year}-02-${String(20 + r).padStart(2, '0')}`));
  let t = Date.parse(releases[0]) - 60 * 60_000;
  const now = () => t;
  const stores: SqliteStore[] = [];
  const apps: FastifyInstance[] = [];
  try {
    const writer = openSqliteStore(path, { now });
    stores.push(writer);
    writer.putFolder('be', { no: 'Befolkning', en: 'Population' });
    const regions: Record<string, string[]> = {};
    for (const id of TABLES) {
      const cur = buildDemoTable(id)!;
      writer.putTable(cur, { folders: ['be'] });
      regions[id] = cur.meta.variables.find((v) => v.code === 'Region')!.values.map((v) => v.code);
      releases.forEach((releaseAt, r) => writer.scheduleTable(buildDemoTable(id, { lastYear: DEFAULT_LAST_YEAR + 1 + r })!, { releaseAt }));
    }
    const config = loadConfig({ maxCalls: 0, logLevel: 'silent' }, {});
    const open = async (): Promise<Side> => {
      const store = openSqliteStore(path, { now });
      stores.push(store);
      const app = await buildApp({ store, config }, { logger: false });
      apps.push(app);
      return { store, app };
    };
    const warm = await open();
    const cold = await open();
    const scheduler = new ReleaseScheduler(warm.store, { languages: config.languages });
    await scheduler.tick(); // the start-up tick
    // both apps have served the current versions, as a live server has
    for (const side of [warm, cold]) for (const id of TABLES) await timed(side.app, `/api/v0/no/table/${id}`, query(regions[id][1]));

    const samples: Record<string, { warm: number[]; cold: number[]; cached: number[]; warmLoads: number[]; coldLoads: number[] }> = {};
    for (const id of TABLES) samples[id] = { warm: [], cold: [], cached: [], warmLoads: [], coldLoads: [] };
    const warmupMs: number[] = [];
    const indexMs: number[] = [];
    const preparedMs: number[] = [];
    const buildsAtRelease: number[] = [];
    const firstSearch: number[] = [];
    const search: number[] = [];
    let warmedCells: Record<string, number> = {};

    for (let round = 0; round < ROUNDS; round++) {
      const releaseMs = Date.parse(releases[round]);
      t = releaseMs - scheduler.warmupMs;
      const w0 = performance.now();
      const tick = await scheduler.tick();
      warmupMs.push(performance.now() - w0);
      if (tick.preparedIndexMs !== undefined) preparedMs.push(tick.preparedIndexMs);
      warmedCells = Object.fromEntries(tick.warmed.map((w) => [w.id, w.cells]));
      await gc();

      t = releaseMs; // the instant: no tick has run since the warm-up
      for (const id of TABLES) {
        const url = `/api/v0/no/table/${id}`;
        const s = samples[id];
        const order: [Side, number[], number[]][] = [
          [warm, s.warm, s.warmLoads],
          [cold, s.cold, s.coldLoads],
        ];
        if (round % 2) order.reverse();
        for (const [side, times, loads] of order) {
          const before = side.store.cubeLoads;
          times.push(await timed(side.app, url, query(regions[id][2 + round])));
          loads.push(side.store.cubeLoads - before);
        }
        const cached: number[] = [];
        for (let i = 0; i < CACHED_RUNS; i++) cached.push(await timed(warm.app, url, query(regions[id][10 + round * CACHED_RUNS + i])));
        s.cached.push(median(cached));
      }
      const builds0 = searchIndexStats().builds;
      const rel = await scheduler.tick(); // the release tick: recorded, prepared search index adopted
      if (rel.searchIndexMs !== undefined) indexMs.push(rel.searchIndexMs);
      firstSearch.push(await timed(warm.app, '/api/v0/no/table/?query=befolkning'));
      buildsAtRelease.push(searchIndexStats().builds - builds0);
      for (let i = 0; i < 3; i++) search.push(await timed(warm.app, '/api/v0/no/table/?query=befolkning'));
      await gc();
    }

    const tables: Record<string, unknown> = {};
    for (const id of TABLES) {
      const s = samples[id];
      tables[id] = {
        cells: warmedCells[id],
        firstQueryAfterReleaseWarmMs: r2(median(s.warm)),
        firstQueryAfterReleaseColdMs: r2(median(s.cold)),
        cachedQueryMs: r2(median(s.cached)),
        warmFirstToCachedRatio: r2(median(s.warm) / median(s.cached)),
        cubeLoadsAtFirstQuery: { warm: s.warmLoads, cold: s.coldLoads },
        rounds: { warm: s.warm.map(r2), cold: s.cold.map(r2), cached: s.cached.map(r2) },
      };
    }
    return {
      rounds: ROUNDS,
      releases,
      warmupTickMs: r2(median(warmupMs)),
      tables,
      searchIndexPreparedAtWarmupMs: preparedMs.length ? r2(median(preparedMs)) : null,
      searchIndexAtReleaseMs: indexMs.length ? r2(median(indexMs)) : null,
      searchIndexBuildsAtRelease: buildsAtRelease,
      firstSearchAfterReleaseMs: r2(median(firstSearch)),
      searchMs: r2(median(search)),
      notes:
        'warm: scheduler warm-up 5 min before the release; cold: none (its first query reads and decodes the cube from SQLite). ' +
        'cached: the same table, another selection (no response-cache hit). Medians over the rounds; the machine is shared, so single figures are noisy.',
    };
  } finally {
    for (const a of apps) await a.close();
    for (const s of stores) s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- push at release ----

const SUBSCRIBERS = 200;
const POLLERS = 200;
const POLL_MS = 250;

function stampedCube(k: number): Cube {
  const sizes = [20, 10];
  const variables = sizes.map((n, d) => ({
    code: `V${d}`,
    label: { no: `v${d}`, en: `v${d}` },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: String(i).padStart(3, '0'), label: { no: `${i}`, en: `${i}` } })),
  }));
  const meta: TableMeta = {
    id: '90010',
    title: { no: `utgave ${k}`, en: `edition ${k}` },
    contents: { no: 'x', en: 'x' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables,
    stub: ['V0'],
    heading: ['V1'],
    decimals: 0,
  };
  return { meta, values: new Float64Array(200).fill(k), status: null };
}

const clock = () => performance.timeOrigin + performance.now();

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

export async function runPush(): Promise<Record<string, unknown>> {
  const store = createMemoryStore();
  store.putTable(stampedCube(1));
  const ctx = createAppContext({ store, config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}) });
  const admin = new Admin(store, { baseUrl: 'http://bench', adminStore: createMemoryAdminStore() });
  attachAdmin(ctx, admin);
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  admin.feed.start();
  const agent = new HttpAgent({ keepAlive: true, maxSockets: Infinity });
  let errors = 0;
  let mixed = 0;
  const eventAt: number[] = [];
  const reqs: ClientRequest[] = [];
  try {
    // subscribers: each resolves once its opening comment arrived (it is subscribed)
    await Promise.all(
      Array.from(
        { length: SUBSCRIBERS },
        () =>
          new Promise<void>((resolve, reject) => {
            const req = httpGet({ host: '127.0.0.1', port, path: '/api/events?table=90010', agent: false }, (res) => {
              let buf = '';
              let opened = false;
              res.setEncoding('utf8');
              res.on('data', (c: string) => {
                buf += c;
                if (!opened && buf.includes('\n\n')) {
                  opened = true;
                  resolve();
                }
                if (buf.includes('event: release')) {
                  eventAt.push(clock());
                  buf = '';
                }
              });
            });
            req.on('error', (e) => (errors++, reject(e)));
            reqs.push(req);
          }),
      ),
    );
    const releaseMs = Date.now() + 1500;
    let announcedAt = NaN;
    admin.feed.subscribe(() => (announcedAt = clock()));
    store.scheduleTable(stampedCube(2), { releaseAt: new Date(releaseMs).toISOString() });
    admin.feed.rearm();
    const url = `http://127.0.0.1:${port}/api/v2/tables/90010/data?lang=en&valueCodes[V0]=*&valueCodes[V1]=*&outputFormat=json-stat2`;
    const firstNew: number[] = [];
    const stopAt = releaseMs + 1500;
    // each poller asks every POLL_MS, at its own phase (a client polling back to back is a load test, not a poller)
    const poll = async (_: unknown, i: number) => {
      let sawNew = false;
      await new Promise((r) => setTimeout(r, (i * POLL_MS) / POLLERS));
      while (clock() < stopAt) {
        const started = clock();
        try {
          const r = await fetch(url);
          const body = (await r.json()) as { value: number[] };
          if (r.status !== 200) {
            errors++;
            continue;
          }
          const stamps = new Set(body.value);
          if (stamps.size !== 1) mixed++;
          const k = body.value[0];
          if (k === 2 && !sawNew) {
            sawNew = true;
            firstNew.push(clock());
          } else if (k === 1 && sawNew) mixed++;
          if (sawNew) return;
        } catch {
          errors++;
        }
        await new Promise((r) => setTimeout(r, Math.max(0, POLL_MS - (clock() - started))));
      }
    };
    await Promise.all(Array.from({ length: POLLERS }, poll));
    await admin.feed.idle();
    const lat = eventAt.map((t) => t - releaseMs);
    const early = lat.filter((x) => x < 0).length;
    return {
      subscribers: SUBSCRIBERS,
      pollers: POLLERS,
      pollIntervalMs: POLL_MS,
      eventsDelivered: eventAt.length,
      eventsBeforeRelease: early,
      // when the server's feed announced it (before the socket writes and the clients' reading)
      releaseToServerAnnounceMs: r2(announcedAt - releaseMs),
      releaseToLastEventMs: lat.length ? r2(Math.max(...lat)) : null,
      releaseToEventP99Ms: lat.length ? r2(percentile(lat, 99)) : null,
      releaseToEventMedianMs: lat.length ? r2(percentile(lat, 50)) : null,
      releaseToFirstNewAnswerMs: firstNew.length ? r2(Math.min(...firstNew) - releaseMs) : null,
      releaseToLastPollerNewAnswerMs: firstNew.length ? r2(Math.max(...firstNew) - releaseMs) : null,
      pollersThatSawTheNewVersion: firstNew.length,
      errors,
      mixedVersions: mixed,
      targets: { lastEventMs: 50, p99Ms: 10 },
      ok: eventAt.length === SUBSCRIBERS && early === 0 && errors === 0 && mixed === 0 && Math.max(...lat) <= 50 && percentile(lat, 99) <= 10,
    };
  } finally {
    for (const r of reqs) r.destroy();
    agent.destroy();
    await app.close();
    await admin.close();
    await ctx.close();
    store.close();
  }
}
