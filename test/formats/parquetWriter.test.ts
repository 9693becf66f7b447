// The Parquet writer (src/formats/parquetWriter.ts) and the cube -> Parquet mapping (src/formats/parquet.ts):
// the RLE/bit-packing hybrid checked against a decoder written here from the format description, and whole files
// read back by hyparquet and DuckDB and compared with a brute-force walk over the cube.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { Status, type Cube, type TableMeta, type Variable } from '../../src/core/model.js';
import { formatFixed } from '../../src/formats/numberFormat.js';
import { parquetTable } from '../../src/formats/parquet.js';
import { HybridEncoder, bitWidthFor, writeParquet } from '../../src/formats/parquetWriter.js';
import { withParquetInDuckDb } from './duckdb.js';

/** Decode `count` values of the RLE / bit-packed hybrid (no length prefix). */
function decodeHybrid(bytes: Uint8Array, bitWidth: number, count: number): number[] {
  const out: number[] = [];
  let at = 0;
  const varint = () => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = bytes[at++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 128;
    }
  };
  while (out.length < count) {
    assert.ok(at < bytes.length, 'encoded data ends before every value was read');
    const header = varint();
    if (header % 2 === 0) {
      const len = header / 2;
      let v = 0;
      for (let b = 0; b < Math.ceil(bitWidth / 8); b++) v += bytes[at++] * 256 ** b;
      for (let i = 0; i < len; i++) out.push(v);
    } else {
      const values = ((header - 1) / 2) * 8;
      let bit = 0;
      const start = at;
      for (let i = 0; i < values; i++) {
        let v = 0;
        for (let k = 0; k < bitWidth; k++, bit++) if (bytes[start + (bit >> 3)] & (1 << (bit & 7))) v |= 1 << k;
        out.push(v);
      }
      at = start + Math.ceil((values * bitWidth) / 8);
    }
  }
  return out.slice(0, count);
}

test('hybrid encoder: runs of every length, literal blocks past 512 values, wide values', () => {
  let seed = 7;
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  for (const width of [1, 3, 8, 9, 17, 24]) {
    const enc = new HybridEncoder(width);
    const want: number[] = [];
    for (let r = 0; r < 600; r++) {
      // mostly short runs (bit-packed), some long ones (RLE), in any alignment
      const len = rnd(10) < 7 ? 1 + rnd(5) : 8 + rnd(40);
      const v = rnd(2 ** width);
      enc.run(v, len);
      for (let i = 0; i < len; i++) want.push(v);
    }
    enc.run(5 % 2 ** width, 0); // an empty run is ignored
    assert.deepEqual(decodeHybrid(enc.finish(), width, want.length), want, `bit width ${width}`);
  }
  // 2000 single values in a row: several literal runs
  const enc = new HybridEncoder(2);
  const want = Array.from({ length: 2000 }, (_, i) => i % 4);
  for (const v of want) enc.run(v, 1);
  assert.deepEqual(decodeHybrid(enc.finish(), 2, want.length), want);
  assert.equal(bitWidthFor(1), 1);
  assert.equal(bitWidthFor(2), 1);
  assert.equal(bitWidthFor(3), 2);
  assert.equal(bitWidthFor(256), 8);
  assert.equal(bitWidthFor(257), 9);
  assert.equal(bitWidthFor(2 ** 24), 24);
  assert.throws(() => bitWidthFor(2 ** 24 + 1), /too large/);
  assert.throws(() => new HybridEncoder(0));
});

function variable(code: string, n: number, extra: Partial<Variable> = {}): Variable {
  return {
    code,
    label: { en: code.toLowerCase() },
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: `${code}-${i}`, label: { en: `${code} number ${i} æ` } })),
    ...extra,
  };
}

/** 3 x 300 x 1 x 2 x 7 cells, two contents with different decimals, symbol cells in runs and alone. */
function wideCube(): Cube {
  const variables = [
    variable('Region', 3),
    variable('Age', 300),
    variable('value', 1), // collides with the value column: renamed value_
    variable('ContentsCode', 2, { role: 'contents' }),
    variable('Tid', 7, { role: 'time' }),
  ];
  const meta: TableMeta = {
    id: 'PQ1',
    title: { en: 'Parquet test' },
    contents: { en: 'Parquet test,' },
    languages: ['en'],
    defaultLanguage: 'en',
    variables,
    stub: ['Region', 'Age', 'value'],
    heading: ['ContentsCode', 'Tid'],
    decimals: 2,
    contentInfo: { 'ContentsCode-0': { unit: { en: 'n' }, decimals: 0 }, 'ContentsCode-1': { unit: { en: '%' }, decimals: 2 } },
    symbols: { [Status.Dot3]: { en: ':' } },
  };
  const n = 3 * 300 * 2 * 7;
  const values = new Float64Array(n);
  const status = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    values[i] = ((i * 7919) % 100003) / 8 - 1000;
    if ((i >= 100 && i < 160) || i % 97 === 3) {
      status[i] = i % 2 ? Status.Dot3 : Status.Nil;
      values[i] = 0;
    }
  }
  return { meta, values, status };
}

function expectedRows(cube: Cube): Record<string, unknown>[] {
  const vars = cube.meta.variables;
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < cube.values.length; i++) {
    const row: Record<string, unknown> = {};
    let rest = i;
    const idx = new Array<number>(vars.length);
    for (let d = vars.length - 1; d >= 0; d--) {
      idx[d] = rest % vars[d].values.length;
      rest = Math.floor(rest / vars[d].values.length);
    }
    vars.forEach((v, d) => (row[v.code === 'value' ? 'value_' : v.code] = v.values[idx[d]].code));
    const s = cube.status?.[i] ?? 0;
    const contents = vars.findIndex((v) => v.role === 'contents');
    const dec = contents >= 0 ? cube.meta.contentInfo![vars[contents].values[idx[contents]].code].decimals : cube.meta.decimals;
    row.value = s ? null : Number(formatFixed(cube.values[i], dec));
    row.status = s ? (s === Status.Dot3 ? ':' : s === Status.Nil ? '-' : '..') : null;
    rows.push(row);
  }
  return rows;
}

const fileOf = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

test('parquet: every row, null and rounded value read back by hyparquet', async () => {
  const cube = wideCube();
  const body = parquetTable(cube, { lang: 'en' });
  assert.equal(body.byteOffset, 0);
  assert.equal(body.buffer.byteLength, body.length, 'the Buffer spans its whole ArrayBuffer');
  const meta = parquetMetadata(fileOf(body));
  assert.equal(Number(meta.num_rows), cube.values.length);
  assert.deepEqual(meta.key_value_metadata, [{ key: 'tableid', value: 'PQ1' }]);
  const names = meta.schema.slice(1).map((s) => `${s.name}:${s.type}:${s.repetition_type}`);
  assert.deepEqual(names, [
    'Region:BYTE_ARRAY:REQUIRED',
    'Age:BYTE_ARRAY:REQUIRED',
    'value_:BYTE_ARRAY:REQUIRED',
    'ContentsCode:BYTE_ARRAY:REQUIRED',
    'Tid:BYTE_ARRAY:REQUIRED',
    'value:DOUBLE:OPTIONAL',
    'status:BYTE_ARRAY:OPTIONAL',
  ]);
  const rows = (await parquetReadObjects({ file: fileOf(body) })) as Record<string, unknown>[];
  assert.deepEqual(rows, expectedRows(cube));
  // labels instead of codes, non-ASCII text survives as UTF-8
  const texts = (await parquetReadObjects({ file: fileOf(parquetTable(cube, { lang: 'en', labels: 'texts' })) })) as Record<string, unknown>[];
  assert.equal(texts[7 * 2 * 5].Age, 'Age number 5 æ');
});

test('parquet: no symbols, only symbols, and an empty result', async () => {
  const cube = wideCube();
  const plain = { ...cube, status: null };
  assert.deepEqual(await parquetReadObjects({ file: fileOf(parquetTable(plain, { lang: 'en' })) }), expectedRows(plain));
  const dots = { ...cube, values: new Float64Array(cube.values.length), status: new Uint8Array(cube.values.length).fill(Status.Dot2) };
  const rows = (await parquetReadObjects({ file: fileOf(parquetTable(dots, { lang: 'en' })) })) as Record<string, unknown>[];
  assert.ok(rows.every((r) => r.value === null && r.status === '..'));
  const empty = { meta: { ...cube.meta, variables: cube.meta.variables.map((v, d) => (d === 1 ? { ...v, values: [] } : v)) }, values: new Float64Array(0), status: null };
  const body = parquetTable(empty, { lang: 'en' });
  assert.equal(Number(parquetMetadata(fileOf(body)).num_rows), 0);
  assert.deepEqual(await parquetReadObjects({ file: fileOf(body) }), []);
});

test('parquet writer: duplicate column names are refused', () => {
  const col = { kind: 'string' as const, name: 'a', nonNull: 0, writeDefined: () => {}, plain: new Uint8Array(0) };
  assert.throws(() => writeParquet([col, col], 0), /duplicate column name/);
});

test('parquet: DuckDB reads types, nulls, values and sums of a multi-page-sized file', async (t) => {
  const cube = wideCube();
  await withParquetInDuckDb(t, parquetTable(cube, { lang: 'en' }), async (con, file) => {
    const types = await con.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`);
    assert.deepEqual(types.getRows(), [
      ['Region', 'VARCHAR'],
      ['Age', 'VARCHAR'],
      ['value_', 'VARCHAR'],
      ['ContentsCode', 'VARCHAR'],
      ['Tid', 'VARCHAR'],
      ['value', 'DOUBLE'],
      ['status', 'VARCHAR'],
    ]);
    const want = expectedRows(cube);
    const got = await con.runAndReadAll(`SELECT Region, Age, value_, ContentsCode, Tid, value, status FROM read_parquet('${file}')`);
    const rows = got.getRows();
    assert.equal(rows.length, want.length);
    rows.forEach((r, i) => {
      const w = want[i];
      assert.deepEqual(r, [w.Region, w.Age, w.value_, w.ContentsCode, w.Tid, w.value, w.status], `row ${i}`);
    });
    const agg = await con.runAndReadAll(
      `SELECT count(*)::INTEGER, count(value)::INTEGER, count(status)::INTEGER, count(DISTINCT Age)::INTEGER FROM read_parquet('${file}')`,
    );
    const numbers = want.filter((w) => w.value !== null).length;
    assert.deepEqual(agg.getRows()[0], [want.length, numbers, want.length - numbers, 300]);
  });
});
