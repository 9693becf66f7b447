// Loading large cubes off the request path: one worker thread per SQLite store (started on the first large load,
// ended at close) reads a version's chunks through its own read-only connection and decodes them
// (cubeLoadWorker.ts). The serving thread only posts the request and receives the decoded arrays, moved without a
// copy, so a cold load of a 15 M-cell cube costs other requests nothing but the message. Loads are served in
// order; small cubes are read on the serving thread, where a few milliseconds cost less than a message round trip.

import type { Worker } from 'node:worker_threads';
import { spawnStoreWorker } from './workers.js';
import { StoreError } from './catalog.js';
import type { CubeCells } from './cubeCodec.js';
import type { LoadReply, LoadRequest } from './cubeLoadWorker.js';

interface Waiting {
  resolve: (c: CubeCells) => void;
  reject: (e: Error) => void;
}

export class CubeLoader {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextJob = 1;
  private closed = false;
  /** Loads done in the thread (tests, benchmarks). */
  loads = 0;

  constructor(private readonly path: string) {}

  /** Read and decode one version's cells in the worker. */
  load(id: string, version: number): Promise<CubeCells> {
    if (this.closed) return Promise.reject(new StoreError('store is closed'));
    const w = this.worker ?? this.start();
    const job = this.nextJob++;
    return new Promise<CubeCells>((resolve, reject) => {
      this.waiting.set(job, { resolve, reject });
      // a pending load keeps the process alive; an idle worker does not
      if (this.waiting.size === 1) w.ref();
      w.postMessage({ job, id, version } satisfies LoadRequest);
    });
  }

  private start(): Worker {
    const w = spawnStoreWorker('cubeLoadWorker', { path: this.path });
    w.unref();
    w.on('message', (m: LoadReply) => {
      const waiting = this.waiting.get(m.job);
      if (!waiting) return;
      this.waiting.delete(m.job);
      if (!this.waiting.size) w.unref();
      if ('error' in m) waiting.reject(new StoreError(m.error));
      else {
        this.loads++;
        waiting.resolve({ values: m.values, status: m.status });
      }
    });
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = null;
      const all = [...this.waiting.values()];
      this.waiting.clear();
      for (const x of all) x.reject(this.closed ? new StoreError('store is closed') : new StoreError(`cube loader: ${e.message}`));
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    this.worker = w;
    return w;
  }

  /** Stop the worker; loads still waiting reject. */
  close(): void {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) void w.terminate();
    const all = [...this.waiting.values()];
    this.waiting.clear();
    for (const x of all) x.reject(new StoreError('store is closed'));
  }
}
