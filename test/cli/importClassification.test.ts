// An office names the classification a variable follows at import (`--classification Region=131`); the server then
// offers the reform groupings built from Klass for it, through v2 codelists and v1 agg:.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { demoContent, generateDemo } from '../../src/demo/index.js';
import { writePx } from '../../src/formats/px/writer.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { openStore } from '../../src/store/index.js';

const quiet = { stdout: { write: () => true }, stderr: { write: () => true } } as unknown as Parameters<typeof run>[1];

async function codelistIds(dbPath: string): Promise<string[]> {
  const store = openStore(dbPath);
  const app = await buildApp({ store, config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}), ...demoContent() }, { logger: false });
  try {
    const meta = (await app.inject({ url: '/api/v2/tables/07459/metadata?lang=en' })).json();
    const region = meta.dimension.Region.extension.codelists as { id: string }[];
    if (region.some((c) => c.id === 'agg_reform2024')) {
      const v1 = await app.inject({
        method: 'POST',
        url: '/api/v0/en/table/07459',
        payload: JSON.stringify({ query: [{ code: 'Region', selection: { filter: 'agg:reform2024', values: ['1103'] } }], response: { format: 'json-stat2' } }),
      });
      assert.equal(v1.statusCode, 200, v1.body);
      assert.deepEqual(Object.keys(v1.json().dimension.Region.category.index), ['1103']);
    }
    return region.map((c) => c.id);
  } finally {
    await app.close();
    store.close();
  }
}

test('--classification Region=131 at import gives the table its reform groupings; without it there are none', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-class-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const demo = createMemoryStore();
  await generateDemo(demo, { small: true });
  // a PX file has no keyword for a classification: the exported file has none
  writeFileSync(join(dir, '07459.px'), writePx(await demo.getCube('07459')));
  demo.close();

  assert.equal(await run(['import', join(dir, '07459.px'), '--db', join(dir, 'plain.db')], quiet), 0);
  assert.ok(!(await codelistIds(join(dir, 'plain.db'))).includes('agg_reform2024'));

  assert.equal(await run(['import', join(dir, '07459.px'), '--db', join(dir, 'named.db'), '--classification', 'Region=131'], quiet), 0);
  const ids = await codelistIds(join(dir, 'named.db'));
  assert.ok(ids.includes('agg_reform2024') && ids.includes('agg_reform2020'), ids.join(', '));

  assert.equal(await run(['import', join(dir, '07459.px'), '--db', join(dir, 'bad.db'), '--classification', 'Region'], quiet), 1);

  // a variable that mixes levels names both classifications: counties (104) join the municipalities (131); the
  // symbol of a code in a year it did not exist (PX has no keyword for it) is named too, so sums skip those cells
  assert.equal(await run(['import', join(dir, '07459.px'), '--db', join(dir, 'both.db'), '--classification', 'Region=131,104', '--absent', 'Region=.'], quiet), 0);
  const county = async (dbPath: string) => {
    const store = openStore(dbPath);
    const app = await buildApp({ store, config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}), ...demoContent() }, { logger: false });
    try {
      const r = await app.inject({ url: '/api/v2/tables/07459/data?lang=en&outputFormat=json-stat2&codelist[Region]=agg_reform2024&valueCodes[Region]=50&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=2015' });
      return { status: r.statusCode, value: r.statusCode === 200 ? (r.json().value as (number | null)[])[0] : undefined };
    } finally {
      await app.close();
      store.close();
    }
  };
  const both = await county(join(dir, 'both.db'));
  assert.equal(both.status, 200);
  assert.ok(typeof both.value === 'number' && both.value > 0, 'Trøndelag 2015 = Sør- + Nord-Trøndelag');
  // with municipalities only, 50 is no target of the grouping
  assert.equal((await county(join(dir, 'named.db'))).status, 400);
  // the same number as the demo's own table (where the generator set both)
  const demoStore = createMemoryStore();
  await generateDemo(demoStore, { small: true });
  const demoApp = await buildApp({ store: demoStore, config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}), ...demoContent() }, { logger: false });
  const fromDemo = (await demoApp.inject({ url: '/api/v2/tables/07459/data?lang=en&outputFormat=json-stat2&codelist[Region]=agg_reform2024&valueCodes[Region]=50&valueCodes[ContentsCode]=Personer1&valueCodes[Tid]=2015' })).json().value[0];
  await demoApp.close();
  assert.equal(both.value, fromDemo);
  // a symbol the table does not have is a clear error
  assert.equal(await run(['import', join(dir, '07459.px'), '--db', join(dir, 'nosym.db'), '--absent', 'Region=?'], quiet), 1);
  // republished without the flags (a PX file cannot say them), the new version keeps both
  const next = await demoStore.getCube('07459');
  const revised = { ...next, values: Float64Array.from(next.values) };
  revised.values[revised.values.length - 1] += 1; // a revised figure: a new version, not an unchanged file
  writeFileSync(join(dir, '07459-revised.px'), writePx(revised));
  demoStore.close();
  const out: string[] = [];
  const capture = { stdout: { write: (c: string) => (out.push(String(c)), true) }, stderr: { write: (c: string) => (out.push(String(c)), true) } } as unknown as Parameters<typeof run>[1];
  assert.equal(await run(['import', join(dir, '07459-revised.px'), '--db', join(dir, 'both.db'), '--id', '07459'], capture), 0);
  assert.match(out.join(''), /kept the previous version's classification 131,104/);
  const again = await county(join(dir, 'both.db'));
  assert.equal(again.value, fromDemo);
});
