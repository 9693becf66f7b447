#!/usr/bin/env node
// Runs every test: test/**/*.test.ts with node's own runner (through tsx).
// As root on Debian it first installs the system packages the tests need (see deps.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemDeps } from './deps.mjs';

ensureSystemDeps();

function find(dir, out = []) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = find('test');
// a filter naming a folder takes the files under it (test/cli is not test/client); anything else is a substring
const under = (x) => existsSync(x) && statSync(x).isDirectory() ? join(x, '/') : null;
if (filter.length) files = files.filter((f) => filter.some((x) => (under(x) ? f.startsWith(under(x)) : f.includes(x))));
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(r.status ?? 1);
