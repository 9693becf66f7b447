// From PX entries to the cube model: languages, codes, time, contents, roles, notes, symbols,
// kept keywords and the fatal cases, on small hand-written files.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PxError, readPxSync, type ReadPxOptions } from '../../src/formats/px/reader.js';
import { pxDateToIso } from '../../src/formats/px/interpret.js';

function read(src: string, opts?: ReadPxOptions) {
  return readPxSync(Buffer.from(src, 'utf8'), opts);
}

const BASE = `MATRIX="M1";
DECIMALS=1;
STUB="region";
HEADING="year";
VALUES("region")="Oslo","Bergen";
VALUES("year")="2020","2021";
`;

describe('PX interpretation', () => {
  it('default language: LANGUAGE, else the defaultLanguage option, else "no"', () => {
    assert.equal(read(BASE + 'DATA=1 2 3 4;').cube.meta.defaultLanguage, 'no');
    const m = read(BASE + 'DATA=1 2 3 4;', { defaultLanguage: 'en' }).cube.meta;
    assert.equal(m.defaultLanguage, 'en');
    assert.deepEqual(m.variables[0].label, { en: 'region' });
    const es = read('LANGUAGE="ES";\n' + BASE + 'DATA=1 2 3 4;').cube.meta;
    assert.equal(es.defaultLanguage, 'es');
    // LANGUAGES without LANGUAGE: the listed language without tagged entries is the default
    const l = read('LANGUAGES="sv","en";\n' + BASE + 'STUB[en]="area";\nHEADING[en]="yr";\nDATA=1 2 3 4;');
    assert.equal(l.cube.meta.defaultLanguage, 'sv');
    assert.deepEqual(l.cube.meta.variables[0].label, { sv: 'region', en: 'area' });
    assert.match(l.warnings.join(), /no LANGUAGE/);
  });

  it('table id: option, then MATRIX, then TABLEID', () => {
    assert.equal(read(BASE + 'TABLEID="T9";\nDATA=1 2 3 4;').cube.meta.id, 'M1');
    assert.equal(read(BASE + 'DATA=1 2 3 4;', { id: '07459' }).cube.meta.id, '07459');
    assert.equal(read(BASE + 'DATA=1 2 3 4;', { id: '07459' }).cube.meta.matrix, 'M1');
    assert.equal(read(BASE.replace('MATRIX="M1";\n', 'TABLEID="T9";\n') + 'DATA=1 2 3 4;').cube.meta.id, 'T9');
  });

  it('translations are positional; VARIABLECODE and CODES give ids', () => {
    const src = `LANGUAGE="no";
LANGUAGES="no","en";
${BASE}STUB[en]="area";
HEADING[en]="time";
VALUES[en]("area")="Oslo (en)","Bergen (en)";
VALUES[en]("time")="2020","2021";
CODES("region")="0301",;
VARIABLECODE("region")="Region";
VARIABLECODE[en]("area")="Region";
DATA=1 2 3 4;`;
    const { cube, warnings } = read(src);
    const r = cube.meta.variables[0];
    assert.equal(r.code, 'Region');
    assert.deepEqual(r.label, { no: 'region', en: 'area' });
    assert.deepEqual(r.values.map((v) => v.code), ['0301', 'Bergen']);
    assert.deepEqual(r.values[1].label, { no: 'Bergen', en: 'Bergen (en)' });
    assert.equal(cube.meta.variables[1].code, 'year', 'no VARIABLECODE: default-language name');
    assert.deepEqual(cube.meta.stub, ['Region']);
    assert.deepEqual(warnings, []);
  });

  it('TIMEVAL: roles, units (K = Q, U = W), ranges, VALUES generated from TIMEVAL', () => {
    let m = read(BASE + 'TIMEVAL("year")=TLIST(A1),"2020"-"2021";\nDATA=1 2 3 4;').cube.meta;
    assert.equal(m.variables[1].role, 'time');
    assert.equal(m.variables[1].timeUnit, 'A');
    m = read(BASE + 'TIMEVAL("year")=TLIST(K),"2020K1","2020K2";\nDATA=1 2 3 4;').cube.meta;
    assert.equal(m.variables[1].timeUnit, 'Q');
    m = read(BASE + 'TIMEVAL("year")=TLIST(U1),"2020U01","2020U02";\nDATA=1 2 3 4;').cube.meta;
    assert.equal(m.variables[1].timeUnit, 'W');
    const gen = read(BASE.replace('VALUES("year")="2020","2021";\n', '') + 'TIMEVAL("year")=TLIST(Q1, "20194"-"20201");\nDATA=1 2 3 4;');
    assert.deepEqual(gen.cube.meta.variables[1].values.map((v) => v.code), ['20194', '20201']);
    assert.match(gen.warnings.join(), /generated from TIMEVAL/);
    const bad = read(BASE + 'TIMEVAL("year")=TLIST(A1),"2020";\nDATA=1 2 3 4;');
    assert.match(bad.warnings.join(), /1 time stamps for 2 values/);
  });

  it('roles: MAP and VARIABLE-TYPE G -> geo, VARIABLE-TYPE T -> time, CONTVARIABLE -> contents', () => {
    let m = read(BASE + 'MAP("region")="norway";\nDATA=1 2 3 4;').cube.meta;
    assert.equal(m.variables[0].role, 'geo');
    assert.equal(m.variables[0].map, 'norway');
    m = read(BASE + 'VARIABLE-TYPE("region")="G";\nVARIABLE-TYPE("year")="Time";\nDATA=1 2 3 4;').cube.meta;
    assert.equal(m.variables[0].role, 'geo');
    assert.equal(m.variables[1].role, 'time');
    assert.deepEqual(m.variables[0].extra, { 'VARIABLE-TYPE': ['G'] }, 'kept for the writer');
  });

  it('contents: one- and two-subkey forms, per language, PRECISION, dates, flags', () => {
    const src = `LANGUAGE="en";
LANGUAGES="en","sv";
MATRIX="C";
DECIMALS=2;
SHOWDECIMALS=0;
UNITS="persons";
STUB="region";
HEADING="contents";
STUB[sv]="region";
HEADING[sv]="tabellinnehåll";
CONTVARIABLE="contents";
CONTVARIABLE[sv]="tabellinnehåll";
VALUES("region")="A";
VALUES("contents")="Population","Average (years)";
VALUES[sv]("region")="A";
VALUES[sv]("tabellinnehåll")="Folkmängd","Medelålder (år)";
CODES("contents")="Pop","Avg";
UNITS("Population")="persons";
UNITS[sv]("Folkmängd")="personer";
UNITS("contents","Average (years)")="years";
PRECISION("contents","Average (years)")=1;
LAST-UPDATED("Population")="20240306 08:00";
REFPERIOD("Population")="31 December";
SEASADJ("Average (years)")=YES;
STOCKFA("Population")="S";
CONTACT[sv]("Folkmängd")="SCB";
DATA=1 2.5;`;
    const { cube, warnings } = read(src);
    const ci = cube.meta.contentInfo!;
    assert.deepEqual(Object.keys(ci), ['Pop', 'Avg']);
    assert.deepEqual(ci.Pop.unit, { en: 'persons', sv: 'personer' });
    assert.deepEqual(ci.Avg.unit, { en: 'years' });
    assert.equal(ci.Pop.decimals, 0);
    assert.equal(ci.Avg.decimals, 1);
    assert.equal(ci.Pop.lastUpdated, '2024-03-06T08:00');
    assert.deepEqual(ci.Pop.refPeriod, { en: '31 December' });
    assert.equal(ci.Pop.stockFa, 'S');
    assert.equal(ci.Avg.seasAdj, true);
    assert.deepEqual(ci.Pop.contact, { sv: 'SCB' });
    assert.equal(cube.meta.variables[1].role, 'contents');
    assert.equal(cube.meta.variables[1].values[1].precision, 1);
    assert.deepEqual(warnings, []);
  });

  it('ELIMINATION: YES, a value text (-> code), an unknown text (warning)', () => {
    const src = BASE + 'CODES("region")="03","46";\nELIMINATION("region")="Bergen";\nELIMINATION("year")=YES;\nDATA=1 2 3 4;';
    const m = read(src).cube.meta;
    assert.equal(m.variables[0].elimination, true);
    assert.equal(m.variables[0].eliminationValue, '46');
    assert.equal(m.variables[1].elimination, true);
    assert.equal(m.variables[1].eliminationValue, undefined);
    const bad = read(BASE + 'ELIMINATION("region")="Trondheim";\nDATA=1 2 3 4;');
    assert.equal(bad.cube.meta.variables[0].elimination, false);
    assert.match(bad.warnings.join(), /ELIMINATION "Trondheim"/);
  });

  it('symbols, notes, value notes, cell notes (by text or code) and DATANOTECELL', () => {
    const src = `LANGUAGE="en";
LANGUAGES="en","sv";
${BASE}CODES("region")="03","46";
STUB[sv]="område";
HEADING[sv]="år";
VALUES[sv]("område")="Oslo","Bergen";
VALUES[sv]("år")="2020","2021";
DATASYMBOL2="not available";
DATASYMBOL2[sv]="saknas";
DATASYMBOLNIL="nil";
DATASYMBOLSUM="sum";
NOTEX="Mandatory";
NOTE="First";
NOTE[sv]="Första";
NOTE="Second";
NOTE("region")="About regions";
NOTE[sv]("område")="Om områden";
VALUENOTE("region","Bergen")="Rainy";
VALUENOTEX("year","2021")="Preliminary";
CELLNOTE("Oslo","*")="text-keyed";
CELLNOTE("46","2021")="code-keyed";
DATANOTECELL("03","2020")="(p)";
CELLNOTE("Nowhere","*")="bad";
DATA=1 2 3 4;`;
    const { cube, warnings } = read(src);
    const m = cube.meta;
    assert.deepEqual(m.symbols, { 2: { en: 'not available', sv: 'saknas' }, 8: { en: 'nil' }, 7: { en: 'sum' } });
    assert.deepEqual(m.notes, [
      { text: { en: 'First', sv: 'Första' }, mandatory: false },
      { text: { en: 'Second' }, mandatory: false },
      { text: { en: 'Mandatory' }, mandatory: true },
    ]);
    assert.deepEqual(m.variables[0].notes, [{ text: { en: 'About regions', sv: 'Om områden' }, mandatory: false }]);
    assert.deepEqual(m.variables[0].values[1].notes, [{ text: { en: 'Rainy' }, mandatory: false }]);
    assert.deepEqual(m.variables[1].values[1].notes, [{ text: { en: 'Preliminary' }, mandatory: true }]);
    assert.deepEqual(m.cellNotes, [
      { coords: ['03', '*'], text: { en: 'text-keyed' }, mandatory: false },
      { coords: ['46', '2021'], text: { en: 'code-keyed' }, mandatory: false },
      { coords: ['03', '2020'], text: { en: '(p)' }, mandatory: false, symbol: true },
    ]);
    assert.match(warnings.join(), /CELLNOTE\("Nowhere","\*"\) names an unknown value/);
    assert.ok(m.extra?.some((e) => e.keyword === 'CELLNOTE' && e.items[0] === 'bad'), 'kept for the writer');
  });

  it('table fields, dates, booleans, and unknown keywords kept', () => {
    const src = `AXIS-VERSION="2013";
CREATION-DATE="20240102 03:04";
LAST-UPDATED="20240203";
NEXT-UPDATE="2025-01-01";
SHOWDECIMALS=0;
ROUNDING=1;
AGGREGALLOWED=NO;
COPYRIGHT=YES;
OFFICIAL-STATISTICS="YES";
SUBJECT-CODE="be";
SUBJECT-AREA="Population";
TITLE="A title";
CONTENTS="Contents";
DESCRIPTION="Desc";
SOURCE="Statistics Norway";
CONTACT="Someone#123";
INFOFILE="None";
PRESTEXT("region")=2;
DOMAIN("region")="fylker";
HIERARCHIES("region")="Oslo","Oslo":"Bergen";
DOUBLECOLUMN("region")=YES;
UNKNOWN-KW("x","y")="kept";
META-ID="urn:x";
${BASE}DATA=1 2 3 4;`;
    const { cube } = read(src);
    const m = cube.meta;
    assert.equal(m.created, '2024-01-02T03:04');
    assert.equal(m.updated, '2024-02-03');
    assert.equal(m.nextUpdate, '2025-01-01');
    assert.equal(m.decimals, 1);
    assert.equal(m.showDecimals, 0);
    assert.equal(m.rounding, 1);
    assert.equal(m.aggregAllowed, false);
    assert.equal(m.copyright, true);
    assert.equal(m.officialStatistics, true);
    assert.equal(m.subjectCode, 'be');
    assert.deepEqual(m.subjectArea, { no: 'Population' });
    assert.deepEqual(m.description, { no: 'Desc' });
    assert.deepEqual(m.contact, { no: 'Someone#123' });
    assert.equal(m.infoFile, 'None');
    const r = m.variables[0];
    assert.equal(r.presentation, 'code_value');
    assert.equal(r.domain, 'fylker');
    assert.deepEqual(r.hierarchy, { Bergen: 'Oslo' });
    assert.deepEqual(r.extra, { DOUBLECOLUMN: ['YES'] });
    assert.deepEqual(m.extra, [
      { keyword: 'AXIS-VERSION', items: ['2013'] },
      { keyword: 'UNKNOWN-KW', subkeys: ['x', 'y'], items: ['kept'] },
      { keyword: 'META-ID', items: ['urn:x'] },
    ]);
    assert.equal(m.codepage, 'windows-1252');
  });

  it('px dates to ISO', () => {
    assert.equal(pxDateToIso('20240306 08:00'), '2024-03-06T08:00');
    assert.equal(pxDateToIso('20240306 8:05:09'), '2024-03-06T08:05:09');
    assert.equal(pxDateToIso('20240306'), '2024-03-06');
    assert.equal(pxDateToIso(' 2024-03-06 '), '2024-03-06');
  });

  it('fatal: no STUB/HEADING, a variable without VALUES, duplicate variables, no DATA', () => {
    const fatal: [string, RegExp][] = [
      ['MATRIX="x";\nDATA=1;', /no STUB and no HEADING/],
      ['STUB="a","b";\nVALUES("a")="1";\nDATA=1;', /variable "b" has no VALUES/],
      ['STUB="a";\nHEADING="a";\nVALUES("a")="1";\nDATA=1;', /"a" appears twice/],
      ['STUB="a";\nVALUES("a")="1";\n', /no DATA/],
      ['STUB="a";\nVALUES("a")="1";\nKEYS("a")=SOMETHING;\nDATA=1;', /KEYS must be VALUES or CODES/],
    ];
    for (const [src, re] of fatal) {
      assert.throws(() => read(src), (e: unknown) => e instanceof PxError && re.test(e.message), src);
    }
  });

  it('STUB only and HEADING only tables', () => {
    const s = read('STUB="a";\nVALUES("a")="1","2","3";\nDATA=\n1\n2\n3\n').cube;
    assert.deepEqual([s.meta.stub, s.meta.heading], [['a'], []]);
    const h = read('HEADING="a";\nVALUES("a")="1","2","3";\nDATA=1 2 3').cube;
    assert.deepEqual([h.meta.stub, h.meta.heading], [[], ['a']]);
    assert.deepEqual(Array.from(h.values), [1, 2, 3]);
  });
});
