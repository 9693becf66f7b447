// `statbank import` tells what it did: each warning of the PX reader, one line per file and warning, and a count.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';

function px(matrix: string, title: string): string {
  return [
    'CHARSET="ANSI";',
    'CODEPAGE="iso-8859-1";',
    'LANGUAGE="en";',
    `MATRIX="${matrix}";`,
    'SUBJECT-CODE="x";',
    'SUBJECT-AREA="x";',
    `TITLE="${title}";`,
    'CONTENTS="c";',
    'UNITS="u";',
    'DECIMALS=0;',
    'STUB="a";',
    'HEADING="b";',
    'VALUES("a")="1","2";',
    'VALUES("b")="x";',
    'DATA=',
    '1 2;',
    '',
  ].join('\n');
}

test('import prints every warning with its file, and a summary', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-warn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // declared Latin-1, written as UTF-8: the reader reads UTF-8 and says so
  writeFileSync(join(dir, 'w1.px'), px('W1', 'Tromsø'), 'utf8');
  writeFileSync(join(dir, 'w2.px'), px('W2', 'plain'), 'latin1');
  let out = '';
  const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: () => true } } as unknown as Parameters<typeof run>[1];
  const code = await run(['import', join(dir, 'w1.px'), join(dir, 'w2.px'), '--db', join(dir, 'db.sqlite')], io);
  assert.equal(code, 0, out);
  const warnLines = out.split('\n').filter((l) => l.includes('warn '));
  assert.equal(warnLines.length, 1, out);
  assert.match(warnLines[0], /w1\.px: CODEPAGE says "iso-8859-1" but the bytes are valid UTF-8/);
  assert.match(out, /1 warning in 1 file/);
});
