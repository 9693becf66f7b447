#!/usr/bin/env node
// The `statbank` executable: a thin wrapper around run() (run.ts), which tests call in-process. `serve` first becomes
// a supervisor that forks the server workers and restarts any that die (server/supervisor.ts); each worker runs
// this same file and serves.

import cluster from 'node:cluster';
import { run } from './run.js';

const args = process.argv.slice(2);

async function main(): Promise<number> {
  if (args[0] === 'serve') {
    const { shouldSupervise, supervise, workerCount } = await import('../server/supervisor.js');
    if (shouldSupervise()) {
      const at = args.indexOf('--workers');
      return supervise({ workers: workerCount(process.env, at >= 0 ? args[at + 1] : undefined) });
    }
  }
  return run(args);
}

main().then(
  (code) => {
    process.exitCode = code;
    // a supervised worker is held open by its channel to the supervisor: leave it once serving has ended
    if (cluster.isWorker && process.connected) process.disconnect();
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
