// One person with a loop must never take the service down. 10 and then 20 concurrent xlsx requests of 725,040
// cells each, against the default limits: the server stays up, /healthz keeps answering, memory stays under a
// budget, and every request is either answered with a whole workbook or refused with a clear status and Retry-After.
// A cancelled request frees its slot.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type AppConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Cube } from '../../src/core/model.js';
import { table } from '../../bench/_cancel.js';

/** 106 regions x 95 ages x 2 sexes x 36 years = 725,040 cells. */
const bigCube = (): Cube => table(725_040, { regions: 106, ages: 95, years: 36 });

const RSS_BUDGET = 1536 * 1024 * 1024;

async function server(overrides: Partial<AppConfig> = {}) {
  const store = createMemoryStore();
  store.putTable(bigCube(), { folders: [] });
  const app = await buildApp({ store, config: loadConfig({ logLevel: 'silent', ...overrides }, {}) }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

const XLSX_URL = '/api/v2/tables/BIG/data?valueCodes[Region]=*&valueCodes[Alder]=*&valueCodes[Kjonn]=*&valueCodes[Tid]=*&outputFormat=xlsx';

/** Fire `n` concurrent requests while /healthz is polled; returns statuses, health latencies and peak RSS. */
async function burst(base: string, n: number, headersOf: (i: number) => Record<string, string>) {
  let peak = process.memoryUsage().rss;
  let done = false;
  const health: number[] = [];
  const poll = (async () => {
    while (!done) {
      const t = performance.now();
      const r = await fetch(`${base}/healthz`);
      assert.equal(r.status, 200);
      await r.json();
      health.push(performance.now() - t);
      peak = Math.max(peak, process.memoryUsage().rss);
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  const answers = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const r = await fetch(base + XLSX_URL, { headers: headersOf(i) });
      const body = Buffer.from(await r.arrayBuffer());
      peak = Math.max(peak, process.memoryUsage().rss);
      return { status: r.status, retryAfter: r.headers.get('retry-after'), type: r.headers.get('content-type'), body };
    }),
  );
  done = true;
  await poll;
  return { answers, health, peak };
}

async function checkAnswers(answers: { status: number; retryAfter: string | null; type: string | null; body: Buffer }[], readBack: boolean) {
  let whole = 0;
  for (const a of answers) {
    if (a.status === 200) {
      assert.match(String(a.type), /spreadsheetml/);
      whole++;
    } else {
      assert.ok(a.status === 429 || a.status === 503, `refused with a clear status, got ${a.status}`);
      assert.ok(Number(a.retryAfter) >= 1, 'a refusal says when to come back');
      assert.ok(a.body.length > 0, 'a refusal says why');
    }
  }
  if (!readBack) return whole;
  // one answer read back completely (once: reading 725,040 cells is slow): every cell is there
  const one = answers.find((a) => a.status === 200)!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(one.body as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  let numbers = 0;
  sheet.eachRow((row) => row.eachCell((c) => void (typeof c.value === 'number' && numbers++)));
  assert.equal(numbers, 725_040);
  return whole;
}

test('10 then 20 concurrent 725,040-cell xlsx requests from one client: answered or refused, the server stays up', async () => {
  const { app, base } = await server();
  try {
    for (const n of [10, 20]) {
      const { answers, health, peak } = await burst(base, n, () => ({}));
      const whole = await checkAnswers(answers, n === 10);
      console.log(JSON.stringify({ concurrent: n, answered: whole, refused: n - whole, peakRssMB: Math.round(peak / 1048576), healthzMaxMs: Math.round(Math.max(...health)) }));
      assert.ok(whole >= 1, 'at least one client request is answered');
      assert.ok(peak < RSS_BUDGET, `peak RSS ${peak} under ${RSS_BUDGET}`);
      assert.ok(health.length > 0, '/healthz answered during the burst');
    }
  } finally {
    await app.close();
  }
});

test('20 clients at once: the heavy answers queue fairly and every one is answered', async () => {
  const { app, base } = await server({ clientIpHeader: 'x-client', maxCalls: 0 });
  try {
    const { answers, health, peak } = await burst(base, 20, (i) => ({ 'x-client': `client-${i}` }));
    const whole = await checkAnswers(answers, false);
    // the bytes of every answer are the same workbook
    assert.equal(new Set(answers.map((a) => a.body.length)).size, 1);
    console.log(JSON.stringify({ clients: 20, answered: whole, peakRssMB: Math.round(peak / 1048576), healthzMaxMs: Math.round(Math.max(...health)) }));
    assert.equal(whole, 20);
    assert.ok(peak < RSS_BUDGET);
  } finally {
    await app.close();
  }
});

test('a request whose client goes away stops and frees its slot', async () => {
  const { app, base } = await server({ maxHeavyAnswers: 1 });
  try {
    const ac = new AbortController();
    const r = await fetch(base + XLSX_URL, { signal: ac.signal });
    assert.equal(r.status, 200);
    const reader = r.body!.getReader();
    await reader.read(); // the first bytes have flowed
    ac.abort();
    await reader.cancel().catch(() => {});
    // the slot comes back: the next heavy request is admitted and answered
    for (;;) {
      const h = (await (await fetch(`${base}/healthz`)).json()) as { admission: { running: number } };
      if (h.admission.running === 0) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    const next = await fetch(base + XLSX_URL);
    assert.equal(next.status, 200);
    await next.arrayBuffer();
  } finally {
    await app.close();
  }
});
