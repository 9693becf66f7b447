// External trade (folder uh): 03024 weekly salmon exports (tonnes with 0 decimals, NOK per kg with 2) and
// 08799 monthly trade in goods. Transport (folder tr): the lorry transport cost indices 12535 (MATRIX Kilt01)
// and 12536 (Kilt02) under tr/tr01/kilt, and registered vehicles by age: 11823, and 07849 which is
// discontinued ("avslutta serie", published June 2018).

import { Status, type Cube } from '../core/model.js';
import {
  contentsVar,
  fillCube,
  months,
  note,
  quarters,
  t,
  tableMeta,
  timeVar,
  variable,
  vals,
  weeks,
  years,
  type DemoContext,
  type DemoTableDef,
} from './build.js';
import { Prng, key, noise, round } from './random.js';

function build03024(ctx: DemoContext): Cube {
  const ws = weeks(2000, ctx.lastYear, 48);
  const goods = variable({
    code: 'VareGrupper2',
    label: t('varegruppe', 'commodity group'),
    values: vals([
      ['01', 'Fersk oppalen laks', 'Fresh farmed salmon'],
      ['02', 'Frosen oppalen laks', 'Frozen farmed salmon'],
    ]),
  });
  const contents = contentsVar([
    { code: 'Vekt', label: t('Vekt (tonn)', 'Weight (tonnes)'), unit: t('tonn', 'tonnes'), decimals: 0, stockFa: 'F', refPeriod: t('Utgangen av uka', 'End of the week') },
    { code: 'Kilopris', label: t('Kilopris (kr)', 'Price per kilo (NOK)'), unit: t('kr', 'NOK'), decimals: 2, stockFa: 'F', refPeriod: t('Utgangen av uka', 'End of the week') },
  ]);
  const meta = tableMeta({
    id: '03024',
    contents: t('Eksport av oppalen laks', 'Export of salmon, fish-farm bred'),
    variables: [goods, contents.variable, timeVar('W', ws)],
    contentInfo: contents.info,
    subject: 'uh',
    updated: `${ctx.lastYear}-12-03T07:00:00Z`,
  });
  const n = ws.length;
  const values = new Float64Array(2 * 2 * n);
  for (let gi = 0; gi < 2; gi++) {
    const rng = new Prng(3024 + gi);
    let price = gi === 0 ? 22 : 20;
    for (let i = 0; i < n; i++) {
      const y = Number(ws[i].slice(0, 4));
      const w = Number(ws[i].slice(5));
      price *= Math.exp(0.045 / 52 + 0.025 * rng.gauss() - (price > 130 ? 0.01 : 0));
      const volume = (gi === 0 ? 5_000 + 360 * (y - 2000) : 900 - 20 * (y - 2000)) * (1 + 0.18 * Math.sin(((w - 10) / 52) * 2 * Math.PI)) * (1 + 0.06 * noise(3024, gi, i));
      values[gi * 2 * n + i] = Math.max(0, Math.round(volume));
      values[(gi * 2 + 1) * n + i] = round(price, 2);
    }
  }
  return { meta, values, status: null };
}

function build08799(ctx: DemoContext): Cube {
  const ms = months(1990, 1, ctx.lastYear, 10);
  const flows: [string, string, string][] = [
    ['E', 'Eksport i alt', 'Total exports'],
    ['EUOG', 'Eksport utenom olje og naturgass', 'Exports excluding crude oil and natural gas'],
    ['I', 'Import i alt', 'Total imports'],
    ['HB', 'Handelsbalansen', 'Trade balance'],
  ];
  const flow = variable({ code: 'Handelsstrom', label: t('handelsstrøm', 'trade flow'), values: vals(flows) });
  const contents = contentsVar([
    { code: 'Verdi', label: t('Verdi (mill. kr)', 'Value (NOK million)'), unit: t('mill. kr', 'NOK million'), decimals: 0, stockFa: 'F', cfPrices: 'C' },
    { code: 'Endring12', label: t('Endring fra samme måned året før (prosent)', 'Change from the same month the year before (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
  ]);
  const meta = tableMeta({
    id: '08799',
    contents: t('Utenrikshandel med varer, hovedtall', 'External trade in goods, main figures'),
    variables: [flow, contents.variable, timeVar('M', ms)],
    contentInfo: contents.info,
    subject: 'uh',
    updated: `${ctx.lastYear}-11-14T07:00:00Z`,
  });
  const n = ms.length;
  const series = [0, 1, 2].map((f) => {
    const rng = new Prng(8799 + f);
    let level = Math.log(f === 0 ? 18_000 : f === 1 ? 7_000 : 12_000);
    return ms.map((m) => {
      const y = Number(m.slice(0, 4));
      level += (f === 0 ? 0.055 : 0.045) / 12 + 0.03 * rng.gauss() + (f === 0 && y === 2022 ? 0.05 : 0) - (f === 0 && y === 2023 ? 0.04 : 0);
      return Math.round(Math.exp(level));
    });
  });
  series.push(series[0].map((e, i) => e - series[2][i]));
  const values = new Float64Array(4 * 2 * n);
  const status = new Uint8Array(values.length);
  for (let f = 0; f < 4; f++) {
    for (let i = 0; i < n; i++) {
      values[f * 2 * n + i] = series[f][i];
      const at = (f * 2 + 1) * n + i;
      // a change in per cent means nothing for a balance that can change sign
      if (i >= 12 && f !== 3) values[at] = round((series[f][i] / series[f][i - 12] - 1) * 100, 1);
      else status[at] = Status.Dot1;
    }
  }
  return { meta, values, status };
}

// ---- transport ----

function costIndex(ctx: DemoContext, id: '12535' | '12536'): Cube {
  const qs = quarters(2015, 1, ctx.lastYear, 3);
  const rows: [string, string, string, number][] =
    id === '12535'
      ? [
          ['00', 'Alle transporttyper', 'All types of transport', 0.025],
          ['01', 'Fjerntransport', 'Long-distance transport', 0.027],
          ['02', 'Distribusjonstransport', 'Distribution transport', 0.024],
          ['03', 'Tømmertransport', 'Timber transport', 0.026],
        ]
      : [
          ['01', 'Lønn og sosiale kostnader', 'Wages and social costs', 0.032],
          ['02', 'Drivstoff', 'Fuel', 0.03],
          ['03', 'Vedlikehold og reparasjoner', 'Maintenance and repairs', 0.028],
          ['04', 'Dekk', 'Tyres', 0.02],
          ['05', 'Kapitalkostnader', 'Capital costs', 0.022],
          ['06', 'Forsikring og avgifter', 'Insurance and fees', 0.025],
        ];
  const v =
    id === '12535'
      ? variable({ code: 'Transporttype', label: t('transporttype', 'type of transport'), values: vals(rows.map(([c, no, en]) => [c, no, en] as const)) })
      : variable({ code: 'Kostnadsart', label: t('kostnadsart', 'cost component'), values: vals(rows.map(([c, no, en]) => [c, no, en] as const)) });
  const contents = contentsVar([
    { code: 'Kostnadsindeks', label: t('Kostnadsindeks (2015=100)', 'Cost index (2015=100)'), unit: t('indeks', 'index'), decimals: 1, basePeriod: t('2015=100') },
    { code: 'EndringKvartal', label: t('Endring fra forrige kvartal (prosent)', 'Change from the previous quarter (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
    { code: 'Endring4Kvartal', label: t('Endring fra samme kvartal året før (prosent)', 'Change from the same quarter the year before (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
  ]);
  const meta = tableMeta({
    id,
    matrix: id === '12535' ? 'Kilt01' : 'Kilt02',
    contents:
      id === '12535'
        ? t('Totalkostnadsindeks for lastebiltransport', 'Total cost index for road goods transport')
        : t('Kostnadsindeks for lastebiltransport, delindekser', 'Cost index for road goods transport, sub-indices'),
    variables: [v, contents.variable, timeVar('Q', qs)],
    contentInfo: contents.info,
    subject: 'tr',
    updated: `${ctx.lastYear}-11-05T07:00:00Z`,
  });
  const n = qs.length;
  const values = new Float64Array(rows.length * 3 * n);
  const status = new Uint8Array(values.length);
  rows.forEach(([code, , , trend], ri) => {
    const rng = new Prng(key(id + code));
    const s: number[] = [];
    let level = 0;
    for (let i = 0; i < n; i++) {
      const y = Number(qs[i].slice(0, 4));
      level += trend / 4 + (code === '02' && id === '12536' ? 0.04 : 0.006) * rng.gauss() + (y === 2022 ? 0.012 : 0);
      s.push(Math.exp(level));
    }
    const avg = (s[0] + s[1] + s[2] + s[3]) / 4;
    for (let i = 0; i < n; i++) {
      const at = ri * 3 * n + i;
      values[at] = round((s[i] / avg) * 100, 1);
      if (i >= 1) values[at + n] = round((s[i] / s[i - 1] - 1) * 100, 1);
      else status[at + n] = Status.Dot1;
      if (i >= 4) values[at + 2 * n] = round((s[i] / s[i - 4] - 1) * 100, 1);
      else status[at + 2 * n] = Status.Dot1;
    }
  });
  return { meta, values, status };
}

function vehicles(id: '11823' | '07849', ctx: DemoContext): Cube {
  const ys = id === '07849' ? years(2008, 2017) : years(2018, ctx.lastYear - 1);
  const types: [string, string, string, number][] = [
    ['01', 'Personbiler', 'Passenger cars', 2_600_000],
    ['02', 'Varebiler', 'Vans', 480_000],
    ['03', 'Lastebiler', 'Lorries', 75_000],
    ['04', 'Busser', 'Buses', 16_000],
  ];
  const ages: [string, string, string][] = [
    ['00-04', '0-4 år', '0-4 years'],
    ['05-09', '5-9 år', '5-9 years'],
    ['10-14', '10-14 år', '10-14 years'],
    ['15-19', '15-19 år', '15-19 years'],
    ['20+', '20 år og over', '20 years and over'],
  ];
  const fuels: [string, string, string][] = [
    ['1', 'Bensin', 'Petrol'],
    ['2', 'Diesel', 'Diesel'],
    ['5', 'Elektrisk', 'Electricity'],
    ['9', 'Annet drivstoff', 'Other fuel'],
  ];
  const contents = contentsVar([{ code: 'Kjoretoy', label: t('Registrerte kjøretøy', 'Registered vehicles'), unit: t('kjøretøy', 'vehicles'), decimals: 0, stockFa: 'S' }]);
  const discontinued = id === '07849';
  const meta = tableMeta({
    id,
    contents: discontinued
      ? t('Registrerte kjøretøy (avslutta serie)', 'Registered vehicles (discontinued series)')
      : t('Registrerte kjøretøy', 'Registered vehicles'),
    variables: [
      variable({ code: 'Kjoretoytype', label: t('kjøretøytype', 'type of vehicle'), values: vals(types.map(([c, no, en]) => [c, no, en] as const)) }),
      variable({ code: 'Alder', label: t('alder', 'age'), elimination: true, values: vals(ages) }),
      variable({ code: 'Drivstoff', label: t('drivstofftype', 'type of fuel'), elimination: true, values: vals(fuels) }),
      contents.variable,
      timeVar('A', ys),
    ],
    contentInfo: contents.info,
    subject: 'tr',
    updated: discontinued ? '2018-06-01T06:00:00Z' : `${ctx.lastYear}-03-20T07:00:00Z`,
    aggregAllowed: true,
    notes: discontinued
      ? [note('Serien er avsluttet. Nyere tall finnes i tabell 11823.', 'The series is discontinued. Newer figures are in table 11823.')]
      : [note('Kjøretøyenes alder regnes fra første registrering.', "A vehicle's age counts from its first registration.")],
  });
  return fillCube(meta, (ix) => {
    const [ti, ai, fi] = ix;
    const y = Number(ys[ix[4]]);
    const ev = Math.min(0.35, Math.max(0, (y - 2011) * 0.028));
    const fuelShare = ti === 0 ? [0.45 - ev * 0.6, 0.52 - ev * 0.4, ev, 0.03][fi] : [0.05, 0.9 - ev * 0.3, ev * 0.3, 0.05][fi];
    const ageShare = fi === 2 ? [0.8, 0.18, 0.02, 0, 0][ai] : [0.3, 0.27, 0.22, 0.12, 0.09][ai];
    const v = types[ti][3] * (1 + 0.012 * (y - 2008)) * Math.max(0, fuelShare) * ageShare * (1 + 0.03 * noise(key(id), ti, ai, fi, y));
    return v < 0.5 ? { status: Status.Nil } : Math.round(v);
  });
}


export const TRADE_TABLES: DemoTableDef[] = [
  { id: '03024', folders: ['uh/uh01'], shortName: 'laks', published: (c) => `${c.lastYear}-12-03T07:00:00Z`, build: build03024 },
  { id: '08799', folders: ['uh/uh01'], shortName: 'muh', published: (c) => `${c.lastYear}-11-14T07:00:00Z`, build: build08799 },
];

export const TRANSPORT_TABLES: DemoTableDef[] = [
  { id: '12535', folders: ['tr/tr01/kilt'], shortName: 'kilt', published: (c) => `${c.lastYear}-11-05T07:00:00Z`, build: (c) => costIndex(c, '12535') },
  { id: '12536', folders: ['tr/tr01/kilt'], shortName: 'kilt', published: (c) => `${c.lastYear}-11-05T07:00:00Z`, build: (c) => costIndex(c, '12536') },
  { id: '11823', folders: ['tr/tr02'], shortName: 'bilreg', published: (c) => `${c.lastYear}-03-20T07:00:00Z`, build: (c) => vehicles('11823', c) },
  { id: '07849', folders: ['tr/tr02'], shortName: 'bilreg', discontinued: true, published: () => '2018-06-01T06:00:00Z', build: (c) => vehicles('07849', c) },
];
