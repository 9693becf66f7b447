// Tables by id in any case, by matrix name and by codelist id, newest first and by language (src/app/tableLookup.ts): the same
// answers as a scan or sort of the catalogue, kept current across puts, deletes and releases from the store's change
// log, so that after the first lookup the catalogue is never listed again; nothing under embargo is found.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TableLookup } from '../../src/app/tableLookup.js';
import { buildDemoTable } from '../../src/demo/index.js';
import { demoKlassData } from '../../src/demo/klass.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { cube } from '../store/cubes.js';

const T0 = Date.parse('2026-03-02T07:00:00Z');

test('lookups by id in any case, matrix and codelist, newest first and by language follow puts, deletes and releases from the change log', () => {
  let now = T0;
  const base = createMemoryStore({ now: () => now });
  for (const id of ['07459', '05196', '12882']) {
    base.putTable(buildDemoTable(id)!);
    now += 60_000;
  }
  base.putTable(cube('Kpi01', [2, 3], (i) => i, 'KPI'));
  now = T0 + 30_000; // published between 07459 and 05196
  base.putTable(cube('Kpi02', [2, 3], (i) => i, 'KPI'));
  now = T0 + 600_000;
  // the calls that list the whole catalogue are counted (the test's own reference listings are not)
  const listTables = base.listTables.bind(base);
  let listings = 0;
  base.listTables = () => (listings++, listTables());
  const lists = () => listings;
  // newest first, ties by id: what the RSS of updated tables sorted the catalogue for at every request
  const sorted = () =>
    ids(listTables().sort((a, b) => Date.parse(b.published) - Date.parse(a.published) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  const lookup = new TableLookup(base, demoKlassData());
  const ids = (rs: Iterable<{ id: string }>) => [...rs].map((r) => r.id);

  assert.equal(lookup.byIdIgnoringCase('KPI01')?.id, 'Kpi01');
  assert.equal(lookup.byIdIgnoringCase('kpi01')?.id, 'Kpi01');
  assert.equal(lookup.byIdIgnoringCase('nosuch'), undefined);
  assert.equal(lookup.byMatrix('Framskr2020T07')?.id, '12882');
  assert.equal(lookup.byMatrix('framskr2020t07'), undefined, 'a matrix name is matched as written');
  assert.deepEqual(ids(lookup.withCodelist('vs_Fylker')), ['05196', '07459']);
  assert.deepEqual(ids(lookup.withCodelist('agg_KommSummer')), ['05196', '07459']);
  // 07459's region variable follows Klass 131/104: its reform groupings are found without reading its metadata
  assert.ok(ids(lookup.withCodelist('agg_reform2024')).includes('07459'));
  assert.ok(!ids(lookup.withCodelist('agg_reform2024')).includes('05196'), '05196 names no classification');
  assert.deepEqual(ids(lookup.withCodelist('vs_nosuch')), []);
  assert.deepEqual(ids([...lookup.newest()]), ['Kpi01', '12882', '05196', 'Kpi02', '07459']);
  assert.deepEqual(ids([...lookup.newest()]), sorted());
  assert.equal(lists(), 1, 'built once, on the first lookup');

  // a put, a replacement and a delete are seen at the next lookup, from the change log
  const renamed = buildDemoTable('12882')!;
  renamed.meta.matrix = 'Framskr2024';
  base.putTable(renamed);
  base.putTable({ ...cube('90001', [2], (i) => i, 'Ny'), meta: { ...cube('90001', [2], (i) => i, 'Ny').meta, matrix: 'Ny01' } });
  base.deleteTable('05196');
  assert.equal(lookup.byMatrix('Framskr2020T07'), undefined);
  assert.equal(lookup.byMatrix('Framskr2024')?.id, '12882');
  assert.equal(lookup.byMatrix('Ny01')?.id, '90001');
  assert.deepEqual(ids(lookup.withCodelist('vs_Fylker')), ['07459']);
  const copy = buildDemoTable('07459')!;
  copy.meta.id = '07000';
  base.putTable(copy);
  assert.deepEqual(ids(lookup.withCodelist('vs_Fylker')), ['07000', '07459'], 'in id order after an insert');
  base.deleteTable('07000');
  assert.deepEqual(ids([...lookup.newest()]).slice(0, 2), ['12882', '90001'], 'republished: to the top, in id order');
  assert.deepEqual(ids([...lookup.newest()]), sorted());

  // a table under embargo is not found until its release instant
  const release = T0 + 3_600_000;
  base.scheduleTable({ ...cube('90002', [2], (i) => i, 'Senere'), meta: { ...cube('90002', [2], (i) => i, 'Senere').meta, matrix: 'Later01' } }, { releaseAt: new Date(release).toISOString() });
  assert.equal(lookup.byMatrix('Later01'), undefined);
  assert.equal(lookup.byIdIgnoringCase('90002'), undefined);
  now = release;
  assert.equal(lookup.byMatrix('Later01')?.id, '90002');
  assert.equal([...lookup.newest()][0].id, '90002', 'published at its release instant');
  assert.deepEqual(ids([...lookup.newest()]), sorted());
  assert.equal(lists(), 1, 'every change came from the change log');
  // the newest-first list holds the store's records: the RSS of 500 tables is not 500 store reads
  const getTable = base.getTable.bind(base);
  let reads = 0;
  base.getTable = (id) => (reads++, getTable(id));
  const newest = [...lookup.newest()];
  assert.equal(reads, 0);
  base.getTable = getTable;
  for (const r of newest) assert.deepEqual(r, getTable(r.id), `${r.id}: the record readers get`);
  assert.equal(newest.find((r) => r.id === '12882')?.meta.matrix, 'Framskr2024', 'the replaced version');

  // the tables in a language, with and without the discontinued: the filter the v2 /tables pages made per request
  const swedish = cube('90003', [2], (i) => i, 'Svensk');
  swedish.meta.languages = ['sv'];
  swedish.meta.defaultLanguage = 'sv';
  base.putTable(swedish);
  base.putTable(cube('90004', [2], (i) => i, 'Nedlagt'), { discontinued: true });
  const filtered = (lang: string, all: boolean) =>
    ids(listTables().filter((r) => (!r.summary.languages.length || r.summary.languages.includes(lang)) && (all || !r.discontinued)));
  for (const lang of ['no', 'en', 'sv']) {
    for (const all of [false, true]) assert.deepEqual(ids([...lookup.inLanguage(lang, all)]), filtered(lang, all), `${lang} ${all}`);
  }
  assert.ok(ids([...lookup.inLanguage('sv')]).includes('90003') && !ids([...lookup.inLanguage('no')]).includes('90003'));
  assert.ok(!ids([...lookup.inLanguage('no')]).includes('90004') && ids([...lookup.inLanguage('no', true)]).includes('90004'));
  const listed = lists();
  for (let page = 0; page < 5; page++) lookup.inLanguage('no');
  assert.equal(lists(), listed, 'pages between changes reuse the list');
  base.deleteTable('90003');
  assert.ok(!ids([...lookup.inLanguage('sv')]).includes('90003'), 'a change is seen at the next listing');
});
