// The Klass domain on small hand-made data: dates, selectCodes, presentation names, names and ordering, the
// catalog's checks, and the rules around future versions, drafts, languages and copyright.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KlassCatalog } from '../../src/klass/catalog.js';
import { changesInRange } from '../../src/klass/changes.js';
import { codeMatcher, codesAt, codesInRange, parseSelectCodes, presentationName, variantCodesAt } from '../../src/klass/codes.js';
import { correspondencesAt, correspondencesInRange } from '../../src/klass/correspondences.js';
import { MAX_DATE, dateRange, dayRange, isIsoDate, nextDay, osloToday } from '../../src/klass/dates.js';
import { KlassError } from '../../src/klass/errors.js';
import { isPublicClassification, listClassifications, listFamilies, searchClassifications } from '../../src/klass/listing.js';
import type { Classification, ClassificationVersion, KlassData, KlassItem } from '../../src/klass/model.js';
import { alphanumCompare, datePostfix } from '../../src/klass/names.js';

test('dates: strict yyyy-MM-dd calendar dates, next day across month/year/leap boundaries', () => {
  for (const ok of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2023-12-31']) assert.ok(isIsoDate(ok), ok);
  for (const bad of ['2023-02-29', '1900-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-1', '20240101', '2024-01-01T00:00', ' 2024-01-01', '']) {
    assert.ok(!isIsoDate(bad), bad);
  }
  assert.equal(nextDay('2024-02-28'), '2024-02-29');
  assert.equal(nextDay('2023-02-28'), '2023-03-01');
  assert.equal(nextDay('2024-12-31'), '2025-01-01');
  assert.equal(nextDay('2024-04-30'), '2024-05-01');
  assert.equal(nextDay('9999-12-31'), MAX_DATE);
  assert.deepEqual(dayRange('2024-01-31'), { from: '2024-01-31', to: '2024-02-01' });
  assert.throws(() => dateRange('2020-01-01', '2020-01-01'), (e: KlassError) => e.status === 400 && e.message === 'From is equal or after to. From: 2020-01-01 To: 2020-01-01');
  assert.throws(() => dateRange('2021-01-01', '2020-01-01'), /From is equal or after to/);
  assert.match(osloToday(new Date('2024-06-30T22:30:00Z')), /^2024-07-01$/); // already 1 July in Oslo
});

test('selectCodes: exact, prefix, ranges, ignored parts and the limits (cases of Klass CodeListTest)', () => {
  const codes = ['0301', '1100', '1111', '1199', '1200', '3004', '3005', '3399', '3400', '34', '3400123', '3499', '3500', '4000'];
  const pick = (s: string) => codes.filter(codeMatcher(s) ?? (() => true));
  assert.deepEqual(pick('3004'), ['3004']);
  assert.deepEqual(pick('3004,3005'), ['3004', '3005']);
  assert.deepEqual(pick('3004, 11*'), ['1100', '1111', '1199', '3004']);
  // inclusive range, compared as strings: "34" sorts inside it, and the upper bound takes codes starting with it
  assert.deepEqual(pick('3004-3400'), ['3004', '3005', '3399', '3400', '34', '3400123']);
  // `34*` upper bound = everything starting with 34
  assert.deepEqual(pick('3004-34*'), ['3004', '3005', '3399', '3400', '34', '3400123', '3499']);
  assert.deepEqual(pick('3*-399*'), ['3004', '3005', '3399', '3400', '34', '3400123', '3499', '3500']);
  assert.deepEqual(pick(' , , , 3499,  '), ['3499']);
  // parts that do not parse are ignored; if all are, nothing is filtered
  assert.deepEqual(pick('a-b'), codes);
  assert.deepEqual(pick('34-30'), codes); // inverted range
  assert.deepEqual(pick('3.4*,0301'), ['0301']);
  assert.equal(parseSelectCodes('   '), null);
  assert.equal(parseSelectCodes(undefined), null);
  assert.throws(() => parseSelectCodes(Array.from({ length: 21 }, (_, i) => String(i)).join(',')), /Too many selectCodes parameters/);
  assert.doesNotThrow(() => parseSelectCodes(Array.from({ length: 20 }, (_, i) => String(i)).join(',')));
  assert.throws(() => parseSelectCodes('1'.repeat(201)), /selectCodes too long/);
  assert.throws(() => parseSelectCodes('03;01'), /selectCodes contains illegal characters/);
  assert.throws(() => parseSelectCodes("1' OR 1=1"), (e: KlassError) => e.status === 400);
  // codes with a dash cannot be picked exactly (a Klass quirk): "01-03" is read as a range, which takes 02 along
  assert.deepEqual(['01-03', '02', '04'].filter(codeMatcher('01-03')!), ['01-03', '02']);
});

test('presentationNamePattern: token replacement in Klass order, other text kept', () => {
  assert.equal(presentationName('{code} - {uppercase(name)}', '0101', 'Halden', ''), '0101 - HALDEN');
  assert.equal(presentationName('{capitalize(name)} ({lowercase(shortname)})', 'x', 'øvre eiker', 'ØE'), 'Øvre eiker (øe)');
  assert.equal(presentationName('{shortName}|{CODE}|$&|{name}', '1', 'a$1', ''), '{shortName}|{CODE}|$&|a$1');
});

test('names: alphanumeric order with reversed numbers, date postfix of generated names', () => {
  const names = ['Kommuneinndeling 2020', 'Kommuneinndeling 2024', 'Kommuneinndeling 2019', 'Kommuneinndeling 2023'];
  assert.deepEqual([...names].sort((a, b) => alphanumCompare(a, b, true)), ['Kommuneinndeling 2024', 'Kommuneinndeling 2023', 'Kommuneinndeling 2020', 'Kommuneinndeling 2019']);
  // a longer digit run is the larger number, leading zeros included (Klass's comparator)
  assert.deepEqual(['10', '9', '100', '01-03'].sort((a, b) => alphanumCompare(a, b)), ['9', '01-03', '10', '100']);
  assert.equal(datePostfix('2024-01-01', null), '2024');
  assert.equal(datePostfix('2024-07-01', null), '2024-07');
  assert.equal(datePostfix('2024-01-01', '2024-06-01'), '2024-01');
});

// --- a small classification with a future version ------------------------------------------------------------------

const item = (code: string, name: string, extra: Partial<KlassItem> = {}): KlassItem => ({ code, parentCode: null, level: 1, name: { nb: name, en: `${name} (en)` }, ...extra });

function version(id: number, from: string, to: string | null, items: KlassItem[], extra: Partial<ClassificationVersion> = {}): ClassificationVersion {
  return { id, classificationId: 1, validFrom: from, validTo: to, published: ['nb', 'en'], lastModified: '2024-01-01T00:00:00Z', introduction: {}, levels: [{ levelNumber: 1, levelName: { nb: 'Nivå' } }], items, ...extra };
}

function classification(id: number, extra: Partial<Classification> = {}): Classification {
  return {
    id,
    name: { nb: `Standard for test ${id}`, en: `Classification of test ${id}` },
    description: { nb: 'Beskrivelse med kommune' },
    type: 'CLASSIFICATION',
    primaryLanguage: 'nb',
    copyrighted: false,
    includeShortName: false,
    includeNotes: false,
    contactPerson: { name: 'T', email: 't@example.org' },
    owningSection: '320',
    statisticalUnits: [],
    familyId: 1,
    lastModified: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

function sample(): KlassData {
  const a = version(10, '2020-01-01', '2025-01-01', [item('A', 'Alfa'), item('B', 'Beta'), item('X', 'Utgår')]);
  const b = version(11, '2025-01-01', null, [item('A', 'Alfa'), item('B', 'Beta ny'), item('C', 'Ceta')]);
  const other = { ...version(20, '2020-01-01', null, [item('1', 'En'), item('2', 'To')]), classificationId: 2 };
  return {
    families: [{ id: 1, name: { nb: 'Test' } }],
    classifications: [classification(1), classification(2, { copyrighted: true }), classification(3, { type: 'CODELIST' }), classification(4)],
    versions: [
      a,
      b,
      other,
      { ...version(30, '2020-01-01', null, [item('K', 'Kode')]), classificationId: 3 },
      // classification 4 has only a draft and an unpublished version: not public
      { ...version(40, '2020-01-01', null, [item('D', 'Utkast')]), classificationId: 4, draft: true },
      { ...version(41, '2010-01-01', '2020-01-01', [item('D', 'Upublisert')]), classificationId: 4, published: [] },
    ],
    variants: [],
    correspondenceTables: [
      {
        id: 100,
        sourceVersionId: 11,
        targetVersionId: 10,
        published: ['nb'],
        lastModified: '2024-01-01T00:00:00Z',
        description: {},
        contactPerson: { name: 'T', email: 't@example.org' },
        owningSection: '320',
        sourceLevel: null,
        targetLevel: null,
        maps: [
          ['B', 'B'],
          [null, 'X'],
          ['C', null],
        ],
      },
      {
        id: 101,
        sourceVersionId: 10,
        targetVersionId: 20,
        published: ['nb', 'en'],
        lastModified: '2024-01-01T00:00:00Z',
        description: {},
        contactPerson: { name: 'T', email: 't@example.org' },
        owningSection: '320',
        sourceLevel: null,
        targetLevel: null,
        maps: [
          ['A', '1'],
          ['B', '2'],
        ],
      },
    ],
  };
}

const TODAY = '2024-06-01';
const nb = { language: 'nb' as const, includeFuture: false, today: TODAY };

test('includeFuture: future versions are hidden, and the current version seems to last to the end of the request', () => {
  const cat = new KlassCatalog(sample());
  assert.deepEqual(codesAt(cat, 1, '2025-06-01', nb), []);
  assert.deepEqual(
    codesAt(cat, 1, '2025-06-01', { ...nb, includeFuture: true }).map((c) => `${c.code} ${c.name}`),
    ['A Alfa', 'B Beta ny', 'C Ceta'],
  );
  const hidden = codesInRange(cat, 1, dateRange('2024-01-01', '2026-01-01'), nb);
  assert.deepEqual(
    hidden.map((c) => [c.code, c.validFromInRequestedRange, c.validToInRequestedRange]),
    [
      ['A', '2024-01-01', '2026-01-01'],
      ['B', '2024-01-01', '2026-01-01'],
      ['X', '2024-01-01', '2026-01-01'],
    ],
  );
  const open = codesInRange(cat, 1, dateRange('2024-01-01', null), nb);
  assert.ok(open.every((c) => c.validToInRequestedRange === null));
  const all = codesInRange(cat, 1, dateRange('2024-01-01', '2026-01-01'), { ...nb, includeFuture: true });
  assert.deepEqual(
    all.map((c) => [c.code, c.name, c.validFromInRequestedRange, c.validToInRequestedRange]),
    [
      ['A', 'Alfa', '2024-01-01', '2026-01-01'],
      ['B', 'Beta', '2024-01-01', '2025-01-01'],
      ['B', 'Beta ny', '2025-01-01', '2026-01-01'],
      ['C', 'Ceta', '2025-01-01', '2026-01-01'],
      ['X', 'Utgår', '2024-01-01', '2025-01-01'],
    ],
  );
  // before the current version's period reaches today nothing is extended
  const past = codesInRange(cat, 1, dateRange('2020-06-01', '2021-01-01'), nb);
  assert.ok(past.every((c) => c.validFromInRequestedRange === '2020-06-01' && c.validToInRequestedRange === '2021-01-01'));
});

test('changes: none while the next version is hidden; old/new oriented from a table stored new -> old', () => {
  const cat = new KlassCatalog(sample());
  assert.deepEqual(changesInRange(cat, 1, dateRange('2020-01-01', null), nb), []);
  const rows = changesInRange(cat, 1, dateRange('2020-01-01', null), { ...nb, includeFuture: true });
  assert.deepEqual(
    rows.map((r) => [r.oldCode, r.oldName, r.newCode, r.newName, r.changeOccurred]),
    [
      ['B', 'Beta', 'B', 'Beta ny', '2025-01-01'],
      ['X', 'Utgår', null, null, '2025-01-01'],
      [null, null, 'C', 'Ceta', '2025-01-01'],
    ],
  );
  // the change table is not published in English: skipped without error
  assert.deepEqual(changesInRange(cat, 1, dateRange('2020-01-01', null), { ...nb, language: 'en', includeFuture: true }), []);
});

test('languages: a version not published in the language answers 404; names in another language do not fall back', () => {
  const data = sample();
  data.versions[0] = { ...data.versions[0], published: ['nb'] };
  const cat = new KlassCatalog(data);
  assert.throws(
    () => codesAt(cat, 1, '2022-01-01', { ...nb, language: 'en' }),
    (e: KlassError) => e.status === 404 && e.message === 'ClassificationVersion: [from=2020-01-01, to=2025-01-01]. Is not published in language: EN',
  );
  // version 20 has English names for its items; nn has none: "" without falling back to nb
  const cat2 = new KlassCatalog({ ...sample(), versions: sample().versions.map((v) => (v.id === 20 ? { ...v, published: ['nb', 'nn'] } : v)) });
  assert.deepEqual(codesAt(cat2, 2, '2022-01-01', { ...nb, language: 'nn' }).map((c) => c.name), ['', '']);
});

test('correspondences: range periods, reverse lookup, inverted, and 404 without any table', () => {
  const cat = new KlassCatalog(sample());
  const at = correspondencesAt(cat, 1, 2, '2022-01-01', nb);
  assert.deepEqual(at.map((r) => [r.sourceCode, r.targetCode]), [['A', '1'], ['B', '2']]);
  // the other way round uses the same table backwards
  const back = correspondencesAt(cat, 2, 1, '2022-01-01', nb);
  assert.deepEqual(back.map((r) => [r.sourceCode, r.sourceName, r.targetCode, r.targetName]), [['1', 'En', 'A', 'Alfa'], ['2', 'To', 'B', 'Beta']]);
  assert.deepEqual(correspondencesAt(cat, 1, 2, '2022-01-01', { ...nb, inverted: true }).map((r) => [r.sourceCode, r.targetCode]), [['1', 'A'], ['2', 'B']]);
  // range: cut to the request ...
  const range = correspondencesInRange(cat, 1, 2, dateRange('2021-01-01', '2023-01-01'), nb);
  assert.deepEqual(range.map((r) => [r.sourceCode, r.validFrom, r.validTo]), [['A', '2021-01-01', '2023-01-01'], ['B', '2021-01-01', '2023-01-01']]);
  // ... but a row valid today (version 10 is current) is open-ended, hiding the end of the current version
  const now = correspondencesInRange(cat, 1, 2, dateRange('2024-01-01', '2024-12-01'), nb);
  assert.deepEqual(now.map((r) => [r.sourceCode, r.validFrom, r.validTo]), [['A', '2024-01-01', null], ['B', '2024-01-01', null]]);
  const shown = correspondencesInRange(cat, 1, 2, dateRange('2024-01-01', '2024-12-01'), { ...nb, includeFuture: true });
  assert.deepEqual(shown.map((r) => r.validTo), ['2024-12-01', '2024-12-01']);
  const past = correspondencesInRange(cat, 1, 2, dateRange('2020-01-01', '2021-01-01'), { ...nb, today: '2030-01-01' });
  assert.deepEqual(past.map((r) => [r.validFrom, r.validTo]), [['2020-01-01', '2021-01-01'], ['2020-01-01', '2021-01-01']]);
  assert.throws(() => correspondencesAt(cat, 1, 3, '2022-01-01', nb), (e: KlassError) => e.status === 404 && e.message === "Classification 'Standard for test 1' has no correspondence table with Classification 'Standard for test 3'");
  assert.throws(() => correspondencesAt(cat, 1, 99, '2022-01-01', nb), /Classification not found with id = 99/);
});

test('listing: copyrighted, codelists and classifications without a published version; changedSince is strict', () => {
  const data = sample();
  const cat = new KlassCatalog(data);
  assert.deepEqual(listClassifications(cat, { includeCodelists: false }).map((c) => c.id), [1]);
  assert.deepEqual(listClassifications(cat, { includeCodelists: true }).map((c) => c.id), [1, 3]);
  const t = Date.parse('2024-01-01T00:00:00Z');
  assert.deepEqual(listClassifications(cat, { includeCodelists: true, changedSince: t }), []);
  assert.deepEqual(listClassifications(cat, { includeCodelists: true, changedSince: t - 1 }).map((c) => c.id), [1, 3]);
  assert.equal(isPublicClassification(cat, cat.classification(2)), false); // copyrighted, still readable by id
  assert.equal(isPublicClassification(cat, cat.classification(4)), false); // draft + unpublished only
  // a family is listed when any member matches, counting only public ones
  const fam = listFamilies(cat, { includeCodelists: false });
  assert.deepEqual(fam.map((f) => [f.family.id, f.classifications.map((c) => c.id)]), [[1, [1]]]);
  assert.deepEqual(searchClassifications(cat, 'test', { includeCodelists: false }).map((h) => [h.classification.id, h.language]), [[1, 'nb'], [1, 'en']]);
  assert.deepEqual(searchClassifications(cat, '   ', { includeCodelists: false }), []);
  assert.deepEqual(searchClassifications(cat, 'test', { includeCodelists: false, ssbSection: '999' }), []);
});

test('variants: the name in the language or the full name; unknown names and unpublished languages are 404', () => {
  const data = sample();
  data.variants.push({
    id: 7,
    versionId: 10,
    nameBase: { nb: 'Grupper', en: 'Groups' },
    validFrom: '2020-01-01',
    validTo: null,
    published: ['nb'],
    lastModified: '2024-01-01T00:00:00Z',
    introduction: {},
    contactPerson: { name: 'T', email: 't@example.org' },
    owningSection: '320',
    levels: [{ levelNumber: 1, levelName: {} }, { levelNumber: 2, levelName: {} }],
    items: [item('G1', 'Gruppe 1'), { ...item('A', 'Alfa'), parentCode: 'G1', level: 2 }],
  });
  const cat = new KlassCatalog(data);
  const byBase = variantCodesAt(cat, 1, 'Grupper', '2022-01-01', nb);
  assert.deepEqual(byBase.map((c) => [c.code, c.parentCode, c.level]), [['A', 'G1', '2'], ['G1', null, '1']]);
  const full = cat.variantFullName(cat.variant(7), 'nb');
  assert.equal(full, 'Grupper 2020  - variant av Test 1 2020');
  assert.equal(variantCodesAt(cat, 1, full, '2022-01-01', nb).length, 2);
  assert.throws(() => variantCodesAt(cat, 1, 'grupper', '2022-01-01', nb), (e: KlassError) => e.status === 404 && e.message === "Standard for test 1 does not have a variant named: 'grupper' in requested date range");
  // names are looked up in the requested language
  assert.throws(() => variantCodesAt(cat, 1, 'Grupper', '2022-01-01', { ...nb, language: 'en' }), /does not have a variant named/);
  // found by its English name, but the variant is published in nb only
  assert.throws(
    () => variantCodesAt(cat, 1, 'Groups', '2022-01-01', { ...nb, language: 'en' }),
    (e: KlassError) => e.status === 404 && e.message === 'ClassificationVariant: Groups 2020  - variant of Test 1 2020 [from=2020-01-01, to=max]. Is not published in language: EN',
  );
});

test('catalog: broken data is refused at construction', () => {
  const bad = (change: (d: KlassData) => void, re: RegExp) => {
    const d = sample();
    change(d);
    assert.throws(() => new KlassCatalog(d), re);
  };
  bad((d) => d.versions.push({ ...d.versions[0] }), /duplicate version id 10/);
  bad((d) => (d.versions[1] = { ...d.versions[1], validFrom: '2024-01-01' }), /versions 10 and 11 overlap/);
  bad((d) => d.versions[0].items.push(item('Z', 'Z', { parentCode: 'nope', level: 2 })), /undeclared level|unknown parent/);
  bad((d) => d.versions[0].items.push(item('A', 'Igjen')), /duplicate code A/);
  bad((d) => (d.correspondenceTables[1] = { ...d.correspondenceTables[1], maps: [['Q', '1']] }), /no code Q/);
  bad((d) => (d.versions[0] = { ...d.versions[0], classificationId: 77 }), /unknown classification 77/);
});
