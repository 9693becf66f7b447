// The series across the reforms, in the 2024 structure, through the project's client library over real HTTP: API
// v1 (agg:) and PxWebApi 2.0 (codelist) give the same numbers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { PxWebClient } from '../../src/client/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { demoContent, generateDemo } from '../../src/demo/index.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';

test('the client reads the 2024 structure through v1 agg: and v2 codelist alike', async () => {
  const store = createMemoryStore();
  await generateDemo(store, { small: true });
  const app = await buildApp({ store, config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}), ...demoContent() }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  try {
    const sel = (codelist: string) => ({ Region: { codes: ['1103', '3107'], codelist }, Kjonn: [] as string[], Alder: [] as string[], ContentsCode: '*', Tid: ['2018', '2019', '2020', '2024'] });
    const v2 = await PxWebClient.v2(`${base}/api/v2`, { lang: 'en' }).fetchCube('07459', sel('agg_reform2024'));
    const v1 = await PxWebClient.v1(`${base}/api/v0`, { lang: 'en' }).fetchCube('07459', sel('agg:reform2024'));
    assert.equal(v2.values.length, 2 * 4);
    assert.deepEqual([...v1.values], [...v2.values]);
    assert.ok([...v2.values].every((x) => Number.isFinite(x) && x > 0), 'merged municipalities sum to numbers in every year');
  } finally {
    await app.close();
  }
});
