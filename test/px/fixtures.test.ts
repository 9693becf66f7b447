// Every real PX fixture against the figures in SOURCES.md (parsed from that file), the KEYS/dense
// twins, cell ordering (pxbuild-tab_200 cells encode their coordinates), the invalid files,
// multilingual labels and read -> write -> read round trips.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { strides, text } from '../../src/core/model.js';
import { lex } from '../../src/formats/px/lexer.js';
import { PxError, readPx, readPxFile, readPxSync } from '../../src/formats/px/reader.js';
import { writePx } from '../../src/formats/px/writer.js';
import { cubeStats, FIXTURES, HAVE_FIXTURES, sourceRows, type Cell } from './sources.js';

const skip = HAVE_FIXTURES ? false : 'fixtures in ../shared are absent';

function read(file: string) {
  return readPxSync(readFileSync(FIXTURES + file));
}

function sameCell(actual: Cell, expected: Cell, what: string): void {
  if ('token' in expected) assert.deepEqual(actual, expected, what);
  else {
    assert.ok('value' in actual, `${what}: expected ${expected.value}, got symbol ${JSON.stringify(actual)}`);
    assert.ok(Math.abs(actual.value - expected.value) <= 1e-9 * Math.max(1, Math.abs(expected.value)), `${what}: ${actual.value} != ${expected.value}`);
  }
}

describe('PX fixtures vs SOURCES.md', { skip }, () => {
  const rows = HAVE_FIXTURES ? sourceRows().filter((r) => !r.file.startsWith('invalid/')) : [];

  it('SOURCES.md lists every shipped fixture', () => {
    const files = readdirSync(FIXTURES).filter((f) => /\.px$/i.test(f));
    assert.ok(files.length >= 29);
    assert.deepEqual(rows.map((r) => r.file).sort(), files.sort());
  });

  for (const row of rows) {
    it(row.file, () => {
      const { cube, warnings } = read(row.file);
      const s = cubeStats(cube);
      if (row.cells !== undefined) assert.equal(s.cells, row.cells, 'cells');
      if (row.numeric !== undefined) assert.equal(s.numeric, row.numeric, 'numeric cells');
      if (row.numeric !== undefined) assert.deepEqual(s.symbols, row.symbols, 'symbol counts');
      if (row.sum !== undefined) {
        assert.ok(Math.abs(s.sum - row.sum) <= 1e-6 * Math.max(1, Math.abs(row.sum)), `sum ${s.sum} != ${row.sum}`);
      }
      if (row.first) sameCell(s.first, row.first, 'first cell');
      if (row.last) sameCell(s.last, row.last, 'last cell');
      const m = cube.meta;
      if (row.langs.length) {
        assert.equal(m.defaultLanguage, row.langs[0]);
        assert.deepEqual(m.languages, row.langs);
      } else assert.equal(m.defaultLanguage, 'no', 'no LANGUAGE: the configured default');
      if (row.stub && row.heading) {
        const dl = m.defaultLanguage;
        const names = (codes: string[]) =>
          codes.map((c) => {
            const v = m.variables.find((x) => x.code === c)!;
            return [v.label[dl], v.values.length];
          });
        assert.deepEqual(names(m.stub), row.stub, 'STUB');
        assert.deepEqual(names(m.heading), row.heading, 'HEADING');
      }
      assert.equal(cube.values.length, cube.status?.length ?? cube.values.length);
      if (row.keysRows) {
        const absent = row.keysRows[1] - row.keysRows[0];
        const w = warnings.find((x) => /KEYS rows are absent/.test(x));
        if (absent) assert.match(w ?? '', new RegExp(`^DATA: ${absent} of ${row.keysRows[1]} KEYS`));
        else assert.equal(w, undefined);
      }
      if (/UTF-8/.test(row.bytes)) assert.equal(m.codepage, 'utf-8');
      if (/claims/.test(row.bytes)) assert.ok(warnings.some((x) => /valid UTF-8/.test(x)), 'encoding warning');
    });
  }
});

describe('PX fixture features', { skip }, () => {
  it('BE101ACE (dense) and BE101ACEkeys (KEYS) give the same cube', () => {
    const a = read('pxweb-BE101ACE.px').cube;
    const b = read('pxweb-BE101ACEkeys.px').cube;
    assert.deepEqual(b.values, a.values);
    assert.deepEqual(b.status, a.status);
    const shape = (c: typeof a) => c.meta.variables.map((v) => [v.code, v.values.map((x) => [x.code, x.label])]);
    assert.deepEqual(shape(b), shape(a));
  });

  it('BE101ACE: the empty code from a trailing comma is filled from the text', () => {
    const sex = read('pxweb-BE101ACE.px').cube.meta.variables.find((v) => v.code === 'sex')!;
    assert.deepEqual(sex.values.map((v) => v.code), ['1', '2', 'total']);
  });

  it('pxbuild-tab_200: every numeric cell encodes its coordinates (first dimension slowest)', () => {
    const { cube } = read('pxbuild-tab_200.px');
    const sizes = cube.meta.variables.map((v) => v.values.length);
    assert.deepEqual(sizes, [3, 3, 3, 2, 1]);
    const st = strides(sizes);
    let checked = 0;
    for (let i = 0; i < cube.values.length; i++) {
      if (cube.status?.[i]) continue;
      // digit k = 1-based index of dimension k (the one-valued year is not written)
      const digits = st.slice(0, 4).map((s, k) => Math.floor(i / s) % sizes[k] + 1).join('');
      assert.equal(cube.values[i], Number(digits), `cell ${i}`);
      checked++;
    }
    assert.equal(checked, 34);
    // bare symbols are read as symbols: cell 2 is "." (status 1)
    assert.equal(cube.status?.[2], 1);
  });

  it('pxbuild-tab_200: explicit [no] tags are the default language; contents, time, notes', () => {
    const m = read('pxbuild-tab_200.px').cube.meta;
    assert.deepEqual(m.variables.map((v) => v.code), ['coded_dim1', 'coded_dim2', 'coded_dim3', 'ContentsCode', 'Time']);
    const cont = m.variables[3];
    assert.equal(cont.role, 'contents');
    assert.deepEqual(Object.keys(m.contentInfo!), ['Measure1', 'Measure2']);
    assert.deepEqual(m.contentInfo!.Measure2.unit, { no: 'kr', en: 'NOK' });
    assert.equal(m.contentInfo!.Measure2.decimals, 2, 'PRECISION 2 over SHOWDECIMALS 0');
    assert.equal(m.contentInfo!.Measure1.decimals, 0);
    assert.equal(m.contentInfo!.Measure1.lastUpdated, '2024-03-06T08:00');
    assert.equal(m.contentInfo!.Measure1.cfPrices, 'C');
    assert.equal(m.contentInfo!.Measure2.dayAdj, false);
    assert.equal(m.variables[4].role, 'time');
    assert.equal(m.variables[0].role, 'geo', 'VARIABLE-TYPE G');
    assert.deepEqual(m.symbols?.[3], { no: ':', en: ':' });
    assert.equal(m.cellNotes?.length, 2);
    const star = m.cellNotes!.find((c) => c.mandatory)!;
    assert.deepEqual(star.coords, ['*', '02', '03', 'Measure1', '2000']);
    assert.equal(m.nextUpdate, '2024-06-13T08:00');
    assert.equal(m.id, 'tab_00103');
    assert.ok(m.extra?.some((e) => e.keyword === 'TABLEID' && e.items[0] === '00103'));
  });

  it('multilingual labels en/sv/fi (BE0101F1langensvfiolikacelln)', () => {
    const { cube, warnings } = read('pxweb-BE0101F1langensvfiolikacelln.px');
    const m = cube.meta;
    assert.deepEqual(warnings, []);
    assert.deepEqual(m.languages, ['en', 'sv', 'fi']);
    const region = m.variables[0];
    assert.deepEqual(region.label, { en: 'region', sv: 'region', fi: 'kunta' });
    assert.deepEqual(region.values[0].label, { en: '00 Sweden', sv: '00 Riket', fi: 'Ruotsi' });
    assert.equal(region.values[2].label.sv, '0114 Upplands Väsby');
    assert.deepEqual(m.variables[1].label, { en: 'age', sv: 'ålder', fi: 'ikä' });
    assert.equal(region.eliminationValue, '00', 'ELIMINATION by value text');
    assert.equal(region.elimination, true);
    const type = m.variables.find((v) => v.role === 'contents')!;
    assert.deepEqual(type.label, { en: 'type', sv: 'typ', fi: 'tyypi' });
    assert.deepEqual(type.values.map((v) => v.code), ['BE0101F1', 'BE0101F2']);
    assert.deepEqual(m.contentInfo!.BE0101F1.unit, { en: 'number', sv: 'antal', fi: 'henkilö' });
    assert.equal(m.contentInfo!.BE0101F1.stockFa, 'F');
    assert.equal(text(m.title, 'fi'), 'Väestönmuutokset muuttujina kunta, ikä, aika, tyypi ja sukupuoli');
    assert.equal(m.variables.find((v) => v.code === 'period')?.timeUnit, 'A');
    // the sv NOTE split into pieces mid-word is one string
    assert.match(region.notes!.find((n) => !n.mandatory)!.text.en, /Parts of Södertälje municipality/);
    const mand = m.cellNotes!.find((c) => c.mandatory)!;
    assert.deepEqual(mand.coords, ['*', '20', '*', 'BE0101F1', '*']);
    assert.deepEqual(Object.keys(mand.text), ['en', 'sv', 'fi']);
    const svOnly = m.cellNotes!.find((c) => !c.mandatory)!;
    assert.deepEqual(Object.keys(svOnly.text), ['sv', 'fi']);
  });

  it('symbnotkeys: KEYS with spaces in keys, DATANOTECELL by codes, DATASYMBOL texts', () => {
    const m = read('pxweb-BE0101F1symbnotkeys.px').cube.meta;
    assert.deepEqual(m.symbols?.[1], { en: 'n.a.' });
    assert.deepEqual(m.symbols?.[7], { en: 'sum' });
    const sym = m.cellNotes!.filter((c) => c.symbol);
    assert.equal(sym.length, 2);
    assert.deepEqual(sym[1].coords, ['*', '21', '*', 'BE0101F2', '1']);
    assert.equal(sym[1].text.en, ' (b');
  });

  it('TIMEVAL forms: ranges, K and U spellings, H1, M1', () => {
    const unit = (f: string) => read(f).cube.meta.variables.find((v) => v.role === 'time')?.timeUnit;
    assert.equal(unit('pxmake-TIMEVAL_short.px'), 'A');
    assert.equal(unit('pcaxis-php-020_ati_tau_102_en.px'), 'A');
    assert.equal(unit('pxweb-Transmengde.px'), 'Q');
    assert.equal(unit('serializers-MultipleContent.px'), 'Q');
    assert.equal(unit('serializers-WeeklyStatisticsWithTwoContent.px'), 'W');
    assert.equal(unit('serializers-HalfYearStatistics.px'), 'H');
    assert.equal(unit('pxweb-PR0101B3hier2lang.px'), 'M');
  });

  it('HIERARCHIES become parent codes', () => {
    const v = read('pxweb-PR0101B3hier2lang.px').cube.meta.variables[0];
    assert.equal(v.hierarchy?.['01'], 'tot');
    assert.equal(v.hierarchy?.['01.1.1'], '01.1');
    assert.equal(v.hierarchy?.tot, undefined);
  });

  it('pxstat-MIM04: BOM, ";" and a raw line break inside TITLE, parentheses in subkeys', () => {
    const m = read('pxstat-MIM04.px').cube.meta;
    assert.equal(m.title.en, 'Industrial Production Volume and Turnover Indices (Base 2015=100), ;\nTest');
    const keys = Object.keys(m.contentInfo!);
    assert.equal(keys.length, 4);
    assert.ok(keys.includes('Industrial Production Index (Seasonally Adjusted)') || Object.values(m.contentInfo!).length === 4);
    assert.equal(m.officialStatistics, true, 'quoted "YES"');
  });

  it('pyaxis-14001: variable name with a trailing blank is matched exactly', () => {
    const m = read('pyaxis-14001.px').cube.meta;
    const sexo = m.variables.find((v) => v.label.no === 'sexo ');
    assert.ok(sexo);
    assert.equal(sexo.values.length, 2);
  });

  it('readPx over a stream and readPxFile give the same cube as readPxSync', async () => {
    const cases: [string, number][] = [
      ['pxweb-BE0101F1symbnotkeys.px', 7],
      ['pxstat-MIM04.px', 5],
      ['serializers-LargeFinnishDatasetWithManyValues.px', 4099],
    ];
    for (const [f, size] of cases) {
      const buf = readFileSync(FIXTURES + f);
      const a = readPxSync(buf).cube;
      // odd chunk sizes cut tokens, keys and the DATA keyword itself
      const chunks: Buffer[] = [];
      for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
      const b = (await readPx(Readable.from(chunks))).cube;
      assert.deepEqual(b, a, f);
      const c = (await readPxFile(FIXTURES + f)).cube;
      assert.deepEqual(c, a, f);
    }
  });
});

describe('invalid PX files are rejected with a clear message', { skip }, () => {
  const cases: [string, RegExp][] = [
    ['invalid/pxweb-BE0101F1missingData.px', /no DATA/],
    ['invalid/pxweb-BE0101F1missingStubHeading.px', /no STUB and no HEADING/],
    ['invalid/pxweb-BE0101F1errorValues.px', /line 18: .*unbalanced quotes/],
    ['invalid/pxbuild-ok_odd_usage.px', /no DATA/],
  ];
  for (const [file, re] of cases) {
    it(file, () => {
      assert.throws(() => read(file), (e: unknown) => e instanceof PxError && re.test(e.message));
    });
  }

  it('errorValues reports the line of the stray quote', () => {
    try {
      read('invalid/pxweb-BE0101F1errorValues.px');
      assert.fail('accepted');
    } catch (e) {
      assert.ok(e instanceof PxError);
      assert.equal(e.line, 18);
    }
  });

  it('ok_odd_usage: the lexer accepts it (quoted language, unknown keywords, TLIST range)', () => {
    const r = lex(readFileSync(FIXTURES + 'invalid/pxbuild-ok_odd_usage.px', 'latin1'));
    assert.equal(r.data, null);
    assert.deepEqual(
      r.entries.map((e) => e.keyword),
      ['SUBJECT-AREA', 'AGGREGALLOWED', 'UNKNOWN1', 'TIMEVAL', 'UNKNOWN2'],
    );
    assert.equal(r.entries[0].lang, 'sv');
    assert.deepEqual(r.entries[3].items, [{ kind: 'tlist', unit: 'A1', from: '1994', to: '1996' }]);
  });
});

describe('PX round trip: read -> write -> read gives the same cube', { skip }, () => {
  const files = HAVE_FIXTURES ? readdirSync(FIXTURES).filter((f) => /\.px$/i.test(f)) : [];
  for (const f of files) {
    it(f, () => {
      const a = read(f);
      const out = writePx(a.cube);
      const b = readPxSync(out);
      assert.deepEqual(b.cube.meta, a.cube.meta);
      assert.deepEqual(b.cube.values, a.cube.values);
      assert.deepEqual(b.cube.status, a.cube.status);
      // written lines respect the 256-character limit unless one subkey list alone is longer
      for (const line of out.toString('latin1').split('\r\n')) {
        if (line.length > 256) assert.match(line, /^[A-Z-]+(\[[a-z]+\])?\(/, `line of ${line.length} chars`);
      }
    });
  }

  it('single-language output of a multilingual table has that language only', () => {
    const a = read('pxweb-BE0101F1langensvfiolikacelln.px').cube;
    for (const lang of ['en', 'sv', 'fi']) {
      const b = readPxSync(writePx(a, { lang })).cube;
      assert.equal(b.meta.defaultLanguage, lang);
      assert.deepEqual(b.meta.languages, [lang]);
      assert.deepEqual(
        b.meta.variables.map((v) => v.label[lang]),
        a.meta.variables.map((v) => v.label[lang]),
      );
      assert.deepEqual(
        b.meta.variables[0].values.map((v) => v.label[lang]),
        a.meta.variables[0].values.map((v) => v.label[lang]),
      );
      assert.deepEqual(b.meta.variables.map((v) => v.code), a.meta.variables.map((v) => v.code));
      assert.deepEqual(b.values, a.values);
      assert.equal(b.meta.title[lang], a.meta.title[lang]);
    }
  });
});
