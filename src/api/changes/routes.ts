// Changes to tables (issue 11): the structural changes recorded at each release (variables or values added or
// removed, value texts renamed, a table discontinued), as JSON (`/api/changes`) or RSS (`/api/changes.rss` or
// `?format=rss`), filtered by `table`, `from` and `to` (release dates, YYYY-MM-DD, inclusive).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Admin } from '../../admin/admin.js';
import { describeChange } from '../../admin/changes.js';
import type { AppContext } from '../../app/context.js';
import { allowOrigin, baseUrl, rateLimited, urlParts } from '../http.js';
import { RSS_CONTENT_TYPE, writeRss } from '../rss/feed.js';
import { adminFor } from '../admin/adminContext.js';

export const CHANGES_PREFIX = '/api/changes';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export async function changeRoutes(app: FastifyInstance, ctx: AppContext, options: { admin?: Admin } = {}): Promise<void> {
  const admin = options.admin ?? adminFor(app, ctx);
  rateLimited(app, ctx, 'changes', {
    refuse: (_req, reply) => reply.code(429).send({ error: 'Too many requests in too short a time. Please try again later.' }),
  });

  const handler = (rss: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const q = urlParts(req).params;
    const table = q.get('table') || undefined;
    const from = q.get('from') || undefined;
    const to = q.get('to') || undefined;
    for (const [k, v] of [['from', from], ['to', to]] as const) {
      if (v !== undefined && !DATE.test(v)) return reply.code(400).send({ error: `${k} must be a date YYYY-MM-DD` });
    }
    const limit = Math.max(1, Math.min(1000, Number(q.get('limit')) || 100));
    // only releases readers can see: a change record is made at the release, never before
    const changes = (await admin.changes({ table, from, to, limit })).filter((c) => Date.parse(c.released) <= ctx.store.now());
    allowOrigin(reply, ctx.config);
    reply.header('cache-control', 'public, max-age=60');
    if (rss || q.get('format') === 'rss') {
      const base = baseUrl(req, ctx.config);
      return reply.header('content-type', RSS_CONTENT_TYPE).send(
        writeRss({
          title: table ? `Statbank: changes to table ${table}` : 'Statbank: changes to tables',
          link: `${base}${CHANGES_PREFIX}`,
          description: 'Structural changes recorded at each release: variables and values added or removed, value texts renamed, tables discontinued.',
          lastBuildDate: ctx.store.now(),
          self: base + req.url,
          ttl: 5,
          items: changes
            .filter((c) => c.changes.length)
            .map((c) => ({
              title: `${c.tableId}: ${c.title} (version ${c.version})`,
              link: `${base}/api/v2/tables/${encodeURIComponent(c.tableId)}/metadata`,
              description: c.changes.map(describeChange).join('; '),
              pubDate: Date.parse(c.released),
              guid: `statbank:changes:${c.tableId}:v${c.version}`,
            })),
        }),
      );
    }
    return reply.send({ changes: changes.map((c) => ({ ...c, described: c.changes.map(describeChange) })) });
  };
  app.get(CHANGES_PREFIX, handler(false));
  app.get(`${CHANGES_PREFIX}.rss`, handler(true));
}
