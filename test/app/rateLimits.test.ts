// Every public route family draws from the one rate limiter: past the configured calls it answers 429 with a
// Retry-After from the one rule (seconds until the oldest counted call leaves the window), in its own error shape.
// With scope `shared` all families draw from one budget.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { demoContent, generateDemo } from '../../src/demo/index.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';

const LIMIT = 3;
const WINDOW = 30;

/** One request per route family, each a call that is counted. */
const FAMILIES: Record<string, { method: 'GET' | 'POST'; url: string; payload?: string }> = {
  v1: { method: 'GET', url: '/api/v0/no/table/07459' },
  v2: { method: 'GET', url: '/api/v2/tables/07459' },
  datasets: { method: 'GET', url: '/api/v0/dataset/list.json' },
  pages: { method: 'GET', url: '/statbank/sq/10007797.txt' },
  klass: { method: 'GET', url: '/api/klass/v1/classifications/131' },
  rss: { method: 'GET', url: '/rss/updated' },
};

let demo: Store | undefined;
function demoStore(): Store {
  if (!demo) {
    demo = createMemoryStore();
    generateDemo(demo, { small: true });
  }
  return demo;
}

async function app(scope: 'api' | 'shared'): Promise<FastifyInstance> {
  const config = loadConfig({ maxCalls: LIMIT, timeWindow: WINDOW, rateLimitScope: scope, logLevel: 'silent' }, {});
  return buildApp({ store: demoStore(), config, ...demoContent() }, { logger: false });
}

test('every public route family answers 429 with Retry-After past the limit, in its own shape', async () => {
  const a = await app('api');
  try {
    for (const [family, req] of Object.entries(FAMILIES)) {
      for (let i = 0; i < LIMIT; i++) {
        const r = await a.inject({ ...req, remoteAddress: `10.0.0.${family.length}` });
        assert.notEqual(r.statusCode, 429, `${family} call ${i + 1} of ${LIMIT} passes`);
        assert.ok(r.statusCode < 500, `${family}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      }
      const over = await a.inject({ ...req, remoteAddress: `10.0.0.${family.length}` });
      assert.equal(over.statusCode, 429, `${family}: call ${LIMIT + 1} is refused`);
      const wait = Number(over.headers['retry-after']);
      assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= WINDOW, `${family}: Retry-After ${over.headers['retry-after']}`);
      assert.ok(over.body.length > 0, `${family}: the refusal says why`);
      // another client is not affected
      const other = await a.inject({ ...req, remoteAddress: '192.0.2.99' });
      assert.notEqual(other.statusCode, 429, `${family}: another client passes`);
    }
  } finally {
    await a.close();
  }
});

test('scope "shared": calls to one family use up the budget of all', async () => {
  const a = await app('shared');
  try {
    const client = { remoteAddress: '198.51.100.7' };
    for (let i = 0; i < LIMIT; i++) assert.notEqual((await a.inject({ ...FAMILIES.v2, ...client })).statusCode, 429);
    for (const [family, req] of Object.entries(FAMILIES)) {
      assert.equal((await a.inject({ ...req, ...client })).statusCode, 429, `${family} shares the spent budget`);
    }
  } finally {
    await a.close();
  }
});

test('scope "api": each family counts on its own', async () => {
  const a = await app('api');
  try {
    const client = { remoteAddress: '198.51.100.8' };
    for (let i = 0; i < LIMIT + 1; i++) await a.inject({ ...FAMILIES.v2, ...client });
    assert.equal((await a.inject({ ...FAMILIES.v2, ...client })).statusCode, 429);
    assert.notEqual((await a.inject({ ...FAMILIES.v1, ...client })).statusCode, 429, 'v1 has its own budget');
    assert.notEqual((await a.inject({ ...FAMILIES.rss, ...client })).statusCode, 429, 'RSS has its own budget');
  } finally {
    await a.close();
  }
});
