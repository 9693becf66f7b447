// Cubes for the streaming and codepage tests: texts in several scripts (Cyrillic, Icelandic, Greenlandic, Baltic),
// a control character in a note, and a cube big enough to take several chunks.

import { Status, type Cube, type TableMeta } from '../../src/core/model.js';

/** Labels that need more than Latin-1, per codepage that holds them. */
export const SCRIPTS: { name: string; codepage: string; labels: string[] }[] = [
  { name: 'Cyrillic', codepage: 'windows-1251', labels: ['Москва', 'Санкт-Петербург', 'Ёлкино'] },
  { name: 'Icelandic', codepage: 'iso-8859-1', labels: ['Þórshöfn', 'Ísafjörður', 'Æðey'] },
  { name: 'Greenlandic', codepage: 'iso-8859-1', labels: ['Nuuk', 'Qaqortoq', 'Ilulissat Kangerlua', 'Kalaallit Nunaat'] },
  { name: 'Baltic', codepage: 'windows-1257', labels: ['Rīga', 'Šiauliai', 'Klaipėda', 'Pärnu', 'Daugavpils ūdens'] },
  { name: 'Central European', codepage: 'windows-1250', labels: ['Łódź', 'Brno', 'Győr'] },
];

export function scriptCube(labels: string[], codepage: string | undefined, note = 'Note'): Cube {
  const meta: TableMeta = {
    id: 'SCR1',
    matrix: 'Scripts',
    title: { en: `Population, by place (${labels[0]}) and year` },
    description: { en: `Population in ${labels[0]}` },
    contents: { en: 'Population' },
    languages: ['en'],
    defaultLanguage: 'en',
    variables: [
      { code: 'Place', label: { en: 'place' }, elimination: false, values: labels.map((l, i) => ({ code: `P${i}`, label: { en: l } })) },
      { code: 'Tid', label: { en: 'year' }, role: 'time', timeUnit: 'A', elimination: false, values: ['2023', '2024'].map((c) => ({ code: c, label: { en: c } })) },
    ],
    stub: ['Place'],
    heading: ['Tid'],
    decimals: 1,
    notes: [{ text: { en: note }, mandatory: false }],
    codepage,
  };
  const n = labels.length * 2;
  const values = Float64Array.from({ length: n }, (_, i) => i * 10.5 - 3);
  const status = new Uint8Array(n);
  status[1] = Status.Dot2;
  return { meta, values, status };
}

/** region x age x contents x year with symbols: ~`regions` x 2,000 cells, several chunks in every format. */
export function bigCube(regions = 60): Cube {
  const v = (code: string, n: number, extra: object = {}, name = (i: number) => `${code} ${i} ø`) => ({
    code,
    label: { en: code.toLowerCase(), no: code.toLowerCase() + ' ø' },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: String(i), label: { en: name(i), no: name(i) + ' å' } })),
    ...extra,
  });
  const meta: TableMeta = {
    id: 'BIG',
    title: { en: 'Big table', no: 'Stor tabell' },
    contents: { en: 'Big', no: 'Stor' },
    languages: ['en', 'no'],
    defaultLanguage: 'en',
    variables: [
      v('Region', regions, { role: 'geo' }),
      v('Alder', 20),
      v('ContentsCode', 2, { role: 'contents' }, (i) => (i ? 'Price' : 'Count')),
      v('Tid', 50, { role: 'time', timeUnit: 'A' }, (i) => String(1975 + i)),
    ],
    stub: ['Region', 'Alder'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 2,
    contentInfo: { '0': { unit: { en: 'persons' }, decimals: 0 }, '1': { unit: { en: 'NOK' }, decimals: 2 } },
    codepage: 'iso-8859-1',
  };
  const n = regions * 20 * 2 * 50;
  const values = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = Math.floor(i / 50) % 2 ? (i % 9973) / 100 : i % 100003;
    if (i % 97 === 0) status[i] = i % 2 ? Status.Dot2 : Status.Nil;
  }
  return { meta, values, status };
}
