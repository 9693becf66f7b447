import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeText, getCodepage, isKnownCodepage } from '../../src/formats/encoding.js';

test('latin-1 family: ø/æ/å as single bytes, unmappable -> ?', () => {
  assert.deepEqual([...encodeText('ø', 'iso-8859-1')], [0xf8]);
  assert.deepEqual([...encodeText('ø', 'windows-1252')], [0xf8]);
  assert.deepEqual([...encodeText('Æble på ø', 'latin1')], [0xc6, 0x62, 0x6c, 0x65, 0x20, 0x70, 0xe5, 0x20, 0xf8]);
  assert.equal(encodeText('€ Ω 😀', 'iso-8859-1').toString('latin1'), '? ? ?');
});

test('windows-1252 maps 0x80-0x9F; its C1 holes stay', () => {
  const s = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';
  const bytes = encodeText(s, 'windows-1252');
  assert.equal(bytes.length, s.length);
  // the bytes of the windows-1252 table (Node 20's TextDecoder treats this label as latin-1)
  const expected = [0x80, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8e, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9e, 0x9f];
  assert.deepEqual([...bytes], expected);
  assert.deepEqual([...encodeText('\u0080\u0081', 'windows-1252')], [0x3f, 0x81]);
});

test('iso-8859-15 has € and Š but not ¤', () => {
  assert.deepEqual([...encodeText('€Š¤é', 'iso-8859-15')], [0xa4, 0xa6, 0x3f, 0xe9]);
});

test('utf-8 has a BOM for documents; names are normalised; unknown -> iso-8859-1', () => {
  assert.deepEqual([...getCodepage('UTF-8').bom], [0xef, 0xbb, 0xbf]);
  assert.equal(getCodepage('utf-8').encode('ø').toString('utf8'), 'ø');
  assert.equal(getCodepage('ISO-8859-1').name, 'iso-8859-1');
  assert.equal(getCodepage('cp1252').name, 'windows-1252');
  assert.equal(getCodepage(undefined).name, 'iso-8859-1');
  assert.equal(getCodepage('klingon').name, 'iso-8859-1');
  assert.equal(isKnownCodepage('Windows-1252'), true);
  assert.equal(isKnownCodepage('klingon'), false);
});
