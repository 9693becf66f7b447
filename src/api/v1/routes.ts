// PxWeb API v1 as Statistics Norway serves it: /api/v0/{no|en}/table/... (and Statistics Sweden's layout
// /api/v1/{lang}/{db}/... with the same database id). One catch-all route per prefix dispatches in PxWeb's
// order (spec pxweb-api.md §2.1): CORS, `?config`, rate limit, language, database, node; then folder ->
// navigation or search, table -> metadata (GET) or data (POST).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { evaluate, type Plan } from '../../core/engine.js';
import { text } from '../../core/model.js';
import { getSerializer } from '../../formats/registry.js';
import { exceedsCellLimit } from '../../query/selection.js';
import { parseV1Body, resolveV1Query, V1QueryError, PARAMETER_ERROR } from '../../query/v1Query.js';
import { parseFieldFilter, searchTables, SearchSyntaxError } from '../../search/index.js';
import type { AppContext } from '../../server/app.js';
import { baseUrlOf } from '../../server/config.js';
import { pluginRateLimiter } from '../../server/rateLimit.js';
import { ResponseCache, type CachedResponse } from '../../server/responseCache.js';
import { QueryTimeout, clockCheck, withTimeout } from '../../server/queryTimeout.js';
import type { TableRecord } from '../../store/store.js';
import {
  configBody,
  DATABASE_ID,
  DATABASE_TEXT,
  ERROR_CONTENT_TYPE,
  folderItem,
  JSON_CONTENT_TYPE,
  nodeId,
  RATE_LIMIT_MESSAGE,
  searchItems,
  tableItem,
  tableMetadata,
  TIMEOUT_MESSAGE,
  TOO_MANY_VALUES,
  V1_CONTENT_TYPES,
} from './responses.js';

export const V1_PREFIXES = ['/api/v0', '/api/v1'] as const;

export interface V1Options {
  /** Byte budget of the response cache (default 64 MB; 0 disables it). */
  responseCacheBytes?: number;
  /** Largest response kept in the cache (default 1 MB). */
  responseCacheEntryBytes?: number;
}

type Node = { kind: 'folder'; path: string } | { kind: 'table'; rec: TableRecord };

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: Buffer,
    readonly contentType: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

function errorAnswer(status: number, message: string, headers: Record<string, string> = {}): HttpAnswer {
  return new HttpAnswer(status, Buffer.from(JSON.stringify({ error: message })), ERROR_CONTENT_TYPE, headers);
}

function jsonAnswer(body: unknown, pretty: boolean): HttpAnswer {
  return new HttpAnswer(200, Buffer.from(pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body)), JSON_CONTENT_TYPE);
}

export async function v1Routes(app: FastifyInstance, ctx: AppContext, opts: V1Options = {}): Promise<void> {
  const { store, config } = ctx;
  const limiter = pluginRateLimiter(app, config);
  const cache = new ResponseCache({ maxBytes: opts.responseCacheBytes, maxEntryBytes: opts.responseCacheEntryBytes });

  // Clients post JSON with any Content-Type or none (R pxweb: none, jsonstat-toolkit: text/plain, curl -d:
  // form-urlencoded): keep every body raw and parse it as JSON ourselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    req.log.warn({ err }, 'v1 request failed before routing');
    const status = err.statusCode === 413 ? 413 : 400;
    send(reply, errorAnswer(status, PARAMETER_ERROR));
  });

  const send = (reply: FastifyReply, a: HttpAnswer | CachedResponse) => {
    const headers = a instanceof HttpAnswer ? { ...a.headers, 'content-type': a.contentType } : a.headers;
    if (config.cors) reply.header('access-control-allow-origin', '*');
    reply.code(a.status).headers(headers).send(a.body);
  };

  const clientOf = (req: FastifyRequest): string => {
    if (config.clientIpHeader) {
      const h = req.headers[config.clientIpHeader.toLowerCase()];
      const v = Array.isArray(h) ? h[0] : h;
      if (v) return v.split(',')[0].trim();
    }
    return req.socket.remoteAddress ?? 'unknown';
  };

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const rawUrl = req.raw.url ?? req.url;
    const q = rawUrl.indexOf('?');
    const pathPart = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const queryString = q < 0 ? '' : rawUrl.slice(q + 1);
    const prefix = V1_PREFIXES.find((p) => pathPart === p || pathPart.startsWith(p + '/'))!;

    if (req.method === 'OPTIONS') {
      if (config.cors) {
        reply.header('access-control-allow-methods', 'GET, POST');
        reply.header('access-control-allow-headers', 'Content-Type');
      }
      send(reply, new HttpAnswer(200, Buffer.alloc(0), 'text/plain'));
      return;
    }

    let segments: string[];
    try {
      segments = pathPart
        .slice(prefix.length)
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
    } catch {
      return send(reply, errorAnswer(400, PARAMETER_ERROR));
    }
    // The route template is {prefix}{language}/{*path}: without a language segment nothing matches.
    if (!segments.length) return send(reply, errorAnswer(404, PARAMETER_ERROR));

    // `?config` (the exact token) answers on every path, before any other check, and is never rate limited.
    if (queryString.split('&').includes('config')) {
      return send(reply, jsonAnswer(configBody(config), false));
    }

    const limit = limiter.hit(clientOf(req));
    if (!limit.allowed) {
      return send(reply, errorAnswer(429, RATE_LIMIT_MESSAGE, { 'retry-after': String(Math.max(1, Math.ceil(config.timeWindow))) }));
    }

    const params = new URLSearchParams(queryString);
    const pretty = params.get('prettyprint')?.toLowerCase() === 'true';
    const [lang, db, ...rest] = segments;
    if (!config.languages.includes(lang)) return send(reply, errorAnswer(400, PARAMETER_ERROR));
    if (db === undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(reply, errorAnswer(400, PARAMETER_ERROR));
      return send(reply, jsonAnswer([{ dbid: DATABASE_ID, text: text(DATABASE_TEXT, lang, 'en') }], pretty));
    }
    if (db !== DATABASE_ID) return send(reply, errorAnswer(400, PARAMETER_ERROR));

    const node = resolveNode(rest);
    if (!node) return send(reply, errorAnswer(400, PARAMETER_ERROR));

    try {
      if (node.kind === 'folder') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(reply, errorAnswer(400, PARAMETER_ERROR));
        const query = params.get('query');
        if (query !== null) return send(reply, search(node.path, query, params.get('filter') ?? undefined, lang, pretty));
        const children = store.listChildren(node.path);
        if (!children.length) return send(reply, errorAnswer(400, PARAMETER_ERROR));
        const items = children.map((c) =>
          c.kind === 'folder' ? folderItem(c.folder, lang, config.defaultLanguage) : tableItem(c.table, lang),
        );
        return send(reply, jsonAnswer(items, pretty));
      }
      const rec = node.rec;
      if (req.method === 'GET' || req.method === 'HEAD') {
        const key = ResponseCache.key('GET', rawUrl, undefined, `${rec.id}@${rec.version}`);
        const hit = cache.get(key);
        if (hit) return send(reply, hit);
        const a = jsonAnswer(tableMetadata(rec.meta, lang, config.maxValues), pretty);
        cache.set(key, toCached(a));
        return send(reply, a);
      }
      if (req.method === 'POST') {
        const body = req.body instanceof Buffer ? req.body : typeof req.body === 'string' ? Buffer.from(req.body) : undefined;
        return send(reply, await postData(rec, lang, rawUrl, body));
      }
      return send(reply, errorAnswer(400, PARAMETER_ERROR));
    } catch (err) {
      req.log.error({ err }, 'v1 request failed');
      return send(reply, errorAnswer(400, PARAMETER_ERROR));
    }
  };

  /** Folder, table by full path, or (one segment) a table by id or node id anywhere. Case-sensitive. */
  function resolveNode(rest: string[]): Node | undefined {
    const path = rest.join('/');
    if (!rest.length || store.getFolder(path)) return { kind: 'folder', path };
    const last = rest[rest.length - 1];
    const parent = rest.slice(0, -1).join('/');
    if (rest.length > 1 && !store.getFolder(parent)) return undefined;
    for (const c of store.listChildren(parent)) {
      if (c.kind === 'table' && (nodeId(c.table) === last || c.table.id === last)) return { kind: 'table', rec: c.table };
    }
    if (rest.length > 1) return undefined;
    // short table URL: …/table/07459 or …/table/<node id>
    const byId = store.getTable(last);
    if (byId) return { kind: 'table', rec: byId };
    const byNode = store.listTables().find((t) => t.meta.matrix === last);
    return byNode ? { kind: 'table', rec: byNode } : undefined;
  }

  function search(folder: string, query: string, filter: string | undefined, lang: string, pretty: boolean): HttpAnswer {
    let hits;
    try {
      hits = searchTables(store, query, { lang, folder, fields: parseFieldFilter(filter) });
    } catch (e) {
      if (e instanceof SearchSyntaxError) return errorAnswer(400, PARAMETER_ERROR);
      throw e;
    }
    return jsonAnswer(
      hits.flatMap((h) => searchItems(h.record, h.score, folder, lang)),
      pretty,
    );
  }

  async function postData(rec: TableRecord, lang: string, url: string, body: Buffer | undefined): Promise<HttpAnswer | CachedResponse> {
    const key = ResponseCache.key('POST', url, body, `${rec.id}@${rec.version}`);
    const hit = cache.get(key);
    if (hit) return hit;
    // PxWeb caches successful answers and the 400s of data requests alike.
    const remember = (a: HttpAnswer) => {
      if (a.status === 200 || a.status === 400) cache.set(key, toCached(a));
      return a;
    };

    let plan: Plan;
    let format: string;
    try {
      const request = parseV1Body(body);
      plan = resolveV1Query(rec.meta, request.query, lang);
      format = (request.format ?? config.v1DefaultFormat).toLowerCase();
    } catch (e) {
      if (e instanceof V1QueryError) return remember(errorAnswer(400, e.message));
      throw e;
    }
    if (exceedsCellLimit(plan, config.maxCells)) return errorAnswer(403, TOO_MANY_VALUES);
    const serializer = getSerializer(format, 'v1');
    if (!serializer) return remember(errorAnswer(400, PARAMETER_ERROR));

    let sameVersion = true;
    const checkClock = clockCheck(config.queryTimeoutMs);
    const run = async () => {
      const cube = await store.getCube(rec.id);
      checkClock();
      if (cube.meta !== rec.meta) {
        // the table was replaced since it was looked up: resolve against what was loaded
        sameVersion = false;
        const again = parseV1Body(body);
        plan = resolveV1Query(cube.meta, again.query, lang);
        if (exceedsCellLimit(plan, config.maxCells)) return errorAnswer(403, TOO_MANY_VALUES);
      }
      const result = evaluate(cube, plan);
      checkClock();
      const out = await serializer.serialize(result, { lang, api: 'v1', baseUrl: baseUrlOf(config) });
      checkClock();
      return new HttpAnswer(200, out.body, V1_CONTENT_TYPES[format] ?? out.contentType);
    };
    let answer: HttpAnswer;
    try {
      answer = await withTimeout(run(), config.queryTimeoutMs);
    } catch (e) {
      if (e instanceof QueryTimeout) return errorAnswer(503, TIMEOUT_MESSAGE);
      if (e instanceof V1QueryError) return errorAnswer(400, e.message);
      throw e;
    }
    return sameVersion ? remember(answer) : answer;
  }

  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
  for (const p of V1_PREFIXES) {
    app.route({ method: [...methods], url: p, handler, exposeHeadRoute: false });
    app.route({ method: [...methods], url: `${p}/*`, handler, exposeHeadRoute: false });
  }
}

function toCached(a: HttpAnswer): CachedResponse {
  return { status: a.status, headers: { ...a.headers, 'content-type': a.contentType }, body: a.body };
}
