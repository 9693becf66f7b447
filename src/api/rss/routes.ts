// RSS feeds: /rss/updated (tables by publication time, newest first) and /rss/coming (the release calendar: the
// title and the time of each scheduled release, nothing else). `?lang=no|en`, `?folder=be` (that folder and
// below), `?limit=` (updated only, default 50, at most 500).
//
// Both read only through the Store port, so the embargo holds: "updated" lists what readers see now, and
// "coming" shows no numbers, no variables and no table links. A feed is never cached past the next release.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { text } from '../../core/model.js';
import { formatReleaseTime } from '../../publishing/releaseTime.js';
import type { AppContext } from '../../app/context.js';
import { messages } from '../../app/messages.js';
import { allowOrigin, baseUrl, rateLimited, urlParts } from '../http.js';
import { normalizePath } from '../../store/catalog.js';
import type { TableRecord } from '../../store/store.js';
import { RSS_CONTENT_TYPE, writeRss, type RssItem } from './feed.js';

export const RSS_PREFIX = '/rss';
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** Longest time (s) a reader or proxy may keep a feed. */
const MAX_AGE = 60;

class FeedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function rssRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { store, config, languages } = ctx;

  const baseOf = (req: FastifyRequest) => baseUrl(req, config);

  rateLimited(app, ctx, 'rss', {
    refuse: (_req, reply) => reply.code(429).header('content-type', 'text/plain; charset=utf-8').send('Too many requests in too short a time. Please try again later.'),
  });

  /** Language, folder and limit from the query string; FeedError on bad input. */
  const paramsOf = (req: FastifyRequest) => {
    const q = urlParts(req).params;
    const raw = q.get('lang');
    const lang = raw === null ? languages.default : languages.resolve(raw);
    if (!lang) throw new FeedError(400, `unknown language ${JSON.stringify(q.get('lang'))}; use one of ${languages.list.join(', ')}`);
    const rawFolder = q.get('folder');
    let folder = '';
    if (rawFolder !== null) {
      folder = normalizePath(rawFolder) ?? '';
      // a folder readers cannot see (absent, or holding only tables under embargo) is not found
      if (folder !== '' && !store.getFolder(folder)) throw new FeedError(404, `no folder ${JSON.stringify(rawFolder)}`);
    }
    const rawLimit = q.get('limit');
    let limit = DEFAULT_LIMIT;
    if (rawLimit !== null) {
      limit = Number(rawLimit);
      if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > MAX_LIMIT) throw new FeedError(400, `limit must be an integer from 1 to ${MAX_LIMIT}`);
    }
    return { lang, folder, limit, t: messages(lang) };
  };

  const inFolder = (rec: TableRecord, folder: string) => folder === '' || rec.folders.some((p) => p === folder || p.startsWith(folder + '/'));
  const titleOf = (rec: TableRecord, lang: string) => text(rec.summary.title, lang, rec.summary.defaultLanguage) || rec.id;
  const folderLabel = (folder: string, lang: string) => (folder ? text(store.getFolder(folder)?.label, lang, languages.default) || folder : '');
  const appLink = (base: string, path: string, lang: string) => `${base}/statbank/${path}${lang !== languages.default ? `?lang=${encodeURIComponent(lang)}` : ''}`;

  const send = (reply: FastifyReply, body: string) => {
    // never kept past the next release: a cached feed must not hide a release for long
    const next = store.listScheduled()[0];
    const untilNext = next ? Math.floor((Date.parse(next.releaseAt) - store.now()) / 1000) : MAX_AGE;
    const maxAge = Math.max(0, Math.min(MAX_AGE, untilNext));
    allowOrigin(reply, config);
    return reply
      .code(200)
      .header('content-type', RSS_CONTENT_TYPE)
      .header('cache-control', `public, max-age=${maxAge}`)
      .header('x-content-type-options', 'nosniff')
      .send(body);
  };

  const fail = (reply: FastifyReply, e: unknown) => {
    if (e instanceof FeedError) return reply.code(e.status).header('content-type', 'text/plain; charset=utf-8').send(e.message);
    throw e;
  };

  app.get(`${RSS_PREFIX}/updated`, async (req, reply) => {
    try {
      const { lang, folder, limit, t } = paramsOf(req);
      const base = baseOf(req);
      // newest first, read only as far as the feed goes (the order is kept by the app, not sorted per request)
      const tables: TableRecord[] = [];
      if (limit > 0) {
        for (const r of ctx.lookup.newest()) {
          if (!inFolder(r, folder)) continue;
          if (tables.push(r) >= limit) break;
        }
      }
      const items: RssItem[] = tables.map((r) => ({
        title: titleOf(r, lang),
        link: appLink(base, `table/${encodeURIComponent(r.id)}`, lang),
        description: `${t.table} ${r.id}, ${t.version} ${r.version}, ${t.published} ${formatReleaseTime(r.published, lang)}`,
        pubDate: Date.parse(r.published),
        guid: `statbank:table:${r.id}:v${r.version}`,
        categories: r.folders,
      }));
      const label = folderLabel(folder, lang);
      return send(
        reply,
        writeRss({
          title: label ? `${t.updatedFeed}: ${label}` : t.updatedFeed,
          link: appLink(base, '', lang),
          description: t.updatedFeedAbout,
          language: lang,
          lastBuildDate: store.now(),
          self: base + req.url,
          ttl: 1,
          items,
        }),
      );
    } catch (e) {
      return fail(reply, e);
    }
  });

  app.get(`${RSS_PREFIX}/coming`, async (req, reply) => {
    try {
      const { lang, folder, t } = paramsOf(req);
      const base = baseOf(req);
      const items: RssItem[] = store
        .listScheduled()
        .filter((s) => inFolder(s.record, folder))
        .map((s) => ({
          // the calendar's whole content: the title and the time
          title: titleOf(s.record, lang),
          description: `${t.release} ${formatReleaseTime(s.releaseAt, lang)}`,
          pubDate: Date.parse(s.releaseAt),
          guid: `statbank:release:${s.record.id}:${s.releaseAt}`,
        }));
      const label = folderLabel(folder, lang);
      return send(
        reply,
        writeRss({
          title: label ? `${t.comingFeed}: ${label}` : t.comingFeed,
          link: appLink(base, '', lang),
          description: t.comingFeedAbout,
          language: lang,
          lastBuildDate: store.now(),
          self: base + req.url,
          ttl: 1,
          items,
        }),
      );
    } catch (e) {
      return fail(reply, e);
    }
  });
}
