// Population tables (folder be): 07459 by region, sex, age and year; 05196 (the large one) adds citizenship;
// 05810 a long national series; 01222 quarterly changes by county; 05531 monthly births and deaths;
// 12882 projections (MATRIX Framskr2020T07).
//
// One model feeds them all: a place (municipality, or the unlisted rest of a county) has a 2025 population,
// a growth rate and an urban factor; ages follow a smooth survival curve that ages over time. Counties are
// sums of their places and the country the sum of counties, so `agg:KommSummer` for Rogaland equals county 11.

import { Status, type Cube, type Variable } from '../core/model.js';
import {
  contentsVar,
  months,
  note,
  quarters,
  t,
  tableMeta,
  timeVar,
  variable,
  vals,
  years,
  type DemoContext,
  type DemoTableDef,
} from './build.js';
import { key, noise } from './random.js';
import {
  ABSENT,
  COUNTIES,
  REST_PIECES,
  countyHistory,
  countyIn,
  countyOfCode,
  existedIn,
  municipalityHistory,
  places,
  regionRows,
  regionVariable,
  type Place,
} from './regions.js';

export const FIRST_YEAR = 1986;
const AGES = 106; // 0..105, the last is "105 years or older"

export function sexVariable(withTotal = false): Variable {
  const rows: [string, string, string][] = [
    ['1', 'Menn', 'Males'],
    ['2', 'Kvinner', 'Females'],
  ];
  if (withTotal) rows.unshift(['0', 'Begge kjønn', 'Both sexes']);
  return variable({ code: 'Kjonn', label: t('kjønn', 'sex'), elimination: true, eliminationValue: withTotal ? '0' : undefined, values: vals(rows) });
}

const ageCode = (a: number) => String(a).padStart(3, '0');

/** Alder 000..105 with a value set, 5-year groups and broad groups. */
export function ageVariable(): Variable {
  const values = Array.from({ length: AGES }, (_, a) =>
    a === AGES - 1
      ? { code: ageCode(a), label: t(`${a} år eller eldre`, `${a} years or older`) }
      : { code: ageCode(a), label: t(`${a} år`, `${a} years`) },
  );
  const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ageCode(from + i));
  const five = [];
  for (let a = 0; a < 100; a += 5) {
    five.push({ code: `${ageCode(a)}-${ageCode(a + 4)}`, label: t(`${a}-${a + 4} år`, `${a}-${a + 4} years`), inputs: span(a, a + 4) });
  }
  five.push({ code: '100+', label: t('100 år eller eldre', '100 years or older'), inputs: span(100, AGES - 1) });
  const broad: [number, number, string, string][] = [
    [0, 5, '0-5 år', '0-5 years'],
    [6, 15, '6-15 år', '6-15 years'],
    [16, 19, '16-19 år', '16-19 years'],
    [20, 44, '20-44 år', '20-44 years'],
    [45, 66, '45-66 år', '45-66 years'],
    [67, 79, '67-79 år', '67-79 years'],
    [80, AGES - 1, '80 år eller eldre', '80 years or older'],
  ];
  return variable({
    code: 'Alder',
    label: t('alder', 'age'),
    elimination: true,
    values,
    valueSets: [{ id: 'AlleAldre00B', label: t('Alle aldre', 'All ages'), codes: values.map((v) => v.code) }],
    groupings: [
      { id: 'FemAarigGruppering', label: t('Femårige aldersgrupper', '5-year age groups'), groups: five },
      {
        id: 'Aldersgrupper',
        label: t('Aldersgrupper', 'Age groups'),
        groups: broad.map(([a, b, no, en]) => ({ code: `${ageCode(a)}-${ageCode(b)}`, label: t(no, en), inputs: span(a, b) })),
      },
    ],
  });
}

/**
 * Unnormalised weight of sex s (0 men, 1 women) and age a in a place with urban factor u in year y:
 * flat until 55, then a survival curve (women live longer), young adults drawn to cities, slow ageing over time.
 */
function ageWeight(s: number, a: number, y: number, u: number): number {
  const scale = s === 0 ? 23 : 25.5;
  let w = a <= 55 ? 1 : Math.exp(-(((a - 55) / scale) ** 2.4));
  if (s === 0) w *= 1.04;
  if (a >= 20 && a <= 39) w *= u;
  else if (a < 15) w *= 1 + (1 - u) * 0.3;
  else if (a >= 67) w *= (2 - u) ** 0.8;
  if (a < 18) w *= 0.97 - 0.004 * Math.max(0, y - 2010);
  w *= Math.max(0.3, 1 + 0.012 * (y - 2005) * Math.max(0, a - 50) / 50);
  return w;
}

function placePop(p: Place, y: number): number {
  return p.pop * Math.exp(p.growth * (y - 2025)) * (1 + 0.004 * Math.sin(y * 0.7 + (key(p.code) % 7)));
}

/**
 * Persons per place, sex, age and year: counts[((p * 2 + s) * AGES + a) * nYears + yi] (integers).
 */
function placeCounts(ps: Place[], yearList: number[]): Float64Array {
  const ny = yearList.length;
  const out = new Float64Array(ps.length * 2 * AGES * ny);
  const w = new Float64Array(2 * AGES);
  for (let p = 0; p < ps.length; p++) {
    const pk = key(ps[p].code);
    for (let yi = 0; yi < ny; yi++) {
      const y = yearList[yi];
      let sum = 0;
      for (let s = 0; s < 2; s++) for (let a = 0; a < AGES; a++) sum += w[s * AGES + a] = ageWeight(s, a, y, ps[p].urban);
      const total = placePop(ps[p], y);
      for (let s = 0; s < 2; s++) {
        for (let a = 0; a < AGES; a++) {
          const x = (total * w[s * AGES + a]) / sum;
          out[((p * 2 + s) * AGES + a) * ny + yi] = Math.max(0, Math.round(x * (1 + 0.015 * noise(pk, s, a, y))));
        }
      }
    }
  }
  return out;
}

const personsContent = () =>
  contentsVar([
    { code: 'Personer1', label: t('Personer', 'Persons'), unit: t('personer', 'persons'), decimals: 0, refPeriod: t('1. januar', '1 January'), stockFa: 'S' },
  ]);

/**
 * 07459 as Statistics Norway publishes it: counties and municipalities under the code of each year. The codes that make up one
 * or more listed 2024 municipalities form a component; each year its people (the sum of its 2024 places) are
 * shared among the component's codes that existed that year (fixed weights, the namesake the largest), or taken
 * straight from the places once the 2024 codes exist. A county is, each year, its municipality codes of that year
 * plus the pieces of unlisted places that lay in it (REST_PIECES). Codes that did not exist that year are ABSENT (`.`).
 */
function build07459(ctx: DemoContext): Cube {
  const yearList = years(FIRST_YEAR, ctx.lastYear).map(Number);
  const ps = places();
  const counts = placeCounts(ps, yearList);
  const contents = personsContent();
  const region = regionVariable(true);
  const meta = tableMeta({
    id: '07459',
    contents: t('Befolkning', 'Population'),
    variables: [region, sexVariable(), ageVariable(), contents.variable, timeVar('A', yearList.map(String))],
    contentInfo: contents.info,
    subject: 'be',
    updated: published07459(ctx),
    aggregAllowed: true,
  });
  meta.symbols = { ...meta.symbols, [ABSENT]: t('.') };
  const rows = regionRows(true);
  const ny = yearList.length;
  const cellsPerRow = 2 * AGES * ny;
  const values = new Float64Array(rows.length * cellsPerRow);
  const status = new Uint8Array(values.length);
  const rowOf = new Map(rows.map((r, i) => [r.code, i]));
  const placeOf = new Map(ps.map((p, i) => [p.code, i]));

  // the country: the sum of every place, every year
  const cell = (r: number, s: number, a: number, yi: number) => ((r * 2 + s) * AGES + a) * ny + yi;
  const pcell = (p: number, s: number, a: number, yi: number) => ((p * 2 + s) * AGES + a) * ny + yi;
  for (let p = 0; p < ps.length; p++) {
    for (let s = 0; s < 2; s++) for (let a = 0; a < AGES; a++) for (let yi = 0; yi < ny; yi++) values[cell(0, s, a, yi)] += counts[pcell(p, s, a, yi)];
  }

  // municipalities: components of codes linked through shared 2024 targets
  const codes = municipalityHistory().codes;
  const components: { codes: typeof codes; places: string[] }[] = [];
  for (const h of codes) {
    const hit = components.filter((c) => c.places.some((x) => h.targets.includes(x)));
    const merged = { codes: [h, ...hit.flatMap((c) => c.codes)], places: [...new Set([...h.targets, ...hit.flatMap((c) => c.places)])] };
    for (const c of hit) components.splice(components.indexOf(c), 1);
    components.push(merged);
  }
  for (const comp of components) {
    const pIdx = comp.places.map((c) => placeOf.get(c)!);
    const targetNames = new Set(COUNTIES.flatMap((c) => c.municipalities.filter((mu) => comp.places.includes(mu.code)).map((mu) => mu.name)));
    for (let yi = 0; yi < ny; yi++) {
      const live = comp.codes.filter((h) => existedIn(h, yearList[yi]));
      const direct = live.length === comp.places.length && live.every((h) => comp.places.includes(h.code));
      const w = live.map((h) => (targetNames.has(h.name) ? 8 : 1 + (key(h.code) % 3) * 0.5));
      const wSum = w.reduce((x, z) => x + z, 0);
      for (const h of comp.codes) {
        if (existedIn(h, yearList[yi])) continue;
        const r = rowOf.get(h.code)!;
        for (let k = 0; k < 2 * AGES; k++) status[(r * 2 * AGES + k) * ny + yi] = ABSENT;
      }
      for (let s = 0; s < 2; s++) for (let a = 0; a < AGES; a++) {
        if (direct) {
          for (const h of live) values[((rowOf.get(h.code)! * 2 + s) * AGES + a) * ny + yi] = counts[((placeOf.get(h.code)! * 2 + s) * AGES + a) * ny + yi];
          continue;
        }
        let total = 0;
        for (const p of pIdx) total += counts[((p * 2 + s) * AGES + a) * ny + yi];
        // floors, the rest to the last code: the shares add up to the total exactly
        let given = 0;
        live.forEach((h, k) => {
          const v = k === live.length - 1 ? total - given : Math.floor((total * w[k]) / wSum);
          given += v;
          values[((rowOf.get(h.code)! * 2 + s) * AGES + a) * ny + yi] = v;
        });
      }
    }
  }

  // counties of each year: the municipality codes (a code's first two digits are its county) and the unlisted
  // rest of each 2024 county in pieces, each in the county it belonged to that year (REST_PIECES)
  const municipalRows = rows.flatMap((row, r) => (row.kind === 'municipality' ? [r] : []));
  for (const r of municipalRows) {
    const c = rowOf.get(countyOfCode(rows[r].code))!;
    for (let k = 0; k < cellsPerRow; k++) values[c * cellsPerRow + k] += values[r * cellsPerRow + k];
  }
  for (let p = 0; p < ps.length; p++) {
    if (ps[p].listed) continue;
    const pieces = REST_PIECES[ps[p].county];
    if (!pieces) throw new Error(`07459: no rest pieces for county ${ps[p].county}`);
    const wSum = pieces.reduce((x, [, w]) => x + w, 0);
    for (let yi = 0; yi < ny; yi++) {
      const targets = pieces.map(([lineage]) => rowOf.get(countyIn(lineage, yearList[yi]))!);
      for (let s = 0; s < 2; s++) for (let a = 0; a < AGES; a++) {
        const total = counts[pcell(p, s, a, yi)];
        // floors, the rest to the last piece: the pieces add up to the place exactly
        let given = 0;
        pieces.forEach(([, w], k) => {
          const v = k === pieces.length - 1 ? total - given : Math.floor((total * w) / wSum);
          given += v;
          values[cell(targets[k], s, a, yi)] += v;
        });
      }
    }
  }
  // a county code in a year it did not exist is ABSENT; nothing may have been counted there
  for (const h of countyHistory()) {
    const r = rowOf.get(h.code);
    if (r === undefined) continue;
    for (let yi = 0; yi < ny; yi++) {
      if (existedIn(h, yearList[yi])) continue;
      for (let k = 0; k < 2 * AGES; k++) {
        const at = (r * 2 * AGES + k) * ny + yi;
        if (values[at] !== 0) throw new Error(`07459: county ${h.code} has people in ${yearList[yi]}, when it did not exist`);
        status[at] = ABSENT;
      }
    }
  }
  return { meta, values, status };
}

const published07459 = (ctx: DemoContext) => `${ctx.lastYear}-02-20T07:00:00Z`;

// ---- 05196: population by region, sex, age, citizenship and year (about 5.8 million cells) ----

const CITIZENSHIP: [string, string, string, number, number][] = [
  // code, no, en, weight among foreign citizens 1986, weight 2025
  ['000', 'Norge', 'Norway', 0, 0],
  ['100', 'Norden utenom Norge', 'Nordic countries except Norway', 0.28, 0.1],
  ['110', 'EU-land i Øst-Europa', 'EU countries in Eastern Europe', 0, 0.34],
  ['120', 'Vest-Europa ellers', 'Other Western Europe', 0.2, 0.12],
  ['130', 'Europa ellers', 'Other European countries', 0.08, 0.07],
  ['200', 'Afrika', 'Africa', 0.06, 0.1],
  ['300', 'Asia', 'Asia', 0.2, 0.18],
  ['400', 'Nord-Amerika', 'North America', 0.13, 0.03],
  ['500', 'Sør- og Mellom-Amerika', 'South and Central America', 0.03, 0.03],
  ['600', 'Oseania', 'Oceania', 0.01, 0.005],
  ['980', 'Statsløse', 'Stateless', 0.004, 0.003],
  ['990', 'Uoppgitt', 'Unknown', 0.002, 0.002],
];

/** Share of foreign citizens by year, urban factor and age. */
function foreignShare(y: number, u: number, a: number): number {
  const base = 0.025 + 0.085 / (1 + Math.exp(-(y - 2010) / 7));
  const age = a < 18 ? 0.7 : a < 30 ? 1.6 : a < 50 ? 1.5 : a < 67 ? 0.8 : 0.3;
  return Math.min(0.6, base * u * u * age);
}

function build05196(ctx: DemoContext): Cube {
  const yearList = years(FIRST_YEAR, ctx.lastYear).map(Number);
  const ny = yearList.length;
  const ps = places();
  const counts = placeCounts(ps, yearList);
  const contents = personsContent();
  const stat = variable({
    code: 'Statsborgerskap',
    label: t('statsborgerskap', 'citizenship'),
    elimination: true,
    values: vals(CITIZENSHIP.map(([c, no, en]) => [c, no, en] as const)),
    notes: [note('Landgruppene følger verdensdelsinndelingen.', 'Country groups follow the division into continents.')],
  });
  const meta = tableMeta({
    id: '05196',
    contents: t('Befolkning', 'Population'),
    variables: [regionVariable(), sexVariable(), ageVariable(), stat, contents.variable, timeVar('A', yearList.map(String))],
    contentInfo: contents.info,
    subject: 'be',
    updated: published07459(ctx),
    aggregAllowed: true,
  });
  const ng = CITIZENSHIP.length;
  const nr = regionRows().length;
  const values = new Float64Array(nr * 2 * AGES * ng * ny);
  // region row of each place's municipality (if listed), its county row and the country row (0)
  const rows = regionRows();
  const rowOf = new Map(rows.map((r, i) => [r.code, i]));
  // foreign group weights per year, normalised
  const gw = yearList.map((y) => {
    const f = Math.min(1, Math.max(0, (y - FIRST_YEAR) / (2025 - FIRST_YEAR)));
    const w = CITIZENSHIP.map(([code, , , w0, w1]) => (code === '110' && y < 2004 ? 0.002 : w0 + (w1 - w0) * f));
    const sum = w.reduce((x, z) => x + z, 0);
    return w.map((x) => x / sum);
  });
  const split = new Float64Array(ng);
  const stride = ng * ny; // cells per (region, sex, age)
  for (let p = 0; p < ps.length; p++) {
    const pl = ps[p];
    const pk = key(pl.code);
    const targets = [0, rowOf.get(pl.county)!];
    if (pl.listed) targets.push(rowOf.get(pl.code)!);
    for (let s = 0; s < 2; s++) {
      for (let a = 0; a < AGES; a++) {
        for (let yi = 0; yi < ny; yi++) {
          const total = counts[((p * 2 + s) * AGES + a) * ny + yi];
          const share = foreignShare(yearList[yi], pl.urban, a);
          let foreign = 0;
          for (let g = 1; g < ng; g++) {
            const x = Math.round(total * share * gw[yi][g] * (1 + 0.2 * noise(pk, s, a, yearList[yi], g)));
            split[g] = x;
            foreign += x;
          }
          if (foreign > total) {
            split.fill(0);
            foreign = 0;
          }
          split[0] = total - foreign;
          for (const r of targets) {
            const base = ((r * 2 + s) * AGES + a) * stride;
            for (let g = 0; g < ng; g++) values[base + g * ny + yi] += split[g];
          }
        }
      }
    }
  }
  return { meta, values, status: null };
}

// ---- 05810: a long national series, by sex and broad age groups ----

const NATIONAL: [number, number][] = [
  [1845, 1_330_000],
  [1875, 1_800_000],
  [1900, 2_220_000],
  [1925, 2_760_000],
  [1950, 3_250_000],
  [1975, 4_010_000],
  [2000, 4_480_000],
  [2010, 4_860_000],
  [2025, 5_590_000],
  [2100, 6_600_000],
];

/** Population of the country in year y: log-linear between the anchor years. */
function nationalPop(y: number): number {
  for (let i = 1; i < NATIONAL.length; i++) {
    const [y0, p0] = NATIONAL[i - 1];
    const [y1, p1] = NATIONAL[i];
    if (y <= y1 || i === NATIONAL.length - 1) {
      const f = (y - y0) / (y1 - y0);
      return p0 * Math.exp(Math.log(p1 / p0) * f);
    }
  }
  return NATIONAL[0][1];
}

function build05810(ctx: DemoContext): Cube {
  const yearList = [...years(1845, 2005, 5), ...years(2010, ctx.lastYear)];
  const groups: [string, number, number, string, string][] = [
    ['999B', 0, 105, 'I alt', 'All'],
    ['00-06', 0, 6, '0-6 år', '0-6 years'],
    ['07-15', 7, 15, '7-15 år', '7-15 years'],
    ['16-44', 16, 44, '16-44 år', '16-44 years'],
    ['45-66', 45, 66, '45-66 år', '45-66 years'],
    ['67-79', 67, 79, '67-79 år', '67-79 years'],
    ['80+', 80, 105, '80 år eller eldre', '80 years or older'],
  ];
  const alder = variable({
    code: 'Alder',
    label: t('alder', 'age'),
    elimination: true,
    eliminationValue: '999B',
    values: vals(groups.map(([c, , , no, en]) => [c, no, en] as const)),
  });
  const contents = personsContent();
  const meta = tableMeta({
    id: '05810',
    contents: t('Befolkning', 'Population'),
    variables: [
      sexVariable(true),
      alder,
      contents.variable,
      timeVar('A', yearList, [
        note('Til og med 1990 gjelder tallene 31. desember, fra og med 1995 1. januar.', 'Up to 1990 the figures are for 31 December, from 1995 for 1 January.'),
      ]),
    ],
    contentInfo: contents.info,
    subject: 'be',
    updated: published07459(ctx),
    aggregAllowed: false,
  });
  const ny = yearList.length;
  const values = new Float64Array(3 * groups.length * ny);
  for (let yi = 0; yi < ny; yi++) {
    const y = Number(yearList[yi]);
    const era = Math.min(1, Math.max(0, (y - 1845) / 180));
    // earlier: more children, shorter lives
    const w = (s: number, a: number) => {
      const scale = (s === 0 ? 14 : 15) + 9 * era;
      const surv = a <= 40 ? 1 : Math.exp(-(((a - 40) / (scale + 15 * era)) ** 2.2));
      const young = a < 20 ? 1 + 0.9 * (1 - era) : 1;
      return surv * young * (s === 0 ? 1.02 : 1);
    };
    let sum = 0;
    for (let s = 0; s < 2; s++) for (let a = 0; a < AGES; a++) sum += w(s, a);
    const total = nationalPop(y);
    for (let s = 0; s < 2; s++) {
      for (let g = 1; g < groups.length; g++) {
        let x = 0;
        for (let a = groups[g][1]; a <= groups[g][2]; a++) x += w(s, a);
        const v = Math.round((total * x * (1 + 0.01 * noise(5810, s, g, y))) / sum);
        values[((s + 1) * groups.length + g) * ny + yi] = v;
        values[((s + 1) * groups.length + 0) * ny + yi] += v;
      }
    }
    for (let g = 0; g < groups.length; g++) {
      values[g * ny + yi] = values[(1 * groups.length + g) * ny + yi] + values[(2 * groups.length + g) * ny + yi];
    }
  }
  return { meta, values, status: null };
}

// ---- 01222: quarterly population changes by county ----

function build01222(ctx: DemoContext): Cube {
  const qs = quarters(2000, 1, ctx.lastYear, 2);
  const ps = places();
  const region = variable({
    code: 'Region',
    label: t('region'),
    role: 'geo',
    elimination: true,
    eliminationValue: '0',
    values: [{ code: '0', label: t('Hele landet', 'The whole country') }, ...COUNTIES.map((c) => ({ code: c.code, label: t(c.no, c.en) }))],
  });
  const contents = contentsVar([
    { code: 'Folketallet11', label: t('Folketal ved inngangen av kvartalet', 'Population at the start of the quarter'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'S' },
    { code: 'Fodte2', label: t('Levendefødte', 'Live births'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'F' },
    { code: 'Dode3', label: t('Døde', 'Deaths'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'F' },
    { code: 'Innflytting4', label: t('Innflyttinger', 'In-migration'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'F' },
    { code: 'Utflytting5', label: t('Utflyttinger', 'Out-migration'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'F' },
    { code: 'Folketallet1', label: t('Folketal ved utgangen av kvartalet', 'Population at the end of the quarter'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'S' },
  ]);
  const meta = tableMeta({
    id: '01222',
    contents: t('Befolkning og kvartalsvise endringar', 'Population and quarterly changes'),
    variables: [region, contents.variable, timeVar('Q', qs)],
    contentInfo: contents.info,
    subject: 'be',
    updated: `${ctx.lastYear}-08-19T06:00:00Z`,
    aggregAllowed: false,
  });
  const nq = qs.length;
  const nc = 6;
  const values = new Float64Array((COUNTIES.length + 1) * nc * nq);
  const countyPop = (ci: number, tm: number) => {
    let v = 0;
    for (const p of ps) if (p.county === COUNTIES[ci].code) v += p.pop * Math.exp(p.growth * (tm - 2025));
    return v;
  };
  for (let ci = 0; ci < COUNTIES.length; ci++) {
    for (let qi = 0; qi < nq; qi++) {
      const y = Number(qs[qi].slice(0, 4));
      const q = Number(qs[qi].slice(5));
      const tm = y + (q - 1) / 4;
      const start = Math.round(countyPop(ci, tm));
      const end = Math.round(countyPop(ci, tm + 0.25));
      const births = Math.round(((start * 0.0115) / 4) * (1 + 0.06 * Math.sin((q - 1.5) * 1.57) + 0.03 * noise(1222, ci, qi, 1)));
      const deaths = Math.round(((start * 0.0083) / 4) * (1 + 0.08 * Math.cos((q - 1) * 1.57) + 0.03 * noise(1222, ci, qi, 2)));
      const net = end - start - births + deaths;
      const inn = Math.round(((start * 0.011) / 4) * (1 + 0.05 * noise(1222, ci, qi, 3))) + Math.max(0, net);
      const row = [start, births, deaths, inn, inn - net, end];
      for (let k = 0; k < nc; k++) {
        values[((ci + 1) * nc + k) * nq + qi] = row[k];
        values[(0 * nc + k) * nq + qi] += row[k];
      }
    }
  }
  return { meta, values, status: null };
}

// ---- 05531: births and deaths per month, the newest month's deaths not yet available ----

function build05531(ctx: DemoContext): Cube {
  const ms = months(2000, 1, ctx.lastYear, 9);
  const contents = contentsVar([
    { code: 'Levendefodte', label: t('Levendefødte', 'Live births'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'F' },
    { code: 'Dode', label: t('Døde', 'Deaths'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'F' },
  ]);
  const meta = tableMeta({
    id: '05531',
    contents: t('Levendefødte og døde', 'Live births and deaths'),
    variables: [contents.variable, timeVar('M', ms)],
    contentInfo: contents.info,
    subject: 'be',
    updated: `${ctx.lastYear}-10-28T06:00:00Z`,
    heading: 1,
  });
  const n = ms.length;
  const values = new Float64Array(2 * n);
  const status = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    const y = Number(ms[i].slice(0, 4));
    const mo = Number(ms[i].slice(5));
    const births = (59_000 - 300 * Math.max(0, y - 2009)) / 12;
    const deaths = (41_000 + 120 * (y - 2000)) / 12;
    values[i] = Math.round(births * (1 + 0.07 * Math.sin(((mo - 4) / 12) * 2 * Math.PI) + 0.03 * noise(5531, i, 1)));
    values[n + i] = Math.round(deaths * (1 + 0.12 * Math.cos(((mo - 1) / 12) * 2 * Math.PI) + 0.03 * noise(5531, i, 2)));
  }
  values[2 * n - 1] = 0;
  status[2 * n - 1] = Status.Dot2; // shown as "..." (not yet available)
  return { meta, values, status };
}

// ---- 12882: projections 2020-2100 (MATRIX Framskr2020T07) ----

function build12882(): Cube {
  const yearList = years(2020, 2100);
  const contents = contentsVar([
    { code: 'MMMM', label: t('Hovedalternativet (MMMM)', 'Main alternative (MMMM)'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'S' },
    { code: 'LLML', label: t('Lav nasjonal vekst (LLML)', 'Low national growth (LLML)'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'S' },
    { code: 'HHMH', label: t('Høy nasjonal vekst (HHMH)', 'High national growth (HHMH)'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'S' },
  ]);
  const meta = tableMeta({
    id: '12882',
    matrix: 'Framskr2020T07',
    contents: t('Framskrevet folkemengde 1. januar', 'Projected population 1 January'),
    variables: [sexVariable(), ageVariable(), contents.variable, timeVar('A', yearList)],
    contentInfo: contents.info,
    subject: 'be',
    updated: '2020-06-16T06:00:00Z',
    aggregAllowed: true,
    notes: [note('Framskrivingene bygger på forutsetninger om fruktbarhet, levealder og innvandring.', 'The projections rest on assumptions about fertility, life expectancy and immigration.')],
  });
  const growth = [0.0028, -0.0008, 0.0055];
  const ny = yearList.length;
  const values = new Float64Array(2 * AGES * 3 * ny);
  const w = new Float64Array(2 * AGES);
  for (let yi = 0; yi < ny; yi++) {
    const y = 2020 + yi;
    let sum = 0;
    for (let s = 0; s < 2; s++) for (let a = 0; a < AGES; a++) sum += w[s * AGES + a] = ageWeight(s, a, Math.min(y, 2060), 1);
    for (let c = 0; c < 3; c++) {
      const total = 5_370_000 * Math.exp(growth[c] * (y - 2020) * (1 - (y - 2020) / 300));
      for (let s = 0; s < 2; s++) {
        for (let a = 0; a < AGES; a++) values[((s * AGES + a) * 3 + c) * ny + yi] = Math.round((total * w[s * AGES + a]) / sum);
      }
    }
  }
  return { meta, values, status: null };
}

export const POPULATION_TABLES: DemoTableDef[] = [
  { id: '07459', folders: ['be/be01'], shortName: 'folkemengde', published: published07459, build: build07459 },
  { id: '05810', folders: ['be/be01'], shortName: 'folkemengde', published: published07459, build: build05810 },
  { id: '01222', folders: ['be/be01'], shortName: 'folkendrkv', published: (c) => `${c.lastYear}-08-19T06:00:00Z`, build: build01222 },
  { id: '05531', folders: ['be/be02'], shortName: 'fodte', published: (c) => `${c.lastYear}-10-28T06:00:00Z`, build: build05531 },
  { id: '12882', folders: ['be/be03'], shortName: 'folkfram', published: () => '2020-06-16T06:00:00Z', build: build12882 },
  { id: '05196', folders: ['be/be04'], shortName: 'innvbef', large: true, published: published07459, build: build05196 },
];

