// Every v2 output format, fetched through the API and read back by an independent reader (jsonstat-toolkit,
// a CSV parser and a PX DATA reader written here, exceljs, hyparquet, a regex over the HTML, JSON.parse),
// with every number compared to the cube built in cubes.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import JSONstat from 'jsonstat-toolkit';
import ExcelJS from 'exceljs';
import { parquetReadObjects } from 'hyparquet';
import { cellAt, testServer, type TestServer } from './cubes.js';

let t: TestServer;
before(async () => {
  t = await testServer();
});
after(async () => {
  await t.app.close();
});

// 05810 with symbols in it: stub Kjonn, Alder; heading ContentsCode, Tid
const KJONN = ['2', '1'];
const ALDER = ['80+', '00-06', '16-44'];
const TID = ['2019', '2020', '2021'];
const QUERY = `valueCodes[Kjonn]=${KJONN.join(',')}&valueCodes[Alder]=${ALDER.map(encodeURIComponent).join(',')}&valueCodes[ContentsCode]=*&valueCodes[Tid]=${TID.join(',')}&stub=Kjonn,Alder&heading=ContentsCode,Tid`;

interface Cell {
  codes: Record<string, string>;
  value: number | undefined;
}
/** Cells in output order (stub-major, last heading variable fastest), values from the cube. */
function expected(): Cell[] {
  const out: Cell[] = [];
  for (const Kjonn of KJONN)
    for (const Alder of ALDER)
      for (const Tid of TID) {
        const codes = { Kjonn, Alder, ContentsCode: 'Personer', Tid };
        out.push({ codes, value: cellAt(t.cubes['05810'], codes) });
      }
  return out;
}
const SYMBOLS = new Set(['..', '-']);

async function fetchFormat(format: string, extra = '', lang = 'en') {
  const r = await t.app.inject({ method: 'GET', url: `/api/v2/tables/05810/data?lang=${lang}&outputFormat=${format}&${QUERY}${extra}` });
  assert.equal(r.statusCode, 200, `${format}: ${r.body.slice(0, 300)}`);
  return r;
}

/** Compare a flat read-back sequence (numbers; symbol cells as their symbol text) with the cube. */
function assertSequence(got: (number | string | null)[], what: string) {
  const want = expected();
  assert.equal(got.length, want.length, `${what}: number of cells`);
  want.forEach((c, i) => {
    if (c.value === undefined) assert.ok(typeof got[i] === 'string' && SYMBOLS.has(got[i] as string), `${what} cell ${i} should be a symbol, got ${got[i]}`);
    else assert.equal(got[i], c.value, `${what} cell ${i} ${JSON.stringify(c.codes)}`);
  });
  assert.ok(want.some((c) => c.value === undefined), 'the selection includes symbol cells');
}

test('json-stat2 via jsonstat-toolkit', async () => {
  const r = await fetchFormat('json-stat2');
  assert.equal(r.headers['content-disposition'], 'inline; filename="05810.json"');
  const ds = JSONstat(JSON.parse(r.body));
  assert.deepEqual(ds.id, ['Kjonn', 'Alder', 'ContentsCode', 'Tid']);
  for (const c of expected()) {
    const d = ds.Data(c.codes) as { value: number | null; status: string | null };
    if (c.value === undefined) {
      assert.equal(d.value, null);
      assert.ok(SYMBOLS.has(String(d.status)));
    } else assert.equal(d.value, c.value, JSON.stringify(c.codes));
  }
});

/** RFC 4180-ish CSV reader (quotes, doubled quotes, any one-character separator, CRLF or LF). */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) row.push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += c;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

test('csv (default, semicolon + codes and texts + title) via a CSV parser', async () => {
  for (const [extra, sep, title] of [
    ['', ',', false],
    ['&outputFormatParams=SeparatorSemicolon,UseCodesAndTexts&outputFormatParams=includetitle', ';', true],
    ['&outputFormatParams=separatortab', '\t', false],
  ] as const) {
    const r = await fetchFormat('csv', extra);
    assert.match(String(r.headers['content-type']), /^text\/csv; charset=/);
    assert.equal(r.headers['content-disposition'], 'inline; filename="05810.csv"');
    const rows = parseCsv(r.rawPayload.toString('latin1'), sep).filter((x) => x.length > 1 || x[0] !== '');
    const body = title ? rows.slice(1) : rows;
    if (title) assert.equal(rows[0].length, 1);
    const [header, ...data] = body;
    assert.equal(header.length, 2 + TID.length);
    // heading columns name ContentsCode + Tid values; rows start with the stub values
    header.slice(2).forEach((h, k) => assert.ok(h.includes(TID[k]), `column ${h}`));
    data.forEach((row, r2) => {
      assert.ok(row[0].startsWith(KJONN[Math.floor(r2 / ALDER.length)]), `row ${r2}: ${row[0]}`);
      assert.ok(row[1].startsWith(ALDER[r2 % ALDER.length]), `row ${r2}: ${row[1]}`);
    });
    assertSequence(
      data.flatMap((row) => row.slice(2).map((s) => (SYMBOLS.has(s) ? s : Number(s)))),
      `csv ${extra}`,
    );
  }
});

test('xlsx via exceljs', async () => {
  const r = await fetchFormat('xlsx', '&outputFormatParams=UseCodes');
  assert.equal(r.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(r.headers['content-disposition'], 'inline; filename="05810.xlsx"');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const cells: (number | string | null)[] = [];
  ws.eachRow((row) => {
    const first = row.getCell(3).value; // data starts after the two stub columns
    if (typeof first !== 'number' && !(typeof first === 'string' && SYMBOLS.has(first))) return;
    for (let c = 3; c < 3 + TID.length; c++) {
      const v = row.getCell(c).value;
      cells.push(typeof v === 'number' || typeof v === 'string' ? v : null);
    }
  });
  assertSequence(cells, 'xlsx');
});

test('html via its <td> cells', async () => {
  const r = await fetchFormat('html');
  assert.match(String(r.headers['content-type']), /^text\/html/);
  const html = r.rawPayload.toString('latin1');
  const tds = [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1].trim());
  // English separators: "," thousands, "." decimals
  assertSequence(
    tds.map((s) => (SYMBOLS.has(s) ? s : Number(s.replace(/,/g, '')))),
    'html',
  );
});

test('px via a DATA reader written here', async () => {
  const r = await fetchFormat('px');
  assert.equal(r.headers['content-disposition'], 'inline; filename="05810.px"');
  const text = r.rawPayload.toString('latin1');
  assert.match(text, /STUB="gender","age";\r?\nHEADING="contents","year";/);
  const data = text.slice(text.indexOf('DATA=') + 5, text.lastIndexOf(';'));
  const tokens = data.match(/"[^"]*"|[^\s;]+/g) ?? [];
  assertSequence(
    tokens.map((tok) => (tok.startsWith('"') ? tok.slice(1, -1) : Number(tok))),
    'px',
  );
  // the value order of the request reaches the file
  assert.match(text, /VALUES\("[^"]*"\)="80\+ years","00-06 years","16-44 years";|CODES\("[^"]*"\)="80\+","00-06","16-44";/);
});

test('json-px via JSON.parse', async () => {
  const r = await fetchFormat('json-px');
  assert.match(String(r.headers['content-type']), /^application\/json/);
  const doc = JSON.parse(r.body) as { columns: { code: string; type: string }[]; data: { key: string[]; values: string[] }[] };
  const keyCols = doc.columns.filter((c) => c.type !== 'c').map((c) => c.code);
  const got = new Map<string, string>();
  for (const d of doc.data) {
    const codes = Object.fromEntries(keyCols.map((c, i) => [c, d.key[i]]));
    got.set(JSON.stringify([codes.Kjonn, codes.Alder, codes.Tid]), d.values[0]);
  }
  assertSequence(
    expected().map((c) => {
      const s = got.get(JSON.stringify([c.codes.Kjonn, c.codes.Alder, c.codes.Tid]));
      return s === undefined ? null : SYMBOLS.has(s) ? s : Number(s);
    }),
    'json-px',
  );
});

test('parquet via hyparquet', async () => {
  const r = await fetchFormat('parquet');
  assert.equal(r.headers['content-type'], 'application/octet-stream');
  assert.equal(r.headers['content-disposition'], 'inline; filename="05810.parquet"');
  const buf = r.rawPayload;
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  assertSequence(
    rows.map((row, i) => {
      const c = expected()[i].codes;
      assert.deepEqual([row.Kjonn, row.Alder, row.ContentsCode, row.Tid], [c.Kjonn, c.Alder, c.ContentsCode, c.Tid], `row ${i}`);
      return row.value === null || row.value === undefined ? (row.status as string) : Number(row.value);
    }),
    'parquet',
  );
});

test('03024 prices keep two decimals through csv and json-stat2', async () => {
  const q = 'valueCodes[VareGrupper2]=*&valueCodes[ContentsCode]=Kilopris&valueCodes[Tid]=*&stub=Tid&heading=VareGrupper2,ContentsCode';
  const csv = await t.app.inject({ url: `/api/v2/tables/03024/data?lang=en&outputFormat=csv&${q}` });
  const js = await t.app.inject({ url: `/api/v2/tables/03024/data?lang=en&${q}` });
  const rows = parseCsv(csv.body, ',').filter((x) => x.length > 1);
  const ds = JSONstat(JSON.parse(js.body));
  const weeks = t.cubes['03024'].meta.variables[2].values.map((v) => v.code);
  rows.slice(1).forEach((row, i) => {
    ['01', '02'].forEach((g, k) => {
      const want = cellAt(t.cubes['03024'], { VareGrupper2: g, ContentsCode: 'Kilopris', Tid: weeks[i] })!;
      assert.equal(row[1 + k], want.toFixed(2));
      assert.equal((ds.Data({ VareGrupper2: g, ContentsCode: 'Kilopris', Tid: weeks[i] }) as { value: number }).value, want);
    });
  });
});
