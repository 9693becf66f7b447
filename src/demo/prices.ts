// Price tables (folder pp): the consumer price index 03013 (monthly, by consumption group with a hierarchy),
// 03014 (annual averages) and 11118 (by delivery sector), all short name "kpi"; the house price index 07221.
//
// Each leaf group's index is a random walk (own trend, seasonality, volatility) drawn month by month from
// 1979, so publishing later months never changes earlier ones. Parents are weighted means of their
// children; every series is rebased so that the 2015 average is 100.

import { Status, type Cube } from '../core/model.js';
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
import { Prng, key, noise, round } from './random.js';

interface Group {
  code: string;
  no: string;
  en: string;
  /** Weight in per mille of the total (leaves only; parents sum their children). */
  weight?: number;
  /** Yearly inflation trend (log) and monthly volatility. */
  trend?: number;
  vol?: number;
  /** Amplitude of a seasonal pattern (sales in January and July for clothing, summer for fruit ...). */
  season?: number;
}

const g = (code: string, no: string, en: string, weight?: number, trend = 0.028, vol = 0.004, season = 0): Group => ({
  code,
  no,
  en,
  weight,
  trend,
  vol,
  season,
});

/** A COICOP-like classification: leaves carry weights; the dotted codes give the hierarchy. */
const GROUPS: Group[] = [
  g('TOTAL', 'Totalindeks', 'All-item index'),
  g('01', 'Matvarer og alkoholfrie drikkevarer', 'Food and non-alcoholic beverages'),
  g('01.1', 'Matvarer', 'Food'),
  g('01.1.1', 'Brød og kornprodukter', 'Bread and cereals', 22, 0.03),
  g('01.1.2', 'Kjøtt', 'Meat', 28, 0.027),
  g('01.1.3', 'Fisk og skalldyr', 'Fish and seafood', 9, 0.032, 0.008),
  g('01.1.4', 'Melk, ost og egg', 'Milk, cheese and eggs', 17, 0.029),
  g('01.1.5', 'Oljer og fett', 'Oils and fats', 3, 0.025),
  g('01.1.6', 'Frukt', 'Fruit', 9, 0.028, 0.012, 0.03),
  g('01.1.7', 'Grønnsaker', 'Vegetables', 10, 0.028, 0.014, 0.05),
  g('01.1.8', 'Sukker, syltetøy, sjokolade og godterier', 'Sugar, jam, chocolate and confectionery', 10, 0.033),
  g('01.1.9', 'Matvarer ellers', 'Food products n.e.c.', 6, 0.026),
  g('01.2', 'Alkoholfrie drikkevarer', 'Non-alcoholic beverages'),
  g('01.2.1', 'Kaffe, te og kakao', 'Coffee, tea and cocoa', 5, 0.024, 0.01),
  g('01.2.2', 'Mineralvann, brus og juice', 'Mineral waters, soft drinks and juices', 9, 0.03),
  g('02', 'Alkoholholdige drikkevarer og tobakk', 'Alcoholic beverages and tobacco'),
  g('02.1', 'Alkoholholdige drikkevarer', 'Alcoholic beverages', 18, 0.035),
  g('02.2', 'Tobakk', 'Tobacco', 12, 0.05),
  g('03', 'Klær og skotøy', 'Clothing and footwear'),
  g('03.1', 'Klær', 'Clothing', 38, 0.004, 0.006, 0.08),
  g('03.2', 'Skotøy', 'Footwear', 9, 0.008, 0.006, 0.06),
  g('04', 'Bolig, lys og brensel', 'Housing, water, electricity, gas and other fuels'),
  g('04.1', 'Betalt husleie', 'Actual rentals for housing', 30, 0.033),
  g('04.2', 'Beregnet husleie for selveiere', 'Imputed rentals for housing', 150, 0.036),
  g('04.3', 'Vedlikehold og reparasjon av bolig', 'Maintenance and repair of the dwelling', 14, 0.032),
  g('04.4', 'Vannforsyning og andre tjenester knyttet til boligen', 'Water supply and other services relating to the dwelling', 22, 0.045),
  g('04.5', 'Elektrisitet og brensel', 'Electricity, gas and other fuels'),
  g('04.5.1', 'Elektrisitet', 'Electricity', 34, 0.035, 0.05, 0.06),
  g('04.5.3', 'Fyringsolje og annet brensel', 'Heating oil and other fuels', 6, 0.04, 0.035),
  g('05', 'Møbler, husholdningsartikler og vedlikehold', 'Furnishings, household equipment and maintenance'),
  g('05.1', 'Møbler og innredningsartikler', 'Furniture and furnishings', 30, 0.012, 0.006, 0.02),
  g('05.3', 'Husholdningsapparater', 'Household appliances', 12, 0.0, 0.006),
  g('05.6', 'Varer og tjenester til vedlikehold av husholdningen', 'Goods and services for routine household maintenance', 17, 0.03),
  g('06', 'Helsepleie', 'Health', 32, 0.038),
  g('07', 'Transport', 'Transport'),
  g('07.1', 'Kjøp av egne transportmidler', 'Purchase of vehicles', 62, 0.018, 0.008),
  g('07.2', 'Drift av egne transportmidler', 'Operation of personal transport equipment', 62, 0.034, 0.014),
  g('07.3', 'Transporttjenester', 'Transport services', 24, 0.038, 0.01, 0.02),
  g('08', 'Post- og teletjenester', 'Communications', 22, 0.004, 0.006),
  g('09', 'Kultur og fritid', 'Recreation and culture', 120, 0.015, 0.006, 0.015),
  g('10', 'Utdanning', 'Education', 5, 0.04),
  g('11', 'Hotell- og restauranttjenester', 'Restaurants and hotels', 55, 0.038, 0.004, 0.01),
  g('12', 'Andre varer og tjenester', 'Miscellaneous goods and services', 58, 0.03),
];

const parentOf = (code: string): string | undefined =>
  code === 'TOTAL' ? undefined : code.includes('.') ? code.slice(0, code.lastIndexOf('.')) : 'TOTAL';

function konsumgrpVariable() {
  const hierarchy: Record<string, string> = {};
  for (const x of GROUPS) {
    const p = parentOf(x.code);
    if (p) hierarchy[x.code] = p;
  }
  const values = vals(GROUPS.map((x) => [x.code, x.code === 'TOTAL' ? x.no : `${x.code} ${x.no}`, x.code === 'TOTAL' ? x.en : `${x.code} ${x.en}`] as const));
  const el = values.find((v) => v.code === '04.5.1')!;
  el.notes = [note('Inkluderer nettleie og strømstøtte fra desember 2021.', 'Includes grid rent and the electricity subsidy from December 2021.')];
  return variable({ code: 'Konsumgrp', label: t('konsumgruppe', 'consumption group'), values, hierarchy });
}

/** Monthly index per group (rebased 2015 = 100) over `ms`, and the 2015-based weights per group. */
function cpiSeries(ms: string[]): { index: Map<string, Float64Array>; weight: Map<string, number> } {
  const n = ms.length;
  const raw = new Map<string, Float64Array>();
  const weight = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const x of GROUPS) {
    const p = parentOf(x.code);
    if (p) children.set(p, [...(children.get(p) ?? []), x.code]);
  }
  const leafSeries = (x: Group) => {
    const rng = new Prng(key(x.code) ^ 0x03013);
    const out = new Float64Array(n);
    let level = 0;
    for (let i = 0; i < n; i++) {
      const y = Number(ms[i].slice(0, 4));
      const mo = Number(ms[i].slice(5));
      // higher inflation in the 1980s, a bump in 2022-2023
      const infl = x.trend! + (y < 1990 ? 0.04 : 0) + (y === 2022 || y === 2023 ? 0.035 : 0);
      level += infl / 12 + x.vol! * rng.gauss();
      const seasonal = x.season! * (Math.cos(((mo - 1) / 12) * 2 * Math.PI) * 0.5 - Math.cos(((mo - 7) / 12) * 4 * Math.PI) * 0.5);
      out[i] = Math.exp(level + seasonal);
    }
    return out;
  };
  const build = (code: string): Float64Array => {
    const kids = children.get(code);
    const x = GROUPS.find((q) => q.code === code)!;
    let s: Float64Array;
    if (!kids) {
      s = leafSeries(x);
      weight.set(code, x.weight!);
    } else {
      s = new Float64Array(n);
      let wsum = 0;
      for (const k of kids) {
        const ks = build(k);
        const w = weight.get(k)!;
        for (let i = 0; i < n; i++) s[i] += ks[i] * w;
        wsum += w;
      }
      for (let i = 0; i < n; i++) s[i] /= wsum;
      weight.set(code, wsum);
    }
    raw.set(code, s);
    return s;
  };
  build('TOTAL');
  const base = ms.map((m, i) => (m.startsWith('2015') ? i : -1)).filter((i) => i >= 0);
  const index = new Map<string, Float64Array>();
  for (const [code, s] of raw) {
    const avg = base.reduce((a, i) => a + s[i], 0) / base.length;
    index.set(code, s.map((v) => (v / avg) * 100));
  }
  return { index, weight };
}

const pct = (a: number, b: number) => round((a / b - 1) * 100, 1);

function cpiMonths(ctx: DemoContext): string[] {
  return months(1979, 1, ctx.lastYear, 10);
}

function build03013(ctx: DemoContext): Cube {
  const ms = cpiMonths(ctx);
  const { index, weight } = cpiSeries(ms);
  const contents = contentsVar([
    { code: 'KpiIndMnd', label: t('Konsumprisindeks (2015=100)', 'Consumer Price Index (2015=100)'), unit: t('indeks', 'index'), decimals: 1, basePeriod: t('2015=100'), stockFa: 'A' },
    { code: 'Manedsendring', label: t('Månedsendring (prosent)', 'Monthly change (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
    { code: 'Tolvmanedersendring', label: t('12-måneders endring (prosent)', '12-month rate (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
    {
      code: 'KpiVektMnd',
      label: t('Konsumprisindeks (vekter)', 'Consumer Price Index (weights)'),
      unit: t('promille', 'per mille'),
      decimals: 1,
      notes: [note('Vektene er andeler av husholdningenes forbruk og summerer seg til 1000.', 'The weights are shares of household consumption and add up to 1000.')],
    },
  ]);
  const konsumgrp = konsumgrpVariable();
  const meta = tableMeta({
    id: '03013',
    contents: t('Konsumprisindeks (2015=100)', 'Consumer Price Index (2015=100)'),
    variables: [konsumgrp, contents.variable, timeVar('M', ms)],
    contentInfo: contents.info,
    subject: 'pp',
    updated: `${ctx.lastYear}-11-10T07:00:00Z`,
    heading: 2,
  });
  const n = ms.length;
  const codes = konsumgrp.values.map((v) => v.code);
  const values = new Float64Array(codes.length * 4 * n);
  const status = new Uint8Array(values.length);
  const total = weight.get('TOTAL')!;
  codes.forEach((code, gi) => {
    const s = index.get(code)!;
    const w = weight.get(code)!;
    const base = gi * 4 * n;
    for (let i = 0; i < n; i++) {
      const y = Number(ms[i].slice(0, 4));
      values[base + i] = round(s[i], 1);
      if (i >= 1) values[base + n + i] = pct(s[i], s[i - 1]);
      else status[base + n + i] = Status.Dot1;
      if (i >= 12) values[base + 2 * n + i] = pct(s[i], s[i - 12]);
      else status[base + 2 * n + i] = Status.Dot1;
      // weights are published from 1999 and drift slowly around their 2015 values
      if (y >= 1999) values[base + 3 * n + i] = round((w / total) * 1000 * (1 + 0.1 * noise(key(code), y) * (code === 'TOTAL' ? 0 : 1)), 1);
      else status[base + 3 * n + i] = Status.Dot1;
    }
  });
  return { meta, values, status };
}

function build03014(ctx: DemoContext): Cube {
  const ms = cpiMonths(ctx);
  const { index } = cpiSeries(ms);
  const ys = years(1979, ctx.lastYear - 1);
  const contents = contentsVar([
    { code: 'KpiAar', label: t('Konsumprisindeks (2015=100)', 'Consumer Price Index (2015=100)'), unit: t('indeks', 'index'), decimals: 1, basePeriod: t('2015=100'), stockFa: 'A' },
    { code: 'Aarsendring', label: t('Årsendring (prosent)', 'Annual change (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
  ]);
  const konsumgrp = konsumgrpVariable();
  const meta = tableMeta({
    id: '03014',
    contents: t('Konsumprisindeks, årsgjennomsnitt (2015=100)', 'Consumer Price Index, annual average (2015=100)'),
    variables: [konsumgrp, contents.variable, timeVar('A', ys)],
    contentInfo: contents.info,
    subject: 'pp',
    updated: `${ctx.lastYear}-01-10T07:00:00Z`,
  });
  const ny = ys.length;
  const codes = konsumgrp.values.map((v) => v.code);
  const values = new Float64Array(codes.length * 2 * ny);
  const status = new Uint8Array(values.length);
  codes.forEach((code, gi) => {
    const s = index.get(code)!;
    const avg = ys.map((_, yi) => {
      let a = 0;
      for (let m = 0; m < 12; m++) a += s[yi * 12 + m];
      return a / 12;
    });
    for (let yi = 0; yi < ny; yi++) {
      values[gi * 2 * ny + yi] = round(avg[yi], 1);
      if (yi > 0) values[(gi * 2 + 1) * ny + yi] = pct(avg[yi], avg[yi - 1]);
      else status[(gi * 2 + 1) * ny + yi] = Status.Dot1;
    }
  });
  return { meta, values, status };
}

function build11118(ctx: DemoContext): Cube {
  const ys = years(2015, ctx.lastYear - 1);
  const sectors: [string, string, string, number][] = [
    ['B1', 'Varer', 'Goods', 0.02],
    ['B11', 'Norske varer', 'Norwegian goods', 0.024],
    ['B111', 'Norske varer uten energivarer', 'Norwegian goods excluding energy', 0.026],
    ['B112', 'Energivarer', 'Energy products', 0.04],
    ['B12', 'Importerte varer', 'Imported goods', 0.015],
    ['B2', 'Tjenester', 'Services', 0.032],
    ['B21', 'Husleie', 'Rent', 0.03],
    ['B22', 'Tjenester uten husleie', 'Services excluding rent', 0.034],
  ];
  const hierarchy: Record<string, string> = { B11: 'B1', B111: 'B11', B112: 'B11', B12: 'B1', B21: 'B2', B22: 'B2' };
  const sector = variable({
    code: 'Leveringssektor',
    label: t('leveringssektor', 'delivery sector'),
    values: vals(sectors.map(([c, no, en]) => [c, no, en] as const)),
    hierarchy,
  });
  const contents = contentsVar([
    { code: 'LevIndAar', label: t('Konsumprisindeks (2015=100)', 'Consumer Price Index (2015=100)'), unit: t('indeks', 'index'), decimals: 1, basePeriod: t('2015=100') },
    { code: 'Aarsendring', label: t('Årsendring (prosent)', 'Annual change (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
  ]);
  const meta = tableMeta({
    id: '11118',
    contents: t('Konsumprisindeks for varer og tjenester (2015=100)', 'Consumer Price Index for goods and services (2015=100)'),
    variables: [sector, contents.variable, timeVar('A', ys)],
    contentInfo: contents.info,
    subject: 'pp',
    updated: `${ctx.lastYear}-01-10T07:00:00Z`,
  });
  const ny = ys.length;
  const values = new Float64Array(sectors.length * 2 * ny);
  const status = new Uint8Array(values.length);
  sectors.forEach(([code, , , trend], si) => {
    let level = 100;
    for (let yi = 0; yi < ny; yi++) {
      const y = 2015 + yi;
      const prev = level;
      if (yi > 0) level *= 1 + trend + (y === 2022 || y === 2023 ? 0.03 : 0) + 0.01 * noise(11118, key(code), y);
      values[si * 2 * ny + yi] = round(level, 1);
      if (yi > 0) values[(si * 2 + 1) * ny + yi] = pct(level, prev);
      else status[(si * 2 + 1) * ny + yi] = Status.Dot1;
    }
  });
  return { meta, values, status };
}

// ---- 07221: house prices per quarter ----

function build07221(ctx: DemoContext): Cube {
  const qs = quarters(1992, 1, ctx.lastYear, 3);
  const regions: [string, string, string, number][] = [
    ['TOTAL', 'Hele landet', 'The whole country', 0.055],
    ['001', 'Oslo med Bærum', 'Oslo including Bærum', 0.068],
    ['002', 'Stavanger', 'Stavanger', 0.05],
    ['003', 'Bergen', 'Bergen', 0.058],
    ['004', 'Trondheim', 'Trondheim', 0.06],
    ['005', 'Akershus utenom Bærum', 'Akershus except Bærum', 0.058],
    ['006', 'Nord-Norge', 'Northern Norway', 0.045],
  ];
  const types: [string, string, string][] = [
    ['00', 'Boliger i alt', 'Dwellings, total'],
    ['01', 'Eneboliger', 'Detached houses'],
    ['02', 'Småhus', 'Row houses'],
    ['03', 'Blokkleiligheter', 'Multi-dwelling houses'],
  ];
  const region = variable({ code: 'Region', label: t('region'), role: 'geo', values: vals(regions.map(([c, no, en]) => [c, no, en] as const)) });
  const boligtype = variable({ code: 'Boligtype', label: t('boligtype', 'type of building'), values: vals(types) });
  const contents = contentsVar([
    { code: 'Boligindeks', label: t('Prisindeks for brukte boliger (2015=100)', 'Price index for existing dwellings (2015=100)'), unit: t('indeks', 'index'), decimals: 1, basePeriod: t('2015=100') },
    { code: 'Kvartalsendring', label: t('Endring fra forrige kvartal (prosent)', 'Change from the previous quarter (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
    { code: 'Omsetninger', label: t('Antall omsetninger', 'Number of sales'), unit: t('antall', 'number'), decimals: 0, stockFa: 'F' },
  ]);
  const meta = tableMeta({
    id: '07221',
    contents: t('Prisindeks for brukt bolig', 'Price index for existing dwellings'),
    variables: [region, boligtype, contents.variable, timeVar('Q', qs)],
    contentInfo: contents.info,
    subject: 'pp',
    updated: `${ctx.lastYear}-10-19T06:00:00Z`,
    notes: [note('Småhus i Nord-Norge har for få omsetninger før 2005 til å gi en indeks.', 'Row houses in Northern Norway had too few sales before 2005 for an index.')],
  });
  const nq = qs.length;
  const nt = types.length;
  const values = new Float64Array(regions.length * nt * 3 * nq);
  const status = new Uint8Array(values.length);
  const base2015 = qs.map((q, i) => (q.startsWith('2015') ? i : -1)).filter((i) => i >= 0);
  regions.forEach(([rc, , , trend], ri) => {
    for (let ti = 0; ti < nt; ti++) {
      const rng = new Prng(key(`07221${rc}${ti}`));
      const s = new Float64Array(nq);
      let level = 0;
      for (let i = 0; i < nq; i++) {
        const y = Number(qs[i].slice(0, 4));
        const q = Number(qs[i].slice(5));
        const dip = y === 2008 && q >= 3 ? -0.03 : y === 2022 && q === 4 ? -0.02 : 0;
        level += trend / 4 + dip + 0.012 * rng.gauss() + 0.015 * Math.sin(((q - 1) / 4) * 2 * Math.PI) * 0.3;
        s[i] = Math.exp(level);
      }
      const avg = base2015.reduce((a, i) => a + s[i], 0) / base2015.length;
      for (let i = 0; i < nq; i++) {
        const y = Number(qs[i].slice(0, 4));
        const at = ((ri * nt + ti) * 3) * nq + i;
        if (rc === '006' && ti === 2 && y < 2005) {
          status[at] = Status.Dot1;
          status[at + nq] = Status.Dot1;
          status[at + 2 * nq] = Status.Dot3; // too few sales to publish
          continue;
        }
        values[at] = round((s[i] / avg) * 100, 1);
        if (i > 0 && !(rc === '006' && ti === 2 && y === 2005 && qs[i].endsWith('K1'))) values[at + nq] = pct(s[i], s[i - 1]);
        else status[at + nq] = Status.Dot1;
        const volume = (rc === 'TOTAL' ? 22_000 : 2_500) * (ti === 0 ? 1 : ti === 3 ? 0.45 : 0.27);
        values[at + 2 * nq] = Math.round(volume * (1 + 0.15 * noise(7221, ri, ti, i)) * (1 + 0.25 * Math.sin(((Number(qs[i].slice(5)) - 1.5) / 4) * 2 * Math.PI)));
      }
    }
  });
  return { meta, values, status };
}

export const PRICE_TABLES: DemoTableDef[] = [
  { id: '03013', folders: ['pp/pp04'], shortName: 'kpi', published: (c) => `${c.lastYear}-11-10T07:00:00Z`, build: build03013 },
  { id: '03014', folders: ['pp/pp04'], shortName: 'kpi', published: (c) => `${c.lastYear}-01-10T07:00:00Z`, build: build03014 },
  { id: '11118', folders: ['pp/pp04'], shortName: 'kpi', published: (c) => `${c.lastYear}-01-10T07:00:00Z`, build: build11118 },
  { id: '07221', folders: ['pp/pp01'], shortName: 'bpi', published: (c) => `${c.lastYear}-10-19T06:00:00Z`, build: build07221 },
];
