// Labour tables (folder al): 08931 the monthly labour force survey (short name "aku", several contents of
// different units and decimals) and 11418 monthly earnings, the table with all three of Statistics Norway's
// symbols: `..` (not available), `:` (confidential) and `-` (nil).

import { Status, type Cube } from '../core/model.js';
import { contentsVar, months, note, t, tableMeta, timeVar, variable, vals, years, type DemoContext, type DemoTableDef } from './build.js';
import { key, noise, round } from './random.js';
import { sexVariable } from './population.js';

function build08931(ctx: DemoContext): Cube {
  const ms = months(2006, 2, ctx.lastYear, 9);
  const ages: [string, string, string, number][] = [
    ['15-74', '15-74 år', '15-74 years', 1],
    ['15-24', '15-24 år', '15-24 years', 0.17],
    ['25-74', '25-74 år', '25-74 years', 0.83],
  ];
  const alder = variable({
    code: 'Alder',
    label: t('alder', 'age'),
    elimination: true,
    eliminationValue: '15-74',
    values: vals(ages.map(([c, no, en]) => [c, no, en] as const)),
  });
  const contents = contentsVar([
    { code: 'Arbeidsstyrken', label: t('Arbeidsstyrken (1 000 personer)', 'Labour force (1 000 persons)'), unit: t('1 000 personer', '1 000 persons'), decimals: 0, seasAdj: true, stockFa: 'S' },
    { code: 'Sysselsatte', label: t('Sysselsatte (1 000 personer)', 'Employed persons (1 000 persons)'), unit: t('1 000 personer', '1 000 persons'), decimals: 0, seasAdj: true, stockFa: 'S' },
    { code: 'Arbeidsledige', label: t('Arbeidsledige (1 000 personer)', 'Unemployed persons (1 000 persons)'), unit: t('1 000 personer', '1 000 persons'), decimals: 0, seasAdj: true, stockFa: 'S' },
    {
      code: 'ArbledProsArbstyrk',
      label: t('Arbeidsledige i prosent av arbeidsstyrken', 'Unemployed persons in per cent of the labour force'),
      unit: t('prosent', 'per cent'),
      decimals: 1,
      seasAdj: true,
      notes: [note('Andelen er regnet ut fra tall som ikke er avrundet.', 'The share is computed from unrounded figures.')],
    },
  ]);
  const meta = tableMeta({
    id: '08931',
    contents: t('Arbeidsstyrken, sysselsatte og arbeidsledige. Sesongjusterte tall', 'Labour force, employment and unemployment. Seasonally adjusted'),
    variables: [sexVariable(true), alder, contents.variable, timeVar('M', ms)],
    contentInfo: contents.info,
    subject: 'al',
    updated: `${ctx.lastYear}-10-28T06:00:00Z`,
    notes: [note('Tallene er glidende gjennomsnitt over tre måneder, oppgitt ved midterste måned.', 'The figures are three-month moving averages, given at the middle month.')],
  });
  const n = ms.length;
  const values = new Float64Array(3 * ages.length * 4 * n);
  for (let s = 0; s < 3; s++) {
    const sexShare = s === 0 ? 1 : s === 1 ? 0.53 : 0.47;
    for (let a = 0; a < ages.length; a++) {
      for (let i = 0; i < n; i++) {
        const y = Number(ms[i].slice(0, 4)) + (Number(ms[i].slice(5)) - 1) / 12;
        const force = (2500 + 18 * (y - 2006)) * sexShare * ages[a][3] * (1 + 0.004 * Math.sin(y * 1.3));
        const cycle = 3.6 + 0.8 * Math.sin((y - 2009) / 2.2) + (y > 2020 && y < 2021.2 ? 1.4 : 0);
        const rate = cycle * (a === 1 ? 2.4 : a === 2 ? 0.75 : 1) * (s === 2 ? 0.92 : s === 1 ? 1.07 : 1) * (1 + 0.04 * noise(8931, s, a, i));
        const unemployed = (force * rate) / 100;
        const at = (s * ages.length + a) * 4 * n + i;
        values[at] = Math.round(force);
        values[at + n] = Math.round(force - unemployed);
        values[at + 2 * n] = Math.round(unemployed);
        values[at + 3 * n] = round(rate, 1);
      }
    }
  }
  return { meta, values, status: null };
}

// ---- 11418: earnings by occupation, sector and sex ----

function build11418(ctx: DemoContext): Cube {
  const ys = years(2015, ctx.lastYear - 1);
  const occupations: [string, string, string, number][] = [
    ['0-9', 'Alle yrker', 'All occupations', 1],
    ['1', 'Ledere', 'Managers', 1.55],
    ['2', 'Akademiske yrker', 'Professionals', 1.22],
    ['3', 'Høyskoleyrker', 'Technicians and associate professionals', 1.05],
    ['4', 'Kontoryrker', 'Clerical support workers', 0.86],
    ['5', 'Salgs- og serviceyrker', 'Service and sales workers', 0.78],
    ['6', 'Bønder, fiskere mv.', 'Skilled agricultural, forestry and fishery workers', 0.82],
    ['7', 'Håndverkere', 'Craft and related trades workers', 0.93],
    ['8', 'Operatører, sjåfører mv.', 'Plant and machine operators and assemblers', 0.9],
    ['9', 'Renholdere, hjelpearbeidere mv.', 'Elementary occupations', 0.7],
  ];
  const sectors: [string, string, string, number][] = [
    ['ALLE', 'Sum alle sektorer', 'All sectors', 1],
    ['A+B+D+E', 'Privat sektor og offentlige eide foretak', 'Private sector and public enterprises', 1.03],
    ['6100', 'Statsforvaltningen', 'Central government', 1.02],
    ['6500', 'Kommuneforvaltningen', 'Local government', 0.92],
  ];
  const yrke = variable({
    code: 'Yrke',
    label: t('yrke', 'occupation'),
    elimination: true,
    eliminationValue: '0-9',
    values: vals(occupations.map(([c, no, en]) => [c, no, en] as const)),
    notes: [note('Yrke etter Standard for yrkesklassifisering (STYRK-08).', 'Occupation by the Norwegian version of ISCO-08 (STYRK-08).')],
  });
  const sektor = variable({
    code: 'Sektor',
    label: t('sektor', 'sector'),
    elimination: true,
    eliminationValue: 'ALLE',
    values: vals(sectors.map(([c, no, en]) => [c, no, en] as const)),
  });
  const contents = contentsVar([
    { code: 'Manedslonn', label: t('Gjennomsnittlig månedslønn (kr)', 'Average monthly earnings (NOK)'), unit: t('kr', 'NOK'), decimals: 0 },
    { code: 'Medianlonn', label: t('Median månedslønn (kr)', 'Median monthly earnings (NOK)'), unit: t('kr', 'NOK'), decimals: 0 },
    { code: 'Arbeidsforhold', label: t('Antall arbeidsforhold med lønn', 'Number of salaried jobs'), unit: t('antall', 'number'), decimals: 0, stockFa: 'S' },
    { code: 'AndelHeltid', label: t('Andel heltidsansatte (prosent)', 'Share of full-time employees (per cent)'), unit: t('prosent', 'per cent'), decimals: 1 },
  ]);
  const meta = tableMeta({
    id: '11418',
    contents: t('Månedslønn', 'Monthly earnings'),
    variables: [yrke, sektor, sexVariable(true), contents.variable, timeVar('A', ys)],
    contentInfo: contents.info,
    subject: 'al',
    updated: `${ctx.lastYear}-02-06T07:00:00Z`,
    notes: [note('Andel heltidsansatte er ikke tilgjengelig for 2015.', 'The share of full-time employees is not available for 2015.')],
  });
  const ny = ys.length;
  const nc = 4;
  const values = new Float64Array(occupations.length * sectors.length * 3 * nc * ny);
  const status = new Uint8Array(values.length);
  let at = 0;
  for (const [oc, , , of] of occupations) {
    for (const [sc, , , sf] of sectors) {
      for (let s = 0; s < 3; s++) {
        const sexF = s === 0 ? 1 : s === 1 ? 1.06 : 0.93;
        const jobs = 2_900_000 * (oc === '0-9' ? 1 : 0.1) * (sc === 'ALLE' ? 1 : sc === 'A+B+D+E' ? 0.68 : sc === '6100' ? 0.1 : 0.22) * (s === 0 ? 1 : 0.5);
        for (let c = 0; c < nc; c++) {
          for (let yi = 0; yi < ny; yi++, at++) {
            const y = 2015 + yi;
            // farmers and fishers in central government: no such jobs; in local government among women: too few to publish
            if (oc === '6' && sc === '6100') {
              if (c === 2) status[at] = Status.Nil;
              else status[at] = Status.Dot1;
              continue;
            }
            if (oc === '6' && sc === '6500' && s === 2 && c !== 2) {
              status[at] = Status.Dot3;
              continue;
            }
            if (c === 3 && y === 2015) {
              status[at] = Status.Dot1;
              continue;
            }
            const wage = 41_000 * Math.exp(0.035 * (y - 2015)) * of * sf * sexF * (1 + 0.02 * noise(11418, key(oc), key(sc), s, y));
            values[at] =
              c === 0
                ? Math.round(wage / 10) * 10
                : c === 1
                  ? Math.round((wage * 0.93) / 10) * 10
                  : c === 2
                    ? Math.round(jobs * (1 + 0.01 * (y - 2015)) * (1 + 0.05 * noise(11418, key(oc), key(sc), s, y, 2)))
                    : round(Math.min(99, 72 + 10 * (of - 1) + (s === 1 ? 9 : s === 2 ? -8 : 0) + noise(11418, key(oc), s, y, 3)), 1);
          }
        }
      }
    }
  }
  return { meta, values, status };
}

export const LABOUR_TABLES: DemoTableDef[] = [
  { id: '08931', folders: ['al/al01'], shortName: 'aku', published: (c) => `${c.lastYear}-10-28T06:00:00Z`, build: build08931 },
  { id: '11418', folders: ['al/al04'], shortName: 'lonnansatt', published: (c) => `${c.lastYear}-02-06T07:00:00Z`, build: build11418 },
];
