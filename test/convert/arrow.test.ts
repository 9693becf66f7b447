// The Arrow IPC writer, read back with apache-arrow's own reader: column types (dictionary-encoded codes with
// narrow indices, float64 values, dictionary status), nulls exactly where the cube has symbols, values rounded
// to each contents value's decimals, labels modes and metadata.

import test from 'node:test';
import assert from 'node:assert/strict';
import { tableFromIPC, Type } from 'apache-arrow';
import { arrowFile, arrowSerializer } from '../../src/formats/arrow.js';
import type { SerializedBody } from '../../src/formats/serializer.js';
import { Status, type Cube } from '../../src/core/model.js';
import { plainCube, populationCube } from '../client/helpers.js';

function cellCodes(cube: Cube, i: number): string[] {
  const vars = cube.meta.variables;
  const out = new Array<string>(vars.length);
  let rest = i;
  for (let d = vars.length - 1; d >= 0; d--) {
    out[d] = vars[d].values[rest % vars[d].values.length].code;
    rest = Math.floor(rest / vars[d].values.length);
  }
  return out;
}

test('arrow: one row per cell with dictionary code columns, float64 values with nulls and a status column', () => {
  const cube = populationCube();
  const table = tableFromIPC(arrowFile(cube, { lang: 'en' }));
  const n = cube.values.length;
  assert.equal(table.numRows, n);
  assert.deepEqual(table.schema.fields.map((f) => f.name), ['Region', 'Kjonn', 'Alder', 'ContentsCode', 'Tid', 'value', 'status']);
  for (const f of table.schema.fields.slice(0, 5)) {
    assert.equal(f.type.typeId, Type.Dictionary, f.name);
    assert.equal((f.type as { indices: { bitWidth: number } }).indices.bitWidth, 8, `${f.name}: small dictionaries take int8 indices`);
  }
  assert.equal(table.schema.fields[5].type.typeId, Type.Float);
  assert.equal((table.schema.fields[5].type as { precision: number }).precision, 2); // DOUBLE
  assert.equal(table.schema.fields[6].type.typeId, Type.Dictionary);
  assert.equal(table.schema.metadata.get('tableid'), '07459');
  assert.equal(table.schema.fields[0].metadata.get('label'), 'region');

  const cols = table.schema.fields.map((f) => table.getChild(f.name)!);
  const decimals: Record<string, number> = { Personer: 0, Andel: 1 };
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const codes = cellCodes(cube, i);
    for (let d = 0; d < 5; d++) assert.equal(cols[d].get(i), codes[d]);
    const s = cube.status![i];
    if (s === Status.Value) {
      const scale = 10 ** decimals[codes[3]];
      assert.equal(cols[5].get(i), Math.round(cube.values[i] * scale) / scale);
      assert.equal(cols[6].get(i), null);
    } else {
      nulls++;
      assert.equal(cols[5].get(i), null);
      assert.equal(cols[6].get(i), s === Status.Nil ? '-' : s === Status.Dot1 ? '.' : '..');
    }
  }
  assert.ok(nulls > 0);
  assert.equal(cols[5].nullCount, nulls);
});

test('arrow: texts or "code - text", a table without symbols, the serializer', () => {
  const cube = plainCube();
  const texts = tableFromIPC(arrowFile(cube, { lang: 'en', labels: 'texts' }));
  assert.equal(texts.getChild('Vare')!.get(0), 'Commodity 01');
  const both = tableFromIPC(arrowFile(cube, { lang: 'no', labels: 'codesAndTexts' }));
  assert.equal(both.getChild('Vare')!.get(11), '03 - Vare 03');
  assert.equal(both.getChild('Tid')!.get(1), '2024M02 - 2024M02');
  assert.equal(both.getChild('value')!.nullCount, 0);
  assert.equal(both.getChild('status')!.nullCount, 12);
  assert.deepEqual(Array.from(both.getChild('value')!.toArray() as Float64Array), Array.from(cube.values));

  const viaSerializer = arrowSerializer.serialize(cube, { lang: 'en' }) as SerializedBody;
  assert.equal(viaSerializer.extension, 'arrow');
  assert.equal(viaSerializer.contentType, 'application/vnd.apache.arrow.file');
  assert.equal(tableFromIPC(viaSerializer.body).numRows, 12);
});

test('arrow: a variable named "value" is renamed, an empty cube makes an empty table', () => {
  const cube = plainCube();
  cube.meta = { ...cube.meta, variables: cube.meta.variables.map((v, i) => (i === 0 ? { ...v, code: 'value' } : v)) };
  const t = tableFromIPC(arrowFile(cube, { lang: 'en' }));
  assert.deepEqual(t.schema.fields.map((f) => f.name), ['value_', 'Tid', 'value', 'status']);
  const empty: Cube = { meta: { ...cube.meta, variables: [{ ...cube.meta.variables[0], values: [] }, cube.meta.variables[1]] }, values: new Float64Array(0), status: null };
  assert.equal(tableFromIPC(arrowFile(empty, { lang: 'en' })).numRows, 0);
});

test('arrow: degenerate cubes (no variables, NaN values) still write and read back', () => {
  const base = plainCube();
  const scalar: Cube = { meta: { ...base.meta, variables: [], stub: [], heading: [] }, values: Float64Array.of(42.125), status: null };
  const t = tableFromIPC(arrowFile(scalar, { lang: 'en' }));
  assert.deepEqual(t.schema.fields.map((f) => f.name), ['value', 'status']);
  assert.equal(t.getChild('value')!.get(0), 42.12); // half to even, as PX rounds by default
  const nan: Cube = { ...base, values: base.values.map((v, i) => (i === 0 ? NaN : v)) };
  const tn = tableFromIPC(arrowFile(nan, { lang: 'en' }));
  assert.ok(Number.isNaN(tn.getChild('value')!.get(0)));
});
