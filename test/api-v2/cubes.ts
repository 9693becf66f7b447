// Hand-built cubes for the v2 API tests, shaped like real Statistics Norway tables, plus a brute-force cell
// reader (by value codes) that the tests use to check answers without the engine.

import { Status, type Cube, type TableMeta, type Variable } from '../../src/core/model.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';
import { loadConfig, type AppConfig } from '../../src/app/config.js';
import { buildApp } from '../../src/server/app.js';
import { createMemorySavedQueryStore } from '../../src/savedQueries/savedQueries.js';

/** The cell value a cube built here holds at the given value positions (one per variable). */
export function cellValue(positions: readonly number[], decimals = 0): number {
  let v = 0;
  for (let d = 0; d < positions.length; d++) v = v * 7 + (positions[d] + 1) * (d + 3);
  return decimals ? Math.round(v * 1.37 * 10 ** decimals) / 10 ** decimals : v;
}

/** Fill values (and optionally a few symbols) from cellValue; `decimalsOf` gives per-cell decimals. */
function fill(meta: TableMeta, decimalsOf: (pos: number[]) => number, symbols: (pos: number[]) => number = () => 0): Cube {
  const sizes = meta.variables.map((v) => v.values.length);
  const n = sizes.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  let status: Uint8Array | null = null;
  const pos = new Array<number>(sizes.length).fill(0);
  for (let i = 0; i < n; i++) {
    const s = symbols(pos);
    if (s) {
      status ??= new Uint8Array(n);
      status[i] = s;
    } else values[i] = cellValue(pos, decimalsOf(pos));
    for (let d = sizes.length - 1; d >= 0; d--) {
      if (++pos[d] < sizes[d]) break;
      pos[d] = 0;
    }
  }
  return { meta, values, status };
}

/** Like SSB 03024: commodity group × contents (tonnes, NOK/kg with 2 decimals) × week. */
export function build03024(weeks = 8): Cube {
  const tid: Variable = {
    code: 'Tid',
    label: { no: 'uke', en: 'week' },
    role: 'time',
    timeUnit: 'W',
    elimination: false,
    values: Array.from({ length: weeks }, (_, i) => {
      const y = i < 2 ? 2024 : 2025;
      const w = i < 2 ? 51 + i : i - 1;
      const code = `${y}U${String(w).padStart(2, '0')}`;
      return { code, label: { no: code, en: code } };
    }),
  };
  const meta: TableMeta = {
    id: '03024',
    matrix: 'Vekt',
    title: { no: '03024: Eksport av fersk og frosen oppalen laks, etter varegruppe, statistikkvariabel og uke', en: '03024: Export of salmon, fish-farm bred, by commodity group, contents and week' },
    contents: { no: '03024: Eksport av oppalen laks,', en: '03024: Export of salmon, fish-farm bred,' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables: [
      {
        code: 'VareGrupper2',
        label: { no: 'varegruppe', en: 'commodity group' },
        elimination: false,
        values: [
          { code: '01', label: { no: 'Oppalen laks, fersk', en: 'Fish-farm bred salmon, fresh or chilled' } },
          { code: '02', label: { no: 'Oppalen laks, frosen', en: 'Fish-farm bred salmon, frozen' } },
        ],
      },
      {
        code: 'ContentsCode',
        label: { no: 'statistikkvariabel', en: 'contents' },
        role: 'contents',
        elimination: false,
        values: [
          { code: 'Vekt', label: { no: 'Vekt (tonn)', en: 'Weight (tonnes)' } },
          { code: 'Kilopris', label: { no: 'Kilopris (kr)', en: 'Price per kilo (NOK)' } },
        ],
      },
      tid,
    ],
    stub: ['VareGrupper2'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 2,
    contentInfo: {
      Vekt: { unit: { no: 'tonn', en: 'tonnes' }, decimals: 0, stockFa: 'F', refPeriod: { no: 'Ukeslutt', en: 'End of week' } },
      Kilopris: { unit: { no: 'kr', en: 'NOK' }, decimals: 2, stockFa: 'F', refPeriod: { no: 'Ukeslutt', en: 'End of week' } },
    },
    source: { no: 'Statistisk sentralbyrå', en: 'Statistics Norway' },
    contact: { no: 'Utenrikshandel, SSB# +47 62 88 50 00#utenrikshandel@ssb.no', en: 'Utenrikshandel, Statistics Norway# +47 62 88 50 00#utenrikshandel@ssb.no' },
    updated: '2025-12-03T07:00:00Z',
    subjectCode: 'ut',
    subjectArea: { no: 'Utenriksøkonomi', en: 'External economy' },
    officialStatistics: true,
    aggregAllowed: false,
  };
  return fill(meta, (p) => (p[1] === 1 ? 2 : 0));
}

/**
 * Like SSB 05810/07459: sex (codes 0, 2, 1 in that order: integer-like keys), age with a value set and a
 * grouping, contents, year. A few cells carry missing-value symbols.
 */
export function build05810(years = 7): Cube {
  const ages = ['999B', '00-06', '07-15', '16-44', '45-66', '67-79', '80+'];
  const meta: TableMeta = {
    id: '05810',
    title: { no: '05810: Folkemengde, etter kjønn og alder', en: '05810: Population, by sex and age' },
    contents: { no: '05810: Folkemengde,', en: '05810: Population,' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables: [
      {
        code: 'Kjonn',
        label: { no: 'kjønn', en: 'gender' },
        elimination: true,
        eliminationValue: '0',
        values: [
          { code: '0', label: { no: 'Begge kjønn', en: 'Both sexes' } },
          { code: '2', label: { no: 'Kvinner', en: 'Females' } },
          { code: '1', label: { no: 'Menn', en: 'Males' } },
        ],
      },
      {
        code: 'Alder',
        label: { no: 'alder', en: 'age' },
        elimination: true,
        values: ages.map((c) => ({ code: c, label: { no: c === '999B' ? 'I alt' : `${c} år`, en: c === '999B' ? 'All' : `${c} years` } })),
        valueSets: [
          { id: 'AldGrupper', label: { no: 'Aldersgrupper', en: 'Age groups' }, codes: ['00-06', '07-15', '16-44', '45-66', '67-79', '80+'] },
          { id: 'AlleAldre', label: { no: 'Alle aldre', en: 'All ages' }, codes: ['999B'] },
        ],
        groupings: [
          {
            id: 'Barn',
            label: { no: 'Barn og voksne', en: 'Children and adults' },
            groups: [
              { code: 'B0-15', label: { no: '0-15 år', en: '0-15 years' }, inputs: ['00-06', '07-15'] },
              { code: 'V16+', label: { no: '16 år og over', en: '16 years and over' }, inputs: ['16-44', '45-66', '67-79', '80+'] },
            ],
          },
        ],
        notes: [{ text: { no: 'Alder ved utgangen av året.', en: 'Age at the end of the year.' }, mandatory: true }],
      },
      {
        code: 'ContentsCode',
        label: { no: 'statistikkvariabel', en: 'contents' },
        role: 'contents',
        elimination: false,
        values: [{ code: 'Personer', label: { no: 'Personer', en: 'Persons' } }],
      },
      {
        code: 'Tid',
        label: { no: 'år', en: 'year' },
        role: 'time',
        timeUnit: 'A',
        elimination: false,
        values: Array.from({ length: years }, (_, i) => ({ code: String(2025 - years + 1 + i), label: { no: String(2025 - years + 1 + i), en: String(2025 - years + 1 + i) } })),
      },
    ],
    stub: ['Kjonn', 'Alder'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 0,
    contentInfo: { Personer: { unit: { no: 'personer', en: 'number' }, decimals: 0, stockFa: 'S', lastUpdated: '2025-02-25T07:00:00Z' } },
    notes: [{ text: { no: 'Til og med 1990 per 31. desember.', en: 'Until 1990 the figures correspond per 31 December.' }, mandatory: false }],
    source: { no: 'Statistisk sentralbyrå', en: 'Statistics Norway' },
    contact: { no: 'Tove, SSB# +47 99 79 08 19#tov@ssb.no', en: 'Tove, Statistics Norway# +47 99 79 08 19#tov@ssb.no' },
    subjectCode: 'be',
    subjectArea: { no: 'Befolkning', en: 'Population' },
    officialStatistics: true,
  };
  // '..' on the oldest year for 80+, '-' (nil) for Kjonn=1/00-06 in the oldest year
  return fill(
    meta,
    () => 0,
    (p) => (p[1] === 6 && p[3] === 0 ? Status.Dot2 : p[0] === 2 && p[1] === 1 && p[3] === 0 ? Status.Nil : 0),
  );
}

/** No contents and no time variable (the fallback default selection): two mandatory, two eliminable. */
export function buildPlain(): Cube {
  const v = (code: string, n: number, elimination: boolean): Variable => ({
    code,
    label: { no: code.toLowerCase(), en: code.toLowerCase() },
    elimination,
    values: Array.from({ length: n }, (_, i) => ({ code: `${code[0]}${i + 1}`, label: { no: `${code} ${i + 1}`, en: `${code} ${i + 1}` } })),
  });
  const meta: TableMeta = {
    id: 'PLAIN1',
    title: { no: 'Enkel tabell', en: 'Plain table' },
    contents: { no: 'Enkel tabell', en: 'Plain table' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables: [v('Aa', 3, false), v('Bb', 4, true), v('Cc', 2, true), v('Dd', 5, false)],
    stub: ['Aa', 'Bb'],
    heading: ['Cc', 'Dd'],
    decimals: 1,
    unit: { no: 'antall', en: 'number' },
  };
  return fill(meta, () => 1);
}

/** Read a cell of a cube built here by value codes (undefined = symbol). Independent of the engine. */
export function cellAt(cube: Cube, codes: Record<string, string>): number | undefined {
  const vars = cube.meta.variables;
  let idx = 0;
  for (const v of vars) {
    const k = v.values.findIndex((x) => x.code === codes[v.code]);
    if (k < 0) throw new Error(`no value ${codes[v.code]} for ${v.code}`);
    idx = idx * v.values.length + k;
  }
  if (cube.status?.[idx]) return undefined;
  return cube.values[idx];
}

export interface TestServer {
  store: Store;
  config: AppConfig;
  cubes: Record<string, Cube>;
  app: Awaited<ReturnType<typeof buildApp>>;
}

/** An app on a memory store with the cubes above, folders, and an in-memory saved-query store. */
export async function testServer(overrides: Partial<AppConfig> = {}): Promise<TestServer> {
  const store = createMemoryStore();
  store.putFolder('ut', { no: 'Utenriksøkonomi', en: 'External economy' });
  store.putFolder('ut/laks', { no: 'Laks', en: 'Salmon' });
  store.putFolder('be', { no: 'Befolkning', en: 'Population' });
  store.putFolder('be/folkemengde', { no: 'Folkemengde', en: 'Population' });
  const cubes = { '03024': build03024(), '05810': build05810(), PLAIN1: buildPlain() };
  store.putTable(cubes['03024'], { folders: ['ut/laks'], published: '2025-12-03T07:00:00Z' });
  store.putTable(cubes['05810'], { folders: ['be/folkemengde', 'be'], published: '2025-02-25T07:00:00Z' });
  store.putTable(cubes.PLAIN1, { folders: ['be'], published: '2020-01-01T00:00:00Z', discontinued: true });
  const config = loadConfig({ baseUrl: 'https://statbank.test', maxCalls: 0, logLevel: 'silent', ...overrides }, {});
  const app = await buildApp({ store, config, savedQueries: createMemorySavedQueryStore() } as Parameters<typeof buildApp>[0], { logger: false });
  return { store, config, cubes, app };
}
