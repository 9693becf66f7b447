// Hand-built cubes shaped like Statistics Norway's table 07459 (population by region, sex, age, year),
// plus a brute-force cell reader the tests use to check every engine answer independently.

import type { Cube, TableMeta, Variable } from '../../src/core/model.js';

export interface Cube07459Options {
  /** First and last year (inclusive). */
  firstYear?: number;
  lastYear?: number;
  /** Number of age values (000 ...). */
  ages?: number;
  /** Put a few missing-value symbols into the cube. */
  withSymbols?: boolean;
  id?: string;
}

export const REGIONS: [string, string, string][] = [
  ['0', 'Hele landet', 'The whole country'],
  ['03', 'Oslo (fylke)', 'Oslo (county)'],
  ['11', 'Rogaland', 'Rogaland'],
  ['0301', 'Oslo', 'Oslo'],
  ['1101', 'Eigersund', 'Eigersund'],
  ['1103', 'Stavanger', 'Stavanger'],
  ['1108', 'Sandnes', 'Sandnes'],
];

export function build07459(opts: Cube07459Options = {}): Cube {
  const firstYear = opts.firstYear ?? 2015;
  const lastYear = opts.lastYear ?? 2024;
  const ages = opts.ages ?? 6;
  const region: Variable = {
    code: 'Region',
    label: { no: 'region', en: 'region' },
    role: 'geo',
    map: 'Kommune',
    elimination: true,
    eliminationValue: '0',
    values: REGIONS.map(([code, no, en]) => ({ code, label: { no, en } })),
    valueSets: [
      { id: 'Landet', label: { no: 'Hele landet', en: 'The whole country' }, codes: ['0'] },
      { id: 'Fylker', label: { no: 'Fylker', en: 'Counties' }, codes: ['03', '11'], eliminationValue: '0' },
      { id: 'Kommun', label: { no: 'Kommuner', en: 'Municipalities' }, codes: ['0301', '1101', '1103', '1108'] },
    ],
    groupings: [
      {
        id: 'KommSummer',
        label: { no: 'Kommuner (summert)', en: 'Municipalities (summed)' },
        groups: [
          { code: 'K-0301', label: { no: 'Oslo', en: 'Oslo' }, inputs: ['0301'] },
          { code: 'K-1103', label: { no: 'Stavanger', en: 'Stavanger' }, inputs: ['1103'] },
        ],
      },
      {
        id: 'Fylker2024',
        label: { no: 'Fylker 2024', en: 'Counties 2024' },
        groups: [
          { code: 'F-03', label: { no: 'Oslo', en: 'Oslo' }, inputs: ['0301'] },
          { code: 'F-11', label: { no: 'Rogaland', en: 'Rogaland' }, inputs: ['1101', '1103', '1108'] },
        ],
      },
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
    values: Array.from({ length: ages }, (_, i) => {
      const c = String(i).padStart(3, '0');
      return { code: c, label: { no: `${i} år`, en: `${i} years` } };
    }),
    valueSets: [{ id: 'AlleAldre00B', label: { no: 'Alle aldre', en: 'All ages' }, codes: Array.from({ length: ages }, (_, i) => String(i).padStart(3, '0')) }],
  };
  const contents: Variable = {
    code: 'ContentsCode',
    label: { no: 'statistikkvariabel', en: 'contents' },
    role: 'contents',
    elimination: false,
    values: [{ code: 'Personer1', label: { no: 'Personer', en: 'Persons' } }],
  };
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => String(firstYear + i));
  const tid: Variable = {
    code: 'Tid',
    label: { no: 'år', en: 'year' },
    role: 'time',
    timeUnit: 'A',
    elimination: false,
    values: years.map((y) => ({ code: y, label: { no: y, en: y } })),
  };
  const variables = [region, kjonn, alder, contents, tid];
  const meta: TableMeta = {
    id: opts.id ?? '07459',
    title: { no: '07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år', en: '07459: Population, by region, sex, age, contents and year' },
    contents: { no: '07459: Befolkning,', en: '07459: Population,' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables,
    stub: ['Region', 'Kjonn', 'Alder'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 0,
    contentInfo: { Personer1: { unit: { no: 'personer', en: 'persons' }, decimals: 0 } },
    source: { no: 'Statistisk sentralbyrå', en: 'Statistics Norway' },
    updated: '2025-02-21T07:00:00Z',
    subjectCode: 'be',
  };
  let n = 1;
  for (const v of variables) n *= v.values.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = ((i * 7919) % 1000) + 1;
  let status: Uint8Array | null = null;
  if (opts.withSymbols) {
    status = new Uint8Array(n);
    // '..' in a few cells, '-' (nil) in a few others
    for (let i = 3; i < n; i += 37) {
      status[i] = 2;
      values[i] = 0;
    }
    for (let i = 5; i < n; i += 53) {
      if (status[i]) continue;
      status[i] = 8;
      values[i] = 0;
    }
  }
  return { meta, values, status };
}

/** A cell by value codes (one per variable, table order), read with plain arithmetic. */
export function cellAt(cube: Cube, codes: string[]): { value: number; status: number } {
  const vars = cube.meta.variables;
  let idx = 0;
  for (let d = 0; d < vars.length; d++) {
    const k = vars[d].values.findIndex((v) => v.code === codes[d]);
    if (k < 0) throw new Error(`no value ${codes[d]} in ${vars[d].code}`);
    idx = idx * vars[d].values.length + k;
  }
  return { value: cube.values[idx], status: cube.status ? cube.status[idx] : 0 };
}

/**
 * Brute-force sum over every combination: `choices[d]` lists the codes of variable d to add up
 * (one code = no sum). Missing cells make the sum missing (returned as null), nil cells add 0.
 */
export function bruteSum(cube: Cube, choices: string[][]): number | null {
  let total = 0;
  let missing = false;
  const rec = (d: number, acc: string[]) => {
    if (d === choices.length) {
      const c = cellAt(cube, acc);
      if (c.status === 0) total += c.value;
      else if (c.status !== 8) missing = true;
      return;
    }
    for (const code of choices[d]) rec(d + 1, [...acc, code]);
  };
  rec(0, []);
  return missing ? null : total;
}

/** Every combination of the given code lists, last varying fastest. */
export function combos(lists: string[][]): string[][] {
  let out: string[][] = [[]];
  for (const l of lists) out = out.flatMap((p) => l.map((c) => [...p, c]));
  return out;
}

export interface SimpleVar {
  code: string;
  label: string;
  labelEn?: string;
  values: [string, string][];
  time?: boolean;
  contents?: boolean;
  elimination?: boolean;
}

/** A small cube with Norwegian and English texts (English = Norwegian unless given); values = 1..n. */
export function simpleCube(id: string, title: string, vars: SimpleVar[], extra: Partial<TableMeta> = {}): Cube {
  const variables: Variable[] = vars.map((v) => ({
    code: v.code,
    label: { no: v.label, en: v.labelEn ?? v.label },
    role: v.time ? 'time' : v.contents ? 'contents' : undefined,
    elimination: v.elimination ?? false,
    values: v.values.map(([code, t]) => ({ code, label: { no: t, en: t } })),
  }));
  const meta: TableMeta = {
    id,
    title: { no: title, en: title },
    contents: { no: title, en: title },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables,
    stub: variables.slice(0, -1).map((v) => v.code),
    heading: variables.slice(-1).map((v) => v.code),
    decimals: 0,
    ...extra,
  };
  let n = 1;
  for (const v of variables) n *= v.values.length;
  return { meta, values: Float64Array.from({ length: n }, (_, i) => i + 1), status: null };
}
