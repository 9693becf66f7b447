// Shared by the client tests: a small store (a population table with symbols and two contents values with
// different decimals, and a table without a contents variable), our own server on a loopback port with chosen
// limits, a log of the requests it received, and a cube comparison.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Cube, TableMeta, Variable } from '../../src/core/model.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type AppConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';

const REGIONS: [string, string, string][] = [
  ['0', 'Hele landet', 'The whole country'],
  ['03', 'Oslo (fylke)', 'Oslo (county)'],
  ['11', 'Rogaland', 'Rogaland'],
  ['0301', 'Oslo', 'Oslo'],
  ['1101', 'Eigersund', 'Eigersund'],
  ['1103', 'Stavanger', 'Stavanger'],
  ['1108', 'Sandnes', 'Sandnes'],
];

/** Population-like table: Region 7 × Kjonn 2 × Alder 6 × ContentsCode 2 × Tid 10 = 1,680 cells. */
export function populationCube(): Cube {
  const region: Variable = {
    code: 'Region',
    label: { no: 'region', en: 'region' },
    role: 'geo',
    elimination: true,
    eliminationValue: '0',
    values: REGIONS.map(([code, no, en]) => ({ code, label: { no, en } })),
    valueSets: [
      { id: 'Fylker', label: { no: 'Fylker', en: 'Counties' }, codes: ['03', '11'] },
      { id: 'Kommun', label: { no: 'Kommuner', en: 'Municipalities' }, codes: ['0301', '1101', '1103', '1108'] },
    ],
  };
  const kjonn: Variable = {
    code: 'Kjonn',
    label: { no: 'kjønn', en: 'sex' },
    elimination: true,
    values: [
      { code: '1', label: { no: 'Menn', en: 'Males' } },
      { code: '2', label: { no: 'Kvinner', en: 'Females' } },
    ],
  };
  const alder: Variable = {
    code: 'Alder',
    label: { no: 'alder', en: 'age' },
    elimination: true,
    values: Array.from({ length: 6 }, (_, i) => ({ code: String(i * 10).padStart(3, '0'), label: { no: `${i * 10} år`, en: `${i * 10} years` } })),
  };
  const contents: Variable = {
    code: 'ContentsCode',
    label: { no: 'statistikkvariabel', en: 'contents' },
    role: 'contents',
    elimination: false,
    values: [
      { code: 'Personer', label: { no: 'Personer', en: 'Persons' } },
      { code: 'Andel', label: { no: 'Andel (prosent)', en: 'Share (per cent)' } },
    ],
  };
  const tid: Variable = {
    code: 'Tid',
    label: { no: 'år', en: 'year' },
    role: 'time',
    timeUnit: 'A',
    elimination: false,
    values: Array.from({ length: 10 }, (_, i) => ({ code: String(2015 + i), label: { no: String(2015 + i), en: String(2015 + i) } })),
  };
  const variables = [region, kjonn, alder, contents, tid];
  const meta: TableMeta = {
    id: '07459',
    title: { no: '07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år', en: '07459: Population, by region, sex, age, contents and year' },
    contents: { no: '07459: Befolkning,', en: '07459: Population,' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables,
    stub: ['Region', 'Kjonn', 'Alder'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 1,
    contentInfo: {
      Personer: { unit: { no: 'personer', en: 'persons' }, decimals: 0 },
      Andel: { unit: { no: 'prosent', en: 'per cent' }, decimals: 1 },
    },
    source: { no: 'Statistisk sentralbyrå', en: 'Statistics Norway' },
    updated: '2025-02-21T07:00:00Z',
  };
  const n = variables.reduce((a, v) => a * v.values.length, 1);
  const values = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const contentsIndex = Math.floor(i / 10) % 2;
    values[i] = contentsIndex === 0 ? ((i * 7919) % 5000) + 1 : (((i * 104729) % 1000) + 1) / 10;
  }
  for (let i = 3; i < n; i += 37) (status[i] = 2), (values[i] = 0);
  for (let i = 5; i < n; i += 53) if (!status[i]) (status[i] = 8), (values[i] = 0);
  for (let i = 11; i < n; i += 97) if (!status[i]) (status[i] = 1), (values[i] = 0);
  return { meta, values, status };
}

/** A table without a contents variable (its unit on the table). */
export function plainCube(): Cube {
  const variables: Variable[] = [
    { code: 'Vare', label: { no: 'vare', en: 'commodity' }, elimination: false, values: ['01', '02', '03'].map((c) => ({ code: c, label: { no: `Vare ${c}`, en: `Commodity ${c}` } })) },
    { code: 'Tid', label: { no: 'måned', en: 'month' }, role: 'time', timeUnit: 'M', elimination: false, values: ['2024M01', '2024M02', '2024M03', '2024M04'].map((c) => ({ code: c, label: { no: c, en: c } })) },
  ];
  const meta: TableMeta = {
    id: '03013',
    title: { no: '03013: Priser', en: '03013: Prices' },
    contents: { no: 'Priser', en: 'Prices' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables,
    stub: ['Vare'],
    heading: ['Tid'],
    unit: { no: 'kroner', en: 'NOK' },
    decimals: 2,
  };
  const values = Float64Array.from({ length: 12 }, (_, i) => 100 + i * 1.25);
  return { meta, values, status: null };
}

export function makeStore(): Store {
  const store = createMemoryStore();
  store.putFolder('be', { no: 'Befolkning', en: 'Population' });
  store.putFolder('pp', { no: 'Priser', en: 'Prices' });
  store.putTable(populationCube(), { folders: ['be'], published: '2025-02-21T07:00:00Z' });
  store.putTable(plainCube(), { folders: ['pp'], published: '2025-03-01T07:00:00Z' });
  return store;
}

export interface LoggedRequest {
  at: number;
  method: string;
  url: string;
  status?: number;
}

export interface TestServer {
  app: FastifyInstance;
  url: string;
  log: LoggedRequest[];
  close(): Promise<void>;
}

/** Our server on 127.0.0.1 (port chosen by the system), logging each request's arrival and status. */
export async function startServer(store: Store, overrides: Partial<AppConfig> = {}): Promise<TestServer> {
  const config = loadConfig({ maxCalls: 0, ...overrides }, {});
  const app = await buildApp({ store, config }, { logger: false });
  const log: LoggedRequest[] = [];
  app.server.on('request', (req, res) => {
    const entry: LoggedRequest = { at: Date.now(), method: req.method ?? '', url: req.url ?? '' };
    log.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, log, close: () => app.close() };
}

/** The most requests that arrived within any window of `windowMs` (a request at t counts for (t - window, t]). */
export function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[j] <= t[i] - windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Same variables, value codes (in order), labels in `lang`, cells and symbols. */
export function assertSameCube(actual: Cube, expected: Cube, lang: string): void {
  assert.deepEqual(
    actual.meta.variables.map((v) => [v.code, v.values.map((x) => x.code)]),
    expected.meta.variables.map((v) => [v.code, v.values.map((x) => x.code)]),
  );
  assert.deepEqual(
    actual.meta.variables.map((v) => v.values.map((x) => x.label[lang])),
    expected.meta.variables.map((v) => v.values.map((x) => x.label[lang])),
  );
  assert.equal(actual.values.length, expected.values.length);
  assert.deepEqual(Array.from(actual.values), Array.from(expected.values));
  const st = (c: Cube) => Array.from(c.status ?? new Uint8Array(c.values.length));
  assert.deepEqual(st(actual), st(expected));
}
