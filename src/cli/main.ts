#!/usr/bin/env node
// The `statbank` executable: a thin wrapper around run() (run.ts), which tests call in-process.

import { relaunchWithHugePages } from '../server/hugePages.js';
import { run } from './run.js';

const args = process.argv.slice(2);
// `serve` relaunches this process once with huge pages for malloc (server/hugePages.ts); the child does the work
if (!(args[0] === 'serve' && relaunchWithHugePages())) {
  run(args).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
