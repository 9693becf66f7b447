// Regions of the demo: the country, the 15 counties of 2024 and a selection of municipalities (all of Rogaland),
// with real codes and names and a rough population on 1 January 2025 that the generated numbers are scaled to.

import { Status, type Grouping, type ValueSet, type Variable } from '../core/model.js';
import type { ClassificationVersion } from '../klass/model.js';
import { reformStructure } from '../klass/reform.js';
import { note, t, variable } from './build.js';
import { demoKlassData } from './klass.js';

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
  {
    code: '15',
    no: 'Møre og Romsdal',
    en: 'Møre og Romsdal',
    pop: 270_000,
    municipalities: [m('1506', 'Molde', 33_000, 1.0), m('1508', 'Ålesund', 60_000, 1.05), m('1580', 'Haram', 9_300, 0.85)],
  },
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

// ---- region codes through the reforms (from the demo's Klass 131 and 104) ----

/** A region code of some year, the years it existed, and the listed 2024 municipalities it became. */
export interface HistoricCode {
  code: string;
  name: string;
  /** First year it existed (1 January); null = before the first Klass version (2015), taken as always. */
  from: number | null;
  /** Last year it existed; null = still exists. */
  to: number | null;
  /** The listed 2024 municipalities this code's area (or part of it) belongs to (counties: none). */
  targets: string[];
}

function versionsOf(id: number): ClassificationVersion[] {
  return demoKlassData()
    .versions.filter((v) => v.classificationId === id)
    .sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
}

/** The years a code is in the versions (the first version counts as always). */
function yearsOf(versions: ClassificationVersion[], code: string): { from: number | null; to: number | null; name: string } {
  const inVersions = versions.map((v, i) => (v.items.some((x) => x.code === code) ? i : -1)).filter((i) => i >= 0);
  const first = inVersions[0];
  const last = inVersions[inVersions.length - 1];
  const item = versions[last].items.find((x) => x.code === code)!;
  return {
    name: item.name.nb ?? code,
    from: first === 0 ? null : Number(versions[first].validFrom.slice(0, 4)),
    to: versions[last].validTo === null ? null : Number(versions[last].validTo!.slice(0, 4)) - 1,
  };
}

let historyCache: { versions: ClassificationVersion[]; codes: HistoricCode[] } | undefined;

/** Every code (old and current) that makes up a listed municipality, with its years. Cached: Klass data is fixed. */
export function municipalityHistory(): { versions: ClassificationVersion[]; codes: HistoricCode[] } {
  if (historyCache) return historyCache;
  const versions = versionsOf(131);
  const s = reformStructure(demoKlassData(), 131, '2024-01-01')!;
  const listed = new Set(COUNTIES.flatMap((c) => c.municipalities.map((mu) => mu.code)));
  const targetsOf = new Map<string, string[]>();
  for (const target of s.targets) {
    if (!listed.has(target.code)) continue;
    for (const c of [...target.whole, ...target.partial]) targetsOf.set(c, [...(targetsOf.get(c) ?? []), target.code]);
  }
  const codes: HistoricCode[] = [...targetsOf].map(([code, targets]) => ({ code, ...yearsOf(versions, code), targets }));
  codes.sort((a, b) => (a.code < b.code ? -1 : 1));
  historyCache = { versions, codes };
  return historyCache;
}

let countyCache: HistoricCode[] | undefined;

/** Every county code of Klass 104 (old and current, without 99 "Uoppgitt"), with its years. */
export function countyHistory(): HistoricCode[] {
  if (countyCache) return countyCache;
  const versions = versionsOf(104);
  const all = [...new Set(versions.flatMap((v) => v.items.map((x) => x.code)))].filter((c) => c !== '99').sort();
  countyCache = all.map((code) => ({ code, ...yearsOf(versions, code), targets: [] }));
  return countyCache;
}

/** Whether a code existed on 1 January of `year`. */
export function existedIn(h: HistoricCode, year: number): boolean {
  return (h.from === null || year >= h.from) && (h.to === null || year <= h.to);
}

/** "Sandnes (-2019)", "Ålesund (2020-2023)"; current codes keep their plain name. */
function historicLabel(h: HistoricCode): string {
  if (h.to === null) return h.name;
  return `${h.name} (${h.from ?? ''}-${h.to})`;
}

/**
 * The part of each 2024 county that the demo does not list as municipalities, in pieces by the counties they
 * belonged to: "01>2020:30>2024:31" = county 01 until 2019, 30 from 2020, 31 from 2024. Weights are rough
 * populations (thousands); the moves are Klass facts (Rømskog, Jevnaker and Lunner to Viken and Hornindal to Møre
 * og Romsdal and Tjeldsund to Troms og Finnmark in 2020; the Trøndelag counties merged in 2018) as the demo's Klass 104 lists them (src/demo/klass.ts). Listed municipalities need no such list: each code of each year names its
 * county in its first two digits.
 */
export const REST_PIECES: Record<string, [lineage: string, weight: number][]> = {
  '15': [['15', 167], ['14>2020:15', 1.1]],
  '18': [['18', 1]],
  '31': [['01>2020:30>2024:31', 1]],
  '32': [['02>2020:30>2024:32', 480], ['01>2020:30>2024:32', 0.7], ['05>2020:30>2024:32', 16]],
  '33': [['06>2020:30>2024:33', 1]],
  '34': [['04>2020:34', 165], ['05>2020:34', 178]],
  '39': [['07>2020:38>2024:39', 1]],
  '40': [['08>2020:38>2024:40', 1]],
  '42': [['09>2020:42', 118], ['10>2020:42', 85]],
  '46': [['12>2020:46', 245], ['14>2020:46', 102]],
  '50': [['16>2018:50', 110], ['17>2018:50', 130]],
  // Tjeldsund (about 1,200 people) left Nordland for Troms og Finnmark in 2020
  '55': [['19>2020:54>2024:55', 90], ['18>2020:54>2024:55', 1.2]],
  '56': [['20>2020:54>2024:56', 1]],
};

/** The county of a lineage ("01>2020:30>2024:31") in `year`. */
export function countyIn(lineage: string, year: number): string {
  const [first, ...steps] = lineage.split('>');
  let code = first;
  for (const st of steps) {
    const [from, c] = st.split(':');
    if (year >= Number(from)) code = c;
  }
  return code;
}

/** The county a municipality code belongs to: its first two digits. */
export const countyOfCode = (code: string) => code.slice(0, 2);

export interface RegionRow {
  code: string;
  kind: 'country' | 'county' | 'municipality';
  county?: string;
}

/**
 * Region values in table order: the country, then each county followed by its municipalities. With `history`, a
 * county's municipalities are every code that makes up a listed municipality (current and earlier), by code, and
 * the counties of earlier years follow the current ones, by code.
 */
export function regionRows(history = false): RegionRow[] {
  const rows: RegionRow[] = [{ code: '0', kind: 'country' }];
  const codes = history ? municipalityHistory().codes : [];
  for (const c of COUNTIES) {
    rows.push({ code: c.code, kind: 'county' });
    const own = new Set(c.municipalities.map((mu) => mu.code));
    const list = history ? codes.filter((h) => h.targets.some((x) => own.has(x))).map((h) => h.code) : [...own];
    for (const code of list) rows.push({ code, kind: 'municipality', county: c.code });
  }
  if (history) {
    const current = new Set(COUNTIES.map((c) => c.code));
    for (const h of countyHistory()) if (!current.has(h.code)) rows.push({ code: h.code, kind: 'county' });
  }
  return rows;
}

/** The status of a region code in a year it did not exist (shown as `.`, as Statistics Norway does). */
export const ABSENT = Status.Dot4;

/**
 * The Region variable of the population tables, with value sets and the county-sum grouping. With `history`
 * (07459) counties and municipalities carry their code of each year and name Klass 131 and 104, so the server
 * offers the reform groupings; without it (05196) every year is given in the 2024 regions.
 */
export function regionVariable(history = false): Variable {
  const values = [{ code: '0', label: t('Hele landet', 'The whole country') }];
  const byCode = new Map([...municipalityHistory().codes, ...countyHistory()].map((h) => [h.code, h]));
  const names = new Map(COUNTIES.flatMap((c) => c.municipalities.map((mu) => [mu.code, mu.name] as const)));
  const rows = regionRows(history);
  for (const row of rows.slice(1)) {
    const c = COUNTIES.find((x) => x.code === row.code);
    if (row.kind === 'county' && c) values.push({ code: c.code, label: t(c.no, c.en) });
    else if (row.kind === 'county') values.push({ code: row.code, label: t(historicLabel(byCode.get(row.code)!)) });
    else {
      const h = byCode.get(row.code);
      values.push({ code: row.code, label: t(history && h ? historicLabel(h) : names.get(row.code)!) });
    }
  }
  const oslo = values.find((v) => v.code === '0301')!;
  Object.assign(oslo, { notes: [note('Oslo er både kommune og fylke.', 'Oslo is both a municipality and a county.')] });
  const counties = rows.filter((r) => r.kind === 'county').map((r) => r.code);
  const municipalities = rows.filter((r) => r.kind === 'municipality').map((r) => r.code);
  const valueSets: ValueSet[] = [
    { id: 'Landet', label: t('Hele landet', 'The whole country'), codes: ['0'] },
    { id: 'Fylker', label: t('Fylker', 'Counties'), codes: counties, eliminationValue: '0' },
    { id: 'Kommuner', label: t('Kommuner', 'Municipalities'), codes: municipalities, eliminationValue: '0' },
  ];
  const label = (code: string) => values.find((v) => v.code === code)!.label;
  const groupings: Grouping[] = [
    {
      id: 'KommSummer',
      label: t('Fylker (sum av kommunene i tabellen)', 'Counties (sum of the municipalities in the table)'),
      // every code of the county (a municipality's county is in its code): each year sums the municipalities of that year
      groups: counties
        .map((code) => ({
          code: `F-${code}`,
          label: Object.fromEntries(Object.entries(label(code)).map(([l, x]) => [l, x.replace(' (fylke)', '').replace(' (county)', '')])),
          inputs: municipalities.filter((m) => (history ? countyOfCode(m) : rows.find((r) => r.code === m)!.county) === code),
        }))
        .filter((g) => g.inputs.length > 0),
    },
  ];
  const v = variable({
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
      history
        ? note(
            'Fylker og kommuner har koden de hadde hvert år (utgåtte koder har tall bare for årene de fantes, ellers «.»). Tall i inndelingen per 1. januar 2024 (eller en annen dato) gir grupperingene «Regional inndeling per <dato>». Bare et utvalg kommuner er med.',
            'Counties and municipalities carry the code they had each year (former codes have figures only for the years they existed, otherwise "."). Figures in the structure of 1 January 2024 (or another date) are given by the groupings "Regional structure per <date>". Only a selection of municipalities is included.',
          )
        : note(
            'Regioninndeling per 1. januar 2024. Tall for tidligere år er regnet om til denne inndelingen. Bare et utvalg kommuner er med.',
            'Regions as of 1 January 2024. Figures for earlier years are converted to these borders. Only a selection of municipalities is included.',
          ),
    ],
  });
  if (history) {
    v.classification = { id: '131,104' };
    v.absentStatus = ABSENT;
  }
  return v;
}
