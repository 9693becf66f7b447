// Assembles the HTTP server: one Fastify instance, thin route plugins per API.
// Dependencies point inward: routes call src/query (filters -> Plan), src/core (engine),
// src/formats (serializers) and the Store port.

import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Store } from '../store/store.js';
import type { ServerConfig } from './config.js';
import { v1Routes } from '../api/v1/routes.js';
import { v2Routes } from '../api/v2/routes.js';
import { rssRoutes } from '../api/rss/routes.js';
import { datasetRoutes } from '../api/datasets/routes.js';
import { statbankPageRoutes } from '../api/statbankPages/routes.js';
import { klassRoutes } from '../api/klass/routes.js';
import { DEMO_DATASETS } from '../demo/datasets.js';
import { DEMO_SAVED_QUERIES } from '../demo/savedQueries.js';
import { webApp } from './webApp.js';

export interface AppContext {
  store: Store;
  config: ServerConfig;
}

export interface BuildOptions {
  /** Pino logger settings, or false for silence (tests). */
  logger?: boolean | object;
}

export async function buildApp(ctx: AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? { level: ctx.config.logLevel },
    // GET URLs with long valueCodes lists must work (PxWeb stops near 2,100 characters).
    routerOptions: { maxParamLength: 65536 },
    // ... and Node's own limit on the request line + headers (default 16 KB) must let them through.
    http: { maxHeaderSize: 64 * 1024 },
    bodyLimit: 10 * 1024 * 1024,
    trustProxy: !!ctx.config.clientIpHeader,
    // Errors Fastify raises before any route runs (a malformed percent escape in the URL, say)
    // answer in the error shape of the API the URL belongs to.
    frameworkErrors: (error, req, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const url = req.raw.url ?? '';
      if (/^\/api\/v[01]\//i.test(url)) {
        reply.code(400).type('application/json').send('{"error":"Parameter error"}');
      } else if (/^\/api\/(pxwebapi\/)?v2\//i.test(url)) {
        reply.code(400).type('application/json; charset=utf-8').send({ type: 'Parameter error', title: 'Illegal request', status: 400, detail: error.message });
      } else {
        reply.code(400).send({ error: error.message });
      }
    },
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  await app.register(async (scope) => v1Routes(scope, ctx));
  await app.register(async (scope) => v2Routes(scope, ctx));
  await app.register(async (scope) => rssRoutes(scope, ctx));
  await app.register(async (scope) => datasetRoutes(scope, ctx, { datasets: DEMO_DATASETS }));
  await app.register(async (scope) => statbankPageRoutes(scope, ctx, { seeds: DEMO_SAVED_QUERIES }));
  await app.register(async (scope) => klassRoutes(scope, ctx));
  await app.register(webApp);
  return app;
}
