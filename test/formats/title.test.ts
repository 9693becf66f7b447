import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generatedTitle, joinNames } from '../../src/formats/title.js';
import { salesMeta } from './cubes.js';

test('titles per language: by/and, etter/og, efter/och', () => {
  const meta = salesMeta();
  assert.equal(generatedTitle(meta, 'en'), '99001: Sales, by region, sex, contents and year');
  assert.equal(generatedTitle(meta, 'no'), '99001: Salg, etter region, kjønn, statistikkvariabel og år');
  const sv = { ...meta, contents: { sv: 'Folkmängd' }, variables: meta.variables.slice(0, 2).map((v) => ({ ...v, label: { sv: v.code } })) };
  assert.equal(generatedTitle(sv, 'sv'), 'Folkmängd efter Region och Kjonn');
});

test('one and no variables; explicit variable order', () => {
  const meta = salesMeta();
  assert.equal(generatedTitle({ ...meta, variables: meta.variables.slice(3) }, 'en'), '99001: Sales, by year');
  assert.equal(generatedTitle({ ...meta, variables: [] }, 'en'), '99001: Sales,');
  assert.equal(generatedTitle(meta, 'en', ['Tid', 'Region']), '99001: Sales, by year and region');
  assert.equal(joinNames(['a', 'b', 'c'], 'no'), 'a, b og c');
});
