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
    if (shouldSupervise() && !args.includes('--help') && !args.includes('-h')) {
      const at = args.indexOf('--workers');
      return supervise({ workers: workerCount(process.env, at >= 0 ? args[at + 1] : undefined) });
    }
  }
  return run(args);
}

/** A supervised worker is held open by its channel to the supervisor, and a disconnect would end it with 0 whatever
 * the command returned: it exits with the code itself, so the supervisor can tell a failed start from a crash. */
const end = (code: number) => {
  process.exitCode = code;
  if (cluster.isWorker) process.exit(code);
};

main().then(end, (e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  end(1);
});
