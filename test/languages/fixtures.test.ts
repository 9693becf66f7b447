// Every language and codepage, end to end: every PX fixture under ../shared/fixtures/px, plus small PX files made
// here in other codepages (windows-1251 Ukrainian, windows-1257 Latvian/Lithuanian, iso-8859-1 Icelandic, UTF-8
// Greenlandic/Danish), imported with the PX reader into a memory store and served by the real app. In EVERY language
// a table carries: metadata through v1 and v2, and a data request in every v1 and v2 format, whose bytes are decoded
// with the charset the Content-Type header names; labels must equal the file's labels, numbers the file's numbers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { parquetReadObjects } from 'hyparquet';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { Status, text, type Cube, type Texts } from '../../src/core/model.js';
import { findCodepage } from '../../src/formats/codepages.js';
import { cubeCodepage } from '../../src/formats/encoding.js';
import { readPxFile, readPxSync } from '../../src/formats/px/reader.js';
import { formatIds } from '../../src/formats/registry.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const DIR = join(SHARED, 'fixtures/px');
const HAVE_SHARED = existsSync(DIR);
const FILES = HAVE_SHARED ? readdirSync(DIR).filter((f) => /\.px$/i.test(f)).sort() : [];

// ---------------------------------------------------------------------------------------------------------------
// PX files in other codepages, written here

interface Made {
  id: string;
  codepage: string;
  langs: string[];
  /** Per language: contents, [variable name, value labels][] (stub then heading). */
  texts: Record<string, { contents: string; vars: [string, string[]][]; note?: string }>;
  codes: string[][];
  data: string;
  decimals?: number;
}

const MADE: Made[] = [
  {
    id: 'LANG_UK_1251',
    codepage: 'windows-1251',
    langs: ['uk', 'en'],
    texts: {
      uk: { contents: 'Населення', vars: [['регіон', ['Київ', 'Львів', 'Харків']], ['стать', ['Чоловіки', 'Жінки']], ['рік', ['2023', '2024']]], note: 'Дані на 1 січня## Оцінка' },
      en: { contents: 'Population', vars: [['region', ['Kyiv', 'Lviv', 'Kharkiv']], ['sex', ['Men', 'Women']], ['year', ['2023', '2024']]] },
    },
    codes: [['K', 'L', 'H'], ['1', '2'], ['2023', '2024']],
    data: '1 2 3 4\n5 6 7 8\n9 ".." 11 12',
  },
  {
    id: 'LANG_BALTIC_1257',
    codepage: 'windows-1257',
    langs: ['lv', 'lt'],
    texts: {
      lv: { contents: 'Iedzīvotāji', vars: [['reģions', ['Rīga', 'Daugavpils', 'Liepāja']], ['gads', ['2024', '2025']]] },
      lt: { contents: 'Gyventojai', vars: [['regionas', ['Vilnius', 'Kaunas', 'Šiauliai']], ['metai', ['2024', '2025']]] },
    },
    codes: [['R1', 'R2', 'R3'], ['2024', '2025']],
    data: '1.5 2.25\n-3 "-"\n1000000 0.1',
    decimals: 2,
  },
  {
    id: 'LANG_IS_LATIN1',
    codepage: 'iso-8859-1',
    langs: ['is', 'en'],
    texts: {
      is: { contents: 'Mannfjöldi', vars: [['sveitarfélag', ['Reykjavík', 'Akureyri', 'Ísafjörður']], ['kyn', ['Karlar', 'Konur']], ['ár', ['2024']]] },
      en: { contents: 'Population', vars: [['municipality', ['Reykjavík', 'Akureyri', 'Ísafjörður']], ['sex', ['Males', 'Females']], ['year', ['2024']]] },
    },
    codes: [['0000', '6000', '4200'], ['1', '2'], ['2024']],
    data: '68000 69000\n9500 9600\n1300 1250',
  },
  {
    id: 'LANG_KL_UTF8',
    codepage: 'utf-8',
    langs: ['kl', 'da'],
    texts: {
      kl: { contents: 'Innuttaasut', vars: [['illoqarfik', ['Nuuk', 'Sisimiut', 'Qaqortoq', 'Kangerluarsoruseĸ']], ['ukioq', ['2024', '2025']]] },
      da: { contents: 'Befolkning', vars: [['by', ['Nuuk', 'Sisimiut', 'Qaqortoq', 'Færingehavn']], ['år', ['2024', '2025']]] },
    },
    codes: [['N', 'S', 'Q', 'F'], ['2024', '2025']],
    data: '19000 19500\n5500 5400\n3000 2900\n"..." 0',
  },
];

function madePx(m: Made): Buffer {
  const [def, ...others] = m.langs;
  const q = (s: string) => `"${s}"`;
  const list = (xs: string[]) => xs.map(q).join(',');
  const nVars = m.codes.length;
  const lines = [
    'CHARSET="ANSI";',
    'AXIS-VERSION="2013";',
    `CODEPAGE="${m.codepage}";`,
    `LANGUAGE="${def}";`,
    `LANGUAGES=${list(m.langs)};`,
    `DECIMALS=${m.decimals ?? 0};`,
    `MATRIX="${m.id}";`,
    'SUBJECT-CODE="be";',
    'SUBJECT-AREA="Population";',
  ];
  for (const l of m.langs) {
    const t = m.texts[l];
    const s = l === def ? '' : `[${l}]`;
    const names = t.vars.map((v) => v[0]);
    lines.push(`CONTENTS${s}=${q(t.contents)};`, `UNITS${s}="n";`, `TITLE${s}=${q(t.contents + ' ' + names.join(', '))};`);
    lines.push(`STUB${s}=${list(names.slice(0, nVars - 1))};`, `HEADING${s}=${q(names[nVars - 1])};`);
    t.vars.forEach(([name, labels]) => lines.push(`VALUES${s}(${q(name)})=${list(labels)};`));
    if (t.note) lines.push(`NOTE${s}=${q(t.note)};`);
  }
  for (const l of others) void l;
  m.texts[def].vars.forEach(([name], i) => lines.push(`CODES(${q(name)})=${list(m.codes[i])};`));
  lines.push('DATA=', m.data + ';', '');
  const body = lines.join('\r\n');
  return m.codepage === 'utf-8' ? Buffer.from(body, 'utf8') : findCodepage(m.codepage)!.encode(body);
}

// ---------------------------------------------------------------------------------------------------------------

let app: FastifyInstance;
const cubes = new Map<string, Cube>();

before(async () => {
  const store = createMemoryStore();
  for (const f of FILES) {
    const id = f.replace(/\.px$/i, '');
    const { cube } = await readPxFile(join(DIR, f), { id });
    store.putTable(cube);
    cubes.set(id, await store.getCube(id));
  }
  for (const m of MADE) {
    const { cube } = readPxSync(madePx(m), { id: m.id });
    store.putTable(cube);
    cubes.set(m.id, await store.getCube(m.id));
  }
  // languages: served from the data (no configured list)
  app = await buildApp({ store, config: loadConfig({ maxCalls: 0, maxCells: 10_000_000 }, {}) }, { logger: false });
});
after(() => app?.close());

/** A format's bytes as text, decoded with the charset its Content-Type names (JSON: UTF-8). */
function decode(body: Buffer, contentType: string): string {
  const charset = /;\s*charset=([^;\s]+)/i.exec(contentType)?.[1]?.toLowerCase() ?? 'utf-8';
  // Node's TextDecoder reads windows-1252 as Latin-1: use the codepage table for it
  if (charset === 'windows-1252') return findCodepage('windows-1252')!.decode(body).replace(/^\ufeff/, '');
  return new TextDecoder(charset).decode(body);
}

function label(t: Texts | undefined, lang: string, cube: Cube): string {
  return text(t, lang, cube.meta.defaultLanguage);
}

function unescapeMarkup(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** The selection: the first two values of every variable. */
function picks(cube: Cube): number[][] {
  return cube.meta.variables.map((v) => v.values.slice(0, 2).map((_, i) => i));
}

interface Expected {
  /** Numbers of the selected cells (status Value), and nils. */
  numbers: number[];
  nils: number;
  byCodes: Map<string, { status: number; value: number }>;
  tol: number;
}

function expected(cube: Cube, sel: number[][]): Expected {
  const vars = cube.meta.variables;
  const strides = vars.map((_, d) => vars.slice(d + 1).reduce((a, v) => a * v.values.length, 1));
  const numbers: number[] = [];
  const byCodes = new Map<string, { status: number; value: number }>();
  let nils = 0;
  const walk = (d: number, at: number, codes: string[]) => {
    if (d === vars.length) {
      const status = cube.status ? cube.status[at] : 0;
      const value = cube.values[at];
      byCodes.set(codes.join('\u0000'), { status, value });
      if (status === Status.Value) numbers.push(value);
      else if (status === Status.Nil) nils++;
      return;
    }
    for (const i of sel[d]) walk(d + 1, at + i * strides[d], [...codes, vars[d].values[i].code]);
  };
  walk(0, 0, []);
  const ds = [cube.meta.decimals, ...(cube.meta.showDecimals !== undefined ? [cube.meta.showDecimals] : []), ...Object.values(cube.meta.contentInfo ?? {}).map((x) => x.decimals ?? 0)];
  const tol = 0.5 * 10 ** -Math.max(0, Math.min(...ds)) + 1e-9;
  return { numbers, nils, byCodes, tol };
}

/** Two multisets of numbers equal within `tol` (sorted, pairwise). */
function sameNumbers(got: number[], want: number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: ${got.length} numbers, expected ${want.length}`);
  const a = [...got].sort((x, y) => x - y);
  const b = [...want].sort((x, y) => x - y);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i]) * 1e-12 + 1), `${what}: ${a[i]} vs ${b[i]}`);
}

/** RFC 4180 fields of a CSV text; `quoted` tells which were quoted. */
function csvRows(s: string, sep: string): { v: string; quoted: boolean }[][] {
  const rows: { v: string; quoted: boolean }[][] = [];
  let row: { v: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < s.length) {
    let v = '';
    let quoted = false;
    if (s[i] === '"') {
      quoted = true;
      i++;
      for (;;) {
        if (s[i] === '"' && s[i + 1] === '"') (v += '"'), (i += 2);
        else if (s[i] === '"') {
          i++;
          break;
        } else v += s[i++];
      }
    }
    while (i < s.length && s[i] !== sep && s[i] !== '\r' && s[i] !== '\n') v += s[i++];
    row.push({ v, quoted });
    if (s[i] === sep) i++;
    else {
      if (s[i] === '\r') i++;
      if (s[i] === '\n') i++;
      rows.push(row);
      row = [];
    }
  }
  if (row.length) rows.push(row);
  return rows;
}

function csvNumbers(s: string, sep = ','): number[] {
  const out: number[] = [];
  for (const row of csvRows(s, sep)) for (const f of row) if (!f.quoted && f.v.trim() !== '' && Number.isFinite(Number(f.v))) out.push(Number(f.v));
  return out;
}

/** Check JSON-stat 2.0 cells against the cube by codes, and its labels. */
function checkJsonStat2(doc: any, cube: Cube, lang: string, exp: Expected, what: string): void {
  const ids: string[] = doc.id;
  const codes = ids.map((d) => Object.entries(doc.dimension[d].category.index as Record<string, number>).sort((a, b) => a[1] - b[1]).map((e) => e[0]));
  const order = cube.meta.variables.map((v) => ids.indexOf(v.code));
  assert.ok(order.every((i) => i >= 0), `${what}: every variable is a dimension`);
  for (const v of cube.meta.variables) {
    assert.equal(doc.dimension[v.code].label, label(v.label, lang, cube), `${what}: name of ${v.code}`);
    for (const x of v.values.slice(0, 2)) assert.equal(doc.dimension[v.code].category.label[x.code], label(x.label, lang, cube), `${what}: label of ${v.code}=${x.code}`);
  }
  const sizes: number[] = doc.size;
  const n = sizes.reduce((a, b) => a * b, 1);
  const counter = new Array(ids.length).fill(0);
  for (let k = 0; k < n; k++) {
    const key = order.map((d) => codes[d][counter[d]]).join('\u0000');
    const want = exp.byCodes.get(key);
    assert.ok(want, `${what}: cell ${key}`);
    const got = doc.value[k];
    if (want.status === Status.Value) assert.ok(got !== null && Math.abs(got - want.value) <= exp.tol, `${what}: cell ${key} ${got} vs ${want.value}`);
    else assert.ok(got === null || (want.status === Status.Nil && got === 0), `${what}: cell ${key} is a symbol, got ${got}`);
    for (let d = ids.length - 1; d >= 0; d--) {
      if (++counter[d] < sizes[d]) break;
      counter[d] = 0;
    }
  }
}

const V1 = formatIds('v1');
const V2 = formatIds('v2');
/** Formats whose bytes are text in a codepage and name it. */
const CODEPAGE_TEXT = new Set(['csv', 'csv2', 'csv3', 'px', 'html']);

/** Problems found, split by where they come from. */
/** Data answers checked so far (so a test cannot pass by checking nothing). */
let checkedAnswers = 0;

interface Problems {
  /** The v1 API answers with a fixed `charset=Windows-1252` (src/api/v1/routes.ts uses V1_CONTENT_TYPES). */
  v1Charset: string[];
  other: string[];
}

/** Charset names that mean the same bytes for our texts (Latin-1 text named Windows-1252, as PxWeb v1 does). */
function sameCharset(a: string, b: string): boolean {
  const n = (x: string) => (['windows-1252', 'iso-8859-1', 'us-ascii'].includes(x.toLowerCase()) ? 'latin' : x.toLowerCase());
  return n(a) === n(b);
}

async function checkTable(id: string, cube: Cube): Promise<Problems> {
  const problems: Problems = { v1Charset: [], other: [] };
  // the codepage the text formats are written in: the table's, else UTF-8 when it cannot hold the texts
  const written = cubeCodepage(cube.meta).name;
  const fileHasReplacement = JSON.stringify(cube.meta).includes('\ufffd');
  const sel = picks(cube);
  const exp = expected(cube, sel);
  for (const lang of cube.meta.languages) {
    const L = (t: Texts | undefined) => label(t, lang, cube);
    const names = cube.meta.variables.map((v) => L(v.label));
    const valueLabels = cube.meta.variables.flatMap((v, d) => sel[d].map((i) => L(v.values[i].label)));
    // what a table shows for a value: its label, or per PRESTEXT its code, "code label" or "label code" (a time
    // variable without PRESTEXT shows its code, as PxWeb does)
    const shown = cube.meta.variables.flatMap((v, d) =>
      sel[d].map((i) => {
        const x = v.values[i];
        const l = L(x.label);
        const p = v.presentation ?? (v.role === 'time' ? 'code' : 'value');
        return [l, p === 'code' ? x.code : p === 'code_value' ? `${x.code} ${l}` : p === 'value_code' ? `${l} ${x.code}` : l];
      }),
    );
    const hasShown = (has: (t: string) => boolean, what: string) => {
      for (const alts of shown) assert.ok(alts.some(has), `${what}: label ${JSON.stringify(alts[0])}`);
    };

    // metadata, v1
    const m1 = await app.inject({ method: 'GET', url: `/api/v0/${lang}/table/${encodeURIComponent(id)}` });
    assert.equal(m1.statusCode, 200, `${id} v1 metadata ${lang}: ${m1.body.slice(0, 200)}`);
    const md1 = JSON.parse(m1.body);
    assert.deepEqual(md1.variables.map((v: any) => v.text), names, `${id} v1 metadata ${lang}: variable names`);
    md1.variables.forEach((v: any, d: number) =>
      assert.deepEqual(v.valueTexts, cube.meta.variables[d].values.map((x) => L(x.label)), `${id} v1 metadata ${lang}: values of ${v.code}`),
    );
    // metadata, v2
    const m2 = await app.inject({ method: 'GET', url: `/api/v2/tables/${encodeURIComponent(id)}/metadata?lang=${lang}` });
    assert.equal(m2.statusCode, 200, `${id} v2 metadata ${lang}: ${m2.body.slice(0, 200)}`);
    const md2 = JSON.parse(m2.body);
    assert.equal(md2.extension.px.language, lang, `${id} v2 metadata ${lang}: language`);
    for (const v of cube.meta.variables) {
      assert.equal(md2.dimension[v.code].label, L(v.label), `${id} v2 metadata ${lang}: name of ${v.code}`);
      for (const x of v.values) assert.equal(md2.dimension[v.code].category.label[x.code], L(x.label), `${id} v2 metadata ${lang}: ${v.code}=${x.code}`);
    }

    const v1Body = (format: string) =>
      JSON.stringify({ query: cube.meta.variables.map((v, d) => ({ code: v.code, selection: { filter: 'item', values: sel[d].map((i) => v.values[i].code) } })), response: { format } });
    const v2Body = JSON.stringify({ selection: cube.meta.variables.map((v, d) => ({ variableCode: v.code, valueCodes: sel[d].map((i) => v.values[i].code) })) });

    const requests: [api: 'v1' | 'v2', format: string, send: () => ReturnType<FastifyInstance['inject']>][] = [
      ...V1.map((f) => ['v1', f, () => app.inject({ method: 'POST', url: `/api/v0/${lang}/table/${encodeURIComponent(id)}`, payload: v1Body(f) })] as const),
      ...V2.map(
        (f) =>
          [
            'v2',
            f,
            () =>
              app.inject({
                method: 'POST',
                url: `/api/v2/tables/${encodeURIComponent(id)}/data?lang=${lang}&outputFormat=${f}${f === 'csv' || f === 'html' || f === 'xlsx' ? '&outputFormatParams=UseTexts' : ''}`,
                payload: v2Body,
                headers: { 'content-type': 'application/json' },
              }),
          ] as const,
      ),
    ];
    for (const [api, format, send] of requests) {
      const what = `${id} ${api} ${format} ${lang}`;
      const r = await send();
      checkedAnswers++;
      assert.equal(r.statusCode, 200, `${what}: ${r.body.slice(0, 200)}`);
      const ct = String(r.headers['content-type'] ?? '');
      const body = r.rawPayload;
      let decodeAs = ct;
      if (CODEPAGE_TEXT.has(format)) {
        const charset = /;\s*charset=([^;\s]+)/i.exec(ct)?.[1];
        if (!charset) {
          problems.other.push(`${what}: Content-Type "${ct}" names no charset`);
          continue;
        }
        if (!sameCharset(charset, written)) {
          (api === 'v1' ? problems.v1Charset : problems.other).push(`${what}: Content-Type "${ct}" but the bytes are ${written}`);
          // the content is still checked, read as what it is
          decodeAs = 'text/plain; charset=' + written;
        }
      }
      if (format === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(body as unknown as ArrayBuffer);
        const strings: string[] = [];
        const nums: number[] = [];
        wb.worksheets[0].eachRow((row) =>
          row.eachCell((c) => {
            if (typeof c.value === 'number') nums.push(c.value);
            else if (typeof c.value === 'string') strings.push(c.value);
          }),
        );
        hasShown((t) => strings.some((x) => x.includes(t)), what);
        sameNumbers(nums, exp.numbers, exp.tol, what);
        continue;
      }
      if (format === 'parquet') {
        const ab = body.buffer.slice(body.byteOffset, body.byteOffset + body.length);
        const rows = (await parquetReadObjects({ file: ab as ArrayBuffer })) as Record<string, unknown>[];
        const nums = rows.flatMap((row) => Object.values(row).filter((x): x is number => typeof x === 'number' && Number.isFinite(x)));
        sameNumbers(nums, exp.numbers, exp.tol, what);
        continue;
      }
      const s = decode(body, decodeAs);
      // U+FFFD only where the file itself holds it (serializers-WierdTimeWithOneValue.px was damaged before us)
      if (!fileHasReplacement) assert.ok(!s.includes('\ufffd'), `${what}: undecodable bytes for the charset named (${decodeAs})`);
      if (format === 'json-stat2') checkJsonStat2(JSON.parse(s), cube, lang, exp, what);
      else if (format === 'json-stat') {
        const d = JSON.parse(s).dataset;
        checkJsonStat2({ id: d.dimension.id, size: d.dimension.size, dimension: d.dimension, value: d.value }, cube, lang, exp, what);
      }
      else if (format === 'json' || format === 'json-px') {
        const j = JSON.parse(s);
        const nums = (j.data as { values: string[] }[]).flatMap((row) => row.values.filter((x) => x.trim() !== '' && Number.isFinite(Number(x))).map(Number));
        sameNumbers(nums, exp.numbers, exp.tol, what);
        const columnTexts = (j.columns as { text: string }[]).map((c) => c.text);
        for (const n of names) assert.ok(columnTexts.some((t) => t === n) || s.includes(JSON.stringify(n).slice(1, -1)), `${what}: name "${n}"`);
      } else if (format === 'px') {
        const back = readPxSync(body).cube;
        assert.deepEqual(back.meta.variables.map((v) => text(v.label, lang, back.meta.defaultLanguage)), names, `${what}: names`);
        back.meta.variables.forEach((v, d) =>
          assert.deepEqual(v.values.map((x) => text(x.label, lang, back.meta.defaultLanguage)), sel[d].map((i) => L(cube.meta.variables[d].values[i].label)), `${what}: labels of ${v.code}`),
        );
        sameNumbers(Array.from(back.values).filter((_, i) => !back.status || back.status[i] === Status.Value), exp.numbers, exp.tol, what);
        // the file's CODEPAGE names its bytes, and so does the v1 header
        const cp = /CODEPAGE="([^"]+)"/.exec(body.toString('latin1'))?.[1]?.toLowerCase();
        const named = /;\s*charset=([^;\s]+)/i.exec(ct)?.[1]?.toLowerCase();
        if (named && cp && !sameCharset(named, cp) && !problems.v1Charset.some((p) => p.startsWith(what))) problems.other.push(`${what}: header charset ${named} but CODEPAGE ${cp}`);
      } else if (format === 'sdmx') {
        const nums = [...s.matchAll(/<g:ObsValue value="([^"]*)"/g)].map((m) => Number(m[1])).filter((x) => Number.isFinite(x));
        sameNumbers(nums, [...exp.numbers, ...new Array(exp.nils).fill(0)], exp.tol, what);
        for (const v of cube.meta.variables) if (v.role !== 'time') assert.ok(s.includes('concept="'), `${what}: series keys`);
      } else if (format === 'html') {
        const plain = unescapeMarkup(s);
        hasShown((t) => plain.includes(t), what);
      } else {
        // csv, csv2, csv3 (v1) and csv (v2, texts)
        const sep = ',';
        const rows = csvRows(s.replace(/^\ufeff/, ''), sep);
        const cells = new Set(rows.flatMap((r) => r.map((f) => f.v)));
        const all = [...cells].join('\n');
        if (format === 'csv3') for (const t of cube.meta.variables.flatMap((v, d) => sel[d].map((i) => v.values[i].code))) assert.ok(cells.has(t), `${what}: code "${t}"`);
        else hasShown((t) => cells.has(t) || all.includes(t), what);
        sameNumbers(csvNumbers(s.replace(/^\ufeff/, ''), sep), exp.numbers, exp.tol, what);
      }
    }
  }
  return problems;
}


test('every fixture in every language it carries: metadata (v1, v2) and data in every v1 and v2 format', { skip: !HAVE_SHARED }, async (t) => {
  assert.ok(FILES.length >= 20, 'fixture files found');
  const problems: Problems = { v1Charset: [], other: [] };
  let langs = 0;
  for (const f of FILES) {
    const id = f.replace(/\.px$/i, '');
    const cube = cubes.get(id)!;
    langs += cube.meta.languages.length;
    try {
      const p = await checkTable(id, cube);
      problems.v1Charset.push(...p.v1Charset);
      problems.other.push(...p.other);
    } catch (e) {
      (e as Error).message = `${id}: ${(e as Error).message}`;
      throw e;
    }
  }
  assert.ok(langs > FILES.length, 'some fixtures carry several languages');
  assert.equal(checkedAnswers, langs * (V1.length + V2.length), 'one answer per language and format');
  assert.deepEqual(problems.other, []);
  await t.test('v1 Content-Type names the charset of the bytes', () => assert.deepEqual(problems.v1Charset, []));
});

test('PX files made in windows-1251, windows-1257, iso-8859-1 and UTF-8 round-trip through every format', async (t) => {
  const v1Charset: string[] = [];
  for (const m of MADE) {
    const cube = cubes.get(m.id)!;
    assert.deepEqual(cube.meta.languages, m.langs, `${m.id} languages`);
    // the reader decoded the file's own codepage
    for (const l of m.langs) assert.deepEqual(cube.meta.variables[0].values.map((x) => x.label[l]), m.texts[l].vars[0][1], `${m.id} ${l}`);
    const p = await checkTable(m.id, cube);
    assert.deepEqual(p.other, [], m.id);
    v1Charset.push(...p.v1Charset);
  }
  await t.test('v1 Content-Type names the charset of the bytes', () => assert.deepEqual(v1Charset, []));
});

test('text formats are written in the table codepage and the header names it; UTF-8 (with BOM) only when needed', async (t) => {
  const v1Wrong: string[] = [];
  const expectCharset: Record<string, { v1: string; v2: string }> = {
    LANG_UK_1251: { v1: 'windows-1251', v2: 'windows-1251' },
    LANG_BALTIC_1257: { v1: 'windows-1257', v2: 'windows-1257' },
    LANG_IS_LATIN1: { v1: 'windows-1252', v2: 'iso-8859-1' },
    LANG_KL_UTF8: { v1: 'utf-8', v2: 'utf-8' },
  };
  for (const m of MADE) {
    const cube = cubes.get(m.id)!;
    const lang = m.langs[0];
    const v1Body = (format: string) => JSON.stringify({ query: [], response: { format } });
    for (const format of ['csv', 'csv2', 'csv3', 'px']) {
      const r = await app.inject({ method: 'POST', url: `/api/v0/${lang}/table/${m.id}`, payload: v1Body(format) });
      assert.equal(r.statusCode, 200, `${m.id} v1 ${format}`);
      const charset = /charset=([^;\s]+)/i.exec(String(r.headers['content-type']))?.[1]?.toLowerCase();
      if (charset !== expectCharset[m.id].v1) v1Wrong.push(`${m.id} v1 ${format}: ${r.headers['content-type']}, bytes in ${expectCharset[m.id].v1}`);
      const bom = r.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
      if (format !== 'px') assert.equal(bom, m.codepage === 'utf-8', `${m.id} v1 ${format}: BOM only for UTF-8`);
      // the bytes are in the table's codepage, with no '?' for an unencodable character
      const s = decode(r.rawPayload, 'text/plain; charset=' + expectCharset[m.id].v1);
      assert.ok(!s.includes('?') && !s.includes('\ufffd'), `${m.id} v1 ${format}: no replacement characters`);
      if (format !== 'csv3') for (const t of m.texts[lang].vars[0][1]) assert.ok(s.includes(t), `${m.id} v1 ${format}: "${t}"`);
    }
    for (const format of ['csv', 'px', 'html']) {
      const r = await app.inject({ method: 'GET', url: `/api/v2/tables/${m.id}/data?lang=${lang}&outputFormat=${format}${format === 'px' ? '' : '&outputFormatParams=UseTexts'}` });
      assert.equal(r.statusCode, 200, `${m.id} v2 ${format}`);
      const ct = String(r.headers['content-type']);
      const charset = /charset=([^;\s]+)/i.exec(ct)?.[1]?.toLowerCase();
      assert.equal(charset, expectCharset[m.id].v2, `${m.id} v2 ${format}: ${ct}`);
      const s = decode(r.rawPayload, ct);
      assert.ok(!s.includes('?') && !s.includes('\ufffd'), `${m.id} v2 ${format}: no replacement characters`);
      for (const t of m.texts[lang].vars[0][1]) assert.ok(unescapeMarkup(s).includes(t), `${m.id} v2 ${format}: "${t}"`);
    }
    void cube;
  }
  await t.test('v1 Content-Type names the charset of the bytes', () => assert.deepEqual(v1Wrong, []));
});
