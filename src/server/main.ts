// Starts the HTTP server on a store: used by `statbank serve` and `npm start` (in each worker of the supervisor).

import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { baseUrlOf, type AppConfig } from '../app/config.js';
import { createAppContext } from '../app/context.js';
import { loadContent } from './content.js';
import { closeStore, openStoreUrl } from '../store/index.js';
import { ReleaseScheduler, schedulerSettingsFromEnv } from '../publishing/scheduler.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: AppConfig): Promise<RunningServer> {
  const releaseSettings = schedulerSettingsFromEnv();
  // a postgres:// URL names a PostgreSQL database shared by several server nodes; anything else is a SQLite file
  const store = await openStoreUrl(config.dbPath, { cacheBytes: config.cacheBytes });
  const content = loadContent(config);
  // state changes of the application (Redis lost or back) go to the server's log once it exists
  let log = (msg: string) => process.stderr.write(msg + '\n');
  const ctx = createAppContext({ store, config, datasets: content.datasets, klass: content.klass, savedQuerySeeds: content.savedQuerySeeds, log: (m) => log(m) });
  const app = await buildApp(ctx);
  log = (msg) => {
    app.log.warn(msg);
    return true;
  };
  // warms scheduled releases, answers their tables' last-asked queries ahead, and records them at their instant (the
  // embargo itself is the store's)
  const releases = new ReleaseScheduler(store, { ...releaseSettings, languages: ctx.languages.list, log: app.log, answers: ctx.runner });
  await app.listen({ port: config.port, host: config.host });
  releases.start();
  const url = baseUrlOf(config);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    releases.stop();
    await app.close();
    await releases.idle();
    await ctx.close();
    await closeStore(store);
  };
  return { app, url, close };
}
