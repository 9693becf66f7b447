// The SQLite store's cube loader thread (see cubeLoader.ts): reads one version's chunks through its own read-only
// connection and decodes them, so neither the disk reads nor the decoding of a large cube run on the thread that
// answers requests. The decoded arrays are transferred back (moved, not copied).
//
// A version's chunks never change once written (versions are never reused), so a read needs no transaction shared
// with the requesting connection; a version deleted meanwhile shows as missing or incomplete data.

import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeCubeChunks } from './cubeCodec.js';

export interface LoadRequest {
  job: number;
  id: string;
  version: number;
}

export type LoadReply =
  | { job: number; values: Float64Array; status: Uint8Array | null }
  | { job: number; error: string; missing?: boolean };

const port = parentPort;
if (!port) throw new Error('cubeLoadWorker runs as a worker thread');
const { path } = workerData as { path: string };
const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 10_000 });
const dataBytes = db.prepare('SELECT data_bytes FROM versions WHERE table_id = ? AND version = ?').pluck();
const chunk = db.prepare('SELECT data FROM cube_data WHERE table_id = ? AND version = ? AND seq = ?').pluck();

/** An array that owns its whole buffer (transferable without moving anything else along), else a copy. */
function own<T extends Float64Array | Uint8Array>(a: T): T {
  return a.byteOffset === 0 && a.buffer.byteLength === a.byteLength ? a : (a.slice() as T);
}

function load(id: string, version: number): LoadReply & { values?: Float64Array } {
  const bytes = dataBytes.get(id, version) as number | undefined;
  if (bytes === undefined) return { job: 0, error: `no table ${JSON.stringify(id)} version ${version}`, missing: true };
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (let seq = 0; ; seq++) {
    const c = chunk.get(id, version, seq) as Buffer | undefined;
    if (c === undefined) break;
    if (at + c.length > bytes) return { job: 0, error: `table ${id}: cube data longer than recorded` };
    chunks.push(c);
    at += c.length;
    if (at === bytes && bytes > 0) break;
  }
  if (at !== bytes) return { job: 0, error: `table ${id}: cube data incomplete (${at} of ${bytes} bytes)` };
  try {
    const cells = decodeCubeChunks(chunks);
    return { job: 0, values: own(cells.values), status: cells.status && own(cells.status) };
  } catch (e) {
    return { job: 0, error: `table ${id}: corrupt cube data: ${(e as Error).message}` };
  }
}

port.on('message', (m: LoadRequest) => {
  let reply: LoadReply;
  try {
    reply = { ...load(m.id, m.version), job: m.job };
  } catch (e) {
    reply = { job: m.job, error: (e as Error).message };
  }
  if ('values' in reply) {
    const transfer: ArrayBuffer[] = [reply.values.buffer as ArrayBuffer];
    if (reply.status) transfer.push(reply.status.buffer as ArrayBuffer);
    port.postMessage(reply, transfer);
  } else port.postMessage(reply);
});
