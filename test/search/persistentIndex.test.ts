// The SQLite store's persistent search index (FTS5) answers every query exactly as the in-memory index does (same
// tables, same scores), follows puts, deletes and releases table by table, sees another connection's changes, and
// survives a reopen without any rebuild.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { hasSearchIndex } from '../../src/store/searchPort.js';
import { indexFor, parseFieldFilter, searchIndexStats, searchPage, searchTables, StoreIndex } from '../../src/search/searchIndex.js';
import type { Store } from '../../src/store/store.js';
import { simpleCube } from '../query/cube07459.js';
import { fillCatalog, QUERIES, TID } from './catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-fts-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = () => join(dir, `s${n++}.db`);


const answers = (s: Store, lang: string, folder?: string, filter?: string) =>
  QUERIES.map((q) => ({ q, hits: searchTables(s, q, { lang, folder, fields: parseFieldFilter(filter) }).map((h) => `${h.record.id} ${h.score}`) }));

test('the persistent index answers every query as the in-memory index does, scores included', () => {
  const mem = fillCatalog(createMemoryStore());
  const sql = fillCatalog(openSqliteStore(dbPath()));
  try {
    assert.equal(hasSearchIndex(sql), true);
    assert.ok(indexFor(sql, 'no') instanceof StoreIndex, 'SQLite is searched through its persistent index');
    const b0 = searchIndexStats().builds;
    for (const lang of ['no', 'en']) {
      const want = answers(mem, lang);
      assert.ok(want.filter((a) => a.hits.length).length > 15, 'the queries find something');
      assert.deepEqual(answers(sql, lang), want, lang);
    }
    assert.deepEqual(answers(sql, 'no', 'sk'), answers(mem, 'no', 'sk'));
    assert.deepEqual(answers(sql, 'no', undefined, 'title'), answers(mem, 'no', undefined, 'title'));
    // a language no table has: each table answers in its default language
    assert.deepEqual(answers(sql, 'sv'), answers(mem, 'sv'));
    assert.equal(searchIndexStats().builds, b0 + 3, 'only the in-memory store built indexes (no, en, sv)');
  } finally {
    sql.close();
  }
});

test('the index follows puts, deletes and releases table by table, and another connection sees them', () => {
  const path = dbPath();
  let now = Date.parse('2026-01-01T00:00:00Z');
  const w = fillCatalog(openSqliteStore(path, { now: () => now }));
  const r = openSqliteStore(path, { now: () => now });
  const ids = (s: Store, q: string) => searchTables(s, q, { lang: 'no' }).map((h) => h.record.id).sort();
  try {
    assert.deepEqual(ids(r, 'kvikksølv'), []);
    w.putTable(simpleCube('55555', '55555: Utslipp av kvikksølv', [{ code: 'Tid', label: 'år', values: TID, time: true }]), { folders: ['be'] });
    assert.deepEqual(ids(w, 'kvikksølv'), ['55555']);
    assert.deepEqual(ids(r, 'kvikksølv'), ['55555'], 'the other connection reloads that table');
    w.putTable(simpleCube('55555', '55555: Utslipp av bly', [{ code: 'Tid', label: 'år', values: TID, time: true }]));
    assert.deepEqual(ids(r, 'kvikksølv'), []);
    assert.deepEqual(ids(r, 'bly'), ['55555']);
    // a scheduled version is indexed ahead and answers from its release instant on, in every connection
    const at = now + 60_000;
    w.scheduleTable(simpleCube('55555', '55555: Utslipp av sink', [{ code: 'Tid', label: 'år', values: TID, time: true }]), {
      releaseAt: new Date(at).toISOString(),
    });
    assert.deepEqual(ids(r, 'sink'), []);
    assert.deepEqual(ids(r, 'bly'), ['55555']);
    now = at;
    assert.deepEqual(ids(r, 'sink'), ['55555']);
    assert.deepEqual(ids(w, 'bly'), []);
    w.releaseDue();
    assert.deepEqual(ids(r, 'sink'), ['55555']);
    w.deleteTable('55555');
    assert.deepEqual(ids(r, 'sink'), []);
    assert.deepEqual(ids(w, 'sink'), []);
  } finally {
    w.close();
    r.close();
  }
  // reopened: the same answers, with no index built
  const again = openSqliteStore(path, { now: () => now });
  const mem = fillCatalog(createMemoryStore());
  try {
    const b0 = searchIndexStats().builds;
    assert.deepEqual(answers(again, 'no'), answers(mem, 'no'));
    assert.equal(searchIndexStats().builds, b0 + 1, 'only the in-memory store built one');
  } finally {
    again.close();
  }
});

for (const ids of ['digits and letters', 'digits only']) test(`a page of hits is the whole ranking sliced (ties by id, ${ids}), with the total; keep filters before paging`, () => {
  const mem = fillCatalog(createMemoryStore());
  const sql = fillCatalog(openSqliteStore(dbPath()));
  // many tables that score alike (ties broken by id), and a few that score higher
  for (const s of [mem, sql]) {
    for (let i = 0; i < 70; i++) {
      const id = i % 3 === 0 && ids !== 'digits only' ? `T${i}x` : String(90000 + ((i * 37) % 100));
      const title = i % 10 === 0 ? `Oslo oslo personer ${i}` : 'Personer etter region og tid';
      s.putTable(
        simpleCube(id, title, [
          { code: 'Region', label: 'region', values: [['0301', 'Oslo'], ['4601', 'Bergen']] },
          { code: 'Tid', label: 'tid', time: true, values: [['2024', '2024'], ['2025', '2025']] },
        ]),
      );
    }
  }
  try {
    assert.equal(indexFor(sql, 'no').idOrdered, ids === 'digits only', 'ties broken by document order only when every id is digits');
    for (const s of [mem, sql]) {
      for (const q of [...QUERIES, 'oslo', 'tid', 'personer']) {
        const all = searchTables(s, q, { lang: 'no' });
        for (const [offset, limit] of [[0, 1], [0, 5], [3, 7], [0, 20], [10, 20], [60, 30], [0, 1000]]) {
          const p = searchPage(s, q, { lang: 'no', offset, limit });
          assert.equal(p.total, all.length, q);
          assert.deepEqual(p.hits, all.slice(offset, offset + limit), `${q} ${offset}+${limit}`);
        }
        const keep = (r: { id: string }) => !r.id.startsWith('T') && !r.id.endsWith('7');
        const kept = all.filter((h) => keep(h.record));
        const p = searchPage(s, q, { lang: 'no', offset: 2, limit: 9, keep });
        assert.equal(p.total, kept.length);
        assert.deepEqual(p.hits, kept.slice(2, 11));
      }
    }
  } finally {
    sql.close();
  }
});
