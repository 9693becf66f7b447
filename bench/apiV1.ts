// PxWeb API v1 benchmark, real HTTP on loopback against a 10-million-cell table in the memory store:
// - POST returning 800,000 cells in json-stat2 and csv2: p50 / min / max wall time of the whole request
//   (parse, plan, evaluate, serialize, transfer, client read) and the response size;
// - metadata GET p50;
// - a small cached query: requests per second with autocannon (bounded duration, 127.0.0.1 only).
// Run alone: `npm run bench -- apiV1`.

import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { Cube, TableMeta, Variable } from '../src/core/model.js';
import { createMemoryStore } from '../src/store/memoryStore.js';
import { loadConfig } from '../src/server/config.js';
import { buildApp } from '../src/server/app.js';

// 1000 regions x 2 sexes x 100 ages x 50 years = 10,000,000 cells
const REGIONS = 1000;
const AGES = 100;
const YEARS = 50;
const RUNS = 5;
const META_RUNS = 50;
const CANNON_SECONDS = 5;

function variable(code: string, n: number, label: string, make: (i: number) => string, extra: Partial<Variable> = {}): Variable {
  return {
    code,
    label: { no: label, en: label },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: make(i), label: { no: `${label} ${make(i)}`, en: `${label} ${make(i)}` } })),
    ...extra,
  };
}

function cube10M(): Cube {
  const variables: Variable[] = [
    variable('Region', REGIONS, 'region', (i) => `K${String(i).padStart(4, '0')}`, { role: 'geo', elimination: true }),
    variable('Kjonn', 2, 'kjønn', (i) => String(i + 1), { elimination: true }),
    variable('Alder', AGES, 'alder', (i) => String(i).padStart(3, '0'), { elimination: true }),
    variable('ContentsCode', 1, 'statistikkvariabel', () => 'Personer1', { role: 'contents' }),
    variable('Tid', YEARS, 'år', (i) => String(1976 + i), { role: 'time', timeUnit: 'A' }),
  ];
  const meta: TableMeta = {
    id: 'BIG1',
    title: { no: 'BIG1: Ytelsestest, etter region, kjønn, alder, statistikkvariabel og år', en: 'BIG1: Benchmark' },
    contents: { no: 'BIG1: Ytelsestest,', en: 'BIG1: Benchmark,' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables,
    stub: ['Region', 'Kjonn', 'Alder'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 0,
    contentInfo: { Personer1: { unit: { no: 'personer', en: 'persons' }, decimals: 0 } },
  };
  const n = REGIONS * 2 * AGES * YEARS;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = (i * 2654435761) % 100000;
  return { meta, values, status: null };
}

// 80 regions x 2 x 100 x 1 x 50 = 800,000 cells
const BIG_QUERY = (format: string) =>
  JSON.stringify({
    query: [
      { code: 'Region', selection: { filter: 'top', values: ['80'] } },
      { code: 'Kjonn', selection: { filter: 'all', values: ['*'] } },
      { code: 'Alder', selection: { filter: 'all', values: ['*'] } },
      { code: 'Tid', selection: { filter: 'all', values: ['*'] } },
    ],
    response: { format },
  });
const SMALL_QUERY = JSON.stringify({
  query: [
    { code: 'Region', selection: { filter: 'item', values: ['K0301'] } },
    { code: 'Kjonn', selection: { filter: 'item', values: ['1', '2'] } },
    { code: 'Alder', selection: { filter: 'item', values: ['000', '001', '002'] } },
    { code: 'Tid', selection: { filter: 'top', values: ['3'] } },
  ],
  response: { format: 'json-stat2' },
});

function stats(ms: number[]): { p50: number; min: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { p50: round(s[Math.floor((s.length - 1) / 2)]), min: round(s[0]), max: round(s[s.length - 1]) };
}

export async function run(): Promise<Record<string, unknown>> {
  const store = createMemoryStore();
  store.putTable(cube10M());
  const config = loadConfig({ maxCalls: 0, logLevel: 'warn' }, {});
  const app = await buildApp({ store, config }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const tableUrl = `${base}/api/v0/no/table/BIG1`;
  const out: Record<string, unknown> = { tableCells: REGIONS * 2 * AGES * YEARS, queryCells: 800_000, runs: RUNS };
  try {
    for (const format of ['json-stat2', 'csv2']) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i <= RUNS; i++) {
        const t0 = performance.now();
        const r = await fetch(tableUrl, { method: 'POST', body: BIG_QUERY(format) });
        const buf = await r.arrayBuffer();
        const dt = performance.now() - t0;
        if (r.status !== 200) throw new Error(`${format}: HTTP ${r.status}`);
        bytes = buf.byteLength;
        if (i > 0) times.push(dt); // the first run warms up
      }
      out[`post800k_${format}_ms`] = stats(times);
      out[`post800k_${format}_bytes`] = bytes;
    }

    const metaTimes: number[] = [];
    for (let i = 0; i < META_RUNS; i++) {
      const t0 = performance.now();
      const r = await fetch(tableUrl);
      await r.arrayBuffer();
      metaTimes.push(performance.now() - t0);
    }
    out.metadataGet_ms = stats(metaTimes);

    const prime = await fetch(tableUrl, { method: 'POST', body: SMALL_QUERY });
    if (prime.status !== 200) throw new Error(`small query: HTTP ${prime.status}`);
    await prime.arrayBuffer();
    const result = await autocannon({
      url: tableUrl,
      method: 'POST',
      body: SMALL_QUERY,
      connections: 10,
      duration: CANNON_SECONDS,
    });
    out.cachedSmallQuery = {
      requestsPerSecond: Math.round(result.requests.average),
      latencyP50ms: result.latency.p50,
      non2xx: result.non2xx,
      errors: result.errors,
      seconds: CANNON_SECONDS,
    };
  } finally {
    await app.close();
  }
  return out;
}
