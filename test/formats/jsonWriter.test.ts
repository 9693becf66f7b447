import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonWriter, OrderedObject, jsonString } from '../../src/formats/jsonWriter.js';

test('integer-like keys keep their written order', () => {
  const w = new JsonWriter(8);
  w.beginObject();
  for (const k of ['2024', '2023', '1', '0', '01', 'x']) w.key(k).number(Number(k) || 0);
  w.endObject();
  const text = w.toBuffer().toString();
  assert.equal(text, '{"2024":2024,"2023":2023,"1":1,"0":0,"01":1,"x":0}');
  // JSON.stringify of the same object would reorder: the writer must not
  assert.notEqual(JSON.stringify(JSON.parse(text)), text);
});

test('strings are escaped like Newtonsoft and written as UTF-8', () => {
  const s = 'a"b\\c\n\r\t\b\f\u0001\u001f ø € 😀 \u2028\u2029 \ud800x';
  const lit = jsonString(s);
  assert.equal(JSON.parse(lit), s.replace('\ud800', '\ud800'));
  assert.ok(lit.includes('\\u0001') && lit.includes('\\u001f') && lit.includes('\\u2028') && lit.includes('\\ud800'));
  assert.ok(lit.includes('ø') && lit.includes('😀'), 'non-ASCII stays literal');
  const w = new JsonWriter(4);
  w.beginArray().string(s).endArray();
  assert.deepEqual(JSON.parse(w.toBuffer().toString('utf8')), [s]);
  assert.equal(w.toBuffer()[0], 0x5b, 'no BOM');
});

test('nested values, commas, numbers, grows its buffer', () => {
  const w = new JsonWriter(1);
  const o = new OrderedObject().set('9', 1).set('10', [true, null, 'x']).set('skip', undefined);
  w.beginObject().prop('a', 1.5).prop('b', o).prop('c', { z: -0 }).key('d').rounded(2.675, 2, 'halfEven').key('e').number(NaN).endObject();
  assert.equal(w.toBuffer().toString(), '{"a":1.5,"b":{"9":1,"10":[true,null,"x"]},"c":{"z":0},"d":2.68,"e":null}');
});

test('unbalanced use is an error, not broken output', () => {
  const w = new JsonWriter();
  w.beginObject();
  assert.throws(() => w.endArray());
  const w2 = new JsonWriter();
  w2.beginArray();
  assert.throws(() => w2.toBuffer());
});
