// statbank serve: the APIs and the web app on the configured database, until SIGINT or SIGTERM.

import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../app/config.js';
import { startServer } from '../../server/main.js';
import { isPostgresUrl } from '../../store/index.js';
import { CliError, type Cli } from '../io.js';

export interface ServeOptions {
  db?: string;
  port?: number;
  host?: string;
  baseUrl?: string;
  maxCells?: number;
  maxCalls?: number;
  timeWindow?: number;
  cacheBytes?: number;
  logLevel?: string;
  languages?: string;
  defaultLanguage?: string;
  /** Read by the supervisor (cli/main.ts) before this runs. */
  workers?: string;
}

export async function serve(cli: Cli, o: ServeOptions): Promise<number> {
  const config = loadConfig({
    dbPath: o.db,
    port: o.port,
    host: o.host,
    baseUrl: o.baseUrl,
    maxCells: o.maxCells,
    maxCalls: o.maxCalls,
    timeWindow: o.timeWindow,
    cacheBytes: o.cacheBytes,
    logLevel: o.logLevel,
    languages: o.languages?.split(',').map((l) => l.trim()).filter(Boolean),
    defaultLanguage: o.defaultLanguage,
  });
  if (!isPostgresUrl(config.dbPath) && !existsSync(config.dbPath)) {
    throw new CliError(`No database at ${config.dbPath}. Create the demo with: statbank demo --db ${config.dbPath}`);
  }
  const server = await startServer(config);
  // the address actually bound (port 0 picks a free one): the line scripts and tests wait for
  const addr = server.app.server.address() as AddressInfo | null;
  const host = !addr ? config.host : addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const listening = addr ? `http://${host}:${addr.port}` : server.url;
  cli.out(`Statbank serving ${config.dbPath} at ${config.port === 0 ? listening : server.url} (listening on ${listening})`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
