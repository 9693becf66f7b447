// The OpenAPI 3.1 document the server publishes is generated from its route schemas; it must agree with the
// reference PxAPI-2.yml on every path: the same paths, methods, parameter names and status codes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { testServer, type TestServer } from './cubes.js';

const YML = fileURLToPath(new URL('../../../shared/fixtures/pxweb/PxAPI-2.yml', import.meta.url));

type Op = { parameters?: ({ $ref?: string; name?: string; in?: string } | undefined)[]; responses?: Record<string, unknown> };
type Doc = { openapi: string; paths: Record<string, Record<string, Op>>; components?: { parameters?: Record<string, { name: string; in: string }> } };

const METHODS = ['get', 'post', 'put', 'delete', 'patch', 'options', 'head'];

/** path -> method -> { params: "in:name" sorted, statuses sorted } */
function summarize(doc: Doc) {
  const out: Record<string, Record<string, { params: string[]; statuses: string[] }>> = {};
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const params = (op.parameters ?? []).map((p) => {
        const q = p?.$ref ? doc.components!.parameters![p.$ref.split('/').pop()!] : p!;
        return `${q.in}:${q.name}`;
      });
      (out[path] ??= {})[method] = { params: [...new Set(params)].sort(), statuses: Object.keys(op.responses ?? {}).sort() };
    }
  }
  return out;
}

let t: TestServer;
before(async () => {
  t = await testServer();
});
after(async () => {
  await t.app.close();
});

test('the published document is OpenAPI 3.1 and agrees with PxAPI-2.yml', { skip: !existsSync(YML) && 'shared fixtures absent' }, async () => {
  const r = await t.app.inject({ url: '/api/v2/openapi.json' });
  assert.equal(r.statusCode, 200);
  assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
  const ours = JSON.parse(r.body) as Doc;
  assert.match(ours.openapi, /^3\.1\./);
  const ref = parseYaml(readFileSync(YML, 'utf8')) as Doc;
  const a = summarize(ours);
  const b = summarize(ref);
  // every reference path, plus Statbank's documented extensions
  const EXTENSIONS = ['/tables/{id}/versions'];
  assert.deepEqual(Object.keys(a).filter((p) => !EXTENSIONS.includes(p)).sort(), Object.keys(b).sort(), 'paths');
  for (const x of EXTENSIONS) assert.ok(a[x]?.get, `extension ${x} is documented`);
  for (const path of Object.keys(b)) {
    assert.deepEqual(Object.keys(a[path]).sort(), Object.keys(b[path]).sort(), `methods of ${path}`);
    for (const m of Object.keys(b[path])) {
      assert.deepEqual(a[path][m].params, b[path][m].params, `parameters of ${m} ${path}`);
      assert.deepEqual(a[path][m].statuses, b[path][m].statuses, `status codes of ${m} ${path}`);
    }
  }
  // deepObject parameters are described as such, request bodies exist where the reference has them
  const data = ours.paths['/tables/{id}/data'].get.parameters as { name: string; style?: string }[];
  assert.equal(data.find((p) => p.name === 'valuecodes')?.style, 'deepObject');
  assert.ok((ours.paths['/tables/{id}/data'].post as { requestBody?: unknown }).requestBody);
  assert.ok((ours.paths['/savedqueries'].post as { requestBody?: unknown }).requestBody);
});

test('Swagger UI and the alias prefix', async () => {
  const ui = await t.app.inject({ url: '/api/v2/docs' });
  assert.ok(ui.statusCode === 200 || ui.statusCode === 302, String(ui.statusCode));
  const page = ui.statusCode === 302 ? await t.app.inject({ url: String(ui.headers.location) }) : ui;
  assert.match(page.body, /swagger/i);
  // the same document is reachable under the alias prefix, and it documents each path once
  const alias = await t.app.inject({ url: '/api/pxwebapi/v2/openapi.json' });
  assert.equal(alias.statusCode, 200);
  const doc = JSON.parse(alias.body) as Doc;
  assert.ok(Object.keys(doc.paths).every((p) => !p.startsWith('/api/')), Object.keys(doc.paths).join(' '));
});
