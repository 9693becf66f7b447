// Starts the HTTP server on a store: used by `statbank serve` and `npm start`.

import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { baseUrlOf, type ServerConfig } from './config.js';
import { openStore } from '../store/index.js';

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const store = openStore(config.dbPath, { cacheBytes: config.cacheBytes });
  const app = await buildApp({ store, config });
  await app.listen({ port: config.port, host: config.host });
  const url = baseUrlOf(config);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
    store.close();
  };
  return { app, url, close };
}
