// The events of one release instant reach a stream in one HTTP chunk (one write, made when the feed calls the
// stream): a reader gets the instant whole, and the feed's 1 ms push slices time the writes themselves (Node's http
// corks a response's socket and writes on the next tick; the stream hands its bytes to the kernel in its call). A
// filtered stream gets only its table's frame. Read from raw sockets, so the chunks are the server's own.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { cube } from '../store/cubes.js';
import { harness, T0 } from '../admin/helpers.js';

const HOUR = 3_600_000;

/** A raw SSE client: the HTTP chunks of its response body, as the server framed them. */
function rawStream(port: number, path: string): Promise<{ socket: Socket; chunks: string[]; until(n: number): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const chunks: string[] = [];
    const waiting: (() => void)[] = [];
    let raw = '';
    let body = -1;
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n`));
    socket.setEncoding('latin1');
    socket.on('error', reject);
    socket.on('data', (d: string) => {
      raw += d;
      if (body < 0) {
        const end = raw.indexOf('\r\n\r\n');
        if (end < 0) return;
        assert.match(raw.slice(0, end), /transfer-encoding: chunked/i);
        raw = raw.slice(end + 4);
        body = 0;
      }
      for (;;) {
        const line = raw.indexOf('\r\n');
        if (line < 0) break;
        const size = parseInt(raw.slice(0, line), 16);
        if (raw.length < line + 2 + size + 2) break;
        chunks.push(Buffer.from(raw.slice(line + 2, line + 2 + size), 'latin1').toString('utf8'));
        raw = raw.slice(line + 2 + size + 2);
        if (chunks.length === 1) resolve(client);
        for (const w of waiting.splice(0)) w();
      }
    });
    const client = {
      socket,
      chunks,
      until: async (n: number) => {
        while (chunks.length < n) await new Promise<void>((r) => waiting.push(r));
      },
    };
  });
}

test('the events of one release instant reach each stream in one chunk; a filtered stream gets its own frame only', async () => {
  const h = await harness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (h.app.server.address() as AddressInfo).port;
  const streams: Socket[] = [];
  const serverSockets: Socket[] = [];
  h.app.server.on('connection', (s: Socket) => serverSockets.push(s));
  try {
    h.store.putTable(cube('90002', [2, 3], (i) => i, 'Handel'));
    h.store.putTable(cube('90003', [2], (i) => i, 'Annet'));
    await h.admin.feed.check();
    const all = await rawStream(port, '/api/events');
    const one = await rawStream(port, '/api/events?table=90003');
    streams.push(all.socket, one.socket);
    assert.match(all.chunks[0], /^: statbank release events/, 'the opening comment comes first');
    // called after both streams: what each server socket still holds unwritten then
    const heldAfterTheStreams: number[][] = [];
    h.admin.feed.subscribe(() => heldAfterTheStreams.push(serverSockets.map((s) => s.writableLength)));

    const release = T0 + HOUR;
    for (const id of ['90002', '90003']) h.store.scheduleTable(cube(id, [2, 3], (i) => i * 2, `${id} ny`), { releaseAt: new Date(release).toISOString() });
    h.at(release);
    const events = await h.admin.feed.check();
    assert.deepEqual(events.map((e) => e.id), ['90002@2', '90003@2']);
    assert.equal(serverSockets.length, 2);
    assert.deepEqual(heldAfterTheStreams, [[0, 0]], 'each stream wrote its frames to its socket in its own call');
    await Promise.all([all.until(2), one.until(2)]);

    const frames = (chunk: string) => chunk.split('\n\n').filter((f) => f.startsWith('id: '));
    assert.equal(all.chunks.length, 2, 'the opening comment, then one chunk for the instant');
    assert.deepEqual(frames(all.chunks[1]).map((f) => /^id: (.*)$/m.exec(f)![1]), ['90002@2', '90003@2']);
    assert.equal(one.chunks.length, 2);
    assert.deepEqual(frames(one.chunks[1]).map((f) => /^id: (.*)$/m.exec(f)![1]), ['90003@2']);
    for (const f of [...frames(all.chunks[1]), ...frames(one.chunks[1])]) {
      assert.match(f, /^event: release$/m);
      assert.equal(JSON.parse(/^data: (.*)$/m.exec(f)![1]).released, new Date(release).toISOString());
    }
  } finally {
    for (const s of streams) s.destroy();
    await h.close();
  }
});
