// SSE reconnection under a clock the test moves: a client that comes back with Last-Event-ID gets the events it
// missed while away, and only those (its filter applies, nothing it saw comes again), before the opening comment
// that says it is subscribed; never an event of a release whose time has not come; and an event keeps its id
// (`<table>@<version>`) whichever connection delivers it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cube } from '../store/cubes.js';
import { harness, T0 } from '../admin/helpers.js';

const HOUR = 3_600_000;

interface Frame {
  id: string;
  event: string;
  data: { id: string; table: string; version: number; released: string };
}

interface Client {
  /** Release frames received, in order. */
  frames: Frame[];
  /** Resolves once `n` release frames have arrived. */
  count(n: number): Promise<void>;
  close(): void;
}

/** Connects; resolves once the opening comment arrived (every replayed frame comes before it). */
function connect(url: string, lastEventId?: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    let req: ClientRequest;
    const frames: Frame[] = [];
    const waiting: (() => void)[] = [];
    const client: Client = {
      frames,
      count: async (n) => {
        while (frames.length < n) await new Promise<void>((r) => waiting.push(r));
      },
      close: () => req.destroy(),
    };
    req = get(url, { headers: lastEventId ? { 'last-event-id': lastEventId } : {} }, (res: IncomingMessage) => {
      assert.equal(res.statusCode, 200);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          if (block.startsWith(': statbank release events')) {
            resolve(client);
            continue;
          }
          const field = (name: string) => new RegExp(`^${name}: (.*)$`, 'm').exec(block)?.[1];
          const event = field('event');
          if (!event) continue; // keep-alive comments
          frames.push({ id: field('id')!, event, data: JSON.parse(field('data')!) });
          for (const w of waiting.splice(0)) w();
        }
      });
    });
    req.on('error', reject);
  });
}

const ids = (c: Client) => c.frames.map((f) => f.id);

test('Last-Event-ID: a reconnecting client gets exactly the events it missed, with the same ids, never one under embargo', async () => {
  const h = await harness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/api/events`;
  const open: Client[] = [];
  const track = async (p: Promise<Client>) => {
    const c = await p;
    open.push(c);
    return c;
  };
  try {
    h.store.putTable(cube('90002', [2, 3], (i) => i, 'Handel'));
    h.store.putTable(cube('90003', [2], (i) => i, 'Annet'));
    await h.admin.feed.check(); // the first snapshot: the tables already out are not events

    const all = await track(connect(base));
    const trade = await track(connect(`${base}?table=90002`));
    const watcher = await track(connect(base)); // stays connected throughout: the ids as first delivered

    // release 1 at T0 + 1 h: both clients hear 90002@2
    h.store.scheduleTable(cube('90002', [2, 3], (i) => i * 2, 'Handel'), { releaseAt: new Date(T0 + HOUR).toISOString() });
    h.at(T0 + HOUR);
    assert.deepEqual((await h.admin.feed.check()).map((e) => e.id), ['90002@2']);
    await Promise.all([all.count(1), trade.count(1), watcher.count(1)]);
    assert.deepEqual(ids(all), ['90002@2']);
    assert.deepEqual(ids(trade), ['90002@2']);

    // both go away; meanwhile 90003@2 and 90002@3 are released, and 90002@4 is scheduled for later
    all.close();
    trade.close();
    h.store.scheduleTable(cube('90003', [2], (i) => i * 3, 'Annet'), { releaseAt: new Date(T0 + 2 * HOUR).toISOString() });
    h.store.scheduleTable(cube('90002', [2, 3], (i) => i * 4, 'Handel'), { releaseAt: new Date(T0 + 3 * HOUR).toISOString() });
    h.store.scheduleTable(cube('90002', [2, 3], (i) => i * 5, 'Handel'), { releaseAt: new Date(T0 + 5 * HOUR).toISOString() });
    h.at(T0 + 2 * HOUR);
    assert.deepEqual((await h.admin.feed.check()).map((e) => e.id), ['90003@2']);
    h.at(T0 + 3 * HOUR);
    assert.deepEqual((await h.admin.feed.check()).map((e) => e.id), ['90002@3']);
    await watcher.count(3);
    assert.deepEqual(ids(watcher), ['90002@2', '90003@2', '90002@3']);

    // the clock is past 90002@4's warm-up but not its release: it must not come with the replay
    h.at(T0 + 5 * HOUR - 1);
    assert.deepEqual(await h.admin.feed.check(), []);

    // reconnecting: the missed events, in order, filtered as the stream asks, before the opening comment
    const all2 = await track(connect(base, ids(all).at(-1)));
    assert.deepEqual(ids(all2), ['90003@2', '90002@3'], 'what the client missed, and only that');
    const trade2 = await track(connect(`${base}?table=90002`, ids(trade).at(-1)));
    assert.deepEqual(ids(trade2), ['90002@3'], 'the filter applies to the replay');
    // the same event has the same id and body on every connection
    for (const f of [...all2.frames, ...trade2.frames]) {
      const first = watcher.frames.find((w) => w.id === f.id);
      assert.ok(first, f.id);
      assert.deepEqual(f, first);
      assert.equal(f.event, 'release');
      assert.equal(f.id, `${f.data.table}@${f.data.version}`);
    }

    // a client that saw everything gets nothing again; one with an id this process never announced (another
    // process's, or one from before this process started) gets no guesswork replay, only live events
    const upToDate = await track(connect(base, '90002@3'));
    assert.deepEqual(ids(upToDate), []);
    const unknown = await track(connect(base, '99999@7'));
    assert.deepEqual(ids(unknown), []);
    const fromEmbargo = await track(connect(base, '90002@4'));
    assert.deepEqual(ids(fromEmbargo), [], 'an id of a release still under embargo hints nothing');

    // the instant of 90002@4: every connected client hears it once, live
    h.at(T0 + 5 * HOUR);
    assert.deepEqual((await h.admin.feed.check()).map((e) => e.id), ['90002@4']);
    await Promise.all([all2.count(3), trade2.count(2), upToDate.count(1), unknown.count(1), fromEmbargo.count(1), watcher.count(4)]);
    assert.deepEqual(ids(all2), ['90003@2', '90002@3', '90002@4']);
    assert.deepEqual(ids(trade2), ['90002@3', '90002@4']);
    assert.deepEqual(ids(watcher), ['90002@2', '90003@2', '90002@3', '90002@4']);
    assert.deepEqual(all2.frames.at(-1), watcher.frames.at(-1));

    // a client that reconnects after it: exactly that one, once
    const late = await track(connect(`${base}?table=90002`, '90002@3'));
    assert.deepEqual(ids(late), ['90002@4']);
    // nothing was delivered twice to anyone
    for (const c of open) assert.equal(new Set(ids(c)).size, c.frames.length);
  } finally {
    for (const c of open) c.close();
    await h.close();
  }
});
