// The demo's 07459 in the structure of 2024-01-01, across the reforms of 2017-2020 and 2024, every year from 2015 to
// the last: every number the server answers (v1 `agg:reform2024`, PxWebApi 2.0 `codelist[Region]=agg_reform2024`)
// equals a sum made here by hand from the table's raw cells and the changes the demo's Klass API lists (131
// municipalities and 104 counties). The way from a code to the 2024 codes is followed here step by step from the
// change rows, independently of src/klass/reform.ts. Where a code of that year went to several 2024 codes (Viken 30
// into Østfold, Akershus and Buskerud), the answer is the documented symbol "x", never a number.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { Status, SPLIT_SYMBOL, type Cube } from '../../src/core/model.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { DEFAULT_LAST_YEAR, demoContent, generateDemo } from '../../src/demo/index.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';

const ABSENT = Status.Dot4;
const YEARS = Array.from({ length: DEFAULT_LAST_YEAR - 2015 + 1 }, (_, i) => String(2015 + i));
const TARGET = '2024-01-01';

let app: FastifyInstance;
let raw: Cube;

before(async () => {
  const store = createMemoryStore();
  generateDemo(store, { small: true });
  raw = await store.getCube('07459');
  app = await buildApp({ store, config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}), ...demoContent() }, { logger: false });
});
after(async () => {
  await app?.close();
});

async function getJson<T>(url: string): Promise<T> {
  const res = await app.inject({ method: 'GET', url });
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  return res.json() as T;
}

type Change = { oldCode: string; newCode: string; changeOccurred: string };

/**
 * Per classification and year: each code valid on 1 January of that year (Klass codesAt) and the set of 2024 codes
 * it became, following the change rows of every later date up to 2024-01-01 (a code in no row keeps its code).
 */
async function pathsByHand(classification: number): Promise<Map<string, Map<string, Set<string>>>> {
  const { codeChanges } = await getJson<{ codeChanges: Change[] }>(`/api/klass/v1/classifications/${classification}/changes?from=2015-01-01`);
  const dates = [...new Set(codeChanges.map((c) => c.changeOccurred))].sort();
  const out = new Map<string, Map<string, Set<string>>>();
  for (const year of YEARS) {
    const { codes } = await getJson<{ codes: { code: string }[] }>(`/api/klass/v1/classifications/${classification}/codesAt?date=${year}-01-01`);
    const paths = new Map<string, Set<string>>();
    for (const { code } of codes) {
      let set = new Set([code]);
      for (const d of dates) {
        if (d <= `${year}-01-01` || d > TARGET) continue;
        const next = new Set<string>();
        for (const c of set) {
          const rows = codeChanges.filter((r) => r.changeOccurred === d && r.oldCode === c);
          if (!rows.length) next.add(c);
          for (const r of rows) if (r.newCode) next.add(r.newCode);
        }
        set = next;
      }
      paths.set(code, set);
    }
    out.set(year, paths);
  }
  return out;
}

/** Persons of one region code in one year, both sexes and all ages, from the raw cells; 'absent' when the code did not exist. */
function rawSum(code: string, year: string): number | 'absent' {
  const [reg, kjonn, alder, cont, tid] = raw.meta.variables;
  const r = reg.values.findIndex((v) => v.code === code);
  const yi = tid.values.findIndex((v) => v.code === year);
  assert.ok(r >= 0 && yi >= 0, `${code} ${year}`);
  const [ns, na, nc, nt] = [kjonn, alder, cont, tid].map((v) => v.values.length);
  let sum = 0;
  let absent = 0;
  for (let s = 0; s < ns; s++) {
    for (let a = 0; a < na; a++) {
      const at = (((r * ns + s) * na + a) * nc + 0) * nt + yi;
      const st = raw.status?.[at] ?? 0;
      if (st === ABSENT) absent++;
      else {
        assert.equal(st, Status.Value, `${code} ${year}: only numbers and "." in 07459`);
        sum += raw.values[at];
      }
    }
  }
  if (absent === ns * na) return 'absent';
  assert.equal(absent, 0, `${code} ${year}: a code exists for a whole year or not at all`);
  return sum;
}

/** What the 2024 structure must answer for `target` in `year`: a number, "x" (split) or "." (no code of it that year). */
function expected(paths: Map<string, Set<string>>, target: string, year: string): number | string {
  const inTable = new Set(raw.meta.variables[0].values.map((v) => v.code));
  let sum = 0;
  let any = false;
  for (const [code, set] of paths) {
    if (!set.has(target) || !inTable.has(code)) continue;
    const v = rawSum(code, year);
    assert.notEqual(v, 'absent', `${code} is valid on 1 January ${year}, so 07459 has it`);
    if (set.size > 1) {
      if (v !== 0) return SPLIT_SYMBOL; // part of this code went elsewhere: no share can be taken from the table
      continue;
    }
    sum += v as number;
    any = true;
  }
  return any ? sum : '.';
}

type JsonStat = { id: string[]; size: number[]; value: (number | null)[]; status?: Record<string, string>; dimension: Record<string, { category: { index: Record<string, number> } }> };

/** Region x year cells of a json-stat2 answer whose other dimensions have one value each (summed by the server). */
function cells(ds: JsonStat, regions: string[]): Map<string, number | string> {
  assert.deepEqual(
    ds.id.filter((d, i) => ds.size[i] !== 1),
    ['Region', 'Tid'],
  );
  const ri = ds.id.indexOf('Region');
  const ti = ds.id.indexOf('Tid');
  const stride = (d: number) => ds.size.slice(d + 1).reduce((a, b) => a * b, 1);
  const out = new Map<string, number | string>();
  for (const r of regions) {
    for (const y of YEARS) {
      const at = ds.dimension.Region.category.index[r] * stride(ri) + ds.dimension.Tid.category.index[y] * stride(ti);
      const v = ds.value[at];
      const st = ds.status?.[String(at)];
      if (v !== null) assert.equal(st, undefined, `${r} ${y}: a number has no symbol`);
      out.set(`${r} ${y}`, v ?? st ?? 'missing');
    }
  }
  return out;
}

test('07459 in the 2024 structure, 2015 to the last year: v1 agg: and v2 codelist equal sums by hand from the Klass changes; splits are "x"', async () => {
  const municipalities = await pathsByHand(131);
  const counties = await pathsByHand(104);
  // the targets: every code of the grouping (the 2024 codes the table has a code for)
  const meta = await getJson<{ dimension: Record<string, { category: { index: Record<string, number> } }> }>(
    '/api/v2/tables/07459/metadata?lang=en&outputFormat=json-stat2&codelist[Region]=agg_reform2024',
  );
  const targets = Object.keys(meta.dimension.Region.category.index);
  assert.ok(targets.includes('3107') && targets.includes('31') && targets.includes('42') && targets.includes('50'), targets.join(' '));
  assert.ok(!targets.includes('30') && !targets.includes('0106'), 'only codes valid on 2024-01-01');

  const want = new Map<string, number | string>();
  for (const t of targets) {
    const paths = t.length === 2 ? counties : municipalities;
    for (const y of YEARS) want.set(`${t} ${y}`, expected(paths.get(y)!, t, y));
  }

  const v1 = await app.inject({
    method: 'POST',
    url: '/api/v0/en/table/07459',
    payload: JSON.stringify({
      query: [
        { code: 'Region', selection: { filter: 'agg:reform2024', values: targets } },
        { code: 'ContentsCode', selection: { filter: 'item', values: ['Personer1'] } },
        { code: 'Tid', selection: { filter: 'item', values: YEARS } },
      ],
      response: { format: 'json-stat2' },
    }),
  });
  assert.equal(v1.statusCode, 200, v1.body);
  const fromV1 = cells(v1.json() as JsonStat, targets);

  const v2 = await getJson<JsonStat>(
    `/api/v2/tables/07459/data?lang=en&outputFormat=json-stat2&codelist[Region]=agg_reform2024&valueCodes[Region]=${targets.join(',')}&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=${YEARS.join(',')}`,
  );
  const fromV2 = cells(v2, targets);

  for (const [k, w] of want) {
    assert.equal(fromV1.get(k), w, `v1 ${k}`);
    assert.equal(fromV2.get(k), w, `v2 ${k}`);
  }

  // what the hand sums hold, so the comparison above cannot pass on a trivial table
  const at = (t: string, y: string) => want.get(`${t} ${y}`);
  // merges across the 2018 and 2020 reforms are numbers in every year
  const sum = (codes: string[], y: string) => codes.reduce((s, c) => s + (rawSum(c, y) as number), 0);
  for (const y of ['2015', '2016', '2017']) assert.equal(at('50', y), sum(['16', '17'], y), `Trøndelag ${y} = Sør- + Nord-Trøndelag`);
  for (const y of ['2018', '2019']) assert.equal(at('50', y), sum(['50'], y));
  for (const y of ['2015', '2019']) assert.equal(at('42', y), sum(['09', '10'], y), `Agder ${y} = Aust- + Vest-Agder`);
  assert.equal(at('3107', '2019'), sum(['0106'], '2019'));
  assert.equal(at('3107', '2021'), sum(['3004'], '2021'));
  assert.equal(at('5001', '2017'), sum(['1601', '1662'], '2017'), 'Trondheim and Klæbu before the Trøndelag numbers');
  assert.equal(at('5001', '2019'), sum(['5001', '5030'], '2019'), 'Trondheim and Klæbu (merged 2020)');
  // Viken (2020-2023) was split into Østfold, Akershus and Buskerud: "x" in those years, numbers from 2024
  for (const t of ['31', '32', '33']) {
    for (const y of ['2020', '2021', '2022', '2023']) assert.equal(at(t, y), SPLIT_SYMBOL, `${t} ${y}`);
    for (const y of YEARS.filter((y) => y >= '2024')) assert.equal(typeof at(t, y), 'number', `${t} ${y}`);
  }
  // Stokke was split between Sandefjord and Tønsberg in 2017: Sandefjord is "x" before, a number after
  for (const y of ['2015', '2016']) assert.equal(at('3907', y), SPLIT_SYMBOL);
  assert.equal(at('3907', '2017'), sum(['0710'], '2017'));
  // Nordland kept its code but lost Tjeldsund in 2020: "x" before (a share of 18 went elsewhere), its own number
  // from 2020 on (the code is whole in the structures since then): the split is marked per period, not per code
  for (const y of ['2015', '2019']) assert.equal(at('18', y), SPLIT_SYMBOL, `Nordland ${y}`);
  for (const y of YEARS.filter((y) => y >= '2020')) assert.equal(at('18', y), sum(['18'], y), `Nordland ${y}`);
  // every year has numbers and splits; nothing is left unanswered
  for (const y of YEARS) {
    const row = targets.map((t) => at(t, y));
    assert.ok(row.some((v) => typeof v === 'number'));
    assert.ok(!row.includes('missing'));
  }
  assert.ok([...want.values()].filter((v) => v === SPLIT_SYMBOL).length >= 20);
  // the symbol is explained on the variable
  const note = await app.inject({ method: 'GET', url: '/api/v2/tables/07459/metadata?lang=en&codelist[Region]=agg_reform2024' });
  assert.match(note.body, /split between several new ones[^"]*\\"x\\"/);
});

test('07459 names both classifications and carries the county codes of each year', async () => {
  const reg = raw.meta.variables[0];
  assert.equal(reg.classification?.id, '131,104');
  // Hordaland 12 and Sogn og Fjordane 14 until 2019, Vestland 46 from 2020
  for (const [code, from, to] of [
    ['12', '2015', '2019'],
    ['14', '2015', '2019'],
    ['46', '2020', '9999'],
    ['30', '2020', '2023'],
    ['31', '2024', '9999'],
    ['16', '2015', '2017'],
    ['50', '2018', '9999'],
  ]) {
    for (const y of YEARS) assert.equal(rawSum(code, y) !== 'absent', y >= from && y <= to, `${code} ${y}`);
  }
  // each year the counties of that year add up to the country, and the municipalities of a county to at most it
  const counties = reg.values.filter((v) => v.code.length === 2).map((v) => v.code);
  for (const y of YEARS) {
    const total = counties.reduce((s, c) => {
      const v = rawSum(c, y);
      return s + (v === 'absent' ? 0 : v);
    }, 0);
    assert.equal(total, rawSum('0', y), y);
    for (const c of counties) {
      const cv = rawSum(c, y);
      const munis = reg.values.filter((v) => v.code.length === 4 && v.code.slice(0, 2) === c).map((v) => rawSum(v.code, y));
      const ms = munis.reduce<number>((s, v) => s + (v === 'absent' ? 0 : v), 0);
      if (cv === 'absent') assert.equal(ms, 0, `${c} ${y}`);
      else if (c === '11') assert.equal(ms, cv, `Rogaland ${y}: every municipality is listed`);
      else assert.ok(ms <= cv, `${c} ${y}`);
    }
  }
});
