// The v2 API over real inputs: a PX file from PxWebApi's own demo database read by the PX reader (numbers
// checked against the figures in shared/fixtures/px/SOURCES.md, catalogue entry against PxWebApi's
// ListAllTables.json), and every table of the demo database (metadata, default selection, default data).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import JSONstat from 'jsonstat-toolkit';
import { readPxFile } from '../../src/formats/px/reader.js';
import { generateDemo } from '../../src/demo/index.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { loadConfig } from '../../src/app/config.js';
import { buildApp } from '../../src/server/app.js';
import { createMemorySavedQueryStore } from '../../src/savedQueries/savedQueries.js';

const SHARED = fileURLToPath(new URL('../../../shared/fixtures/', import.meta.url));
const TAB002 = SHARED + 'px/pxwebapi-TAB002.px';

async function appOn(store: ReturnType<typeof createMemoryStore>, languages: string[], defaultLanguage: string) {
  const config = loadConfig({ baseUrl: '', languages, defaultLanguage, maxCalls: 0, logLevel: 'silent' }, {});
  return buildApp({ store, config, savedQueries: createMemorySavedQueryStore() } as Parameters<typeof buildApp>[0], { logger: false });
}

test('PxWebApi TAB002.px through the reader: all 19,800 cells, catalogue entry', { skip: !existsSync(TAB002) && 'shared fixtures absent' }, async () => {
  const { cube } = await readPxFile(TAB002);
  const store = createMemoryStore();
  store.putFolder('PO', { en: 'Population', sv: 'Befolkning' });
  store.putFolder('PO/PO01', { en: 'Population census', sv: 'Folkräkning' });
  store.putTable(cube, { folders: ['PO/PO01'] });
  const app = await appOn(store, ['en', 'sv'], 'en');
  try {
    // every cell: each variable with '*'
    const selection = cube.meta.variables.map((v) => ({ variableCode: v.code, valueCodes: ['*'] }));
    const r = await app.inject({ method: 'POST', url: '/api/v2/tables/tab002/data', payload: JSON.stringify({ selection }) });
    assert.equal(r.statusCode, 200, r.body.slice(0, 300));
    const ds = JSON.parse(r.body) as { value: (number | null)[]; status?: Record<string, string>; size: number[] };
    assert.equal(ds.value.length, 19800);
    const nums = ds.value.filter((x): x is number => x !== null);
    // SOURCES.md: 9879 numbers, `..` x 9921, sum 7452698116, first 334532, last `..`
    assert.equal(nums.length, 9879);
    assert.equal(ds.value.length - nums.length, 9921);
    assert.equal(nums.reduce((a, b) => a + b, 0), 7452698116);
    assert.equal(ds.value[0], 334532);
    assert.equal(ds.value[19799], null);
    assert.equal(ds.status?.['19799'], '..');

    // the catalogue entry agrees with PxWebApi's own list for this file
    const ref = (JSON.parse(readFileSync(SHARED + 'pxweb/v2/pxwebapi-tests/ListAllTables.json', 'utf8')) as { tables: Record<string, unknown>[] }).tables.find((x) => x.id === 'TAB002')!;
    const mine = JSON.parse((await app.inject({ url: '/api/v2/tables/TAB002?lang=en' })).body) as Record<string, unknown>;
    for (const k of ['id', 'firstPeriod', 'lastPeriod', 'variableNames', 'source', 'timeUnit', 'category']) assert.deepEqual(mine[k], ref[k], k);
    assert.equal(String(mine.label).startsWith(String(ref.label)), true);
    assert.deepEqual((mine.paths as { id: string }[][])[0].map((p) => p.id), ['PO', 'PO01']);
    const sv = JSON.parse((await app.inject({ url: '/api/v2/tables/TAB002?lang=sv' })).body) as { links: { rel: string; hreflang: string }[] };
    assert.deepEqual(sv.links.map((l) => `${l.rel}:${l.hreflang}`), ['self:sv', 'alternate:en', 'metadata:sv', 'data:sv']);

    // metadata: the PX ELIMINATION("age")="Total" becomes the elimination value code
    const m = JSON.parse((await app.inject({ url: '/api/v2/tables/TAB002/metadata?lang=en' })).body);
    const ageCode = cube.meta.variables.find((v) => v.label.en === 'age')!.code;
    assert.equal(m.dimension[ageCode].extension.elimination, true);
    assert.ok(m.dimension[ageCode].extension.eliminationValueCode);
  } finally {
    await app.close();
  }
});

test('every demo table: metadata, default selection and default data agree', async () => {
  const store = createMemoryStore();
  const records = generateDemo(store, { small: true });
  assert.ok(records.length >= 15);
  const app = await appOn(store, ['no', 'en'], 'no');
  try {
    const list = JSON.parse((await app.inject({ url: '/api/v2/tables?lang=en&pageSize=1000&includeDiscontinued=true' })).body);
    assert.equal(list.page.totalElements, records.length);
    for (const rec of records) {
      const meta = await app.inject({ url: `/api/v2/tables/${rec.id}/metadata?lang=en` });
      assert.equal(meta.statusCode, 200, rec.id);
      const md = JSON.parse(meta.body);
      assert.equal(JSONstat(md).class, 'dataset', rec.id);
      const def = JSON.parse((await app.inject({ url: `/api/v2/tables/${rec.id}/defaultselection?lang=en` })).body);
      const data = await app.inject({ url: `/api/v2/tables/${rec.id}/data?lang=en` });
      assert.equal(data.statusCode, 200, `${rec.id}: ${data.body.slice(0, 200)}`);
      const ds = JSON.parse(data.body);
      const n = (ds.size as number[]).reduce((a, b) => a * b, 1);
      assert.equal(ds.value.length, n, rec.id);
      // the data's dimensions are the default selection's non-empty variables in its placement order
      assert.deepEqual(ds.id, [...def.placement.stub, ...def.placement.heading], rec.id);
      for (const s of def.selection as { variableCode: string; valueCodes: string[] }[]) {
        if (!s.valueCodes.length) continue;
        assert.deepEqual(Object.keys(ds.dimension[s.variableCode].category.index).sort(), [...s.valueCodes].sort(), `${rec.id} ${s.variableCode}`);
      }
      // the explicit form of the default selection gives the same bytes
      const again = await app.inject({ method: 'POST', url: `/api/v2/tables/${rec.id}/data?lang=en`, payload: JSON.stringify({ selection: def.selection, placement: def.placement }) });
      assert.equal(again.body, data.body, rec.id);
    }
  } finally {
    await app.close();
  }
});
