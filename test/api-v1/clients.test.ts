// Real clients and real client traffic against a running server (real HTTP on loopback):
// - jsonstat-toolkit (npm) reads json-stat2 and json-stat answers; its values equal the cube's;
// - R pxweb's calls (?config probe, metadata, POST without Content-Type, its own query files, formats json,
//   json-stat, px, sdmx) on a cube shaped like the SCB table in pxweb's fixtures;
// - DAPLA statbank's calls (trailing slash, {"query":[]}, error bodies it parses).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import JSONstat from 'jsonstat-toolkit';
import { bruteCell, HAVE_SHARED, makeApp, makeStore, query, SHARED } from './helpers.js';
import type { Cube, Variable } from '../../src/core/model.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

let app: FastifyInstance;
let base: string;
let cube: Cube;

before(async () => {
  const s = makeStore({ withSymbols: true });
  cube = s.cube;
  app = await makeApp(s.store);
  base = await listen(app);
});
after(() => app.close());

test('jsonstat-toolkit reads json-stat2 from a POST and its values equal the cube', async () => {
  const q = query([['Region', 'item', ['0301', '1103']], ['Kjonn', 'all', ['*']], ['Alder', 'item', ['000', '001']], ['Tid', 'top', ['2']]], 'json-stat2');
  const ds = await JSONstat(`${base}/api/v0/no/table/07459`, { method: 'POST', body: q });
  assert.equal(ds.class, 'dataset');
  assert.deepEqual(ds.id, ['Region', 'Kjonn', 'Alder', 'ContentsCode', 'Tid']);
  assert.equal(ds.n, 2 * 2 * 2 * 1 * 2);
  assert.equal(ds.Dimension('Region').Category('1103').label, 'Stavanger');
  assert.equal(ds.Dimension('Kjonn').label, 'kjønn');
  let checked = 0;
  for (const r of ['0301', '1103'])
    for (const k of ['1', '2'])
      for (const a of ['000', '001'])
        for (const t of ['2023', '2024']) {
          const d = ds.Data({ Region: r, Kjonn: k, Alder: a, ContentsCode: 'Personer1', Tid: t });
          const b = bruteCell(cube, [[r], [k], [a], ['Personer1'], [t]]);
          if (b.kind === 'value') assert.equal(d.value, b.value);
          else assert.equal(d.value, null);
          if (b.kind === 'missing') assert.equal(d.status, '..');
          checked++;
        }
  assert.equal(checked, ds.n);
  const rows = ds.Transform({ type: 'arrobj', content: 'id' });
  assert.equal(rows.length, ds.n);
});

test('jsonstat-toolkit reads the json-stat (1.x bundle) answer', async () => {
  const q = query([['Region', 'item', ['0']], ['Kjonn', 'item', ['1', '2']], ['Tid', 'item', ['2020']]], 'json-stat');
  const res = await fetch(`${base}/api/v0/no/table/07459`, { method: 'POST', body: q });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  const json = await res.json();
  assert.deepEqual(Object.keys(json), ['dataset'], 'R pxweb needs exactly one top-level key');
  const b = JSONstat(json);
  assert.equal(b.class, 'bundle');
  const ds = b.Dataset(0);
  assert.deepEqual(ds.id, ['Region', 'Kjonn', 'ContentsCode', 'Tid']);
  const ages = cube.meta.variables[2].values.map((v) => v.code);
  for (const k of ['1', '2']) {
    const e = bruteCell(cube, [['0'], [k], ages, ['Personer1'], ['2020']]);
    const d = ds.Data({ Region: '0', Kjonn: k, ContentsCode: 'Personer1', Tid: '2020' });
    assert.equal(d.value, e.kind === 'value' ? e.value : null);
  }
});

test('DAPLA statbank: trailing-slash POST {"query":[]} and the error bodies it parses', async () => {
  const res = await fetch(`${base}/api/v0/no/table/07459/`, { method: 'POST', body: '{"query":[],"response":{"format":"json-stat2"}}', headers: { 'content-type': 'application/json' } });
  assert.equal(res.status, 200);
  const j = JSON.parse(Buffer.from(await res.arrayBuffer()).toString('utf8'));
  assert.deepEqual(j.id, ['ContentsCode', 'Tid']);
  const bad = await fetch(`${base}/api/v0/no/table/07459/`, { method: 'POST', body: query([['Alder', 'item', ['999']]], 'json-stat2') });
  assert.equal(bad.status, 400);
  const m = /The request for variable '(?<variable>.+)' has an error\. Please check your query\./.exec((await bad.json()).error);
  assert.equal(m?.groups?.variable, 'Alder');
  if (HAVE_SHARED) {
    const dir = join(SHARED, 'fixtures/pxweb/v1/ssb-real');
    const fixtureVar = JSON.parse(readFileSync(join(dir, 'dapla_fake_post_variable_error.json'), 'utf8')).error as string;
    assert.equal(fixtureVar.replace(/'[^']+'/, "'Alder'"), (await (await fetch(`${base}/api/v0/no/table/07459/`, { method: 'POST', body: query([['Alder', 'item', ['999']]]) })).json()).error);
    const fixtureParam = JSON.parse(readFileSync(join(dir, 'dapla_fake_post_parameter_error.json'), 'utf8'));
    const p = await fetch(`${base}/api/v0/no/table/07459/`, { method: 'POST', body: '{"query":[{"code":"Nope","selection":{"filter":"item","values":["1"]}}]}' });
    assert.deepEqual(await p.json(), fixtureParam);
  }
});

// ---- R pxweb on an SCB-shaped table -------------------------------------------------------------

const PXWEB = join(SHARED, 'fixtures/clients/pxweb-r');

/** A cube from the pxweb fixture metadata (real SCB BefolkningNy), trimmed to a testable size. */
function scbCube(): Cube {
  const meta = JSON.parse(readFileSync(join(PXWEB, 'rda-as-json/px_meta_example__px_meta.json'), 'utf8'));
  const keep: Record<string, (c: string) => boolean> = {
    Region: (c) => c === '00' || c === '01' || c.startsWith('011'),
    Alder: (c) => ['0', '1', '2', '100+', 'tot'].includes(c),
  };
  const variables: Variable[] = meta.variables.map((v: { code: string; text: string; values: string[]; valueTexts: string[]; elimination: boolean; time: boolean }) => ({
    code: v.code,
    label: { en: v.text },
    role: v.time ? 'time' : v.code === 'ContentsCode' ? 'contents' : undefined,
    elimination: v.elimination,
    values: v.values.map((c, i) => ({ code: c, label: { en: v.valueTexts[i] } })).filter((x) => (keep[v.code] ? keep[v.code](x.code) : true)),
  }));
  let n = 1;
  for (const v of variables) n *= v.values.length;
  return {
    meta: {
      id: 'BefolkningNy',
      title: { en: meta.title },
      contents: { en: 'Population' },
      languages: ['en'],
      defaultLanguage: 'en',
      variables,
      stub: variables.slice(0, 4).map((v) => v.code),
      heading: variables.slice(4).map((v) => v.code),
      decimals: 0,
      contentInfo: { BE0101N1: { unit: { en: 'number' }, decimals: 0 }, BE0101N2: { unit: { en: 'number' }, decimals: 0 } },
    },
    values: Float64Array.from({ length: n }, (_, i) => (i % 9973) + 10),
    status: null,
  };
}

test('R pxweb: config probe, levels, metadata, and its own query files in every format it sends', { skip: !HAVE_SHARED }, async () => {
  const store = createMemoryStore();
  store.putFolder('BE', { en: 'Population' });
  store.putFolder('BE/BE0101', { en: 'Population statistics' });
  const scb = scbCube();
  store.putTable(scb, { folders: ['BE/BE0101'], published: '2023-02-22T08:00:00Z' });
  const papp = await makeApp(store, { languages: ['en', 'no'], defaultLanguage: 'en', maxCalls: 1000, timeWindow: 10 });
  const pbase = await listen(papp);
  const tableUrl = `${pbase}/api/v1/en/table/BE/BE0101/BefolkningNy`;
  const ua = { 'user-agent': 'https://github.com/rOpenGov/pxweb' };
  try {
    // the config probe pxweb makes on the table URL: four keys, integers >= 1
    const cfg = await (await fetch(`${tableUrl}?config`, { headers: ua })).json();
    for (const k of ['maxValues', 'maxCalls', 'timeWindow']) assert.ok(Number.isInteger(cfg[k]) && cfg[k] >= 1, k);
    assert.equal(cfg.CORS, true);
    // database list and levels as pxweb checks them
    const dbs = await (await fetch(`${pbase}/api/v1/en`, { headers: ua })).json();
    assert.ok(dbs.every((d: object) => Object.keys(d).join() === 'dbid,text'));
    const levels = await (await fetch(`${pbase}/api/v1/en/table/BE/BE0101`, { headers: ua })).json();
    assert.ok(levels.every((l: { type: string; id: string; text: string }) => ['l', 't', 'h'].includes(l.type) && typeof l.text === 'string'));
    // metadata against the fixture it was built from
    const fixtureMeta = JSON.parse(readFileSync(join(PXWEB, 'rda-as-json/px_meta_example__px_meta.json'), 'utf8'));
    const meta = await (await fetch(tableUrl, { headers: ua })).json();
    assert.equal(meta.title, fixtureMeta.title);
    assert.deepEqual(meta.variables.map((v: { code: string }) => v.code), fixtureMeta.variables.map((v: { code: string }) => v.code));
    assert.deepEqual(meta.variables[5].values, fixtureMeta.variables[5].values);
    assert.equal(meta.variables[5].time, true);
    assert.equal(meta.variables[4].elimination, undefined);

    const files = readdirSync(join(PXWEB, 'queries')).filter((f) => /^(json_query_example|json_query_variables_example|json_single_query_test|json-stat_query_example|filter_query|test_query_px|test_query_sdmx)\.json$/.test(f));
    assert.ok(files.length >= 7);
    const dExample = JSON.parse(readFileSync(join(PXWEB, 'rda-as-json/d_example__d.json'), 'utf8'));
    const bodies: [string, unknown][] = files.map((f) => [f, JSON.parse(readFileSync(join(PXWEB, 'queries', f), 'utf8'))]);
    bodies.push(['d_example', dExample.query]);
    const fixtureData = JSON.parse(readFileSync(join(PXWEB, 'rda-as-json/pxd_example__pxd.json'), 'utf8'));
    for (const [name, body] of bodies) {
      // pxweb posts jsonlite output with no Content-Type header
      const r = await rawFetch(tableUrl, JSON.stringify(body));
      assert.equal(r.status, 200, `${name}: ${r.text.slice(0, 200)}`);
      const format = (body as { response: { format: string } }).response.format;
      if (format === 'json') {
        assert.equal(r.type, 'application/json; charset=utf-8');
        const j = JSON.parse(r.text);
        // R pxweb's assert_pxweb_data: names must include columns, comments, data
        for (const k of ['columns', 'comments', 'data']) assert.ok(k in j, `${name}: ${k}`);
        for (const c of j.columns) {
          assert.ok(['t', 'c', 'd'].includes(c.type));
          assert.deepEqual(Object.keys(c).filter((k) => k !== 'comment' && k !== 'unit'), Object.keys(fixtureData.columns[0]));
        }
        assert.deepEqual(Object.keys(j.data[0]), Object.keys(fixtureData.data[0]));
        checkPxJson(scb, body as PxQuery, j);
      } else if (format === 'json-stat') {
        const j = JSON.parse(r.text);
        assert.deepEqual(Object.keys(j), ['dataset']);
        assert.ok(j.dataset.dimension.id && j.dataset.dimension.size);
      } else if (format === 'px') {
        assert.equal(r.type, 'application/octet-stream; charset=Windows-1252');
        assert.match(r.text, /^CHARSET="ANSI";/);
        assert.match(r.text, /DATA=/);
      } else if (format === 'sdmx') {
        assert.equal(r.type, 'text/xml; charset=Windows-1252');
        assert.match(r.text, /GenericData/);
      }
    }
  } finally {
    await papp.close();
  }
});

interface PxQuery {
  query: { code: string; selection: { filter: string; values: string[] } }[];
}

/** Every PX-JSON row's values equal the cube's cells (eliminated variables summed), computed by hand. */
function checkPxJson(c: Cube, q: PxQuery, j: { columns: { code: string; type: string }[]; data: { key: string[]; values: string[] }[] }): void {
  const vars = c.meta.variables;
  const keyVars = j.columns.filter((x) => x.type !== 'c').map((x) => x.code);
  const contentCodes = j.columns.filter((x) => x.type === 'c').map((x) => x.code);
  assert.ok(j.data.length > 0);
  for (const row of j.data) {
    contentCodes.forEach((cc, ci) => {
      const inputs = vars.map((v) => {
        if (v.role === 'contents') return [cc];
        const k = keyVars.indexOf(v.code);
        if (k >= 0) return [row.key[k]];
        assert.ok(v.elimination, `${v.code} missing from the answer but not eliminable`);
        assert.ok(!q.query.some((x) => x.code === v.code && x.selection.filter === 'item' && x.selection.values.length));
        return v.values.map((x) => x.code);
      });
      const b = bruteCell(c, inputs);
      assert.equal(b.kind, 'value');
      assert.equal(row.values[ci], String((b as { value: number }).value));
    });
  }
}

async function rawFetch(url: string, body: string): Promise<{ status: number; type: string; text: string }> {
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-length': Buffer.byteLength(body), 'user-agent': 'https://github.com/rOpenGov/pxweb' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text: Buffer.concat(parts).toString(/json/.test(String(res.headers['content-type'])) ? 'utf8' : 'latin1') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test(
  'R pxweb: PX-JSON answers carry "comments" even when empty (pxweb asserts the name; SCB sends [])',
  { skip: !HAVE_SHARED },
  async () => {
    const fixtureData = JSON.parse(readFileSync(join(PXWEB, 'rda-as-json/pxd_example__pxd.json'), 'utf8'));
    assert.deepEqual(fixtureData.comments, []);
    const r = await fetch(`${base}/api/v0/no/table/07459`, { method: 'POST', body: query([['Region', 'item', ['0']], ['Tid', 'top', ['1']]], 'json') });
    const j = await r.json();
    assert.ok(Array.isArray(j.comments), 'comments is an array');
  },
);
