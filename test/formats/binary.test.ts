// xlsx and parquet, read back with real readers (exceljs, hyparquet, DuckDB).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { parquetTable } from '../../src/formats/parquet.js';
import { xlsxSerializer, xlsxWorkbook } from '../../src/formats/xlsx.js';
import { salesCube } from './cubes.js';
import { withParquetInDuckDb } from './duckdb.js';

const SYMBOLS = ['..', ':', '-'];

test('xlsx: numbers are numbers with decimals formats, symbols are text, footnotes under the table', async () => {
  const cube = salesCube();
  const body = await xlsxWorkbook(cube, { lang: 'en' });
  assert.equal(body.subarray(0, 2).toString('latin1'), 'PK');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  assert.equal(ws.getCell('A1').value, '99001: Sales, by region, sex, contents and year');
  // title, blank, 2 heading rows (ContentsCode, Tid), 6 data rows
  assert.equal(ws.getCell('C3').value, 'Number (pcs)');
  assert.equal(ws.getCell('E3').value, 'Price (NOK)');
  assert.equal(ws.getCell('C4').value, '2024');
  assert.equal(ws.getCell('A4').value, 'region');
  const firstData = 5;
  for (let r = 0; r < 3; r++) {
    for (let k = 0; k < 2; k++) {
      const row = ws.getRow(firstData + r * 2 + k);
      assert.equal(row.getCell(1).value, cube.meta.variables[0].values[r].label.en);
      assert.equal(row.getCell(2).value, cube.meta.variables[1].values[k].label.en);
      for (let col = 0; col < 4; col++) {
        const c = col >> 1;
        const t = col & 1;
        const i = ((r * 2 + k) * 2 + c) * 2 + t;
        const cell = row.getCell(3 + col);
        if (cube.status![i]) assert.ok(SYMBOLS.includes(cell.value as string), `symbol text at ${i}`);
        else {
          assert.equal(typeof cell.value, 'number', `number at ${i}`);
          assert.ok(Math.abs((cell.value as number) - cube.values[i]) <= 0.5 * 10 ** -(c ? 2 : 0) + 1e-9);
          assert.equal(cell.numFmt, c ? '#,##0.00' : '#,##0');
        }
      }
    }
  }
  const texts: string[] = [];
  ws.eachRow((row, n) => {
    if (n > firstData + 5) texts.push(String(row.getCell(1).value ?? ''));
  });
  const notes = texts.join('\n');
  assert.ok(notes.includes('The figures are made up.'), 'table note');
  assert.ok(notes.includes('sex: Sex as registered'), 'variable note');
  assert.ok(notes.includes('region Oslo: Oslo is a county and a municipality'), 'value note');
  assert.ok(notes.includes('.. = Data not available'), 'symbol legend');
  assert.ok(notes.includes('- = Nil'));
  // v2 params: codes and no title
  const codes = new ExcelJS.Workbook();
  await codes.xlsx.load((await xlsxWorkbook(cube, { lang: 'en', labels: 'codes', includeTitle: false })) as unknown as ArrayBuffer);
  assert.equal(codes.worksheets[0].getCell('C1').value, 'Antall');
  assert.equal(codes.worksheets[0].getCell('A3').value, '0');
  const v1 = await xlsxSerializer.serialize(cube, { lang: 'en', api: 'v1' });
  assert.equal(v1.contentType, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; charset=Windows-1252');
});

test('parquet: long format, typed columns, read back with hyparquet', async () => {
  const cube = salesCube();
  const body = parquetTable(cube, { lang: 'en' });
  const ab = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  const meta = parquetMetadata(ab);
  const schema = Object.fromEntries(meta.schema.slice(1).map((s) => [s.name, s]));
  assert.deepEqual(Object.keys(schema), ['Region', 'Kjonn', 'ContentsCode', 'Tid', 'value', 'status']);
  assert.equal(schema.value.type, 'DOUBLE');
  assert.equal(schema.value.repetition_type, 'OPTIONAL');
  assert.equal(schema.Region.type, 'BYTE_ARRAY');
  assert.equal(schema.status.type, 'BYTE_ARRAY');
  const rows = (await parquetReadObjects({ file: ab })) as Record<string, unknown>[];
  assert.equal(rows.length, 24);
  const codes = cube.meta.variables.map((v) => v.values.map((x) => x.code));
  rows.forEach((row, i) => {
    let rest = i;
    const idx = [0, 0, 0, 0];
    for (let d = 3; d >= 0; d--) {
      idx[d] = rest % codes[d].length;
      rest = Math.floor(rest / codes[d].length);
    }
    assert.deepEqual([row.Region, row.Kjonn, row.ContentsCode, row.Tid], idx.map((x, d) => codes[d][x]));
    if (cube.status![i]) {
      assert.equal(row.value, null);
      assert.ok(SYMBOLS.includes(row.status as string));
    } else {
      assert.equal(row.status, null);
      assert.ok(Math.abs((row.value as number) - cube.values[i]) <= 0.5 * 10 ** -(idx[2] ? 2 : 0) + 1e-9);
    }
  });
  const texts = (await parquetReadObjects({ file: (parquetTable(cube, { lang: 'no', labels: 'texts' }).buffer as ArrayBuffer) })) as Record<string, unknown>[];
  assert.equal(texts[0].Kjonn, 'Kvinner');
});

test('parquet: DuckDB reads the file with the right types and sums', async (t) => {
  const cube = salesCube();
  await withParquetInDuckDb(t, parquetTable(cube, { lang: 'en' }), async (con, file) => {
    const types = await con.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`);
    assert.deepEqual(types.getRows(), [
      ['Region', 'VARCHAR'],
      ['Kjonn', 'VARCHAR'],
      ['ContentsCode', 'VARCHAR'],
      ['Tid', 'VARCHAR'],
      ['value', 'DOUBLE'],
      ['status', 'VARCHAR'],
    ]);
    const res = await con.runAndReadAll(`SELECT count(*)::INTEGER, count(value)::INTEGER, round(sum(value) FILTER (WHERE ContentsCode = 'Antall'))::BIGINT FROM read_parquet('${file}')`);
    // reference rounding to whole numbers, ties to even (the values are exact halves or integers)
    const halfEven = (x: number) => {
      const f = Math.floor(x);
      return x - f > 0.5 || (x - f === 0.5 && f % 2 !== 0) ? f + 1 : f;
    };
    let sum = 0;
    for (let i = 0; i < 24; i++) if (!cube.status![i] && ((i >> 1) & 1) === 0) sum += halfEven(cube.values[i]);
    const [[all, numbers, antall]] = res.getRows();
    assert.equal(all, 24);
    assert.equal(numbers, 21);
    assert.equal(Number(antall), sum);
  });
});
