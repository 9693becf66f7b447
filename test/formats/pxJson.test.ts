import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pxJson, pxJsonSerializer } from '../../src/formats/pxJson.js';
import { getSerializer } from '../../src/formats/registry.js';
import { plainCube, salesCube } from './cubes.js';
import { hasShared, rawKeys, readShared } from './fixtureCube.js';

const FIXTURE = 'fixtures/pxweb/v1/serializers/json-px_SSB11327_TestJson.json';

test('PX-JSON: key columns, contents columns, string values, comments, metadata', () => {
  const cube = salesCube();
  const doc = JSON.parse(pxJson(cube, { lang: 'en' }).toString('utf8'));
  assert.deepEqual(Object.keys(doc), ['columns', 'comments', 'data', 'metadata']);
  assert.deepEqual(
    doc.columns.map((c: { code: string; type: string }) => `${c.code}:${c.type}`),
    ['Region:d', 'Kjonn:d', 'Tid:t', 'Antall:c', 'Pris:c'],
  );
  assert.ok(doc.columns.every((c: { type: string }) => ['t', 'c', 'd'].includes(c.type)), 'R pxweb asserts t/c/d');
  assert.deepEqual(doc.comments, [{ variable: 'Region', value: '3', comment: 'Oslo is a county and a municipality\r\n' }]);
  assert.equal(doc.data.length, 12);
  // row (Region r, Kjonn k, Tid t): values [Antall, Pris] = cells ((r*2+k)*2+c)*2+t
  for (const [n, row] of doc.data.entries()) {
    const r = Math.floor(n / 4);
    const k = Math.floor(n / 2) % 2;
    const t = n % 2;
    assert.deepEqual(row.key, [cube.meta.variables[0].values[r].code, cube.meta.variables[1].values[k].code, cube.meta.variables[3].values[t].code]);
    row.values.forEach((v: string, c: number) => {
      assert.equal(typeof v, 'string');
      const i = ((r * 2 + k) * 2 + c) * 2 + t;
      if (cube.status![i]) assert.ok(['..', ':', '-'].includes(v), `symbol at ${i}`);
      else {
        assert.ok(Math.abs(Number(v) - cube.values[i]) <= 0.5 * 10 ** -(c ? 2 : 0) + 1e-9);
        assert.equal(v.split('.')[1]?.length ?? 0, c ? 2 : 0);
      }
    });
  }
  assert.deepEqual(doc.data[0], { key: ['0', '2', '2024'], values: ['2', '87.00'] });
  assert.deepEqual(Object.keys(doc.metadata[0]), ['updated', 'label', 'source']);
  assert.equal(doc.metadata[0].label, '99001: Sales, by region, sex, contents and year');
});

test('PX-JSON without a contents variable: one data column', () => {
  const doc = JSON.parse(pxJson(plainCube(), { lang: 'en' }).toString('utf8'));
  assert.deepEqual(doc.columns.at(-1), { code: 'TAB2', text: 'Persons', type: 'c' });
  assert.deepEqual(doc.data.map((r: { values: string[] }) => r.values[0]), ['1.2', '2.0', '3.4', '-4.0', '5.0', '6.0']);
  assert.deepEqual(doc.comments, []); // always present: R pxweb asserts the name
});

test('PX-JSON shape equals the SSB 11327 document', { skip: !hasShared(FIXTURE) }, () => {
  const fixture = readShared(FIXTURE).toString('utf8');
  const raw = pxJson({ ...salesCube(), meta: { ...salesCube().meta, infoFile: 'None' } }, { lang: 'no' }).toString('utf8');
  assert.deepEqual(rawKeys(raw, []), rawKeys(fixture, []));
  const f = JSON.parse(fixture);
  const o = JSON.parse(raw);
  assert.deepEqual(Object.keys(o.columns[0]), Object.keys(f.columns[0]));
  assert.deepEqual(Object.keys(o.comments[0]), Object.keys(f.comments[0]));
  assert.deepEqual(Object.keys(o.data[0]), Object.keys(f.data[0]));
  assert.deepEqual(Object.keys(o.metadata[0]), Object.keys(f.metadata[0]));
  assert.ok(!raw.includes(' '.repeat(2)) && !raw.includes('\n'), 'compact');
});

test('content types: v1 json and v2 json-px', async () => {
  assert.equal((await pxJsonSerializer.serialize(salesCube(), { lang: 'en', api: 'v1' })).contentType, 'application/json; charset=utf-8');
  const v2 = await getSerializer('json-px', 'v2')!.serialize(salesCube(), { lang: 'en' });
  assert.equal(v2.contentType, 'application/json; charset=UTF-8');
  assert.equal(v2.extension, 'json');
});
