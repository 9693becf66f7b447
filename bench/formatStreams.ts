// Streaming writers at ~800,000 cells (the selection of bench/serializers.ts): each format's stream drained chunk by
// chunk, p50 of a few runs (wall time, and the process's CPU time, which other work on the machine disturbs less),
// bytes/s and the peak extra memory (RSS above the level before the run, sampled per chunk), and beside them DuckDB
// exporting the same selection (a long table) with COPY ... TO csv (p50, bytes/s, peak extra RSS), with the ratio
// (Statbank p50 / DuckDB p50). The targets are checked where it sets one (csv, csv2, csv3 <= 100 ms;
// xlsx <= 1.5 s with <= 150 MB extra memory; sdmx <= 1 s). Run alone: `npm run bench -- formatStreams`.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { evaluate, range, type Plan } from '../src/core/engine.js';
import type { Cube } from '../src/core/model.js';
import { getSerializer, type Api } from '../src/formats/registry.js';
import type { SerializeOptions } from '../src/formats/serializer.js';
import { bigCube } from './serializers.js';

const RUNS = 3;

function p50(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Targets of issue 8 (p50 ms, and extra MB where one is set). */
const TARGETS: Record<string, { p50Ms: number; extraMB?: number }> = {
  'v1 csv': { p50Ms: 100 },
  'v1 csv2': { p50Ms: 100 },
  'v1 csv3': { p50Ms: 100 },
  'v1 sdmx': { p50Ms: 1000 },
  'v2 xlsx': { p50Ms: 1500, extraMB: 150 },
};

async function drain(api: Api, id: string, cube: Cube, options: SerializeOptions): Promise<{ ms: number; cpuMs: number; bytes: number; peakMB: number; firstChunkMs: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let first = -1;
  let bytes = 0;
  for await (const c of getSerializer(id, api)!.stream!(cube, options).chunks) {
    if (first < 0) first = performance.now() - t0;
    bytes += c.length;
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes, peakMB: (peak - base) / 2 ** 20, firstChunkMs: first };
}

async function timeFormat(api: Api, id: string, cube: Cube, options: SerializeOptions) {
  await drain(api, id, cube, options); // warm-up
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await drain(api, id, cube, options));
  const ms = p50(runs.map((r) => r.ms));
  const bytes = runs[0].bytes;
  return {
    p50Ms: Math.round(ms * 10) / 10,
    cpuP50Ms: Math.round(p50(runs.map((r) => r.cpuMs)) * 10) / 10,
    bytes,
    bytesPerSec: Math.round(bytes / (ms / 1000)),
    peakExtraMB: Math.round(Math.max(...runs.map((r) => r.peakMB)) * 10) / 10,
    firstChunkMs: Math.round(p50(runs.map((r) => r.firstChunkMs)) * 10) / 10,
  };
}

/** DuckDB: the same cells as a long table (codes + value), COPY to CSV; p50 of RUNS, bytes/s, peak extra RSS. */
async function duckdbCsv(cube: Cube): Promise<{ p50Ms: number; bytes: number; bytesPerSec: number; peakExtraMB: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-bench-'));
  try {
    const csv3 = await getSerializer('csv3', 'v1')!.serialize(cube, { lang: 'en' });
    const src = join(dir, 'long.csv');
    writeFileSync(src, csv3.body);
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${src}', header = true, all_varchar = false)`);
    const out = join(dir, 'out.csv');
    const times: number[] = [];
    let peakMB = 0;
    for (let i = 0; i <= RUNS; i++) {
      // DuckDB works on its own threads: the RSS is sampled from this one while COPY runs
      const base = process.memoryUsage.rss();
      let peak = base;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
      const t0 = performance.now();
      await con.run(`COPY t TO '${out}' (HEADER, DELIMITER ',')`);
      const ms = performance.now() - t0;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      if (i > 0) {
        times.push(ms); // the first is a warm-up
        peakMB = Math.max(peakMB, (peak - base) / 2 ** 20);
      }
    }
    const { statSync } = await import('node:fs');
    const bytes = statSync(out).size;
    con.closeSync?.();
    const ms = p50(times);
    return { p50Ms: Math.round(ms * 10) / 10, bytes, bytesPerSec: Math.round(bytes / (ms / 1000)), peakExtraMB: Math.round(peakMB * 10) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const cube = bigCube();
  const pick = (n: number, step: number) => Int32Array.from({ length: n }, (_, i) => i * step);
  const plan: Plan = [
    { kind: 'pick', indices: pick(200, 2) },
    { kind: 'pick', indices: pick(20, 5) },
    { kind: 'pick', indices: range(2) },
    { kind: 'pick', indices: range(2) },
    { kind: 'pick', indices: range(50) },
  ];
  const result = evaluate(cube, plan);
  const formats: [string, Api, string, SerializeOptions][] = [
    ['v1 csv', 'v1', 'csv', { lang: 'en' }],
    ['v1 csv2', 'v1', 'csv2', { lang: 'en' }],
    ['v1 csv3', 'v1', 'csv3', { lang: 'en' }],
    ['v2 csv', 'v2', 'csv', { lang: 'en' }],
    ['v1 sdmx', 'v1', 'sdmx', { lang: 'en' }],
    ['v2 html', 'v2', 'html', { lang: 'en' }],
    ['v2 px', 'v2', 'px', { lang: 'en' }],
    ['v2 xlsx', 'v2', 'xlsx', { lang: 'en' }],
    ['v2 json-stat2', 'v2', 'json-stat2', { lang: 'en' }],
  ];
  const duck = await duckdbCsv(result);
  const out: Record<string, unknown> = {
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    resultCells: result.values.length,
    runs: RUNS,
    duckdbCopyCsv: duck,
  };
  for (const [name, api, id, options] of formats) {
    const r = await timeFormat(api, id, result, options);
    const target = TARGETS[name];
    out[name] = {
      ...r,
      duckdbCsvP50Ms: duck.p50Ms,
      ratioToDuckdb: Math.round((r.p50Ms / duck.p50Ms) * 100) / 100,
      ...(target && {
        target,
        met: r.p50Ms <= target.p50Ms && (target.extraMB === undefined || r.peakExtraMB <= target.extraMB),
      }),
    };
  }
  out.loadavgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  return out;
}

// run directly: node --import tsx bench/formatStreams.ts
if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
