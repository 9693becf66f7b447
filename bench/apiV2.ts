// PxWebApi 2.0 benchmark, real HTTP on loopback against a 10-million-cell table in the memory store (the SQLite
// load path is measured by bench/store.ts):
// - GET /tables/{id}/data for 800,000 cells in json-stat2 and csv (target p50 <= 150 ms) and parquet (<= 300 ms):
//   time to the last byte from a client in a worker thread that streams the body (see _http.ts), first-byte time,
//   response size;
// - GET /tables/{id}/metadata p50 (target <= 2 ms);
// - a small cached data query: requests per second with autocannon firing from a worker thread (target >= 5,000).
// Run alone: `npm run bench -- apiV2`.

import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import type { Cube, TableMeta, Variable } from '../src/core/model.js';
import { createMemoryStore } from '../src/store/memoryStore.js';
import { loadConfig } from '../src/app/config.js';
import { buildApp } from '../src/server/app.js';
import { createMemorySavedQueryStore } from '../src/savedQueries/savedQueries.js';
import { HttpClient, stats, summary } from './_http.js';

const REGIONS = 500;
const AGES = 100;
const YEARS = 100;
const RUNS = 7;
const META_RUNS = 50;
const CANNON_SECONDS = 5;
// 400 regions x 100 ages x 2 contents x 10 years = 800,000 cells
const QUERY = 'valueCodes[Region]=top(400)&valueCodes[Alder]=*&valueCodes[ContentsCode]=*&valueCodes[Tid]=top(10)';
const FORMATS: [string, number][] = [
  ['json-stat2', 150],
  ['csv', 150],
  ['parquet', 300],
];
const SMALL_QUERY = 'valueCodes[Region]=R0001&valueCodes[Alder]=000,001,002&valueCodes[ContentsCode]=*&valueCodes[Tid]=top(3)';

function variable(code: string, n: number, label: string, make: (i: number) => string, extra: Partial<Variable> = {}): Variable {
  return {
    code,
    label: { en: label },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: make(i), label: { en: `${label} ${make(i)}` } })),
    ...extra,
  };
}

export function bigCube(): Cube {
  const variables: Variable[] = [
    variable('Region', REGIONS, 'region', (i) => `R${String(i).padStart(4, '0')}`, { role: 'geo' }),
    variable('Alder', AGES, 'age', (i) => String(i).padStart(3, '0')),
    variable('ContentsCode', 2, 'contents', (i) => (i ? 'Andel' : 'Personer'), { role: 'contents' }),
    variable('Tid', YEARS, 'year', (i) => String(1926 + i), { role: 'time', timeUnit: 'A' }),
  ];
  const meta: TableMeta = {
    id: 'BIG10M',
    title: { en: 'BIG10M: Benchmark table' },
    contents: { en: 'BIG10M: Benchmark table,' },
    languages: ['en'],
    defaultLanguage: 'en',
    variables,
    stub: ['Region', 'Alder'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 1,
    contentInfo: {
      Personer: { unit: { en: 'persons' }, decimals: 0 },
      Andel: { unit: { en: 'per cent' }, decimals: 1 },
    },
  };
  const n = REGIONS * AGES * 2 * YEARS;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = (i % 7919) * 13 + (i % 2 ? 0.5 : 0);
  return { meta, values, status: null };
}

export async function run(): Promise<Record<string, unknown>> {
  const store = createMemoryStore();
  store.putTable(bigCube());
  const config = loadConfig({ maxCalls: 0, logLevel: 'silent', maxCells: 800_000 }, {});
  const app = await buildApp({ store, config, savedQueries: createMemorySavedQueryStore() } as Parameters<typeof buildApp>[0], { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const client = HttpClient.start(port);
  const out: Record<string, unknown> = { tableCells: REGIONS * AGES * 2 * YEARS, selectedCells: 800_000, runs: RUNS };
  try {
    for (const [format, target] of FORMATS) {
      const path = `/api/v2/tables/BIG10M/data?lang=en&outputFormat=${format}&${QUERY}`;
      out[format] = summary(await client.series(RUNS, 'GET', path), target);
    }

    const meta = stats((await client.series(META_RUNS, 'GET', '/api/v2/tables/BIG10M/metadata?lang=en')).map((t) => t.ms));
    out.metadataGet = { ...meta, targetP50Ms: 2, met: meta.p50Ms <= 2 };

    const small = `/api/v2/tables/BIG10M/data?lang=en&${SMALL_QUERY}`;
    await client.series(1, 'GET', small); // primes the response cache
    const result = await autocannon({ url: `http://127.0.0.1:${port}${small}`, connections: 10, duration: CANNON_SECONDS, workers: 1 });
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

// `node --import tsx bench/apiV2.ts` prints the figures
if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
