// Decoding PX metadata (spec §2) and writing it back in the table's codepage. Byte values are
// written out by hand from the code page charts, not produced by the code under test.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readPxSync } from '../../src/formats/px/reader.js';
import { writePx } from '../../src/formats/px/writer.js';

/** A minimal PX file with one value text given as raw bytes. */
function pxWith(header: string, valueBytes: number[], prefix: number[] = []): Buffer {
  const a = Buffer.from(`${header}LANGUAGE="xx";\nMATRIX="E";\nDECIMALS=0;\nSTUB="v";\nVALUES("v")="`, 'latin1');
  const b = Buffer.from('";\nDATA=\n7;\n', 'latin1');
  return Buffer.concat([Buffer.from(prefix), a, Buffer.from(valueBytes), b]);
}

function label(buf: Buffer) {
  const { cube, warnings } = readPxSync(buf);
  return { text: cube.meta.variables[0].values[0].label.xx, codepage: cube.meta.codepage, warnings, cube };
}

describe('PX encodings', () => {
  it('windows-1251 (Cyrillic)', () => {
    // К и ї в
    const r = label(pxWith('CODEPAGE="Windows-1251";\n', [0xca, 0xe8, 0xbf, 0xe2]));
    assert.equal(r.text, 'Київ');
    assert.equal(r.codepage, 'windows-1251');
    assert.deepEqual(r.warnings, []);
  });

  it('iso-8859-15 (0xA4 is the euro sign, not ¤)', () => {
    const r = label(pxWith('CODEPAGE="iso-8859-15";\n', [0xa4, 0x20, 0xa6, 0xe4]));
    assert.equal(r.text, '€ Šä');
    assert.equal(r.codepage, 'iso-8859-15');
  });

  it('windows-1252 when there is no CODEPAGE', () => {
    const r = label(pxWith('CHARSET="ANSI";\n', [0x80, 0xe5, 0xf6, 0x96]));
    assert.equal(r.text, '€åö–');
    assert.equal(r.codepage, 'windows-1252');
  });

  it('iso-8859-1 declared: read as windows-1252 (WHATWG)', () => {
    // (0x80 first: the bytes must not be valid UTF-8)
    const r = label(pxWith('CODEPAGE="iso-8859-1";\n', [0x80, 0xc5, 0x93, 0x94]));
    assert.equal(r.text, '€Å“”');
    assert.deepEqual(r.warnings, []);
  });

  it('UTF-8 with a BOM (CHARSET says UTF-16, no CODEPAGE)', () => {
    const r = label(pxWith('CHARSET="UTF-16";\n', [0xc3, 0xa5, 0xe2, 0x82, 0xac], [0xef, 0xbb, 0xbf]));
    assert.equal(r.text, 'å€');
    assert.equal(r.codepage, 'utf-8');
  });

  it('UTF-8 bytes under a wrong CODEPAGE win, with a warning', () => {
    const r = label(pxWith('CODEPAGE="iso-8859-1";\n', [0x56, 0xc3, 0xa4, 0x73, 0x62, 0x79]));
    assert.equal(r.text, 'Väsby');
    assert.equal(r.codepage, 'utf-8');
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /iso-8859-1.*UTF-8/);
  });

  it('CODEPAGE utf-8 with Latin-1 bytes, and an unknown CODEPAGE: windows-1252 with a warning', () => {
    let r = label(pxWith('CODEPAGE="utf-8";\n', [0xe5]));
    assert.equal(r.text, 'å');
    assert.match(r.warnings[0], /not valid UTF-8/);
    r = label(pxWith('CODEPAGE="klingon-1";\n', [0xe5]));
    assert.equal(r.text, 'å');
    assert.match(r.warnings[0], /unknown CODEPAGE/);
  });

  it('UTF-16LE with a BOM', () => {
    const src = 'LANGUAGE="xx";\nMATRIX="E";\nDECIMALS=0;\nSTUB="v";\nVALUES("v")="Ωmega";\nDATA=\n7;\n';
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(src, 'utf16le')]);
    const r = label(buf);
    assert.equal(r.text, 'Ωmega');
    assert.equal(r.cube.values[0], 7);
    assert.equal(r.codepage, 'utf-16le');
    const out = writePx(r.cube);
    assert.deepEqual([...out.subarray(0, 2)], [0xff, 0xfe], 'written with a BOM');
    assert.deepEqual(readPxSync(out).cube, r.cube);
  });

  it('KEYS are decoded with the file encoding', () => {
    const head = 'CODEPAGE="windows-1251";\nLANGUAGE="uk";\nMATRIX="K";\nDECIMALS=0;\nSTUB="m";\nHEADING="h";\nVALUES("m")="';
    const buf = Buffer.concat([
      Buffer.from(head, 'latin1'),
      Buffer.from([0xca, 0xe8, 0xbf, 0xe2]), // Київ
      Buffer.from('","x";\nVALUES("h")="a";\nKEYS("m")=VALUES;\nDATA=\n"', 'latin1'),
      Buffer.from([0xca, 0xe8, 0xbf, 0xe2]),
      Buffer.from('",5;\n', 'latin1'),
    ]);
    const { cube } = readPxSync(buf);
    assert.deepEqual(Array.from(cube.values), [5, 0]);
  });

  it('the writer encodes in the table codepage and falls back to UTF-8 when it must', () => {
    const { cube } = readPxSync(pxWith('CODEPAGE="Windows-1251";\n', [0xca, 0xe8, 0xbf, 0xe2]));
    const out = writePx(cube);
    assert.ok(out.includes(Buffer.from('CODEPAGE="windows-1251";')));
    assert.ok(out.includes(Buffer.from([0x22, 0xca, 0xe8, 0xbf, 0xe2, 0x22])), 'Київ in windows-1251 bytes');
    assert.equal(label(out).text, 'Київ');
    // Cyrillic cannot be written in iso-8859-15: the writer switches to UTF-8 and says so
    const utf = writePx(cube, { codepage: 'iso-8859-15' });
    assert.ok(utf.includes(Buffer.from('CODEPAGE="utf-8";')));
    assert.ok(utf.includes(Buffer.from('Київ', 'utf8')));
    assert.equal(label(utf).text, 'Київ');
    // euro sign in iso-8859-15 is 0xA4
    const eur = readPxSync(pxWith('CODEPAGE="iso-8859-15";\n', [0xa4])).cube;
    assert.ok(writePx(eur).includes(Buffer.from([0x22, 0xa4, 0x22])));
  });
});
