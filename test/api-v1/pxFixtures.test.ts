// Every fixture PX file imported with the PX reader, then served by API v1: metadata, a bounded item query and
// the default {"query":[]} checked against brute force in json-stat2, and the same query in every v1 format.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import JSONstat from 'jsonstat-toolkit';
import { readPxFile } from '../../src/formats/px/reader.js';
import { cellCount, type Cube } from '../../src/core/model.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';
import { checkAgainstCube, HAVE_SHARED, item, makeApp, readJsonStat2, SHARED, type VarExpect } from './helpers.js';

const DIR = join(SHARED, 'fixtures/px');
const FILES = HAVE_SHARED ? readdirSync(DIR).filter((f) => /\.px$/i.test(f)).sort() : [];
const FORMATS = ['json-stat2', 'json-stat', 'csv', 'csv2', 'csv3', 'json', 'px', 'xlsx', 'sdmx'];

let app: FastifyInstance;
let store: Store;
const cubes = new Map<string, Cube>();

before(async () => {
  store = createMemoryStore();
  for (const f of FILES) {
    const id = f.replace(/\.px$/i, '');
    const { cube } = await readPxFile(join(DIR, f), { id });
    store.putTable(cube);
    cubes.set(id, await store.getCube(id));
  }
  app = await makeApp(store, { maxCells: 10_000_000, languages: ['no', 'en', 'sv', 'fi', 'fr', 'de'] });
});
after(() => app?.close());

function tolerance(c: Cube): number {
  const ds = [c.meta.decimals, ...(c.meta.showDecimals !== undefined ? [c.meta.showDecimals] : []), ...Object.values(c.meta.contentInfo ?? {}).map((x) => x.decimals)];
  return 0.5 * 10 ** -Math.max(0, Math.min(...ds));
}

test('every fixture PX file is served and answers in every v1 format', { skip: !HAVE_SHARED }, async () => {
  assert.ok(FILES.length >= 20, 'fixture files found');
  for (const [id, cube] of cubes) {
    try {
      await checkFile(id, cube);
    } catch (e) {
      (e as Error).message = `${id}: ${(e as Error).message}`;
      throw e;
    }
  }
});

async function checkFile(id: string, cube: Cube): Promise<void> {
  {
    const lang = cube.meta.defaultLanguage;
    const url = `/api/v0/${['no', 'en', 'sv', 'fi', 'fr', 'de'].includes(lang) ? lang : 'no'}/table/${encodeURIComponent(id)}`;
    const meta = await app.inject({ method: 'GET', url });
    assert.equal(meta.statusCode, 200, `${id} metadata: ${meta.body.slice(0, 200)}`);
    const m = JSON.parse(meta.body);
    assert.deepEqual(m.variables.map((v: { code: string }) => v.code), cube.meta.variables.map((v) => v.code), id);

    // first two values of every variable (metadata order), checked cell by cell
    const picks = cube.meta.variables.map((v) => v.values.slice(0, 2).map((x) => x.code));
    const body = (format: string) =>
      JSON.stringify({ query: cube.meta.variables.map((v, d) => ({ code: v.code, selection: { filter: 'item', values: picks[d] } })), response: { format } });
    const opts = { tol: tolerance(cube), symbols: false };
    const expect: VarExpect[] = picks.map((p) => item(...new Set(p)));
    for (const format of FORMATS) {
      const r = await app.inject({ method: 'POST', url, payload: body(format) });
      assert.equal(r.statusCode, 200, `${id} ${format}: ${r.body.slice(0, 200)}`);
      assert.ok(r.rawPayload.length > 0, `${id} ${format} empty`);
      if (format === 'json-stat2') checkAgainstCube(cube, readJsonStat2(r.body), expect, opts);
      else if (format === 'json-stat') {
        const b = JSONstat(JSON.parse(r.body));
        assert.equal(b.Dataset(0).n, picks.reduce((a, p) => a * p.length, 1), `${id} json-stat size`);
      } else if (format === 'json') {
        const j = JSON.parse(r.body);
        assert.ok(Array.isArray(j.columns) && Array.isArray(j.data), `${id} PX-JSON`);
      } else if (format === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(r.rawPayload);
        assert.ok(wb.worksheets.length >= 1, `${id} xlsx sheets`);
      } else if (format === 'px') {
        const { readPxSync } = await import('../../src/formats/px/reader.js');
        const back = readPxSync(r.rawPayload, { id }).cube;
        assert.equal(cellCount(back.meta), picks.reduce((a, p) => a * p.length, 1), `${id} px round trip size`);
      } else if (format === 'sdmx') {
        assert.match(r.body, /GenericData/);
      } else {
        assert.ok(r.body.split('\r\n').filter(Boolean).length >= 2, `${id} ${format} rows`);
      }
    }

    // {"query":[]}: eliminable variables eliminated (elimination value, else sum), mandatory ones whole
    const all: VarExpect[] = cube.meta.variables.map((v) => {
      if (!v.elimination) return item(...v.values.map((x) => x.code));
      if (v.eliminationValue && v.values.some((x) => x.code === v.eliminationValue)) return { elim: [v.eliminationValue] };
      return { elim: v.values.map((x) => x.code) };
    });
    const size = all.reduce((a, e) => a * ('out' in e ? e.out.length : 1), 1);
    if (size > 20_000) return;
    const r = await app.inject({ method: 'POST', url, payload: '{"query":[],"response":{"format":"json-stat2"}}' });
    assert.equal(r.statusCode, 200, `${id} default: ${r.body.slice(0, 200)}`);
    checkAgainstCube(cube, readJsonStat2(r.body), all, opts);
  }
}
