// `statbank fetch` end to end: the CLI run in-process (run()) against our server (loopback, small limits so that
// it splits and paces), writing Arrow and PX files and importing into a database.

import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { PxWebClient } from '../../src/client/index.js';
import { readCubeFile } from '../../src/client/cubeFiles.js';
import { openStore } from '../../src/store/index.js';
import { assertSameCube, makeStore, maxInWindow, startServer, type TestServer } from './helpers.js';
import { cli } from '../cli/runCli.js';

let limited: TestServer;
let open: TestServer;
let dir: string;

before(async () => {
  const store = makeStore();
  limited = await startServer(store, { maxCells: 50, maxCalls: 4, timeWindow: 1 });
  open = await startServer(store, { maxCells: 1_000_000, maxCalls: 0 });
  dir = mkdtempSync(join(tmpdir(), 'statbank-fetch-'));
});

after(async () => {
  await limited.close();
  await open.close();
  rmSync(dir, { recursive: true, force: true });
});

test('fetch a v2 data URL into an Arrow file: split, paced, equal to one direct query', async () => {
  const out = join(dir, 'pop.arrow');
  const url = `${limited.url}/api/v2/tables/07459/data?lang=en&valueCodes[Region]=*&valueCodes[Kjonn]=1,2&valueCodes[ContentsCode]=Personer&valueCodes[Tid]=[top(3)]`;
  const from = limited.log.length;
  const r = await cli(['fetch', url, '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /v2 07459: 42 cells in \d+ call\(s\) of at most \d+ cells \(server: 50 cells per call, 4 calls per 1 s\)/);
  const seen = limited.log.slice(from);
  assert.equal(seen.filter((x) => x.status === 429).length, 0);
  assert.ok(maxInWindow(seen.filter((x) => !x.url.endsWith('/config')).map((x) => x.at), 1000) <= 4);
  const dataCalls = seen.filter((x) => x.url.includes('/data')).length;
  assert.ok(dataCalls >= 1);

  const want = await PxWebClient.v2(`${open.url}/api/v2`, { lang: 'en' }).fetchCube('07459', { Region: '*', Kjonn: ['1', '2'], ContentsCode: ['Personer'], Tid: ['top(3)'] });
  const t = tableFromIPC(readFileSync(out));
  assert.equal(t.numRows, want.values.length);
  const value = t.getChild('value')!;
  for (let i = 0; i < want.values.length; i++) {
    const s = want.status ? want.status[i] : 0;
    assert.equal(value.get(i), s === 0 ? want.values[i] : null, `row ${i}`);
  }
  assert.deepEqual(
    Array.from({ length: 7 }, (_, i) => t.getChild('Region')!.get(i * 6)),
    want.meta.variables[0].values.map((v) => v.code),
  );
});

test('fetch a v1 table URL with a v1 query file into PX, and import it into a database', async () => {
  const query = join(dir, 'q.json');
  writeFileSync(
    query,
    JSON.stringify({
      query: [
        { code: 'Region', selection: { filter: 'item', values: ['0301', '1103', '0'] } },
        { code: 'Alder', selection: { filter: 'all', values: ['*'] } },
        { code: 'Tid', selection: { filter: 'top', values: ['2'] } },
      ],
      response: { format: 'json-stat2' },
    }),
  );
  const out = join(dir, 'v1.px');
  const db = join(dir, 'fetched.db');
  const r = await cli(['fetch', `${limited.url}/api/v0/en/table/07459`, '--query', query, '-o', out, '--import', '--db', db, '--folder', 'imported/be', '--id', 'F07459']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /v1 07459: 72 cells in \d+ call/);
  assert.match(r.stderr, /imported F07459 \(version 1\)/);
  const want = await PxWebClient.v1(`${open.url}/api/v0`, { lang: 'en' }).fetchCube('07459', { Region: ['0301', '1103', '0'], Alder: '*', Tid: 'top(2)' });
  const got = (await readCubeFile(out)).cube;
  assertSameCube(got, want, 'en');
  assert.equal(got.meta.id, 'F07459');

  const store = openStore(db);
  try {
    const rec = store.getTable('F07459');
    assert.ok(rec);
    assert.deepEqual(rec.folders, ['imported/be']);
    assertSameCube(await store.getCube('F07459'), want, 'en');
  } finally {
    store.close();
  }
});

test('fetch --plan prints the split without asking for data; --select works on a v1 URL', async () => {
  const from = limited.log.length;
  const r = await cli(['fetch', `${limited.url}/api/v0/no/table/07459`, '--select', 'Region=*', '--select', 'Tid=from(2020)', '--select', 'ContentsCode=*', '--plan']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Region: 7 values in \d+ piece\(s\)/);
  assert.match(r.stdout, /Kjonn: eliminated/);
  assert.match(r.stdout, /Tid: 5 values/);
  assert.equal(limited.log.slice(from).filter((x) => x.method === 'POST').length, 0);
});

test('fetch fails clearly on a URL that is no PxWeb API, an unknown variable or a bad query file', async () => {
  let r = await cli(['fetch', `${open.url}/nothing/here`]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /neither a PxWebApi 2.0 nor a PxWeb API v1 URL/);
  r = await cli(['fetch', `${open.url}/api/v2/tables/07459`, '--select', 'Fylke=03', '--plan']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no variable Fylke/);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"selection": 5}');
  r = await cli(['fetch', `${open.url}/api/v2/tables/07459`, '--query', bad, '--plan']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /"query" \(PxWeb v1\) or "selection"/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
