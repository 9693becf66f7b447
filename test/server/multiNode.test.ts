// Several nodes for real: three server processes on loopback share one PostgreSQL database and one Redis. The rate
// limit is counted across them, a saved query made on one is read on another, a scheduled release is served by all
// from its instant on and never before, and killing one node under load leaves the others answering.
// Separate processes are the point here, so the nodes are spawned; each is used once it prints its address.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDemo } from '../../src/demo/index.js';
import { closeStore, openStoreUrl } from '../../src/store/index.js';
import { pgSkip, startPgCluster, type PgCluster } from '../store/pgCluster.js';
import { build07459 } from '../query/cube07459.js';
import { cli } from '../cli/runCli.js';
import { freePort } from '../freePort.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const REDIS = '/usr/bin/redis-server';
const skip = pgSkip || (!existsSync(REDIS) && 'redis-server not installed');
const MAX_CALLS = 5;


/** Spawn and resolve once `ready` matches the output. */
function start(cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; out: () => string }> {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((res, rej) => {
    const on = (d: Buffer) => {
      out += d;
      if (ready.test(out)) res({ child, out: () => out });
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.on('exit', (code) => rej(new Error(`${cmd} exited (${code}) before it was ready:\n${out}`)));
  });
}

describe('three nodes on PostgreSQL and Redis', { skip }, () => {
  let pg: PgCluster;
  let db: string;
  let redis: ChildProcess;
  const nodes: { child: ChildProcess; base: string }[] = [];

  before(async () => {
    pg = await startPgCluster();
    db = await pg.freshDb();
    const store = await openStoreUrl(db);
    await generateDemo(store, { small: true });
    await closeStore(store);
    const redisPort = await freePort();
    redis = (await start(REDIS, ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/)).child;
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const { child } = await start(
        process.execPath,
        ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--db', db, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'],
        {
          STATBANK_SUPERVISE: '0',
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
          STATBANK_MAX_CALLS: String(MAX_CALLS),
          STATBANK_TIME_WINDOW: '60',
          // each step of the test is its own client
          STATBANK_CLIENT_IP_HEADER: 'x-client',
        },
        /listening on http/,
      );
      nodes.push({ child, base: `http://127.0.0.1:${port}` });
    }
    // every node has found Redis before the shared limit is tested
    await Promise.all(nodes.map(async (n) => {
      for (;;) {
        const r = await fetch(`${n.base}/healthz`);
        if ((await r.json()).rateLimits === 'shared') return;
        await new Promise((r2) => setTimeout(r2, 50));
      }
    }));
  });

  after(async () => {
    const running = nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
    const exits = running.map((n) => new Promise((r) => n.child.once('exit', r)));
    for (const n of running) n.child.kill('SIGTERM');
    await Promise.all(exits);
    redis?.kill('SIGTERM');
    pg?.stop();
  });

  test('the rate limit is counted across the nodes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < MAX_CALLS + 1; i++) {
      const n = nodes[i % nodes.length];
      statuses.push((await fetch(`${n.base}/api/v2/tables/07459`, { headers: { 'x-client': 'spread' } })).status);
    }
    assert.deepEqual(statuses, [...Array(MAX_CALLS).fill(200), 429]);
    // and on every node the client is over its limit now
    for (const n of nodes) assert.equal((await fetch(`${n.base}/api/v2/config`, { headers: { 'x-client': 'spread' } })).status, 200, '/config is never counted');
    for (const n of nodes) assert.equal((await fetch(`${n.base}/api/v2/tables`, { headers: { 'x-client': 'spread' } })).status, 429);
    // another client is not affected
    assert.equal((await fetch(`${nodes[0].base}/api/v2/tables/07459`, { headers: { 'x-client': 'other' } })).status, 200);
  });

  test('a saved query made on one node is read on another', async () => {
    const made = await fetch(`${nodes[0].base}/statbank/sq`, {
      method: 'POST',
      headers: { 'x-client': 'saver' },
      body: JSON.stringify({ tableId: '07459', language: 'no', query: [{ code: 'Tid', selection: { filter: 'top', values: ['2'] } }], response: { format: 'csv2' } }),
    });
    assert.equal(made.status, 201);
    const { id } = (await made.json()) as { id: string };
    const read = await fetch(`${nodes[2].base}/api/v2/savedqueries/${id}`, { headers: { 'x-client': 'reader' } });
    assert.equal(read.status, 200);
    assert.equal(((await read.json()) as { savedQuery: { tableId: string } }).savedQuery.tableId, '07459');
  });

  test('a scheduled release is served by every node from its instant on, never before', async () => {
    const store = await openStoreUrl(db);
    const releaseAt = Date.now() + 8000;
    store.scheduleTable(build07459({ id: '07459', lastYear: 2030 }), { releaseAt: new Date(releaseAt).toISOString() });
    await closeStore(store);
    let k = 0;
    const headers = () => ({ 'x-client': `release-${k++}` });
    // readiness: every node has heard of the coming release (its calendar lists it) before the instant
    for (const n of nodes) {
      for (;;) {
        const feed = await (await fetch(`${n.base}/rss/coming?lang=en`, { headers: headers() })).text();
        if (feed.includes('<item>')) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    assert.ok(Date.now() < releaseAt, 'the nodes learned of the release before its instant');
    /** The last period a node answers, with when the request was sent and answered. */
    const ask = async (n: { base: string }) => {
      const sent = Date.now();
      const r = await fetch(`${n.base}/api/v2/tables/07459`, { headers: headers() });
      assert.equal(r.status, 200);
      const last = ((await r.json()) as { lastPeriod: string }).lastPeriod;
      return { sent, answered: Date.now(), last };
    };
    // the server decides between sending and answering: answered before the instant = old, sent after it = new
    const after = new Set<number>();
    while (after.size < nodes.length) {
      for (const [i, n] of nodes.entries()) {
        const a = await ask(n);
        if (a.answered < releaseAt) assert.notEqual(a.last, '2030', 'no node shows the release early');
        if (a.sent >= releaseAt) {
          assert.equal(a.last, '2030', 'every node shows the release from its instant on');
          after.add(i);
        }
      }
      if (Date.now() < releaseAt) await new Promise((r) => setTimeout(r, 25));
    }
  });

  test('a dataset defined through the admin API on one node is served by the others (Redis carries the change)', async () => {
    const made = await cli(['token', 'create', '--db', db, '--name', 'multi-node', '--scope', 'admin', '--json']);
    assert.equal(made.status, 0, made.stderr);
    const { token } = JSON.parse(made.stdout) as { token: string };
    const put = await fetch(`${nodes[0].base}/api/admin/datasets/4343`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-client': 'admin' },
      body: JSON.stringify({ tableId: '07459', title: { no: 'Folketall i Oslo', en: 'Population of Oslo' }, query: [{ code: 'Region', selection: { filter: 'item', values: ['0301'] } }] }),
    });
    assert.ok(put.status < 300, await put.text());
    // readiness: each other node serves the dataset once the message has reached it (never a restart, never a poll
    // of the database: without the message they would answer 404 until restarted)
    let k = 0;
    const giveUp = Date.now() + 30_000; // a guard against hanging, not a timing assertion
    for (const n of nodes.slice(1)) {
      for (;;) {
        assert.ok(Date.now() < giveUp, `${n.base} never learned of the dataset`);
        const r = await fetch(`${n.base}/api/v0/dataset/4343.json?lang=en`, { headers: { 'x-client': `ds-${k++}` } });
        if (r.status === 200) {
          const ds = (await r.json()) as { dataset: { dimension: { Region: { category: { index: Record<string, number> } } } } };
          assert.deepEqual(Object.keys(ds.dataset.dimension.Region.category.index), ['0301']);
          break;
        }
        assert.equal(r.status, 404);
        await r.arrayBuffer();
        await new Promise((r2) => setTimeout(r2, 25));
      }
    }
    for (const n of nodes) assert.equal(((await (await fetch(`${n.base}/healthz`)).json()) as { messages: string }).messages, 'shared');
  });

  test('killing one node under load leaves the others answering without errors', async () => {
    const victim = nodes[2];
    const alive = nodes.slice(0, 2);
    let errors = 0;
    let answered = 0;
    let stop = false;
    const load = alive.map(async (n, i) => {
      let j = 0;
      while (!stop) {
        const r = await fetch(`${n.base}/api/v0/no/table/07459`, { headers: { 'x-client': `load-${i}-${j++ % 50}` } }).catch(() => undefined);
        if (!r || r.status !== 200) errors++;
        else answered++;
        await r?.arrayBuffer();
      }
    });
    // load is running: kill the third node, then keep the load on until the others have answered a while more
    while (answered < 20) await new Promise((r) => setTimeout(r, 10));
    victim.child.kill('SIGKILL');
    await new Promise((r) => victim.child.once('exit', r));
    const after = answered;
    while (answered < after + 40) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all(load);
    assert.equal(errors, 0);
    for (const n of alive) assert.equal((await fetch(`${n.base}/healthz`)).status, 200);
  });
});
