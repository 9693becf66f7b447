// Ready-made datasets (/api/v0/dataset/…) on the demo database: the list, JSON-stat 1.2 equal to the API v1 answer
// of the dataset's query, the CSV dialect per language in Latin-1, HTML pages, garbage, and `top` following a new
// version of the table.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import JSONstat from 'jsonstat-toolkit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { createAppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/app/config.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';
import { demoContent, generateDemo } from '../../src/demo/index.js';
import { DEMO_DATASETS } from '../../src/demo/datasets.js';

const BASE = 'http://statbank.test';
let store: Store;
let app: FastifyInstance;

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const v1Post = (tableId: string, lang: string, query: unknown, format: string) =>
  app.inject({ method: 'POST', url: `/api/v0/${lang}/table/${tableId}`, payload: JSON.stringify({ query, response: { format } }) });

/** RFC 4180 reader with a chosen separator: quoted fields come back with `quoted: true`. */
function readCsv(text: string, sep: string): { v: string; quoted: boolean }[][] {
  const rows: { v: string; quoted: boolean }[][] = [];
  let row: { v: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        assert.ok(q >= 0, 'unterminated quote');
        v += text.slice(i, q);
        if (text[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      row.push({ v, quoted: true });
    } else {
      let j = i;
      while (j < text.length && text[j] !== sep && text[j] !== '\r' && text[j] !== '\n') j++;
      row.push({ v: text.slice(i, j), quoted: false });
      i = j;
    }
    if (text[i] === sep) i++;
    else if (text[i] === '\r' || text[i] === '\n') {
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      rows.push(row);
      row = [];
    }
  }
  if (row.length) rows.push(row);
  return rows;
}

before(() => {
  store = createMemoryStore();
  generateDemo(store, { small: true });
});
after(() => store.close());

describe('datasets on the demo', () => {
  before(async () => {
    app = await buildApp({ store, config: loadConfig({ maxCalls: 0, baseUrl: BASE }, {}), ...demoContent() }, { logger: false });
  });
  after(() => app.close());

  test('list.json: every demo dataset with id, tags (table number, short name, regional/time-series words) and working links', async () => {
    for (const lang of ['no', 'en']) {
      const r = await get(`/api/v0/dataset/list.json?lang=${lang}`);
      assert.equal(r.statusCode, 200);
      assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
      const { datasets } = r.json() as { datasets: Record<string, any>[] };
      assert.deepEqual(datasets.map((d) => d.id), DEMO_DATASETS.map((d) => d.id));
      for (const d of datasets) {
        const def = DEMO_DATASETS.find((x) => x.id === d.id)!;
        assert.ok(d.tags.includes(def.tableId), `${d.id} tagged with its table`);
        assert.equal(d.table, def.tableId);
        assert.equal(d.title, def.title[lang]);
        const rec = store.getTable(def.tableId)!;
        assert.ok(rec.shortName && d.tags.includes(rec.shortName), `${d.id} tagged with the statistic's short name`);
        for (const k of ['json', 'csv', 'html']) {
          assert.ok(String(d[k]).startsWith(`${BASE}/api/v0/dataset/${d.id}`), k);
          const res = await get(String(d[k]).slice(BASE.length));
          assert.equal(res.statusCode, 200, `${d[k]}`);
        }
        // the listed update time is the one the dataset itself carries
        const js = (await get(`/api/v0/dataset/${d.id}.json?lang=${lang}`)).json() as any;
        assert.equal(d.updated, js.dataset.updated);
      }
      const tagsOf = (id: string) => datasets.find((d) => d.id === id)!.tags as string[];
      assert.ok(tagsOf('1052').includes('aku'));
      assert.ok(tagsOf('1108').includes(lang === 'no' ? 'kommuner' : 'municipality'));
      assert.ok(tagsOf('1104').includes(lang === 'no' ? 'fylker' : 'county'));
      assert.ok(tagsOf('1082').includes(lang === 'no' ? 'tidsserie' : 'time series'));
    }
  });

  test('list.csv: one row per dataset, in the language CSV dialect, Latin-1', async () => {
    const no = await get('/api/v0/dataset/list.csv?lang=no');
    assert.equal(no.statusCode, 200);
    assert.equal(no.headers['content-type'], 'text/csv; charset=ISO-8859-1');
    const rows = readCsv(no.rawPayload.toString('latin1'), ';');
    assert.deepEqual(rows[0].map((c) => c.v), ['id', 'title', 'tags', 'table', 'updated', 'json', 'csv', 'html']);
    assert.deepEqual(rows.slice(1).map((r) => r[0].v), DEMO_DATASETS.map((d) => d.id));
    const title = rows.find((r) => r[0].v === '1052')![1].v;
    assert.equal(title, DEMO_DATASETS[0].title.no);
    assert.ok(no.rawPayload.includes(Buffer.from('måneder', 'latin1')), 'å as one Latin-1 byte');
    const en = readCsv((await get('/api/v0/dataset/list.csv?lang=en')).rawPayload.toString('latin1'), ',');
    assert.equal(en.length, rows.length);
    assert.equal(en[1][2].v, DEMO_DATASETS[0].tags.en.join(','));
  });

  test('{id}.json is the API v1 json-stat answer to the dataset query, for every dataset and language', async () => {
    for (const d of DEMO_DATASETS) {
      for (const lang of ['no', 'en']) {
        const got = await get(`/api/v0/dataset/${d.id}.json?lang=${lang}`);
        assert.equal(got.statusCode, 200);
        assert.equal(got.headers['content-type'], 'application/json; charset=utf-8');
        const want = await v1Post(d.tableId, lang, d.query, 'json-stat');
        assert.equal(want.statusCode, 200);
        assert.equal(got.body, want.body, `${d.id} ${lang}`);
        // and the numbers are those of a json-stat2 query (another serializer)
        const js2 = (await v1Post(d.tableId, lang, d.query, 'json-stat2')).json() as any;
        const ds = (got.json() as any).dataset;
        assert.deepEqual(ds.value, js2.value);
        assert.deepEqual(ds.dimension.id, js2.id);
      }
    }
  });

  test('jsonstat-toolkit reads a dataset; the fields PxWebApiData uses are there (label, source, updated, ids, value, status)', async () => {
    const text = (await get('/api/v0/dataset/1124.json?lang=no')).body;
    const bundle = JSONstat(JSON.parse(text));
    assert.equal(bundle.class, 'bundle');
    const ds = bundle.Dataset(0);
    assert.equal(ds.class, 'dataset');
    assert.deepEqual(ds.id, ['Yrke', 'Sektor', 'Kjonn', 'ContentsCode', 'Tid']);
    assert.equal(ds.n, ds.id.reduce((n: number, id: string) => n * ds.Dimension(id).length, 1));
    assert.equal(ds.Dimension('Tid').length, 5);
    const raw = JSON.parse(text).dataset;
    assert.equal(typeof raw.label, 'string');
    assert.equal(raw.source, 'Statistisk sentralbyrå (demodata)');
    assert.match(raw.updated, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(raw.value.length, ds.n);
    // the missing cells carry Statistics Norway's symbols, with null values
    const symbols = new Set(Object.values(raw.status as Record<string, string>));
    for (const s of ['..', ':', '-']) assert.ok(symbols.has(s), `status ${s}`);
    for (const k of Object.keys(raw.status)) assert.equal(raw.value[Number(k)], null);
    const cell = ds.Data({ Yrke: '6', Sektor: '6100', Kjonn: '0', ContentsCode: 'Arbeidsforhold', Tid: ds.Dimension('Tid').id[0] });
    assert.equal(cell.status, '-');
    const v1 = JSONstat((await v1Post('11418', 'no', DEMO_DATASETS.find((d) => d.id === '1124')!.query, 'json-stat2')).json());
    const some = { Yrke: '0-9', Sektor: 'ALLE', Kjonn: '2', ContentsCode: 'Manedslonn', Tid: ds.Dimension('Tid').id[4] };
    assert.equal(ds.Data(some).value, v1.Data(some).value);
    assert.equal(typeof ds.Data(some).value, 'number');
  });

  test('{id}.csv: lang=no semicolons and decimal comma, lang=en commas and decimal point; ISO-8859-1; same numbers as v1 csv2', async () => {
    for (const d of DEMO_DATASETS) {
      for (const lang of ['no', 'en']) {
        const r = await get(`/api/v0/dataset/${d.id}.csv?lang=${lang}`);
        assert.equal(r.statusCode, 200);
        assert.equal(r.headers['content-type'], 'text/csv; charset=ISO-8859-1');
        const bytes = r.rawPayload;
        assert.ok(!bytes.includes(Buffer.from([0xc3])), `${d.id} ${lang}: no UTF-8 sequences`);
        const sep = lang === 'no' ? ';' : ',';
        const rows = readCsv(bytes.toString('latin1'), sep);
        const ref = readCsv((await v1Post(d.tableId, lang, d.query, 'csv2')).rawPayload.toString('latin1'), ',');
        assert.equal(rows.length, ref.length);
        rows.forEach((row, i) => {
          assert.equal(row.length, ref[i].length, `${d.id} ${lang} row ${i}`);
          row.forEach((cell, j) => {
            const want = ref[i][j];
            if (want.quoted) assert.deepEqual(cell, want);
            else if (/^-?\d+\.\d+$/.test(want.v)) {
              assert.equal(cell.v, lang === 'no' ? want.v.replace('.', ',') : want.v);
              assert.equal(Number(cell.v.replace(',', '.')), Number(want.v));
            } else assert.deepEqual(cell, want); // whole numbers and symbols
          });
        });
      }
    }
    const no = (await get('/api/v0/dataset/1052.csv?lang=no')).rawPayload;
    assert.ok(no.includes(Buffer.from('"kjønn";"alder";"måned"', 'latin1')));
    assert.match(no.toString('latin1'), /;\d+,\d\r\n/, 'a share with a decimal comma');
    const en = (await get('/api/v0/dataset/1052.csv?lang=en')).rawPayload.toString('latin1');
    assert.match(en, /,\d+\.\d\r\n/);
    assert.ok(!/;/.test(en));
    const sym = (await get('/api/v0/dataset/1124.csv?lang=no')).rawPayload.toString('latin1');
    assert.match(sym, /;:\r\n/);
    assert.match(sym, /;-\r\n/);
    assert.match(sym, /;\.\.\r\n/);
  });

  test('HTML pages: a dataset with its links and query, the list, other language', async () => {
    const r = await get('/api/v0/dataset/1052?lang=no');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.ok(r.body.includes(`<h1>${DEMO_DATASETS[0].title.no}</h1>`));
    for (const href of [`${BASE}/api/v0/dataset/1052.json?lang=no`, `${BASE}/api/v0/dataset/1052.csv?lang=no`, `${BASE}/api/v0/dataset/1052?lang=en`, `${BASE}/statbank/table/08931`]) {
      assert.ok(r.body.includes(`href="${href}"`), href);
    }
    assert.ok(r.body.includes('&quot;filter&quot;:&quot;top&quot;'), 'the v1 query, escaped');
    const list = await get('/api/v0/dataset/?lang=en');
    assert.equal(list.statusCode, 200);
    for (const d of DEMO_DATASETS) assert.ok(list.body.includes(`href="${BASE}/api/v0/dataset/${d.id}?lang=en"`));
    assert.equal((await get('/api/v0/dataset')).statusCode, 200);
    assert.ok((await get('/api/v0/dataset/list')).body.includes('list.json'));
  });

  test('garbage ids, formats, languages and methods get clear errors', async () => {
    const cases: [string, number, RegExp][] = [
      ['/api/v0/dataset/9999.json', 404, /No dataset with id "9999"/],
      ['/api/v0/dataset/9999.csv?lang=en', 404, /No dataset/],
      ['/api/v0/dataset/abc.json', 404, /No dataset with id "abc"/],
      ['/api/v0/dataset/' + '1'.repeat(40) + '.json', 404, /No dataset/],
      ['/api/v0/dataset/1052.xml', 400, /Unknown format \.xml/],
      ['/api/v0/dataset/1052.', 400, /Unknown format/],
      ['/api/v0/dataset/list.xml', 400, /list\.json/],
      ['/api/v0/dataset/1052.json?lang=xx', 400, /Unknown language "xx"/],
      ['/api/v0/dataset/list.json?lang=%3Cb%3E', 400, /Unknown language/],
      ['/api/v0/dataset/1052/extra.json', 404, /No such dataset resource/],
      ['/api/v0/dataset/..%2F..%2Fetc%2Fpasswd', 404, /No dataset/],
      ['/api/v0/dataset/%E2%82%AC.json', 404, /No dataset/],
    ];
    for (const [url, status, msg] of cases) {
      const r = await get(url);
      assert.equal(r.statusCode, status, url);
      const message = r.headers['content-type']!.startsWith('text/html') ? r.body : String((r.json() as any).error);
      assert.match(message, msg, url);
    }
    const page = await get('/api/v0/dataset/9999?lang=en');
    assert.equal(page.statusCode, 404);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    const esc = await get('/api/v0/dataset/%3Cscript%3E?lang=en');
    assert.equal(esc.statusCode, 404);
    assert.ok(!esc.body.includes('<script>'), 'ids are escaped in pages');
    const bad = await get('/api/v0/dataset/%zz.json');
    assert.equal(bad.statusCode, 400);
    const post = await app.inject({ method: 'POST', url: '/api/v0/dataset/1052.json', payload: '{}' });
    assert.equal(post.statusCode, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
    const head = await app.inject({ method: 'HEAD', url: '/api/v0/dataset/1052.json' });
    assert.equal(head.statusCode, 200);
    // API v1 itself is untouched
    assert.equal((await get('/api/v0/no/table/08931')).statusCode, 200);
  });

  test('a dataset whose table is gone is neither listed nor served', async () => {
    const own = createMemoryStore();
    generateDemo(own, { small: true });
    own.deleteTable('11418');
    const a = await buildApp({ store: own, config: loadConfig({ maxCalls: 0, baseUrl: BASE }, {}), ...demoContent() }, { logger: false });
    try {
      const list = (await a.inject({ method: 'GET', url: '/api/v0/dataset/list.json' })).json() as { datasets: { id: string }[] };
      assert.ok(!list.datasets.some((d) => d.id === '1124'));
      assert.equal(list.datasets.length, DEMO_DATASETS.length - 1);
      const r = await a.inject({ method: 'GET', url: '/api/v0/dataset/1124.json' });
      assert.equal(r.statusCode, 404);
      assert.match(r.body, /table 11418 is not in this database/);
    } finally {
      await a.close();
      own.close();
    }
  });
});

describe('datasets follow new versions of their tables', () => {
  test('a `top` dataset moves when the table gets a new year; the old answer is not served from cache', async () => {
    const own = createMemoryStore();
    generateDemo(own, { small: true, lastYear: 2025 });
    const a = await buildApp({ store: own, config: loadConfig({ maxCalls: 0, baseUrl: BASE }, {}), ...demoContent() }, { logger: false });
    try {
      const months = async () => {
        const ds = (await a.inject({ method: 'GET', url: '/api/v0/dataset/1052.json?lang=en' })).json() as any;
        const idx = ds.dataset.dimension.Tid.category.index as Record<string, number>;
        return Object.keys(idx).sort((x, y) => idx[x] - idx[y]);
      };
      const before = await months();
      assert.equal(before.length, 13);
      assert.equal(before[12], '2025M09');
      const csvBefore = (await a.inject({ method: 'GET', url: '/api/v0/dataset/1052.csv?lang=no' })).body;
      generateDemo(own, { small: true, lastYear: 2026 });
      const now = await months();
      assert.equal(now.length, 13);
      assert.equal(now[12], '2026M09');
      assert.equal(now[0], '2025M09');
      const csvNow = (await a.inject({ method: 'GET', url: '/api/v0/dataset/1052.csv?lang=no' })).body;
      assert.notEqual(csvNow, csvBefore);
      assert.ok(csvNow.includes('"2026M09"'));
      const list = (await a.inject({ method: 'GET', url: '/api/v0/dataset/list.json' })).json() as any;
      assert.match(list.datasets[0].updated, /^2026-/);
    } finally {
      await a.close();
      own.close();
    }
  });
});

describe('datasets follow their definitions', () => {
  test('a dataset redefined on an unchanged table is answered anew (cache and ETag follow the definition)', async () => {
    const own = createMemoryStore();
    generateDemo(own, { small: true, lastYear: 2025 });
    const content = demoContent();
    const ctx = createAppContext({ store: own, config: loadConfig({ maxCalls: 0, baseUrl: BASE }, {}), ...content });
    const app = await buildApp(ctx, { logger: false });
    try {
      const get = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/api/v0/dataset/1052.json?lang=en', headers });
      const months = (r: { json(): unknown }) => Object.keys((r.json() as any).dataset.dimension.Tid.category.index);
      const first = await get();
      assert.equal(first.statusCode, 200);
      const etag = String(first.headers.etag);
      assert.ok(etag);
      assert.equal((await get({ 'if-none-match': etag })).statusCode, 304);
      assert.equal(months(first).length, 13);

      // a managed definition (the admin API) is laid over the configured one: same id, 3 months instead of 13
      const original = content.datasets!.find((d) => d.id === '1052')!;
      const query = original.query.map((q) => (q.code === 'Tid' ? { ...q, selection: { filter: 'top', values: ['3'] } } : q));
      ctx.datasets.setManaged([{ ...original, query }]);
      const again = await get({ 'if-none-match': etag });
      assert.equal(again.statusCode, 200, 'the old ETag must not validate a redefined dataset');
      assert.notEqual(String(again.headers.etag), etag);
      assert.equal(months(again).length, 3);
    } finally {
      await app.close();
      await ctx.close();
      own.close();
    }
  });
});
