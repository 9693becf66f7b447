// The statbank CLI end to end: demo, import (with a failure summary), export, argument errors in-process through
// run(); and one real `statbank serve` process on port 0, used once it prints the address it listens on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemoTable } from '../../src/demo/index.js';
import { writePx } from '../../src/formats/px/writer.js';
import { cli } from './runCli.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const shared = join(root, '..', 'shared', 'fixtures', 'px');
const haveShared = existsSync(shared);

function tempDir(t: { after(f: () => void): void }, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('import reports what was imported and what failed, export writes a PX that imports again', { skip: !haveShared && 'no ../shared' }, async (t) => {
  const dir = tempDir(t, 'statbank-cli-');
  const db = join(dir, 'x.db');
  const garbage = join(dir, 'broken.px');
  writeFileSync(garbage, 'TITLE="no data";\nSTUB="a";\n');
  const r = await cli(['import', join(shared, 'pxweb-BE0101A1.px'), join(shared, 'pxmake-TIMEVAL_short.px'), garbage, '--db', db, '--folder', 'be/be01']);
  assert.equal(r.status, 2, r.stderr + r.stdout);
  assert.match(r.stdout, /Imported 2 of 3 files/);
  assert.match(r.stdout, /FAIL .*broken\.px: .+/);
  assert.match(r.stdout, /33,936 cells/);

  const out = join(dir, 'out.px');
  const e = await cli(['export', 'BE0101A1', '--format', 'px', '--db', db, '-o', out]);
  assert.equal(e.status, 0, e.stderr);
  assert.match(readFileSync(out, 'latin1'), /DATA=/);
  const r2 = await cli(['import', out, '--db', join(dir, 'y.db')]);
  assert.equal(r2.status, 0, r2.stderr + r2.stdout);
  assert.match(r2.stdout, /33,936 cells/);

  const csv = await cli(['export', 'BE0101A1', '--format', 'csv', '--db', db]);
  assert.equal(csv.status, 0, csv.stderr);
  assert.ok(csv.stdout.split('\n').length > 100, 'csv has rows');
  const missing = await cli(['export', 'NOPE', '--db', db]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /No table NOPE/);
});

test('import and export without the shared fixtures: every file failing is exit code 1; export to stdout is the file', async (t) => {
  const dir = tempDir(t, 'statbank-cli-own-');
  const db = join(dir, 'x.db');
  const px = join(dir, '05810.px');
  writeFileSync(px, writePx(buildDemoTable('05810', { lastYear: 2025 })!));
  const ok = await cli(['import', px, '--db', db, '--folder', 'be/be01', '--folder-label', 'Folketall']);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, /Imported 1 of 1 files/);
  assert.match(ok.stdout, /ok {4}05810 \(.* cells, version 1\)/);
  const file = join(dir, 'out.px');
  assert.equal((await cli(['export', '05810', '--db', db, '-o', file])).status, 0);
  const stdout = await cli(['export', '05810', '--db', db]);
  assert.equal(stdout.status, 0, stdout.stderr);
  assert.deepEqual(stdout.bytes, readFileSync(file), 'the same bytes on stdout as in the file');
  const bad = join(dir, 'bad.px');
  writeFileSync(bad, 'nonsense');
  const all = await cli(['import', bad, join(dir, 'absent.px'), '--db', db]);
  assert.equal(all.status, 1);
  assert.match(all.stdout, /Imported 0 of 2 files/);
  const none = await cli(['import', join(dir, 'empty-folder-that-does-not-exist'), '--db', db]);
  assert.equal(none.status, 1);
});

test('help, version and argument errors are exit codes and messages, not a process exit', async () => {
  const help = await cli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /Usage: statbank/);
  for (const c of ['serve', 'import', 'export', 'publish', 'fetch', 'convert', 'versions']) assert.match(help.stdout, new RegExp(`\\b${c}\\b`));
  const version = await cli(['--version']);
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  const unknown = await cli(['bogus']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown command 'bogus'/);
  const badInt = await cli(['demo', '--last-year', 'soon']);
  assert.notEqual(badInt.status, 0);
  assert.match(badInt.stderr, /not an integer: soon/);
  const missingArg = await cli(['export']);
  assert.equal(missingArg.status, 1);
  assert.match(missingArg.stderr, /missing required argument 'table'/);
  const badFormat = await cli(['export', 'X', '--format', 'docx']);
  assert.equal(badFormat.status, 1);
  assert.match(badFormat.stderr, /invalid/);
});

test('demo builds a database that serve answers on (a real process, ready when it prints its address)', async (t) => {
  const dir = tempDir(t, 'statbank-demo-');
  const db = join(dir, 'demo.db');
  const r = await cli(['demo', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Demo database .*: \d+ tables/);
  const again = await cli(['demo', '--db', db, '--if-missing']);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /exists/);

  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--db', db, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    // no huge-pages relaunch: one process to start and to stop
    env: { ...process.env, STATBANK_HUGE_PAGES: '0' },
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // the readiness line: printed once the server listens, with the port it got
  const base = await new Promise<string>((res, rej) => {
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /listening on (http:\/\/[^\s)]+)\)/.exec(stdout);
      if (m) res(m[1]);
    });
    child.on('exit', (code) => rej(new Error(`serve exited (${code}) before it was ready: ${stderr}${stdout}`)));
  });
  assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok((await fetch(`${base}/healthz`)).ok, 'server answers /healthz');
  const meta = await fetch(`${base}/api/v0/no/table/07459`);
  assert.equal(meta.status, 200);
  const body = (await meta.json()) as { variables: { code: string }[] };
  assert.deepEqual(body.variables.map((v) => v.code), ['Region', 'Kjonn', 'Alder', 'ContentsCode', 'Tid']);
  child.kill('SIGTERM');
  assert.equal(await exited, 0, 'SIGTERM stops serve cleanly');
});
