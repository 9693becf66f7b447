// The compact summary every store keeps per table (what listings, navigation and search read without the full
// metadata), the same in every adapter.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from '../../src/store/catalog.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { build07459 } from '../query/cube07459.js';

test('the summary has titles, languages, time span, variables with their codelist ids; stores keep their own copy', () => {
  const c = build07459();
  const region = c.meta.variables.find((v) => v.code === 'Region');
  if (region) {
    region.valueSets = [{ id: 'fylker', label: { no: 'Fylker' }, codes: [region.values[0].code] }];
    region.classification = { id: '131' };
  }
  const s = structuredClone(summarize(c.meta));
  const title = structuredClone(c.meta.title);
  assert.deepEqual(s.title, c.meta.title);
  assert.deepEqual(s.languages, c.meta.languages);
  assert.equal(s.defaultLanguage, c.meta.defaultLanguage);
  const time = c.meta.variables.find((v) => v.role === 'time')!;
  assert.equal(s.firstPeriod, time.values[0].code);
  assert.equal(s.lastPeriod, time.values[time.values.length - 1].code);
  assert.equal(s.periods, time.values.length);
  assert.deepEqual(
    s.variables.map((v) => [v.code, v.values]),
    c.meta.variables.map((v) => [v.code, v.values.length]),
  );
  if (region) {
    const r = s.variables.find((v) => v.code === 'Region')!;
    assert.deepEqual(r.valueSets, ['fylker']);
    assert.equal(r.classification, '131');
  }
  for (const store of [createMemoryStore(), openSqliteStore(':memory:')]) {
    const rec = store.putTable(c);
    assert.deepEqual(rec.summary, s);
    c.meta.title.no = 'changed afterwards';
    assert.notEqual(store.getTable(c.meta.id)?.summary.title.no, 'changed afterwards', 'the store keeps its own copy');
    c.meta.title = structuredClone(title);
    store.close();
  }
});
