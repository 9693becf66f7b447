// Push at release: `GET /api/events` is a Server-Sent Events stream announcing each release the instant readers
// can see it (event `release`, id `<table>@<version>`, data: the table id, version, title, release instant, v1/v2
// data and metadata URLs and the table's headlines). `?table=07459` or `?subject=be` narrows the stream. A client
// reconnecting with Last-Event-ID gets the events it missed that this process still holds (the last 200), after
// that id and matching its filter, before the opening comment; an id this process does not hold replays nothing.
// Event ids are `<table>@<version>`: the same on every connection and in every server process.
// `GET /api/events/headlines/{id}` is a headline template written on the table's current public version.
//
// The events come from the process's release feed (src/admin/feed.ts), which reads the store's embargoed listing:
// nothing is sent, and nothing hints at a release, before its instant.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Admin } from '../../admin/admin.js';
import { eventMatches, type ReleaseEvent } from '../../admin/feed.js';
import type { AppContext } from '../../app/context.js';
import { allowOrigin, rateLimited, urlParts } from '../http.js';
import { adminFor } from '../admin/adminContext.js';

export const EVENTS_PREFIX = '/api/events';
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 25_000;

/** The SSE frame of an event, serialized and encoded once per event whatever the number of subscribers: every
 * stream writes the same bytes. */
const frames = new WeakMap<ReleaseEvent, Buffer>();
export function sseFrame(ev: ReleaseEvent): Buffer {
  let f = frames.get(ev);
  if (!f) frames.set(ev, (f = Buffer.from(`id: ${ev.id}\nevent: release\ndata: ${JSON.stringify(ev)}\n\n`, 'utf8')));
  return f;
}

/** The frames of a release instant's events, joined once per instant for the streams that want all of them. */
const joined = new WeakMap<readonly ReleaseEvent[], Buffer>();
function sseFrames(events: readonly ReleaseEvent[]): Buffer {
  if (events.length === 1) return sseFrame(events[0]);
  let f = joined.get(events);
  if (!f) joined.set(events, (f = Buffer.concat(events.map(sseFrame))));
  return f;
}

export async function eventRoutes(app: FastifyInstance, ctx: AppContext, options: { admin?: Admin } = {}): Promise<void> {
  const admin = options.admin ?? adminFor(app, ctx);
  const feed = admin.feed;
  feed.prime();
  rateLimited(app, ctx, 'events', {
    refuse: (_req, reply) => reply.code(429).send({ error: 'Too many requests in too short a time. Please try again later.' }),
  });
  const open = new Set<FastifyReply>();
  app.addHook('onClose', async () => {
    for (const r of open) r.raw.end();
  });

  app.get(EVENTS_PREFIX, async (req: FastifyRequest, reply: FastifyReply) => {
    const q = urlParts(req).params;
    const filter = { table: q.get('table') || undefined, subject: q.get('subject') || undefined };
    allowOrigin(reply, ctx.config);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...(ctx.config.cors ? { 'access-control-allow-origin': '*' } : {}),
    });
    const last = req.headers['last-event-id'];
    if (typeof last === 'string' && last) {
      const recent = feed.recent();
      const at = recent.findIndex((e) => e.id === last);
      if (at >= 0) for (const ev of recent.slice(at + 1)) if (eventMatches(ev, filter)) res.write(sseFrame(ev));
    }
    const unsubscribe = feed.subscribe((events) => {
      // the frames of one release instant leave in one socket write, made here: the feed times its push by it
      const mine = filter.table || filter.subject ? events.filter((ev) => eventMatches(ev, filter)) : events;
      if (!mine.length) return;
      res.write(mine.length === events.length ? sseFrames(events) : Buffer.concat(mine.map(sseFrame)));
      // http corks the socket and writes on the next tick, after the feed's whole slice: made now, the write is in
      // the time the feed slices its push by, and requests that come meanwhile are answered between the slices
      if (res.socket?.writableCorked) res.socket.uncork();
    });
    // the first bytes say the client is subscribed
    res.write(': statbank release events\nretry: 3000\n\n');
    const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    open.add(reply);
    res.once('close', () => {
      unsubscribe();
      clearInterval(keepalive);
      open.delete(reply);
    });
  });

  app.get(`${EVENTS_PREFIX}/headlines/:id`, async (req, reply) => {
    allowOrigin(reply, ctx.config);
    const id = (req.params as { id: string }).id;
    let h;
    try {
      h = await admin.headline(id);
    } catch {
      h = undefined; // a template that no longer fits the table is as good as none to the public
    }
    if (!h) return reply.code(404).header('cache-control', 'no-store').send({ error: 'no such headline' });
    return reply.header('cache-control', 'no-store').send(h);
  });

  app.get(`${EVENTS_PREFIX}/headlines`, async (_req, reply) => {
    allowOrigin(reply, ctx.config);
    const out = [];
    for (const d of await admin.listHeadlines()) {
      try {
        const h = await admin.headline(d.id);
        if (h) out.push(h);
      } catch {
        // skipped: does not fit the current version
      }
    }
    return reply.header('cache-control', 'no-store').send({ headlines: out });
  });
}
