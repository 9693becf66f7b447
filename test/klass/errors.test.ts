// Every error path of the Klass API, in the three error formats (ProblemDetail JSON and XML, the bare message as
// CSV), and garbage input that must never crash the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoKlassData } from '../../src/demo/klass.js';
import type { KlassData } from '../../src/klass/model.js';
import { child, get, klassApp, parseXml, textOf } from './helpers.js';

const P = '/api/klass/v1';

/** [url, status, exact detail or pattern] */
const CASES: Array<[string, number, string | RegExp]> = [
  [`${P}/classifications/131/codes`, 400, "Required request parameter 'from' for method parameter type LocalDate is not present"],
  [`${P}/classifications/131/codes?from=`, 400, "Required request parameter 'from' for method parameter type LocalDate is present but converted to null"],
  [`${P}/classifications/131/codesAt`, 400, "Required request parameter 'date' for method parameter type LocalDate is not present"],
  [`${P}/classifications/131/codes?from=2020-13-01`, 400, /^Method parameter 'from': .*'2020-13-01' is not a date in the form yyyy-MM-dd$/],
  [`${P}/classifications/131/codes?from=2023-02-29`, 400, /'2023-02-29' is not a date/],
  [`${P}/classifications/131/codes?from=20200101`, 400, /'20200101' is not a date/],
  [`${P}/classifications/131/codes?from=garbage`, 400, /'garbage' is not a date/],
  [`${P}/classifications/131/codes?from=2020-01-01&to=2021-1-1`, 400, /^Method parameter 'to': .*'2021-1-1'/],
  [`${P}/classifications/131/codesAt?date=2020-01-01T00:00`, 400, /^Method parameter 'date'/],
  [`${P}/classifications/131/codes?from=2020-01-01&to=2019-01-01`, 400, 'From is equal or after to. From: 2020-01-01 To: 2019-01-01'],
  [`${P}/classifications/131/changes?from=2020-01-01&to=2020-01-01`, 400, 'From is equal or after to. From: 2020-01-01 To: 2020-01-01'],
  [`${P}/classifications/131/corresponds?targetClassificationId=104&from=2021-01-01&to=2020-01-01`, 400, /^From is equal or after to/],
  [`${P}/classifications/search`, 400, "Required request parameter 'query' for method parameter type String is not present"],
  [`${P}/classifications/6/variantAt?date=2020-01-01`, 400, "Required request parameter 'variantName' for method parameter type String is not present"],
  [`${P}/classifications/6/variantAt?variantName=Hovedn%C3%A6ringer`, 400, "Required request parameter 'date' for method parameter type LocalDate is not present"],
  [`${P}/classifications/6/variant?variantName=Hovedn%C3%A6ringer`, 400, "Required request parameter 'from' for method parameter type LocalDate is not present"],
  [`${P}/classifications/104/correspondsAt?date=2020-01-01`, 400, "Required request parameter 'targetClassificationId' for method parameter type Long is not present"],
  [
    `${P}/classifications/104/correspondsAt?date=2020-01-01&targetClassificationId=abc`,
    400,
    `Method parameter 'targetClassificationId': Failed to convert value of type 'java.lang.String' to required type 'java.lang.Long'; For input string: "abc"`,
  ],
  [`${P}/classifications/bogusInput`, 400, `Method parameter 'id': Failed to convert value of type 'java.lang.String' to required type 'java.lang.Long'; For input string: "bogusInput"`],
  [`${P}/classifications/bogusInput/codes?from=2020-01-01`, 400, /For input string: "bogusInput"/],
  [`${P}/classifications/bogusInput/codes`, 400, /For input string: "bogusInput"/], // the path id is read before the parameters
  [`${P}/classifications/null`, 400, /For input string: "null"/],
  [`${P}/classifications/2%3Flanguage=en`, 400, /For input string: "2\?language=en"/],
  [`${P}/classifications/99999999999999999999`, 400, /For input string/],
  [`${P}/classifications/99999`, 404, 'Classification not found with id = 99999'],
  [`${P}/classifications/9223372036854775807`, 404, 'Classification not found with id = 9223372036854775807'],
  [`${P}/classifications/007`, 404, 'Classification not found with id = 7'],
  [`${P}/classifications/99999/codesAt?date=2020-01-01`, 404, 'Classification not found with id = 99999'],
  [`${P}/versions/1`, 404, 'Classification Version not found with id = 1'],
  [`${P}/variants/1`, 404, 'Classification Variant not found with id = 1'],
  [`${P}/correspondencetables/1`, 404, 'Correspondence Table not found with id = 1'],
  [`${P}/classificationfamilies/99`, 404, 'ClassificationFamily not found with id = 99'],
  [`${P}/classifications/131/codesAt?date=2020-01-01&language=xx`, 400, /^Method parameter 'language': .*'xx' is not a language/],
  [`${P}/classifications/131?includeFuture=maybe`, 400, /^Method parameter 'includeFuture': .*Invalid boolean value \[maybe\]/],
  [`${P}/classifications?includeCodelists=2`, 400, /Method parameter 'includeCodelists'/],
  [`${P}/classifications?changedSince=yesterday`, 400, /^Method parameter 'changedSince': .*'yesterday' is not a date-time/],
  [`${P}/classifications?changedSince=2020-01-01`, 400, /is not a date-time/],
  [`${P}/classifications?changedSince=2020-01-01T25:00:00Z`, 400, /is not a date-time/],
  [`${P}/classifications/131/codesAt?date=2020-01-01&csvSeparator=%3B%3B`, 400, 'Separator must be a single character'],
  [`${P}/classifications/131/changes?from=2020-01-01&csvSeparator=ab`, 400, 'Separator must be a single character'],
  [`${P}/classifications/104/correspondsAt?targetClassificationId=131&date=2020-01-01&csvSeparator=%F0%9F%98%80`, 400, 'Separator must be a single character'],
  [`${P}/classifications/131/codesAt?date=2020-01-01&csvFields=code,foo,Name`, 400, 'CorrespondenceList does not contain the following field(s): foo,Name'],
  [`${P}/classifications/131/codes?from=2020-01-01&csvFields=validFromInRequestedRange`, 400, 'CorrespondenceList does not contain the following field(s): validFromInRequestedRange'],
  [`${P}/classifications/131/changes?from=2020-01-01&csvFields=code`, 400, 'CorrespondenceList does not contain the following field(s): code'],
  [`${P}/classifications/131/codesAt?date=2020-01-01&selectCodes=03%3B01`, 400, 'selectCodes contains illegal characters'],
  [`${P}/classifications/131/codesAt?date=2020-01-01&selectCodes=${'1'.repeat(201)}`, 400, 'selectCodes too long'],
  [`${P}/classifications/131/codesAt?date=2020-01-01&selectCodes=${Array.from({ length: 21 }, (_, i) => i).join(',')}`, 400, 'Too many selectCodes parameters'],
  [`${P}/classifications/6/codesAt?date=2020-01-01&language=nn`, 404, 'ClassificationVersion: [from=2009-01-01, to=max]. Is not published in language: NN'],
  [`${P}/classifications/6/variantAt?variantName=Nope&date=2020-01-01`, 404, "Standard for næringsgruppering (SN2007) does not have a variant named: 'Nope' in requested date range"],
  [`${P}/classifications/6/variantAt?variantName=Hovedn%C3%A6ringer&date=2000-01-01`, 404, /does not have a variant named: 'Hovednæringer' in requested date range/],
  [
    `${P}/classifications/19/correspondsAt?targetClassificationId=131&date=2020-01-01`,
    404,
    "Classification 'Standard for sivilstand' has no correspondence table with Classification 'Standard for kommuneinndeling'",
  ],
  [`${P}/classifications/104/correspondsAt?targetClassificationId=99999&date=2020-01-01`, 404, 'Classification not found with id = 99999'],
];

test('error paths: status and detail as ProblemDetail JSON, the same in XML, the bare message in CSV', async () => {
  const app = await klassApp();
  try {
    for (const [url, status, detail] of CASES) {
      const r = await get(app, url);
      assert.equal(r.statusCode, status, `${url}: ${r.body}`);
      assert.equal(r.headers['content-type'], 'application/json', url);
      const body = JSON.parse(r.body) as { type: string; title: string; status: number; detail: string; instance: string };
      assert.deepEqual(Object.keys(body), ['type', 'title', 'status', 'detail', 'instance'], url);
      assert.equal(body.type, 'about:blank');
      assert.equal(body.status, status);
      assert.equal(body.title, status === 400 ? 'Bad Request' : 'Not Found');
      assert.equal(body.instance, url.split('?')[0], url);
      if (typeof detail === 'string') assert.equal(body.detail, detail, url);
      else assert.match(body.detail, detail, url);

      for (const accept of ['application/xml', 'text/xml']) {
        const x = await get(app, url, accept);
        assert.equal(x.statusCode, status, url);
        assert.equal(x.headers['content-type'], `${accept};charset=UTF-8`);
        const doc = parseXml(x.body);
        assert.equal(doc.name, 'problem');
        assert.equal(doc.attrs.xmlns, 'urn:ietf:rfc:7807');
        assert.equal(textOf(doc, 'status'), String(status));
        assert.equal(textOf(doc, 'detail'), body.detail, url);
        assert.equal(textOf(doc, 'instance'), body.instance);
      }
      // CSV where the endpoint can answer CSV: the message as the body
      if (/\/(codes|codesAt|variant|variantAt|corresponds|correspondsAt|changes)(\?|$)|\/(versions|variants|correspondencetables)\//.test(url)) {
        const c = await get(app, url, 'text/csv');
        assert.equal(c.statusCode, status, url);
        assert.equal(c.headers['content-type'], 'text/csv;charset=ISO-8859-1');
        assert.equal(c.rawPayload.toString('latin1'), body.detail.replace(/[^\u0000-\u00ff]/gu, '?'), url);
      }
    }
  } finally {
    await app.close();
  }
});

test('unknown paths, suffixes and methods: 404 without detail, 406, 405', async () => {
  const app = await klassApp();
  try {
    for (const url of [`${P}/classifications/131/foo`, `${P}/nothing`, `${P}/classifications/`, `${P}/Classifications`, `${P}/classifications/131.pdf`, `${P}/classifications/131.html`, `${P}//classifications`]) {
      const r = await get(app, url);
      assert.equal(r.statusCode, 404, url);
      const body = JSON.parse(r.body);
      assert.deepEqual(body, { type: 'about:blank', title: 'Not Found', status: 404, instance: url });
      const c = await get(app, url, 'text/csv');
      assert.equal(c.statusCode, 404);
      assert.equal(c.body, '', 'unknown path with CSV: empty body');
    }
    for (const [url, accept] of [
      [`${P}/classifications/131`, 'text/html'],
      [`${P}/classifications/131`, 'text/csv'],
      [`${P}/classifications.csv`, undefined],
      [`${P}/ssbsections`, 'application/pdf, text/plain;q=0.5'],
      [`${P}/classifications/131/codesAt?date=2020-01-01`, 'application/json;q=0'],
    ] as Array<[string, string | undefined]>) {
      const r = await get(app, url, accept);
      assert.equal(r.statusCode, 406, `${url} ${accept}`);
      assert.equal(JSON.parse(r.body).title, 'Not Acceptable');
    }
    const post = await app.inject({ method: 'POST', url: `${P}/classifications`, payload: '{"x":1}', headers: { 'content-type': 'application/x-weird' } });
    assert.equal(post.statusCode, 405);
    assert.match(String(post.headers.allow), /GET/);
    assert.equal(JSON.parse(post.body).detail, "Request method 'POST' is not supported");
    const del = await app.inject({ method: 'DELETE', url: `${P}/versions/50` });
    assert.equal(del.statusCode, 405);
  } finally {
    await app.close();
  }
});

test('change tables missing or doubled between consecutive versions answer 404', async () => {
  const data: KlassData = demoKlassData();
  // drop the 2022 -> 2023 change table of 131
  const missing = { ...data, correspondenceTables: data.correspondenceTables.filter((t) => !(t.sourceVersionId === 13123 && t.targetVersionId === 13122)) };
  let app = await klassApp({ data: missing });
  try {
    const r = await get(app, `${P}/classifications/131/changes?from=2022-01-01`);
    assert.equal(r.statusCode, 404);
    assert.equal(JSON.parse(r.body).detail, 'Kommuneinndeling 2022 has no change table (correspondenceTable) with: Kommuneinndeling 2023');
    // a range that does not span that pair is fine
    assert.equal((await get(app, `${P}/classifications/131/changes?from=2023-06-01`)).statusCode, 200);
  } finally {
    await app.close();
  }
  const extra = structuredClone(data);
  const t = extra.correspondenceTables.find((x) => x.sourceVersionId === 13123 && x.targetVersionId === 13122)!;
  extra.correspondenceTables.push({ ...t, id: 99999, sourceVersionId: 13122, targetVersionId: 13123, maps: t.maps.map(([a, b]) => [b, a] as const) });
  app = await klassApp({ data: extra });
  try {
    const r = await get(app, `${P}/classifications/131/changes?from=2022-01-01`);
    assert.equal(r.statusCode, 404);
    assert.equal(JSON.parse(r.body).detail, 'Kommuneinndeling 2022 has multiple change tables (correspondenceTables) with: Kommuneinndeling 2023');
  } finally {
    await app.close();
  }
});

/** Deterministic pseudo-random numbers (mulberry32). */
function prng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('garbage input never crashes: random paths, parameters and Accept headers answer 200/302/400/404/406 in a parseable body', async () => {
  const app = await klassApp();
  const rnd = prng(20260823);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const ids = ['131', '104', '6', '19', '5', '50', '501', '606', '447', '10603', '13124', '0', '-1', '+131', 'x', '%00', '1.5', '131.json', '131.xml', '131.csv', '', '99999999999999999999999', '%E2%82%AC'];
  const paths = [
    'classifications',
    'classifications/search',
    'classifications/:id',
    'classifications/:id/codes',
    'classifications/:id/codesAt',
    'classifications/:id/variant',
    'classifications/:id/variantAt',
    'classifications/:id/corresponds',
    'classifications/:id/correspondsAt',
    'classifications/:id/changes',
    'versions/:id',
    'variants/:id',
    'correspondencetables/:id',
    'classificationfamilies',
    'classificationfamilies/:id',
    'ssbsections',
  ];
  const names = ['from', 'to', 'date', 'language', 'includeFuture', 'selectCodes', 'selectLevel', 'level', 'presentationNamePattern', 'csvSeparator', 'csvFields', 'variantName', 'targetClassificationId', 'inverted', 'query', 'page', 'size', 'changedSince', 'includeCodelists', 'ssbSection', 'includeDescription'];
  const values = [
    '',
    '2020-01-01',
    '2024-02-29',
    '0001-01-01',
    '9999-12-31',
    '0000-01-01',
    '2020-02-30',
    '1',
    '-1',
    'nb',
    'EN',
    'true',
    'Hovedn%C3%A6ringer',
    '%',
    '%%',
    '%ZZ',
    '%00',
    '%0A',
    '%F0%9F%98%80',
    '*',
    '01-03,11*,',
    '3004-34*',
    '{code}%20{name}',
    '%3Cscript%3E',
    'x'.repeat(3000),
    ',',
    ';',
    '131',
    'null',
    '2015-10-31T01:30:00.000-0200',
  ];
  const accepts = [undefined, '*/*', 'application/json', 'application/xml', 'text/xml', 'text/csv', 'text/csv;charset=UTF-8', 'text/html', 'garbage', ';;;', 'application/*;q=0.5, text/*'];
  const seen = new Map<number, number>();
  try {
    for (let i = 0; i < 400; i++) {
      const path = pick(paths).replace(':id', pick(ids));
      const n = Math.floor(rnd() * 5);
      const query = Array.from({ length: n }, () => `${pick(names)}=${pick(values)}`).join('&');
      const url = `${P}/${path}${query ? `?${query}` : ''}`;
      const accept = pick(accepts);
      const r = await get(app, url, accept);
      seen.set(r.statusCode, (seen.get(r.statusCode) ?? 0) + 1);
      assert.ok([200, 302, 400, 404, 406].includes(r.statusCode), `${url} (${accept}) -> ${r.statusCode}: ${r.body.slice(0, 200)}`);
      const type = String(r.headers['content-type'] ?? '');
      if (type.startsWith('application/json')) assert.doesNotThrow(() => JSON.parse(r.body), url);
      if (/xml/.test(type)) assert.doesNotThrow(() => parseXml(r.body), url);
      if (r.statusCode === 400 && type.startsWith('application/json')) assert.ok(JSON.parse(r.body).detail || JSON.parse(r.body).message, url);
    }
    // the generator reaches answers as well as every kind of refusal
    for (const status of [200, 400, 404, 406]) assert.ok((seen.get(status) ?? 0) >= 5, `${status}: ${JSON.stringify([...seen])}`);
  } finally {
    await app.close();
  }
});

test('XML error bodies escape what they quote', async () => {
  const app = await klassApp();
  try {
    const r = await get(app, `${P}/classifications/6/variantAt?variantName=%3Ca%3E%26%22&date=2020-01-01`, 'application/xml');
    assert.equal(r.statusCode, 404);
    const doc = parseXml(r.body);
    assert.equal(textOf(doc, 'detail'), `Standard for næringsgruppering (SN2007) does not have a variant named: '<a>&"' in requested date range`);
    assert.ok(child(doc, 'title'));
  } finally {
    await app.close();
  }
});
