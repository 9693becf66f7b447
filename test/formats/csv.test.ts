import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Status, type Cube, type TableMeta, type Variable } from '../../src/core/model.js';
import { formatFixed } from '../../src/formats/numberFormat.js';
import {
  csvChunks,
  csvSerializer,
  csv2Serializer,
  csv3Serializer,
  csvV1,
  csvV1Layout,
  csvV1Long,
  csvV1LongLayout,
  csvV2,
  csvV2Layout,
  type CsvLayout,
} from '../../src/formats/csv.js';
import type { SerializeOptions } from '../../src/formats/serializer.js';
import { SCRIPTS, bigCube, scriptCube } from './streamCubes.js';
import { plainCube, salesCube } from './cubes.js';
import { cubeFromJsonStat2, hasShared, readShared } from './fixtureCube.js';

/** A tiny RFC 4180 parser: quoted fields (with "" inside), unquoted fields, CRLF or LF rows. */
function parseCsv(text: string, sep = ','): { cells: string[]; quoted: boolean[] }[] {
  const rows: { cells: string[]; quoted: boolean[] }[] = [];
  let i = 0;
  while (i < text.length) {
    const cells: string[] = [];
    const quoted: boolean[] = [];
    for (;;) {
      let cell = '';
      let q = false;
      if (text[i] === '"') {
        q = true;
        i++;
        for (;;) {
          if (text[i] === '"' && text[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else if (text[i] === '"') {
            i++;
            break;
          } else cell += text[i++];
        }
      } else while (i < text.length && text[i] !== sep && text[i] !== '\r' && text[i] !== '\n') cell += text[i++];
      cells.push(cell);
      quoted.push(q);
      if (text[i] === sep) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      break;
    }
    rows.push({ cells, quoted });
  }
  return rows;
}

const SYMBOL_OF: Record<number, string> = { [Status.Dot2]: '..', [Status.Dot3]: ':', [Status.Nil]: '-' };

test('v1 csv: wide table, names and texts, numbers with fixed decimals, symbols, CRLF, Latin-1', () => {
  const cube = salesCube();
  const body = csvV1(cube, { lang: 'no' });
  const textNo = body.toString('latin1');
  assert.ok(textNo.endsWith('\r\n'));
  assert.equal(textNo.split('\r\n').length, 1 + 6 + 1, 'header, 6 rows, trailing empty');
  assert.ok(!/[^\r]\n/.test(textNo), 'every line ends in CRLF');
  // 'ø' of "kjønn" is one byte 0xF8 in iso-8859-1
  const at = body.indexOf(Buffer.from('kj', 'latin1'));
  assert.equal(body[at + 2], 0xf8);
  assert.equal(body.indexOf(Buffer.from('ø', 'utf8')), -1, 'no UTF-8 sequences');
  const rows = parseCsv(textNo);
  assert.deepEqual(rows[0].cells, ['region', 'kjønn', 'Antall (stk) 2024', 'Antall (stk) 2023', 'Pris (kr) 2024', 'Pris (kr) 2023']);
  assert.ok(rows[0].quoted.every(Boolean));
  // each data row: Region x Kjonn; columns ContentsCode x Tid; flat index = ((r*2+k)*2+c)*2+t
  for (let r = 0; r < 3; r++) {
    for (let k = 0; k < 2; k++) {
      const row = rows[1 + r * 2 + k];
      assert.equal(row.cells[0], cube.meta.variables[0].values[r].label.no);
      assert.equal(row.cells[1], cube.meta.variables[1].values[k].label.no);
      for (let c = 0; c < 2; c++) {
        for (let t = 0; t < 2; t++) {
          const i = ((r * 2 + k) * 2 + c) * 2 + t;
          const cell = row.cells[2 + c * 2 + t];
          assert.equal(row.quoted[2 + c * 2 + t], false, 'numbers and symbols are not quoted');
          if (!cube.status![i]) assert.ok(Math.abs(Number(cell) - cube.values[i]) <= 0.5 * 10 ** -(c ? 2 : 0) + 1e-9, `cell ${i}`);
          if (cube.status![i]) assert.equal(cell, SYMBOL_OF[cube.status![i]]);
          else assert.equal(cell.split('.')[1]?.length ?? 0, c ? 2 : 0, `decimals of cell ${i}`);
        }
      }
    }
  }
  assert.equal(rows[1].cells[2], '2', '2.5 rounds half to even');
  assert.equal(rows[1].cells[4], '87.00');
  assert.equal(rows[5].cells[0], 'Vestland "Vest"', 'embedded quotes survive');
});

test('v1 csv2 and csv3: one value per row, others then time then contents', () => {
  const cube = salesCube();
  const rows2 = parseCsv(csvV1Long(cube, { lang: 'en' }, false).toString('latin1'));
  assert.deepEqual(rows2[0].cells, ['region', 'sex', 'year', 'contents', '99001: Sales,']);
  const rows3 = parseCsv(csvV1Long(cube, { lang: 'en' }, true).toString('latin1'));
  assert.deepEqual(rows3[0].cells, ['Region', 'Kjonn', 'Tid', 'ContentsCode', '99001']);
  assert.equal(rows2.length, 25);
  assert.equal(rows3.length, 25);
  const codes = cube.meta.variables.map((v) => v.values.map((x) => x.code));
  const seen = new Set<number>();
  for (const row of rows3.slice(1)) {
    const [r, k, t, c] = [codes[0].indexOf(row.cells[0]), codes[1].indexOf(row.cells[1]), codes[3].indexOf(row.cells[2]), codes[2].indexOf(row.cells[3])];
    assert.ok(r >= 0 && k >= 0 && t >= 0 && c >= 0);
    const i = ((r * 2 + k) * 2 + c) * 2 + t;
    seen.add(i);
    if (cube.status![i]) assert.equal(row.cells[4], SYMBOL_OF[cube.status![i]]);
    else assert.ok(Math.abs(Number(row.cells[4]) - cube.values[i]) <= 0.5 * 10 ** -(c ? 2 : 0) + 1e-9, `cell ${i}`);
    assert.equal(row.cells[4].split('.')[1]?.length ?? 0, cube.status![i] ? (row.cells[4].split('.')[1]?.length ?? 0) : c ? 2 : 0);
  }
  assert.equal(seen.size, 24, 'every cell exactly once');
  // order: time varies before contents within a region/sex block
  assert.deepEqual(rows3.slice(1, 5).map((r) => r.cells[2] + '/' + r.cells[3]), ['2024/Antall', '2024/Pris', '2023/Antall', '2023/Pris']);
  // csv2 rows use texts in the same order
  assert.equal(rows2[2].cells.slice(0, 4).join('|'), 'The whole country|Females|2024|Price (NOK)');
});

test('v2 csv: outputFormatParams labels, title, separators', () => {
  const cube = salesCube();
  const codes = parseCsv(csvV2(cube, { lang: 'en' }).toString('latin1'));
  assert.deepEqual(codes[0].cells, ['Region', 'Kjonn', 'Antall 2024', 'Antall 2023', 'Pris 2024', 'Pris 2023']);
  assert.deepEqual(codes[1].cells.slice(0, 2), ['0', '2']);
  const texts = parseCsv(csvV2(cube, { lang: 'en', labels: 'texts', separator: 'tab' }).toString('latin1'), '\t');
  assert.deepEqual(texts[0].cells.slice(0, 3), ['region', 'sex', 'Number (pcs) 2024']);
  const both = csvV2(cube, { lang: 'en', labels: 'codesAndTexts', separator: 'semicolon', includeTitle: true }).toString('latin1');
  const rows = parseCsv(both, ';');
  assert.deepEqual(rows[0].cells, ['99001: Sales, by region, sex, contents and year']);
  assert.deepEqual(rows[1].cells.slice(0, 3), ['Region - region', 'Kjonn - sex', 'Antall - Number (pcs) 2024 - 2024']);
  assert.deepEqual(rows[2].cells.slice(0, 2), ['0 - The whole country', '2 - Females']);
  const space = csvV2(cube, { lang: 'en', separator: 'space' }).toString('latin1');
  assert.ok(space.startsWith('"Region" "Kjonn" "Antall 2024"'));
  // no heading variables: the single value column is titled with CONTENTS
  const plain = plainCube();
  const flat = parseCsv(csvV2({ ...plain, meta: { ...plain.meta, stub: ['Age', 'Year'], heading: [] } }, { lang: 'en' }).toString('latin1'));
  assert.deepEqual(flat[0].cells, ['Age', 'Year', 'Persons']);
  assert.deepEqual(flat.slice(1).map((r) => r.cells[2]), ['1.2', '2.0', '3.4', '-4.0', '5.0', '6.0']);
});

test('v2 csv placement may differ from the cube variable order', () => {
  const cube = salesCube();
  // Kjonn in the heading, Tid in the stub: cells must still come from the right flat index
  const moved = { ...cube, meta: { ...cube.meta, stub: ['Tid', 'Region'], heading: ['Kjonn', 'ContentsCode'] } };
  const rows = parseCsv(csvV2(moved, { lang: 'en' }).toString('latin1'));
  assert.deepEqual(rows[0].cells, ['Tid', 'Region', '2 Antall', '2 Pris', '1 Antall', '1 Pris']);
  const codes = cube.meta.variables.map((v) => v.values.map((x) => x.code));
  for (const row of rows.slice(1)) {
    const t = codes[3].indexOf(row.cells[0]);
    const r = codes[0].indexOf(row.cells[1]);
    for (let col = 0; col < 4; col++) {
      const k = col >> 1;
      const c = col & 1;
      const i = ((r * 2 + k) * 2 + c) * 2 + t;
      const cell = row.cells[2 + col];
      if (cube.status![i]) assert.equal(cell, SYMBOL_OF[cube.status![i]]);
      else assert.ok(Math.abs(Number(cell) - cube.values[i]) <= 0.5 * 10 ** -(c ? 2 : 0) + 1e-9, `cell ${i} -> ${cell}`);
    }
  }
});

test('codepages: windows-1252 and utf-8 (with BOM); content types', async () => {
  const cube = salesCube();
  const cp1252 = { ...cube, meta: { ...cube.meta, codepage: 'windows-1252' } };
  const b = csvV2(cp1252, { lang: 'no', labels: 'texts' });
  assert.notEqual(b.indexOf(Buffer.from([0x6b, 0x6a, 0xf8, 0x6e, 0x6e])), -1, 'kjønn in windows-1252');
  const utf = { ...cube, meta: { ...cube.meta, codepage: 'utf-8' } };
  const u = csvV2(utf, { lang: 'no', labels: 'texts' });
  assert.deepEqual([...u.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.ok(u.toString('utf8').includes('kjønn'));
  const v2 = await csvSerializer.serialize(cube, { lang: 'en', api: 'v2' });
  assert.equal(v2.contentType, 'text/csv; charset=iso-8859-1');
  assert.equal((await csvSerializer.serialize(utf, { lang: 'en', api: 'v2' })).contentType, 'text/csv; charset=utf-8');
  const v1 = await csvSerializer.serialize(cube, { lang: 'en', api: 'v1' });
  assert.equal(v1.contentType, 'text/csv; charset=Windows-1252');
  assert.equal((await csv2Serializer.serialize(cube, { lang: 'en' })).contentType, 'text/csv; charset=Windows-1252');
  assert.equal((await csv3Serializer.serialize(cube, { lang: 'en' })).extension, 'csv');
  const lf = csvV2(cube, { lang: 'en', newline: '\n' }).toString('latin1');
  assert.ok(!lf.includes('\r'));
});

for (const lang of ['en', 'no'] as const) {
  const json = `fixtures/pxweb/v2/ssb-real/03024_POST_from2025U01_${lang}.jsonstat2.json`;
  const csv = `fixtures/pxweb/v2/ssb-real/03024_GET_csv_semicolon_codesandtexts_${lang}.csv`;
  test(`v2 csv equals SSB's 03024 csv byte for byte (${lang})`, { skip: !hasShared(json) || !hasShared(csv) }, () => {
    const cube = cubeFromJsonStat2(JSON.parse(readShared(json).toString('utf8')), lang);
    // the CSV request placed Tid in the stub and ContentsCode alone in the heading
    cube.meta.stub = ['VareGrupper2', 'Tid'];
    cube.meta.heading = ['ContentsCode'];
    const ours = csvV2(cube, { lang, labels: 'codesAndTexts', separator: 'semicolon' });
    // the fixture is stored as UTF-8; SSB sent ISO-8859-1
    const expected = Buffer.from(readShared(csv).toString('utf8'), 'latin1');
    assert.equal(ours.toString('latin1'), expected.toString('latin1'));
    assert.ok(ours.equals(expected));
  });
}

/** A cube with five variables (one empty-label-free, one of size 1), long and short labels, quotes, symbols. */
function layeredCube(): Cube {
  const v = (code: string, n: number, label: (i: number) => string, extra: Partial<Variable> = {}): Variable => ({
    code,
    label: { en: code.toLowerCase() },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: `${code[0]}${i}`, label: { en: label(i) } })),
    ...extra,
  });
  const variables = [
    v('Area', 3, (i) => (i === 1 ? 'A very long area name that needs a native copy, "quoted"' : `Area ${i}`)),
    v('Unit', 1, () => 'Only'),
    v('ContentsCode', 3, (i) => `Measure ${i}`, { role: 'contents' }),
    v('Group', 4, (i) => 'g'.repeat(1 + i * 9)),
    v('Tid', 5, (i) => String(2020 + i), { role: 'time', presentation: 'value' }),
  ];
  const meta: TableMeta = {
    id: 'LAYER',
    title: { en: 'Layered' },
    contents: { en: 'Layered,' },
    languages: ['en'],
    defaultLanguage: 'en',
    variables,
    stub: ['Area', 'Unit', 'ContentsCode'],
    heading: ['Group', 'Tid'],
    decimals: 3,
    contentInfo: {
      C0: { unit: { en: 'n' }, decimals: 0 },
      C1: { unit: { en: 'n' }, decimals: 1 },
      C2: { unit: { en: 'n' }, decimals: 3 },
    },
  };
  const n = 3 * 1 * 3 * 4 * 5;
  const values = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = ((i * 7919) % 2000) / 7 - 100;
    if (i % 13 === 5) {
      status[i] = i % 2 ? Status.Dot2 : Status.Nil;
      values[i] = 0;
    }
  }
  values[7] = 123456789012.5;
  return { meta, values, status };
}

test('csv rows and cells match a brute-force walk for every stub order and placement', () => {
  const cube = layeredCube();
  const { meta } = cube;
  const sizes = meta.variables.map((x) => x.values.length);
  const st = sizes.map((_, d) => sizes.slice(d + 1).reduce((a, b) => a * b, 1));
  const decimalsOf = (coords: number[]) => [0, 1, 3][coords[2]];
  const symbol = (s: number) => (s === Status.Nil ? '-' : '..');
  const placements: [string[], string[]][] = [
    [['Area', 'Unit', 'ContentsCode'], ['Group', 'Tid']],
    [['Tid', 'Group', 'Area'], ['ContentsCode', 'Unit']],
    [['Group', 'ContentsCode', 'Unit', 'Tid', 'Area'], []],
    [['Group', 'Unit', 'Tid', 'Area', 'ContentsCode'], []],
    [['Tid'], ['Area', 'Unit', 'ContentsCode', 'Group']],
    [[], ['Area', 'Unit', 'ContentsCode', 'Group', 'Tid']],
  ];
  for (const [stub, heading] of placements) {
    const placed = { ...cube, meta: { ...meta, stub, heading } };
    const rows = parseCsv(csvV2(placed, { lang: 'en', labels: 'texts', newline: '\n' }).toString('latin1'));
    const stubPos = stub.map((c) => meta.variables.findIndex((x) => x.code === c));
    const headPos = heading.map((c) => meta.variables.findIndex((x) => x.code === c));
    const combos = (pos: number[]): number[][] =>
      pos.reduce<number[][]>((acc, p) => acc.flatMap((a) => Array.from({ length: sizes[p] }, (_, i) => [...a, i])), [[]]);
    const rowCombos = combos(stubPos);
    const colCombos = combos(headPos);
    assert.equal(rows.length, 1 + rowCombos.length, `${stub}|${heading}: row count`);
    rowCombos.forEach((rc, r) => {
      const row = rows[1 + r];
      rc.forEach((vi, k) => assert.equal(row.cells[k], meta.variables[stubPos[k]].values[vi].label.en, `${stub}|${heading}: label ${r}/${k}`));
      assert.equal(row.cells.length, stub.length + colCombos.length);
      colCombos.forEach((cc, c) => {
        const coords = new Array<number>(sizes.length);
        rc.forEach((vi, k) => (coords[stubPos[k]] = vi));
        cc.forEach((vi, k) => (coords[headPos[k]] = vi));
        const at = coords.reduce((a, x, d) => a + x * st[d], 0);
        const want = cube.status![at] ? symbol(cube.status![at]) : formatFixed(cube.values[at], decimalsOf(coords));
        assert.equal(row.cells[stub.length + c], want, `${stub}|${heading}: cell ${r}/${c} (flat ${at})`);
      });
    });
  }
  // a variable without values: the header alone
  const empty = { ...cube, meta: { ...meta, variables: meta.variables.map((x, d) => (d === 3 ? { ...x, values: [] } : x)) }, values: new Float64Array(0), status: null };
  assert.equal(csvV1Long(empty, { lang: 'en' }, true).toString('latin1'), '"Area","Unit","Group","Tid","ContentsCode","LAYER"\r\n');
});

test('csv chunks of any size join to the one-buffer document (rows split inside a block of the innermost variable)', () => {
  const cubes: [string, Cube][] = [
    ['sales', salesCube()],
    ['plain', plainCube()],
    ['layered', layeredCube()],
    ['big', bigCube(3)],
    ['windows-1251', scriptCube(SCRIPTS[0].labels, 'windows-1251')],
    ['fallback to utf-8', scriptCube(SCRIPTS[0].labels, 'iso-8859-1')],
  ];
  const layouts: [string, (c: Cube, o: SerializeOptions) => CsvLayout][] = [
    ['v1 csv', csvV1Layout],
    ['csv2', (c, o) => csvV1LongLayout(c, o, false)],
    ['csv3', (c, o) => csvV1LongLayout(c, o, true)],
    ['v2 csv', csvV2Layout],
  ];
  const optionSets: SerializeOptions[] = [
    { lang: 'en' },
    { lang: 'en', newline: '\n', separator: 'semicolon', decimalComma: true },
    { lang: 'en', labels: 'codesAndTexts', includeTitle: true, separator: 'tab' },
  ];
  for (const [cubeName, cube] of cubes) {
    for (const [layoutName, layoutOf] of layouts) {
      for (const options of optionSets) {
        const whole = Buffer.concat([...csvChunks(cube, layoutOf(cube, options), Infinity)]);
        for (const size of [1, 13, 97, 1000, 65536]) {
          const parts = [...csvChunks(cube, layoutOf(cube, options), size)];
          assert.ok(Buffer.concat(parts).equals(whole), `${cubeName} ${layoutName} ${JSON.stringify(options)} in chunks of ${size}`);
        }
      }
    }
  }
});
