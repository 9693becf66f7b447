// The PX writer: every model field survives write -> read, line cutting, TIMEVAL, DATA formatting,
// one-language output and the serializer used by the APIs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, type Plan } from '../../src/core/engine.js';
import type { Cube, TableMeta } from '../../src/core/model.js';
import { lex } from '../../src/formats/px/lexer.js';
import { readPxSync } from '../../src/formats/px/reader.js';
import { isoToPxDate, pxSerializer, timeStamp, writePx } from '../../src/formats/px/writer.js';

function sampleCube(): Cube {
  const meta: TableMeta = {
    id: 'T07459',
    title: { no: 'Befolkning etter region, statistikkvariabel og måned', en: 'Population by region, contents and month' },
    contents: { no: 'Befolkning', en: 'Population' },
    description: { no: 'Beskrivelse' },
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables: [
      {
        code: 'Region',
        label: { no: 'region', en: 'region' },
        role: 'geo',
        map: 'fylker',
        values: [
          { code: '0', label: { no: 'Hele landet', en: 'The whole country' } },
          { code: '03', label: { no: 'Oslo', en: 'Oslo' }, notes: [{ text: { no: 'Kommune og fylke', en: 'Municipality and county' }, mandatory: true }] },
          { code: '46', label: { no: 'Vestland', en: 'Vestland' } },
        ],
        elimination: true,
        eliminationValue: '0',
        presentation: 'code_value',
        domain: 'fylker2024',
        hierarchy: { '03': '0', '46': '0' },
        notes: [{ text: { no: 'Regioninndeling per 2024', en: 'Regions as of 2024' }, mandatory: false }],
        extra: { 'META-ID': ['urn:ssb:region'] },
      },
      {
        code: 'ContentsCode',
        label: { no: 'statistikkvariabel', en: 'contents' },
        role: 'contents',
        values: [
          { code: 'Folk', label: { no: 'Folkemengde', en: 'Population' } },
          { code: 'Andel', label: { no: 'Andel (prosent)', en: 'Share (per cent)' }, precision: 1 },
        ],
        elimination: false,
      },
      {
        code: 'Tid',
        label: { no: 'måned', en: 'month' },
        role: 'time',
        timeUnit: 'M',
        values: [
          { code: '2024M01', label: { no: '2024M01', en: '2024M01' } },
          { code: '2024M02', label: { no: '2024M02', en: '2024M02' } },
        ],
        elimination: false,
      },
    ],
    stub: ['Region'],
    heading: ['ContentsCode', 'Tid'],
    unit: { no: 'personer', en: 'persons' },
    decimals: 2,
    showDecimals: 0,
    rounding: 1,
    contentInfo: {
      Folk: {
        unit: { no: 'personer', en: 'persons' },
        decimals: 0,
        refPeriod: { no: '1. i måneden', en: '1st of the month' },
        basePeriod: { no: 'ingen' },
        lastUpdated: '2024-03-06T08:00',
        contact: { no: 'Ola Nordmann#ola@ssb.no', en: 'Ola Nordmann#ola@ssb.no' },
        stockFa: 'S',
        cfPrices: 'C',
        dayAdj: false,
        seasAdj: true,
      },
      Andel: { unit: { no: 'prosent', en: 'per cent' }, decimals: 1 },
    },
    symbols: { 2: { no: '..', en: '..' }, 3: { no: ':', en: ':' }, 8: { no: '-', en: '-' } },
    notes: [
      { text: { no: 'Tall for 2024 er foreløpige. ' + 'Lang fotnote som må deles over flere linjer. '.repeat(12), en: 'Figures for 2024 are preliminary.' }, mandatory: false },
      { text: { no: 'Obligatorisk', en: 'Mandatory' }, mandatory: true },
    ],
    cellNotes: [
      { coords: ['03', '*', '2024M02'], text: { no: 'Celle', en: 'Cell' }, mandatory: false },
      { coords: ['46', 'Folk', '*'], text: { no: '(p)', en: '(p)' }, mandatory: false, symbol: true },
    ],
    source: { no: 'Statistisk sentralbyrå', en: 'Statistics Norway' },
    contact: { no: 'Kari#kari@ssb.no' },
    updated: '2024-03-06T08:00',
    created: '2024-03-01',
    nextUpdate: '2024-04-06T08:00',
    subjectCode: 'be',
    subjectArea: { no: 'Befolkning', en: 'Population' },
    officialStatistics: true,
    aggregAllowed: false,
    copyright: true,
    infoFile: 'folkemengde',
    codepage: 'iso-8859-15',
    extra: [
      { keyword: 'AXIS-VERSION', items: ['2013'] },
      { keyword: 'SYNONYMS', items: ['innbyggere', 'folketall'] },
      { keyword: 'DATANOTESUM', lang: 'en', items: ['(s)'] },
      { keyword: 'FIRST-PUBLISHED', items: ['20240101 08:00'] },
      { keyword: 'AUTOPEN', items: ['YES'], bare: [true] },
    ],
  };
  const values = new Float64Array([5550203, 5551000, 100, 99.9, 717710, 0, 13.25, 13.3, 651299, 651500, 11.7, 11.8]);
  const status = new Uint8Array(12);
  status[5] = 2;
  status[10] = 8;
  values[10] = 0;
  return { meta, values, status };
}

describe('PX writer', () => {
  it('every model field survives write -> read', () => {
    const cube = sampleCube();
    const out = writePx(cube);
    const back = readPxSync(out);
    assert.deepEqual(back.warnings, []);
    assert.deepEqual(back.cube.meta, cube.meta);
    assert.deepEqual(back.cube.values, cube.values);
    assert.deepEqual(back.cube.status, cube.status);
    // written in iso-8859-15: å is one byte (0xE5)
    assert.ok(out.includes(Buffer.from('CODEPAGE="iso-8859-15";')));
    assert.ok(out.includes(Buffer.from([0x6d, 0xe5, 0x6e, 0x65, 0x64])), 'måned in iso-8859-15');
  });

  it('cuts long texts into quoted pieces of at most 256 characters', () => {
    const cube = sampleCube();
    const text = cube.meta.notes![0].text.no;
    const lines = writePx(cube, { newline: '\n' }).toString('latin1').split('\n');
    assert.ok(lines.every((l) => l.length <= 256), 'all lines fit');
    const start = lines.findIndex((l) => l.startsWith('NOTE="Tall for 2024'));
    assert.ok(lines[start + 1].startsWith('"'), 'continued on the next line');
    assert.ok(text.length > 300);
  });

  it('writes TIMEVAL with an unquoted TLIST and spec time stamps', () => {
    const src = writePx(sampleCube(), { newline: '\n' }).toString('latin1');
    assert.match(src, /^TIMEVAL\("måned"\)=TLIST\(M1\),"202401","202402";$/m);
    assert.match(src, /^TIMEVAL\[en\]\("month"\)=TLIST\(M1\),"202401","202402";$/m);
    const tv = lex('TIMEVAL("x")=TLIST(M1),"202401";').entries[0].items[0];
    assert.deepEqual(tv, { kind: 'tlist', unit: 'M1' });
    assert.equal(timeStamp('Q', '2007K1'), '20071');
    assert.equal(timeStamp('W', '2023U29'), '202329');
    assert.equal(timeStamp('H', '1995H2'), '19952');
    assert.equal(timeStamp('A', '2015*'), '2015*');
  });

  it('DATA: stored decimals, symbols quoted, nothing lost when a value has more decimals', () => {
    const cube = sampleCube();
    cube.values[0] = 1 / 3;
    const src = writePx(cube, { newline: '\n' }).toString('latin1');
    const data = src.slice(src.indexOf('DATA=\n') + 6).trim().split('\n');
    assert.deepEqual(data, [
      '0.3333333333333333 5551000.00 100.00 99.90',
      '717710.00 ".." 13.25 13.30',
      '651299.00 651500.00 "-" 11.80;',
    ]);
    assert.equal(readPxSync(Buffer.from(src, 'latin1')).cube.values[0], 1 / 3);
  });

  it('one language: LANGUAGE is that language, texts fall back to the default language', () => {
    const cube = sampleCube();
    const back = readPxSync(writePx(cube, { lang: 'en' })).cube.meta;
    assert.equal(back.defaultLanguage, 'en');
    assert.deepEqual(back.languages, ['en']);
    assert.deepEqual(back.variables[1].label, { en: 'contents' });
    assert.deepEqual(back.description, { en: 'Beskrivelse' }, 'no English text: the Norwegian one');
    assert.deepEqual(back.contentInfo?.Folk.unit, { en: 'persons' });
    assert.deepEqual(back.variables.map((v) => v.code), ['Region', 'ContentsCode', 'Tid']);
    assert.equal(back.variables[0].eliminationValue, '0');
    assert.ok(back.extra?.some((e) => e.keyword === 'DATANOTESUM' && e.lang === undefined));
  });

  it('pxSerializer writes an engine result (dropped values and eliminated variables)', async () => {
    const cube = sampleCube();
    // keep Oslo and Vestland, eliminate Tid by taking 2024M02
    const plan: Plan = [
      { kind: 'pick', indices: [1, 2] },
      { kind: 'pick', indices: [0, 1] },
      { kind: 'eliminate', inputs: [1] },
    ];
    const result = evaluate(cube, plan);
    const body = await pxSerializer.serialize(result, { lang: 'no' });
    assert.equal(pxSerializer.id, 'px');
    assert.equal(body.contentType, 'application/octet-stream; charset=iso-8859-15', 'the charset is the CODEPAGE the file is written in');
    assert.equal(body.extension, 'px');
    const back = readPxSync(body.body);
    assert.deepEqual(back.cube.meta.variables.map((v) => v.values.map((x) => x.code)), [['03', '46'], ['Folk', 'Andel']]);
    assert.deepEqual(Array.from(back.cube.values), Array.from(result.values));
    assert.deepEqual(back.cube.status, result.status);
    for (const cn of back.cube.meta.cellNotes ?? []) assert.equal(cn.coords.length, 2);
  });

  it('dates and quotes', () => {
    assert.equal(isoToPxDate('2024-03-06T08:00'), '20240306 08:00');
    // an instant is written as the office's local clock time (Oslo by default; CET in March, CEST in July)
    assert.equal(isoToPxDate('2024-03-06T08:00:00.000Z'), '20240306 09:00:00');
    assert.equal(isoToPxDate('2024-07-06T08:00:00Z'), '20240706 10:00:00');
    assert.equal(isoToPxDate('2024-03-06T08:00:00Z', 'UTC'), '20240306 08:00:00');
    assert.equal(isoToPxDate('2024-03-06T08:00:00Z', 'Atlantic/Reykjavik'), '20240306 08:00:00');
    assert.equal(isoToPxDate('2024-03-06'), '20240306');
    const cube = sampleCube();
    cube.meta.title.no = 'Med "sitat"';
    assert.equal(readPxSync(writePx(cube)).cube.meta.title.no, "Med 'sitat'");
  });

  it('a cube with no variables left still gives a readable PX file', () => {
    const cube = sampleCube();
    const all = evaluate(cube, [
      { kind: 'eliminate', inputs: [0] },
      { kind: 'eliminate', inputs: [0] },
      { kind: 'eliminate', inputs: [0] },
    ]);
    const back = readPxSync(writePx(all)).cube;
    assert.equal(back.values.length, 1);
    assert.equal(back.values[0], all.values[0]);
  });
});
