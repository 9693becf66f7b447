// The v2 client on documents Statistics Sweden really served (shared fixtures): a fake server answers /config,
// the table's metadata and its data with the stored files, and the client plans, paces and reads them.

import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PxWebClient, type Selection } from '../../src/client/index.js';
import { readJsonStat } from '../../src/formats/jsonStatReader.js';

const scb = fileURLToPath(new URL('../../../shared/fixtures/pxweb/v2/scb-real/', import.meta.url));
const have = existsSync(scb);

test('SCB v2: config, metadata (with codelists) and a data answer read as a cube', { skip: !have && 'no ../shared' }, async () => {
  const files: Record<string, string> = {
    'GET /api/v2/config': 'pxwebpy_config.json',
    'GET /api/v2/tables/TAB6471/metadata': 'pxwebpy_TAB6471_metadata.json',
    'POST /api/v2/tables/TAB6471/data': 'pxwebpy_TAB6471_data.json',
  };
  const bodies: string[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'POST') bodies.push(Buffer.concat(chunks).toString('utf8'));
    const file = files[`${req.method} ${(req.url ?? '').split('?')[0]}`];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(readFileSync(scb + file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;
    const client = PxWebClient.v2(base);
    const limits = await client.limits();
    assert.deepEqual(limits, { maxCells: 150000, maxCalls: 3, timeWindow: 1 });
    const md = await client.metadata('TAB6471');
    assert.deepEqual(md.variables.map((v) => v.code), ['Region', 'Alder', 'Kon', 'ContentsCode', 'Tid']);
    assert.equal(md.variables[0].values?.length, 312);
    assert.ok(md.variables[1].codelists?.some((c) => c.id === 'vs_CKM0410årN'));
    assert.equal(md.variables[4].time, true);

    // ask for exactly what the stored answer holds
    const stored = readJsonStat(readFileSync(scb + 'pxwebpy_TAB6471_data.json')).cube;
    const sel: Selection = Object.fromEntries(stored.meta.variables.map((v) => [v.code, v.values.map((x) => x.code)]));
    const cube = await client.fetchCube('TAB6471', sel);
    assert.equal(cube.meta.id, 'TAB6471');
    assert.deepEqual(Array.from(cube.values), Array.from(stored.values));
    assert.equal(bodies.length, 1);
    const body = JSON.parse(bodies[0]) as { selection: { variableCode: string; valueCodes: string[] }[] };
    assert.deepEqual(body.selection.map((s) => [s.variableCode, s.valueCodes.length]), [['Region', 21], ['Alder', 11], ['Kon', 3], ['ContentsCode', 1], ['Tid', 4]]);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
