// Streaming writers: the streamed bytes equal serialize() for every streaming format on several cubes, xlsx reads
// back (exceljs) equal to the exceljs-built workbook, a consumer that stops or an aborted signal stops the work, and
// XML output stays well-formed whatever the texts hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { Cube } from '../../src/core/model.js';
import { formatInfo, getSerializer, listFormats, streamBody, type Api } from '../../src/formats/registry.js';
import type { SerializeOptions } from '../../src/formats/serializer.js';
import { xlsxWorkbook } from '../../src/formats/xlsx.js';
import { plainCube, salesCube } from './cubes.js';
import { SCRIPTS, bigCube, scriptCube } from './streamCubes.js';
import { checkWellFormed } from './xmlCheck.js';

const PREPARED = new Date('2025-01-02T03:04:05Z');

function cubes(): [string, Cube][] {
  return [
    ['sales', salesCube()],
    ['plain', plainCube()],
    ['big', bigCube()],
    ['cyrillic in windows-1251', scriptCube(SCRIPTS[0].labels, 'windows-1251')],
    ['cyrillic in iso-8859-1 (fallback)', scriptCube(SCRIPTS[0].labels, 'iso-8859-1')],
    ['baltic', scriptCube(SCRIPTS[3].labels, 'windows-1257', 'Piezīme: ūdens')],
    ['control characters in a note', scriptCube(['A', 'B'], 'utf-8', 'bell \u0007 and \u001b escape, \ud800 lone')],
  ];
}

/** Streaming formats and the option sets to try them with. */
const CASES: [api: Api, id: string, options: Partial<SerializeOptions>][] = [
  ['v1', 'csv', {}],
  ['v1', 'csv2', {}],
  ['v1', 'csv3', {}],
  ['v1', 'csv2', { separator: 'semicolon', decimalComma: true }],
  ['v2', 'csv', {}],
  ['v2', 'csv', { labels: 'codesAndTexts', includeTitle: true, separator: 'tab' }],
  ['v1', 'sdmx', { prepared: PREPARED } as Partial<SerializeOptions>],
  ['v2', 'html', {}],
  ['v2', 'html', { labels: 'codes', includeTitle: false, newline: '\n' }],
  ['v2', 'px', {}],
  ['v1', 'px', {}],
  ['v1', 'json-stat2', {}],
  ['v2', 'json-stat2', {}],
];

async function streamed(api: Api, id: string, cube: Cube, options: SerializeOptions): Promise<{ bytes: Buffer; chunks: number; contentType: string }> {
  const s = getSerializer(id, api)!;
  const st = streamBody(s, cube, options);
  const parts: Buffer[] = [];
  for await (const c of st.chunks) parts.push(c);
  return { bytes: Buffer.concat(parts), chunks: parts.length, contentType: st.contentType };
}

test('every streaming format: streamed bytes equal serialize() bytes, same content type', async () => {
  for (const [name, cube] of cubes()) {
    for (const lang of cube.meta.languages) {
      for (const [api, id, extra] of CASES) {
        const options = { lang, ...extra } as SerializeOptions;
        const whole = await getSerializer(id, api)!.serialize(cube, options);
        const s = await streamed(api, id, cube, options);
        assert.ok(whole.body.equals(s.bytes), `${api} ${id} ${JSON.stringify(extra)} on ${name} (${lang})`);
        assert.equal(s.contentType, whole.contentType, `${api} ${id} on ${name}`);
        if (name === 'big') assert.ok(s.chunks >= 2, `${id} streams the big cube in chunks (${s.chunks})`);
      }
    }
  }
});

test('the registry marks the streaming formats', () => {
  for (const id of ['csv', 'csv2', 'csv3', 'sdmx', 'html', 'px', 'xlsx', 'json-stat2']) assert.equal(formatInfo(id)?.streaming, true, id);
  assert.equal(formatInfo('json-stat')?.streaming, false);
  assert.ok(listFormats().every((f) => f.streaming === (typeof f.serializer.stream === 'function')));
});

async function sheetCells(body: Buffer): Promise<Map<string, { value: unknown; numFmt: string | undefined }>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const out = new Map<string, { value: unknown; numFmt: string | undefined }>();
  assert.equal(wb.worksheets.length, 1);
  wb.worksheets[0].eachRow((row) =>
    row.eachCell((cell) => {
      const numFmt = typeof cell.value === 'number' ? cell.numFmt : undefined;
      out.set(cell.address, { value: cell.value, numFmt });
    }),
  );
  return out;
}

test('xlsx: the streamed workbook reads back (exceljs) equal to the exceljs-built one', async () => {
  const options: SerializeOptions[] = [{ lang: 'en' }, { lang: 'no', labels: 'codesAndTexts' }, { lang: 'en', labels: 'codes', includeTitle: false }];
  for (const [name, cube] of cubes()) {
    if (name === 'control characters in a note') continue; // exceljs writes such a note as it is (not XML)
    for (const o of options) {
      if (!cube.meta.languages.includes(o.lang)) continue;
      const s = await streamed('v2', 'xlsx', cube, o);
      assert.equal(s.bytes.subarray(0, 2).toString('latin1'), 'PK');
      const ours = await sheetCells(s.bytes);
      const ref = await sheetCells(await xlsxWorkbook(cube, o));
      assert.equal(ours.size, ref.size, `${name} ${JSON.stringify(o)}: cell count`);
      for (const [addr, cell] of ref) assert.deepEqual(ours.get(addr), cell, `${name} ${JSON.stringify(o)} ${addr}`);
    }
  }
});

test('xlsx with control characters in texts: every part is well-formed XML and the note reads back without them', async () => {
  const cube = scriptCube(['A', 'B'], 'utf-8', 'bell \u0007 end');
  const s = await streamed('v2', 'xlsx', cube, { lang: 'en' });
  const cells = await sheetCells(s.bytes);
  assert.ok([...cells.values()].some((c) => c.value === 'bell  end'));
});

test('sdmx: well-formed XML whatever the notes hold', async () => {
  for (const [name, cube] of cubes()) {
    const s = await streamed('v1', 'sdmx', cube, { lang: cube.meta.languages[0], prepared: PREPARED } as SerializeOptions);
    const n = checkWellFormed(s.bytes.toString('utf8'));
    assert.ok(n > 10, name);
  }
  assert.throws(() => checkWellFormed('<a>\u0007</a>'), /illegal character/);
  assert.throws(() => checkWellFormed('<a><b></a></b>'), /does not close/);
});

test('a consumer that stops after the first chunk stops the writer', async () => {
  for (const id of ['csv', 'html', 'px', 'xlsx']) {
    const cube = bigCube(200);
    let pulled = 0;
    const s = getSerializer(id, 'v2')!.stream!(cube, { lang: 'en' });
    for await (const c of s.chunks) {
      pulled += c.length;
      break;
    }
    const it = s.chunks[Symbol.asyncIterator]();
    assert.deepEqual(await it.next(), { value: undefined, done: true }, `${id}: closed after return()`);
    assert.ok(pulled > 0 && pulled < estimateLower(cube), `${id}: only the first chunk was written`);
  }
});

function estimateLower(cube: Cube): number {
  return cube.values.length * 2;
}

test('an aborted signal stops the stream with its reason', async () => {
  const cube = bigCube(200);
  const before = new AbortController();
  before.abort(new Error('gone'));
  await assert.rejects(async () => {
    for await (const _ of getSerializer('csv2', 'v1')!.stream!(cube, { lang: 'en', signal: before.signal }).chunks);
  }, /gone/);
  for (const [api, id] of [['v1', 'csv2'], ['v1', 'sdmx'], ['v2', 'xlsx'], ['v2', 'px'], ['v2', 'html']] as const) {
    const ac = new AbortController();
    let n = 0;
    await assert.rejects(async () => {
      for await (const _ of getSerializer(id, api)!.stream!(cube, { lang: 'en', signal: ac.signal }).chunks) {
        if (++n === 1) ac.abort(new Error('client left'));
      }
    }, /client left/, id);
    assert.equal(n, 1, `${id}: no chunk after the abort`);
  }
});

test('streamBody wraps a format without a stream as one chunk', async () => {
  const cube = salesCube();
  const ser = getSerializer('json-px', 'v2')!;
  assert.equal(ser.stream, undefined);
  const st = streamBody(ser, cube, { lang: 'en' });
  const parts: Buffer[] = [];
  for await (const c of st.chunks) parts.push(c);
  assert.equal(parts.length, 1);
  assert.ok(parts[0].equals((await ser.serialize(cube, { lang: 'en' })).body));
  assert.equal(st.extension, 'json');
});

test('json-stat2 streams in several chunks of bounded size whose concatenation is the whole document', async () => {
  const cube = bigCube();
  const s = getSerializer('json-stat2', 'v2')!.stream!(cube, { lang: cube.meta.languages[0] });
  const parts: Buffer[] = [];
  for await (const c of s.chunks) parts.push(c);
  assert.ok(parts.length > 2, `${parts.length} chunks`);
  assert.ok(parts.every((p) => p.length < 2 * 1024 * 1024), 'no chunk holds the whole document');
  const doc = JSON.parse(Buffer.concat(parts).toString('utf8'));
  assert.equal(doc.value.length, cube.values.length);
  assert.equal(s.contentType, 'application/json; charset=UTF-8');
});

test('xlsx data rows: only the first cell names its reference, and a reader still places every cell', async () => {
  const cube = salesCube();
  const { inflateRawSync } = await import('node:zlib');
  const body = (await getSerializer('xlsx', 'v2')!.serialize(cube, { lang: 'en' })).body;
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const sheet = inflateRawSync(body.subarray(body.indexOf(name) + name.length)).toString('utf8');
  const rows = [...sheet.matchAll(/<row r="(\d+)">(.*?)<\/row>/g)];
  const data = rows.filter((m) => /<c s="\d+"><v>/.test(m[2]));
  assert.ok(data.length > 0, 'data rows found');
  for (const m of data) {
    assert.equal([...m[2].matchAll(/<c r="/g)].length, 1, `row ${m[1]}: one reference`);
    assert.ok(m[2].startsWith(`<c r="A${m[1]}"`), `row ${m[1]} starts at column A`);
  }
  // exceljs puts the unreferenced cells in the following columns: the last column holds a number
  const cells = await sheetCells(body);
  const lastRow = data[data.length - 1][1];
  const nCells = [...data[data.length - 1][2].matchAll(/<c[ >]/g)].length;
  const lastCol = String.fromCharCode(64 + nCells);
  assert.ok(cells.has(`${lastCol}${lastRow}`), `cell ${lastCol}${lastRow} read back`);
});
