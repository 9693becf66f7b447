// Answers prepared ahead of a release (SQLite store, injected clock, the HTTP app in process): the scheduler, shortly
// before the instant, has the query runner answer the queries last asked of the table on the scheduled version into
// the response cache. Before the instant nothing shows them; from the instant the first reader of each is answered
// from memory with the new figures; a query the new version cannot answer is left to answer for itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/app/config.js';
import { createAppContext } from '../../src/app/context.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { ReleaseScheduler } from '../../src/publishing/index.js';
import { stamped } from '../store/cubes.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-answers-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const RELEASE = Date.parse('2026-12-01T07:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

test('the queries last asked are answered on the scheduled version before the instant and served from memory at it', async () => {
  let t = RELEASE - 10 * MIN;
  const store = openSqliteStore(join(dir, 'a.db'), { now: () => t });
  const c1 = stamped('t', [3, 8], 1);
  c1.meta.decimals = 2;
  store.putTable(c1);
  // the new version has lost value 007 of V1
  const c2 = stamped('t', [3, 7], 2);
  c2.meta.decimals = 2;
  store.scheduleTable(c2, { releaseAt: iso(RELEASE) });
  const ctx = createAppContext({ store, config: loadConfig({ maxCalls: 0 }, {}) });
  const app = await buildApp(ctx, { logger: false });
  const sched = new ReleaseScheduler(store, { warmupMs: 5 * MIN, languages: ['no'], answers: ctx.runner });

  const all = '/api/v2/tables/t/data?lang=en&valueCodes[V0]=*&valueCodes[V1]=*&outputFormat=json-stat2';
  const some = '/api/v2/tables/t/data?lang=en&valueCodes[V0]=000&valueCodes[V1]=001,002&outputFormat=json-stat2';
  const gone = '/api/v2/tables/t/data?lang=en&valueCodes[V0]=000&valueCodes[V1]=007&outputFormat=json-stat2';
  const figures = async (url: string) => {
    const r = await app.inject({ url });
    assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
    return [...new Set((JSON.parse(r.body) as { value: (number | null)[] }).value.filter((v) => v !== null))];
  };
  for (const url of [all, some, gone]) assert.deepEqual(await figures(url), [1.25]);
  assert.equal((await app.inject({ url: '/api/v2/tables/t/data?lang=en&valueCodes[V0]=000&outputFormat=px' })).statusCode, 400);

  t = RELEASE - 5 * MIN;
  const warm = await sched.tick();
  assert.deepEqual(warm.answered, [], 'not at warm-up: the queries asked until shortly before the instant count');
  assert.equal(sched.nextWake(), RELEASE - sched.answersLeadMs);

  t = RELEASE - sched.answersLeadMs;
  const ahead = await sched.tick();
  assert.deepEqual(ahead.errors, []);
  assert.deepEqual(
    ahead.answered.map((a) => [a.id, a.version, a.answers]),
    [['t', 2, 2]],
    'the two queries the new version can answer (the one naming the value it lost is left out)',
  );
  assert.equal(sched.nextWake(), RELEASE, 'prepared once');
  assert.deepEqual((await sched.tick()).answered, []);

  // before the instant readers still get the released version, from the cache as before
  t = RELEASE - 1;
  assert.deepEqual(await figures(all), [1.25]);

  t = RELEASE;
  const { hits, misses } = ctx.cache;
  assert.deepEqual(await figures(all), [2.25]);
  assert.deepEqual(await figures(some), [2.25]);
  assert.equal(ctx.cache.hits - hits, 2, 'both answered from memory');
  assert.equal(ctx.cache.misses, misses);
  // the query the new version cannot answer answers for itself, as it would have without preparation
  const r = await app.inject({ url: gone });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /007/);

  await app.close();
  store.close();
});

test('what the runner remembers is bounded: the 16 queries asked last of a table, most recent kept', async () => {
  let t = RELEASE - 10 * MIN;
  const store = openSqliteStore(join(dir, 'b.db'), { now: () => t });
  store.putTable(stamped('t', [20, 8], 1));
  store.scheduleTable(stamped('t', [20, 8], 2), { releaseAt: iso(RELEASE) });
  const ctx = createAppContext({ store, config: loadConfig({ maxCalls: 0 }, {}) });
  const app = await buildApp(ctx, { logger: false });
  const url = (k: number) => `/api/v2/tables/t/data?lang=en&valueCodes[V0]=${String(k).padStart(3, '0')}&valueCodes[V1]=*`;
  for (let k = 0; k < 20; k++) assert.equal((await app.inject({ url: url(k) })).statusCode, 200);
  t = RELEASE - 2_000;
  const rec = store.listScheduled('t')[0].record;
  assert.equal(await ctx.runner.prepareAnswers(rec), 16);
  assert.equal(await ctx.runner.prepareAnswers(rec), 0, 'answers already made are not made again');
  t = RELEASE;
  const misses = ctx.cache.misses;
  for (let k = 4; k < 20; k++) assert.equal((await app.inject({ url: url(k) })).statusCode, 200);
  assert.equal(ctx.cache.misses, misses, 'the 16 asked last were answered ahead');
  await app.inject({ url: url(0) });
  assert.equal(ctx.cache.misses, misses + 1, 'the first asked was forgotten');
  await app.close();
  store.close();
});
