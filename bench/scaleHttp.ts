// Scale over HTTP (issue 9): the real server process on the generated catalogue of bench/scale.ts, measured as a
// reader meets it. bench/scale.ts measures the store in-process; this measures what a client sees: start to the
// first answer (process spawn -> listening -> first navigation and search answers), RSS after start, and p50/p95 of
// v1 navigation, v1 and v2 metadata, v1 and v2 search and /tables pages over loopback HTTP, one request at a time.
// Same profiles and database as bench/scale.ts (quick by default, --full, --tables=N --cells=N, STATBANK_SCALE_DIR).
// Run: `npm run bench -- scaleHttp` or `npm run bench -- scaleHttp --full`.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HttpClient, type Timing } from './_http.js';
import { rng, SEARCH_WORDS, SUBJECTS } from './_scaleData.js';
import { fileBytes, generate, scaleProfile } from './scale.js';

const TARGET_P95_MS = 20;

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10;
}

export async function run(): Promise<Record<string, unknown>> {
  const { full, tables, totalCells, keep, dir, db } = scaleProfile('statbank-bench-scalehttp-');
  const log = (s: string) => process.stderr.write(s + '\n');
  const result: Record<string, unknown> = { profile: full ? 'full' : 'quick', tables, targetCells: totalCells };
  try {
    result.database = existsSync(db) ? { reused: db, dbBytes: fileBytes(db) } : generate(db, tables, totalCells, log);

    const t0 = performance.now();
    // the compiled server as `statbank serve` runs it (plain node); without a build, the sources through tsx
    const built = existsSync(fileURLToPath(new URL('../dist/server/main.js', import.meta.url)));
    const server = fileURLToPath(new URL('./_scaleServer.mjs', import.meta.url));
    const child = spawn(process.execPath, built ? [server, db] : ['--import', 'tsx', server, db], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const ready = await new Promise<{ port: number; processStartToListenMs: number; codeLoadMs: number; startServerMs: number }>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (l) => resolve(JSON.parse(l)));
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const client = HttpClient.start(ready.port);
    try {
      const root = await client.request('GET', '/api/v0/no/table/');
      const firstSearch = await client.request('GET', `/api/v0/no/table/?query=${encodeURIComponent('befolkning')}`);
      if (root.status !== 200 || firstSearch.status !== 200) throw new Error(`first answers: ${root.status} ${firstSearch.status}`);
      result.startup = {
        spawnToListenMs: Math.round(performance.now() - t0 - root.ms - firstSearch.ms),
        ...ready,
        spawnToFirstAnswersMs: Math.round(performance.now() - t0),
        rssAfterStartBytes: rssOf(child.pid!),
        targets: { startToFirstAnswerMs: 2000, rssAfterStartBytes: 300 * 1024 * 1024 },
      };

      const r = rng(11);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
      const folders = SUBJECTS.flatMap(([code]) => [code, ...Array.from({ length: 8 }, (_, k) => `${code}/${code}${String(k + 1).padStart(2, '0')}`)]);
      const id = () => String(10000 + Math.floor(r() * tables)).padStart(5, '0');
      const lang = () => pick(['no', 'en']);
      const pages = Math.max(1, Math.floor(tables / 20));
      const kinds: Record<string, () => string> = {
        navigation: () => `/api/v0/${lang()}/table/${pick(folders)}`,
        v1Metadata: () => `/api/v0/${lang()}/table/${id()}`,
        v2Metadata: () => `/api/v2/tables/${id()}/metadata?lang=${lang()}`,
        v2Table: () => `/api/v2/tables/${id()}?lang=${lang()}`,
        v1Search: () => `/api/v0/${lang()}/table/?query=${encodeURIComponent(pick(SEARCH_WORDS))}`,
        v2Search: () => `/api/v2/tables?lang=${lang()}&query=${encodeURIComponent(pick(SEARCH_WORDS))}`,
        v2TablesPage: () => `/api/v2/tables?lang=${lang()}&pageSize=20&pageNumber=${1 + Math.floor(r() * pages)}`,
      };
      const runs = full ? 400 : 200;
      const figures: Record<string, unknown> = {};
      let errors = 0;
      for (const [name, url] of Object.entries(kinds)) {
        const ts: Timing[] = [];
        for (let i = 0; i < runs; i++) {
          const t = await client.request('GET', url());
          if (t.status !== 200) errors++;
          ts.push(t);
        }
        const ms = ts.map((t) => t.ms);
        figures[name] = { p50Ms: pct(ms, 0.5), p95Ms: pct(ms, 0.95), maxMs: pct(ms, 1), meanBytes: Math.round(ts.reduce((a, t) => a + t.bytes, 0) / ts.length), metP95: pct(ms, 0.95) <= TARGET_P95_MS };
      }
      result.latency = { ...figures, requestsPerKind: runs, non200: errors, targetP95Ms: TARGET_P95_MS };
      result.rssAfterReadsBytes = rssOf(child.pid!);
    } finally {
      await client.close();
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
    }
    return result;
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
