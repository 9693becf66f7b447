// PxWeb API v1 benchmark, real HTTP on loopback against a 10-million-cell table in the memory store:
// - POST returning 800,000 cells in json-stat2 and csv2 (target p50 <= 150 ms each): time to the last byte,
//   measured by a client in a worker thread that streams the body (see _http.ts), and time to the first byte;
// - metadata GET p50 (target <= 2 ms);
// - a small cached query: requests per second with autocannon firing from a worker thread (target >= 5,000;
//   bounded duration, 127.0.0.1 only).
// Run alone: `npm run bench -- apiV1`.

import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { Cube, TableMeta, Variable } from '../src/core/model.js';
import { createMemoryStore } from '../src/store/memoryStore.js';
import { loadConfig } from '../src/app/config.js';
import { buildApp } from '../src/server/app.js';
import { HttpClient, stats, summary } from './_http.js';

// 1000 regions x 2 sexes x 100 ages x 50 years = 10,000,000 cells
const REGIONS = 1000;
const AGES = 100;
const YEARS = 50;
const RUNS = 7;
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

export function cube10M(): Cube {
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
export const BIG_QUERY = (format: string) =>
  JSON.stringify({
    query: [
      { code: 'Region', selection: { filter: 'top', values: ['80'] } },
      { code: 'Kjonn', selection: { filter: 'all', values: ['*'] } },
      { code: 'Alder', selection: { filter: 'all', values: ['*'] } },
      { code: 'Tid', selection: { filter: 'all', values: ['*'] } },
    ],
    response: { format },
  });
export const SMALL_QUERY = JSON.stringify({
  query: [
    { code: 'Region', selection: { filter: 'item', values: ['K0301'] } },
    { code: 'Kjonn', selection: { filter: 'item', values: ['1', '2'] } },
    { code: 'Alder', selection: { filter: 'item', values: ['000', '001', '002'] } },
    { code: 'Tid', selection: { filter: 'top', values: ['3'] } },
  ],
  response: { format: 'json-stat2' },
});

export async function run(): Promise<Record<string, unknown>> {
  const store = createMemoryStore();
  store.putTable(cube10M());
  const config = loadConfig({ maxCalls: 0, logLevel: 'warn' }, {});
  const app = await buildApp({ store, config }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const path = '/api/v0/no/table/BIG1';
  const client = HttpClient.start(port);
  const out: Record<string, unknown> = { tableCells: REGIONS * 2 * AGES * YEARS, queryCells: 800_000, runs: RUNS };
  try {
    for (const format of ['json-stat2', 'csv2']) {
      out[`post800k_${format}`] = summary(await client.series(RUNS, 'POST', path, BIG_QUERY(format)), 150);
    }

    const meta = stats((await client.series(META_RUNS, 'GET', path)).map((t) => t.ms));
    out.metadataGet = { ...meta, targetP50Ms: 2, met: meta.p50Ms <= 2 };

    await client.series(1, 'POST', path, SMALL_QUERY); // primes the response cache
    const result = await autocannon({
      url: `http://127.0.0.1:${port}${path}`,
      method: 'POST',
      body: SMALL_QUERY,
      connections: 10,
      duration: CANNON_SECONDS,
      workers: 1,
    });
    const rps = Math.round(result.requests.average);
    out.cachedSmallQuery = {
      requestsPerSecond: rps,
      latencyP50Ms: result.latency.p50,
      non2xx: result.non2xx,
      errors: result.errors,
      seconds: CANNON_SECONDS,
      targetRequestsPerSecond: 5000,
      met: rps >= 5000 && result.non2xx === 0 && result.errors === 0,
    };
  } finally {
    await client.close();
    await app.close();
  }
  return out;
}

// `node --import tsx bench/apiV1.ts` prints the figures
if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
