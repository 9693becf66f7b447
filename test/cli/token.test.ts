// `statbank token create|list|revoke` in-process through run(), on a temporary SQLite database, against the admin
// API of a server app built on the same file: the printed token opens the routes of its scope, the list never
// shows a secret, a revoked token answers 401 at once, and a bad scope is refused with a clear message.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/app/config.js';
import { buildApp } from '../../src/server/app.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { cli } from './runCli.js';

test('token create prints a token that works, list shows it without the secret, revoke makes it answer 401', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-token-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'tokens.db');

  const made = await cli(['token', 'create', '--db', db, '--name', 'Division of trade', '--scope', 'publish']);
  assert.equal(made.status, 0, made.stderr);
  const token = made.stdout.trim().split('\n').at(-1)!;
  assert.match(token, /^sbk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/, made.stdout);
  const id = token.split('_')[1];
  // the secret is base64url, which has '_' in its alphabet: cut it by position, not by splitting on '_'
  const secretOf = (t: string) => t.slice('sbk_'.length + id.length + 1);
  const secret = secretOf(token);
  assert.equal(secret.length, 43);
  assert.match(made.stdout, new RegExp(`Token ${id} "Division of trade" \\(scope publish\\)`));

  const adm = await cli(['token', 'create', '--db', db, '--name', 'ops', '--scope', 'admin', '--json']);
  assert.equal(adm.status, 0, adm.stderr);
  const admin = JSON.parse(adm.stdout) as { id: string; token: string; scope: string; name: string };
  assert.equal(admin.scope, 'admin');
  assert.equal(admin.name, 'ops');

  const store = openSqliteStore(db);
  const app = await buildApp({ store, config: loadConfig({ dbPath: db, maxCalls: 0, logLevel: 'silent' }, {}) }, { logger: false });
  try {
    const get = (url: string, bearer?: string) => app.inject({ method: 'GET', url, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

    // the printed token opens the routes of its scope, and only those
    assert.equal((await get('/api/admin/releases', token)).statusCode, 200);
    assert.equal((await get('/api/admin/audit', token)).statusCode, 403, 'a publish token is not an admin token');
    assert.equal((await get('/api/admin/releases')).statusCode, 401);
    const audit = await get('/api/admin/audit', admin.token);
    assert.equal(audit.statusCode, 200);
    // the CLI's writes are in the audit log (who: the operating-system user, what, which token)
    const entries = JSON.stringify(audit.json());
    assert.match(entries, /token create/);
    assert.match(entries, new RegExp(id));
    assert.match(entries, /"name":"cli/);

    // list: both tokens, their ids, names and scopes, never the token or its hash
    const list = await cli(['token', 'list', '--db', db]);
    assert.equal(list.status, 0, list.stderr);
    const lines = list.stdout.trim().split('\n');
    assert.equal(lines.length, 2, list.stdout);
    const line = lines.find((l) => l.startsWith(id));
    assert.ok(line, list.stdout);
    assert.match(line, /publish\s+\S+\s+active\s+Division of trade$/);
    assert.ok(!list.stdout.includes(token) && !list.stdout.includes(secret), 'the secret is not listed');
    assert.ok(!list.stdout.includes(secretOf(admin.token)), 'the secret is not listed');
    const json = await cli(['token', 'list', '--db', db, '--json']);
    assert.equal(json.status, 0, json.stderr);
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.deepEqual(listed.map((x) => x.id).sort(), [id, admin.id].sort());
    for (const x of listed) assert.deepEqual(Object.keys(x).sort(), ['created', 'id', 'name', 'scope'], 'no secret, no hash');
    assert.ok(!json.stdout.includes(secret));
    for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f)).includes(Buffer.from(secret)), `only the hash is stored (${f})`);

    // revoke: the running server refuses the token at once, with the same 401 as no token at all
    const none = await get('/api/admin/releases');
    const rev = await cli(['token', 'revoke', id, '--db', db]);
    assert.equal(rev.status, 0, rev.stderr);
    assert.match(rev.stdout, new RegExp(`Token ${id} "Division of trade" revoked \\d{4}-`));
    const refused = await get('/api/admin/releases', token);
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.body, none.body, 'a revoked token learns nothing more than no token');
    assert.equal((await get('/api/admin/audit', admin.token)).statusCode, 200, 'the other token still works');
    const after = await cli(['token', 'list', '--db', db]);
    assert.match(after.stdout.split('\n').find((l) => l.startsWith(id)) ?? '', /revoked \d{4}-.*Division of trade$/);
    assert.match(JSON.stringify((await get('/api/admin/audit', admin.token)).json()), /token revoke/);

    // revoking an unknown id fails clearly
    const unknown = await cli(['token', 'revoke', 'ffffffffffff', '--db', db]);
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /No token ffffffffffff/);
  } finally {
    await app.close();
    store.close();
  }
});

test('token create with a bad scope or without a name: a clear error and a non-zero exit, nothing created', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-token-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'tokens.db');
  const bad = await cli(['token', 'create', '--db', db, '--name', 'x', '--scope', 'root']);
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--scope/);
  assert.match(bad.stderr, /publish, admin/);
  assert.equal(bad.stdout, '');
  const noName = await cli(['token', 'create', '--db', db, '--scope', 'admin']);
  assert.notEqual(noName.status, 0);
  assert.match(noName.stderr, /--name/);
  const noScope = await cli(['token', 'create', '--db', db, '--name', 'x']);
  assert.notEqual(noScope.status, 0);
  assert.match(noScope.stderr, /--scope/);
  await cli(['token', 'create', '--db', db, '--name', 'ok', '--scope', 'admin']);
  const list = await cli(['token', 'list', '--db', db, '--json']);
  assert.deepEqual((JSON.parse(list.stdout) as { name: string }[]).map((x) => x.name), ['ok'], 'the refused calls created nothing');
});
