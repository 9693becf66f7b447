// Push at release under a clock the test moves: SSE subscribers and webhooks hear nothing before the release
// instant (not even the headline changes), and exactly one event each after it; webhook calls are signed (checked
// by a receiver written here), retried after a failure, delivered once although two processes' feeds notice the
// release; the headline and the change record are made on the new version.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { ReleaseFeed, type ReleaseEvent } from '../../src/admin/feed.js';
import { verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, signPayload } from '../../src/admin/webhooks.js';
import { cube } from '../store/cubes.js';
import { harness, T0 } from '../admin/helpers.js';

const HOUR = 3_600_000;

/** An SSE client: resolves frames as they come. */
function sse(url: string): Promise<{ events: ReleaseEvent[]; next(): Promise<ReleaseEvent>; count(n: number): Promise<void>; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = get(url, (res: IncomingMessage) => {
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/event-stream/);
      const events: ReleaseEvent[] = [];
      const waiting: ((e: ReleaseEvent) => void)[] = [];
      let buf = '';
      let ready = false;
      const client = {
        events,
        next: () => new Promise<ReleaseEvent>((r) => waiting.push(r)),
        /** Resolves once `n` events have arrived (at once if they have). */
        count: async (n: number) => {
          while (events.length < n) await new Promise<ReleaseEvent>((r) => waiting.push(r));
        },
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, at);
          buf = buf.slice(at + 2);
          if (!ready) {
            ready = true; // the opening comment: subscribed
            resolve(client);
          }
          const data = /^data: (.*)$/m.exec(frame);
          if (!/^event: release$/m.test(frame) || !data) continue;
          const ev = JSON.parse(data[1]) as ReleaseEvent;
          assert.match(frame, new RegExp(`^id: ${ev.id.replace('.', '\\.')}$`, 'm'));
          events.push(ev);
          waiting.shift()?.(ev);
        }
      });
    });
    req.on('error', reject);
  });
}

interface Hit {
  body: string;
  valid: boolean;
  replayedValid: boolean;
}

/** A webhook receiver that checks signatures with the hook's secret (set once the hook exists). */
async function receiver(now: () => number, failFirst = 0): Promise<{ server: Server; url: string; hits: Hit[]; secret: { value: string }; hit(): Promise<Hit> }> {
  const hits: Hit[] = [];
  const secret = { value: '' };
  const waiting: ((h: Hit) => void)[] = [];
  let calls = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const headers = { signature: String(req.headers[SIGNATURE_HEADER]), timestamp: String(req.headers[TIMESTAMP_HEADER]) };
      const hit: Hit = {
        body,
        valid: verifySignature(secret.value, body, headers, now()),
        // the same call replayed ten minutes later is refused
        replayedValid: verifySignature(secret.value, body, headers, now() + 600_000),
      };
      hits.push(hit);
      res.statusCode = ++calls <= failFirst ? 500 : 204;
      res.end();
      waiting.shift()?.(hit);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits, secret, hit: () => new Promise((r) => waiting.push(r)) };
}

test('SSE and webhooks at a release: nothing before the instant, one event per subscriber after, signed and delivered once', async () => {
  const h = await harness({ baseDelayMs: 1 });
  const base = `http://127.0.0.1:${((await h.app.listen({ port: 0, host: '127.0.0.1' }), h.app.server.address()) as AddressInfo).port}`;
  const adminAuth = { authorization: `Bearer ${await h.token('admin')}` };
  const good = await receiver(() => h.store.now(), 1);
  const other = await receiver(() => h.store.now());
  const clients: Awaited<ReturnType<typeof sse>>[] = [];
  try {
    h.store.putFolder('uh', { no: 'Handel', en: 'Trade' });
    h.store.putTable(cube('90002', [2, 3], (i) => i * 1000, 'Handel'), { folders: ['uh'] });
    h.store.putTable(cube('90003', [2], (i) => i, 'Annet'), { folders: [] });
    await h.admin.feed.check();

    // a headline and two webhooks (one for another table)
    const hl = await h.app.inject({
      method: 'PUT',
      url: '/api/admin/headlines/handel',
      headers: adminAuth,
      payload: { tableId: '90002', template: 'TRADE {V1:label:en} {V0:code} NK{value:0.0} BLN', query: { V0: '001', V1: 'latest' }, scale: 0.001 },
    });
    assert.equal(hl.statusCode, 200, hl.body);
    assert.equal(hl.json().current.text, 'TRADE value 2 001 NK5.0 BLN');
    const hook = (await h.app.inject({ method: 'POST', url: '/api/admin/webhooks', headers: adminAuth, payload: { url: good.url, subject: 'uh' } })).json();
    good.secret.value = hook.secret;
    assert.match(hook.secret, /^whsec_/);
    const hook2 = (await h.app.inject({ method: 'POST', url: '/api/admin/webhooks', headers: adminAuth, payload: { url: other.url, table: '90003' } })).json();
    other.secret.value = hook2.secret;
    const listed = (await h.app.inject({ method: 'GET', url: '/api/admin/webhooks', headers: adminAuth })).json().webhooks;
    assert.ok(listed.every((w: object) => !('secret' in w)), 'secrets are never listed');

    clients.push(await sse(`${base}/api/events`), await sse(`${base}/api/events?table=90002`), await sse(`${base}/api/events?subject=uh`), await sse(`${base}/api/events?table=90003`));
    // a second process on the same database: its own feed, the same admin store
    const otherProcess = new ReleaseFeed(h.store, h.admin.adminStore, { baseUrl: 'https://stat.example', delivery: h.admin.feed.delivery });
    otherProcess.prime();
    const otherEvents: ReleaseEvent[] = [];
    otherProcess.subscribe((evs) => otherEvents.push(...evs));

    const release = T0 + HOUR;
    h.store.scheduleTable(cube('90002', [2, 3], (i) => i * 2000, 'Handel ny'), { releaseAt: new Date(release).toISOString() });

    // one millisecond before: nothing anywhere, not even in the headline
    h.at(release - 1);
    assert.deepEqual(await h.admin.feed.check(), []);
    assert.deepEqual(await otherProcess.check(), []);
    await h.admin.feed.idle();
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/events/headlines/handel' })).json().text, 'TRADE value 2 001 NK5.0 BLN');
    assert.deepEqual((await h.app.inject({ method: 'GET', url: '/api/changes?table=90002' })).json().changes.map((c: { version: number }) => c.version), [1]);

    // the instant: one event, with links and the headline on the new version
    h.at(release);
    const nexts = clients.slice(0, 3).map((c) => c.next());
    const firstHit = good.hit();
    const [ev] = await h.admin.feed.check();
    assert.equal(ev.id, '90002@2');
    assert.equal(ev.released, new Date(release).toISOString());
    assert.equal(ev.title, 'Handel ny');
    assert.equal(ev.links.v2.data, 'https://stat.example/api/v2/tables/90002/data');
    assert.equal(ev.links.v1.metadata, 'https://stat.example/api/v0/no/table/90002');
    assert.deepEqual(ev.headlines.map((x) => x.text), ['TRADE value 2 001 NK10.0 BLN']);
    const wire = JSON.parse(JSON.stringify(ev));
    for (const got of await Promise.all(nexts)) assert.deepEqual(got, wire);
    assert.deepEqual((await otherProcess.check()).map((e) => e.id), ['90002@2']);

    // webhooks: the first call fails (500) and is retried; each call is signed and not replayable
    await h.admin.feed.idle();
    await otherProcess.idle();
    await firstHit;
    assert.equal(good.hits.length, 2, 'one failed call, one retry, and nothing from the other process');
    for (const hit of good.hits) {
      assert.equal(hit.valid, true);
      assert.equal(hit.replayedValid, false);
      assert.deepEqual(JSON.parse(hit.body), wire);
    }
    assert.equal(verifySignature('wrong secret', good.hits[0].body, { signature: signPayload(hook.secret, 1, good.hits[0].body), timestamp: '1' }, 1000), false);
    const deliveries = (await h.app.inject({ method: 'GET', url: `/api/admin/webhooks/${hook.id}/deliveries`, headers: adminAuth })).json().deliveries;
    assert.deepEqual(deliveries.map((d: { eventId: string; status: string; attempts: number; lastStatus: number }) => [d.eventId, d.status, d.attempts, d.lastStatus]), [['90002@2', 'delivered', 2, 204]]);

    // a release of the other table reaches only its subscribers; the first three see it after their one event
    h.store.putTable(cube('90003', [3], (i) => i, 'Annet'));
    const otherHit = other.hit();
    await h.admin.feed.check();
    await clients[3].count(1);
    assert.equal(clients[3].events[0].id, '90003@2');
    await otherHit;
    await h.admin.feed.idle();
    await clients[0].count(2);
    assert.deepEqual(clients.map((c) => c.events.map((e) => e.id)), [['90002@2', '90003@2'], ['90002@2'], ['90002@2'], ['90003@2']]);
    assert.equal(other.hits.length, 1);
    assert.equal(other.hits[0].valid, true);
    assert.equal(good.hits.length, 2);

    // after the release: the public headline and the change record
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/events/headlines/handel' })).json().text, 'TRADE value 2 001 NK10.0 BLN');
    const changes = (await h.app.inject({ method: 'GET', url: '/api/changes?table=90002' })).json().changes;
    assert.deepEqual(changes.map((c: { version: number; previousVersion: number }) => [c.version, c.previousVersion]), [[2, 1], [1, undefined]]);
    const rss = await h.app.inject({ method: 'GET', url: '/api/changes.rss' });
    assert.match(String(rss.headers['content-type']), /rss/);
    // 90003 got a value, 90002 only new numbers and title: only the first is a structural change
    assert.match(rss.body, /statbank:changes:90003:v2/);
    assert.match(rss.body, /V0: 1 value\(s\) added \(002\)/);
    assert.doesNotMatch(rss.body, /statbank:changes:90002:v2/);
    await otherProcess.close();
  } finally {
    for (const c of clients) c.close();
    good.server.close();
    other.server.close();
    await h.close();
  }
});
