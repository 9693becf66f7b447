// The dataset CSV dialects: only unquoted separators and decimal points change; quoted text is untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvLocaleFor, localizeCsv } from '../../src/api/datasets/csvLocale.js';

const no = csvLocaleFor('no');
const run = (s: string) => localizeCsv(Buffer.from(s, 'latin1'), no).toString('latin1');

test('Norwegian: semicolons, decimal commas; quoted text, whole numbers and symbols as they were', () => {
  assert.deepEqual(no, { separator: ';', decimal: ',' });
  assert.deepEqual(csvLocaleFor('en'), { separator: ',', decimal: '.' });
  assert.equal(run('"a, b. c","x"",y",1.5,-0.25,12,..,:,-,.\r\n'), '"a, b. c";"x"",y";1,5;-0,25;12;..;:;-;.\r\n');
  assert.equal(run('"h1","h2"\n"r",3.14159\n'), '"h1";"h2"\n"r";3,14159\n');
  assert.equal(run(''), '');
  assert.equal(run('1.2.3,1e5,.5,5.'), '1.2.3;1e5;.5;5.', 'only plain decimals change');
});

test('English is passed through unchanged; Latin-1 bytes survive', () => {
  const input = Buffer.from('"kjønn","år"\r\n"Begge kjønn",4.1\r\n', 'latin1');
  assert.equal(localizeCsv(input, csvLocaleFor('en')), input);
  const out = localizeCsv(input, no);
  assert.deepEqual(out, Buffer.from('"kjønn";"år"\r\n"Begge kjønn";4,1\r\n', 'latin1'));
  assert.ok(out.includes(0xf8), 'ø is the byte F8');
});

test('garbage does not throw: an unterminated quote is copied to the end', () => {
  assert.equal(run('"open,1.5\r\n2.5'), '"open,1.5\r\n2.5');
  assert.equal(run('""""'), '""""');
  assert.equal(run(',,,'), ';;;');
});
