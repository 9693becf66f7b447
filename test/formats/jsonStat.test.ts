import { test } from 'node:test';
import assert from 'node:assert/strict';
import JSONstat from 'jsonstat-toolkit';
import { text } from '../../src/core/model.js';
import { jsonStat1Bundle } from '../../src/formats/jsonStat1.js';
import { jsonStat2Data, jsonStat2Metadata } from '../../src/formats/jsonStat2.js';
import { plainCube, salesCube } from './cubes.js';
import { cubeFromJsonStat2, hasShared, rawKeys, readShared } from './fixtureCube.js';

const SSB_EN = 'fixtures/pxweb/v2/ssb-real/03024_POST_from2025U01_en.jsonstat2.json';
const SSB_NO = 'fixtures/pxweb/v2/ssb-real/03024_POST_from2025U01_no.jsonstat2.json';
const BE0101 = 'fixtures/pxweb/v2/serializers/BE0101A1_with_notes.jsonstat2.json';
const PR0101 = 'fixtures/pxweb/v1/serializers/PR0101B3.jsonstat1.json';
const META_TAB001 = 'fixtures/pxweb/v2/pxwebapi-tests/MetadataById_tab001_js2.json';
const SCHEMA = 'fixtures/jsonstat/schema/dataset.json';

test('jsonstat-toolkit reads json-stat2: values, labels, dimensions, status', () => {
  const cube = salesCube();
  const body = jsonStat2Data(cube, { lang: 'en' });
  const ds = JSONstat(JSON.parse(body.toString('utf8')));
  assert.equal(ds.class, 'dataset');
  assert.deepEqual(ds.id, cube.meta.variables.map((v) => v.code));
  assert.deepEqual(ds.size, [3, 2, 2, 2]);
  assert.equal(ds.n, 24);
  for (const v of cube.meta.variables) {
    const dim = ds.Dimension(v.code);
    assert.equal(dim.label, text(v.label, 'en'));
    assert.deepEqual(dim.id, v.values.map((x) => x.code), `${v.code} category order`);
    v.values.forEach((x) => assert.equal(dim.Category(x.code).label, text(x.label, 'en')));
  }
  assert.deepEqual(ds.role.time, ['Tid']);
  assert.deepEqual(ds.role.metric, ['ContentsCode']);
  assert.deepEqual(ds.role.geo, ['Region']);
  // values: numbers rounded per contents decimals, null for symbol cells
  const values = ds.value as (number | null)[];
  assert.equal(values[0], 2); // 2.5 at 0 decimals, half to even
  assert.equal(values[2], 87);
  assert.equal(values[5], null);
  assert.equal(ds.Data({ Region: '3', Kjonn: '2', ContentsCode: 'Pris', Tid: '2024' }).value, null);
  assert.equal(ds.Data({ Region: '3', Kjonn: '2', ContentsCode: 'Pris', Tid: '2024' }).status, ':');
  assert.equal(ds.Data({ Region: '46', Kjonn: '2', ContentsCode: 'Antall', Tid: '2023' }).status, '-');
  for (let i = 0; i < 24; i++) {
    if (cube.status![i]) continue;
    const d = ((i >> 1) & 1) === 1 ? 2 : 0;
    assert.ok(Math.abs(values[i]! - cube.values[i]) <= 0.5 * 10 ** -d + 1e-9, `cell ${i}`);
  }
  assert.equal(ds.Dimension('ContentsCode').Category('Pris').unit.decimals, 2);
  assert.equal(ds.Dimension('ContentsCode').Category('Antall').unit.base, 'pcs');
  // Norwegian labels from the same cube
  const no = JSONstat(JSON.parse(jsonStat2Data(cube, { lang: 'no' }).toString('utf8')));
  assert.equal(no.Dimension('Kjonn').Category('1').label, 'Menn');
  assert.equal(no.label, '99001: Salg, etter region, kjønn, statistikkvariabel og år');
});

test('jsonstat-toolkit reads the json-stat 1.2 bundle', () => {
  const cube = salesCube();
  const doc = JSON.parse(jsonStat1Bundle(cube, { lang: 'en' }).toString('utf8'));
  assert.deepEqual(Object.keys(doc), ['dataset'], 'R pxweb needs exactly one top-level key');
  const bundle = JSONstat(doc);
  assert.equal(bundle.class, 'bundle');
  const ds = bundle.Dataset(0);
  assert.deepEqual(ds.id, ['Region', 'Kjonn', 'ContentsCode', 'Tid']);
  assert.deepEqual(ds.size, [3, 2, 2, 2]);
  assert.equal(ds.Dimension('Region').Category('46').label, 'Vestland "West"');
  assert.equal(ds.Data(5).value, null);
  assert.equal(ds.Data(5).status, '..');
  assert.equal(ds.Data(2).value, 87);
  // with a status the derived class puts status first and drops extension
  assert.deepEqual(Object.keys(doc.dataset), ['status', 'dimension', 'label', 'source', 'updated', 'value']);
  const plain = JSON.parse(jsonStat1Bundle(plainCube(), { lang: 'en' }).toString('utf8'));
  assert.deepEqual(Object.keys(plain.dataset), ['dimension', 'label', 'value', 'extension']);
  assert.deepEqual(JSONstat(plain).Dataset(0).value, [1.2, 2, 3.4, -4, 5, 6]);
});

test('integer-like codes keep value order in the raw text', () => {
  const raw = jsonStat2Data(salesCube(), { lang: 'en' }).toString('utf8');
  assert.ok(raw.includes('"index":{"2":0,"1":1}'), 'Kjonn 2 before 1');
  assert.ok(raw.includes('"index":{"2024":0,"2023":1}'), 'Tid 2024 before 2023');
  assert.ok(raw.includes('"label":{"0":"The whole country","3":"Oslo","46":"Vestland \\"West\\""}'));
  assert.deepEqual(rawKeys(raw, ['dimension', 'Kjonn', 'category', 'label']), ['2', '1']);
  assert.deepEqual(rawKeys(raw, ['status']), ['5', '10', '17']);
  const raw1 = jsonStat1Bundle(salesCube(), { lang: 'en' }).toString('utf8');
  assert.deepEqual(rawKeys(raw1, ['dataset', 'dimension', 'Tid', 'category', 'index']), ['2024', '2023']);
});

test('key order of root, dimensions and extensions equals SSB 03024', { skip: !hasShared(SSB_EN) }, () => {
  for (const [file, lang] of [[SSB_EN, 'en'], [SSB_NO, 'no']] as const) {
    const fixture = readShared(file).toString('utf8');
    const cube = cubeFromJsonStat2(JSON.parse(fixture), lang);
    const ours = jsonStat2Data(cube, { lang }).toString('utf8');
    for (const path of [[], ['role'], ['dimension'], ['extension'], ['extension', 'px']]) {
      assert.deepEqual(rawKeys(ours, path), rawKeys(fixture, path), `keys at ${path.join('.') || 'root'}`);
    }
    for (const dim of cube.meta.variables.map((v) => v.code)) {
      for (const sub of [[], ['category'], ['extension']]) {
        // PxWeb also links ContentsCode to concept URNs (META-ID), which the cube model has no field for
        const expect = rawKeys(fixture, ['dimension', dim, ...sub]).filter((k) => k !== 'link');
        assert.deepEqual(rawKeys(ours, ['dimension', dim, ...sub]), expect, `${dim}.${sub.join('.')}`);
      }
    }
    const a = JSON.parse(ours);
    const b = JSON.parse(fixture);
    assert.equal(a.label, b.label, 'generated title');
    assert.deepEqual(a.value, b.value, 'values');
    assert.deepEqual(a.dimension.Tid, b.dimension.Tid);
    assert.deepEqual(a.dimension.ContentsCode.category, b.dimension.ContentsCode.category);
    assert.deepEqual(a.extension.px, b.extension.px);
    assert.equal(a.extension.discontinued, null);
    assert.deepEqual(a.extension.contact.map((c: { raw: string }) => c.raw), b.extension.contact.map((c: { raw: string }) => c.raw));
  }
});

test('notes, mandatory flags and the eliminated-contents dimension follow the PxWeb serializer test', { skip: !hasShared(BE0101) }, () => {
  const fixture = readShared(BE0101).toString('utf8');
  const cube = salesCube();
  const ours = jsonStat2Data(cube, { lang: 'en' }).toString('utf8');
  // root with a table note: note comes after updated
  assert.deepEqual(rawKeys(ours, []), [...rawKeys(fixture, []), 'status']);
  assert.deepEqual(rawKeys(ours, ['dimension', 'Kjonn']), rawKeys(fixture, ['dimension', 'period']).filter((k) => k !== 'link'));
  assert.deepEqual(rawKeys(ours, ['dimension', 'Region', 'category']), rawKeys(fixture, ['dimension', 'region', 'category']));
  assert.deepEqual(rawKeys(ours, ['extension']), rawKeys(fixture, ['extension']));
  const doc = JSON.parse(ours);
  assert.deepEqual(doc.extension.noteMandatory, { 0: true });
  assert.deepEqual(doc.dimension.Region.extension.categoryNoteMandatory, { 3: { 0: true } });
  assert.deepEqual(doc.dimension.Region.category.note, { 3: ['Oslo is a county and a municipality'] });
  assert.deepEqual(doc.dimension.Kjonn.note, ['Sex as registered']);
  assert.equal(doc.dimension.Kjonn.extension.noteMandatory, undefined);
  // no contents variable: a synthetic first dimension like the fixture's
  const plain = jsonStat2Data(plainCube(), { lang: 'en' }).toString('utf8');
  const f = JSON.parse(fixture).dimension.ContentsCode;
  const p = JSON.parse(plain);
  assert.deepEqual(p.id, ['ContentsCode', 'Age', 'Year']);
  assert.deepEqual(p.size, [1, 2, 3]);
  assert.equal(p.dimension.ContentsCode.label, f.label);
  assert.deepEqual(Object.keys(p.dimension.ContentsCode.category.index), Object.keys(f.category.index));
  assert.deepEqual(p.dimension.ContentsCode.category.unit, { EliminatedValue: { base: 'persons', decimals: 1 } });
  assert.deepEqual(p.role.metric, ['ContentsCode']);
  assert.deepEqual(JSONstat(p).value, [1.2, 2, 3.4, -4, 5, 6]);
});

test('json-stat 1.2 layout equals the PxWeb serializer test', { skip: !hasShared(PR0101) }, () => {
  const fixture = readShared(PR0101).toString('utf8');
  const ours = jsonStat1Bundle(plainCube(), { lang: 'en' }).toString('utf8');
  assert.deepEqual(rawKeys(ours, ['dataset']), rawKeys(fixture, ['dataset']).filter((k) => k !== 'source' && k !== 'updated'));
  assert.deepEqual(rawKeys(ours, ['dataset', 'dimension']).slice(-3), ['id', 'size', 'role']);
  assert.deepEqual(rawKeys(ours, ['dataset', 'dimension', 'Age']), rawKeys(fixture, ['dataset', 'dimension', 'period']));
  assert.deepEqual(rawKeys(ours, ['dataset', 'extension', 'px']), ['tableid', 'decimals']);
  const full = jsonStat1Bundle({ ...salesCube(), status: null }, { lang: 'en' }).toString('utf8');
  assert.deepEqual(rawKeys(full, ['dataset']), rawKeys(fixture, ['dataset']));
  assert.deepEqual(rawKeys(full, ['dataset', 'dimension', 'ContentsCode', 'category']), ['index', 'label', 'unit']);
});

test('metadata document: value [], codelists, no discontinued, key order of PxWebApi', { skip: !hasShared(META_TAB001) }, () => {
  const meta = salesCube().meta;
  meta.variables[0].valueSets = [{ id: 'Fylker', label: { en: 'Counties', no: 'Fylker' }, codes: ['3', '46'] }];
  meta.variables[0].groupings = [{ id: 'agg_Landsdel', label: { en: 'Parts of the country', no: 'Landsdeler' }, groups: [] }];
  const raw = jsonStat2Metadata(meta, { lang: 'en', baseUrl: 'http://127.0.0.1/api/v2/' }).toString('utf8');
  const doc = JSON.parse(raw);
  const fixture = readShared(META_TAB001).toString('utf8');
  assert.deepEqual(doc.value, []);
  assert.equal(doc.label, text(meta.title, 'en'));
  assert.deepEqual(rawKeys(raw, []), rawKeys(fixture, []).filter((k) => k !== 'link'));
  assert.deepEqual(rawKeys(raw, ['dimension', 'Tid', 'extension']), rawKeys(fixture, ['dimension', 'TIME', 'extension']));
  assert.deepEqual(rawKeys(raw, ['dimension', 'ContentsCode', 'extension']).slice(0, 1), ['elimination']);
  assert.ok(!('discontinued' in doc.extension));
  assert.deepEqual(doc.dimension.Region.extension.codelists, [
    { id: 'agg_Landsdel', label: 'Parts of the country', type: 'Aggregation', links: [{ rel: 'metadata', hreflang: 'en', href: 'http://127.0.0.1/api/v2/codeLists/agg_Landsdel?lang=en' }] },
    { id: 'vs_Fylker', label: 'Counties', type: 'Valueset', links: [{ rel: 'metadata', hreflang: 'en', href: 'http://127.0.0.1/api/v2/codeLists/vs_Fylker?lang=en' }] },
  ]);
  assert.deepEqual(doc.dimension.Tid.extension.codelists, []);
  assert.equal(JSONstat(doc).Dimension('Kjonn').length, 2);
});

test('json-stat2 output validates against the JSON-stat 2.0 dataset schema', { skip: !hasShared(SCHEMA) }, async (t) => {
  let Ajv2020: any;
  try {
    Ajv2020 = (await import('ajv/dist/2020.js')).default;
  } catch {
    t.skip('ajv (2020-12) not installed');
    return;
  }
  const ajv = new Ajv2020({ strict: false, validateFormats: false, unicodeRegExp: false });
  const validate = ajv.compile(JSON.parse(readShared(SCHEMA).toString('utf8')));
  for (const doc of [
    jsonStat2Data(salesCube(), { lang: 'en' }),
    jsonStat2Data(salesCube(), { lang: 'no' }),
    jsonStat2Data(plainCube(), { lang: 'en' }),
    jsonStat2Metadata(salesCube().meta, { lang: 'en' }),
  ]) {
    const ok = validate(JSON.parse(doc.toString('utf8')));
    assert.ok(ok, JSON.stringify(validate.errors));
  }
  // a broken document is caught, so the check can fail
  assert.equal(validate({ version: '2.0', class: 'dataset', id: ['a'], size: ['x'], dimension: {}, value: [] }), false);
});
