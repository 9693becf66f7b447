// The PX metadata lexer on the quirks of spec §1.1 and §12.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PxError } from '../../src/formats/px/errors.js';
import { lex } from '../../src/formats/px/lexer.js';

function one(src: string) {
  const r = lex(src);
  assert.equal(r.entries.length, 1, JSON.stringify(r.entries));
  return r.entries[0];
}

describe('PX lexer', () => {
  it('reads keyword, language, subkeys and items', () => {
    const e = one('VALUES[sv]("region")="00 Riket","01 Stockholms län";');
    assert.equal(e.keyword, 'VALUES');
    assert.equal(e.lang, 'sv');
    assert.deepEqual(e.subkeys, ['region']);
    assert.deepEqual(e.items, [
      { kind: 'string', value: '00 Riket' },
      { kind: 'string', value: '01 Stockholms län' },
    ]);
  });

  it('keeps ; = , ( ) inside quotes, in values and in subkeys', () => {
    const e = one('UNITS("Index (Seasonally Adjusted), a=b; c")="x;y=z","(1,2)";');
    assert.deepEqual(e.subkeys, ['Index (Seasonally Adjusted), a=b; c']);
    assert.deepEqual(e.items.map((i) => (i as { value: string }).value), ['x;y=z', '(1,2)']);
    const p = one('PRECISION("Tiedot","Perheen keskikoko, henkilöä")=2;');
    assert.deepEqual(p.subkeys, ['Tiedot', 'Perheen keskikoko, henkilöä']);
    assert.deepEqual(p.items, [{ kind: 'bare', value: '2' }]);
  });

  it('concatenates adjacent quoted pieces with nothing inserted, across line breaks', () => {
    const e = one('NOTE="Parts of Sö"\r\n"dertälje" "!";');
    assert.deepEqual(e.items, [{ kind: 'string', value: 'Parts of Södertälje!' }]);
  });

  it('keeps raw line breaks inside quotes (CRLF -> LF) and counts lines', () => {
    const r = lex('TITLE="a, ;\r\nTest";\nFOO=1;\nBAR=2;');
    assert.equal((r.entries[0].items[0] as { value: string }).value, 'a, ;\nTest');
    assert.deepEqual(r.entries.map((e) => e.line), [1, 3, 4]);
  });

  it('a trailing comma gives an empty last item', () => {
    const e = one('CODES("sex")="1","2",;');
    assert.deepEqual(e.items.map((i) => (i as { value: string }).value), ['1', '2', '']);
  });

  it('accepts quoted and upper-case language codes, blanks between key parts, lower-case keywords', () => {
    const r = lex('SUBJECT-AREA["sv"]="khi";\nvalues [ ES ] ( "x" ) = "a";\nKEYWORD (SUB-KEY)="v";');
    assert.deepEqual(
      r.entries.map((e) => [e.keyword, e.lang, e.subkeys]),
      [
        ['SUBJECT-AREA', 'sv', undefined],
        ['VALUES', 'es', ['x']],
        ['KEYWORD', undefined, ['SUB-KEY']],
      ],
    );
  });

  it('reads bare tokens, quoted booleans and unquoted single values', () => {
    const r = lex('AXIS-VERSION=2000;\nOFFICIAL-STATISTICS="YES";\nKEYS("age")=VALUES;\nDECIMALS= 0 ;');
    assert.deepEqual(
      r.entries.map((e) => e.items[0]),
      [
        { kind: 'bare', value: '2000' },
        { kind: 'string', value: 'YES' },
        { kind: 'bare', value: 'VALUES' },
        { kind: 'bare', value: '0' },
      ],
    );
  });

  it('reads HIERARCHIES pairs', () => {
    const e = one('HIERARCHIES("p")="tot","tot":"01", "01" : "01.1";');
    assert.deepEqual(e.items, [
      { kind: 'string', value: 'tot' },
      { kind: 'pair', parent: 'tot', child: '01' },
      { kind: 'pair', parent: '01', child: '01.1' },
    ]);
  });

  it('reads every TLIST form', () => {
    assert.deepEqual(one('TIMEVAL("t")=TLIST(A1),"1994","1995";').items, [
      { kind: 'tlist', unit: 'A1' },
      { kind: 'string', value: '1994' },
      { kind: 'string', value: '1995' },
    ]);
    assert.deepEqual(one('TIMEVAL("t")=TLIST(A1, "1994"-"1996");').items, [
      { kind: 'tlist', unit: 'A1', from: '1994', to: '1996' },
    ]);
    assert.deepEqual(one('TIMEVAL("t")=TLIST(A1,"1964"-"2016");').items, [
      { kind: 'tlist', unit: 'A1', from: '1964', to: '2016' },
    ]);
    assert.deepEqual(one('TIMEVAL("t")=TLIST(A1),"2019"-"2022";').items, [
      { kind: 'tlist', unit: 'A1' },
      { kind: 'range', from: '2019', to: '2022' },
    ]);
    assert.deepEqual(one('TIMEVAL("kvartal")=TLIST(K),"2015K1";').items[0], { kind: 'tlist', unit: 'K' });
  });

  it("repairs pxmake's TLIST(A1)\",\"2007\" with a warning", () => {
    const w: string[] = [];
    const r = lex('TIMEVAL("t")=TLIST(A1)","2007","2008";', w);
    assert.deepEqual(r.entries[0].items, [
      { kind: 'tlist', unit: 'A1' },
      { kind: 'string', value: '2007' },
      { kind: 'string', value: '2008' },
    ]);
    assert.equal(w.length, 1);
  });

  it('stops at the keyword DATA exactly, not at DATASYMBOL1/DATANOTECELL', () => {
    const src = 'DATASYMBOL1="x";\nDATANOTECELL("*")="a";\nDATANOTESUM="s";\nDATA=\n1 2 3;';
    const r = lex(src);
    assert.deepEqual(r.entries.map((e) => e.keyword), ['DATASYMBOL1', 'DATANOTECELL', 'DATANOTESUM']);
    assert.ok(r.data);
    assert.equal(src.slice(r.data.offset), '\n1 2 3;');
    assert.equal(r.data.line, 4);
    const r2 = lex('STUB="a";data = 1 2;');
    assert.equal(r2.entries.length, 1);
    assert.ok(r2.data);
  });

  it('accepts metadata without DATA (data = null) and a last entry without ";" (warning)', () => {
    const w: string[] = [];
    const r = lex('A="1";\nB="2"', w);
    assert.equal(r.data, null);
    assert.equal(r.entries.length, 2);
    assert.match(w[0], /not terminated/);
  });

  it('rejects stray quotes and broken structure with the line number', () => {
    const bad: [string, number, RegExp][] = [
      ['A="1";\nVALUES("r")="00 S"weden","x";', 2, /unexpected 'w' after "00 S"/],
      ['A="1";\nB="open\n\n;', 2, /never closed/],
      ['A="1";\n\n"x"="y";', 3, /stray quote/],
      ['A "1";', 1, /expected '='/],
      ['A("x"="1";', 1, /expected ',' or '\)'/],
      ['A[sv="1";', 1, /expected '\]'/],
      ['A="1" "2" x;', 1, /unexpected 'x'/],
      ['TIMEVAL("t")=TLIST(A1, "1994");', 1, /expected '-'/],
      ['%="1";', 1, /expected a keyword/],
    ];
    for (const [src, line, re] of bad) {
      assert.throws(
        () => lex(src),
        (e: unknown) => e instanceof PxError && e.line === line && re.test(e.message),
        src,
      );
    }
  });
});
