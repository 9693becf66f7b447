// The demo's ready-made datasets (Statistics Norway's `/api/v0/dataset/{id}`): each is a fixed API v1 query on
// one demo table, always answered on the table's newest version (a `top` filter follows new releases).
// Tags follow Statistics Norway's conventions: the Statbank table number, the statistic's short name,
// `tidsserie` for long time series and `kommuner`/`fylker` for regional data (English words in English lists).

import type { Texts } from '../core/model.js';
import type { V1QueryItem } from '../query/v1Query.js';
import { t } from './build.js';
import { COUNTIES, countyHistory } from './regions.js';

export interface DemoDataset {
  /** Numeric id, as in `/api/v0/dataset/1052.json`. */
  id: string;
  tableId: string;
  title: Texts;
  /** Tags per language. */
  tags: Record<string, string[]>;
  /** The API v1 query the dataset answers (the `query` array of a POST body). */
  query: V1QueryItem[];
}

const item = (code: string, ...values: string[]): V1QueryItem => ({ code, selection: { filter: 'item', values } });
const top = (code: string, n: number): V1QueryItem => ({ code, selection: { filter: 'top', values: [String(n)] } });
const all = (code: string, ...patterns: string[]): V1QueryItem => ({ code, selection: { filter: 'all', values: patterns } });
const valueSet = (code: string, id: string, values: string[]): V1QueryItem => ({ code, selection: { filter: `vs:${id}`, values } });

// 07459 carries the county codes of each year: the counties of the latest five years of the default demo (2021-2025)
// are the 2024 counties and the three of 2020-2023 that were split in 2024 (Viken, Vestfold og Telemark, Troms og Finnmark)
const counties = [...COUNTIES.map((c) => c.code), ...countyHistory().filter((h) => h.to !== null && h.to >= 2021).map((h) => h.code)];
const municipalities = COUNTIES.flatMap((c) => c.municipalities.map((m) => m.code));

export const DEMO_DATASETS: DemoDataset[] = [
  {
    id: '1052',
    tableId: '08931',
    title: t(
      'Arbeidsledige og arbeidsledighet 15-74 år, sesongjustert. Siste 13 måneder',
      'Unemployed persons and unemployment rate, 15-74 years, seasonally adjusted. Latest 13 months',
    ),
    tags: { no: ['08931', 'aku', 'arbeidsledighet'], en: ['08931', 'aku', 'unemployment'] },
    query: [item('Kjonn', '0'), item('Alder', '15-74'), item('ContentsCode', 'Arbeidsledige', 'ArbledProsArbstyrk'), top('Tid', 13)],
  },
  {
    id: '1086',
    tableId: '03013',
    title: t('Konsumprisindeksen, totalindeks og tolvmånedersendring. Hele tidsserien', 'Consumer price index, total index and 12-month change. The whole time series'),
    tags: { no: ['03013', 'kpi', 'tidsserie'], en: ['03013', 'kpi', 'time series'] },
    query: [item('Konsumgrp', 'TOTAL'), item('ContentsCode', 'KpiIndMnd', 'Tolvmanedersendring'), all('Tid', '*')],
  },
  {
    id: '1060',
    tableId: '07221',
    title: t('Prisindeks for brukt bolig etter region. Siste åtte kvartaler', 'House price index by region. Latest eight quarters'),
    tags: { no: ['07221', 'bpi', 'region'], en: ['07221', 'bpi', 'region'] },
    query: [all('Region', '*'), item('Boligtype', '00'), item('ContentsCode', 'Boligindeks', 'Kvartalsendring'), top('Tid', 8)],
  },
  {
    id: '1104',
    tableId: '07459',
    title: t('Folkemengde i fylkene 1. januar. Siste fem år', 'Population of the counties on 1 January. Latest five years'),
    tags: { no: ['07459', 'folkemengde', 'fylker'], en: ['07459', 'folkemengde', 'county'] },
    query: [valueSet('Region', 'Fylker', counties), item('ContentsCode', 'Personer1'), top('Tid', 5)],
  },
  {
    id: '1108',
    tableId: '07459',
    title: t('Folkemengde i kommunene 1. januar, etter kjønn. Siste år', 'Population of the municipalities on 1 January, by sex. Latest year'),
    tags: { no: ['07459', 'folkemengde', 'kommuner'], en: ['07459', 'folkemengde', 'municipality'] },
    query: [valueSet('Region', 'Kommuner', municipalities), all('Kjonn', '*'), item('ContentsCode', 'Personer1'), top('Tid', 1)],
  },
  {
    id: '1082',
    tableId: '05810',
    title: t('Folkemengde i hele landet, etter kjønn. Tidsserie fra 1845', 'Population of Norway, by sex. Time series from 1845'),
    tags: { no: ['05810', 'folkemengde', 'tidsserie'], en: ['05810', 'folkemengde', 'time series'] },
    query: [all('Kjonn', '*'), item('Alder', '999B'), item('ContentsCode', 'Personer1'), all('Tid', '*')],
  },
  {
    id: '49626',
    tableId: '01222',
    title: t('Befolkningsendringer i hele landet. Siste fire kvartaler', 'Population changes in Norway. Latest four quarters'),
    tags: { no: ['01222', 'folkendrkv'], en: ['01222', 'folkendrkv'] },
    query: [item('Region', '0'), all('ContentsCode', '*'), top('Tid', 4)],
  },
  {
    // the demo table with all of Statistics Norway's symbols: `..`, `:` and `-` show up as JSON-stat status
    id: '1124',
    tableId: '11418',
    title: t(
      'Månedslønn, arbeidsforhold og heltidsandel for alle yrker og for bønder og fiskere, etter sektor og kjønn. Siste fem år',
      'Monthly earnings, jobs and full-time share for all occupations and for agricultural and fishery workers, by sector and sex. Latest five years',
    ),
    tags: { no: ['11418', 'lonnansatt'], en: ['11418', 'lonnansatt'] },
    query: [
      item('Yrke', '0-9', '6'),
      all('Sektor', '*'),
      all('Kjonn', '*'),
      item('ContentsCode', 'Manedslonn', 'Arbeidsforhold', 'AndelHeltid'),
      top('Tid', 5),
    ],
  },
];
