// Garbage in, PxError out: random bytes, random PX-like text and random mutations of real files
// must never throw anything but PxError. Whatever is accepted must also write and read back.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PxError, readPx, readPxSync } from '../../src/formats/px/reader.js';
import { writePx } from '../../src/formats/px/writer.js';
import { FIXTURES } from './sources.js';

/** Small deterministic PRNG (mulberry32) so failures can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SMALL = Buffer.from(
  `CHARSET="ANSI";
LANGUAGE="en";
LANGUAGES="en","sv";
MATRIX="F1";
DECIMALS=1;
STUB="region","age";
HEADING="year";
STUB[sv]="region","ålder";
HEADING[sv]="år";
CONTVARIABLE="year";
VALUES("region")="A","B";
VALUES("age")="1","2";
VALUES("year")="2020","2021";
VALUES[sv]("ålder")="1","2";
CODES("region")="a","b";
TIMEVAL("year")=TLIST(A1),"2020"-"2021";
UNITS("2020")="n";
ELIMINATION("region")="A";
HIERARCHIES("region")="a","a":"b";
CELLNOTE("A","*","2021")="note";
DATANOTECELL("b","2","*")="x";
KEYS("region")=VALUES;
KEYS("age")=CODES;
DATA=
"A","1",1.5 ".."
"B","2",-3 4;
`,
  'latin1',
);

function seeds(): [string, Buffer][] {
  const out: [string, Buffer][] = [['small', SMALL]];
  for (const f of ['pxweb-BE0101F1symbnotkeys.px', 'pxbuild-tab_200.px', 'pxstat-MIM04.px']) {
    if (existsSync(FIXTURES + f)) out.push([f, readFileSync(FIXTURES + f)]);
  }
  return out;
}

/** Read; the only acceptable failure is a PxError. Accepted cubes must survive the writer. */
function check(buf: Buffer, what: string): 'ok' | 'rejected' {
  let cube;
  try {
    cube = readPxSync(buf).cube;
  } catch (e) {
    if (e instanceof PxError) {
      assert.ok(e.message.length > 5, `${what}: empty message`);
      return 'rejected';
    }
    throw new Error(`${what}: ${(e as Error)?.stack ?? e}`);
  }
  let n = 1;
  for (const v of cube.meta.variables) n *= v.values.length;
  assert.equal(cube.values.length, n, `${what}: cell count`);
  const back = readPxSync(writePx(cube)).cube;
  assert.deepEqual(back.values, cube.values, `${what}: values after write`);
  assert.deepEqual(back.status, cube.status, `${what}: status after write`);
  // the codepage may change: texts that cannot be written in it (or would read back as UTF-8)
  // make the writer switch to UTF-8
  assert.deepEqual({ ...back.meta, codepage: '' }, { ...cube.meta, codepage: '' }, `${what}: metadata after write`);
  return 'ok';
}

const SYNTAX = Buffer.from('"";;==,,(())[]-.:\n\r \t0123456789DATAKEYSVALUESTLIST\x1a\x00\xff\xc3\xa5');

describe('PX fuzz', () => {
  it('random bytes', () => {
    const r = rng(1);
    for (let k = 0; k < 300; k++) {
      const len = Math.floor(r() * 600);
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = Math.floor(r() * 256);
      check(b, `random ${k}`);
    }
  });

  it('random PX-like text', () => {
    const r = rng(2);
    let accepted = 0;
    for (let k = 0; k < 300; k++) {
      const parts: string[] = r() < 0.7 ? ['STUB="a";', 'VALUES("a")="1","2";'] : [];
      const n = Math.floor(r() * 6);
      for (let i = 0; i < n; i++) {
        const kw = ['STUB', 'HEADING', 'VALUES("a")', 'VALUES("b")', 'CODES("a")', 'KEYS("a")', 'TIMEVAL("a")', 'NOTE', 'X'][Math.floor(r() * 9)];
        const val = ['"a"', '"b","c"', 'VALUES', 'TLIST(A1),"1"-"3"', '"1":"2"', '', '"x'][Math.floor(r() * 7)];
        parts.push(`${kw}=${val};`);
      }
      parts.push('DATA=' + ['1 2', '"a",1', '. .. -', '1;2;', ''][Math.floor(r() * 5)]);
      if (check(Buffer.from(parts.join('\n')), `text ${k}: ${parts.join(' ')}`) === 'ok') accepted++;
    }
    assert.ok(accepted > 0, 'some random files are valid');
  });

  for (const [name, seed] of seeds()) {
    it(`mutations of ${name}`, () => {
      const r = rng(name.length * 7919);
      let rejected = 0;
      for (let k = 0; k < 250; k++) {
        const b = Buffer.from(seed);
        let buf: Buffer = b;
        const edits = 1 + Math.floor(r() * 4);
        for (let e = 0; e < edits; e++) {
          const pos = Math.floor(r() * buf.length);
          const op = r();
          const byte = r() < 0.7 ? SYNTAX[Math.floor(r() * SYNTAX.length)] : Math.floor(r() * 256);
          if (op < 0.5) buf[pos] = byte;
          else if (op < 0.7) buf = Buffer.concat([buf.subarray(0, pos), buf.subarray(pos + 1)]);
          else if (op < 0.9) buf = Buffer.concat([buf.subarray(0, pos), Buffer.from([byte]), buf.subarray(pos)]);
          else buf = buf.subarray(0, pos);
        }
        if (check(buf, `${name} mutant ${k}`) === 'rejected') rejected++;
      }
      assert.ok(rejected > 0, 'some mutants are rejected');
    });
  }

  it('streamed garbage rejects with PxError too', async () => {
    const r = rng(3);
    for (let k = 0; k < 50; k++) {
      const b = Buffer.from(SMALL);
      for (let e = 0; e < 3; e++) b[Math.floor(r() * b.length)] = SYNTAX[Math.floor(r() * SYNTAX.length)];
      const chunks = (async function* () {
        for (let i = 0; i < b.length; i += 13) yield b.subarray(i, i + 13);
      })();
      try {
        await readPx(chunks);
      } catch (e) {
        assert.ok(e instanceof PxError, String(e));
      }
    }
  });
});
