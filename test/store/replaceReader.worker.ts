// Worker for the atomic-replace test: a second connection reading a table in a loop while the main thread
// replaces it. Every cube read must be exactly one version (see stampOf). Reports what it saw.

import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { stampOf } from './cubes.js';

const { path, id, stopAt } = workerData as { path: string; id: string; stopAt: number };
const store = openSqliteStore(path, { cacheBytes: 0 }); // no cache: every read goes to the file
const seen: number[] = [];
let reads = 0;
let error: string | null = null;
let last = -1;
const deadline = Date.now() + 60_000;
parentPort!.postMessage({ ready: true });
try {
  while (Date.now() < deadline) {
    const c = await store.getCube(id);
    const k = stampOf(c);
    reads++;
    if (k < last) throw new Error(`went back from v${last} to v${k}`);
    if (k !== last) seen.push(k);
    last = k;
    if (k >= stopAt) break;
  }
} catch (e) {
  error = (e as Error).message;
}
store.close();
parentPort!.postMessage({ reads, seen, error });
