// PxWeb API v1 as Statistics Norway serves it: /api/v0/{no|en}/table/... (and Statistics Sweden's layout
// /api/v1/{lang}/{db}/... with the same database id). One catch-all route per prefix dispatches in PxWeb's
// order (spec pxweb-api.md §2.1): CORS, `?config`, rate limit, language, database, node; then folder ->
// navigation or search, table -> metadata (GET) or data (POST).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { QueryError } from '../../app/queryRunner.js';
import { recordAt, VersionNotFound } from '../../app/versions.js';
import { tableHasLanguage } from '../../app/languages.js';
import { ResponseCache } from '../../app/responseCache.js';
import { text } from '../../core/model.js';
import { exceedsCellLimit } from '../../query/selection.js';
import { parseV1Body, resolveV1Query, V1QueryError, PARAMETER_ERROR } from '../../query/v1Query.js';
import { parseFieldFilter, searchPage, SearchSyntaxError } from '../../search/index.js';
import type { TableRecord } from '../../store/store.js';
import { allowOrigin, baseUrl, cacheValidators, bodyOf, clientGone, clientOf, rateLimited, rawBodies, sendAnswer, urlParts, type HttpAnswer } from '../http.js';
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
} from './responses.js';

export const V1_PREFIXES = ['/api/v0', '/api/v1'] as const;

type Node = { kind: 'folder'; path: string } | { kind: 'table'; rec: TableRecord };

function errorAnswer(status: number, message: string, headers: Record<string, string> = {}): HttpAnswer {
  return { status, contentType: ERROR_CONTENT_TYPE, body: JSON.stringify({ error: message }), headers };
}

function jsonAnswer(body: unknown, pretty: boolean): HttpAnswer {
  return { status: 200, contentType: JSON_CONTENT_TYPE, body: pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body) };
}

/** Whether a URL is v1's `?config` probe (the exact token): answered on every path and never rate limited. */
function isConfigProbe(req: FastifyRequest): boolean {
  return urlParts(req).query.split('&').includes('config');
}

export async function v1Routes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { store, config, languages, cache } = ctx;

  rawBodies(app);

  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    req.log.warn({ err }, 'v1 request failed before routing');
    const status = err.statusCode === 413 ? 413 : 400;
    send(reply, errorAnswer(status, PARAMETER_ERROR));
  });

  const send = (reply: FastifyReply, a: HttpAnswer) => {
    allowOrigin(reply, config);
    return sendAnswer(reply, a);
  };

  rateLimited(app, ctx, 'v1', {
    exempt: isConfigProbe,
    refuse: (_req, reply) => send(reply, errorAnswer(429, RATE_LIMIT_MESSAGE)),
  });

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const rawUrl = req.raw.url ?? req.url;
    const { path: pathPart, query: queryString, params } = urlParts(req);
    const prefix = V1_PREFIXES.find((p) => pathPart === p || pathPart.startsWith(p + '/'))!;

    if (req.method === 'OPTIONS') {
      if (config.cors) {
        reply.header('access-control-allow-methods', 'GET, POST');
        reply.header('access-control-allow-headers', 'Content-Type');
      }
      return send(reply, { status: 200, contentType: 'text/plain', body: '' });
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

    const pretty = params.get('prettyprint')?.toLowerCase() === 'true';
    const [rawLang, db, ...rest] = segments;
    // the path's language must be served, spelled as configured (case-sensitive, as PxWeb)
    const lang = languages.resolve(rawLang);
    if (lang !== rawLang) return send(reply, errorAnswer(400, PARAMETER_ERROR));
    if (db === undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(reply, errorAnswer(400, PARAMETER_ERROR));
      return send(reply, jsonAnswer([{ dbid: DATABASE_ID, text: text(DATABASE_TEXT, lang, 'en') }], pretty));
    }
    if (db !== DATABASE_ID) return send(reply, errorAnswer(400, PARAMETER_ERROR));

    const node = resolveNode(rest);
    // a table exists in the languages it carries (as in API v2): in any other it is not there
    if (!node || (node.kind === 'table' && !tableHasLanguage(node.rec.summary, lang))) return send(reply, errorAnswer(400, PARAMETER_ERROR));

    try {
      if (node.kind === 'folder') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(reply, errorAnswer(400, PARAMETER_ERROR));
        const query = params.get('query');
        if (query !== null) return send(reply, search(node.path, query, params.get('filter') ?? undefined, lang, pretty));
        const children = store.listChildren(node.path).filter((c) => c.kind === 'folder' || tableHasLanguage(c.table.summary, lang));
        if (!children.length) return send(reply, errorAnswer(400, PARAMETER_ERROR));
        const items = children.map((c) =>
          c.kind === 'folder' ? folderItem(c.folder, lang, languages.default) : tableItem(c.table, lang),
        );
        return send(reply, jsonAnswer(items, pretty));
      }
      let rec = node.rec;
      try {
        rec = await recordAt(store, node.rec, { version: params.get('version'), asOf: params.get('asOf') });
      } catch (e) {
        if (e instanceof VersionNotFound) return send(reply, errorAnswer(404, e.message));
        throw e;
      }
      if (req.method === 'GET' || req.method === 'HEAD') {
        allowOrigin(reply, config);
        if (cacheValidators(req, reply, ctx, rec, 'v1\n' + rawUrl)) return reply;
        const key = ResponseCache.key('GET', 'v1\n' + rawUrl, undefined, `${rec.id}@${rec.version}`);
        const hit = cache.get(key);
        if (hit) return send(reply, { status: hit.status, contentType: hit.headers['content-type'], body: hit.body });
        const a = jsonAnswer(tableMetadata(rec.meta, lang, config.maxValues), pretty);
        cache.set(key, { status: 200, headers: { 'content-type': a.contentType }, body: Buffer.from(a.body as string) });
        return send(reply, a);
      }
      if (req.method === 'POST') {
        return send(reply, await postData(req, reply, rec, lang, rawUrl, bodyOf(req)));
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
    const byNode = ctx.lookup.byMatrix(last);
    return byNode ? { kind: 'table', rec: byNode } : undefined;
  }

  function search(folder: string, query: string, filter: string | undefined, lang: string, pretty: boolean): HttpAnswer {
    // hits come best first; like PxWeb, a search answers a bounded list (a query matching the whole catalogue must
    // not answer megabytes), and only that list is ranked
    let hits;
    try {
      const limit = config.searchResultLimit > 0 ? config.searchResultLimit : Infinity;
      hits = searchPage(store, query, { lang, folder, fields: parseFieldFilter(filter), limit, keep: (r) => tableHasLanguage(r.summary, lang) }).hits;
    } catch (e) {
      if (e instanceof SearchSyntaxError) return errorAnswer(400, PARAMETER_ERROR);
      throw e;
    }
    return jsonAnswer(hits.flatMap((h) => searchItems(h.record, h.score, folder, lang)), pretty);
  }

  async function postData(req: FastifyRequest, reply: FastifyReply, rec: TableRecord, lang: string, url: string, body: Buffer | undefined): Promise<HttpAnswer> {
    // PxWeb caches successful answers and the 400s of data requests alike: the 400s are kept here, keyed by version
    const errorKey = ResponseCache.key('POST', 'v1-error\n' + url, body, `${rec.id}@${rec.version}`);
    const cachedError = cache.get(errorKey);
    if (cachedError) return { status: cachedError.status, contentType: cachedError.headers['content-type'], body: cachedError.body };
    const badRequest = (message: string) => {
      const a = errorAnswer(400, message);
      cache.set(errorKey, { status: 400, headers: { 'content-type': a.contentType }, body: Buffer.from(a.body as string) });
      return a;
    };

    const cacheKey = `v1\nPOST\n${url}\n${body?.toString('latin1') ?? ''}`;
    let format: string;
    let request: ReturnType<typeof parseV1Body>;
    let checked: ReturnType<typeof resolveV1Query> | undefined;
    try {
      request = parseV1Body(body);
      format = (request.format ?? config.v1DefaultFormat).toLowerCase();
      // validate on the record's metadata first: bad queries answer 400 whatever the format (an answer already made
      // was checked when it was made)
      if (!ctx.runner.hasAnswer(rec, cacheKey)) {
        checked = resolveV1Query(rec.meta, request.query, lang);
        if (exceedsCellLimit(checked, config.maxCells)) return errorAnswer(403, TOO_MANY_VALUES);
      }
    } catch (e) {
      if (e instanceof V1QueryError) return badRequest(e.message);
      throw e;
    }
    try {
      const answer = await ctx.runner.run({
        record: rec,
        // the plan checked above, unless the table was replaced meanwhile (then the same query on its metadata)
        resolve: (meta) => {
          if (meta === rec.meta && checked) return { plan: checked };
          const plan = resolveV1Query(meta, request.query, lang);
          if (exceedsCellLimit(plan, config.maxCells)) throw new V1QueryError(TOO_MANY_VALUES);
          return { plan };
        },
        format,
        api: 'v1',
        options: { lang, baseUrl: baseUrl(req, config) },
        cacheKey,
        client: clientOf(req, ctx),
        signal: clientGone(reply),
      });
      // the registry's v1 content type, with the charset the writer actually used
      return { status: 200, contentType: answer.contentType, body: answer.body, stream: answer.stream };
    } catch (e) {
      if (e instanceof QueryError) {
        if (e.kind === 'unknown-format') return badRequest(PARAMETER_ERROR);
        if (e.kind === 'timeout') return errorAnswer(503, TIMEOUT_MESSAGE);
        if (e.kind === 'client-busy') return errorAnswer(429, RATE_LIMIT_MESSAGE, { 'retry-after': String(e.retryAfter ?? 1) });
        if (e.kind === 'busy') return errorAnswer(503, TIMEOUT_MESSAGE, { 'retry-after': String(e.retryAfter ?? 1) });
        throw e;
      }
      if (e instanceof V1QueryError) return e.message === TOO_MANY_VALUES ? errorAnswer(403, TOO_MANY_VALUES) : errorAnswer(400, e.message);
      throw e;
    }
  }

  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
  for (const p of V1_PREFIXES) {
    app.route({ method: [...methods], url: p, handler, exposeHeadRoute: false });
    app.route({ method: [...methods], url: `${p}/*`, handler, exposeHeadRoute: false });
  }
}
