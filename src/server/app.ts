// Assembles the HTTP server: one Fastify instance, the application layer (src/app) built once and handed to a thin
// route plugin per API. Dependencies point inward: server -> api -> app -> (query, formats, store, core).

import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { createAppContext, isAppContext, type AppContext, type AppInput } from '../app/context.js';
import { v1Routes } from '../api/v1/routes.js';
import { v2Routes } from '../api/v2/routes.js';
import { rssRoutes } from '../api/rss/routes.js';
import { datasetRoutes } from '../api/datasets/routes.js';
import { statbankPageRoutes } from '../api/statbankPages/routes.js';
import { klassRoutes } from '../api/klass/routes.js';
import { webApp } from './webApp.js';
import { adminRoutes } from '../api/admin/routes.js';
import { eventRoutes } from '../api/events/routes.js';
import { changeRoutes } from '../api/changes/routes.js';

export type { AppContext, AppInput };

export interface BuildOptions {
  /** Pino logger settings, or false for silence (tests). */
  logger?: boolean | object;
}

/** The server on an application context (or on its parts: a context is then made and closed with the server). */
export async function buildApp(input: AppInput | AppContext, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const owned = !isAppContext(input);
  const ctx = owned ? createAppContext(input) : input;
  const app = Fastify({
    logger: opts.logger ?? { level: ctx.config.logLevel },
    // GET URLs with long valueCodes lists must work (PxWeb stops near 2,100 characters).
    routerOptions: { maxParamLength: 65536 },
    // ... and Node's own limit on the request line + headers (default 16 KB) must let them through.
    http: { maxHeaderSize: 64 * 1024, connectionsCheckingInterval: Math.max(250, Math.min(5000, Math.floor(ctx.config.bodyTimeoutMs / 4))) },
    // a request whose headers and body trickle in is cut off (408) instead of holding a connection forever
    requestTimeout: ctx.config.bodyTimeoutMs,
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
  if (owned) app.addHook('onClose', () => ctx.close());

  // readiness and load, answered before any other work (never rate limited, never queued)
  app.get('/healthz', async () => ({ status: 'ok', pid: process.pid, rateLimits: ctx.limits.mode, messages: ctx.bus.mode, admission: ctx.admission.stats }));

  await app.register(async (scope) => v1Routes(scope, ctx));
  await app.register(async (scope) => v2Routes(scope, ctx));
  await app.register(async (scope) => rssRoutes(scope, ctx));
  await app.register(async (scope) => datasetRoutes(scope, ctx));
  await app.register(async (scope) => statbankPageRoutes(scope, ctx));
  await app.register(async (scope) => klassRoutes(scope, ctx));
  await app.register(async (scope) => adminRoutes(scope, ctx));
  await app.register(async (scope) => eventRoutes(scope, ctx));
  await app.register(async (scope) => changeRoutes(scope, ctx));
  await app.register(webApp);
  return app;
}
