// The PostgreSQL store's persistent search index (tsvector columns for phrases, a postings table for the ranking)
// answers every query as the in-memory index does (same tables, same scores), on the node that wrote and on another
// node, follows puts, releases and deletes, and indexes a database written before it existed. Starts its own
// cluster (skips when PostgreSQL is absent).

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgresStore.js';
import { indexFor, parseFieldFilter, searchPage, searchTables, StoreIndex } from '../../src/search/searchIndex.js';
import type { Store } from '../../src/store/store.js';
import { simpleCube } from '../query/cube07459.js';
import { pgSkip as skip, startPgCluster, type PgCluster } from '../store/pgCluster.js';
import { fillCatalog, QUERIES, TID } from './catalog.js';

let cluster: PgCluster | undefined;
const opened: PostgresStore[] = [];

async function open(url: string, now?: () => number): Promise<PostgresStore> {
  const s = await openPostgresStore({ connectionString: url, chunkBytes: 1000, now });
  opened.push(s);
  return s;
}

const answers = (s: Store, lang: string, folder?: string, filter?: string) =>
  QUERIES.map((q) => ({ q, hits: searchTables(s, q, { lang, folder, fields: parseFieldFilter(filter) }).map((h) => `${h.record.id} ${h.score}`) }));

/** Wait until `cond` holds (a NOTIFY and the reload after it take milliseconds); fails after 5 s. */
async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PostgreSQL search index', { skip }, () => {
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    for (const s of opened) await s.closeAsync().catch(() => {});
    cluster?.stop();
  });

  test('answers every query as the in-memory index does, scores included, on this node and another', async () => {
    const url = await cluster!.freshDb();
    const mem = fillCatalog(createMemoryStore());
    const a = fillCatalog(await open(url));
    await a.flush();
    assert.ok(indexFor(a, 'no') instanceof StoreIndex, 'PostgreSQL is searched through its persistent index');
    const b = await open(url);
    for (const s of [a, b]) {
      for (const lang of ['no', 'en', 'sv']) assert.deepEqual(answers(s, lang), answers(mem, lang), lang);
      assert.deepEqual(answers(s, 'no', 'sk'), answers(mem, 'no', 'sk'));
      assert.deepEqual(answers(s, 'no', undefined, 'title'), answers(mem, 'no', undefined, 'title'));
      assert.deepEqual(searchPage(s, 'personer', { lang: 'no', limit: 2 }), searchPage(mem, 'personer', { lang: 'no', limit: 2 }));
    }
    // a change on one node: the other finds the new version (after its NOTIFY), and no longer the old one
    const c = simpleCube('99001', 'Sauer og lam', [
      { code: 'Region', label: 'region', values: [['0301', 'Oslo']] },
      { code: 'Tid', label: 'tid', time: true, values: TID },
    ]);
    a.putTable(c);
    await a.flush();
    await until(() => searchTables(b, 'sauer', { lang: 'no' }).length === 1, 'the new table on the other node');
    a.putTable({ ...c, meta: { ...c.meta, title: { no: 'Geiter', en: 'Goats' }, contents: { no: 'Geiter', en: 'Goats' } } });
    await a.flush();
    await until(() => searchTables(b, 'geiter', { lang: 'no' }).length === 1, 'the new version on the other node');
    assert.equal(searchTables(b, 'sauer', { lang: 'no' }).length, 0);
    assert.equal(searchTables(a, 'sauer', { lang: 'no' }).length, 0);
    a.deleteTable('99001');
    await a.flush();
    await until(() => searchTables(b, 'geiter', { lang: 'no' }).length === 0, 'the delete on the other node');
  });

  test('a database written before the index existed is indexed at open', async () => {
    const url = await cluster!.freshDb();
    const mem = fillCatalog(createMemoryStore());
    const a = fillCatalog(await open(url));
    await a.flush();
    await a.pool.query('TRUNCATE statbank_search_docs, statbank_search_postings');
    const b = await open(url);
    assert.deepEqual(answers(b, 'no'), answers(mem, 'no'));
  });
});
