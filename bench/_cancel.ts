// A heavy request cancelled by its client or by the query time limit, through the real server (buildApp, loopback
// HTTP), with the process's memory before, during and after: shared by bench/cancel.ts (prints the figures) and
// test/app/cancelMemory.test.ts (asserts them). The leading `_` keeps bench/run.ts from running it as a benchmark.
//
// The table has `cells` cells (its Float64Array lives in the store the whole time, so it is part of the baseline);
// a request for all of it makes the server gather a result of the same size (8 bytes per cell) and stream it. Every
// figure comes from events, never from fixed sleeps: the first body chunk received (the server is streaming), the
// server's response 'close' (it stopped writing), and the admission slot coming back (the answer's chunk pipeline
// has ended: its generators are closed and cannot write another chunk). The time-limit case pauses the client
// after the first chunk, so the server cannot finish (the body is far larger than the socket buffers) and waits on
// backpressure; after the time limit the client reads again, the server's next chunk finds the signal aborted.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep, setImmediate as turn } from 'node:timers/promises';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createAppContext } from '../src/app/context.js';
import { loadConfig } from '../src/app/config.js';
import type { Cube, Variable } from '../src/core/model.js';
import { buildApp } from '../src/server/app.js';
import { createMemoryStore } from '../src/store/memoryStore.js';

export type CancelKind = 'disconnect' | 'timeout';

export interface MemoryFigures {
  rssMB: number;
  heapUsedMB: number;
  externalMB: number;
  arrayBuffersMB: number;
}

export interface CancelFigures {
  kind: CancelKind;
  format: string;
  cells: number;
  /** HTTP status of the answer (200: streaming had started when it was cut). */
  status: number;
  /** Body bytes the client received before the cut. */
  bytesReceived: number;
  /** The server's response finished writing the whole body (false: it was cut). */
  serverFinished: boolean;
  /** ms from the cut (disconnect, or the client reading again after the time limit) to the slot coming back. */
  stopMs: number;
  /** Admission slots running after the stop (0: the work ended). */
  runningAfter: number;
  baseline: MemoryFigures & { rounds: number };
  /** When the first chunk arrived: the result is gathered and the stream is running. */
  during: MemoryFigures;
  /** After the stop and full garbage collections; `rounds`: event-loop iterations with collections it took. */
  after: MemoryFigures & { rounds: number };
}

/** A full garbage collection, whether or not node runs with --expose-gc. */
export const collectGarbage: () => void = (() => {
  if (typeof globalThis.gc === 'function') return globalThis.gc as () => void;
  v8.setFlagsFromString('--expose_gc');
  return vm.runInNewContext('gc') as () => void;
})();

const MB = 1024 * 1024;
const r1 = (x: number) => Math.round((x / MB) * 10) / 10;

function memory(): MemoryFigures {
  const m = process.memoryUsage();
  return { rssMB: r1(m.rss), heapUsedMB: r1(m.heapUsed), externalMB: r1(m.external), arrayBuffersMB: r1(m.arrayBuffers) };
}

/**
 * Memory after full collections. Two back to back at the end of a round, because V8 frees the backing stores of
 * dead array buffers on a background thread after a collection, and the next collection waits for that sweep.
 * Before them a whole event-loop iteration (timers, I/O, check and close phases), in which the closed socket, the
 * response and the request's hooks let go of what they held; that takes one to a few iterations after the stop, so
 * `settled(target)` runs rounds until the array buffers are at most `target` MB, and at most MAX_ROUNDS (each a
 * full collection, not a time: a retained answer never gets there, and the figures then show it).
 */
const MAX_ROUNDS = 20;

async function settled(targetMB: number): Promise<MemoryFigures & { rounds: number }> {
  let m = memory();
  let rounds = 0;
  while (rounds < MAX_ROUNDS) {
    rounds++;
    await sleep(0);
    await turn();
    collectGarbage();
    collectGarbage();
    m = memory();
    if (m.arrayBuffersMB <= targetMB) break;
  }
  return { ...m, rounds };
}

/** regions x ages x sexes x years, about `cells` cells (or the sizes given), labels in two languages. */
export function table(cells: number, sizes: { years?: number; ages?: number; regions?: number } = {}): Cube {
  const v = (code: string, n: number, role?: Variable['role']): Variable => ({
    code,
    label: { no: code, en: code },
    role,
    elimination: false,
    values: Array.from({ length: n }, (_, i) => ({ code: String(i).padStart(4, '0'), label: { no: `${code} ${i}`, en: `${code} ${i}` } })),
  });
  const years = sizes.years ?? 50;
  const ages = sizes.ages ?? 100;
  const regions = sizes.regions ?? Math.max(1, Math.round(cells / (years * ages * 2)));
  const variables = [v('Region', regions, 'geo'), v('Alder', ages), v('Kjonn', 2), v('Tid', years, 'time')];
  const n = regions * ages * 2 * years;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = (i * 7919) % 100000;
  return {
    meta: {
      id: 'BIG',
      languages: ['no', 'en'],
      defaultLanguage: 'no',
      title: { no: 'Stor tabell', en: 'Big table' },
      contents: { no: 'Personer', en: 'Persons' },
      variables,
      stub: ['Region', 'Alder', 'Kjonn'],
      heading: ['Tid'],
      decimals: 0,
    } as unknown as Cube['meta'],
    values,
    status: null,
  };
}

const V1_BODY = (format: string) =>
  JSON.stringify({
    query: ['Region', 'Alder', 'Kjonn', 'Tid'].map((code) => ({ code, selection: { filter: 'all', values: ['*'] } })),
    response: { format },
  });

const V2_URL = (format: string) =>
  `/api/v2/tables/BIG/data?valueCodes[Region]=*&valueCodes[Alder]=*&valueCodes[Kjonn]=*&valueCodes[Tid]=*&outputFormat=${format}`;

interface Exchange {
  status: number;
  received: () => number;
  /** Resolves when the first body chunk has arrived. */
  firstChunk: Promise<void>;
  /** Resolves when the response ends, errors or is aborted on the client. */
  done: Promise<void>;
  pause(): void;
  resume(): void;
  abort(): void;
}

function request(port: number, format: string): Promise<Exchange> {
  const v1 = format === 'csv2' || format === 'csv3' || format === 'sdmx';
  const body = v1 ? V1_BODY(format) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: v1 ? 'POST' : 'GET',
      path: v1 ? '/api/v0/en/table/BIG' : V2_URL(format),
      headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {},
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let bytes = 0;
      let first!: () => void;
      const firstChunk = new Promise<void>((r) => (first = r));
      const done = new Promise<void>((r) => {
        res.on('end', r);
        res.on('error', () => r());
        res.on('close', r);
      });
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        first();
      });
      // a refused or failed answer has a small body: the first chunk is then the end
      res.on('end', () => first());
      res.on('close', () => first());
      resolve({
        status: res.statusCode ?? 0,
        received: () => bytes,
        firstChunk,
        done,
        pause: () => res.pause(),
        resume: () => res.resume(),
        abort: () => req.destroy(),
      });
    });
    req.end(body);
  });
}

export interface CancelOptions {
  kind: CancelKind;
  format: string;
  cells: number;
  /** The query time limit of the server (the timeout case); default 1,000 ms. */
  timeoutMs?: number;
  /** Array-buffer MB above the baseline that count as freed (default 8). */
  slackMB?: number;
}

/** Run one cancelled request (after a warm-up run of the same kind) and return the figures. */
export async function cancelScenario(o: CancelOptions): Promise<CancelFigures> {
  const timeoutMs = o.kind === 'timeout' ? (o.timeoutMs ?? 1000) : 0;
  const store = createMemoryStore();
  store.putTable(table(o.cells), { folders: [] });
  const ctx = createAppContext({
    store,
    config: loadConfig({ logLevel: 'silent', maxCells: 100_000_000, queryTimeoutMs: timeoutMs, maxHeavyAnswers: 1 }, {}),
  });
  const app = await buildApp(ctx, { logger: false });
  // the server's side of every answer: did it write the whole body before its response closed?
  const closes: { finished: boolean; closed: Promise<void> }[] = [];
  app.server.on('request', (_req, res: http.ServerResponse) => {
    const entry = { finished: false, closed: Promise.resolve() };
    entry.closed = new Promise<void>((r) =>
      res.once('close', () => {
        entry.finished = res.writableFinished;
        r();
      }),
    );
    closes.push(entry);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;

  const once = async (measure: boolean) => {
    if (measure) await settled(Infinity);
    const baseline = measure ? await settled(Infinity) : { ...memory(), rounds: 0 };
    const x = await request(port, o.format);
    const server = closes[closes.length - 1];
    await x.firstChunk;
    const during = memory();
    let cutAt: number;
    if (o.kind === 'disconnect') {
      cutAt = performance.now();
      x.abort();
    } else {
      // stop reading: the server fills the socket buffers and waits; the time limit started before this timer
      // (same duration, same timer list), so it has fired when this one does
      x.pause();
      // a full collection while the server waits must not take the time limit away (it did: the deadline signal
      // was only weakly held once the stream had started)
      collectGarbage();
      await sleep(timeoutMs);
      cutAt = performance.now();
      x.resume();
    }
    await x.done;
    await server.closed;
    while (ctx.admission.stats.running > 0) await sleep(5);
    const stopMs = Math.round((performance.now() - cutAt) * 10) / 10;
    const after = await settled(baseline.arrayBuffersMB + (o.slackMB ?? 8));
    return { status: x.status, bytesReceived: x.received(), serverFinished: server.finished, stopMs, runningAfter: ctx.admission.stats.running, baseline, during, after };
  };

  try {
    await once(false); // warm-up: code paths compiled, lazy modules loaded
    const figures = await once(true);
    return { kind: o.kind, format: o.format, cells: store.getTable('BIG')!.meta.variables.reduce((a, v) => a * v.values.length, 1), ...figures };
  } finally {
    await app.close();
  }
}
