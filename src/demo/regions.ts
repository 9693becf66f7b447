// Regions of the demo: the country, the 15 counties of 2024 and a selection of municipalities (all of Rogaland),
// with real codes and names and a rough population on 1 January 2025 that the generated numbers are scaled to.

import type { Grouping, ValueSet, Variable } from '../core/model.js';
import { note, t, variable } from './build.js';

export interface Municipality {
  code: string;
  name: string;
  /** Rough population 1.1.2025. */
  pop: number;
  /** Share of young adults above the national pattern: cities > 1, rural places < 1. */
  urban: number;
}

export interface County {
  code: string;
  no: string;
  en: string;
  /** Rough population 1.1.2025 of the whole county (municipalities not listed make up the rest). */
  pop: number;
  municipalities: Municipality[];
}

const m = (code: string, name: string, pop: number, urban = 1): Municipality => ({ code, name, pop, urban });

export const COUNTIES: County[] = [
  { code: '03', no: 'Oslo (fylke)', en: 'Oslo (county)', pop: 717_700, municipalities: [m('0301', 'Oslo', 717_700, 1.35)] },
  {
    code: '11',
    no: 'Rogaland',
    en: 'Rogaland',
    pop: 0, // every municipality is listed: the county is their sum
    municipalities: [
      m('1101', 'Eigersund', 15_200, 0.9),
      m('1103', 'Stavanger', 149_000, 1.2),
      m('1106', 'Haugesund', 38_300, 1.05),
      m('1108', 'Sandnes', 83_000, 1.05),
      m('1111', 'Sokndal', 3_300, 0.8),
      m('1112', 'Lund', 3_200, 0.8),
      m('1114', 'Bjerkreim', 2_900, 0.85),
      m('1119', 'Hå', 19_700, 0.95),
      m('1120', 'Klepp', 20_500, 0.95),
      m('1121', 'Time', 19_800, 0.95),
      m('1122', 'Gjesdal', 12_200, 0.95),
      m('1124', 'Sola', 28_500, 1.0),
      m('1127', 'Randaberg', 11_600, 0.95),
      m('1130', 'Strand', 13_300, 0.9),
      m('1133', 'Hjelmeland', 2_600, 0.8),
      m('1134', 'Suldal', 3_800, 0.8),
      m('1135', 'Sauda', 4_500, 0.8),
      m('1144', 'Kvitsøy', 520, 0.75),
      m('1145', 'Bokn', 880, 0.8),
      m('1146', 'Tysvær', 11_400, 0.9),
      m('1149', 'Karmøy', 43_000, 0.9),
      m('1151', 'Utsira', 200, 0.7),
      m('1160', 'Vindafjord', 8_900, 0.85),
    ],
  },
  { code: '15', no: 'Møre og Romsdal', en: 'Møre og Romsdal', pop: 270_000, municipalities: [m('1506', 'Molde', 33_000, 1.0), m('1508', 'Ålesund', 60_000, 1.05)] },
  { code: '18', no: 'Nordland', en: 'Nordland', pop: 243_000, municipalities: [m('1804', 'Bodø', 53_000, 1.1)] },
  { code: '31', no: 'Østfold', en: 'Østfold', pop: 305_000, municipalities: [m('3107', 'Fredrikstad', 85_000, 1.0)] },
  { code: '32', no: 'Akershus', en: 'Akershus', pop: 725_000, municipalities: [m('3201', 'Bærum', 130_000, 1.0), m('3203', 'Asker', 98_000, 0.95)] },
  { code: '33', no: 'Buskerud', en: 'Buskerud', pop: 270_000, municipalities: [m('3301', 'Drammen', 104_000, 1.05)] },
  { code: '34', no: 'Innlandet', en: 'Innlandet', pop: 375_000, municipalities: [m('3403', 'Hamar', 32_000, 1.0)] },
  { code: '39', no: 'Vestfold', en: 'Vestfold', pop: 255_000, municipalities: [m('3907', 'Sandefjord', 66_000, 0.95)] },
  { code: '40', no: 'Telemark', en: 'Telemark', pop: 177_000, municipalities: [m('4003', 'Skien', 56_000, 0.95)] },
  { code: '42', no: 'Agder', en: 'Agder', pop: 320_000, municipalities: [m('4204', 'Kristiansand', 117_000, 1.1)] },
  {
    code: '46',
    no: 'Vestland',
    en: 'Vestland',
    pop: 650_000,
    municipalities: [m('4601', 'Bergen', 291_000, 1.25), m('4640', 'Sogndal', 12_000, 1.0)],
  },
  { code: '50', no: 'Trøndelag', en: 'Trøndelag', pop: 480_000, municipalities: [m('5001', 'Trondheim', 214_000, 1.3), m('5006', 'Steinkjer', 24_000, 0.9)] },
  { code: '55', no: 'Troms', en: 'Troms', pop: 170_000, municipalities: [m('5501', 'Tromsø', 79_000, 1.2)] },
  { code: '56', no: 'Finnmark', en: 'Finnmark', pop: 75_000, municipalities: [m('5601', 'Alta', 21_000, 1.0)] },
];

/** A place the generator models: a listed municipality, or the unlisted rest of a county. */
export interface Place {
  code: string;
  county: string;
  pop: number;
  urban: number;
  /** Yearly growth rate (log), 1986-2025. */
  growth: number;
  listed: boolean;
}

/** Growth per year: Oslo and the cities grew fast, the periphery slowly (roughly as in 1986-2025). */
function growthOf(code: string, urban: number): number {
  if (code === '0301') return 0.0112;
  return 0.0035 + (urban - 0.9) * 0.016;
}

export function places(): Place[] {
  const out: Place[] = [];
  for (const c of COUNTIES) {
    let listed = 0;
    for (const mu of c.municipalities) {
      out.push({ code: mu.code, county: c.code, pop: mu.pop, urban: mu.urban, growth: growthOf(mu.code, mu.urban), listed: true });
      listed += mu.pop;
    }
    const rest = c.pop - listed;
    if (rest > 0) out.push({ code: `${c.code}-rest`, county: c.code, pop: rest, urban: 0.88, growth: 0.0045, listed: false });
  }
  return out;
}

export interface RegionRow {
  code: string;
  kind: 'country' | 'county' | 'municipality';
  county?: string;
}

/** Region values in table order: the country, then each county followed by its municipalities. */
export function regionRows(): RegionRow[] {
  const rows: RegionRow[] = [{ code: '0', kind: 'country' }];
  for (const c of COUNTIES) {
    rows.push({ code: c.code, kind: 'county' });
    for (const mu of c.municipalities) rows.push({ code: mu.code, kind: 'municipality', county: c.code });
  }
  return rows;
}

/** The Region variable shared by the population tables, with value sets and the county-sum grouping. */
export function regionVariable(): Variable {
  const values = [{ code: '0', label: t('Hele landet', 'The whole country') }];
  for (const c of COUNTIES) {
    values.push({ code: c.code, label: t(c.no, c.en) });
    for (const mu of c.municipalities) values.push({ code: mu.code, label: t(mu.name) });
  }
  const oslo = values.find((v) => v.code === '0301')!;
  Object.assign(oslo, { notes: [note('Oslo er både kommune og fylke.', 'Oslo is both a municipality and a county.')] });
  const counties = COUNTIES.map((c) => c.code);
  const municipalities = COUNTIES.flatMap((c) => c.municipalities.map((mu) => mu.code));
  const valueSets: ValueSet[] = [
    { id: 'Landet', label: t('Hele landet', 'The whole country'), codes: ['0'] },
    { id: 'Fylker', label: t('Fylker', 'Counties'), codes: counties, eliminationValue: '0' },
    { id: 'Kommuner', label: t('Kommuner', 'Municipalities'), codes: municipalities, eliminationValue: '0' },
  ];
  const groupings: Grouping[] = [
    {
      id: 'KommSummer',
      label: t('Fylker (sum av kommunene i tabellen)', 'Counties (sum of the municipalities in the table)'),
      groups: COUNTIES.map((c) => ({
        code: `F-${c.code}`,
        label: t(c.no.replace(' (fylke)', ''), c.en.replace(' (county)', '')),
        inputs: c.municipalities.map((mu) => mu.code),
      })),
    },
  ];
  return variable({
    code: 'Region',
    label: t('region'),
    role: 'geo',
    map: 'Kommune',
    elimination: true,
    eliminationValue: '0',
    values,
    valueSets,
    groupings,
    notes: [
      note(
        'Regioninndeling per 1. januar 2024. Tall for tidligere år er regnet om til denne inndelingen. Bare et utvalg kommuner er med.',
        'Regions as of 1 January 2024. Figures for earlier years are converted to these borders. Only a selection of municipalities is included.',
      ),
    ],
  });
}
