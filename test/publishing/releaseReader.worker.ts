// Worker for the release-instant test: a second connection reads a table in a loop on a clock shared with the
// main thread (a BigInt64Array on a SharedArrayBuffer), while the main thread moves the clock across the release
// time and records the release. Every read must be one whole version, the old one before the instant and the new
// one from it on. Reports what it saw.

import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { stampOf } from '../store/cubes.js';

const { path, id, clock, releaseMs, oldStamp, newStamp } = workerData as {
  path: string;
  id: string;
  clock: SharedArrayBuffer;
  releaseMs: number;
  oldStamp: number;
  newStamp: number;
};
const time = new BigInt64Array(clock);
const now = () => Number(Atomics.load(time, 0));
const store = openSqliteStore(path, { cacheBytes: 0, now }); // no cache: every read goes to the file
let reads = 0;
let readsBefore = 0;
let readsAfter = 0;
let error: string | null = null;
const deadline = Date.now() + 60_000;
parentPort!.postMessage({ ready: true });
try {
  while (Date.now() < deadline) {
    const t0 = now();
    const rec = store.getTable(id);
    const c = await store.getCube(id);
    const t1 = now();
    const k = stampOf(c); // throws on a torn cube
    reads++;
    if (rec === undefined) throw new Error('table vanished');
    if (t0 >= releaseMs && (k !== newStamp || rec.version !== 2)) throw new Error(`read at ${t0 - releaseMs} ms after the release saw v${k}`);
    if (t1 < releaseMs && (k !== oldStamp || rec.version !== 1)) throw new Error(`read ${releaseMs - t1} ms before the release saw v${k}`);
    if (t1 < releaseMs) readsBefore++;
    if (t0 >= releaseMs) readsAfter++;
    if (readsAfter >= 50) break;
  }
} catch (e) {
  error = (e as Error).message;
}
store.close();
parentPort!.postMessage({ reads, readsBefore, readsAfter, error });
