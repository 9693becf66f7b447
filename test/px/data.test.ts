// The DATA part: tokens, symbols, separators, termination, KEYS, errors, and streaming across
// chunk boundaries.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Status } from '../../src/core/model.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PxError, readPx, readPxFile, readPxSync } from '../../src/formats/px/reader.js';

const HEAD = 'CHARSET="ANSI";\nLANGUAGE="en";\nMATRIX="T1";\nDECIMALS=1;\nSTUB="r";\nHEADING="c";\n';

function px(values: Record<string, string[]>, data: string, extra = ''): Buffer {
  let s = HEAD.replace('STUB="r";\nHEADING="c";\n', '');
  const names = Object.keys(values);
  s += `STUB="${names[0]}";\n`;
  if (names.length > 1) s += `HEADING=${names.slice(1).map((n) => `"${n}"`).join(',')};\n`;
  for (const n of names) s += `VALUES("${n}")=${values[n].map((v) => `"${v}"`).join(',')};\n`;
  return Buffer.from(s + extra + 'DATA=' + data, 'latin1');
}

const V22 = { r: ['a', 'b'], c: ['x', 'y'] };

function cells(buf: Buffer) {
  const { cube } = readPxSync(buf);
  return Array.from(cube.values, (v, i) => (cube.status?.[i] ? `s${cube.status[i]}` : v));
}

describe('PX DATA', () => {
  it('reads integers, decimals, negatives and exotic number forms exactly like Number()', () => {
    const toks = ['0', '-0.5', '12.25', '.5', '-.75', '1.', '+3', '1e3', '2.5E-2', '123456789012345678', '0.1234567890123456789'];
    const buf = px({ r: ['a'], c: toks.map((_, i) => `c${i}`) }, '\n' + toks.join(' ') + ';');
    const got = cells(buf);
    assert.deepEqual(got, toks.map(Number));
    assert.ok(Object.is(got[0], 0));
  });

  it('reads every symbol quoted or bare; "-" is Nil with value 0', () => {
    const toks = ['"."', '..', '"..."', '....', '"....."', '......', '"......."', '-', '"-"', '" .. "'];
    const buf = px({ r: ['a'], c: toks.map((_, i) => `c${i}`) }, toks.join(' '));
    assert.deepEqual(cells(buf), ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's8', 's2']);
    const { cube } = readPxSync(buf);
    assert.equal(cube.values[7], 0);
    assert.equal(cube.status?.[7], Status.Nil);
  });

  it('status is null when no cell has a symbol', () => {
    assert.equal(readPxSync(px(V22, '1 2 3 4;')).cube.status, null);
  });

  it('accepts any mix of separators, ";" row terminators (INE), no final ";", a lone ";" line', () => {
    const forms = ['1 2\n3 4;', '1,2,3,4', '1\t2;\r\n3;4;;', '1 2 3 4\n;\n', ' 1  2\n\n 3 4 \x1a', '1 2 3 4'];
    for (const f of forms) assert.deepEqual(cells(px(V22, f)), [1, 2, 3, 4], JSON.stringify(f));
  });

  it('keeps cube order: first STUB variable slowest, last HEADING variable fastest', () => {
    const buf = px({ r: ['a', 'b'], c: ['x', 'y', 'z'], d: ['p', 'q'] }, '111 112 121 122 131 132\n211 212 221 222 231 232;');
    const { cube } = readPxSync(buf);
    assert.deepEqual(Array.from(cube.values), [111, 112, 121, 122, 131, 132, 211, 212, 221, 222, 231, 232]);
    assert.deepEqual(cube.meta.stub, ['r']);
    assert.deepEqual(cube.meta.heading, ['c', 'd']);
  });

  it('reports a cell count mismatch with both numbers', () => {
    assert.throws(() => readPxSync(px(V22, '1 2 3;')), (e: unknown) => e instanceof PxError && /DATA has 3 cells but the table needs 4 \(2 × 2\)/.test(e.message));
    assert.throws(() => readPxSync(px(V22, '1 2 3 4 5 6;')), (e: unknown) => e instanceof PxError && /DATA has 6 cells but the table needs 4/.test(e.message));
  });

  it('reports a malformed number with its line', () => {
    const cases = ['1 2\n3 4x;', '1 2\n3 1.2.3;', '1 2\n3 ."', '1 2\n3 --;', '1 2\n3 ":";', '1 2\n3 ........;'];
    for (const d of cases) {
      assert.throws(
        () => readPxSync(px(V22, d)),
        (e: unknown) => e instanceof PxError && e.line === 10 && /malformed number|unknown DATA symbol|separator/.test(e.message),
        JSON.stringify(d),
      );
    }
    assert.throws(() => readPxSync(px(V22, '1 2 3 "4')), (e: unknown) => e instanceof PxError && /never closed/.test(e.message));
  });

  it('KEYS rows in any order, VALUES and CODES mixed, absent rows are zero', () => {
    const values = { r: ['a', 'b', 'c'], s: ['u', 'v'], c: ['x', 'y'] };
    let s = HEAD.replace('STUB="r";\nHEADING="c";\n', 'STUB="r","s";\nHEADING="c";\n');
    for (const [n, vs] of Object.entries(values)) s += `VALUES("${n}")=${vs.map((v) => `"${v}"`).join(',')};\n`;
    s += 'CODES("s")="U","V";\nKEYS("r")=VALUES;\nKEYS("s")=CODES;\nDATA=\n';
    s += '"c","V",9 10\n"a","U",1 ".."\n"b" , "U" , 5 6;';
    const { cube, warnings } = readPxSync(Buffer.from(s, 'latin1'));
    assert.deepEqual(Array.from(cube.values), [1, 0, 0, 0, 5, 6, 0, 0, 0, 0, 9, 10]);
    assert.equal(cube.status?.[1], Status.Dot2);
    assert.ok(warnings.some((w) => /3 of 6 KEYS rows are absent/.test(w)));
  });

  it('KEYS: an unknown key is an error with its line; incomplete rows are errors', () => {
    let s = HEAD + 'VALUES("r")="a","b";\nVALUES("c")="x","y";\nKEYS("r")=VALUES;\nDATA=\n"a",1 2\n"zz",3 4;';
    assert.throws(() => readPxSync(Buffer.from(s)), (e: unknown) => e instanceof PxError && e.line === 12 && /"zz" is not a value of "r"/.test(e.message));
    s = HEAD + 'VALUES("r")="a","b";\nVALUES("c")="x","y";\nKEYS("r")=VALUES;\nDATA=\n"a",1 2\n"b",3;';
    assert.throws(() => readPxSync(Buffer.from(s)), (e: unknown) => e instanceof PxError && /incomplete/.test(e.message));
    s = HEAD + 'VALUES("r")="a","b";\nVALUES("c")="x","y";\nKEYS("c")=VALUES;\nDATA=\n1 2 3 4;';
    assert.throws(() => readPxSync(Buffer.from(s)), (e: unknown) => e instanceof PxError && /not a STUB variable/.test(e.message));
  });

  it('streams: any chunking gives the same cube as one buffer', async () => {
    const values = { r: ['a', 'b', 'c'], s: ['u', 'v'], c: ['x', 'y'] };
    let s = HEAD.replace('STUB="r";\nHEADING="c";\n', 'STUB="r","s";\nHEADING="c";\n');
    for (const [n, vs] of Object.entries(values)) s += `VALUES("${n}")=${vs.map((v) => `"${v}"`).join(',')};\n`;
    s += 'KEYS("r")=VALUES;\nKEYS("s")=VALUES;\nDATA=\n"a","u",1.25 "..."\n"b","v",-3 12345678.5\n"c","u",- .;';
    const buf = Buffer.from(s, 'latin1');
    const whole = readPxSync(buf).cube;
    for (let cut = 1; cut < buf.length; cut++) {
      const r = await readPx(
        (async function* () {
          yield buf.subarray(0, cut);
          yield buf.subarray(cut);
        })(),
      );
      assert.deepEqual(r.cube, whole, `cut at ${cut}`);
    }
    const bytes = (async function* () {
      for (let i = 0; i < buf.length; i++) yield buf.subarray(i, i + 1);
    })();
    assert.deepEqual((await readPx(bytes)).cube, whole);
  });

  it('readPxFile reuses one read buffer: tokens cut at every boundary still read right', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'px-test-'));
    try {
      const toks = ['1.25', '"..."', '-7', '"-"', '123456', '.', '0.5', '"."', '-0.125', '42'];
      const n = 200;
      const cells = Array.from({ length: n }, (_, i) => toks[i % toks.length]);
      const file = join(dir, 't.px');
      writeFileSync(file, px({ r: ['a'], c: cells.map((_, i) => `c${i}`) }, '\n' + cells.join(' ') + ';'));
      const whole = readPxSync(px({ r: ['a'], c: cells.map((_, i) => `c${i}`) }, '\n' + cells.join(' ') + ';')).cube;
      for (const chunkSize of [16, 17, 23, 64, 1000]) {
        const r = await readPxFile(file, { chunkSize });
        assert.deepEqual(r.cube.values, whole.values, `chunk ${chunkSize}`);
        assert.deepEqual(r.cube.status, whole.status, `chunk ${chunkSize}`);
      }
      assert.equal(whole.values[4], 123456);
      assert.equal(whole.status?.[1], Status.Dot3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses tables larger than maxCells before allocating', () => {
    assert.throws(() => readPxSync(px(V22, '1 2 3 4;'), { maxCells: 3 }), (e: unknown) => e instanceof PxError && /4 cells, more than the limit of 3/.test(e.message));
  });
});
