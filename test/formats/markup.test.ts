// SDMX-ML, HTML and the format registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlTable, localeNumber } from '../../src/formats/html.js';
import { formatIds, getSerializer } from '../../src/formats/registry.js';
import { sdmxGenericData, sdmxTime } from '../../src/formats/sdmx.js';
import { salesCube } from './cubes.js';
import { hasShared, readShared } from './fixtureCube.js';

const SDMX = 'fixtures/pxweb/v1/serializers/PR0101B3_sdmx_data.xml';

/** Element paths (a/b/c) in document order, ignoring attributes and text. */
function elementPaths(xml: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([A-Za-z_][\w:.-]*)[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    if (close) stack.pop();
    else {
      stack.push(name);
      out.push(stack.join('/'));
      if (self) stack.pop();
    }
  }
  return out;
}

test('SDMX-ML GenericData has the structure of PxWeb\'s output', { skip: !hasShared(SDMX) }, () => {
  const fixture = readShared(SDMX).toString('utf8');
  const cube = salesCube();
  const ours = sdmxGenericData(cube, { lang: 'en', prepared: new Date('2000-12-24T17:00:00Z') });
  assert.deepEqual([...ours.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM like the fixture');
  const xml = ours.toString('utf8').slice(1);
  const f = [...new Set(elementPaths(fixture.replace(/^\uFEFF/, '')))];
  const o = [...new Set(elementPaths(xml))];
  // every kind of element PxWeb writes, in the same nesting (series-level attributes are extra: two contents)
  assert.deepEqual(o.filter((p) => p !== 'GenericData/DataSet/g:Series/g:Attributes' && p !== 'GenericData/DataSet/g:Series/g:Attributes/g:Value'), f.filter((p) => p !== 'GenericData/DataSet/g:Attributes' && p !== 'GenericData/DataSet/g:Attributes/g:Value'));
  assert.ok(xml.includes('<Prepared>2000-12-24T17:00:00Z</Prepared>'));
  // 12 series (Region x Kjonn x ContentsCode), 2 observations each
  assert.equal((xml.match(/<g:Series>/g) ?? []).length, 12);
  assert.equal((xml.match(/<g:Obs>/g) ?? []).length, 24);
  assert.ok(xml.includes('<g:Value concept="FREQ" value="A" />'));
  assert.ok(xml.includes('<g:ObsValue value="87" />'));
  assert.ok(xml.includes('<g:ObsValue value="NaN" />') && xml.includes('<g:Value concept="OBS_STATUS" value="M" />'));
  assert.ok(xml.includes('The figures are made up.'));
  assert.ok(!xml.includes('"Vest'), 'attribute values escaped');
});

test('SDMX time periods', () => {
  assert.equal(sdmxTime('2006M01', 'M'), '2006-01');
  assert.equal(sdmxTime('2006K3', 'Q'), '2006-Q3');
  assert.equal(sdmxTime('2025U07', 'W'), '2025-W07');
  assert.equal(sdmxTime('2006', 'A'), '2006');
  assert.equal(sdmxTime('2006H2', 'H'), '2006-B2');
});

test('HTML: escaped table with caption, heading rows and locale numbers', () => {
  const cube = salesCube();
  const html = htmlTable(cube, { lang: 'en' }).toString('latin1');
  assert.ok(html.startsWith('<table id="Salg">'));
  assert.ok(html.includes('<caption>99001: Sales, by region, sex, contents and year</caption>'));
  assert.ok(html.includes('<th colspan="2">Number (pcs)</th>'));
  assert.ok(html.includes('<th scope="row">Vestland &quot;West&quot;</th>'));
  assert.ok(!html.includes('"West"'));
  assert.ok(html.includes('<td>2,000</td>') && html.includes('<td>87.00</td>'));
  assert.equal((html.match(/<tr>/g) ?? []).length, 2 + 6);
  const no = htmlTable(cube, { lang: 'no', labels: 'codesAndTexts' });
  assert.notEqual(no.indexOf(Buffer.from('<td>87,00</td>', 'latin1')), -1);
  assert.notEqual(no.indexOf(Buffer.from('3 Oslo', 'latin1')), -1);
  assert.equal(localeNumber('-1234567.50', 'en'), '-1,234,567.50');
  assert.equal(localeNumber('1234', 'no'), '1\u00a0234');
  const evil = { ...cube, meta: { ...cube.meta, contents: { en: '<script>alert(1)</script>' }, description: undefined } };
  assert.ok(!htmlTable(evil, { lang: 'en' }).toString('latin1').includes('<script>'));
});

test('registry: the formats of each API, unknown ids, case-insensitive, api dialect', async () => {
  assert.deepEqual(formatIds('v1').sort(), ['csv', 'csv2', 'csv3', 'json', 'json-stat', 'json-stat2', 'px', 'sdmx', 'xlsx']);
  assert.deepEqual(formatIds('v2').sort(), ['csv', 'html', 'json-px', 'json-stat2', 'parquet', 'px', 'xlsx']);
  assert.equal(getSerializer('parquet', 'v1'), undefined);
  assert.equal(getSerializer('csv2', 'v2'), undefined);
  assert.equal(getSerializer('toString', 'v1'), undefined);
  assert.equal(getSerializer('__proto__', 'v2'), undefined);
  const cube = salesCube();
  const v1 = await getSerializer('CSV', 'v1')!.serialize(cube, { lang: 'en' });
  assert.equal(v1.contentType, 'text/csv; charset=Windows-1252');
  assert.ok(v1.body.toString('latin1').startsWith('"region","sex"'), 'v1 layout: names');
  const v2 = await getSerializer('csv', 'v2')!.serialize(cube, { lang: 'en' });
  assert.ok(v2.body.toString('latin1').startsWith('"Region","Kjonn"'), 'v2 layout: codes');
  for (const api of ['v1', 'v2'] as const) {
    for (const id of formatIds(api)) {
      const out = await getSerializer(id, api)!.serialize(cube, { lang: 'no' });
      assert.ok(out.body.length > 0 && out.contentType && out.extension, `${api} ${id}`);
    }
  }
});

test('degenerate cubes: no variables, an empty variable, NaN values — every format still writes', async () => {
  const base = salesCube();
  const scalar = { meta: { ...base.meta, variables: [], stub: [], heading: [], cellNotes: undefined }, values: Float64Array.of(42.125), status: null };
  const emptyVar = {
    meta: { ...base.meta, variables: base.meta.variables.map((v, d) => (d === 1 ? { ...v, values: [] } : v)) },
    values: new Float64Array(0),
    status: null,
  };
  const nan = { ...base, values: base.values.map((v, i) => (i === 0 ? NaN : i === 1 ? Infinity : v)) };
  for (const cube of [scalar, emptyVar, nan]) {
    for (const api of ['v1', 'v2'] as const) {
      for (const id of formatIds(api)) {
        const out = await getSerializer(id, api)!.serialize(cube, { lang: 'en' });
        assert.ok(out.body.length > 0, `${api} ${id}`);
        if (out.contentType.startsWith('application/json')) JSON.parse(out.body.toString('utf8'));
      }
    }
  }
  const scalarJson = JSON.parse((await getSerializer('json-stat2', 'v2')!.serialize(scalar, { lang: 'en' })).body.toString('utf8'));
  assert.deepEqual(scalarJson.value, [42.12]); // 42.125 -> half to even at 2 decimals
  const nanJson = JSON.parse((await getSerializer('json-stat2', 'v2')!.serialize(nan, { lang: 'en' })).body.toString('utf8'));
  assert.deepEqual(nanJson.value.slice(0, 2), [null, null]);
});
