// A throw-away PostgreSQL cluster for tests (Debian's postgresql package): initdb in a temp dir, a free port on
// loopback, fresh databases on demand, removed afterwards. `pgSkip` says why tests must skip when it is absent.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../freePort.js';

const BIN = '/usr/lib/postgresql/15/bin';
const missing = !existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'));
export const pgSkip: string | false = missing ? `PostgreSQL 15 binaries not found in ${BIN}` : false;

const asRoot = process.getuid?.() === 0;

/** Run a PostgreSQL binary, as the postgres user when we are root (initdb refuses root). */
function pgRun(bin: string, args: string[]): void {
  const cmd = asRoot ? 'runuser' : join(BIN, bin);
  const full = asRoot ? ['-u', 'postgres', '--', join(BIN, bin), ...args] : args;
  const r = spawnSync(cmd, full, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr || r.stdout}`);
}


export interface PgCluster {
  /** postgresql://postgres@127.0.0.1:<port> (append /<database>). */
  base: string;
  port: number;
  /** A new empty database; returns its URL. */
  freshDb(): Promise<string>;
  stop(): void;
}

export async function startPgCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-pg-'));
  chmodSync(dir, 0o777);
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  const stop = () => {
    if (existsSync(join(data, 'postmaster.pid'))) {
      try {
        pgRun('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // the directory is removed anyway
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    const port = await freePort();
    // pg_ctl -w returns once the server accepts connections
    pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off`, 'start']);
    const base = `postgresql://postgres@127.0.0.1:${port}`;
    let n = 0;
    const freshDb = async () => {
      const name = `t${n++}`;
      const admin = new pg.Client({ connectionString: `${base}/postgres` });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return `${base}/${name}`;
    };
    return { base, port, freshDb, stop };
  } catch (e) {
    stop();
    throw e;
  }
}
