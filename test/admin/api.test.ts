// The admin API: every route refuses a missing, unknown or revoked token with the same 401 and a token of the
// wrong scope with a 403; uploads become versions (now or at a release time) with the import's validation; releases
// can be listed, moved and cancelled; every write lands in the audit log with who, what, when and from where.

process.env.STATBANK_ADMIN_MAX_UPLOAD = '200000';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writePx } from '../../src/formats/px/writer.js';
import { cube } from '../store/cubes.js';
import { harness, T0 } from './helpers.js';

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Op {
  method: string;
  url: string;
  scope: string;
}

async function operations(h: Awaited<ReturnType<typeof harness>>): Promise<Op[]> {
  const r = await h.app.inject({ method: 'GET', url: '/api/admin/openapi.json' });
  assert.equal(r.statusCode, 200);
  const doc = r.json() as { openapi: string; paths: Record<string, Record<string, { security: { bearer: string[] }[] }>> };
  assert.equal(doc.openapi, '3.1.0');
  const ops: Op[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({ method: method.toUpperCase(), url: path.replace(/\{(\w+)\}/g, (_m, p: string) => (p === 'version' ? '1' : 'x1')), scope: op.security[0].bearer[0] });
    }
  }
  return ops;
}

test('every admin route: 401 without a valid token (same body for none, unknown, malformed, revoked), 403 for the wrong scope', async () => {
  const h = await harness();
  try {
    const ops = await operations(h);
    assert.ok(ops.length >= 18, `the document lists the routes (${ops.length})`);
    for (const m of ['POST /api/admin/tables', 'PATCH /api/admin/releases/x1/1', 'GET /api/admin/audit', 'POST /api/admin/webhooks', 'PUT /api/admin/headlines/x1']) {
      assert.ok(ops.some((o) => `${o.method} ${o.url}` === m), `${m} is documented`);
    }
    const revoked = await h.revoked();
    const publish = await h.token('publish');
    const adminToken = await h.token('admin');
    const unknown = `sbk_000000000000_${'A'.repeat(43)}`;
    const before = (await h.admin.readAudit()).length;
    for (const op of ops) {
      const bodies = new Set<string>();
      for (const auth of [undefined, `Bearer ${unknown}`, 'Bearer nonsense', `Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${revoked}`]) {
        const r = await h.app.inject({ method: op.method as 'GET', url: op.url, headers: auth ? { authorization: auth } : {}, payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}' });
        assert.equal(r.statusCode, 401, `${op.method} ${op.url} with ${auth}`);
        assert.match(String(r.headers['www-authenticate']), /^Bearer/);
        bodies.add(r.body);
      }
      assert.equal(bodies.size, 1, `${op.method} ${op.url}: one 401 body whatever the token`);
      const wrong = await h.app.inject({ method: op.method as 'GET', url: op.url, headers: { authorization: `Bearer ${publish}` }, payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}' });
      if (op.scope === 'admin') assert.equal(wrong.statusCode, 403, `${op.method} ${op.url} with a publish token`);
      else assert.ok(![401, 403].includes(wrong.statusCode), `${op.method} ${op.url} admits a publish token (${wrong.statusCode})`);
      const right = await h.app.inject({ method: op.method as 'GET', url: op.url, headers: { authorization: `Bearer ${adminToken}` }, payload: op.method === 'GET' || op.method === 'DELETE' ? undefined : '{}' });
      assert.ok(![401, 403].includes(right.statusCode), `${op.method} ${op.url} admits an admin token (${right.statusCode})`);
    }
    // refused calls write nothing; admitted writes are all recorded
    const writes = ops.filter((o) => o.method !== 'GET');
    const audit = await h.admin.readAudit({ limit: 1000 });
    assert.equal(audit.length - before, writes.filter((o) => o.scope === 'publish').length + writes.length);
  } finally {
    await h.close();
  }
});

test('upload, schedule, reschedule, cancel and list: the embargo holds, the audit log says who did what from where', async () => {
  const h = await harness();
  try {
    const auth = { authorization: `Bearer ${await h.token('publish', 'Kari Publisher')}` };
    const adminAuth = { authorization: `Bearer ${await h.token('admin', 'Ola Admin')}` };
    // a new folder for the table, then version 1 now, version 2 at 08:00 Oslo on 2026-12-01 (07:00Z)
    assert.equal((await h.app.inject({ method: 'PUT', url: '/api/admin/folders/uh', headers: adminAuth, payload: { label: { no: 'Utenrikshandel', en: 'External trade' } } })).statusCode, 200);
    const px1 = writePx(cube('90001', [2, 3], (i) => i, 'Handel v1'));
    const up1 = await h.app.inject({ method: 'POST', url: '/api/admin/tables?folder=uh', headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: px1 });
    assert.equal(up1.statusCode, 201, up1.body);
    assert.deepEqual([up1.json().table, up1.json().version, up1.json().status], ['90001', 1, 'published']);
    const px2 = writePx(cube('90001', [2, 3], (i) => 100 + i, 'Handel v2'));
    const up2 = await h.app.inject({ method: 'POST', url: '/api/admin/tables?date=2026-12-01', headers: auth, payload: px2 });
    assert.equal(up2.statusCode, 201, up2.body);
    assert.equal(up2.json().releaseAt, '2026-12-01T07:00:00.000Z');
    // the public API still shows version 1
    const pub = await h.app.inject({ method: 'GET', url: '/api/v2/tables/90001/metadata?lang=en' });
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /Handel v1/);
    assert.doesNotMatch(pub.body, /Handel v2/);
    const rel = (await h.app.inject({ method: 'GET', url: '/api/admin/releases', headers: auth })).json();
    assert.deepEqual(rel.scheduled.map((s: { table: string; version: number }) => `${s.table}@${s.version}`), ['90001@2']);
    const versions = (await h.app.inject({ method: 'GET', url: '/api/admin/tables/90001/versions', headers: auth })).json().versions;
    assert.deepEqual(versions.map((v: { version: number; pending: boolean }) => [v.version, v.pending]), [[1, false], [2, true]]);
    // move it, in the past refused, then a real move
    const past = await h.app.inject({ method: 'PATCH', url: '/api/admin/releases/90001/2', headers: auth, payload: { releaseAt: iso(T0 - HOUR) } });
    assert.equal(past.statusCode, 400);
    const moved = await h.app.inject({ method: 'PATCH', url: '/api/admin/releases/90001/2', headers: auth, payload: { date: '2026-12-02', time: '10:00' } });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.equal(moved.json().releaseAt, '2026-12-02T09:00:00.000Z');
    // garbage in: not a PX file, too large, a release time in the past
    const bad = await h.app.inject({ method: 'POST', url: '/api/admin/tables', headers: auth, payload: 'hello' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error, /PX/);
    const big = await h.app.inject({ method: 'POST', url: '/api/admin/tables', headers: auth, payload: Buffer.alloc(300_000, 32) });
    assert.equal(big.statusCode, 413);
    const late = await h.app.inject({ method: 'POST', url: `/api/admin/tables?releaseAt=${iso(T0 - 1)}`, headers: auth, payload: px2 });
    assert.equal(late.statusCode, 400);
    assert.equal(h.store.listVersions('90001', { includePending: true }).length, 2, 'refused uploads stored nothing');
    // cancel
    const cancelled = await h.app.inject({ method: 'DELETE', url: '/api/admin/releases/90001/2', headers: auth });
    assert.deepEqual(cancelled.json().cancelled, [2]);
    assert.equal((await h.app.inject({ method: 'DELETE', url: '/api/admin/releases/90001/2', headers: auth })).statusCode, 404);

    // the audit log, newest first, for admins only
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/admin/audit', headers: auth })).statusCode, 403);
    const log = await h.app.inject({ method: 'GET', url: '/api/admin/audit', headers: adminAuth });
    const entries = log.json().entries as { action: string; who: { name: string; tokenId: string }; target?: string; from: string; at: string; outcome: number; details?: { version?: number } }[];
    const lines = entries.map((e) => `${e.who.name} ${e.action} ${e.target ?? ''} ${e.outcome}`).reverse();
    assert.deepEqual(lines, [
      'Ola Admin PUT /api/admin/folders/* uh 200',
      'Kari Publisher POST /api/admin/tables 90001 201',
      'Kari Publisher POST /api/admin/tables 90001 201',
      'Kari Publisher PATCH /api/admin/releases/:id/:version 90001@2 400',
      'Kari Publisher PATCH /api/admin/releases/:id/:version 90001@2 200',
      'Kari Publisher POST /api/admin/tables  400',
      'Kari Publisher POST /api/admin/tables  413',
      'Kari Publisher POST /api/admin/tables  400',
      'Kari Publisher DELETE /api/admin/releases/:id/:version 90001@2 200',
      'Kari Publisher DELETE /api/admin/releases/:id/:version 90001@2 404',
    ]);
    assert.ok(entries.every((e) => e.at === iso(T0) && e.from === '127.0.0.1' && /^[0-9a-f]{12}$/.test(e.who.tokenId)));
    assert.equal(entries.find((e) => e.outcome === 201 && e.details?.version === 2)?.action, 'POST /api/admin/tables');
  } finally {
    await h.close();
  }
});

test('a dataset made through the admin API is served at /api/v0/dataset at once, and gone when deleted', async () => {
  const { generateDemo } = await import('../../src/demo/index.js');
  const { createMemoryStore } = await import('../../src/store/memoryStore.js');
  const store = createMemoryStore({ now: () => T0 });
  await generateDemo(store, { small: true });
  const h = await harness({ store });
  try {
    const token = await h.token('admin');
    const auth = { authorization: `Bearer ${token}` };
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/admin/datasets/4242',
      headers: auth,
      payload: { tableId: '07459', title: { no: 'Folketall i Oslo', en: 'Population of Oslo' }, query: [{ code: 'Region', selection: { filter: 'item', values: ['0301'] } }] },
    });
    assert.ok(put.statusCode < 300, put.body);
    const list = (await h.app.inject({ method: 'GET', url: '/api/v0/dataset/list.json?lang=en' })).json();
    assert.ok(list.datasets.some((d: { id: string; title: string }) => d.id === '4242' && d.title === 'Population of Oslo'));
    const data = await h.app.inject({ method: 'GET', url: '/api/v0/dataset/4242.json?lang=en' });
    assert.equal(data.statusCode, 200, data.body);
    assert.deepEqual(Object.keys(data.json().dataset.dimension.Region.category.index), ['0301']);
    const del = await h.app.inject({ method: 'DELETE', url: '/api/admin/datasets/4242', headers: auth });
    assert.ok(del.statusCode < 300, del.body);
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/v0/dataset/4242.json' })).statusCode, 404);
  } finally {
    await h.close();
  }
});

test('the release history lists past scheduled releases newest first, bounded by limit and filtered by table', async () => {
  const h = await harness();
  try {
    const auth = { authorization: `Bearer ${await h.token('publish', 'Kari Publisher')}` };
    h.store.putTable(cube('90011', [2], (i) => i, 'A'));
    h.store.putTable(cube('90012', [2], (i) => i, 'B'));
    h.store.scheduleTable(cube('90011', [2], (i) => i + 1, 'A'), { releaseAt: iso(T0 + HOUR) });
    h.store.scheduleTable(cube('90012', [2], (i) => i + 1, 'B'), { releaseAt: iso(T0 + 2 * HOUR) });
    h.store.scheduleTable(cube('90011', [2], (i) => i + 2, 'A'), { releaseAt: iso(T0 + 3 * HOUR) });
    h.at(T0 + 2 * HOUR);
    const rel = (await h.app.inject({ method: 'GET', url: '/api/admin/releases', headers: auth })).json();
    assert.deepEqual(rel.past.map((p: { table: string; version: number }) => `${p.table}@${p.version}`), ['90012@2', '90011@2']);
    assert.deepEqual(rel.scheduled.map((s: { table: string; version: number }) => `${s.table}@${s.version}`), ['90011@3']);
    const one = (await h.app.inject({ method: 'GET', url: '/api/admin/releases?limit=1', headers: auth })).json();
    assert.deepEqual(one.past.map((p: { table: string }) => p.table), ['90012']);
    const mine = (await h.app.inject({ method: 'GET', url: '/api/admin/releases?table=90011', headers: auth })).json();
    assert.deepEqual(mine.past.map((p: { table: string; version: number; current: boolean }) => [p.table, p.version, p.current]), [['90011', 2, true]]);
    assert.deepEqual(mine.scheduled.map((s: { version: number }) => s.version), [3]);
  } finally {
    await h.close();
  }
});
