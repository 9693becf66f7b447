// Languages come from the data: every language the tables carry is served by v1 and v2; the settings order or limit
// them and pick the default. A table exists in the languages it carries: listed and served there, absent elsewhere.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type AppConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Texts } from '../../src/core/model.js';
import { build07459 } from '../query/cube07459.js';

function storeWithSwedish() {
  const store = createMemoryStore();
  store.putFolder('be', { no: 'Befolkning', en: 'Population', sv: 'Befolkning' });
  store.putTable(build07459(), { folders: ['be'] });
  const c = build07459({ id: 'SV1' });
  const sv = (t: Texts | undefined): Texts => ({ sv: `${t?.en ?? ''} (sv)` });
  c.meta.languages = ['sv'];
  c.meta.defaultLanguage = 'sv';
  c.meta.title = sv(c.meta.title);
  for (const v of c.meta.variables) {
    v.label = sv(v.label);
    for (const x of v.values) x.label = sv(x.label);
  }
  store.putTable(c, { folders: ['be'] });
  return store;
}

async function app(overrides: Partial<AppConfig> = {}) {
  return buildApp({ store: storeWithSwedish(), config: loadConfig({ maxCalls: 0, logLevel: 'silent', ...overrides }, {}) }, { logger: false });
}

test('every language the tables carry is served; a one-language table only in its language', async () => {
  const a = await app();
  try {
    const cfg = (await a.inject({ url: '/api/v2/config' })).json();
    // one table each: no and sv come first in theirs, en second
    assert.deepEqual(cfg.languages.map((l: { id: string }) => l.id), ['no', 'sv', 'en']);
    assert.equal(cfg.languages.find((l: { id: string }) => l.id === 'sv').label, 'Svenska');
    // v2
    const t = await a.inject({ url: '/api/v2/tables/SV1?lang=sv' });
    assert.equal(t.statusCode, 200);
    assert.match(t.json().label, /\(sv\)$/);
    assert.equal((await a.inject({ url: '/api/v2/tables/SV1?lang=no' })).statusCode, 404);
    assert.equal((await a.inject({ url: '/api/v2/tables/SV1/data?lang=sv&valueCodes[Region]=0301&valueCodes[ContentsCode]=*&valueCodes[Tid]=top(1)' })).statusCode, 200);
    const ids = (lang: string) => a.inject({ url: `/api/v2/tables?lang=${lang}` }).then((r) => r.json().tables.map((x: { id: string }) => x.id));
    assert.deepEqual(await ids('sv'), ['SV1']);
    assert.deepEqual(await ids('no'), ['07459']);
    // v1: metadata, data and navigation in the table's language, absent in others
    const meta = await a.inject({ url: '/api/v0/sv/table/SV1' });
    assert.equal(meta.statusCode, 200);
    assert.match(meta.json().title, /\(sv\)$/);
    assert.equal((await a.inject({ url: '/api/v0/no/table/SV1' })).statusCode, 400);
    const post = await a.inject({ method: 'POST', url: '/api/v0/sv/table/SV1', payload: '{"query":[],"response":{"format":"csv2"}}' });
    assert.equal(post.statusCode, 200);
    const nav = (lang: string) => a.inject({ url: `/api/v0/${lang}/table/be` }).then((r) => r.json().map((x: { id: string }) => x.id));
    assert.deepEqual(await nav('sv'), ['SV1']);
    assert.deepEqual(await nav('no'), ['07459']);
    // a language no table carries is not served
    assert.equal((await a.inject({ url: '/api/v0/fi/table/be' })).statusCode, 400);
    assert.equal((await a.inject({ url: '/api/v2/tables?lang=fi' })).statusCode, 400);
  } finally {
    await a.close();
  }
});

test('v2 links carry an alternate link per other language of the table', async () => {
  const a = await app();
  try {
    const links = (await a.inject({ url: '/api/v2/tables/07459?lang=en' })).json().links as { rel: string; hreflang: string }[];
    assert.deepEqual(links.filter((l) => l.rel === 'alternate').map((l) => l.hreflang), ['no']);
    const sv = (await a.inject({ url: '/api/v2/tables/SV1?lang=sv' })).json().links as { rel: string }[];
    assert.equal(sv.filter((l) => l.rel === 'alternate').length, 0);
  } finally {
    await a.close();
  }
});

test('--languages orders and limits the languages, --default-language picks the default', async () => {
  const a = await app({ languages: ['en', 'sv'], defaultLanguage: 'en' });
  try {
    const cfg = (await a.inject({ url: '/api/v2/config' })).json();
    assert.deepEqual(cfg.languages.map((l: { id: string }) => l.id), ['en', 'sv']);
    assert.equal(cfg.defaultLanguage, 'en');
    assert.equal((await a.inject({ url: '/api/v0/no/table/07459' })).statusCode, 400, 'no is not served');
    assert.equal((await a.inject({ url: '/api/v2/tables/07459' })).json().language, 'en');
  } finally {
    await a.close();
  }
});

test('a table in a new language, added while the server runs, makes that language served', async () => {
  const { Languages } = await import('../../src/app/languages.js');
  let t = 0;
  let carried = ['no', 'en'];
  const l = new Languages({ languages: [], defaultLanguage: '' }, () => carried, 1000, () => t);
  assert.deepEqual(l.list, ['no', 'en']);
  carried = ['no', 'en', 'fi'];
  t = 999;
  assert.equal(l.resolve('fi'), undefined, 'the derived list is reused for a moment');
  t = 1000;
  assert.equal(l.resolve('fi'), 'fi', 'then derived again from the tables');
  // a configured list is never replaced by the data
  const fixed = new Languages({ languages: ['en'], defaultLanguage: '' }, () => carried, 1000, () => t);
  t = 5000;
  assert.deepEqual(fixed.list, ['en']);
});

test('the languages the tables carry are counted from the change log: most common first, then earlier in the tables', async () => {
  const { TableLookup } = await import('../../src/app/tableLookup.js');
  const { cube } = await import('../store/cubes.js');
  let now = Date.parse('2026-03-02T07:00:00Z');
  const store = createMemoryStore({ now: () => now });
  const put = (id: string, languages: string[]) => {
    const c = cube(id, [2], (i) => i);
    const texts = (s: string) => Object.fromEntries(languages.map((l) => [l, `${s} ${l}`]));
    c.meta.languages = languages;
    c.meta.defaultLanguage = languages[0];
    c.meta.title = texts('title');
    c.meta.contents = texts('contents');
    for (const v of c.meta.variables) {
      v.label = texts(v.code);
      for (const x of v.values) x.label = texts(x.code);
    }
    return c;
  };
  // the Finnish office: every table fi, sv, en; one in Finnish only
  store.putTable(put('t1', ['fi', 'sv', 'en']));
  store.putTable(put('t2', ['fi', 'sv', 'en']));
  store.putTable(put('t3', ['fi']));
  const listTables = store.listTables.bind(store);
  let listings = 0;
  store.listTables = () => (listings++, listTables());
  const lookup = new TableLookup(store);
  const langs = { list: () => lookup.languages() };
  assert.deepEqual(langs.list(), ['fi', 'sv', 'en'], 'sv and en tie on tables; the tables list sv first');
  assert.equal(listings, 1);
  // English on more tables than Swedish; a table gone; a table in a new language released at its instant
  store.putTable(put('t3', ['fi', 'en']));
  assert.deepEqual(langs.list(), ['fi', 'en', 'sv']);
  store.deleteTable('t1');
  assert.deepEqual(langs.list(), ['fi', 'en', 'sv']);
  store.deleteTable('t3');
  assert.deepEqual(langs.list(), ['fi', 'sv', 'en']);
  const release = now + 60_000;
  store.scheduleTable(put('t4', ['se', 'fi']), { releaseAt: new Date(release).toISOString() });
  store.scheduleTable(put('t5', ['se']), { releaseAt: new Date(release).toISOString() });
  assert.deepEqual(langs.list(), ['fi', 'sv', 'en'], 'nothing under embargo');
  now = release;
  assert.deepEqual(langs.list(), ['se', 'fi', 'sv', 'en'], 'se and fi on two tables each; se first in both');
  assert.equal(listings, 1, 'every change came from the change log');
  // the same as counting the whole catalogue afresh
  assert.deepEqual(new TableLookup(store).languages(), langs.list());
});
