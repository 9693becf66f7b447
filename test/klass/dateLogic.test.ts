// The date logic on the demo classifications against brute force: day by day, which version is valid and which
// codes it has, computed here straight from the demo data (not through src/klass), then compared with codesAt,
// codes from-to, changes and correspondences. The municipality history is also checked against the klassR export
// of the real Klass (../shared fixtures).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoKlassData } from '../../src/demo/klass.js';
import { KlassCatalog } from '../../src/klass/catalog.js';
import { changesInRange } from '../../src/klass/changes.js';
import { codesAt, codesInRange } from '../../src/klass/codes.js';
import { correspondencesAt, correspondencesInRange } from '../../src/klass/correspondences.js';
import { dateRange, nextDay } from '../../src/klass/dates.js';
import type { ClassificationVersion, KlassData } from '../../src/klass/model.js';
import { SKIP_FIXTURES, TODAY, fixtureText, parseCsv } from './helpers.js';

const data: KlassData = demoKlassData();
const cat = new KlassCatalog(data);
const opts = { language: 'nb' as const, includeFuture: false, today: TODAY };
const HORIZON = '2027-01-01';

function versionsOf(classificationId: number): ClassificationVersion[] {
  return data.versions.filter((v) => v.classificationId === classificationId).sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
}

/** The version valid on day d, found by scanning. */
function versionAt(classificationId: number, d: string): ClassificationVersion | undefined {
  return versionsOf(classificationId).find((v) => v.validFrom <= d && (v.validTo === null || d < v.validTo));
}

const key = (code: string, name: string, level: number | string) => `${code}\t${name}\t${level}`;

function keysAt(classificationId: number, d: string): Set<string> {
  const v = versionAt(classificationId, d);
  return new Set(v ? v.items.map((i) => key(i.code, i.name.nb ?? '', i.level)) : []);
}

/** Every version boundary, the day before it, and the 1st of every month 2017-2026. */
function probeDates(classificationId: number): string[] {
  const dates = new Set<string>();
  for (const v of versionsOf(classificationId)) {
    for (const b of [v.validFrom, v.validTo]) {
      if (!b) continue;
      dates.add(b);
      const [y, m, day] = b.split('-').map(Number);
      const prev = new Date(Date.UTC(y, m - 1, day) - 86_400_000).toISOString().slice(0, 10);
      dates.add(prev);
    }
  }
  for (let y = 2017; y <= 2026; y++) for (let m = 1; m <= 12; m++) dates.add(`${y}-${String(m).padStart(2, '0')}-01`);
  dates.add('1950-06-01');
  return [...dates].sort();
}

test('codesAt equals the codes of the version valid that day, across every version boundary', () => {
  for (const id of [131, 104, 6, 19]) {
    for (const d of probeDates(id)) {
      const got = codesAt(cat, id, d, opts).map((c) => key(c.code, c.name, c.level)).sort();
      assert.deepEqual(got, [...keysAt(id, d)].sort(), `${id} at ${d}`);
    }
  }
  // spot checks that do not depend on the brute force
  const at2024 = codesAt(cat, 131, '2024-12-19', opts);
  assert.equal(at2024.length, 358);
  assert.equal(at2024[0].code, '0301');
  assert.equal(at2024.find((c) => c.code === '1103')?.name, 'Stavanger');
  assert.equal(codesAt(cat, 131, '2023-12-31', opts).find((c) => c.code === '3001')?.name, 'Halden');
  assert.equal(codesAt(cat, 131, '2024-01-01', opts).find((c) => c.code === '3001'), undefined);
  assert.equal(codesAt(cat, 104, '2019-12-31', opts).length, 19);
  assert.equal(codesAt(cat, 104, '2020-01-01', opts).length, 12);
});

/** Walk the days of [from, to) (to open: up to HORIZON) and cut runs of each key; the set only changes when the
 *  versions valid that day change, so it is recomputed only then. */
function runs(from: string, to: string | null, stampAt: (d: string) => string, setAt: (d: string) => Set<string>): string[] {
  const end = to ?? HORIZON;
  const open = new Map<string, string>();
  const out: string[] = [];
  let prev = new Set<string>();
  let prevStamp: string | null = null;
  for (let d = from; d < end; d = nextDay(d)) {
    const stamp = stampAt(d);
    if (stamp === prevStamp) continue;
    prevStamp = stamp;
    const cur = setAt(d);
    for (const k of prev) if (!cur.has(k)) (out.push(`${k}\t${open.get(k)}\t${d}`), open.delete(k));
    for (const k of cur) if (!open.has(k)) open.set(k, d);
    prev = cur;
  }
  for (const [k, start] of open) out.push(`${k}\t${start}\t${to ?? 'null'}`);
  return out.sort();
}

/** Brute force of /codes: runs of each (code, name, level). */
function bruteRanges(id: number, from: string, to: string | null): string[] {
  return runs(from, to, (d) => String(versionAt(id, d)?.id), (d) => keysAt(id, d));
}

test('codes from-to equals day-by-day runs of each code and name, merged across versions', () => {
  const cases: Array<[number, string, string | null]> = [
    [131, '2019-01-01', '2021-01-01'],
    [131, '2019-06-15', '2024-03-01'],
    [131, '2021-05-05', null],
    [131, '2023-12-31', '2024-01-02'],
    [131, '1990-01-01', '2019-01-02'],
    [131, '2022-01-01', '2023-01-01'],
    [104, '2017-01-01', null],
    [19, '1980-01-01', '2000-01-01'],
    [6, '2000-01-01', null],
  ];
  for (const [id, from, to] of cases) {
    const got = codesInRange(cat, id, dateRange(from, to), opts)
      .map((c) => `${key(c.code, c.name, c.level)}\t${c.validFromInRequestedRange}\t${c.validToInRequestedRange ?? 'null'}`)
      .sort();
    assert.deepEqual(got, bruteRanges(id, from, to), `${id} ${from}..${to}`);
  }
  // Klass's worked example (GUIDE "range"): Halden renumbered, Grane unchanged and merged across the versions
  const ex = codesInRange(cat, 131, dateRange('2019-01-01', '2021-01-01'), opts);
  const row = (code: string) => ex.filter((c) => c.code === code).map((c) => [c.name, c.validFromInRequestedRange, c.validToInRequestedRange]);
  assert.deepEqual(row('0101'), [['Halden', '2019-01-01', '2020-01-01']]);
  assert.deepEqual(row('3001'), [['Halden', '2020-01-01', '2021-01-01']]);
  assert.deepEqual(row('1825'), [['Grane', '2019-01-01', '2021-01-01']]);
  // a rename inside the range gives two rows for one code
  const renamed = codesInRange(cat, 131, dateRange('2021-01-01', null), opts).filter((c) => c.code === '1853');
  assert.deepEqual(renamed.map((c) => [c.name, c.validFromInRequestedRange, c.validToInRequestedRange]), [
    ['Evenes', '2021-01-01', '2022-01-01'],
    ['Evenes - Evenášši', '2022-01-01', null],
  ]);
});

test('changes between consecutive versions account for every code that left or came, dated at the new version', () => {
  for (const id of [131, 104, 19]) {
    const versions = versionsOf(id);
    const rows = changesInRange(cat, id, dateRange('0001-01-01', null), opts);
    for (let i = 1; i < versions.length; i++) {
      const older = versions[i - 1];
      const newer = versions[i];
      const mine = rows.filter((r) => r.changeOccurred === newer.validFrom);
      const oldKeys = new Set(older.items.map((it) => `${it.code}\t${it.name.nb}`));
      const newKeys = new Set(newer.items.map((it) => `${it.code}\t${it.name.nb}`));
      const olds = new Set(mine.filter((r) => r.oldCode !== null).map((r) => `${r.oldCode}\t${r.oldName}`));
      const news = new Set(mine.filter((r) => r.newCode !== null).map((r) => `${r.newCode}\t${r.newName}`));
      for (const k of oldKeys) if (!newKeys.has(k)) assert.ok(olds.has(k), `${id}: ${k} left in ${newer.validFrom} without a change row`);
      for (const k of newKeys) if (!oldKeys.has(k)) assert.ok(news.has(k), `${id}: ${k} came in ${newer.validFrom} without a change row`);
      for (const k of olds) assert.ok(oldKeys.has(k), `${id}: old side ${k} is not in the older version`);
      for (const k of news) assert.ok(newKeys.has(k), `${id}: new side ${k} is not in the newer version`);
    }
    assert.ok(rows.every((r) => versions.slice(1).some((v) => v.validFrom === r.changeOccurred)));
  }
  // only the versions overlapping the range take part: [2022-06-01, 2023-06-01) sees versions 2022 and 2023
  const mid = changesInRange(cat, 131, dateRange('2022-06-01', '2023-06-01'), opts);
  assert.deepEqual(mid.map((r) => [r.oldCode, r.newName, r.changeOccurred]), [
    ['5001', 'Trondheim - Tråante', '2023-01-01'],
    ['5025', 'Røros - Rosse', '2023-01-01'],
  ]);
  // a range inside one version has no changes
  assert.deepEqual(changesInRange(cat, 131, dateRange('2020-02-01', '2021-01-01'), opts), []);
});

test('correspondsAt county -> municipality equals "county = first two digits" on the codes valid that day', () => {
  for (const d of ['2015-01-01', '2017-06-01', '2018-06-01', '2019-06-01', '2020-01-01', '2022-03-03', '2023-12-31', '2024-01-01', '2026-01-01']) {
    const counties = new Map(codesAt(cat, 104, d, opts).map((c) => [c.code, c.name]));
    const expected = codesAt(cat, 131, d, opts)
      .map((m) => {
        const county = m.code === '9999' ? '99' : m.code.slice(0, 2);
        return `${county}\t${counties.get(county)}\t${m.code}\t${m.name}`;
      })
      .sort();
    const got = correspondencesAt(cat, 104, 131, d, opts).map((r) => `${r.sourceCode}\t${r.sourceName}\t${r.targetCode}\t${r.targetName}`);
    assert.deepEqual([...got].sort(), expected, `104 -> 131 at ${d}`);
    // stored only as 104 -> 131: asked the other way, the same pairs come back turned around
    const back = correspondencesAt(cat, 131, 104, d, opts).map((r) => `${r.targetCode}\t${r.targetName}\t${r.sourceCode}\t${r.sourceName}`);
    assert.deepEqual([...back].sort(), expected, `131 -> 104 at ${d}`);
    const inverted = correspondencesAt(cat, 104, 131, d, { ...opts, inverted: true }).map((r) => `${r.targetCode}\t${r.targetName}\t${r.sourceCode}\t${r.sourceName}`);
    assert.deepEqual([...inverted].sort(), expected, `104 -> 131 inverted at ${d}`);
  }
  assert.throws(() => correspondencesAt(cat, 19, 131, '2024-01-01', opts), /has no correspondence table/);
});

/** The county -> municipality pairs of day d, straight from the versions valid that day. */
function pairsAt(d: string): Set<string> {
  const counties = versionAt(104, d);
  const munis = versionAt(131, d);
  if (!counties || !munis) return new Set();
  const countyName = new Map(counties.items.map((i) => [i.code, i.name.nb]));
  return new Set(munis.items.map((m) => {
    const county = m.code === '9999' ? '99' : m.code.slice(0, 2);
    return `${county}\t${countyName.get(county)}\t${m.code}\t${m.name.nb}`;
  }));
}

test('corresponds from-to: the pairs of each day, merged into periods', () => {
  const stamp = (d: string) => `${versionAt(104, d)?.id}/${versionAt(131, d)?.id}`;
  for (const [from, to] of [['2019-06-01', '2024-06-01'], ['2018-01-01', '2020-06-01']] as const) {
    const got = correspondencesInRange(cat, 104, 131, dateRange(from, to), opts)
      .map((r) => `${r.sourceCode}\t${r.sourceName}\t${r.targetCode}\t${r.targetName}\t${r.validFrom}\t${r.validTo}`)
      .sort();
    assert.deepEqual(got, runs(from, to, stamp, pairsAt), `${from}..${to}`);
  }
  // today (2026) lies in the current versions: with an open range the rows are open-ended
  const open = correspondencesInRange(cat, 104, 131, dateRange('2025-01-01', null), opts);
  assert.equal(open.length, 358);
  assert.ok(open.every((r) => r.validFrom === '2025-01-01' && r.validTo === null));
  const oslo = correspondencesInRange(cat, 104, 131, dateRange('2019-06-01', '2024-06-01'), opts).filter((r) => r.targetCode === '0301');
  assert.deepEqual(oslo.map((r) => [r.validFrom, r.validTo]), [['2019-06-01', '2024-06-01']], 'Oslo merged over five table pairs');
});

// --- the real municipality history (klassR export of Klass 131) --------------------------------------------------

function fixturePeriods(): Array<{ code: string; label: string; from: string; to: string }> {
  const [header, ...rows] = parseCsv(fixtureText('klassR-131-municipality-history/kommuner_131_code_name_periods.csv'));
  const col = (n: string) => header.findIndex((h) => h.text === n);
  const [c, l, f, t] = ['code', 'label', 'validFrom', 'validTo'].map(col);
  return rows.map((r) => ({ code: r[c].text, label: r[l].text, from: r[f].text, to: r[t].text }));
}

test('demo 131 equals the real municipality list on every probe date from 2015', { skip: SKIP_FIXTURES }, () => {
  const periods = fixturePeriods();
  const dates = probeDates(131).filter((d) => d >= '2015-01-01' && d <= '2024-12-19');
  dates.push('2024-12-19');
  for (const d of dates) {
    const real = periods.filter((p) => p.from <= d && (p.to === '' || d < p.to)).map((p) => `${p.code} ${p.label}`).sort();
    const ours = codesAt(cat, 131, d, opts).map((c) => `${c.code} ${c.name}`).sort();
    assert.deepEqual(ours, real, d);
  }
  // SOURCES.md: the 358 rows with an empty validTo are codesAt 2024-12-19
  assert.equal(periods.filter((p) => p.to === '').length, codesAt(cat, 131, '2024-12-19', opts).length);
});

test('demo 131 changes equal the real change edges from 2017', { skip: SKIP_FIXTURES }, () => {
  const [header, ...rows] = parseCsv(fixtureText('klassR-131-municipality-history/kommuner_131_changes_directed_to_2024-12-19.csv'));
  const col = (n: string) => header.findIndex((h) => h.text === n);
  const real = rows
    .map((r) => ['from_code', 'from_label', 'to_code', 'to_label', 'changeOccurred'].map((n) => r[col(n)].text).join('\t'))
    .filter((l) => l.split('\t')[4] >= '2017-01-01');
  const ours = changesInRange(cat, 131, dateRange('2015-01-01', null), opts).map((r) => [r.oldCode, r.oldName, r.newCode, r.newName, r.changeOccurred].join('\t'));
  assert.equal(ours.length, new Set(ours).size, 'no duplicate change rows');
  assert.deepEqual([...ours].sort(), [...new Set(real)].sort());
});
