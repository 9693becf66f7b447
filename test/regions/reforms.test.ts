// Regions through reforms, answered by the server: 07459 carries municipality codes of each year, and the server
// offers the structures of Klass 131 as groupings. Expected numbers are summed here from the cube's raw cells with
// code lists written by hand from the Klass changes, not from the grouping code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Status, type Cube } from '../../src/core/model.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { withRegionGroupings } from '../../src/app/regionGroupings.js';
import { demoContent, generateDemo } from '../../src/demo/index.js';
import { demoKlassData } from '../../src/demo/klass.js';
import { reformStructure } from '../../src/klass/reform.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';

const ABSENT = Status.Dot4;
let store: Store;
let raw: Cube;
let app: FastifyInstance;

before(async () => {
  store = createMemoryStore();
  generateDemo(store, { small: true });
  raw = await store.getCube('07459');
  app = await buildApp({ store, config: loadConfig({ maxCalls: 0 }, {}), ...demoContent() }, { logger: false });
});
after(async () => {
  await app?.close();
});

/** Persons of `codes` in `year`, both sexes and all ages, from the raw cells; null when a code's cell is missing. */
function handSum(codes: string[], year: string): number | null {
  const vars = raw.meta.variables;
  const sizes = vars.map((v) => v.values.length);
  const [reg, , , cont, tid] = vars;
  const yi = tid.values.findIndex((v) => v.code === year);
  const ci = cont.values.findIndex((v) => v.code === 'Personer1');
  let sum = 0;
  for (const code of codes) {
    const r = reg.values.findIndex((v) => v.code === code);
    assert.ok(r >= 0, code);
    for (let s = 0; s < sizes[1]; s++) {
      for (let a = 0; a < sizes[2]; a++) {
        const at = (((r * sizes[1] + s) * sizes[2] + a) * sizes[3] + ci) * sizes[4] + yi;
        const st = raw.status?.[at] ?? 0;
        if (st === ABSENT) continue;
        if (st !== Status.Value) return null;
        sum += raw.values[at];
      }
    }
  }
  return sum;
}

// by hand from the demo's Klass 131 change tables (2020 and 2024)
const HISTORY: Record<string, string[]> = {
  '1103': ['1103', '1141', '1142'], // Stavanger took in Finnøy and Rennesøy in 2020
  '3107': ['0106', '3004', '3107'], // Fredrikstad: 0106 -> 3004 (2020) -> 3107 (2024)
  '3203': ['0220', '0627', '0628', '3025', '3203'], // Asker, Røyken, Hurum -> 3025 -> 3203
};
const YEARS = ['2018', '2019', '2020', '2023', '2024', '2025'];

test('the demo has codes of each year: old codes only while they existed', () => {
  const reg = raw.meta.variables[0];
  assert.equal(reg.classification?.id, '131,104');
  assert.equal(reg.absentStatus, ABSENT);
  // 0106 until 2019, 3004 2020-2023, 3107 from 2024
  assert.notEqual(handSum(['0106'], '2019'), null);
  assert.equal(handSum(['0106'], '2019')! > 0, true);
  assert.equal(handSum(['0106'], '2020'), 0); // every cell absent
  assert.equal(handSum(['3004'], '2019'), 0);
  assert.equal(handSum(['3004'], '2023')! > 0, true);
  assert.equal(handSum(['3107'], '2023'), 0);
  assert.equal(handSum(['3107'], '2024')! > 0, true);
  // each year exactly one of Fredrikstad's codes has people
  for (const y of YEARS) assert.equal(['0106', '3004', '3107'].filter((c) => handSum([c], y)! > 0).length, 1, y);
});

test('klass: chains of changes and splits', () => {
  const s = reformStructure(demoKlassData(), 131, '2024-01-01')!;
  const t = (c: string) => s.targets.find((x) => x.code === c)!;
  assert.deepEqual(t('3107').whole, ['0106', '3004', '3107']);
  assert.deepEqual(t('3107').partial, []);
  assert.deepEqual(t('1103').whole, ['1103', '1141', '1142']);
  // Ålesund 1507 was split into 1508 and 1580 in 2024; the 2019 codes merged into 1507 go both ways too
  assert.ok(t('1508').partial.includes('1507') && t('1580').partial.includes('1507'));
  assert.ok(t('1508').partial.includes('1534'));
  assert.deepEqual(t('1508').whole, ['1508']);
  // towards an older structure a later code goes back to its predecessors
  const s20 = reformStructure(demoKlassData(), 131, '2020-01-01')!;
  assert.ok(s20.targets.find((x) => x.code === '1507')!.whole.includes('1508'));
  assert.ok(s20.targets.find((x) => x.code === '3004')!.whole.includes('3107'));
});

type JsonStat = { value: (number | null)[]; status?: Record<string, string>; dimension: Record<string, { category: { index: Record<string, number> | string[] } }>; id: string[]; size: number[] };

function cellsOf(ds: JsonStat, regions: string[], years: string[]): (number | string)[][] {
  const ri = ds.id.indexOf('Region');
  const ti = ds.id.indexOf('Tid');
  const idx = (dim: string) => ds.dimension[dim].category.index as Record<string, number>;
  const stride = (d: number) => ds.size.slice(d + 1).reduce((a, b) => a * b, 1);
  return regions.map((r) =>
    years.map((y) => {
      let at = 0;
      for (let d = 0; d < ds.id.length; d++) {
        const k = d === ri ? idx('Region')[r] : d === ti ? idx('Tid')[y] : 0;
        at += k * stride(d);
      }
      return ds.value[at] ?? ds.status?.[String(at)] ?? 'missing';
    }),
  );
}

async function v1(regions: string[], years: string[], filter: string): Promise<JsonStat> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v0/en/table/07459',
    payload: JSON.stringify({
      query: [
        { code: 'Region', selection: { filter, values: regions } },
        { code: 'ContentsCode', selection: { filter: 'item', values: ['Personer1'] } },
        { code: 'Tid', selection: { filter: 'item', values: years } },
      ],
      response: { format: 'json-stat2' },
    }),
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as JsonStat;
}

async function v2(regions: string[], years: string[]): Promise<JsonStat> {
  const q = `codelist[Region]=agg_reform2024&valueCodes[Region]=${regions.join(',')}&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=${years.join(',')}&valueCodes[Kjonn]=*&valueCodes[Alder]=*`;
  const res = await app.inject({ method: 'GET', url: `/api/v2/tables/07459/data?lang=en&outputFormat=json-stat2&${q}` });
  assert.equal(res.statusCode, 200, res.body);
  // sum the sexes and ages here: v2 has no elimination by leaving a variable out of valueCodes with codelists
  return res.json() as JsonStat;
}

test('a series across the 2020 and 2024 reforms in the 2024 structure equals sums by hand (v1 agg:)', async () => {
  const regions = Object.keys(HISTORY);
  const ds = await v1(regions, YEARS, 'agg:reform2024');
  const got = cellsOf(ds, regions, YEARS);
  regions.forEach((r, i) => {
    const want = YEARS.map((y) => handSum(HISTORY[r], y));
    assert.deepEqual(got[i], want, r);
    for (const x of want) assert.equal(typeof x === 'number' && x > 0, true);
  });
  // the series is continuous where the plain code is not: 3107 has no figure before 2024 on its own
  const plain = cellsOf(await v1(['3107'], ['2019', '2024'], 'item'), ['3107'], ['2019', '2024']);
  assert.equal(plain[0][0], '.');
});

test('a split yields the documented symbol, never a number', async () => {
  const years = ['2019', '2021', '2023', '2024', '2025'];
  const ds = await v1(['1508', '1580', '1103'], years, 'agg:reform2024');
  const got = cellsOf(ds, ['1508', '1580', '1103'], years);
  // 1507 (2020-2023) and the 2019 codes merged into it were split between 1508 and 1580
  assert.deepEqual(got[0].slice(0, 3), ['x', 'x', 'x']);
  assert.deepEqual(got[1].slice(0, 3), ['x', 'x', 'x']);
  // once the new codes exist they answer for themselves
  assert.deepEqual(got[0].slice(3), [handSum(['1508'], '2024'), handSum(['1508'], '2025')]);
  assert.deepEqual(got[1].slice(3), [handSum(['1580'], '2024'), handSum(['1580'], '2025')]);
  for (const x of got[2]) assert.equal(typeof x, 'number');
  // the symbol is explained on the variable
  const meta = await app.inject({ method: 'GET', url: '/api/v2/tables/07459/metadata?lang=en&codelist[Region]=agg_reform2024' });
  assert.equal(meta.statusCode, 200, meta.body);
  assert.match(meta.body, /split between several new ones[^"]*\\"x\\"/);
  // csv writes it too
  const csv = await app.inject({
    method: 'POST',
    url: '/api/v0/en/table/07459',
    payload: JSON.stringify({
      query: [
        { code: 'Region', selection: { filter: 'agg:reform2024', values: ['1508'] } },
        { code: 'ContentsCode', selection: { filter: 'item', values: ['Personer1'] } },
        { code: 'Tid', selection: { filter: 'item', values: ['2021'] } },
      ],
      response: { format: 'csv' },
    }),
  });
  assert.equal(csv.statusCode, 200, csv.body);
  assert.match(csv.body, /,x\r?\n?$/m);
});

test('v1 agg: and v2 codelist give identical numbers', async () => {
  const regions = ['1103', '3107', '3203', '1508'];
  const a = cellsOf(await v1(regions, YEARS, 'agg:reform2024'), regions, YEARS);
  const ds = await v2(regions, YEARS);
  // v2 returns every sex and age: add them up (symbols stay symbols)
  const ri = ds.id.indexOf('Region');
  const ti = ds.id.indexOf('Tid');
  const idx = (dim: string, c: string) => (ds.dimension[dim].category.index as Record<string, number>)[c];
  const total = ds.value.length;
  const strides = ds.id.map((_, d) => ds.size.slice(d + 1).reduce((x, y) => x * y, 1));
  const b = regions.map((r) =>
    YEARS.map((y) => {
      let sum = 0;
      let sym: string | null = null;
      for (let at = 0; at < total; at++) {
        if (Math.floor(at / strides[ri]) % ds.size[ri] !== idx('Region', r)) continue;
        if (Math.floor(at / strides[ti]) % ds.size[ti] !== idx('Tid', y)) continue;
        const v = ds.value[at];
        if (v === null) sym = ds.status?.[String(at)] ?? '?';
        else sum += v;
      }
      return sym ?? sum;
    }),
  );
  assert.deepEqual(b, a);
});

test('metadata identity: getTable and getCube of one version share the decorated meta', async () => {
  const s = withRegionGroupings(store, demoContent().klass);
  const rec = s.getTable('07459')!;
  const cube = await s.getCube('07459');
  assert.equal(cube.meta, rec.meta);
  assert.equal(s.getTable('07459')!.meta, rec.meta);
  assert.ok(rec.meta.variables[0].groupings!.some((g) => g.id === 'reform2024' && g.label.no === 'Regional inndeling per 2024-01-01'));
  // tables without a classification are passed through untouched
  assert.equal(s.getTable('05810')!.meta, store.getTable('05810')!.meta);
  // the underlying store is not changed
  assert.ok(!store.getTable('07459')!.meta.variables[0].groupings!.some((g) => g.id.startsWith('reform')));
});

test('the classification link, absent status and split inputs survive the SQLite store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-regions-'));
  try {
    const db = openStore(join(dir, 't.sqlite'));
    const grouping = { id: 'g', label: { en: 'g' }, groups: [{ code: 'A', label: { en: 'A' }, inputs: ['a', 'b'], partial: ['b'] }] };
    const meta = { ...raw.meta, id: 'T1', variables: raw.meta.variables.map((v, i) => (i === 0 ? { ...v, groupings: [grouping] } : v)) };
    db.putTable({ meta, values: raw.values, status: raw.status });
    const back = await db.getCube('T1');
    assert.deepEqual(back.meta.variables[0].classification, { id: '131,104' });
    assert.equal(back.meta.variables[0].absentStatus, ABSENT);
    assert.deepEqual(back.meta.variables[0].groupings![0].groups[0].partial, ['b']);
    (db as { close?: () => void }).close?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('course exercises on 07459 still answer with numbers', async () => {
  const post = async (query: unknown[], format = 'json-stat2') =>
    app.inject({ method: 'POST', url: '/api/v0/no/table/07459', payload: JSON.stringify({ query, response: { format } }) });
  // 1.2: 0-year-olds in Oslo
  const e12 = await post([
    { code: 'Region', selection: { filter: 'item', values: ['0301'] } },
    { code: 'Alder', selection: { filter: 'item', values: ['000'] } },
  ]);
  assert.equal(e12.statusCode, 200);
  assert.ok((e12.json() as JsonStat).value.every((v) => typeof v === 'number'));
  // 1.3: years three ways
  for (const sel of [{ filter: 'item', values: ['2020', '2021'] }, { filter: 'all', values: ['202*'] }, { filter: 'top', values: ['2'] }]) {
    const r = await post([{ code: 'Region', selection: { filter: 'item', values: ['0301'] } }, { code: 'Tid', selection: sel }]);
    assert.equal(r.statusCode, 200, JSON.stringify(sel));
  }
  // 2.1: 100-year-olds in Stavanger and Oslo in 2021, csv2
  const e21 = await post(
    [
      { code: 'Region', selection: { filter: 'item', values: ['1103', '0301'] } },
      { code: 'Alder', selection: { filter: 'item', values: ['100'] } },
      { code: 'Tid', selection: { filter: 'item', values: ['2021'] } },
    ],
    'csv2',
  );
  assert.equal(e21.statusCode, 200);
  assert.doesNotMatch(e21.body, /"\.+"|,\.+\r?\n/);
  // 2.2: the course's own solution (top 1, Alder summed)
  const e22 = await post([
    { code: 'Region', selection: { filter: 'item', values: ['1103', '0301'] } },
    { code: 'ContentsCode', selection: { filter: 'item', values: ['Personer1'] } },
    { code: 'Tid', selection: { filter: 'top', values: ['1'] } },
  ]);
  assert.equal(e22.statusCode, 200);
  const v22 = (e22.json() as JsonStat).value;
  assert.equal(v22.length, 2);
  assert.ok(v22.every((v) => typeof v === 'number' && v > 0));
  // 2.3: Rogaland and its municipalities (current and former codes)
  const e23 = await post([{ code: 'Region', selection: { filter: 'all', values: ['11*'] } }, { code: 'Tid', selection: { filter: 'top', values: ['1'] } }]);
  assert.equal(e23.statusCode, 200);
  const reg = (e23.json() as JsonStat).dimension.Region.category.index as Record<string, number>;
  assert.ok('11' in reg && '1103' in reg && '1141' in reg);
});

test('KommSummer still equals the county in every year (each year sums the codes of that year)', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v0/en/table/07459',
    payload: JSON.stringify({
      query: [
        { code: 'Region', selection: { filter: 'agg:KommSummer', values: ['F-11'] } },
        { code: 'ContentsCode', selection: { filter: 'item', values: ['Personer1'] } },
        { code: 'Tid', selection: { filter: 'item', values: YEARS } },
      ],
      response: { format: 'json-stat2' },
    }),
  });
  assert.equal(res.statusCode, 200, res.body);
  const got = (res.json() as JsonStat).value;
  assert.deepEqual(got, YEARS.map((y) => handSum(['11'], y)));
});
