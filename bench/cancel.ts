// A heavy request cancelled mid-stream frees its memory: per case (client disconnect during an xlsx and a csv2
// answer; the query time limit during a csv2 answer whose client stopped reading), the process's heap, external and
// array-buffer memory before the request, while it streams and after the stop, with the time from the cut to the
// admission slot coming back. The server is the real one (buildApp) on loopback HTTP; see bench/_cancel.ts.
// Run alone: `npm run bench -- cancel`.

import { loadavg } from 'node:os';
import { cancelScenario, type CancelOptions } from './_cancel.js';

const CELLS = 4_000_000;

export async function run(): Promise<Record<string, unknown>> {
  const cases: [string, CancelOptions][] = [
    ['xlsx, client disconnects', { kind: 'disconnect', format: 'xlsx', cells: CELLS }],
    ['csv2, client disconnects', { kind: 'disconnect', format: 'csv2', cells: CELLS }],
    ['csv2, time limit (1 s) while the client stopped reading', { kind: 'timeout', format: 'csv2', cells: CELLS, timeoutMs: 1000 }],
  ];
  const out: Record<string, unknown> = {
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    cells: CELLS,
    resultMB: Math.round(((CELLS * 8) / 2 ** 20) * 10) / 10,
    note: 'MB; baseline includes the table (held by the store); after = after the stop and full collections (rounds: event-loop iterations with collections until the array buffers were back within 8 MB of the baseline)',
  };
  for (const [name, o] of cases) {
    const f = await cancelScenario(o);
    out[name] = {
      status: f.status,
      bytesReceived: f.bytesReceived,
      serverFinished: f.serverFinished,
      stopMs: f.stopMs,
      runningAfter: f.runningAfter,
      baseline: f.baseline,
      during: f.during,
      after: f.after,
      freedMB: Math.round((f.during.arrayBuffersMB - f.after.arrayBuffersMB) * 10) / 10,
    };
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2));
