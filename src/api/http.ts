// HTTP helpers every API adapter shares: the raw URL's parts, the base URL of links, CORS, raw bodies, the rate
// limit hook, abort on disconnect and sending an answer (whole or streamed). Each API keeps only its URL grammar and
// the shape of its answers and errors.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { baseUrlOf, type AppConfig } from '../app/config.js';
import type { AppContext } from '../app/context.js';
import { clientIdentity, type ClientHints } from '../app/rateLimit.js';

/** Where the web app lives; the saved-query pages and links into the app build on it. */
export const WEB_BASE = '/statbank';

export interface UrlParts {
  /** The path as sent (still percent-encoded). */
  path: string;
  /** The query string without '?'. */
  query: string;
  params: URLSearchParams;
}

export function urlParts(req: FastifyRequest): UrlParts {
  const raw = req.raw.url ?? req.url;
  const q = raw.indexOf('?');
  const query = q < 0 ? '' : raw.slice(q + 1);
  return { path: q < 0 ? raw : raw.slice(0, q), query, params: new URLSearchParams(query) };
}

/**
 * Absolute base of links: the configured base URL; else the scheme and host the client used when that host is
 * trusted; else the server's own address. An arbitrary Host header never ends up in a (cacheable) answer.
 */
export function baseUrl(req: FastifyRequest, config: AppConfig): string {
  if (config.baseUrl) return config.baseUrl.replace(/\/+$/, '');
  const host = req.host ?? '';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  if (config.trustedHosts.some((t) => t.toLowerCase() === name.toLowerCase())) return `${req.protocol}://${host}`;
  return baseUrlOf(config);
}

/** Whether a write failed because the disk (or the database's space) is full: such writes answer 507. */
export function isStorageFull(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100' || code === 'EDQUOT';
}

export const STORAGE_FULL_MESSAGE = 'The server has no room to store this right now (storage full). Nothing was saved; please try again later.';

function etagOf(rec: { id: string; version: number }, identity: string): string {
  return `"${rec.id}-v${rec.version}-${hash(identity)}"`;
}

/**
 * A conditional GET whose If-None-Match names this very answer: answered 304 (with the validators) before the
 * request is parsed or checked any further. The ETag is only ever given to a successful answer of this URL and
 * version, so the check that made it one need not run again. False (and nothing set) otherwise.
 */
export function notModifiedEarly(...[req, reply, ctx, rec, identity]: Parameters<typeof cacheValidators>): boolean {
  const inm = req.headers['if-none-match'];
  if (typeof inm !== 'string') return false;
  const etag = etagOf(rec, identity);
  if (!namesEtag(inm, etag, false)) return false;
  return validators(req, reply, ctx, rec, etag);
}

/** Whether an If-None-Match list names `etag` (weakly compared), or is `*` when `star` counts. */
function namesEtag(ifNoneMatch: string, etag: string, star: boolean): boolean {
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || (star && t.trim() === '*'));
}

/**
 * Conditional GET for an answer that is a pure function of one table version and the request: a strong ETag from
 * both, Last-Modified from the version's publication, and a shared-cache lifetime that ends before the table's next
 * scheduled release (a CDN must not serve old numbers after 08:00). Returns true when a 304 was sent.
 */
export function cacheValidators(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  rec: { id: string; version: number; published: string },
  identity: string,
): boolean {
  return validators(req, reply, ctx, rec, etagOf(rec, identity));
}

function validators(req: FastifyRequest, reply: FastifyReply, ctx: AppContext, rec: { id: string; published: string }, etag: string): boolean {
  const published = Date.parse(rec.published);
  const lastModified = Number.isNaN(published) ? undefined : new Date(Math.floor(published / 1000) * 1000);
  reply.header('etag', etag);
  if (lastModified) reply.header('last-modified', lastModified.toUTCString());
  reply.header('cache-control', cacheControl(ctx, rec.id));
  const inm = req.headers['if-none-match'];
  if (typeof inm === 'string') {
    if (namesEtag(inm, etag, true)) {
      reply.code(304).send();
      return true;
    }
    return false;
  }
  const ims = req.headers['if-modified-since'];
  if (typeof ims === 'string' && lastModified && Date.parse(ims) >= lastModified.getTime()) {
    reply.code(304).send();
    return true;
  }
  return false;
}

/** `public` lifetimes that all end before the table's next scheduled release. */
export function cacheControl(ctx: AppContext, tableId: string | undefined): string {
  let max = Math.max(0, Math.floor(ctx.config.cacheMaxAge));
  const now = ctx.store.now();
  for (const s of ctx.store.listScheduled(tableId)) {
    max = Math.min(max, Math.max(0, Math.floor((Date.parse(s.releaseAt) - now) / 1000) - 1));
    break; // soonest first
  }
  if (max <= 0) return 'public, max-age=0, s-maxage=0, must-revalidate';
  // s-maxage + stale-while-revalidate = the whole lifetime a shared cache may serve, so both end before a release
  const stale = Math.min(60, Math.floor(max / 2));
  return `public, max-age=${Math.min(60, max)}, s-maxage=${max - stale}, stale-while-revalidate=${stale}`;
}

function hash(s: string): string {
  return createHash('sha1').update(s).digest('base64url').slice(0, 16);
}

/** Answers readable from any origin when CORS is on. */
export function allowOrigin(reply: FastifyReply, config: AppConfig): void {
  if (config.cors) reply.header('access-control-allow-origin', '*');
}

/**
 * Keep every request body raw, whatever its Content-Type (clients post JSON as text/plain, form-urlencoded or with
 * none); each API parses it itself.
 */
export function rawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

export function bodyOf(req: FastifyRequest): Buffer | undefined {
  return Buffer.isBuffer(req.body) ? req.body : typeof req.body === 'string' ? Buffer.from(req.body) : undefined;
}

export function clientHints(req: FastifyRequest): ClientHints {
  return { headers: req.headers, remoteAddress: req.socket.remoteAddress };
}

/** Who sends a request, by the one client-identity rule (rate limits and fair admission alike). */
export function clientOf(req: FastifyRequest, ctx: AppContext): string {
  return clientIdentity(clientHints(req), ctx.config.clientIpHeader);
}

export interface RateLimitHook {
  /** Calls that are never counted (preflights, `?config` ...). */
  exempt?(req: FastifyRequest): boolean;
  /** The API's own 429 answer. */
  refuse(req: FastifyRequest, reply: FastifyReply, retryAfter: number): FastifyReply | Promise<FastifyReply>;
  /** Headers for counted calls that pass (v2 sends X-Rate-Limit-*). */
  passed?(reply: FastifyReply, remaining: number): void;
}

/** Count every request of this plugin against the API family's budget; refusals carry the one Retry-After rule. */
export function rateLimited(app: FastifyInstance, ctx: AppContext, api: string, hook: RateLimitHook): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!ctx.limits.enabled || req.method === 'OPTIONS' || hook.exempt?.(req)) return;
    const r = await ctx.limits.hit(api, clientHints(req));
    if (!r.allowed) {
      reply.header('retry-after', String(r.retryAfter));
      return hook.refuse(req, reply, r.retryAfter);
    }
    hook.passed?.(reply, Math.max(0, ctx.config.maxCalls - r.count));
  });
}

/** A signal that aborts when the client goes away before the answer is sent. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  // the response closes when it is complete or when the connection drops; only the second is a cancellation
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort(new DOMException('client closed the connection', 'AbortError'));
  });
  return ac.signal;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  stream?: AsyncIterable<Buffer>;
}

/** Send an answer; a streamed body is piped chunk by chunk and stops with the client. */
export function sendAnswer(reply: FastifyReply, a: HttpAnswer): FastifyReply {
  reply.code(a.status).header('content-type', a.contentType);
  if (a.headers) reply.headers(a.headers);
  if (a.stream) return reply.send(Readable.from(a.stream, { objectMode: false }));
  // a Buffer keeps the content type exactly as given (Fastify adds a charset to string bodies)
  return reply.send(typeof a.body === 'string' ? Buffer.from(a.body) : (a.body ?? Buffer.alloc(0)));
}
