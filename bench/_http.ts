// Shared by the API benchmarks (the leading `_` keeps bench/run.ts from running it as a benchmark).
//
// The HTTP client runs in a worker thread, as a real client runs in another process: the server's event loop
// keeps its thread, and the client's own work does not count as server time. Bodies are counted as they arrive,
// not joined into one buffer (fetch's arrayBuffer() alone costs ~0.5-1 s for a 65 MB body on this machine).
// Each figure is the time from sending the request to the last byte received; `ttfb` (first byte) is close
// to the server's own work (parse, evaluate, serialize), the rest is transfer.

import { Worker } from 'node:worker_threads';

export interface Timing {
  status: number;
  bytes: number;
  ms: number;
  ttfbMs: number;
}

// A minimal HTTP/1.1 client on one keep-alive socket that reads into one reused buffer (net's `onread`): Node's
// http client allocates a fresh buffer per read, and on this VM the page faults of those allocations would be
// counted as transfer time. Handles Content-Length and chunked bodies, one request at a time.
const CLIENT = String.raw`
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
let socket = null;
let current = null; // { id, t0, ttfb, head, status, left, chunked, chunkLeft, bytes, tail }
function finish(c) {
  current = null;
  parentPort.postMessage({ id: c.id, status: c.status, bytes: c.bytes, ms: performance.now() - c.t0, ttfbMs: c.ttfb });
}
function fail(e) {
  const c = current;
  current = null;
  socket = null;
  if (c) parentPort.postMessage({ id: c.id, error: String(e) });
}
// chunked body: walk size lines and data; returns true at the last chunk
function chunked(c, buf, at, end) {
  while (at < end) {
    if (c.chunkLeft > 0) {
      const take = Math.min(c.chunkLeft, end - at);
      c.bytes += take;
      c.chunkLeft -= take;
      at += take;
      continue;
    }
    c.tail += buf.toString('latin1', at, end);
    at = end;
    for (;;) {
      const nl = c.tail.indexOf('\r\n');
      if (nl < 0) break;
      const line = c.tail.slice(0, nl);
      c.tail = c.tail.slice(nl + 2);
      if (line === '') continue; // CRLF after a chunk's data
      const size = parseInt(line, 16);
      if (size === 0) return true;
      // data of this chunk may already sit in tail
      const have = Math.min(size, c.tail.length);
      c.bytes += have;
      c.chunkLeft = size - have;
      c.tail = c.tail.slice(have);
      if (c.chunkLeft > 0) break;
    }
  }
  return false;
}
function onData(n, buf) {
  const c = current;
  if (!c) return;
  if (!c.ttfb) c.ttfb = performance.now() - c.t0;
  let at = 0;
  if (c.status === 0) {
    c.head += buf.toString('latin1', 0, n);
    // a chunked body's final CRLF may arrive with the next response
    while (c.head.startsWith('\r\n')) c.head = c.head.slice(2);
    const endHead = c.head.indexOf('\r\n\r\n');
    if (endHead < 0) return;
    const head = c.head.slice(0, endHead);
    c.status = Number(head.slice(9, 12));
    const len = /\r\ncontent-length: *(\d+)/i.exec(head);
    c.chunked = /\r\ntransfer-encoding: *chunked/i.test(head);
    c.left = len ? Number(len[1]) : 0;
    const rest = Buffer.from(c.head.slice(endHead + 4), 'latin1');
    c.head = '';
    if (c.chunked) {
      if (chunked(c, rest, 0, rest.length)) finish(c);
      return;
    }
    c.bytes += rest.length;
    c.left -= rest.length;
    if (c.left <= 0) finish(c);
    return;
  }
  if (c.chunked) {
    if (chunked(c, buf, at, n)) finish(c);
    return;
  }
  c.bytes += n;
  c.left -= n;
  if (c.left <= 0) finish(c);
}
function connect() {
  const s = net.connect({ host: '127.0.0.1', port: workerData.port, onread: { buffer: Buffer.allocUnsafe(1 << 20), callback: onData } });
  s.setNoDelay(true);
  s.on('error', fail);
  s.on('close', () => { if (socket === s) socket = null; if (current) fail(new Error('connection closed')); });
  return s;
}
parentPort.on('message', ({ id, method, path, body }) => {
  if (!socket) socket = connect();
  const b = body === undefined ? null : Buffer.from(body);
  let head = method + ' ' + path + ' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n';
  if (b) head += 'Content-Type: application/json\r\nContent-Length: ' + b.length + '\r\n';
  current = { id, t0: performance.now(), ttfb: 0, head: '', status: 0, left: 0, chunked: false, chunkLeft: 0, bytes: 0, tail: '' };
  socket.write(b ? Buffer.concat([Buffer.from(head + '\r\n', 'latin1'), b]) : head + '\r\n');
});
`;

export class HttpClient {
  private next = 0;
  private waiting = new Map<number, { resolve: (t: Timing) => void; reject: (e: Error) => void }>();
  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: Timing & { id: number; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error) w.reject(new Error(m.error));
      else w.resolve({ status: m.status, bytes: m.bytes, ms: m.ms, ttfbMs: m.ttfbMs });
    });
  }

  static start(port: number): HttpClient {
    return new HttpClient(new Worker(CLIENT, { eval: true, workerData: { port } }));
  }

  request(method: string, path: string, body?: string): Promise<Timing> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, path, body });
    });
  }

  /** `runs` timed requests after one warm-up; throws unless every answer is 200. */
  async series(runs: number, method: string, path: string, body?: string): Promise<Timing[]> {
    const out: Timing[] = [];
    for (let i = 0; i <= runs; i++) {
      const t = await this.request(method, path, body);
      if (t.status !== 200) throw new Error(`${method} ${path}: HTTP ${t.status}`);
      if (i > 0) out.push(t);
    }
    return out;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** p50 / min / max of a list of milliseconds. */
export function stats(ms: number[]): { p50Ms: number; minMs: number; maxMs: number } {
  const s = [...ms].sort((a, b) => a - b);
  return { p50Ms: r1(s[Math.floor((s.length - 1) / 2)]), minMs: r1(s[0]), maxMs: r1(s[s.length - 1]) };
}

/** Figures of a series: end-to-end p50/min/max, first-byte p50, bytes, and the target it is held to. */
export function summary(ts: Timing[], targetP50Ms: number): Record<string, unknown> {
  const st = stats(ts.map((t) => t.ms));
  return {
    ...st,
    ttfbP50Ms: stats(ts.map((t) => t.ttfbMs)).p50Ms,
    bytes: ts[0]?.bytes ?? 0,
    targetP50Ms: targetP50Ms,
    met: st.p50Ms <= targetP50Ms,
  };
}
