// `statbank convert` and the cube-file helpers behind it: PX -> JSON-stat 2 -> PX gives the same cube (our test
// cube and every readable shared PX fixture), JSON-stat 1.x bundles and 2.0 collections in, each output format
// read back by an independent reader, garbage refused with a message.

import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import { parquetReadObjects } from 'hyparquet';
import ExcelJS from 'exceljs';
import { Status, symbolText, type Cube } from '../../src/core/model.js';
import { readCubeFile, serializeCube } from '../../src/client/cubeFiles.js';
import { readJsonStat, JsonStatError } from '../../src/formats/jsonStatReader.js';
import { readPxSync } from '../../src/formats/px/reader.js';
import { cellDecimals, roundedValue, roundingRule } from '../../src/formats/numberFormat.js';
import { populationCube, plainCube } from '../client/helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const haveShared = existsSync(fixtures);

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function tempDir(t: { after: (f: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-convert-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `b` (after a trip through JSON-stat in `lang`) holds what `a` shows in `lang`: codes, labels, rounded cells, symbols. */
function assertSameShown(b: Cube, a: Cube, lang: string): void {
  const L = (t: Record<string, string>, m: Cube['meta']) => t[lang] ?? t[m.defaultLanguage] ?? Object.values(t)[0];
  assert.deepEqual(b.meta.variables.map((v) => v.code), a.meta.variables.map((v) => v.code));
  assert.deepEqual(b.meta.stub, a.meta.stub);
  assert.deepEqual(b.meta.heading, a.meta.heading);
  a.meta.variables.forEach((v, d) => {
    const w = b.meta.variables[d];
    assert.deepEqual(w.values.map((x) => x.code), v.values.map((x) => x.code), v.code);
    assert.deepEqual(w.values.map((x) => L(x.label, b.meta)), v.values.map((x) => L(x.label, a.meta) || x.code), v.code);
    assert.equal(w.role, v.role === 'geo' && !b.meta.variables[d].role ? undefined : v.role, `${v.code} role`);
    assert.equal(w.elimination, v.elimination, `${v.code} elimination`);
  });
  const rule = roundingRule(a.meta);
  const cd = cellDecimals(a.meta);
  const n = a.values.length;
  assert.equal(b.values.length, n);
  for (let i = 0; i < n; i++) {
    const sa = a.status ? a.status[i] : Status.Value;
    const sb = b.status ? b.status[i] : Status.Value;
    if (sa === Status.Value) {
      assert.equal(sb, Status.Value, `cell ${i} lost its number`);
      const dec = cd.decimals[Math.floor(i / (cd.uniform ? Math.max(n, 1) : cd.stride)) % cd.size];
      assert.equal(b.values[i], roundedValue(a.values[i], dec, rule), `cell ${i}`);
    } else {
      assert.equal(symbolText(b.meta, sb, lang), symbolText(a.meta, sa, lang), `cell ${i} symbol`);
    }
  }
}

test('PX -> JSON-stat 2 -> PX gives the same cube', async () => {
  const original = populationCube();
  const px1 = await serializeCube(original, 'px');
  const a = readPxSync(px1).cube;
  const json = await serializeCube(a, 'json-stat2', { lang: 'en' });
  const b = readJsonStat(json).cube;
  assert.equal(b.meta.id, '07459');
  assertSameShown(b, a, 'en');
  assert.deepEqual(b.meta.contentInfo?.Andel && { d: b.meta.contentInfo.Andel.decimals, u: b.meta.contentInfo.Andel.unit.en }, { d: 1, u: 'per cent' });
  const px2 = await serializeCube(b, 'px');
  const c = readPxSync(px2).cube;
  assertSameShown(c, a, 'en');
  // and once more through JSON-stat: nothing drifts
  const again = readJsonStat(await serializeCube(c, 'json-stat2', { lang: 'en' })).cube;
  assert.deepEqual(Array.from(again.values), Array.from(b.values));
  assert.deepEqual(Array.from(again.status ?? []), Array.from(b.status ?? []));

  // a table without a contents variable: the added ContentsCode dimension goes away again, the unit stays
  const plain = plainCube();
  const p = readJsonStat(await serializeCube(plain, 'json-stat2', { lang: 'no' })).cube;
  assert.deepEqual(p.meta.variables.map((v) => v.code), ['Vare', 'Tid']);
  assert.equal(p.meta.unit?.no, 'kroner');
  assert.equal(p.meta.variables[1].timeUnit, 'M');
  assertSameShown(readPxSync(await serializeCube(p, 'px')).cube, plain, 'no');
});

test('every readable shared PX fixture survives PX -> JSON-stat 2 -> PX', { skip: !haveShared && 'no ../shared' }, async () => {
  const dir = join(fixtures, 'px');
  let checked = 0;
  for (const name of readdirSync(dir).filter((f) => /\.px$/i.test(f))) {
    let a: Cube;
    try {
      a = readPxSync(readFileSync(join(dir, name))).cube;
    } catch {
      continue; // fixtures the PX reader refuses are its own tests' business
    }
    if (a.values.length > 300_000) continue;
    const lang = a.meta.defaultLanguage;
    const b = readJsonStat(await serializeCube(a, 'json-stat2', { lang })).cube;
    assertSameShown(b, a, lang);
    const c = readPxSync(await serializeCube(b, 'px')).cube;
    assertSameShown(c, a, lang);
    checked++;
  }
  assert.ok(checked >= 15, `only ${checked} fixtures checked`);
});

test('JSON-stat 1.x bundles and 2.0 collections read like their 2.0 datasets', { skip: !haveShared && 'no ../shared' }, () => {
  const js = join(fixtures, 'jsonstat');
  const v1 = readJsonStat(readFileSync(join(js, 'galicia-v1-bundle.json')));
  const v2 = readJsonStat(readFileSync(join(js, 'galicia.json')));
  assert.equal(v1.version, '1.x');
  assert.equal(v2.version, '2.0');
  assert.deepEqual(v1.cube.meta.variables.map((v) => [v.code, v.values.length, v.role]), v2.cube.meta.variables.map((v) => [v.code, v.values.length, v.role]));
  assert.deepEqual(Array.from(v1.cube.values), Array.from(v2.cube.values));
  // the raw JSON says what a cell is: value[i] and status[i]
  const raw = JSON.parse(readFileSync(join(js, 'galicia.json'), 'utf8')) as { value: (number | null)[]; size: number[] };
  assert.equal(v2.cube.values.length, raw.size.reduce((a, b) => a * b, 1));
  raw.value.forEach((x, i) => x !== null && assert.equal(v2.cube.values[i], x));

  const bundle = readFileSync(join(js, 'oecd-canada.json'));
  const canada = readJsonStat(bundle, { dataset: 'canada' });
  assert.equal(canada.cube.meta.id, 'canada');
  assert.throws(() => readJsonStat(bundle, { dataset: 'nope' }), /no dataset "nope"/);
  const col = readJsonStat(readFileSync(join(js, 'oecd-canada-col.json')), { dataset: 1 });
  assert.deepEqual(col.cube.meta.variables.map((v) => v.code), canada.cube.meta.variables.map((v) => v.code));
  assert.deepEqual(Array.from(col.cube.values), Array.from(canada.cube.values));
  // sparse value and status objects (oecd.json): missing cells and their symbols
  const oecd = JSON.parse(readFileSync(join(js, 'oecd.json'), 'utf8')) as { status: Record<string, string> };
  const o = readJsonStat(readFileSync(join(js, 'oecd.json'))).cube;
  const flagged = Object.keys(oecd.status).map(Number);
  assert.ok(flagged.length > 0);
  assert.equal(o.meta.cellNotes?.length, flagged.filter((i) => o.status === null || o.status[i] === Status.Value).length);
  assert.ok(o.meta.variables.find((v) => v.code === 'area')?.hierarchy, 'category.child became a hierarchy');
});

test('garbage JSON-stat is refused with a clear error', () => {
  const bad: [unknown, RegExp][] = [
    ['{', /not JSON/],
    [[1, 2], /object/],
    [{ class: 'dataset', id: ['a'], size: [2], dimension: { a: { category: { index: ['x', 'y'] } } }, value: [1] }, /"value" has 1 entries/],
    [{ class: 'dataset', id: ['a'], size: [2], dimension: {}, value: [1, 2] }, /not described/],
    [{ class: 'dataset', id: ['a'], size: [2], dimension: { a: { category: { index: { x: 0, y: 0 } } } }, value: [1, 2] }, /bad index position/],
    [{ class: 'dataset', id: ['a', 'a'], size: [1, 1], dimension: { a: { category: { index: ['x'] } } }, value: [1] }, /repeated dimension/],
    [{ class: 'dataset', id: ['a'], size: [-1], dimension: { a: { category: { index: [] } } }, value: [] }, /not a count/],
    [{ class: 'dataset', id: ['a'], size: [1], dimension: { a: { category: { index: ['x'] } } }, value: [{}] }, /neither a number nor null/],
    [{ class: 'dataset', id: ['a'], size: [2], dimension: { a: { category: { index: ['x', 'y'] } } }, value: [1, 2], status: 7 }, /"status"/],
    [{ class: 'collection', link: { item: [{ class: 'dataset', href: 'https://x' }] } }, /embeds no dataset/],
    [{ class: 'dimension', category: {} }, /holds no data/],
    [{ hello: 'world' }, /no JSON-stat dataset/],
  ];
  for (const [doc, re] of bad) assert.throws(() => readJsonStat(typeof doc === 'string' ? doc : JSON.stringify(doc)), (e: unknown) => e instanceof JsonStatError && re.test(e.message), JSON.stringify(doc));
  // a sparse value object and a status string for every cell
  const ok = readJsonStat({ version: '2.0', class: 'dataset', id: ['a'], size: [3], dimension: { a: { category: { index: ['x', 'y', 'z'] } } }, value: { 1: 5 }, status: '..' }).cube;
  assert.deepEqual(Array.from(ok.status!), [Status.Dot2, Status.Value, Status.Dot2]);
  assert.equal(ok.values[1], 5);
});

test('convert: the CLI writes every output format, read back by other readers', async (t) => {
  const dir = tempDir(t);
  const px = join(dir, '07459.px');
  writeFileSync(px, await serializeCube(populationCube(), 'px'));
  const cube = (await readCubeFile(px)).cube;
  const n = cube.values.length;

  const json = join(dir, 'out.json');
  let r = await cli(['convert', px, json, '--lang', 'en']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /07459.*1,680 cells/);
  const doc = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(doc.version, '2.0');
  assert.equal(doc.dimension.Region.label, 'region');

  const back = join(dir, 'back.px');
  r = await cli(['convert', json, back]);
  assert.equal(r.status, 0, r.stderr);
  assertSameShown((await readCubeFile(back)).cube, cube, 'en');

  const arrow = join(dir, 'out.arrow');
  r = await cli(['convert', json, arrow, '--labels', 'texts']);
  assert.equal(r.status, 0, r.stderr);
  const at = tableFromIPC(readFileSync(arrow));
  assert.equal(at.numRows, n);
  assert.equal(at.getChild('Region')!.get(0), 'The whole country');

  const parquet = join(dir, 'out.parquet');
  r = await cli(['convert', px, parquet]);
  assert.equal(r.status, 0, r.stderr);
  const rows = (await parquetReadObjects({ file: new Uint8Array(readFileSync(parquet)).buffer })) as Record<string, unknown>[];
  assert.equal(rows.length, n);
  assert.equal(rows[1].Tid, '2016');

  const csv = join(dir, 'out.csv');
  r = await cli(['convert', px, csv, '--lang', 'en']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(readFileSync(csv, 'latin1').split(/\r?\n/).filter(Boolean).length > 1);

  const xlsx = join(dir, 'out.xlsx');
  r = await cli(['convert', px, xlsx, '--lang', 'no']);
  assert.equal(r.status, 0, r.stderr);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  assert.ok(wb.worksheets[0].rowCount > 10);

  const forced = join(dir, 'noext');
  r = await cli(['convert', px, forced, '--to', 'arrow']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(tableFromIPC(readFileSync(forced)).numRows, n);
});

test('convert: unknown formats and garbage files fail with a message, not a stack trace', async (t) => {
  const dir = tempDir(t);
  const junk = join(dir, 'junk.json');
  writeFileSync(junk, '{"class":"dataset","id":["a"]');
  let r = await cli(['convert', junk, join(dir, 'x.px')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not JSON/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  r = await cli(['convert', junk, join(dir, 'x.doc')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /output format/);
  r = await cli(['convert', join(dir, 'missing.px'), join(dir, 'x.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ENOENT|no such file/);
  const badPx = join(dir, 'bad.px');
  writeFileSync(badPx, 'TITLE="x";\nSTUB="a";\n');
  r = await cli(['convert', badPx, join(dir, 'x.json')]);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.trim().length > 0);
});
