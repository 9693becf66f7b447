// PxWebApi 2.0 endpoints over app.inject: shapes against the real responses in shared/fixtures (key order),
// paging links, selections, saved queries, errors, CORS, case-insensitive paths and parameter names.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import JSONstat from 'jsonstat-toolkit';
import { build05810, cellAt, testServer, type TestServer } from './cubes.js';

const FIX = fileURLToPath(new URL('../../../shared/fixtures/pxweb/', import.meta.url));
const hasFix = existsSync(FIX);
const fixture = (rel: string) => JSON.parse(readFileSync(FIX + rel, 'utf8'));
const BASE = 'https://statbank.test/api/v2';
const JSON_CT = 'application/json; charset=utf-8';

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Keys both objects have appear in the same relative order, recursively (arrays: first elements). */
function assertKeyOrder(ours: unknown, ref: unknown, path = '$'): void {
  if (Array.isArray(ours) && Array.isArray(ref)) {
    if (ours.length && ref.length) assertKeyOrder(ours[0], ref[0], path + '[0]');
    return;
  }
  if (!isObj(ours) || !isObj(ref)) return;
  const ok = Object.keys(ours);
  const rk = Object.keys(ref);
  assert.deepEqual(
    ok.filter((k) => rk.includes(k)),
    rk.filter((k) => ok.includes(k)),
    `key order at ${path}`,
  );
  for (const k of ok) if (k in ref) assertKeyOrder(ours[k], ref[k], `${path}.${k}`);
}

/** Keys of an object, checked to be a subset of the allowed list in its order. */
function assertKeysWithin(o: Record<string, unknown>, allowed: string[], path: string) {
  const keys = Object.keys(o);
  assert.deepEqual(keys, allowed.filter((k) => keys.includes(k)), `keys at ${path}: ${keys.join(',')}`);
}

let t: TestServer;
const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const post = (url: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  t.app.inject({ method: 'POST', url, payload: typeof body === 'string' ? body : JSON.stringify(body), headers });
const json = (r: { body: string }) => JSON.parse(r.body);

before(async () => {
  t = await testServer();
});
after(async () => {
  await t.app.close();
});

describe('/config', () => {
  test('shape, values and content type', async () => {
    const r = await get('/api/v2/config');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], JSON_CT);
    const c = json(r);
    assert.deepEqual(Object.keys(c), [
      'apiVersion', 'appVersion', 'languages', 'defaultLanguage', 'maxDataCells', 'maxCallsPerTimeWindow', 'timeWindow',
      'license', 'sourceReferences', 'defaultDataFormat', 'dataFormats', 'features',
    ]);
    // no languages configured: the ones the tables carry, the most common first
    assert.deepEqual(t.config.languages, []);
    assert.deepEqual(c.languages.map((l: { id: string }) => l.id), ['no', 'en']);
    assert.equal(c.defaultLanguage, 'no');
    assert.equal(c.maxDataCells, t.config.maxCells);
    assert.equal(c.timeWindow, t.config.timeWindow);
    assert.deepEqual(c.dataFormats.slice(0, 3), ['json-stat2', 'csv', 'px']);
    assert.deepEqual([...c.dataFormats].sort(), ['csv', 'html', 'json-px', 'json-stat2', 'parquet', 'px', 'xlsx']);
    assert.deepEqual(c.features[0], { id: 'CORS', params: [{ key: 'enabled', value: 'True' }] });
    // the admission limits, as v1 ?config reports them
    const heavy = Object.fromEntries(c.features[1].params.map((p: { key: string; value: string }) => [p.key, Number(p.value)]));
    assert.equal(c.features[1].id, 'HeavyAnswers');
    assert.equal(heavy.maxHeavyAnswers, t.config.maxHeavyAnswers);
    assert.equal(heavy.heavyAnswerBytes, t.config.heavyAnswerBytes);
    assert.ok(Number(c.apiVersion.split('.')[0]) >= 2, 'pxwebpy needs apiVersion >= 2.0.0');
  });
  test('key order as the real servers', { skip: !hasFix }, async () => {
    const c = json(await get('/api/v2/config'));
    assertKeyOrder(c, fixture('v2/pxwebapi-tests/GetApiConfiguration.json'));
    assertKeyOrder(c, fixture('v2/scb-real/pxwebpy_config.json'));
  });
});

describe('/tables', () => {
  test('list: shape and key order against SSB, SCB and PxWebApi', { skip: !hasFix }, async () => {
    const r = await get('/api/v2/tables?lang=en');
    assert.equal(r.headers['content-type'], JSON_CT);
    const b = json(r);
    for (const f of ['v2/ssb-real/UG_tables_list_lang_en_pagesize3.json', 'v2/pxwebapi-tests/ListAllTables.json', 'v2/scb-real/pxwebpy_tables.json']) {
      assertKeyOrder(b, fixture(f));
    }
    const allowed = ['id', 'label', 'description', 'sortCode', 'tags', 'updated', 'firstPeriod', 'lastPeriod', 'category', 'variableNames', 'discontinued', 'source', 'subjectCode', 'timeUnit', 'paths', 'links'];
    for (const tab of b.tables) assertKeysWithin(tab, allowed, `table ${tab.id}`);
    assert.deepEqual(Object.keys(b), ['language', 'tables', 'page', 'links']);
    assert.deepEqual(Object.keys(b.page), ['pageNumber', 'pageSize', 'totalElements', 'totalPages', 'links']);
  });

  test('table objects: labels, periods, paths and links', async () => {
    const b = json(await get('/api/v2/tables?lang=en'));
    assert.deepEqual(b.tables.map((x: { id: string }) => x.id), ['03024', '05810']); // discontinued PLAIN1 left out
    const t1 = b.tables.find((x: { id: string }) => x.id === '05810');
    // the title as the table gives it, no time range appended (PxWebApi 2.0 takes the label from the title)
    assert.equal(t1.label, '05810: Population, by sex and age');
    assert.equal(t1.firstPeriod, '2019');
    assert.equal(t1.lastPeriod, '2025');
    assert.equal(t1.timeUnit, 'Annual');
    assert.equal(t1.updated, '2025-02-25T07:00:00Z');
    assert.deepEqual(t1.variableNames, ['gender', 'age', 'contents', 'year']);
    assert.deepEqual(t1.paths[0].map((p: { id: string }) => p.id), ['be', 'folkemengde']);
    assert.deepEqual(t1.paths[0].map((p: { label: string }) => p.label), ['Population', 'Population']);
    assert.deepEqual(t1.links, [
      { rel: 'self', hreflang: 'en', href: `${BASE}/tables/05810?lang=en` },
      { rel: 'alternate', hreflang: 'no', href: `${BASE}/tables/05810?lang=no` },
      { rel: 'metadata', hreflang: 'en', href: `${BASE}/tables/05810/metadata?lang=en` },
      { rel: 'data', hreflang: 'en', href: `${BASE}/tables/05810/data?lang=en&outputFormat=json-stat2` },
    ]);
    assert.equal(b.tables[0].timeUnit, 'Weekly');
    const no = json(await get('/api/v2/tables'));
    assert.equal(no.language, 'no');
    assert.equal(no.tables[1].label, '05810: Folkemengde, etter kjønn og alder');
  });

  test('paging links exactly as the reference writes them', async () => {
    const p1 = json(await get('/api/v2/tables?lang=en&pageSize=1&includeDiscontinued=true'));
    assert.deepEqual(p1.page, {
      pageNumber: 1,
      pageSize: 1,
      totalElements: 3,
      totalPages: 3,
      links: [
        { rel: 'next', hreflang: 'en', href: `${BASE}/tables/?lang=en&pagesize=1&pageNumber=2` },
        { rel: 'last', hreflang: 'en', href: `${BASE}/tables/?lang=en&pagesize=1&pageNumber=3` },
      ],
    });
    assert.deepEqual(p1.links, [{ rel: 'self', hreflang: 'en', href: `${BASE}/tables/?lang=en&pagesize=1&pageNumber=1` }]);
    const p2 = json(await get('/api/v2/TABLES?LANG=en&pagesize=1&pagenumber=2&includediscontinued=TRUE'));
    assert.deepEqual(p2.page.links.map((l: { rel: string }) => l.rel), ['next', 'previous', 'last']);
    assert.equal(p2.tables[0].id, '05810');
    const p3 = json(await get('/api/v2/tables?lang=en&pageSize=1&pageNumber=3&includeDiscontinued=true'));
    assert.deepEqual(p3.page.links.map((l: { rel: string }) => [l.rel, l.href]), [
      ['previous', `${BASE}/tables/?lang=en&pagesize=1&pageNumber=2`],
      ['last', `${BASE}/tables/?lang=en&pagesize=1&pageNumber=3`],
    ]);
    assert.equal(p3.tables[0].id, 'PLAIN1');
    assert.equal(p3.tables[0].discontinued, true);
    const beyond = await get('/api/v2/tables?lang=en&pageSize=1&pageNumber=4&includeDiscontinued=true');
    assert.equal(beyond.statusCode, 404);
    assert.deepEqual(json(beyond), { type: 'Parameter error', title: 'Non-existent page', status: 404, detail: 'Non-existent page' });
    // pageNumber <= 0 and pageSize <= 0 fall back to the defaults
    const d = json(await get('/api/v2/tables?pageNumber=0&pageSize=-3'));
    assert.equal(d.page.pageNumber, 1);
    assert.equal(d.page.pageSize, 20);
    assert.equal((await get('/api/v2/tables?pageSize=abc')).statusCode, 400);
    assert.equal((await get('/api/v2/tables?includeDiscontinued=maybe')).statusCode, 400);
  });

  test('query, pastDays and zero hits', async () => {
    const q = json(await get('/api/v2/tables?lang=en&query=salmon'));
    assert.deepEqual(q.tables.map((x: { id: string }) => x.id), ['03024']);
    assert.equal(q.links[0].href, `${BASE}/tables/?lang=en&query=salmon&pagesize=20&pageNumber=1`);
    const none = json(await get('/api/v2/tables?lang=en&query=zzzqqq'));
    assert.deepEqual(none.tables, []);
    assert.equal(none.page.totalElements, 0);
    assert.equal(none.page.totalPages, 1);
    // a table updated just now is within pastDays=1, the fixture tables are years old
    const fresh = build05810(3);
    fresh.meta = { ...fresh.meta, id: 'FRESH1', contentInfo: undefined, updated: new Date().toISOString() };
    t.store.putTable(fresh, { folders: [] });
    try {
      const recent = json(await get('/api/v2/tables?lang=en&pastDays=1'));
      assert.deepEqual(recent.tables.map((x: { id: string }) => x.id), ['FRESH1']);
      assert.match(recent.links[0].href, /&pastDays=1$/);
    } finally {
      t.store.deleteTable('FRESH1');
    }
  });

  test('/tables/{id}: case-insensitive, language first, 404 problem', { skip: !hasFix }, async () => {
    const r = await get('/api/v2/tables/plain1?lang=en');
    assert.equal(r.statusCode, 200);
    const b = json(r);
    assert.equal(b.id, 'PLAIN1');
    assert.equal(Object.keys(b)[0], 'language');
    assert.equal(b.timeUnit, 'Other');
    assertKeyOrder(json(await get('/api/v2/tables/05810?lang=en')), fixture('v2/ssb-real/UG_table_05810_en.json'));
    const nf = await get('/api/v2/tables/99999');
    assert.equal(nf.statusCode, 404);
    assert.equal(nf.headers['content-type'], JSON_CT);
    assert.deepEqual(Object.keys(json(nf)).slice(0, 3), ['type', 'title', 'status']);
    assert.equal(json(nf).title, 'Non-existent table');
    const lang = await get('/api/v2/tables/05810?lang=de');
    assert.equal(lang.statusCode, 400);
    assert.deepEqual(json(lang), { type: 'Parameter error', title: 'Unsupported language', status: 400 });
  });
});

describe('/tables/{id}/metadata', () => {
  test('JSON-stat 2 with extensions, key order as SSB/SCB/PxWebApi', { skip: !hasFix }, async () => {
    const r = await get('/api/v2/tables/05810/metadata?lang=en');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], JSON_CT);
    const m = json(r);
    assertKeyOrder(m, fixture('v2/ssb-real/UG_metadata_05810_en.json'));
    assertKeyOrder(m, fixture('v2/pxwebapi-tests/MetadataById_tab001_js2.json'));
    assertKeyOrder(m, fixture('v2/scb-real/pxwebpy_TAB6471_metadata.json'));
    assert.equal(m.label, '05810: Population, by sex and age');
    assert.deepEqual(m.value, []);
    // integer-like codes keep their value order on the wire
    assert.ok(r.body.includes('"index":{"0":0,"2":1,"1":2}'), 'Kjonn index in value order');
    const alder = m.dimension.Alder;
    assert.deepEqual(alder.extension.codelists, [
      { id: 'agg_Barn', label: 'Children and adults', type: 'Aggregation', links: [{ rel: 'metadata', hreflang: 'en', href: `${BASE}/codeLists/agg_Barn?lang=en` }] },
      { id: 'vs_AldGrupper', label: 'Age groups', type: 'Valueset', links: [{ rel: 'metadata', hreflang: 'en', href: `${BASE}/codeLists/vs_AldGrupper?lang=en` }] },
      { id: 'vs_AlleAldre', label: 'All ages', type: 'Valueset', links: [{ rel: 'metadata', hreflang: 'en', href: `${BASE}/codeLists/vs_AlleAldre?lang=en` }] },
    ]);
    assert.deepEqual(alder.note, ['Age at the end of the year.']);
    assert.deepEqual(alder.extension.noteMandatory, { '0': true });
    assert.equal(m.dimension.Kjonn.extension.eliminationValueCode, '0');
    const ds = JSONstat(m);
    assert.equal(ds.class, 'dataset');
    assert.deepEqual(ds.id, ['Kjonn', 'Alder', 'ContentsCode', 'Tid']);
  });

  test('codelist[VAR], defaultSelection, savedQuery; valueCodes/outputFormat ignored', async () => {
    const agg = json(await get('/api/v2/tables/05810/metadata?lang=en&codelist[alder]=agg_Barn'));
    assert.deepEqual(Object.keys(agg.dimension.Alder.category.index), ['B0-15', 'V16+']);
    assert.deepEqual(agg.size, [3, 2, 1, 7]);
    const def = json(await get('/api/v2/tables/05810/metadata?lang=en&defaultSelection=true&savedQuery='));
    assert.deepEqual(Object.keys(def.dimension.Alder.category.index), ['00-06', '07-15', '16-44', '45-66', '67-79', '80+']);
    const plain = await get('/api/v2/tables/05810/metadata?lang=en');
    const withJunk = await get('/api/v2/tables/05810/metadata?lang=en&outputFormat=json-stat2&valueCodes[Tid]=2025');
    assert.equal(withJunk.body, plain.body);
    // a saved query's codelists apply
    const saved = json(
      await post('/api/v2/savedqueries', {
        tableId: '05810',
        language: 'en',
        outputFormat: 'json-stat2',
        outputFormatParams: [],
        selection: { selection: [{ variableCode: 'Alder', codelist: 'vs_AlleAldre', valueCodes: ['*'] }, { variableCode: 'ContentsCode', valueCodes: ['*'] }, { variableCode: 'Tid', valueCodes: ['top(1)'] }] },
      }),
    );
    const sq = json(await get(`/api/v2/tables/05810/metadata?lang=en&savedQuery=${saved.id}`));
    assert.deepEqual(Object.keys(sq.dimension.Alder.category.index), ['999B']);
    assert.equal((await get('/api/v2/tables/05810/metadata?savedQuery=00000000-0000-0000-0000-000000000000')).statusCode, 404);
  });

  test('errors', async () => {
    const v = await get('/api/v2/tables/05810/metadata?codelist[Region]=vs_X');
    assert.equal(v.statusCode, 400);
    assert.equal(json(v).title, 'Non-existent variable');
    const c = await get('/api/v2/tables/05810/metadata?codelist[Alder]=vs_X');
    assert.equal(c.statusCode, 400);
    assert.equal(json(c).title, 'Non-existent codelist');
    const nf = await get('/api/v2/tables/nope/metadata');
    assert.equal(nf.statusCode, 404);
    assert.equal(json(nf).title, 'Non-existent table');
    assert.equal((await get('/api/v2/tables/05810/metadata?defaultSelection=perhaps')).statusCode, 400);
  });
});

describe('/tables/{id}/defaultselection and data without a selection', () => {
  test('the default selection, and data without a selection returns exactly it', async () => {
    const r = await get('/api/v2/tables/03024/defaultselection?lang=en');
    assert.equal(r.headers['content-type'], JSON_CT);
    const d = json(r);
    assert.deepEqual(Object.keys(d), ['links', 'selection', 'placement']);
    assert.deepEqual(d.links, [{ rel: 'self', hreflang: 'en', href: `${BASE}/tables/03024/defaultselection?lang=en` }]);
    assert.deepEqual(d.placement, { heading: ['Tid', 'ContentsCode'], stub: ['VareGrupper2'] });
    const byGet = await get('/api/v2/tables/03024/data?lang=en');
    const byEmptyPost = await post('/api/v2/tables/03024/data?lang=en', { selection: [] });
    const byNoBody = await t.app.inject({ method: 'POST', url: '/api/v2/tables/03024/data?lang=en' });
    const explicit = await post('/api/v2/tables/03024/data?lang=en', { selection: d.selection, placement: d.placement });
    assert.equal(byGet.statusCode, 200);
    for (const x of [byEmptyPost, byNoBody, explicit]) assert.equal(x.body, byGet.body);
    const ds = json(byGet);
    assert.deepEqual(ds.id, ['VareGrupper2', 'Tid', 'ContentsCode']);
    assert.deepEqual(ds.size, [2, 1, 2]);
    assert.deepEqual(ds.extension.px.stub, ['VareGrupper2']);
    assert.deepEqual(ds.extension.px.heading, ['Tid', 'ContentsCode']);
    const nf = await get('/api/v2/tables/nope/defaultselection');
    assert.equal(nf.statusCode, 404);
  });
});

describe('/tables/{id}/data', () => {
  test('json-stat2: key order as SSB, request value order, symbols, numbers', { skip: !hasFix }, async () => {
    const r = await get('/api/v2/tables/05810/data?lang=en&valueCodes[Kjonn]=2,1&valueCodes[Alder]=80%2B,00-06&valueCodes[ContentsCode]=*&valueCodes[Tid]=[range(2019,2020)]');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-disposition'], 'inline; filename="05810.json"');
    assert.equal(r.headers['content-type'], JSON_CT);
    const ds = json(r);
    assertKeyOrder(ds, fixture('v2/ssb-real/03024_POST_from2025U01_en.jsonstat2.json'));
    assertKeyOrder(ds, fixture('v2/scb-real/pxwebpy_TAB6471_data.json'));
    assert.ok(r.body.includes('"index":{"2":0,"1":1}'), 'request order on the wire');
    assert.deepEqual(ds.id, ['Kjonn', 'Alder', 'ContentsCode', 'Tid']);
    assert.deepEqual(ds.size, [2, 2, 1, 2]);
    const cube = t.cubes['05810'];
    let i = 0;
    for (const k of ['2', '1'])
      for (const a of ['80+', '00-06'])
        for (const y of ['2019', '2020']) {
          const want = cellAt(cube, { Kjonn: k, Alder: a, ContentsCode: 'Personer', Tid: y });
          if (want === undefined) {
            assert.equal(ds.value[i], null);
            assert.ok(ds.status?.[String(i)], `status at ${i}`);
          } else assert.equal(ds.value[i], want);
          i++;
        }
    assert.equal(ds.status['0'], '..');
    assert.equal(ds.status['6'], '-');
  });

  test('GET and POST agree; parameter names and paths any case; repeated keys join', async () => {
    const body = {
      selection: [
        { variableCode: 'VareGrupper2', valueCodes: ['02'] },
        { variableCode: 'ContentsCode', valueCodes: ['Kilopris', 'Vekt'] },
        { variableCode: 'Tid', valueCodes: ['from(2025U03)'] },
      ],
      placement: { heading: ['ContentsCode'], stub: ['VareGrupper2', 'Tid'] },
    };
    const p = await post('/api/v2/tables/03024/data?lang=en&outputFormat=csv', body);
    const g = await get('/API/v2/Tables/03024/Data?LANG=en&OUTPUTFORMAT=CSV&VALUECODES[varegrupper2]=02&valuecodes[ContentsCode]=Kilopris&valuecodes[ContentsCode]=Vekt&valueCodes[TIME]=from(2025U03)&Heading=ContentsCode&STUB=VareGrupper2,Tid'.replace('/API/v2', '/api/v2'));
    assert.equal(p.statusCode, 200);
    assert.equal(g.statusCode, 200);
    assert.equal(g.body, p.body);
    assert.equal(p.headers['content-disposition'], 'inline; filename="Vekt.csv"'); // MATRIX names the file, as SSB sends it (spec 3.8)
    // case-insensitive Newtonsoft-style property names in the body
    const upper = await post('/api/v2/tables/03024/data?lang=en&outputFormat=csv', {
      Selection: body.selection.map((s) => ({ VariableCode: s.variableCode, ValueCodes: s.valueCodes })),
      Placement: { Heading: ['ContentsCode'], Stub: ['VareGrupper2', 'Tid'] },
    });
    assert.equal(upper.body, p.body);
    // the alias prefix serves the same data
    const alias = await post('/api/pxwebapi/v2/tables/03024/data?lang=en&outputFormat=csv', body);
    assert.equal(alias.body, p.body);
  });

  test('codelist[VAR] only with valueCodes of the same key; groupings sum', async () => {
    const r = json(await get('/api/v2/tables/05810/data?lang=en&valueCodes[Alder]=*&codelist[Alder]=agg_Barn&valueCodes[ContentsCode]=*&valueCodes[Tid]=2025'));
    assert.deepEqual(r.id, ['Alder', 'ContentsCode', 'Tid']);
    const cube = t.cubes['05810'];
    const sum = (ages: string[]) => ages.reduce((s, a) => s + cellAt(cube, { Kjonn: '0', Alder: a, ContentsCode: 'Personer', Tid: '2025' })!, 0);
    assert.deepEqual(r.value, [sum(['00-06', '07-15']), sum(['16-44', '45-66', '67-79', '80+'])]);
    // a codelist without valueCodes for that variable is not applied
    const ignored = json(await get('/api/v2/tables/05810/data?lang=en&codelist[Alder]=agg_Barn&valueCodes[ContentsCode]=*&valueCodes[Tid]=2025'));
    assert.deepEqual(ignored.id, ['ContentsCode', 'Tid']);
    const single = json(await get('/api/v2/tables/05810/data?lang=en&valueCodes[Alder]=*&codelist[Alder]=agg_Barn&outputValues[Alder]=single&valueCodes[ContentsCode]=*&valueCodes[Tid]=2025'));
    assert.equal(single.size[0], 6);
  });

  test('errors: titles and statuses', async () => {
    const cases: [string, number, string, number?][] = [
      ['/api/v2/tables/05810/data?valueCodes[Region]=1&valueCodes[ContentsCode]=*&valueCodes[Tid]=*', 400, 'Non-existent variable'],
      ['/api/v2/tables/05810/data?valueCodes[Alder]=*&codelist[Alder]=vs_Nope&valueCodes[ContentsCode]=*&valueCodes[Tid]=*', 400, 'Non-existent codelist'],
      ['/api/v2/tables/05810/data?valueCodes[Tid]=1999&valueCodes[ContentsCode]=*', 400, 'Non-existent value'],
      ['/api/v2/tables/05810/data?valueCodes[Tid]=*', 400, 'Missing selection for mandantory variable'],
      // (an unbracketed range(a,b) is accepted: its comma is inside parentheses)
      ['/api/v2/tables/05810/data?valueCodes[Tid]=range(2019,2020&valueCodes[ContentsCode]=*', 400, 'Illegal selection expression'],
      ['/api/v2/tables/05810/data?valueCodes[Tid]=top(5, 1)&valueCodes[ContentsCode]=*', 400, 'Illegal selection expression'],
      ['/api/v2/tables/nope/data', 400, 'Non-existent table', 404],
      ['/api/v2/tables/05810/data?outputFormat=json-stat2&outputFormatParams=UseTexts', 400, 'Unsupported output format'],
      ['/api/v2/tables/05810/data?outputFormat=xlsx&outputFormatParams=SeparatorTab', 400, 'Unsupported output format'],
      ['/api/v2/tables/05810/data?outputFormat=parquet&outputFormatParams=IncludeTitle', 400, 'Unsupported output format'],
      ['/api/v2/tables/05810/data?lang=fr', 400, 'Unsupported language'],
    ];
    for (const [url, status, title, bodyStatus] of cases) {
      const r = await get(url);
      assert.equal(r.statusCode, status, url);
      assert.equal(r.headers['content-type'], JSON_CT, url);
      const b = json(r);
      assert.equal(b.title, title, url);
      assert.equal(b.status, bodyStatus ?? status, url);
      assert.equal(b.type, 'Parameter error', url);
    }
    // the cell limit answers 400 here (v1: 403)
    const small = await testServer({ maxCells: 10 });
    try {
      const r = await small.app.inject({ method: 'GET', url: '/api/v2/tables/05810/data?valueCodes[Kjonn]=*&valueCodes[ContentsCode]=*&valueCodes[Tid]=*' });
      assert.equal(r.statusCode, 400);
      assert.deepEqual(JSON.parse(r.body), { type: 'Parameter error', title: 'Too many cells selected', status: 400, detail: 'Too many cells selected' });
      assert.equal(JSON.parse((await small.app.inject({ url: '/api/v2/config' })).body).maxDataCells, 10);
    } finally {
      await small.app.close();
    }
    // request-binding errors are validation problems
    for (const [url, field] of [
      ['/api/v2/tables/05810/data?valueCodes=1', 'valuecodes'],
      ['/api/v2/tables/05810/data?outputFormat=xml', 'outputFormat'],
      ['/api/v2/tables/05810/data?outputFormatParams=Bogus', 'outputFormatParams'],
    ]) {
      const r = await get(url);
      assert.equal(r.statusCode, 400, url);
      assert.equal(r.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.ok(json(r).errors[field], url);
    }
    const bad = await post('/api/v2/tables/05810/data', '{"selection": [');
    assert.equal(bad.statusCode, 400);
    assert.ok(json(bad).errors.$);
    const noCode = await post('/api/v2/tables/05810/data', { selection: [{ valueCodes: ['1'] }] });
    assert.equal(noCode.statusCode, 400);
    assert.deepEqual(json(noCode).errors, { 'selection[0].variableCode': ['The VariableCode field is required.'] });
  });

  test('request bodies are read whatever their Content-Type', async () => {
    const body = JSON.stringify({ selection: [{ variableCode: 'VareGrupper2', valueCodes: ['01'] }, { variableCode: 'ContentsCode', valueCodes: ['Vekt'] }, { variableCode: 'Tid', valueCodes: ['top(1)'] }] });
    const bodies = [];
    for (const ct of [undefined, 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'application/json']) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v2/tables/03024/data', payload: body, headers: ct ? { 'content-type': ct } : {} });
      assert.equal(r.statusCode, 200, String(ct));
      bodies.push(r.body);
    }
    assert.equal(new Set(bodies).size, 1);
    assert.deepEqual(json({ body: bodies[0] }).size, [1, 1, 1]);
  });
});

describe('/codelists/{id}', () => {
  test('value sets and groupings, key order as SCB', { skip: !hasFix }, async () => {
    const r = await get('/api/v2/codelists/agg_Barn?lang=en');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], JSON_CT);
    const c = json(r);
    assertKeyOrder(c, fixture('v2/scb-real/pxwebpy_codelist_agg_Alder10arJ.json'));
    assert.deepEqual(Object.keys(c), ['id', 'label', 'language', 'languages', 'elimination', 'type', 'values', 'links']);
    assert.deepEqual(c.values, [
      { code: 'B0-15', label: '0-15 years', valueMap: ['00-06', '07-15'] },
      { code: 'V16+', label: '16 years and over', valueMap: ['16-44', '45-66', '67-79', '80+'] },
    ]);
    assert.deepEqual(c.links, [
      { rel: 'self', hreflang: 'en', href: `${BASE}/codeLists/agg_Barn?lang=en` },
      { rel: 'alternate', hreflang: 'no', href: `${BASE}/codeLists/agg_Barn?lang=no` },
    ]);
    const vs = json(await get('/api/v2/codeLists/vs_AlleAldre'));
    assert.equal(vs.type, 'Valueset');
    assert.equal(vs.language, 'no');
    assert.deepEqual(vs.values, [{ code: '999B', label: 'I alt', valueMap: ['999B'] }]);
  });
  test('unknown or wrongly cased ids: HTTP 404, body status 400', async () => {
    for (const id of ['agg_barn', 'vs_Nope', 'Barn', 'x']) {
      const r = await get(`/api/v2/codelists/${id}`);
      assert.equal(r.statusCode, 404, id);
      assert.deepEqual(json(r).status, 400);
      assert.equal(json(r).title, 'Non-existent codelist');
    }
  });
});

describe('/savedqueries', () => {
  const selection = {
    selection: [
      { variableCode: 'VareGrupper2', valueCodes: ['*'] },
      { variableCode: 'ContentsCode', valueCodes: ['Vekt'] },
      { variableCode: 'Tid', valueCodes: ['top(3)'] },
    ],
    placement: { heading: ['Tid'], stub: ['VareGrupper2', 'ContentsCode'] },
  };
  test('create, get, data, selection', async () => {
    const r = await post('/api/v2/savedqueries', { tableId: '03024', language: 'en', outputFormat: 'csv', outputFormatParams: ['UseTexts'], selection });
    assert.equal(r.statusCode, 201);
    assert.equal(r.headers['content-type'], JSON_CT);
    const b = json(r);
    assert.match(b.id, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.location, `${BASE}/savedqueries/${b.id}`);
    assert.deepEqual(Object.keys(b), ['language', 'id', 'savedQuery', 'links']);
    assert.deepEqual(Object.keys(b.savedQuery), ['id', 'selection', 'language', 'tableId', 'outputFormat', 'outputFormatParams']);
    assert.deepEqual(b.savedQuery.selection, selection); // stored unexpanded
    assert.deepEqual(b.links, [{ rel: 'self', hreflang: 'en', href: `${BASE}/savedqueries/${b.id}` }]);
    assert.deepEqual(json(await get(`/api/v2/savedqueries/${b.id}`)), b);

    const data = await get(`/api/v2/savedqueries/${b.id}/data`);
    const direct = await post('/api/v2/tables/03024/data?lang=en&outputFormat=csv&outputFormatParams=UseTexts', selection);
    assert.equal(data.statusCode, 200);
    assert.equal(data.body, direct.body);
    const asJson = await get(`/api/v2/savedqueries/${b.id}/data?outputFormat=json-stat2&lang=no`);
    assert.equal(json(asJson).extension.px.language, 'no');
    assert.deepEqual(json(asJson).id, ['VareGrupper2', 'ContentsCode', 'Tid']);

    const s = json(await get(`/api/v2/savedqueries/${b.id}/selection?lang=en`));
    assert.deepEqual(s.links, [{ rel: 'self', hreflang: 'en', href: `${BASE}/savedqueries/${b.id}/selection?lang=en` }]);
    const weeks = t.cubes['03024'].meta.variables[2].values.map((v) => v.code);
    assert.deepEqual(s.selection, [
      { variableCode: 'VareGrupper2', valueCodes: ['01', '02'] },
      { variableCode: 'ContentsCode', valueCodes: ['Vekt'] },
      { variableCode: 'Tid', valueCodes: weeks.slice(-3) },
    ]);
    assert.deepEqual(s.placement, { heading: ['Tid'], stub: ['VareGrupper2', 'ContentsCode'] });
  });

  test('errors', async () => {
    const missing = await post('/api/v2/savedqueries', { tableId: '03024', language: 'en', selection });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(json(missing).errors, { OutputFormatParams: ['The OutputFormatParams field is required.'] });
    const empty = await post('/api/v2/savedqueries', '');
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(json(empty), { type: 'Create saved query', title: 'No query specified', status: 400, detail: 'No query specified' });
    const badSel = await post('/api/v2/savedqueries', { tableId: '03024', language: 'en', outputFormatParams: [], selection: { selection: [{ variableCode: 'Nope', valueCodes: ['1'] }] } });
    assert.equal(badSel.statusCode, 400);
    assert.equal(json(badSel).title, 'Non-existent variable');
    const badTable = await post('/api/v2/savedqueries', { tableId: 'nope', language: 'en', outputFormatParams: [], selection });
    assert.equal(badTable.statusCode, 400);
    const nf = await get('/api/v2/savedqueries/0b7c2f7e-0000-4000-8000-000000000000');
    assert.equal(nf.statusCode, 404);
    assert.deepEqual(json(nf), { type: 'Parameter error', title: 'Saved query not found', status: 404, detail: 'Saved query not found' });
    const dots = await get('/api/v2/savedqueries/..%2F..%2Fetc');
    assert.equal(dots.statusCode, 400);
    assert.equal(json(dots).status, 404);
    assert.equal((await get('/api/v2/savedqueries/nope/data')).statusCode, 404);
    assert.equal((await get('/api/v2/savedqueries/nope/selection')).statusCode, 404);
  });
});

describe('HTTP conventions', () => {
  test('CORS on answers and preflight', async () => {
    const r = await get('/api/v2/tables/05810?lang=en', { origin: 'http://elsewhere.example' });
    assert.equal(r.headers['access-control-allow-origin'], '*');
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v2/tables/05810/data?lang=en&outputFormat=json-stat2',
      headers: { origin: 'http://elsewhere.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(pre.statusCode, 200);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.match(String(pre.headers['access-control-allow-methods']), /POST/);
    assert.match(String(pre.headers['access-control-allow-headers']), /content-type/i);
    const off = await testServer({ cors: false });
    try {
      const x = await off.app.inject({ url: '/api/v2/config', headers: { origin: 'http://elsewhere.example' } });
      assert.equal(x.headers['access-control-allow-origin'], undefined);
      assert.equal(JSON.parse(x.body).features[0].params[0].value, 'False');
    } finally {
      await off.app.close();
    }
  });

  test('rate limit: 429 as plain text with Retry-After, per client, /config not counted', async () => {
    const lim = await testServer({ maxCalls: 3, timeWindow: 60, clientIpHeader: 'x-forwarded-for' });
    try {
      const call = (ip: string, url = '/api/v2/tables/05810?lang=en') => lim.app.inject({ url, headers: { 'x-forwarded-for': ip, origin: 'http://x.example' } });
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await call('10.0.0.1');
        assert.equal(r.statusCode, 200);
        assert.equal(r.headers['x-rate-limit-limit'], '60s');
        remaining.push(String(r.headers['x-rate-limit-remaining']));
        assert.equal((await call('10.0.0.1', '/api/v2/config')).statusCode, 200); // not counted
      }
      assert.deepEqual(remaining, ['2', '1', '0']);
      const over = await call('10.0.0.1', '/api/pxwebapi/v2/tables/05810/data');
      assert.equal(over.statusCode, 429);
      assert.match(String(over.headers['content-type']), /^text\/plain/);
      assert.equal(over.body, 'API calls quota exceeded! maximum admitted 3 per 60s.');
      const wait = Number(over.headers['retry-after']);
      assert.ok(wait >= 1 && wait <= 60, String(wait));
      assert.equal(over.headers['access-control-allow-origin'], '*');
      assert.equal((await call('10.0.0.2')).statusCode, 200); // another client
    } finally {
      await lim.app.close();
    }
  });

  test('the response cache never serves an old version of a table', async () => {
    const url = '/api/v2/tables/03024/data?lang=en&valueCodes[VareGrupper2]=01&valueCodes[ContentsCode]=Vekt&valueCodes[Tid]=top(1)';
    const a = await get(url);
    assert.equal((await get(url)).body, a.body);
    const old = t.cubes['03024'];
    const changed = { ...old, values: old.values.map((x) => x + 1000) };
    t.store.putTable(changed, { folders: ['ut/laks'] });
    try {
      const b = json(await get(url));
      assert.equal(b.value[0], json(a).value[0] + 1000);
    } finally {
      t.store.putTable(old, { folders: ['ut/laks'] });
    }
  });

  test('case-insensitive paths, trailing slashes and the alias prefix', async () => {
    const ref = await get('/api/v2/tables/05810/metadata?lang=en');
    for (const u of ['/api/v2/TABLES/05810/MetaData?lang=en', '/api/v2/tables/05810/metadata/?lang=en', '/api/v2//tables/05810/metadata?lang=en']) {
      const r = await get(u);
      assert.equal(r.statusCode, 200, u);
      assert.equal(r.body, ref.body, u);
    }
    const alias = json(await get('/api/pxwebapi/v2/tables/05810?lang=en'));
    assert.equal(alias.links[0].href, 'https://statbank.test/api/pxwebapi/v2/tables/05810?lang=en');
    for (const root of ['/api/v2', '/api/v2/', '/api/pxwebapi/v2']) {
      const r = await get(root);
      assert.equal(r.statusCode, 302, root);
      assert.equal(r.headers.location, '/api/v2/docs');
    }
    const unknown = await get('/api/v2/navigation');
    assert.equal(unknown.statusCode, 404);
  });

  test('garbage input never crashes the server', async () => {
    let seed = 99;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const junk = ['%', '%zz', '[', ']', ',', '(', ')', '*', '?', 'top(', 'range(', '\u0000', 'æøå', '%E2%82', '&', '=', 'valueCodes[', 'codelist[Alder]', 'vs_', 'agg_', '..'];
    const pick = () => junk[Math.floor(rnd() * junk.length)];
    for (let i = 0; i < 150; i++) {
      const q = Array.from({ length: 4 }, () => `${pick()}${pick()}=${pick()}${pick()}`).join('&');
      const path = ['/api/v2/tables/05810/data', '/api/v2/tables', '/api/v2/tables/05810/metadata', '/api/v2/codelists/' + encodeURIComponent(pick()), '/api/v2/savedqueries/' + encodeURIComponent(pick())][i % 5];
      const r = await get(`${path}?valueCodes[Tid]=${encodeURIComponent(pick() + pick())}&valueCodes[ContentsCode]=*&${q}`);
      assert.ok(r.statusCode < 500, `${path}?${q} -> ${r.statusCode} ${r.body}`);
      const body = [JSON.stringify({ selection: [{ variableCode: pick(), valueCodes: [pick(), 5, null] }] }), pick() + pick(), '{"selection":{"a":1}}', '{"placement":7,"selection":[]}', 'null', '"x"', '{"selection":[null]}'][i % 7];
      const p = await post('/api/v2/tables/05810/data', body);
      assert.ok(p.statusCode < 500, `POST ${body} -> ${p.statusCode} ${p.body}`);
      const s = await post('/api/v2/savedqueries', body);
      assert.ok(s.statusCode < 500, `POST savedqueries ${body} -> ${s.statusCode} ${s.body}`);
    }
  });
});

describe('long URLs', () => {
  test('a 16 KB GET URL works over real HTTP', async () => {
    const srv = await testServer();
    try {
      await srv.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (srv.app.server.address() as { port: number }).port;
      let url = `http://127.0.0.1:${port}/api/v2/tables/03024/data?lang=en&valueCodes[VareGrupper2]=01&valueCodes[ContentsCode]=Vekt&valueCodes[Tid]=2025U01`;
      while (url.length < 16 * 1024 + 100) url += ',2025U01';
      const r = await fetch(url);
      assert.equal(r.status, 200);
      const ds = (await r.json()) as { size: number[] };
      assert.deepEqual(ds.size, [1, 1, 1]);
    } finally {
      await srv.app.close();
    }
  });
});
