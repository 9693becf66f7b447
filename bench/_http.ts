// Shared by the API benchmarks (the leading `_` keeps bench/run.ts from running it as a benchmark).
//
// The HTTP client runs in a worker thread, as a real client runs in another process: the server's event loop
// keeps its thread, and the client's parsing does not count as server time. Bodies are streamed and counted,
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

const CLIENT = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
parentPort.on('message', ({ id, method, path, body }) => {
  const t0 = performance.now();
  let ttfb = 0;
  const headers = body === undefined ? {} : { 'content-length': Buffer.byteLength(body), 'content-type': 'application/json' };
  const req = http.request({ host: '127.0.0.1', port: workerData.port, method, path, agent, headers }, (res) => {
    let bytes = 0;
    res.on('data', (c) => {
      if (!ttfb) ttfb = performance.now() - t0;
      bytes += c.length;
    });
    res.on('end', () => parentPort.postMessage({ id, status: res.statusCode, bytes, ms: performance.now() - t0, ttfbMs: ttfb || performance.now() - t0 }));
  });
  req.on('error', (e) => parentPort.postMessage({ id, error: String(e) }));
  req.end(body);
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
