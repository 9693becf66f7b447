// Crime (folder sk/sk02): 10614 and 10622 have a variable "statsborgerskap" (citizenship), 08484 and 09405
// do not, so a search for "statsborgerskap" in the folder finds exactly two of the four.
// Also the municipal accounts table 12367 (folder os/os01) with the variable "funksjon" and value 170.

import { Status, type Cube } from '../core/model.js';
import { contentsVar, fillCube, note, t, tableMeta, timeVar, variable, vals, years, type DemoContext, type DemoTableDef } from './build.js';
import { key, noise, round } from './random.js';
import { sexVariable } from './population.js';

const CITIZENSHIP = () =>
  variable({
    code: 'Statsborgerskap',
    label: t('statsborgerskap', 'citizenship'),
    elimination: true,
    eliminationValue: '0',
    values: vals([
      ['0', 'I alt', 'Total'],
      ['1', 'Norsk statsborgerskap', 'Norwegian citizens'],
      ['2', 'Utenlandsk statsborgerskap, bosatt', 'Foreign citizens, resident'],
      ['3', 'Utenlandsk statsborgerskap, ikke bosatt', 'Foreign citizens, not resident'],
      ['9', 'Uoppgitt', 'Unknown'],
    ]),
  });

const OFFENCES: [string, string, string, number][] = [
  ['0', 'Alle lovbruddsgrupper', 'All groups of offences', 1],
  ['1', 'Vinning', 'Property theft', 0.3],
  ['2', 'Vold og mishandling', 'Violence and maltreatment', 0.13],
  ['3', 'Seksuallovbrudd', 'Sexual offences', 0.03],
  ['4', 'Rusmiddellovbrudd', 'Drug and alcohol offences', 0.15],
  ['5', 'Skadeverk', 'Damage to property', 0.05],
  ['6', 'Trafikklovbrudd', 'Traffic offences', 0.17],
  ['7', 'Annen lovbrudd', 'Other offences', 0.17],
];

const offenceVariable = () =>
  variable({
    code: 'Lovbruddsgruppe',
    label: t('lovbruddsgruppe', 'group of offence'),
    elimination: true,
    eliminationValue: '0',
    values: vals(OFFENCES.map(([c, no, en]) => [c, no, en] as const)),
  });

const AGE_GROUPS = () =>
  variable({
    code: 'Alder',
    label: t('alder', 'age'),
    elimination: true,
    eliminationValue: '15-79',
    values: vals([
      ['15-79', '15-79 år', '15-79 years'],
      ['15-17', '15-17 år', '15-17 years'],
      ['18-29', '18-29 år', '18-29 years'],
      ['30-49', '30-49 år', '30-49 years'],
      ['50-79', '50-79 år', '50-79 years'],
    ]),
  });
const AGE_SHARE = [1, 0.1, 0.38, 0.36, 0.16];
const CIT_SHARE = [1, 0.78, 0.16, 0.05, 0.01];

function build10614(ctx: DemoContext): Cube {
  const ys = years(2002, ctx.lastYear - 2);
  const contents = contentsVar([
    { code: 'Siktede', label: t('Siktede personer', 'Persons charged'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'F' },
    { code: 'SiktedePer1000', label: t('Siktede per 1 000 innbyggere', 'Persons charged per 1 000 population'), unit: t('per 1 000', 'per 1 000'), decimals: 1 },
  ]);
  const meta = tableMeta({
    id: '10614',
    contents: t('Siktede personer', 'Persons charged'),
    variables: [CITIZENSHIP(), sexVariable(true), AGE_GROUPS(), contents.variable, timeVar('A', ys)],
    contentInfo: contents.info,
    subject: 'sk',
    updated: `${ctx.lastYear}-03-14T07:00:00Z`,
    notes: [note('Per 1 000 innbyggere kan ikke beregnes for personer som ikke er bosatt.', 'Rates per 1 000 population cannot be computed for persons not resident.')],
  });
  return fillCube(meta, (ix) => {
    const [ci, si, ai, c, yi] = ix;
    const y = 2002 + yi;
    const persons = 78_000 * (1 - 0.01 * (y - 2002)) * CIT_SHARE[ci] * (si === 0 ? 1 : si === 1 ? 0.8 : 0.2) * AGE_SHARE[ai] * (1 + 0.04 * noise(10614, ci, si, ai, y));
    if (c === 0) return Math.round(persons);
    if (ci >= 3) return { status: Status.Dot1 }; // no population to divide by
    const pop = 4_000_000 * (1 + 0.009 * (y - 2002)) * (ci === 0 ? 1 : ci === 1 ? 0.88 : 0.12) * (si === 0 ? 1 : 0.5) * AGE_SHARE[ai];
    return round((persons / pop) * 1000, 1);
  });
}

function build10622(ctx: DemoContext): Cube {
  const ys = years(2014, ctx.lastYear - 2);
  const contents = contentsVar([{ code: 'Innsettelser', label: t('Innsettelser i fengsel', 'Admissions to prison'), unit: t('innsettelser', 'admissions'), decimals: 0, stockFa: 'F' }]);
  const meta = tableMeta({
    id: '10622',
    contents: t('Innsettelser i fengsel', 'Admissions to prison'),
    variables: [CITIZENSHIP(), sexVariable(true), contents.variable, timeVar('A', ys)],
    contentInfo: contents.info,
    subject: 'sk',
    updated: `${ctx.lastYear}-05-22T06:00:00Z`,
  });
  return fillCube(meta, (ix) => {
    const [ci, si, , yi] = ix;
    const v = 9_500 * (1 - 0.02 * yi) * [1, 0.7, 0.18, 0.11, 0.01][ci] * (si === 0 ? 1 : si === 1 ? 0.92 : 0.08) * (1 + 0.05 * noise(10622, ci, si, yi));
    // too few women with unknown citizenship to publish
    return ci === 4 && si === 2 ? { status: Status.Dot3 } : Math.round(v);
  });
}

function build08484(ctx: DemoContext): Cube {
  const ys = years(1993, ctx.lastYear - 2);
  const contents = contentsVar([
    { code: 'Lovbrudd', label: t('Anmeldte lovbrudd', 'Offences reported to the police'), unit: t('lovbrudd', 'offences'), decimals: 0, stockFa: 'F' },
    { code: 'LovbruddPer1000', label: t('Anmeldte lovbrudd per 1 000 innbyggere', 'Offences reported per 1 000 population'), unit: t('per 1 000', 'per 1 000'), decimals: 1 },
  ]);
  const meta = tableMeta({
    id: '08484',
    contents: t('Anmeldte lovbrudd', 'Offences reported to the police'),
    variables: [offenceVariable(), contents.variable, timeVar('A', ys)],
    contentInfo: contents.info,
    subject: 'sk',
    updated: `${ctx.lastYear}-03-14T07:00:00Z`,
  });
  return fillCube(meta, (ix) => {
    const [oi, c, yi] = ix;
    const y = 1993 + yi;
    const n = 330_000 * (1 - 0.008 * (y - 1993)) * OFFENCES[oi][3] * (1 + 0.04 * noise(8484, oi, y));
    const pop = 4_300_000 * (1 + 0.008 * (y - 1993));
    return c === 0 ? Math.round(n) : round((n / pop) * 1000, 1);
  });
}

function build09405(ctx: DemoContext): Cube {
  const ys = years(2010, ctx.lastYear - 2);
  const contents = contentsVar([{ code: 'Ofre', label: t('Ofre', 'Victims'), unit: t('personer', 'persons'), decimals: 0, stockFa: 'F' }]);
  const meta = tableMeta({
    id: '09405',
    contents: t('Ofre for anmeldte lovbrudd', 'Victims of offences reported to the police'),
    variables: [sexVariable(true), AGE_GROUPS(), offenceVariable(), contents.variable, timeVar('A', ys)],
    contentInfo: contents.info,
    subject: 'sk',
    updated: `${ctx.lastYear}-06-12T06:00:00Z`,
  });
  return fillCube(meta, (ix) => {
    const [si, ai, oi, , yi] = ix;
    if (oi === 4 || oi === 6) return { status: Status.Nil }; // offences against society have no individual victims
    return Math.round(150_000 * [1, 0.55, 0.45][si] * AGE_SHARE[ai] * OFFENCES[oi][3] * (1 + 0.05 * noise(9405, si, ai, oi, yi)));
  });
}

// ---- public sector ----

function build12367(ctx: DemoContext): Cube {
  const ys = years(2015, ctx.lastYear - 1);
  const regions: [string, string, number][] = [
    ['0301', 'Oslo', 717_000],
    ['1103', 'Stavanger', 149_000],
    ['1108', 'Sandnes', 83_000],
    ['4601', 'Bergen', 291_000],
    ['5001', 'Trondheim', 214_000],
  ];
  const functions: [string, string, string, number][] = [
    ['100', '100 Politisk styring', '100 Political governance', 0.6],
    ['110', '110 Kontroll og revisjon', '110 Auditing and control', 0.15],
    ['120', '120 Administrasjon', '120 Administration', 4.5],
    ['170', '170 Årets premieavvik', '170 Pension premium deviation for the year', 0],
    ['171', '171 Amortisering av tidligere års premieavvik', '171 Amortisation of earlier years\' premium deviations', 0],
    ['202', '202 Grunnskole', '202 Primary and lower secondary school', 14],
    ['253', '253 Helse- og omsorgstjenester i institusjon', '253 Health and care services in institutions', 9],
  ];
  const arts: [string, string, string, number][] = [
    ['AGD1', 'Brutto driftsutgifter', 'Gross operating expenditure', 1],
    ['010', 'Fastlønn', 'Fixed salaries', 0.55],
    ['090', 'Pensjon', 'Pensions', 0.09],
  ];
  const contents = contentsVar([{ code: 'Belop', label: t('Beløp (1 000 kr)', 'Amount (NOK 1 000)'), unit: t('1 000 kr', 'NOK 1 000'), decimals: 0, cfPrices: 'C' }]);
  const meta = tableMeta({
    id: '12367',
    contents: t('Kommunenes driftsregnskap (1 000 kr)', 'Operating accounts of the municipalities (NOK 1 000)'),
    variables: [
      variable({ code: 'KOKkommuneregion0000', label: t('region'), role: 'geo', values: regions.map(([c, n]) => ({ code: c, label: t(n) })) }),
      variable({ code: 'KOKfunksjon0000', label: t('funksjon', 'function'), values: vals(functions.map(([c, no, en]) => [c, no, en] as const)) }),
      variable({ code: 'KOKart0000', label: t('art', 'type of expenditure'), values: vals(arts.map(([c, no, en]) => [c, no, en] as const)) }),
      contents.variable,
      timeVar('A', ys),
    ],
    contentInfo: contents.info,
    subject: 'os',
    updated: `${ctx.lastYear}-06-15T06:00:00Z`,
    notes: [note('Årets premieavvik (funksjon 170) kan være negativt.', 'The pension premium deviation (function 170) may be negative.')],
  });
  return fillCube(meta, (ix) => {
    const [ri, fi, ai, , yi] = ix;
    const pop = regions[ri][2];
    const fc = functions[fi][0];
    if (fc === '170' || fc === '171') {
      if (ai === 1) return { status: Status.Nil }; // no salaries on these functions
      const dev = pop * 0.4 * noise(12367, ri, yi, key(fc)) * (fc === '170' ? 1 : 0.5);
      return Math.round(ai === 0 ? dev : dev * 0.9);
    }
    return Math.round(pop * functions[fi][3] * 0.1 * arts[ai][3] * Math.exp(0.04 * yi) * (1 + 0.03 * noise(12367, ri, fi, ai, yi)));
  });
}

export const CRIME_TABLES: DemoTableDef[] = [
  { id: '10614', folders: ['sk/sk02'], shortName: 'siktede', published: (c) => `${c.lastYear}-03-14T07:00:00Z`, build: build10614 },
  { id: '10622', folders: ['sk/sk02'], shortName: 'fengsling', published: (c) => `${c.lastYear}-05-22T06:00:00Z`, build: build10622 },
  { id: '08484', folders: ['sk/sk02'], shortName: 'lovbrudda', published: (c) => `${c.lastYear}-03-14T07:00:00Z`, build: build08484 },
  { id: '09405', folders: ['sk/sk02'], shortName: 'ofre', published: (c) => `${c.lastYear}-06-12T06:00:00Z`, build: build09405 },
];

export const PUBLIC_SECTOR_TABLES: DemoTableDef[] = [
  { id: '12367', folders: ['os/os01'], shortName: 'kostrahovedtall', published: (c) => `${c.lastYear}-06-15T06:00:00Z`, build: build12367 },
];
