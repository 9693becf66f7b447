// `statbank serve` runs as a small supervisor: the first process forks N server workers with Node's cluster module
// (they share one listening port) and starts a new one whenever one dies, so a crash costs one worker's
// in-flight requests, never the service. A worker that ends before any worker has listened is the command failing
// to start (a bad option, no database, a port in use): the supervisor then ends with its code. Workers start with glibc's malloc on transparent huge pages
// (GLIBC_TUNABLES is read only at process start): large answers spend most of their time first-touching fresh
// memory on VMs, ~10x cheaper with huge pages (bench: v1 csv2 800k cells p50 ~430 ms -> ~120 ms).
//
// Settings: STATBANK_WORKERS (a number, or `auto` = one per core; default 1), STATBANK_SUPERVISE=0 serves in this
// process with no supervisor (for a service manager that restarts the process itself), STATBANK_HUGE_PAGES=0
// leaves malloc alone.

import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';

export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

export interface SupervisorOptions {
  workers: number;
  /** First restart delay; doubles for a worker that dies soon after it started, up to maxDelayMs. */
  restartDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** How many workers the settings ask for. */
export function workerCount(env: NodeJS.ProcessEnv = process.env, flag?: string): number {
  const raw = (flag ?? env.STATBANK_WORKERS ?? '1').trim().toLowerCase();
  if (raw === 'auto') return Math.max(1, availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error(`workers: expected a number from 1 to 256 or "auto", got ${JSON.stringify(raw)}`);
  return n;
}

/** The environment of a worker: huge pages for malloc unless turned off. */
export function workerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const current = env.GLIBC_TUNABLES ?? '';
  if (process.platform !== 'linux' || env.STATBANK_HUGE_PAGES === '0' || current.includes('glibc.malloc.hugetlb')) return { ...env };
  return { ...env, GLIBC_TUNABLES: [current, HUGE_PAGES_TUNABLE].filter(Boolean).join(':') };
}

/** Whether this process should supervise (and not serve) under the given settings. */
export function shouldSupervise(env: NodeJS.ProcessEnv = process.env): boolean {
  return cluster.isPrimary && env.STATBANK_SUPERVISE !== '0';
}

/**
 * Fork the workers and keep them alive until SIGINT/SIGTERM, which is passed on to them; resolves with the exit
 * code once every worker has stopped after such a signal.
 */
export function supervise(opts: SupervisorOptions): Promise<number> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const baseDelay = opts.restartDelayMs ?? 500;
  const maxDelay = opts.maxDelayMs ?? 30_000;
  const env = workerEnv(opts.env);
  let stopping = false;
  /** Set once any worker has listened: from then on a worker that dies is a crash to recover from. */
  let served = false;
  let settle: (code: number) => void = () => {};
  /** worker id -> when it started and its restart delay so far */
  const started = new Map<number, { at: number; delay: number }>();

  const fork = (delay: number) => {
    const w = cluster.fork(env);
    started.set(w.id, { at: Date.now(), delay });
    w.once('listening', () => (served = true));
    return w;
  };

  cluster.on('exit', (w: Worker, code, signal) => {
    const info = started.get(w.id) ?? { at: Date.now(), delay: baseDelay };
    started.delete(w.id);
    if (stopping) return;
    // A worker that ends before any worker has served is the command itself ending (--help, a bad option, a missing
    // database, a port in use): starting it again would repeat the same end forever. End with it instead.
    if (!served && !signal) {
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      return settle(code ?? 1);
    }
    // a worker that lived a minute starts again at once; one that keeps dying waits longer each time
    const lived = Date.now() - info.at;
    const delay = lived > 60_000 ? 0 : Math.min(maxDelay, Math.max(baseDelay, info.delay * 2));
    log(`statbank: worker ${w.process.pid} ${signal ? `killed by ${signal}` : `exited with ${code}`}; starting a new one${delay ? ` in ${delay} ms` : ''}`);
    // (not unref'd: with every worker gone this timer is what keeps the supervisor alive)
    setTimeout(() => {
      if (!stopping) fork(delay || baseDelay);
    }, delay);
  });

  for (let i = 0; i < opts.workers; i++) fork(baseDelay);
  log(`statbank: supervising ${opts.workers} worker${opts.workers === 1 ? '' : 's'} (pid ${process.pid})`);

  return new Promise((resolve) => {
    settle = resolve;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
      if (!workers.length) return resolve(0);
      let left = workers.length;
      for (const w of workers) {
        w.once('exit', () => {
          if (--left === 0) resolve(0);
        });
        w.process.kill(signal);
      }
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}
