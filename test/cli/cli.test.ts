// The statbank CLI end to end: demo, import (with a failure summary), export, serve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = join(root, '..', 'shared', 'fixtures', 'px');
const haveShared = existsSync(shared);

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}

test('import reports what was imported and what failed, export writes a PX that imports again', { skip: !haveShared && 'no ../shared' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'x.db');
  const garbage = join(dir, 'broken.px');
  writeFileSync(garbage, 'TITLE="no data";\nSTUB="a";\n');
  const r = cli(['import', join(shared, 'pxweb-BE0101A1.px'), join(shared, 'pxmake-TIMEVAL_short.px'), garbage, '--db', db, '--folder', 'be/be01']);
  assert.equal(r.status, 2, r.stderr + r.stdout);
  assert.match(r.stdout, /Imported 2 of 3 files/);
  assert.match(r.stdout, /FAIL .*broken\.px: .+/);
  assert.match(r.stdout, /33,936 cells/);

  const out = join(dir, 'out.px');
  const e = cli(['export', 'BE0101A1', '--format', 'px', '--db', db, '-o', out]);
  assert.equal(e.status, 0, e.stderr);
  const text = readFileSync(out, 'latin1');
  assert.match(text, /DATA=/);
  const db2 = join(dir, 'y.db');
  const r2 = cli(['import', out, '--db', db2]);
  assert.equal(r2.status, 0, r2.stderr + r2.stdout);
  assert.match(r2.stdout, /33,936 cells/);

  const csv = cli(['export', 'BE0101A1', '--format', 'csv', '--db', db]);
  assert.equal(csv.status, 0, csv.stderr);
  assert.ok(csv.stdout.split('\n').length > 100, 'csv has rows');
  const missing = cli(['export', 'NOPE', '--db', db]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /No table NOPE/);
});

test('demo builds a database that serve answers on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-demo-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'demo.db');
  const r = cli(['demo', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Demo database .*: \d+ tables/);
  const again = cli(['demo', '--db', db, '--if-missing']);
  assert.match(again.stdout, /exists/);

  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--db', db, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'], { cwd: root, stdio: 'pipe' });
  t.after(() => child.kill('SIGTERM'));
  let up = false;
  for (let i = 0; i < 100 && !up; i++) {
    await new Promise((res) => setTimeout(res, 200));
    up = await fetch(`http://127.0.0.1:${port}/healthz`).then((x) => x.ok, () => false);
  }
  assert.ok(up, 'server answers /healthz');
  const meta = await fetch(`http://127.0.0.1:${port}/api/v0/no/table/07459`);
  assert.equal(meta.status, 200);
  const body = (await meta.json()) as { variables: { code: string }[] };
  assert.deepEqual(body.variables.map((v) => v.code), ['Region', 'Kjonn', 'Alder', 'ContentsCode', 'Tid']);
});
