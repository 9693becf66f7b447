// A heavy request cancelled by its client (disconnect) or by the query time limit frees its memory and its work
// stops: through the real server on loopback HTTP, a 4,000,000-cell table (the result the server gathers is a
// 32 MB Float64Array, held while the answer streams). Each case waits for events (first chunk, the server's response
// closing, the admission slot coming back), never for a fixed time; the figures come from bench/_cancel.ts, which
// `npm run bench -- cancel` prints.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cancelScenario, type CancelFigures, type CancelOptions } from '../../bench/_cancel.js';

const CELLS = 4_000_000;
const RESULT_MB = (CELLS * 8) / 2 ** 20;
/** What may stay above the baseline after the stop (a retained result would be RESULT_MB). */
const SLACK_MB = 8;

function check(f: CancelFigures): void {
  const what = `${f.kind} ${f.format}`;
  console.log(JSON.stringify(f));
  assert.equal(f.status, 200, `${what}: the answer was streaming when it was cut`);
  assert.ok(f.bytesReceived > 0, `${what}: bytes had flowed`);
  assert.equal(f.serverFinished, false, `${what}: the server did not write the whole body`);
  assert.equal(f.runningAfter, 0, `${what}: the admission slot came back (the chunk pipeline has closed)`);
  // the measurement sees the result while it streams ...
  assert.ok(f.during.arrayBuffersMB >= f.baseline.arrayBuffersMB + 0.75 * RESULT_MB, `${what}: the result is held while streaming`);
  // ... and it is gone after the stop
  assert.ok(f.after.arrayBuffersMB <= f.baseline.arrayBuffersMB + SLACK_MB, `${what}: array buffers back near the baseline`);
  assert.ok(f.after.externalMB <= f.baseline.externalMB + SLACK_MB, `${what}: external memory back near the baseline`);
  assert.ok(f.after.heapUsedMB <= f.baseline.heapUsedMB + SLACK_MB, `${what}: heap back near the baseline`);
}

const CASES: CancelOptions[] = [
  { kind: 'disconnect', format: 'xlsx', cells: CELLS },
  { kind: 'disconnect', format: 'csv2', cells: CELLS },
  // the client stops reading after the first chunk, so the server waits on backpressure until the time limit
  { kind: 'timeout', format: 'csv2', cells: CELLS, timeoutMs: 1000 },
];

for (const c of CASES) {
  test(`${c.format === 'xlsx' ? 'an' : 'a'} ${c.format} answer cancelled by ${c.kind === 'timeout' ? 'the time limit' : 'a client disconnect'} stops and frees its memory`, async () => {
    check(await cancelScenario(c));
  });
}
