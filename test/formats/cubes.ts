// Small hand-made cubes for the serializer tests: symbols, several contents with different
// decimals, notes, two languages, integer-like codes ("2024", "1", "0") in a non-sorted order.

import { Status, type Cube, type TableMeta } from '../../src/core/model.js';

export function salesMeta(): TableMeta {
  return {
    id: '99001',
    matrix: 'Salg',
    title: { no: '99001: Salg, etter region, kjønn, statistikkvariabel og år', en: '99001: Sales, by region, sex, contents and year' },
    contents: { no: '99001: Salg,', en: '99001: Sales,' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables: [
      {
        code: 'Region',
        label: { no: 'region', en: 'region' },
        role: 'geo',
        elimination: true,
        eliminationValue: '0',
        values: [
          { code: '0', label: { no: 'Hele landet', en: 'The whole country' } },
          { code: '3', label: { no: 'Oslo', en: 'Oslo' }, notes: [{ text: { no: 'Oslo er både fylke og kommune', en: 'Oslo is a county and a municipality' }, mandatory: true }] },
          { code: '46', label: { no: 'Vestland "Vest"', en: 'Vestland "West"' } },
        ],
      },
      {
        code: 'Kjonn',
        label: { no: 'kjønn', en: 'sex' },
        elimination: true,
        notes: [{ text: { no: 'Kjønn etter folkeregisteret', en: 'Sex as registered' }, mandatory: false }],
        values: [
          { code: '2', label: { no: 'Kvinner', en: 'Females' } },
          { code: '1', label: { no: 'Menn', en: 'Males' } },
        ],
      },
      {
        code: 'ContentsCode',
        label: { no: 'statistikkvariabel', en: 'contents' },
        role: 'contents',
        elimination: false,
        values: [
          { code: 'Antall', label: { no: 'Antall (stk)', en: 'Number (pcs)' } },
          { code: 'Pris', label: { no: 'Pris (kr)', en: 'Price (NOK)' } },
        ],
      },
      {
        code: 'Tid',
        label: { no: 'år', en: 'year' },
        role: 'time',
        timeUnit: 'A',
        elimination: false,
        values: [
          { code: '2024', label: { no: '2024', en: '2024' } },
          { code: '2023', label: { no: '2023', en: '2023' } },
        ],
      },
    ],
    stub: ['Region', 'Kjonn'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 2,
    contentInfo: {
      Antall: { unit: { no: 'stk', en: 'pcs' }, decimals: 0, stockFa: 'F', lastUpdated: '2025-03-01T06:00:00Z', refPeriod: { no: '31.12.', en: '31 Dec' } },
      Pris: { unit: { no: 'kr', en: 'NOK' }, decimals: 2, stockFa: 'A', cfPrices: 'C', seasAdj: true, lastUpdated: '2025-02-01T06:00:00Z' },
    },
    symbols: { [Status.Dot3]: { no: ':', en: ':' } },
    notes: [
      { text: { no: 'Tallene er oppdiktet.', en: 'The figures are made up.' }, mandatory: true },
      { text: { no: 'Kilde: test.', en: 'Source: test.' }, mandatory: false },
    ],
    source: { no: 'Statistisk sentralbyrå', en: 'Statistics Norway' },
    contact: { no: 'Ola Nordmann, SSB# +47 12 34 56 78#ola@ssb.no', en: 'Ola Nordmann, Statistics Norway# +47 12 34 56 78#ola@ssb.no' },
    officialStatistics: true,
    aggregAllowed: false,
    subjectCode: 'va',
    subjectArea: { no: 'Varehandel', en: 'Trade' },
    codepage: 'iso-8859-1',
  };
}

/** 3 x 2 x 2 x 2 = 24 cells; cells 5 (`..`), 10 (`:`) and 17 (`-`) carry symbols. */
export function salesCube(): Cube {
  const meta = salesMeta();
  const n = 24;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // contents is the 3rd variable: index (i >> 1) & 1; Pris values get two decimals
    const pris = ((i >> 1) & 1) === 1;
    values[i] = pris ? 100 + i * 1.255 : 1000 * (i + 1) - 0.5 * (i % 3);
  }
  values[0] = 2.5; // half-even at 0 decimals -> 2
  values[2] = 87; // Pris 87 -> "87.00" in text, 87 in JSON
  values[3] = -0.005; // Pris: a tie at 2 decimals -> -0.00 -> "0.00"
  const status = new Uint8Array(n);
  status[5] = Status.Dot2;
  status[10] = Status.Dot3;
  status[17] = Status.Nil;
  values[5] = 0;
  values[10] = 0;
  values[17] = 0;
  return { meta, values, status };
}

/** A cube without a contents variable, one stub and one heading variable, codes "1","0". */
export function plainCube(): Cube {
  const meta: TableMeta = {
    id: 'TAB2',
    title: { en: 'Persons by age and year' },
    contents: { en: 'Persons' },
    languages: ['en'],
    defaultLanguage: 'en',
    variables: [
      {
        code: 'Age',
        label: { en: 'age' },
        elimination: false,
        presentation: 'code_value',
        values: [
          { code: '1', label: { en: 'young' } },
          { code: '0', label: { en: 'old' } },
        ],
      },
      { code: 'Year', label: { en: 'year' }, role: 'time', elimination: false, values: [{ code: '2020', label: { en: '2020' } }, { code: '2021', label: { en: '2021' } }, { code: '2022', label: { en: '2022' } }] },
    ],
    stub: ['Age'],
    heading: ['Year'],
    decimals: 1,
    unit: { en: 'persons' },
  };
  return { meta, values: Float64Array.from([1.25, 2, 3.35, -4, 5.05, 6]), status: null };
}
