// The dataset CSV dialects, written by the one CSV serializer: Norwegian = semicolons and decimal commas,
// English = commas and decimal points. Only separators and decimal marks differ; texts and symbols do not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvLocaleFor } from '../../src/api/datasets/csvLocale.js';
import { csvV1Long } from '../../src/formats/csv.js';
import { salesCube } from '../formats/cubes.js';

const dialect = (lang: string) => {
  const loc = csvLocaleFor(lang);
  return { separator: loc.separator === ';' ? ('semicolon' as const) : ('comma' as const), decimalComma: loc.decimal === ',' };
};

test('the dialect of each language', () => {
  assert.deepEqual(csvLocaleFor('no'), { separator: ';', decimal: ',' });
  assert.deepEqual(csvLocaleFor('en'), { separator: ',', decimal: '.' });
});

test('Norwegian csv2: semicolons and decimal commas; labels, whole numbers and symbols as in the English form', () => {
  const cube = salesCube();
  const en = csvV1Long(cube, { lang: 'no', api: 'v1' }).toString('latin1').split('\r\n');
  const no = csvV1Long(cube, { lang: 'no', api: 'v1', ...dialect('no') }).toString('latin1').split('\r\n');
  assert.equal(no.length, en.length);
  let decimals = 0;
  for (let i = 0; i < en.length; i++) {
    // split the English line on commas outside quotes, then rebuild it in the Norwegian dialect
    const fields = en[i].match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((f) => f.replace(/,$/, '')).filter((f, k, a) => k < a.length - 1 || f !== '');
    const expected = fields.map((f) => (/^-?\d+\.\d+$/.test(f) ? (decimals++, f.replace('.', ',')) : f)).join(';');
    assert.equal(no[i], expected, `line ${i}`);
  }
  assert.ok(decimals > 0, 'the cube has decimal numbers');
  assert.ok(no.some((l) => l.endsWith(';..')), 'symbols unchanged');
});

test('English passes through as the plain csv2; Latin-1 bytes survive', () => {
  const cube = salesCube();
  const plain = csvV1Long(cube, { lang: 'no', api: 'v1' });
  assert.deepEqual(csvV1Long(cube, { lang: 'no', api: 'v1', ...dialect('en') }), plain);
  const no = csvV1Long(cube, { lang: 'no', api: 'v1', ...dialect('no') });
  const hasLatin1 = [...plain].some((b) => b >= 0x80);
  if (hasLatin1) assert.ok([...no].some((b) => b >= 0x80), 'non-ASCII letters stay single bytes');
  assert.ok(!no.includes(Buffer.from('\u00c3')), 'no UTF-8 double encoding');
});
