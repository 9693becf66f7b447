// The byte-level SDMX writer gives the same document as the string writer it replaced (sdmxReference.ts), on cubes
// with symbols, nil, several contents with their own decimals, notes, non-Latin texts and no time variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cube } from '../../src/core/model.js';
import { sdmxGenericData } from '../../src/formats/sdmx.js';
import { collect } from '../../src/formats/streaming.js';
import { plainCube, salesCube } from './cubes.js';
import { SCRIPTS, bigCube, scriptCube } from './streamCubes.js';
import { referenceSdmxChunks } from './sdmxReference.js';

const PREPARED = new Date('2025-01-02T03:04:05Z');

test('sdmx byte writer equals the string writer on every test cube and language', () => {
  const cubes: [string, Cube][] = [
    ['sales', salesCube()],
    ['plain', plainCube()],
    ['big', bigCube()],
    ['cyrillic', scriptCube(SCRIPTS[0].labels, 'windows-1251')],
    ['baltic', scriptCube(SCRIPTS[3].labels, 'windows-1257', 'Piezīme: ūdens <&>')],
  ];
  let compared = 0;
  for (const [name, cube] of cubes) {
    for (const lang of cube.meta.languages) {
      const ours = sdmxGenericData(cube, { lang, prepared: PREPARED });
      const ref = collect(referenceSdmxChunks(cube, { lang, prepared: PREPARED }));
      assert.equal(ours.toString('utf8'), ref.toString('utf8'), `${name} (${lang})`);
      assert.ok(ours.equals(ref), `${name} (${lang}) bytes`);
      compared++;
    }
  }
  assert.ok(compared >= 5);
});

test('sdmx byte writer: values that need the slow number path and long texts', () => {
  const cube = salesCube();
  const values = Float64Array.from(cube.values, (v, i) => (i % 3 === 0 ? v * 1e9 + 0.125 : i % 3 === 1 ? -v / 7 : 2.5));
  const long = { ...cube, values, meta: { ...cube.meta, notes: [{ text: { en: 'x'.repeat(300_000), no: 'y'.repeat(300_000) }, mandatory: false }] } } as Cube;
  const ours = sdmxGenericData(long, { lang: cube.meta.languages[0], prepared: PREPARED });
  const ref = collect(referenceSdmxChunks(long, { lang: cube.meta.languages[0], prepared: PREPARED }));
  assert.ok(ours.equals(ref));
});
