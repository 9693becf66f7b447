// The thread behind PgSyncReader (pgSync.ts): one PostgreSQL connection; each request's rows (or error) go back on
// the reply port, then the shared flag wakes the caller, which waits for it synchronously.

import pg from 'pg';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('pgSyncWorker runs as a worker thread');
const { connectionString, flag, reply } = workerData as { connectionString: string; flag: SharedArrayBuffer; reply: MessagePort };
const signal = new Int32Array(flag);
const client = new pg.Client({ connectionString });
client.on('error', () => {});
const ready = client.connect();
// a failed connect is answered at each request
ready.catch(() => {});

port.on('message', (m: { sql: string; params: unknown[] } | 'close') => {
  if (m === 'close') {
    void client.end().catch(() => {});
    port.close();
    return;
  }
  void (async () => {
    let answer: { rows: unknown[] } | { error: string };
    try {
      await ready;
      answer = { rows: (await client.query(m.sql, m.params)).rows };
    } catch (e) {
      answer = { error: (e as Error).message };
    }
    reply.postMessage(answer);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  })();
});
