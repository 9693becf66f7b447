// The Klass endpoints over HTTP on the demo classifications: the course URLs through the whole app, paging and
// links, every endpoint's values, includeFuture with a moved clock, and the shapes (key names and order) of the
// real and modelled Klass responses in ../shared/fixtures/klass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { demoContent } from '../../src/demo/index.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { ROOT, SKIP_FIXTURES, assertKeyOrder, csvObjects, fixtureJson, fixtureText, get, klassApp, parseCsv } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function json(app: Awaited<ReturnType<typeof klassApp>>, url: string): Promise<Json> {
  const r = await get(app, url);
  assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 300)}`);
  assert.equal(r.headers['content-type'], 'application/json');
  return JSON.parse(r.body) as Json;
}

test('the course URLs through the whole app: /api/klass/v1/classifications(.json)?size=200', async () => {
  const app = await buildApp({ store: createMemoryStore(), config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}), ...demoContent() }, { logger: false });
  try {
    for (const url of ['/api/klass/v1/classifications?size=200', '/api/klass/v1/classifications.json?size=200']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 200, url);
      const body = JSON.parse(r.body) as Json;
      assert.deepEqual(body._embedded.classifications.map((c: Json) => c.id), [6, 19, 104, 131]);
      assert.deepEqual(body.page, { size: 200, totalElements: 4, totalPages: 1, number: 0 });
      assert.deepEqual(Object.keys(body._links), ['self', 'search']);
      assert.ok(body._links.self.href.endsWith(url), body._links.self.href);
      assert.equal(body._links.search.templated, true);
    }
  } finally {
    await app.close();
  }
});

test('/classifications: paging links keep the other parameters; codelists, changedSince, language, description', async () => {
  const app = await klassApp();
  try {
    const p0 = await json(app, '/api/klass/v1/classifications?includeCodelists=true&size=2');
    assert.deepEqual(p0.page, { size: 2, totalElements: 5, totalPages: 3, number: 0 });
    assert.deepEqual(Object.keys(p0._links), ['first', 'self', 'next', 'last', 'search']);
    assert.equal(p0._links.self.href, `${ROOT}/classifications?includeCodelists=true&size=2`);
    assert.equal(p0._links.next.href, `${ROOT}/classifications?includeCodelists=true&page=1&size=2`);
    assert.equal(p0._links.last.href, `${ROOT}/classifications?includeCodelists=true&page=2&size=2`);
    assert.deepEqual(p0._embedded.classifications.map((c: Json) => c.id), [5, 6]);
    const p1 = await json(app, '/api/klass/v1/classifications?page=1&includeCodelists=true&size=2');
    assert.deepEqual(Object.keys(p1._links), ['first', 'prev', 'self', 'next', 'last', 'search']);
    assert.equal(p1._links.prev.href, `${ROOT}/classifications?includeCodelists=true&page=0&size=2`);
    assert.deepEqual(p1._embedded.classifications.map((c: Json) => c.id), [19, 104]);
    const beyond = await json(app, '/api/klass/v1/classifications?page=9&size=2');
    assert.equal(beyond._embedded, undefined);
    assert.deepEqual(beyond.page, { size: 2, totalElements: 4, totalPages: 2, number: 9 });
    // Spring Data's lenient paging: garbage page -> 0, garbage or zero size -> 20, above 2000 -> 2000
    assert.deepEqual((await json(app, '/api/klass/v1/classifications?page=x&size=0')).page, { size: 20, totalElements: 4, totalPages: 1, number: 0 });
    assert.equal((await json(app, '/api/klass/v1/classifications?size=99999')).page.size, 2000);

    const since = await json(app, '/api/klass/v1/classifications?changedSince=2024-01-01T00:00:00.000-0200');
    assert.deepEqual(since._embedded.classifications.map((c: Json) => c.id), [104, 131]);
    // strictly after: 104 and 131 were modified at 2024-01-03T09:00:00Z
    assert.equal((await json(app, '/api/klass/v1/classifications?changedSince=2024-01-03T09:00:00.000Z'))._embedded, undefined);
    // "+" sent unencoded arrives as a space
    assert.equal((await json(app, '/api/klass/v1/classifications?changedSince=2024-01-03T10:00:00.000+01:00'))._embedded, undefined);
    assert.deepEqual((await json(app, '/api/klass/v1/classifications?changedSince=2024-01-03T09:59:59.999%2B01:00'))._embedded.classifications.map((c: Json) => c.id), [104, 131]);

    const en = await json(app, '/api/klass/v1/classifications?language=EN&includeDescription=true');
    const c131 = en._embedded.classifications.find((c: Json) => c.id === 131);
    assert.equal(c131.name, 'Classification of municipalities');
    assert.equal(c131.classificationType, 'Classification');
    assert.deepEqual(Object.keys(c131), ['name', 'id', 'classificationType', 'classificationFamilyId', 'lastModified', 'description', '_links']);
    assert.match(c131.description, /demo data/i);
    const primary = await json(app, '/api/klass/v1/classifications');
    assert.equal(primary._embedded.classifications.find((c: Json) => c.id === 131).name, 'Standard for kommuneinndeling');
    assert.equal(primary._embedded.classifications[0].description, undefined);
    assert.equal(primary._embedded.classifications[0].lastModified, '2023-06-01T10:00:00.000+0000');
  } finally {
    await app.close();
  }
});

test('/classifications/search, /classifications/{id}, families and sections', async () => {
  const app = await klassApp();
  try {
    const s = await json(app, '/api/klass/v1/classifications/search?query=kommune');
    assert.deepEqual(s._embedded.searchResults.slice(0, 2).map((h: Json) => [h.id, h.language]), [[131, 'nb'], [131, 'nn']]);
    assert.deepEqual(Object.keys(s._links), ['self']);
    assert.equal(s.page.size, 20);
    assert.ok(s._embedded.searchResults.every((h: Json, i: number, a: Json[]) => i === 0 || a[i - 1].searchScore >= h.searchScore));
    const fuzzy = await json(app, '/api/klass/v1/classifications/search?query=sivilstnd');
    assert.equal(fuzzy._embedded.searchResults[0].id, 19, 'one edit away still matches');
    const none = await json(app, '/api/klass/v1/classifications/search?query=zzzqqq');
    assert.equal(none._embedded, undefined);
    assert.equal(none.page.totalElements, 0);
    const codelist = await json(app, '/api/klass/v1/classifications/search?query=seksjonsinndeling&includeCodelists=true');
    assert.equal(codelist._embedded.searchResults[0].id, 5);
    assert.equal((await json(app, '/api/klass/v1/classifications/search?query=seksjonsinndeling'))._embedded, undefined);

    const c = await json(app, '/api/klass/v1/classifications/131');
    assert.equal(c.owningSection, '320 - Seksjon for befolkningsstatistikk');
    assert.deepEqual(c.versions.map((v: Json) => v.name), ['Kommuneinndeling 2024', 'Kommuneinndeling 2023', 'Kommuneinndeling 2022', 'Kommuneinndeling 2020', 'Kommuneinndeling 2019', 'Kommuneinndeling 2018', 'Kommuneinndeling 2017', 'Kommuneinndeling 2015']);
    assert.equal(c.versions[0].validTo, undefined, 'current version: end not shown');
    assert.equal(c.versions[1].validTo, '2024-01-01');
    assert.deepEqual(c.versions[0].published, ['nb', 'nn', 'en']);
    assert.equal(c.contactPerson.phone, '');
    assert.equal(c._links.codesAt.href, `${ROOT}/classifications/131/codesAt{?date=<yyyy-MM-dd>,csvSeparator,level,selectCodes,presentationNamePattern}`);
    const en = await json(app, '/api/klass/v1/classifications/131?language=en');
    assert.equal(en.versions[0].name, 'Municipalities 2024');
    assert.equal(en.owningSection, '320 - Seksjon for befolkningsstatistikk', 'no English section name: nb is used');

    const fams = await json(app, '/api/klass/v1/classificationfamilies');
    assert.deepEqual(fams._embedded.classificationFamilies.map((f: Json) => [f.id, f.numberOfClassifications]), [[1, 1], [2, 2], [3, 1]]);
    const withLists = await json(app, '/api/klass/v1/classificationfamilies?includeCodelists=true&language=en');
    assert.deepEqual(withLists._embedded.classificationFamilies.map((f: Json) => f.name), ['Population', 'Regional classifications', 'Enterprises', 'Organisation']);
    const bySection = await json(app, '/api/klass/v1/classificationfamilies?ssbSection=423%20-%20Seksjon%20for%20n%C3%A6ringslivets%20strukturer');
    assert.deepEqual(bySection._embedded.classificationFamilies.map((f: Json) => f.id), [3]);
    const fam = await json(app, '/api/klass/v1/classificationfamilies/2');
    assert.deepEqual(fam.classifications.map((x: Json) => x.id), [104, 131]);
    assert.equal(fam._links.self.href, `${ROOT}/classificationfamilies/2`);

    const sections = await json(app, '/api/klass/v1/ssbsections');
    assert.deepEqual(sections._embedded.ssbSections.map((x: Json) => x.name), [
      '160 - Seksjon for eiendom, arkiv og administrative systemer',
      '320 - Seksjon for befolkningsstatistikk',
      '423 - Seksjon for næringslivets strukturer',
    ]);
  } finally {
    await app.close();
  }
});

test('codes, codesAt, variant, variantAt: parameters', async () => {
  const app = await klassApp();
  try {
    const at = await json(app, '/api/klass/v1/classifications/131/codesAt?date=2024-01-01&selectCodes=11*,0301&presentationNamePattern=%7Bcode%7D%20-%20%7Buppercase(name)%7D');
    assert.equal(at.codes[0].code, '0301');
    assert.equal(at.codes[0].presentationName, '0301 - OSLO');
    assert.ok(at.codes.slice(1).every((x: Json) => x.code.startsWith('11')));
    assert.deepEqual(Object.keys(at.codes[0]), ['code', 'parentCode', 'level', 'name', 'shortName', 'presentationName', 'validFrom', 'validTo', 'notes']);
    const note = await json(app, '/api/klass/v1/classifications/131/codesAt?date=2024-06-01&selectCodes=1580');
    assert.match(note.codes[0].notes, /Haram/);

    // SN2007: levels as strings, parents, short names; selectLevel and its alias level
    const sn = await json(app, '/api/klass/v1/classifications/6/codesAt?date=2020-01-01&selectCodes=03*');
    assert.deepEqual(
      sn.codes.filter((x: Json) => x.level === '4').map((x: Json) => [x.code, x.parentCode]),
      [['03.11', '03.1'], ['03.12', '03.1'], ['03.21', '03.2'], ['03.22', '03.2']],
    );
    const sections = await json(app, '/api/klass/v1/classifications/6/codesAt?date=2020-01-01&selectLevel=1');
    assert.equal(sections.codes.length, 21);
    assert.equal(sections.codes[3].shortName, 'Kraftforsyning');
    assert.equal((await json(app, '/api/klass/v1/classifications/6/codesAt?date=2020-01-01&level=1')).codes.length, 21);
    assert.equal((await json(app, '/api/klass/v1/classifications/6/codesAt?date=2020-01-01&selectLevel=01')).codes.length, 0, 'exact string match');
    const enSn = await json(app, '/api/klass/v1/classifications/6/codesAt?date=2020-01-01&selectCodes=62&language=en');
    assert.equal(enSn.codes[0].name, 'Computer programming, consultancy and related activities');
    assert.equal(enSn.codes[0].shortName, '', 'no English short name: empty, no fallback');

    // the same code and name in versions 2023 and 2024 is one row, open-ended
    const ranged = await json(app, '/api/klass/v1/classifications/131/codes?from=2023-06-01&selectCodes=5001,5025');
    assert.deepEqual(ranged.codes.map((x: Json) => [x.code, x.name, x.validFromInRequestedRange, x.validToInRequestedRange]), [
      ['5001', 'Trondheim - Tråante', '2023-06-01', null],
      ['5025', 'Røros - Rosse', '2023-06-01', null],
    ]);
    const empty = await json(app, '/api/klass/v1/classifications/131/codes?from=1900-01-01&to=1901-01-01');
    assert.deepEqual(empty, { codes: [] });

    const variant = await json(app, '/api/klass/v1/classifications/6/variantAt?variantName=Hovedn%C3%A6ringer&date=2024-01-01&level=1');
    assert.equal(variant.codes.length, 17);
    assert.deepEqual(variant.codes.slice(0, 2).map((x: Json) => x.name), ['Uoppgitt', 'Jordbruk, skogbruk og fiske']);
    const children = await json(app, '/api/klass/v1/classifications/6/variantAt?variantName=Hovedn%C3%A6ringer&date=2024-01-01&level=2&selectCodes=58-63');
    assert.deepEqual(children.codes.map((x: Json) => [x.code, x.parentCode]), ['58', '59', '60', '61', '62', '63'].map((c) => [c, '58-63']));
    const full = encodeURIComponent('Hovednæringer 2009  - variant av Næringsgruppering 2009');
    const byFull = await json(app, `/api/klass/v1/classifications/6/variant?variantName=${full}&from=2020-01-01&to=2021-01-01&selectCodes=00`);
    assert.deepEqual(byFull.codes, [
      { code: '00', parentCode: null, level: '1', name: 'Uoppgitt', shortName: '', presentationName: '', validFrom: null, validTo: null, validFromInRequestedRange: '2020-01-01', validToInRequestedRange: '2021-01-01', notes: '' },
    ]);
  } finally {
    await app.close();
  }
});

test('corresponds, correspondsAt, changes, versions, variants, correspondence tables', async () => {
  const app = await klassApp();
  try {
    const at = await json(app, '/api/klass/v1/classifications/104/correspondsAt?targetClassificationId=131&date=2020-02-01');
    assert.equal(at.correspondenceItems[0].sourceCode, '03');
    const back = await json(app, '/api/klass/v1/classifications/131/correspondsAt?targetClassificationId=104&date=2020-02-01');
    assert.equal(back.correspondenceItems[0].sourceCode, '0301');
    const inv = await json(app, '/api/klass/v1/classifications/104/correspondsAt?targetClassificationId=131&date=2020-02-01&inverted=true');
    assert.equal(inv.correspondenceItems[0].sourceCode, '0301');
    assert.equal(inv.correspondenceItems[0].targetCode, '03');
    const range = await json(app, '/api/klass/v1/classifications/104/corresponds?targetClassificationId=131&from=2023-06-01');
    const haram = range.correspondenceItems.filter((r: Json) => r.targetCode === '1580' || r.targetCode === '1507');
    assert.deepEqual(haram.map((r: Json) => [r.sourceCode, r.targetCode, r.validFrom, r.validTo]), [
      ['15', '1507', '2023-06-01', '2024-01-01'],
      ['15', '1580', '2024-01-01', null],
    ]);

    const ch = await json(app, '/api/klass/v1/classifications/131/changes?from=2023-01-01');
    assert.ok(ch.codeChanges.some((r: Json) => r.oldCode === '3001' && r.newCode === '3101' && r.changeOccurred === '2024-01-01'));
    assert.deepEqual(Object.keys(ch.codeChanges[0]), ['oldCode', 'oldName', 'oldShortName', 'newCode', 'newName', 'newShortName', 'changeOccurred']);
    const marital = await json(app, '/api/klass/v1/classifications/19/changes?from=1990-01-01&language=en');
    assert.deepEqual(marital.codeChanges[0], { oldCode: null, oldName: null, oldShortName: null, newCode: '6', newName: 'Registered partner', newShortName: '', changeOccurred: '1993-01-01' });

    const v = await json(app, '/api/klass/v1/versions/13123');
    assert.equal(v.name, 'Kommuneinndeling 2023');
    assert.equal(v.validTo, '2024-01-01');
    assert.equal(v.classificationItems.length, 357);
    assert.equal(v.classificationItems[0].parentCode, '');
    assert.equal(v.classificationItems[0].shortName, null, '131 has no short names');
    assert.equal(v.classificationItems[0].notes, '', '131 has notes');
    // tables from this version first, then those to it, each sorted by name
    assert.deepEqual(v.correspondenceTables.map((t: Json) => t.name), [
      'Kommuneinndeling 2023 - Kommuneinndeling 2022',
      'Fylkesinndeling 2020 - Kommuneinndeling 2023',
      'Kommuneinndeling 2024 - Kommuneinndeling 2023',
    ]);
    assert.equal(v.correspondenceTables[2]._links.source.href, `${ROOT}/versions/13124{?language,includeFuture}`);
    const current = await json(app, '/api/klass/v1/versions/13124');
    assert.equal(current.validTo, undefined);
    const sn = await json(app, '/api/klass/v1/versions/501?language=en');
    assert.equal(sn.name, 'Standard Industrial Classification 2009');
    assert.deepEqual(sn.levels.map((l: Json) => l.levelName), ['Section', 'Division', 'Group', 'Class', 'Subclass']);
    assert.equal(sn.classificationVariants[0].name, 'Main industries 2009  - variant of Standard Industrial Classification 2009');
    assert.equal(sn.classificationVariants[0].owningSection, '423', 'summaries carry the raw section code');
    assert.equal(sn.changelogs[0].changeOccured, '2023-06-01T10:00:00.000+0000');

    const variant = await json(app, '/api/klass/v1/variants/606');
    assert.equal(variant.name, 'Hovednæringer 2009  - variant av Næringsgruppering 2009');
    assert.equal(variant.owningSection, '423 - Seksjon for næringslivets strukturer');
    assert.ok(variant.classificationItems.every((i: Json) => i.shortName === null && i.notes === null));

    const t = await json(app, '/api/klass/v1/correspondencetables/447');
    assert.equal(t.name, 'Sivilstand 1993 - Sivilstand 1964');
    assert.equal(t.changeTable, true);
    assert.deepEqual(t.correspondenceMaps[0], { sourceCode: '6', sourceName: 'Registrert partner', targetCode: null, targetName: null });
  } finally {
    await app.close();
  }
});

test('includeFuture with the clock in 2023: the 2024 versions are future', async () => {
  const app = await klassApp({ today: () => '2023-06-01' });
  try {
    const c = await json(app, '/api/klass/v1/classifications/131');
    assert.equal(c.versions[0].name, 'Kommuneinndeling 2023');
    assert.equal(c.versions[0].validTo, undefined, 'current version hides its end');
    const all = await json(app, '/api/klass/v1/classifications/131?includeFuture=true');
    assert.equal(all.versions[0].name, 'Kommuneinndeling 2024');
    assert.equal(all.versions[1].validTo, '2024-01-01');
    assert.deepEqual(await json(app, '/api/klass/v1/classifications/131/codesAt?date=2024-06-01'), { codes: [] });
    assert.equal((await json(app, '/api/klass/v1/classifications/131/codesAt?date=2024-06-01&includeFuture=True')).codes.length, 358);
    // the current version seems to last to the end of the request
    const halden = await json(app, '/api/klass/v1/classifications/131/codes?from=2023-01-01&to=2025-01-01&selectCodes=3001');
    assert.deepEqual(halden.codes.map((x: Json) => x.validToInRequestedRange), ['2025-01-01']);
    const shown = await json(app, '/api/klass/v1/classifications/131/codes?from=2023-01-01&to=2025-01-01&selectCodes=3001&includeFuture=true');
    assert.deepEqual(shown.codes.map((x: Json) => x.validToInRequestedRange), ['2024-01-01']);
    const v = await json(app, '/api/klass/v1/versions/13123');
    assert.ok(!v.correspondenceTables.some((t: Json) => t.name.startsWith('Kommuneinndeling 2024')), 'tables to future versions hidden');
    assert.deepEqual((await json(app, '/api/klass/v1/classifications/131/changes?from=2023-01-01')).codeChanges, []);
  } finally {
    await app.close();
  }
});

test('HTTP details: CORS, Vary, HEAD, OPTIONS, root redirect and the guide', async () => {
  const app = await klassApp();
  try {
    const r = await get(app, '/api/klass/v1/classifications/19');
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers.vary, 'Accept, X-Forwarded-Proto');
    const head = await app.inject({ method: 'HEAD', url: '/api/klass/v1/classifications/19' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    const pre = await app.inject({ method: 'OPTIONS', url: '/api/klass/v1/classifications/19', headers: { origin: 'https://x.example', 'access-control-request-method': 'GET' } });
    assert.equal(pre.statusCode, 200);
    assert.match(String(pre.headers['access-control-allow-methods']), /GET/);
    for (const url of ['/api/klass/v1', '/api/klass/v1/']) {
      const red = await get(app, url);
      assert.equal(red.statusCode, 302);
      assert.equal(red.headers.location, '/api/klass/v1/api-guide.html');
    }
    const guide = await get(app, '/api/klass/v1/api-guide.html');
    assert.equal(guide.statusCode, 200);
    assert.match(guide.body, /demo data/);
    assert.match(guide.body, new RegExp(`${ROOT}/classifications/131/codesAt`));
  } finally {
    await app.close();
  }
  const closed = await klassApp({}, false);
  try {
    assert.equal((await get(closed, '/api/klass/v1/ssbsections')).headers['access-control-allow-origin'], undefined);
  } finally {
    await closed.close();
  }
});

// --- shapes of real / modelled Klass responses ----------------------------------------------------------------------

const PY = 'ssb-klass-python-test-mocks/';

test('shapes: lists, classification, families, search and sections follow the fixtures', { skip: SKIP_FIXTURES }, async () => {
  const app = await klassApp();
  try {
    const list = await json(app, '/api/klass/v1/classifications?size=2');
    const model = fixtureJson<Json>(PY + 'classifications.json');
    assertKeyOrder(list, model);
    assertKeyOrder(list._embedded.classifications[0], model._embedded.classifications[0]);
    assertKeyOrder(list.page, model.page);
    assertKeyOrder(list._links, model._links);
    assert.equal(list._links.search.href, model._links.search.href.replace('https://data.ssb.no/api/klass/v1', ROOT));

    const byId = await json(app, '/api/klass/v1/classifications/19');
    const cModel = fixtureJson<Json>(PY + 'classification_by_id.json');
    assertKeyOrder(byId, cModel);
    assertKeyOrder(byId.contactPerson, cModel.contactPerson);
    assertKeyOrder(byId.versions[1], cModel.versions[0]); // [0] is current: its validTo is hidden
    assertKeyOrder(byId._links, cModel._links);
    for (const [rel, l] of Object.entries(cModel._links as Record<string, Json>)) {
      assert.equal(byId._links[rel].href, l.href.replace('https://data.ssb.no/api/klass/v1', ROOT).replace('/classifications/0', '/classifications/19'), rel);
      assert.equal(byId._links[rel].templated, l.templated, rel);
    }

    const fams = await json(app, '/api/klass/v1/classificationfamilies');
    const fModel = fixtureJson<Json>(PY + 'classificationfamilies.json');
    assertKeyOrder(fams, fModel);
    assertKeyOrder(fams._embedded.classificationFamilies[0], fModel._embedded.classificationFamilies[0]);
    const fam = await json(app, '/api/klass/v1/classificationfamilies/1');
    const famModel = fixtureJson<Json>(PY + 'classificationfamily_20.json');
    assertKeyOrder(fam, famModel);
    assertKeyOrder(fam.classifications[0], famModel.classifications[0]);

    const search = await json(app, '/api/klass/v1/classifications/search?query=kommune');
    const sModel = fixtureJson<Json>(PY + 'classifications_search.json');
    assertKeyOrder(search, sModel);
    assertKeyOrder(search._embedded.searchResults[0], sModel._embedded.searchResults[0]);
    assert.equal(typeof search._embedded.searchResults[0].searchScore, 'number');

    const sections = await json(app, '/api/klass/v1/ssbsections');
    const secModel = fixtureJson<Json>(PY + 'ssbsections.json');
    assertKeyOrder(sections, secModel);
    assertKeyOrder(sections._embedded.ssbSections[0], secModel._embedded.ssbSections[0]);
    // the section labels are real ones
    const real = new Set(secModel._embedded.ssbSections.map((s: Json) => s.name));
    for (const s of sections._embedded.ssbSections) assert.ok(real.has(s.name), s.name);
  } finally {
    await app.close();
  }
});

test('shapes: version 50 (sivilstand, a real id) matches the real one in shape and content', { skip: SKIP_FIXTURES }, async () => {
  const app = await klassApp();
  try {
    const v = await json(app, '/api/klass/v1/versions/50');
    const model = fixtureJson<Json>(PY + 'version_50_sivilstand_1993.2025-01.json');
    assertKeyOrder(v, model);
    assert.equal(v.name, model.name);
    assert.equal(v.validFrom, model.validFrom);
    assert.deepEqual(v.published, model.published);
    assert.deepEqual(v.levels, model.levels);
    assert.deepEqual(
      v.classificationItems.map((i: Json) => [i.code, i.parentCode, i.level, i.name, i.shortName, i.notes]),
      model.classificationItems.map((i: Json) => [i.code, i.parentCode, i.level, i.name, i.shortName, i.notes]),
    );
    assertKeyOrder(v.classificationItems[0], model.classificationItems[0]);
    const [table] = v.correspondenceTables;
    const [tModel] = model.correspondenceTables;
    assertKeyOrder(table, tModel);
    for (const k of ['name', 'source', 'sourceId', 'target', 'targetId', 'changeTable', 'sourceLevel', 'targetLevel']) assert.deepEqual(table[k], tModel[k], k);
    assert.deepEqual(Object.keys(table._links), Object.keys(tModel._links));
    const sn = await json(app, '/api/klass/v1/versions/501');
    assertKeyOrder(sn.classificationVariants[0], model.classificationVariants[0]);
    assertKeyOrder(sn.classificationVariants[0].contactPerson, model.classificationVariants[0].contactPerson);
  } finally {
    await app.close();
  }
});

test('shapes: variant, correspondence table and the code/correspondence/change lists', { skip: SKIP_FIXTURES }, async () => {
  const app = await klassApp();
  try {
    const variant = await json(app, '/api/klass/v1/variants/606');
    const vModel = fixtureJson<Json>(PY + 'variant_1965_by_id.2025-01.json');
    // the mock moved validTo/validFrom and added fields the API does not have (see SOURCES.md)
    assertKeyOrder(variant, vModel, ['validTo', 'legalBase', 'publications', 'derivedFrom']);
    assertKeyOrder(variant.classificationItems[0], vModel.classificationItems[0]);
    assert.deepEqual(variant.levels.map((l: Json) => Object.keys(l)), vModel.levels.map((l: Json) => Object.keys(l)));

    const t = await json(app, '/api/klass/v1/correspondencetables/10603');
    const tModel = fixtureJson<Json>(PY + 'correspondencetable_1287.json');
    assertKeyOrder(t, tModel);
    assertKeyOrder(t.correspondenceMaps[0], tModel.correspondenceMaps[0]);
    assert.equal(t.owningSection, tModel.owningSection, 'full tables carry the section label');

    const exact = (ours: Json, model: Json) => assert.deepEqual(Object.keys(ours), Object.keys(model));
    exact((await json(app, '/api/klass/v1/classifications/131/codesAt?date=2024-01-01')).codes[0], fixtureJson<Json>(PY + 'codes.2025-01.json').codes[0]);
    exact((await json(app, '/api/klass/v1/classifications/6/variant?variantName=Hovedn%C3%A6ringer&from=2021-01-01')).codes[0], fixtureJson<Json>(PY + 'variant.2025-01.json').codes[0]);
    exact(
      (await json(app, '/api/klass/v1/classifications/104/corresponds?targetClassificationId=131&from=2021-01-01')).correspondenceItems[0],
      fixtureJson<Json>(PY + 'corresponds.2025-01.json').correspondenceItems[0],
    );
    exact((await json(app, '/api/klass/v1/classifications/131/changes?from=2021-01-01')).codeChanges[0], fixtureJson<Json>(PY + 'changes.2025-01.json').codeChanges[0]);
    // real /changes rows (re-keyed alphabetically by the site that stored them): same field names
    const realRow = fixtureJson<Json>('ssb-dataportal-static/changes_646_landkoder_excerpt.json')['646'].codeChanges[0];
    const ourRow = (await json(app, '/api/klass/v1/classifications/19/changes?from=1990-01-01')).codeChanges[0];
    assert.deepEqual(Object.keys(ourRow).sort(), Object.keys(realRow).sort());
  } finally {
    await app.close();
  }
});

test('shapes: CSV headers and the quoting of nulls follow the recorded Klass CSV', { skip: SKIP_FIXTURES }, async () => {
  const app = await klassApp();
  try {
    const cases: Array<[string, string]> = [
      ['codes.2023-05.csv', '/api/klass/v1/classifications/19/codes.csv?from=2023-01-01'],
      ['codesAt.2023-05.csv', '/api/klass/v1/classifications/19/codesAt.csv?date=2023-01-01'],
      ['variant.2023-05.csv', '/api/klass/v1/classifications/6/variant.csv?variantName=Hovedn%C3%A6ringer&from=2023-01-01&level=1'],
      ['variantAt.2023-05.csv', '/api/klass/v1/classifications/6/variantAt.csv?variantName=Hovedn%C3%A6ringer&date=2023-01-01&level=1'],
      ['corresponds.2023-05.csv', '/api/klass/v1/classifications/104/corresponds.csv?targetClassificationId=131&from=2024-01-01'],
      ['correspondsAt.2023-05.csv', '/api/klass/v1/classifications/104/correspondsAt.csv?targetClassificationId=131&date=2024-01-01'],
      ['changes.2023-05.csv', '/api/klass/v1/classifications/19/changes.csv?from=1990-01-01'],
    ];
    for (const [file, url] of cases) {
      const model = fixtureText(PY + file);
      const r = await get(app, url);
      assert.equal(r.statusCode, 200, url);
      const ours = r.body;
      assert.equal(ours.split('\n')[0], model.split('\n')[0], `${file}: header`);
      // which fields are quoted and which are bare (null): compare the first data row's pattern
      const mask = (body: string, row: number) => parseCsv(body)[row].map((f) => (f.quoted ? 'q' : f.text === '' ? 'null' : 'bare')).join(',');
      const modelRow = file.startsWith('changes') ? parseCsv(model).findIndex((r) => !r[0].quoted) : 1;
      const ourRow = file.startsWith('changes') ? parseCsv(ours).findIndex((r) => !r[0].quoted) : 1;
      assert.ok(modelRow > 0 && ourRow > 0, file);
      assert.equal(mask(ours, ourRow), mask(model, modelRow), `${file}: quoting`);
      assert.ok(csvObjects(ours).length > 0);
    }
  } finally {
    await app.close();
  }
});
