// PxWebApi 2.0 benchmark: GET /api/v2/tables/{id}/data for 800,000 cells out of a 10-million-cell table, over
// real HTTP on loopback, in json-stat2, csv and parquet. Figures per format: p50 / min / max wall time of the
// whole request (selection, evaluate, serialize, transfer, client read) and the response size.
// The table sits in the in-memory store (the SQLite load path is measured by bench/store.ts).
// Run alone: `npm run bench -- apiV2`.

import type { AddressInfo } from 'node:net';
import type { Cube, TableMeta, Variable } from '../src/core/model.js';
import { createMemoryStore } from '../src/store/memoryStore.js';
import { loadConfig } from '../src/server/config.js';
import { buildApp } from '../src/server/app.js';
import { createMemorySavedQueryStore } from '../src/savedQueries/savedQueries.js';

const REGIONS = 500;
const AGES = 100;
const YEARS = 100;
const RUNS = 5;
// 400 regions x 100 ages x 2 contents x 10 years = 800,000 cells
const QUERY = 'valueCodes[Region]=top(400)&valueCodes[Alder]=*&valueCodes[ContentsCode]=*&valueCodes[Tid]=top(10)';
const FORMATS = ['json-stat2', 'csv', 'parquet'];

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

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { p50Ms: r(s[Math.floor(s.length / 2)]), minMs: r(s[0]), maxMs: r(s[s.length - 1]) };
}

export async function run(): Promise<Record<string, unknown>> {
  const store = createMemoryStore();
  store.putTable(bigCube());
  const config = loadConfig({ maxCalls: 0, logLevel: 'silent', maxCells: 800_000 }, {});
  const app = await buildApp({ store, config, savedQueries: createMemorySavedQueryStore() } as Parameters<typeof buildApp>[0], { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const out: Record<string, unknown> = { tableCells: REGIONS * AGES * 2 * YEARS, selectedCells: 800_000, runs: RUNS };
  try {
    for (const format of FORMATS) {
      const url = `http://127.0.0.1:${port}/api/v2/tables/BIG10M/data?lang=en&outputFormat=${format}&${QUERY}`;
      let bytes = 0;
      const times: number[] = [];
      for (let k = 0; k <= RUNS; k++) {
        const t0 = performance.now();
        const res = await fetch(url);
        const body = await res.arrayBuffer();
        const ms = performance.now() - t0;
        if (res.status !== 200) throw new Error(`${format}: HTTP ${res.status} ${Buffer.from(body).toString().slice(0, 200)}`);
        bytes = body.byteLength;
        if (k > 0) times.push(ms); // the first run warms up
      }
      const st = stats(times);
      out[format] = { ...st, bytes, mbPerS: Math.round((bytes / 1e6 / (st.p50Ms / 1000)) * 10) / 10 };
    }
  } finally {
    await app.close();
  }
  return out;
}

// `node --import tsx bench/apiV2.ts` prints the figures
if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
