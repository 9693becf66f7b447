// Synchronous reads from PostgreSQL, for what the Store port reads synchronously but a PostgreSQL node no longer
// holds in memory (a table version's full metadata, read on first use). A worker thread (pgSyncWorker.ts) owns one
// connection; the caller posts a query and waits on a shared flag until the rows are there (Atomics.wait), as a
// SQLite read waits for the disk. Meant for small, indexed reads (one row by primary key): the wait is a round trip.

import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { StoreError } from './catalog.js';
import { spawnStoreWorker } from './workers.js';

/** Longest wait for one answer (the first includes starting the thread and connecting). */
const TIMEOUT_MS = 30_000;

export class PgSyncReader {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private closed = false;
  /** Queries answered (tests, benchmarks). */
  queries = 0;

  constructor(private readonly connectionString: string) {}

  /** The rows of one query, waited for synchronously. */
  query<T>(sql: string, params: unknown[]): T[] {
    if (this.closed) throw new StoreError('store is closed');
    const w = this.worker ?? this.start();
    Atomics.store(this.signal, 0, 0);
    w.postMessage({ sql, params });
    if (Atomics.wait(this.signal, 0, 0, TIMEOUT_MS) === 'timed-out') {
      this.close();
      throw new StoreError(`PostgreSQL did not answer within ${TIMEOUT_MS / 1000} s`);
    }
    const m = receiveMessageOnPort(this.port!)?.message as { rows: T[] } | { error: string } | undefined;
    if (!m) throw new StoreError('PostgreSQL reader: no answer');
    this.queries++;
    if ('error' in m) throw new StoreError(`PostgreSQL: ${m.error}`);
    return m.rows;
  }

  private start(): Worker {
    const { port1, port2 } = new MessageChannel();
    const w = spawnStoreWorker('pgSyncWorker', { connectionString: this.connectionString, flag: this.signal.buffer, reply: port2 }, [port2]);
    w.unref();
    w.on('error', () => {});
    w.on('exit', () => {
      if (this.worker === w) this.worker = null;
    });
    this.worker = w;
    this.port = port1;
    return w;
  }

  close(): void {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    if (w) {
      w.postMessage('close');
      void w.terminate();
    }
    this.port?.close();
  }
}
