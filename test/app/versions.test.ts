// asOf and versions: `?version=N` and `?asOf=<time>` answer with the version that was public then, through API v1
// and v2 alike; never a version under embargo. `/api/v2/tables/{id}/versions` lists the released ones.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import { build07459 } from '../query/cube07459.js';

test('version and asOf pick the version public then; the embargoed one is never reachable', async () => {
  let now = Date.parse('2026-03-01T06:00:00Z');
  const store = createMemoryStore({ now: () => now });
  store.putTable(build07459({ lastYear: 2023 }), { published: '2024-02-20T07:00:00Z' });
  store.putTable(build07459({ lastYear: 2024 }), { published: '2025-02-20T07:00:00Z' });
  store.scheduleTable(build07459({ lastYear: 2025 }), { releaseAt: '2026-03-01T07:00:00Z' });
  const app = await buildApp({ store, config: loadConfig({ maxCalls: 0, logLevel: 'silent' }, {}) }, { logger: false });
  const lastYearOf = async (url: string) => {
    const r = await app.inject({ method: 'GET', url });
    assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
    const j = r.json();
    const tid = j.dimension?.Tid ?? j.variables?.find((v: { code: string }) => v.code === 'Tid');
    const codes: string[] = tid.category ? Object.keys(tid.category.index) : tid.values;
    return codes[codes.length - 1];
  };
  try {
    assert.equal(await lastYearOf('/api/v2/tables/07459/metadata'), '2024');
    assert.equal(await lastYearOf('/api/v2/tables/07459/metadata?version=1'), '2023');
    assert.equal(await lastYearOf('/api/v2/tables/07459/metadata?asOf=2024-06-01'), '2023');
    assert.equal(await lastYearOf('/api/v2/tables/07459/metadata?asOf=2025-02-20T07:00:00Z'), '2024');
    assert.equal(await lastYearOf('/api/v2/tables/07459/data?version=1&valueCodes[Tid]=*&valueCodes[Region]=0301&valueCodes[ContentsCode]=*'), '2023');
    assert.equal(await lastYearOf('/api/v0/no/table/07459?version=1'), '2023');
    assert.equal(await lastYearOf('/api/v0/no/table/07459?asOf=2025-03-01'), '2024');
    // v1 data at a version: the POST answers from that version's cells
    const post = await app.inject({
      method: 'POST',
      url: '/api/v0/no/table/07459?version=1',
      payload: JSON.stringify({ query: [{ code: 'Tid', selection: { filter: 'top', values: ['1'] } }], response: { format: 'json-stat2' } }),
    });
    assert.deepEqual(Object.keys(post.json().dimension.Tid.category.index), ['2023']);

    // the scheduled version: not by number, not by a time after its release, not in the list
    for (const url of ['/api/v2/tables/07459/metadata?version=3', '/api/v0/no/table/07459?version=3']) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url);
    }
    assert.equal(await lastYearOf('/api/v2/tables/07459/metadata?asOf=2030-01-01'), '2024');
    const list = (await app.inject({ method: 'GET', url: '/api/v2/tables/07459/versions' })).json();
    assert.deepEqual(list.versions.map((v: { version: number }) => v.version), [1, 2]);
    assert.deepEqual(list.versions.map((v: { current: boolean }) => v.current), [false, true]);
    assert.equal(Date.parse(list.versions[0].released), Date.parse('2024-02-20T07:00:00Z'));

    // garbage: clear 404s
    for (const url of ['/api/v2/tables/07459/metadata?version=x', '/api/v2/tables/07459/metadata?asOf=yesterday', '/api/v2/tables/07459/metadata?asOf=2000-01-01']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.match(r.body, /version|asOf|public/, url);
    }

    // after the release instant, version 3 is public and is the newest
    now = Date.parse('2026-03-01T07:00:00Z');
    assert.equal(await lastYearOf('/api/v2/tables/07459/metadata?version=3'), '2025');
    assert.equal(await lastYearOf('/api/v2/tables/07459/metadata?asOf=2026-03-01T06:59:59Z'), '2024');
  } finally {
    await app.close();
  }
});
