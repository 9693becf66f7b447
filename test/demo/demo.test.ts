// The demo database: deterministic, shaped like Statistics Norway's, and carrying what the course exercises use.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Status, type Cube, type TableMeta } from '../../src/core/model.js';
import { evaluate, type Plan } from '../../src/core/engine.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { encodeCube } from '../../src/store/cubeCodec.js';
import type { Store } from '../../src/store/store.js';
import { buildDemoTable, generateDemo, listDemoTables, DEMO_FOLDERS } from '../../src/demo/index.js';

const DEMO_NO = 'Demodata: tallene er generert og ikke ekte statistikk.';

let shared: Promise<Store> | undefined;
/** One small demo for the tests that only read it. */
const sharedDemo = () => (shared ??= smallDemo());

async function smallDemo(lastYear?: number): Promise<Store> {
  const s = createMemoryStore();
  generateDemo(s, { small: true, lastYear });
  return s;
}

/** SHA-256 over every table's metadata JSON and encoded cells, in id order. */
async function digest(s: Store): Promise<string> {
  const h = createHash('sha256');
  for (const rec of s.listTables()) {
    const c = await s.getCube(rec.id);
    h.update(JSON.stringify(rec.meta));
    h.update(JSON.stringify([rec.folders, rec.shortName, rec.published, rec.discontinued]));
    h.update(encodeCube(c.values, c.status));
  }
  return h.digest('hex');
}

const codes = (m: TableMeta, v: string) => m.variables.find((x) => x.code === v)!.values.map((x) => x.code);
const vi = (m: TableMeta, v: string) => m.variables.findIndex((x) => x.code === v);

/** Plan: for each variable either a list of codes to pick, or 'sum' to eliminate by summing everything. */
function plan(m: TableMeta, spec: Record<string, string[] | 'sum'>): Plan {
  return m.variables.map((v) => {
    const s = spec[v.code];
    const all = v.values.map((_, i) => i);
    if (s === 'sum') return { kind: 'eliminate', inputs: all };
    if (!s) return { kind: 'pick', indices: all };
    return { kind: 'pick', indices: s.map((c) => v.values.findIndex((x) => x.code === c)) };
  });
}

test('two runs give the same bytes (in this process and in another one)', async () => {
  const a = await digest(await smallDemo());
  const b = await digest(await smallDemo());
  assert.equal(a, b);
  const script = `
    import { createHash } from 'node:crypto';
    import { createMemoryStore } from './src/store/memoryStore.ts';
    import { encodeCube } from './src/store/cubeCodec.ts';
    import { generateDemo } from './src/demo/index.ts';
    const s = createMemoryStore(); generateDemo(s, { small: true });
    const h = createHash('sha256');
    for (const rec of s.listTables()) { const c = await s.getCube(rec.id);
      h.update(JSON.stringify(rec.meta)); h.update(JSON.stringify([rec.folders, rec.shortName, rec.published, rec.discontinued]));
      h.update(encodeCube(c.values, c.status)); }
    console.log(h.digest('hex'));`;
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  assert.equal(out.trim(), a);
  // and the digest depends on the data: another last year differs
  assert.notEqual(await digest(await smallDemo(2026)), a);
});

test('15-30 tables in an SSB-shaped subject tree; every table says it is demo data', async () => {
  const s = await sharedDemo();
  const full = listDemoTables();
  assert.ok(full.length >= 15 && full.length <= 30, `${full.length} tables`);
  assert.equal(s.listTables().length, listDemoTables({ small: true }).length);
  const labels: Record<string, string> = {
    be: 'Befolkning',
    pp: 'Priser og prisindekser',
    al: 'Arbeid og lønn',
    uh: 'Utenrikshandel',
    tr: 'Transport og reiseliv',
    sk: 'Sosiale forhold og kriminalitet',
    'sk/sk02': 'Kriminalitet',
  };
  for (const [p, l] of Object.entries(labels)) assert.equal(s.getFolder(p)?.label.no, l, p);
  for (const f of DEMO_FOLDERS) assert.ok(f.label.no && f.label.en, f.path);
  for (const rec of s.listTables()) {
    const m = rec.meta;
    assert.ok(rec.folders.length > 0 && rec.folders.every((f) => s.getFolder(f)), `${rec.id} folders`);
    assert.ok(m.notes?.some((n) => n.text.no === DEMO_NO && /Demo data/.test(n.text.en)), `${rec.id} demo note`);
    assert.equal(m.source?.no, 'Statistisk sentralbyrå (demodata)');
    assert.ok(m.title.no.startsWith(`${rec.id}: `) && m.title.en.startsWith(`${rec.id}: `), m.title.no);
    assert.ok(!Number.isNaN(Date.parse(rec.published)) && m.updated === rec.published, `${rec.id} timestamps`);
    assert.deepEqual([...m.stub, ...m.heading], m.variables.map((v) => v.code));
    for (const v of m.variables) {
      assert.ok(v.label.no && v.label.en, `${rec.id} ${v.code} label`);
      for (const x of v.values) assert.ok(x.label.no && x.label.en, `${rec.id} ${v.code} ${x.code}`);
      for (const g of v.groupings ?? []) for (const grp of g.groups) for (const c of grp.inputs) assert.ok(v.values.some((x) => x.code === c));
      for (const vs of v.valueSets ?? []) for (const c of vs.codes) assert.ok(v.values.some((x) => x.code === c));
    }
    const time = m.variables.find((v) => v.role === 'time');
    assert.ok(time?.timeUnit, `${rec.id} time variable`);
    const contents = m.variables.find((v) => v.role === 'contents');
    assert.ok(contents && contents.values.every((x) => m.contentInfo?.[x.code]), `${rec.id} contents`);
    const c = await s.getCube(rec.id);
    for (let i = 0; i < c.values.length; i++) {
      if (!Number.isFinite(c.values[i])) assert.fail(`${rec.id} cell ${i} = ${c.values[i]}`);
    }
  }
});

test('07459: variables, codes, value sets, groupings and plausible, smooth numbers', async () => {
  const s = await sharedDemo();
  const rec = s.getTable('07459')!;
  const m = rec.meta;
  assert.match(m.title.no, /Befolkning, etter region, kjønn, alder/);
  assert.match(m.title.en, /Population, by region, sex, age/);
  assert.deepEqual(m.variables.map((v) => v.code), ['Region', 'Kjonn', 'Alder', 'ContentsCode', 'Tid']);
  const region = m.variables[0];
  assert.equal(region.role, 'geo');
  const rc = codes(m, 'Region');
  const rogaland = ['1101', '1103', '1106', '1108', '1111', '1112', '1114', '1119', '1120', '1121', '1122', '1124', '1127', '1130', '1133', '1134', '1135', '1144', '1145', '1146', '1149', '1151', '1160'];
  for (const c of ['0', '03', '0301', '11', '46', '50', ...rogaland]) assert.ok(rc.includes(c), c);
  // codes of each year, as Statistics Norway's 07459: Sandnes and Forsand (-2019) became 1108, Finnøy and Rennesøy joined 1103
  const former = ['1102', '1129', '1141', '1142'];
  assert.deepEqual(rc.filter((c) => c.startsWith('11')).sort(), ['11', ...rogaland, ...former].sort(), 'filter all 11* = county + its municipalities, current and former');
  assert.equal(region.values.find((v) => v.code === '0')?.label.no, 'Hele landet');
  assert.equal(region.values.find((v) => v.code === '1103')?.label.no, 'Stavanger');
  assert.ok(['Fylker', 'Kommuner', 'Landet'].every((id) => region.valueSets?.some((x) => x.id === id)));
  const komm = region.groupings?.find((g) => g.id === 'KommSummer');
  assert.ok(komm && komm.groups.length >= 10);
  const kjonn = m.variables[1];
  assert.deepEqual(codes(m, 'Kjonn'), ['1', '2']);
  assert.deepEqual(kjonn.values.map((v) => v.label.no), ['Menn', 'Kvinner']);
  assert.equal(kjonn.elimination, true);
  const alder = m.variables[2];
  assert.equal(alder.elimination, true);
  assert.equal(alder.values.length, 106);
  assert.deepEqual([alder.values[0].code, alder.values[0].label.no], ['000', '0 år']);
  assert.deepEqual([alder.values[105].code, alder.values[105].label.no], ['105', '105 år eller eldre']);
  const five = alder.groupings?.find((g) => g.id === 'FemAarigGruppering');
  assert.ok(five);
  assert.deepEqual(five.groups.flatMap((g) => g.inputs).sort(), alder.values.map((v) => v.code).sort(), '5-year groups cover every age once');
  assert.deepEqual(codes(m, 'ContentsCode'), ['Personer1']);
  assert.equal(m.variables[3].role, 'contents');
  assert.deepEqual([m.contentInfo?.Personer1.unit.no, m.contentInfo?.Personer1.decimals], ['personer', 0]);
  const tid = m.variables[4];
  assert.deepEqual([tid.role, tid.timeUnit, tid.values[0].code, tid.values.at(-1)?.code, tid.values.length], ['time', 'A', '1986', '2025', 40]);

  const cube = await s.getCube('07459');
  // Oslo 2025 summed over sexes and ages: about 700 000
  const oslo = evaluate(cube, plan(m, { Region: ['0301', '1103'], Kjonn: 'sum', Alder: 'sum', Tid: ['2025'] }));
  assert.ok(oslo.values[0] > 650_000 && oslo.values[0] < 780_000, `Oslo ${oslo.values[0]}`);
  assert.ok(oslo.values[1] > 120_000 && oslo.values[1] < 180_000, `Stavanger ${oslo.values[1]}`);
  // 100-year-olds exist in Oslo and Stavanger in 2021 (exercise 2.1), but not many
  const old = evaluate(cube, plan(m, { Region: ['1103', '0301'], Alder: ['100'], Tid: ['2021'] }));
  assert.ok(old.values.every((v) => v >= 0 && v < 300) && old.values.some((v) => v > 0), `${[...old.values]}`);
  // the country is the sum of the counties; Rogaland (11) is the sum of its municipalities (agg:KommSummer)
  const counties = region.valueSets!.find((x) => x.id === 'Fylker')!.codes;
  const byCounty = evaluate(cube, plan(m, { Region: counties, Kjonn: 'sum', Alder: 'sum' }));
  const land = evaluate(cube, plan(m, { Region: ['0'], Kjonn: 'sum', Alder: 'sum' }));
  const nt = tid.values.length;
  for (let y = 0; y < nt; y++) {
    let sum = 0;
    for (let c = 0; c < counties.length; c++) sum += byCounty.values[c * nt + y];
    assert.equal(sum, land.values[y]);
  }
  const f11 = komm.groups.findIndex((g) => g.code === 'F-11');
  const grouped = evaluate(cube, [
    { kind: 'group', groups: [{ value: komm.groups[f11], inputs: komm.groups[f11].inputs.map((c) => rc.indexOf(c)) }] },
    { kind: 'eliminate', inputs: [0, 1] },
    { kind: 'pick', indices: alder.values.map((_, i) => i) },
    { kind: 'pick', indices: [0] },
    { kind: 'pick', indices: tid.values.map((_, i) => i) },
  ]);
  const county11 = evaluate(cube, plan(m, { Region: ['11'], Kjonn: 'sum' }));
  assert.deepEqual(grouped.values, county11.values);
  // smooth: Norway by age in 2025 changes little from one age to the next below 90; year to year within 4 %
  const byAge = evaluate(cube, plan(m, { Region: ['0'], Kjonn: 'sum', Tid: ['2025'] })).values;
  for (let a = 1; a < 90; a++) assert.ok(Math.abs(byAge[a] / byAge[a - 1] - 1) < 0.15, `age ${a}: ${byAge[a - 1]} -> ${byAge[a]}`);
  for (let y = 1; y < nt; y++) assert.ok(Math.abs(land.values[y] / land.values[y - 1] - 1) < 0.04, `year ${y}`);
  assert.ok(land.values[nt - 1] > 5_000_000 && land.values[nt - 1] < 6_000_000);
});

test('lastYear publishes a new version with one more year; earlier years are unchanged', async () => {
  const s = createMemoryStore();
  generateDemo(s, { small: true });
  const before = await s.getCube('07459');
  const v1 = s.getTable('07459')!.version;
  generateDemo(s, { small: true, lastYear: 2026 });
  const rec = s.getTable('07459')!;
  assert.equal(rec.version, v1 + 1);
  const tid = rec.meta.variables[vi(rec.meta, 'Tid')];
  assert.equal(tid.values.at(-1)?.code, '2026');
  assert.equal(codes(before.meta, 'Tid').at(-1), '2025');
  const after = await s.getCube('07459');
  const pick = (c: Cube) => evaluate(c, plan(c.meta, { Tid: ['2020', '2021'] })).values;
  assert.deepEqual(pick(after), pick(before), 'item 2020-2021 gives the same numbers after the new year');
  assert.equal(codes(s.getTable('03013')!.meta, 'Tid').at(-1), '2026M10');
  assert.throws(() => generateDemo(createMemoryStore(), { lastYear: 2020 }), RangeError);
  assert.throws(() => listDemoTables({ lastYear: 2025.5 }), RangeError);
});

test('CPI: 03013 by consumption group with a hierarchy, and more tables with short name kpi', async () => {
  const s = await sharedDemo();
  const m = s.getTable('03013')!.meta;
  assert.match(m.title.no, /Konsumprisindeks/);
  const k = m.variables.find((v) => v.code === 'Konsumgrp')!;
  for (const c of ['TOTAL', '01', '01.1', '01.1.1']) assert.ok(k.values.some((v) => v.code === c), c);
  assert.equal(k.hierarchy?.['01.1.1'], '01.1');
  assert.equal(k.hierarchy?.['01'], 'TOTAL');
  for (const c of ['KpiIndMnd', 'KpiVektMnd']) assert.ok(codes(m, 'ContentsCode').includes(c));
  assert.equal(m.contentInfo?.KpiIndMnd.decimals, 1);
  const tid = m.variables.find((v) => v.role === 'time')!;
  assert.deepEqual([tid.timeUnit, tid.values[0].code, tid.values.at(-1)?.code], ['M', '1979M01', '2025M10']);
  assert.equal(s.getTable('03013')!.shortName, 'kpi');
  const kpi = s.listTables().filter((t) => t.shortName === 'kpi');
  assert.ok(kpi.length >= 2 && kpi.length <= 4, `${kpi.map((t) => t.id)}`);
  // 2015 = 100: the total index averages 100 over 2015
  const c = await s.getCube('03013');
  const y2015 = evaluate(c, plan(m, { Konsumgrp: ['TOTAL'], ContentsCode: ['KpiIndMnd'], Tid: tid.values.filter((v) => v.code.startsWith('2015')).map((v) => v.code) }));
  const avg = y2015.values.reduce((a, b) => a + b, 0) / 12;
  assert.ok(Math.abs(avg - 100) < 0.1, `2015 average ${avg}`);
  // the first month has no monthly change: a ".." symbol
  const first = evaluate(c, plan(m, { Konsumgrp: ['TOTAL'], ContentsCode: ['Manedsendring'], Tid: ['1979M01'] }));
  assert.equal(first.status?.[0], Status.Dot1);
  assert.equal(m.symbols?.[Status.Dot1]?.no, '..');
});

test('navigation and search targets of the course: 12535 under tr/tr01/kilt as Kilt01, citizenship in sk/sk02', async () => {
  const s = await sharedDemo();
  const kids = (p: string) => s.listChildren(p).map((c) => (c.kind === 'folder' ? c.folder.id : c.table.meta.matrix ?? c.table.id));
  assert.ok(kids('').includes('tr'));
  assert.ok(kids('tr').includes('tr01'));
  assert.ok(kids('tr/tr01').includes('kilt'));
  assert.ok(kids('tr/tr01/kilt').includes('Kilt01'));
  const t12535 = s.getTable('12535')!;
  assert.deepEqual([t12535.meta.matrix, t12535.folders], ['Kilt01', ['tr/tr01/kilt']]);
  assert.match(t12535.meta.title.no, /^12535: Totalkostnadsindeks for lastebiltransport/);

  const sk02 = s.listChildren('sk/sk02').flatMap((c) => (c.kind === 'table' ? [c.table] : []));
  const withCitizenship = sk02.filter((t) => t.meta.variables.some((v) => /statsborgerskap/i.test(v.label.no)));
  assert.ok(withCitizenship.length >= 1 && withCitizenship.length < sk02.length, `${withCitizenship.length} of ${sk02.length}`);

  const all = s.listTables();
  assert.ok(all.some((t) => t.meta.matrix === 'Framskr2020T07'), 'a table with short id framskr2020t07');
  assert.ok(all.some((t) => /\bbolig\b/i.test(t.meta.title.no)), 'title:bolig');
  assert.ok(all.some((t) => t.published >= '2018-06-01' && t.published < '2018-06-05'), 'published:[20180601 TO 20180604*]');
  assert.ok(all.some((t) => t.meta.variables.some((v) => v.label.no === 'funksjon' && v.values.some((x) => x.code === '170'))), 'funksjon AND 170');
  const tr = all.filter((t) => t.folders.some((f) => f.startsWith('tr')));
  const alder = tr.filter((t) => /alder/.test(t.meta.title.no));
  assert.ok(alder.some((t) => /avslutta/.test(t.meta.title.no) && t.discontinued) && alder.some((t) => !/avslutta/.test(t.meta.title.no)), 'alder NOT avslutta');
  assert.ok(all.some((t) => t.id === '08931' && t.shortName === 'aku'), 'table of ready-made dataset 1052');
});

test('time units, symbols, units and notes: the variety the APIs must handle', async () => {
  const s = await sharedDemo();
  const all = s.listTables();
  const timeCodes = all.flatMap((t) => t.meta.variables.filter((v) => v.role === 'time').flatMap((v) => v.values.map((x) => x.code)));
  assert.ok(timeCodes.includes('2024K1'), 'quarters');
  assert.ok(timeCodes.some((c) => /^\d{4}M\d\d$/.test(c)), 'months');
  assert.ok(timeCodes.some((c) => /^\d{4}U\d\d$/.test(c)), 'weeks');
  const units = new Set(all.flatMap((t) => t.meta.variables.flatMap((v) => (v.timeUnit ? [v.timeUnit] : []))));
  for (const u of ['A', 'Q', 'M', 'W']) assert.ok(units.has(u as never), u);
  // one table with "..", ":" and "-" cells
  let allThree = false;
  for (const rec of all) {
    const c = await s.getCube(rec.id);
    if (!c.status) continue;
    const seen = new Set(c.status);
    if (seen.has(Status.Dot1) && seen.has(Status.Dot3) && seen.has(Status.Nil)) {
      allThree = true;
      assert.equal(rec.meta.symbols?.[Status.Dot3]?.no, ':');
      for (let i = 0; i < c.status.length; i++) if (c.status[i]) assert.equal(c.values[i], 0, 'a symbol cell holds 0');
    }
  }
  assert.ok(allThree);
  assert.ok(
    all.some((t) => {
      const ci = Object.values(t.meta.contentInfo ?? {});
      return new Set(ci.map((c) => c.unit.no)).size > 1 && new Set(ci.map((c) => c.decimals)).size > 1;
    }),
    'contents of different units and decimals',
  );
  assert.ok(all.some((t) => t.meta.variables.some((v) => v.notes?.length)), 'variable notes');
  assert.ok(all.some((t) => t.meta.variables.some((v) => v.values.some((x) => x.notes?.length))), 'value notes');
});

test('the large table: at least 5 million cells, consistent with 07459', async () => {
  assert.ok(listDemoTables().some((t) => t.id === '05196' && t.large));
  assert.ok(!listDemoTables({ small: true }).some((t) => t.large));
  const big = buildDemoTable('05196')!;
  assert.ok(big.values.length >= 5_000_000, `${big.values.length} cells`);
  assert.ok(big.meta.variables.some((v) => v.label.no === 'statsborgerskap'));
  const pop = buildDemoTable('07459')!;
  // summing citizenship away gives 07459 exactly
  const summed = evaluate(big, plan(big.meta, { Statsborgerskap: 'sum', Region: ['0', '0301', '11', '1151'], Tid: ['1986', '2025'] }));
  const direct = evaluate(pop, plan(pop.meta, { Region: ['0', '0301', '11', '1151'], Tid: ['1986', '2025'] }));
  assert.deepEqual(summed.values, direct.values);
  assert.equal(buildDemoTable('nope'), undefined);
});
