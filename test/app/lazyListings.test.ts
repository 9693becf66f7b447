// Listings read the record summary: navigating, listing and searching a catalogue must not load the tables' full
// metadata (on a large SQLite catalogue it is read on first use into a byte-bounded cache). The store's metadata
// cache counts each read, so the test sees any listing path that slips back to `rec.meta`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { loadConfig } from '../../src/app/config.js';
import { buildApp } from '../../src/server/app.js';
import { createMemorySavedQueryStore } from '../../src/savedQueries/savedQueries.js';
import { build03024, build05810 } from '../api-v2/cubes.js';
import type { Cube } from '../../src/core/model.js';

function renamed(cube: Cube, id: string): Cube {
  return { ...cube, meta: { ...cube.meta, id, matrix: `M${id}` } };
}

test('folder lists, search, /tables pages and RSS never load full metadata; one table read loads one', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-lazy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'lazy.db');
  const writer = openSqliteStore(path);
  writer.putFolder('be', { no: 'Befolkning', en: 'Population' });
  writer.putFolder('be/be01', { no: 'Folketall', en: 'Population count' });
  writer.putFolder('nr', { no: 'Nasjonalregnskap', en: 'National accounts' });
  for (let i = 0; i < 12; i++) {
    const id = String(10000 + i);
    writer.putTable(renamed(i % 2 ? build05810() : build03024(), id), { folders: [i % 3 ? 'be/be01' : 'nr'] });
  }
  writer.close();

  const store = openSqliteStore(path);
  const app = await buildApp({ store, config: loadConfig({ baseUrl: 'http://localhost' }, {}), savedQueries: createMemorySavedQueryStore() }, { logger: false });
  t.after(async () => {
    await app.close();
    store.close();
  });
  const loads = () => store.metaCacheStats().misses + store.metaCacheStats().hits;
  const before = loads();

  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url });
    assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 200)}`);
    return r;
  };
  const root = (await get('/api/v0/en/table/')).json() as { id: string }[];
  assert.deepEqual(root.map((x) => x.id).sort(), ['be', 'nr']);
  const folder = (await get('/api/v0/en/table/be/be01')).json() as { id: string; text: string; type: string }[];
  assert.equal(folder.length, 8);
  // the node text carries the time span, taken from the summary
  assert.match(folder[0].text, /^\d{5}: .+ \S+ - \S+$/);
  const hits = (await get('/api/v0/en/table/?query=*')).json() as unknown[];
  assert.ok(hits.length >= 12);
  const page = (await get('/api/v2/tables?lang=en&pageSize=5&pageNumber=2')).json() as { tables: { id: string; firstPeriod: string; variableNames: string[] }[] };
  assert.equal(page.tables.length, 5);
  assert.ok(page.tables.every((x) => x.firstPeriod && x.variableNames.length >= 3));
  await get('/api/v2/tables?lang=en&query=10003');
  await get('/rss/updated?lang=en');
  assert.equal(loads() - before, 0, 'a listing read the full metadata of a table');

  // reading one table's metadata loads that table's metadata (and no other)
  await get('/api/v2/tables/10003/metadata?lang=en');
  assert.equal(store.metaCacheStats().entries, 1);
});
