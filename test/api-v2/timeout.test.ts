// A v2 data query slower than queryTimeoutMs answers a 503 problem; a fast one is unaffected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testServer } from './cubes.js';

test('a data query over the time limit answers 503 with a problem object', async () => {
  const slow = await testServer({ queryTimeoutMs: 20 });
  const real = slow.store.getCube.bind(slow.store);
  slow.store.getCube = async (id: string) => {
    await new Promise((r) => setTimeout(r, 200));
    return real(id);
  };
  try {
    const r = await slow.app.inject({ method: 'GET', url: '/api/v2/tables/05810/data?lang=en' });
    assert.equal(r.statusCode, 503);
    const body = JSON.parse(r.body);
    assert.equal(body.status, 503);
    assert.equal(body.title, 'Query timeout');
  } finally {
    await slow.app.close();
  }
  const fast = await testServer({ queryTimeoutMs: 5000 });
  try {
    const r = await fast.app.inject({ method: 'GET', url: '/api/v2/tables/05810/data?lang=en' });
    assert.equal(r.statusCode, 200);
  } finally {
    await fast.app.close();
  }
});
