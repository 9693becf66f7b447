import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { fold, tokenize } from '../../src/search/text.js';
import { parseSearchQuery, SearchSyntaxError, type SearchNode } from '../../src/search/queryParser.js';
import { LangIndex, matchRecord, runSearch, searchIndexStats, searchTables, parseFieldFilter } from '../../src/search/searchIndex.js';
import { simpleCube } from '../query/cube07459.js';
import { fillCatalog, TID } from './catalog.js';
import type { Store } from '../../src/store/store.js';

function catalog(): Store {
  return fillCatalog(createMemoryStore());
}

const ids = (s: Store, q: string, folder?: string) =>
  searchTables(s, q, { lang: 'no', folder })
    .map((h) => h.record.id)
    .sort();

test('folding and tokenising', () => {
  assert.equal(fold('Kjønn Ærlig Åsane Fürth'), 'kjonn aerlig asane furth');
  assert.deepEqual(tokenize('K-0301: Oslo, 1-4,9 km'), ['k', '0301', 'oslo', '1', '4', '9', 'km']);
  assert.deepEqual(tokenize(''), []);
});

test('parser: precedence, fields, phrases, prefixes, ranges', () => {
  const p = parseSearchQuery('a b OR c NOT d');
  assert.equal(p.type, 'or');
  const or = p as Extract<SearchNode, { type: 'or' }>;
  assert.equal(or.children[0].type, 'and');
  assert.equal(or.children[1].type, 'and');
  assert.deepEqual(parseSearchQuery('title:Bolig'), { type: 'term', field: 'title', token: 'bolig' });
  assert.deepEqual(parseSearchQuery('"K-0301"'), { type: 'phrase', field: undefined, tokens: ['k', '0301'] });
  assert.deepEqual(parseSearchQuery('boligpris*'), { type: 'term', field: undefined, token: 'boligpris', prefix: true });
  assert.deepEqual(parseSearchQuery('"siktede personer"'), { type: 'phrase', field: undefined, tokens: ['siktede', 'personer'] });
  const r = parseSearchQuery('published:[20180601 TO 20180604*]');
  assert.equal(r.type, 'range');
  assert.equal((r as { upperPrefix?: boolean }).upperPrefix, true);
  const f = parseSearchQuery('title:(bolig OR pris)') as Extract<SearchNode, { type: 'or' }>;
  assert.ok(f.children.every((c) => c.type === 'term' && c.field === 'title'));
  assert.equal(parseSearchQuery('*').type, 'all');
});

test('parser rejects garbage with SearchSyntaxError only', () => {
  for (const bad of ['', '   ', '(a', 'a)', '"open', 'a AND', 'OR', '[1 TO 2]', 'x:[1 2]', '(((', 'NOT', '!!', ')(']) {
    assert.throws(() => parseSearchQuery(bad), SearchSyntaxError, bad);
  }
  // random bytes never throw anything else
  let seed = 7;
  for (let i = 0; i < 300; i++) {
    let s = '';
    for (let k = 0; k < 12; k++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += '()"[]{}*?:-+! aORNDT\\x'[seed % 23];
    }
    try {
      parseSearchQuery(s);
    } catch (e) {
      assert.ok(e instanceof SearchSyntaxError, `${s}: ${(e as Error).message}`);
    }
  }
});

test('words are ANDed; OR, NOT, parentheses', () => {
  const s = catalog();
  assert.deepEqual(ids(s, 'statsborgerskap'), ['09999', '10620']);
  assert.deepEqual(ids(s, 'statsborgerskap kjønn'), ['10620']);
  assert.deepEqual(ids(s, 'statsborgerskap AND kjønn'), ['10620']);
  assert.deepEqual(ids(s, 'fengsel OR belarus'), ['08484', '10620']);
  assert.deepEqual(ids(s, 'statsborgerskap NOT kjønn'), ['09999']);
  assert.deepEqual(ids(s, '(fengsel OR belarus) AND bot'), ['08484']);
  assert.deepEqual(ids(s, 'funksjon AND 170'), ['13599']);
  assert.deepEqual(ids(s, 'alder NOT avslutta', 'tr'), ['12535']);
});

test('fields, phrases, prefixes, short names, node ids, Norwegian letters', () => {
  const s = catalog();
  assert.deepEqual(ids(s, 'title:statsborgerskap'), ['09999', '10620']);
  assert.deepEqual(ids(s, 'title:belarus'), []);
  assert.deepEqual(ids(s, 'values:belarus'), ['10620']);
  assert.deepEqual(ids(s, '"siktede personer"'), ['10620']);
  assert.deepEqual(ids(s, '"personer siktede"'), []);
  assert.deepEqual(ids(s, 'statsborg*'), ['09999', '10620']);
  assert.deepEqual(ids(s, 'framskr2020t07'), ['13599']);
  assert.deepEqual(ids(s, 'kilt01'), ['12535']);
  assert.deepEqual(ids(s, 'folkemengde'), ['07459']);
  assert.deepEqual(ids(s, 'kjonn'), ids(s, 'kjønn'));
  assert.deepEqual(ids(s, 'maned'), ['12535']);
  assert.deepEqual(ids(s, 'stavanger'), ['07459']);
  assert.deepEqual(ids(s, 'nosuchword'), []);
  assert.deepEqual(ids(s, 'unknownfield:bolig'), []);
  assert.deepEqual(ids(s, 'stat?borgerskap'), ['09999', '10620']);
});

test('published and updated ranges', () => {
  const s = catalog();
  assert.deepEqual(ids(s, 'published:[20180601 TO 20180604*]'), ['09999', '10620']);
  assert.deepEqual(ids(s, 'published:[20180601 TO 20180604]'), ['10620']);
  assert.deepEqual(ids(s, 'published:{20180602080000 TO *]'), ['07459', '08484', '09999', '12535', '13599']);
  assert.deepEqual(ids(s, 'published:2018*'), ['08484', '09999', '10620']);
  assert.deepEqual(ids(s, 'updated:[20250201 TO 20251231]'), ['07459']);
  // a table without its own updated time falls back to its publication time
  assert.deepEqual(ids(s, 'updated:[20250101 TO 20250131]'), ['12535']);
});

test('folder scope and ranking', () => {
  const s = catalog();
  assert.deepEqual(ids(s, 'statsborgerskap', 'sk/sk02'), ['10620']);
  assert.deepEqual(ids(s, 'statsborgerskap', 'sk'), ['10620']);
  assert.deepEqual(ids(s, 'statsborgerskap', 'tr'), []);
  // a word in the title and as a variable ranks above a word only in the title
  const hits = searchTables(s, 'statsborgerskap', { lang: 'no' });
  assert.equal(hits[0].record.id, '10620');
  assert.ok(hits[0].score > hits[1].score && hits[1].score > 0);
  // a title-only filter ignores value texts
  assert.deepEqual(
    searchTables(s, 'belarus', { lang: 'no', fields: parseFieldFilter('title') }).map((h) => h.record.id),
    [],
  );
});

test('the index follows the store: new, replaced and deleted tables', () => {
  const s = catalog();
  assert.deepEqual(ids(s, 'kvikksølv'), []);
  s.putTable(
    simpleCube('55555', '55555: Utslipp av kvikksølv', [{ code: 'Tid', label: 'år', values: TID, time: true }]),
    { folders: ['be'] },
  );
  assert.deepEqual(ids(s, 'kvikksølv'), ['55555']);
  s.putTable(simpleCube('55555', '55555: Utslipp av bly', [{ code: 'Tid', label: 'år', values: TID, time: true }]));
  assert.deepEqual(ids(s, 'kvikksølv'), []);
  assert.deepEqual(ids(s, 'bly'), ['55555']);
  s.deleteTable('55555');
  assert.deepEqual(ids(s, 'bly'), []);
});

test('English index and matchRecord', () => {
  const s = catalog();
  assert.deepEqual(searchTables(s, 'females', { lang: 'en' }).map((h) => h.record.id), ['07459']);
  const rec = s.getTable('07459')!;
  assert.equal(matchRecord(parseSearchQuery('region AND alder'), rec, 'no'), true);
  assert.equal(matchRecord(parseSearchQuery('region NOT alder'), rec, 'no'), false);
  assert.equal(matchRecord(parseSearchQuery('title:befolkning'), rec, 'no'), true);
});

test('the in-memory index is updated table by table and answers as a fresh build does', () => {
  const s = catalog();
  const queries = ['statsborgerskap', 'fengsel OR belarus OR kvikksølv', '"siktede personer"', 'stat*', 'år', '*', 'published:2018*', 'kvikksølv OR bly'];
  const fresh = () => queries.map((q) => runSearch(new LangIndex(s.listTables(), 'no'), parseSearchQuery(q), { lang: 'no' }).map((h) => `${h.record.id} ${h.score}`));
  const incremental = () => queries.map((q) => searchTables(s, q, { lang: 'no' }).map((h) => `${h.record.id} ${h.score}`));
  assert.deepEqual(incremental(), fresh());
  const b0 = searchIndexStats().builds;
  const u0 = searchIndexStats().updates;
  s.putTable(simpleCube('55555', '55555: Utslipp av kvikksølv', [{ code: 'Tid', label: 'år', values: TID, time: true }]), { folders: ['be'] });
  assert.deepEqual(incremental(), fresh());
  s.putTable(simpleCube('55555', '55555: Utslipp av bly', [{ code: 'Tid', label: 'år', values: TID, time: true }]));
  assert.deepEqual(incremental(), fresh());
  s.deleteTable('10620');
  assert.deepEqual(incremental(), fresh());
  assert.equal(searchIndexStats().builds, b0, 'no rebuild: three updates');
  assert.equal(searchIndexStats().updates, u0 + 3);
  assert.ok(incremental()[0].length === 1, 'the deleted table is gone from the answers');
});
