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
});
