// The JSON-stat reader against our own writers: the v1 `json-stat` 1.2 bundle and the `json-stat2` document of the
// same cube read the same; custom symbol texts, nil cells and cell-note symbols survive; a metadata document reads
// without cells.

import test from 'node:test';
import assert from 'node:assert/strict';
import { Status, symbolText, type Cube } from '../../src/core/model.js';
import { jsonStat1Bundle } from '../../src/formats/jsonStat1.js';
import { jsonStat2Data, jsonStat2Metadata } from '../../src/formats/jsonStat2.js';
import { readJsonStat, readJsonStatMetadata } from '../../src/formats/jsonStatReader.js';
import { populationCube } from '../client/helpers.js';

function withSymbols(): Cube {
  const cube = populationCube();
  // custom texts for '..' and '.', a DATANOTECELL-like symbol on one numeric cell
  cube.meta.symbols = { [Status.Dot2]: { en: 'n/a', no: 'i.t.' }, [Status.Dot1]: { en: 'x', no: 'x' } };
  const firstNumber = Array.from(cube.status!).findIndex((s) => s === Status.Value);
  const codes = cube.meta.variables.map((v, d) => {
    const stride = cube.meta.variables.slice(d + 1).reduce((a, w) => a * w.values.length, 1);
    return v.values[Math.floor(firstNumber / stride) % v.values.length].code;
  });
  cube.meta.cellNotes = [{ coords: codes, text: { en: 'p', no: 'f' }, mandatory: false, symbol: true }];
  return cube;
}

test('the 1.2 bundle and the 2.0 document of one cube read the same', () => {
  const cube = withSymbols();
  const one = readJsonStat(jsonStat1Bundle(cube, { lang: 'en' }), { lang: 'en' });
  const two = readJsonStat(jsonStat2Data(cube, { lang: 'en' }));
  assert.equal(one.version, '1.x');
  assert.equal(two.version, '2.0');
  assert.deepEqual(one.cube.meta.variables.map((v) => [v.code, v.role, v.values.map((x) => x.code)]), two.cube.meta.variables.map((v) => [v.code, v.role, v.values.map((x) => x.code)]));
  assert.deepEqual(Array.from(one.cube.values), Array.from(two.cube.values));
  assert.deepEqual(Array.from(one.cube.status!), Array.from(two.cube.status!));
});

test('symbols keep their texts, nil stays nil, a note symbol stays on its numeric cell', () => {
  const cube = withSymbols();
  const back = readJsonStat(jsonStat2Data(cube, { lang: 'en' })).cube;
  for (let i = 0; i < cube.values.length; i++) {
    const s = cube.status![i];
    const t = back.status![i];
    if (s === Status.Value) assert.equal(t, Status.Value);
    else if (s === Status.Nil) assert.equal(t, Status.Nil, `cell ${i}`);
    else assert.equal(symbolText(back.meta, t, 'en'), symbolText(cube.meta, s, 'en'), `cell ${i}`);
  }
  assert.equal(back.meta.cellNotes?.length, 1);
  assert.deepEqual(back.meta.cellNotes?.[0].coords, cube.meta.cellNotes![0].coords);
  assert.equal(back.meta.cellNotes?.[0].text.en, 'p');
});

test('a v2 metadata document reads as table metadata without cells', () => {
  const cube = populationCube();
  const doc = jsonStat2Metadata(cube.meta, { lang: 'no', baseUrl: 'http://localhost/api/v2' });
  assert.throws(() => readJsonStat(doc), /"value" has 0 entries/);
  const { meta } = readJsonStatMetadata(doc);
  assert.equal(meta.id, '07459');
  assert.equal(meta.defaultLanguage, 'no');
  assert.deepEqual(meta.variables.map((v) => [v.code, v.elimination, v.role]), [
    ['Region', true, 'geo'],
    ['Kjonn', true, undefined],
    ['Alder', true, undefined],
    ['ContentsCode', false, 'contents'],
    ['Tid', false, 'time'],
  ]);
  assert.equal(meta.variables[0].eliminationValue, '0');
  assert.equal(meta.contentInfo?.Andel.decimals, 1);
  assert.equal(meta.variables[4].timeUnit, 'A');
});
