// `statbank serve` keeps serving when its server process dies: the supervisor starts a new worker on the same port.
// A real process tree is the point here, so this test spawns the CLI; it waits for each readiness line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/run.js';
import { freePort } from '../freePort.js';

const root = fileURLToPath(new URL('../../', import.meta.url));


test('a worker that dies is replaced on the same port; SIGTERM stops the whole tree', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-sup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'demo.db');
  const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
  assert.equal(await run(['demo', '--db', db], { stdout: quiet, stderr: quiet } as Parameters<typeof run>[1]), 0);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--db', db, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STATBANK_WORKERS: '1' },
  });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  /** Resolves when the n-th readiness line has been printed. */
  const ready = (n: number) =>
    new Promise<void>((res, rej) => {
      const check = () => {
        if ((out.match(/listening on http/g) ?? []).length >= n) res();
      };
      child.stdout.on('data', (d) => {
        out += d;
        check();
      });
      child.on('exit', (code) => rej(new Error(`serve exited (${code}): ${err}${out}`)));
      check();
    });
  await ready(1);
  const base = `http://127.0.0.1:${port}`;
  const first = (await (await fetch(`${base}/healthz`)).json()) as { pid: number };
  assert.notEqual(first.pid, child.pid, 'the server runs in a worker, not in the supervisor');
  process.kill(first.pid, 'SIGKILL');
  await ready(2);
  assert.match(err, /killed by SIGKILL; starting a new one/);
  const second = (await (await fetch(`${base}/healthz`)).json()) as { pid: number; status: string };
  assert.equal(second.status, 'ok');
  assert.notEqual(second.pid, first.pid);
  assert.equal((await fetch(`${base}/api/v0/no/table/07459`)).status, 200);
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.throws(() => process.kill(second.pid, 0), 'the worker is gone too');
});

test('a serve that cannot start ends with its error and code instead of being restarted forever', { timeout: 60_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-sup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const missing = join(dir, 'none.db');
  // two workers: the one that fails first ends the supervisor, and the other is stopped with it
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--db', missing, '--port', '0', '--workers', '2'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
  assert.equal(code, 1, err);
  assert.match(err, /No database at .*none\.db/);
  assert.doesNotMatch(err, /starting a new one/);
});
