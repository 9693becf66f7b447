// PxWebApi 2.0 (/api/v2 and /api/pxwebapi/v2), issue 4.
//
// Thin HTTP layer: parse the request (params.ts), resolve selections into an engine Plan (query/v2Selection.ts),
// evaluate (core/engine.ts), place (pivot.ts), serialize (formats/registry.ts) — the same engine and writers as
// API v1. The OpenAPI 3.1 document is generated from the route schemas (openapi.ts) by @fastify/swagger,
// registered inside this plugin, and published at /api/v2/openapi.json with Swagger UI at /api/v2/docs.
//
// Paths and parameter names are case-insensitive: the documented routes answer the canonical spelling, and a
// catch-all route per prefix matches any other spelling (and trailing slashes) against the same route table.

import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyCors from '@fastify/cors';
import type { AppContext } from '../../app/context.js';
import { QueryError } from '../../app/queryRunner.js';
import { tableHasLanguage } from '../../app/languages.js';
import { listedIn } from '../../app/tableLookup.js';
import { recordAt, VersionNotFound } from '../../app/versions.js';
import { baseUrl, cacheValidators, notModifiedEarly, isStorageFull, STORAGE_FULL_MESSAGE, clientGone, clientOf, rateLimited, rawBodies } from '../http.js';
import { PlanError } from '../../core/engine.js';
import { text, type TableMeta } from '../../core/model.js';
import { jsonStat2Metadata } from '../../formats/jsonStat2.js';
import { formatIds } from '../../formats/registry.js';
import { SelectionError } from '../../query/selection.js';
import { searchPage, SearchSyntaxError } from '../../search/index.js';
import {
  applyCodelistsToMeta,
  defaultV2Selection,
  resolveV2OrDefault,
  usesDefaultSelection,
  V2SelectionError,
  type ResolvedV2Selection,
  type V2Selection,
} from '../../query/v2Selection.js';
import type { SavedQuery } from '../../savedQueries/index.js';
import type { TableRecord } from '../../store/store.js';
import { schemas, swaggerOptions } from './openapi.js';
import {
  codelistParams,
  outputChoice,
  parseBool,
  parseInt32,
  parseJsonBody,
  parseOutputFormat,
  parseOutputFormatParams,
  parseVariablesSelection,
  prop,
  QueryParams,
  resolveLang,
  selectionFromQuery,
  type OutputChoice,
  type OutputFormat,
} from './params.js';
import {
  codelistNotFound,
  dataTableNotFound,
  pageNotFound,
  problem,
  problemError,
  PROBLEM_CONTENT_TYPE,
  savedQueryNotFound,
  tableNotFound,
  V2HttpError,
  validationError,
} from './problems.js';
import {
  codelistResponse,
  configResponse,
  findCodelist,
  findTable,
  savedQueryResponse,
  selectionResponse,
  tableLabel,
  tableObject,
  tablesPageUrl,
  tableUpdated,
  type LinkContext,
} from './responses.js';

export const V2_PREFIXES = ['/api/v2', '/api/pxwebapi/v2'] as const;
export const DEFAULT_DATA_FORMAT: OutputFormat = 'json-stat2';
const DEFAULT_PAGE_SIZE = 20;
const JSON_TYPE = 'application/json; charset=utf-8';

const APP_VERSION = (() => {
  try {
    return String(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
})();

/** Data formats in the reference order (json-stat2, csv, px, then the extras), from the format registry. */
export function v2DataFormats(): string[] {
  return formatIds('v2');
}

type Handler = (req: FastifyRequest, reply: FastifyReply, api: Api, params: Record<string, string>) => Promise<unknown>;

interface RouteDef {
  method: 'GET' | 'POST';
  /** Path below the prefix, `:id` for the id segment. */
  path: string;
  schema: object;
  handler: Handler;
}

/** Per-request view of the API: where it was reached, for links. */
interface Api {
  prefix: string;
  root: string;
  link(lang?: string): LinkContext;
}

export async function v2Routes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { store, config: cfg, savedQueries, languages } = ctx;
  const dataFormats = v2DataFormats();

  // Schemas document the API; handlers parse requests themselves, and bodies are sent pre-serialized.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(fastifySwagger, swaggerOptions(APP_VERSION));

  // ---------------------------------------------------------------------------------------------
  // helpers

  const sendJson = (reply: FastifyReply, body: unknown, status = 200) => reply.code(status).type(JSON_TYPE).send(JSON.stringify(body));

  const query = (req: FastifyRequest) => new QueryParams(req.url);
  const langOf = (q: QueryParams) => resolveLang(q, languages.list, languages.default);

  const tableFor = (id: string, lang: string, notFound: (id: string) => V2HttpError): TableRecord => {
    const rec = findTable(store, ctx.lookup, id);
    if (!rec || !tableHasLanguage(rec.summary, lang)) throw notFound(id);
    return rec;
  };

  /** The version `?version=N` / `?asOf=` names (the current one when neither is given); 404 for none. */
  const versionOf = async (rec: TableRecord, q: QueryParams): Promise<TableRecord> => {
    try {
      return await recordAt(store, rec, { version: q.get('version'), asOf: q.get('asOf') });
    } catch (e) {
      if (e instanceof VersionNotFound) throw problemError(404, 'Version not found', e.message);
      throw e;
    }
  };

  const outputFrom = (q: QueryParams, fallback?: { format: string; params: string[] }): OutputChoice => {
    const given = parseOutputFormat(q.get('outputFormat'));
    const givenParams = parseOutputFormatParams(q.all('outputFormatParams'));
    if (!given && fallback) {
      const format = parseOutputFormat(fallback.format) ?? DEFAULT_DATA_FORMAT;
      return outputChoice(format, givenParams.length ? givenParams : parseOutputFormatParams(fallback.params), dataFormats);
    }
    return outputChoice(given ?? DEFAULT_DATA_FORMAT, givenParams, dataFormats);
  };

  /** Resolve (or default) a selection on table metadata; selection faults become 400 problems. */
  const resolve = (meta: TableMeta, sel: V2Selection | null): ResolvedV2Selection => {
    try {
      return resolveV2OrDefault(meta, sel, { maxCells: cfg.maxCells });
    } catch (e) {
      if (e instanceof V2SelectionError) throw problemError(400, e.title, e.message);
      if (e instanceof SelectionError) throw problemError(400, 'Illegal selection expression', e.message);
      throw e;
    }
  };

  /** Run a selection on a table through the one query runner and send it in the chosen format. */
  const sendData = async (req: FastifyRequest, reply: FastifyReply, api: Api, rec: TableRecord, sel: V2Selection | null, lang: string, out: OutputChoice) => {
    // a poller's revalidation of the answer it holds costs no parsing (the hot path at a release)
    if (req.method === 'GET' && notModifiedEarly(req, reply, ctx, rec, `${api.root}${req.url}`)) return reply;
    const cacheKey = `v2\n${req.method}\n${api.root}${req.url}\n${Buffer.isBuffer(req.body) ? req.body.toString('latin1') : ''}`;
    // selection faults answer 400 before any work; an answer already made was checked when it was made
    const checked = ctx.runner.hasAnswer(rec, cacheKey) ? undefined : resolve(rec.meta, sel);
    if (req.method === 'GET' && cacheValidators(req, reply, ctx, rec, `${api.root}${req.url}`)) return reply;
    let answer;
    try {
      answer = await ctx.runner.run({
        record: rec,
        // the selection checked above, unless the table was replaced meanwhile
        resolve: (meta) => (meta === rec.meta && checked ? checked : resolve(meta, sel)),
        format: out.format,
        api: 'v2',
        options: { lang, ...out.options, baseUrl: api.root },
        cacheKey,
        client: clientOf(req, ctx),
        signal: clientGone(reply),
      });
    } catch (e) {
      if (e instanceof QueryError) {
        if (e.kind === 'unknown-format') throw problemError(400, 'Unsupported output format', 'Unsupported output format');
        if (e.kind === 'timeout') throw problemError(503, 'Query timeout', 'The query took longer than the time limit');
        if (e.kind === 'client-busy' || e.kind === 'busy') {
          reply.header('retry-after', String(e.retryAfter ?? 1));
          throw problemError(e.kind === 'busy' ? 503 : 429, 'Too many requests', e.message);
        }
      }
      throw e;
    }
    const name = `${rec.meta.matrix ?? rec.id}.${answer.extension}`.replace(/["\\\r\n]/g, '_');
    // every JSON answer of this API says `application/json; charset=utf-8` (the writers' charset case varies)
    const contentType = /^application\/json\b/i.test(answer.contentType) ? JSON_TYPE : answer.contentType;
    reply.code(200).headers({ 'content-type': contentType, 'content-disposition': `inline; filename="${name}"` });
    return reply.send(answer.stream ? Readable.from(answer.stream) : answer.body);
  };

  const savedQueryId = (raw: string): string => {
    if (raw.includes('..') || raw.includes('/') || raw.includes('\\')) {
      throw new V2HttpError(400, problem(404, 'Saved query not found', 'Saved query not found'));
    }
    return raw.replace(/[^A-Za-z0-9-]/g, '');
  };
  const loadSavedQuery = async (raw: string): Promise<SavedQuery> => {
    const q = await savedQueries.get(savedQueryId(raw));
    if (!q) throw savedQueryNotFound();
    return q;
  };
  const storedSelection = (q: SavedQuery): V2Selection | null => parseVariablesSelection(q.selection, 'selection.');

  // ---------------------------------------------------------------------------------------------
  // endpoints

  const routes: RouteDef[] = [
    {
      method: 'GET',
      path: '/config',
      schema: schemas.config,
      handler: async (_req, reply) => sendJson(reply, configResponse(cfg, languages.list, languages.default, APP_VERSION, dataFormats, DEFAULT_DATA_FORMAT)),
    },
    {
      method: 'GET',
      path: '/tables',
      schema: schemas.tables,
      handler: async (req, reply, api) => {
        const q = query(req);
        const lang = langOf(q);
        const search = q.get('query');
        const pastDays = parseInt32(q, 'pastDays');
        const includeDiscontinued = parseBool(q, 'includeDiscontinued') ?? false;
        let pageNumber = parseInt32(q, 'pageNumber') ?? 1;
        if (pageNumber <= 0) pageNumber = 1;
        let pageSize = parseInt32(q, 'pageSize') ?? DEFAULT_PAGE_SIZE;
        if (pageSize <= 0) pageSize = DEFAULT_PAGE_SIZE;

        const since = pastDays !== undefined && pastDays > 0 ? Date.now() - pastDays * 86_400_000 : undefined;
        const updatedSince = (r: TableRecord) => {
          if (since === undefined) return true;
          const u = tableUpdated(r, cfg.timeZone);
          return u !== undefined && Date.parse(u) >= since;
        };
        const keep = (r: TableRecord) => listedIn(r, lang, includeDiscontinued) && updatedSince(r);
        const offset = (pageNumber - 1) * pageSize;
        let total: number;
        let page: TableRecord[];
        if (search !== undefined && search.trim() !== '') {
          // ranks only what the page can hold (the whole catalogue may match)
          try {
            const found = searchPage(store, search, { lang, offset, limit: pageSize, keep });
            total = found.total;
            page = found.hits.map((h) => h.record);
          } catch (e) {
            if (e instanceof SearchSyntaxError) throw problemError(400, 'Illegal search query', e.message);
            throw e;
          }
        } else {
          // in id order: the app keeps the list per language (made once per change, not per page)
          const listed = ctx.lookup.inLanguage(lang, includeDiscontinued);
          const records = since === undefined ? listed : listed.filter(updatedSince);
          total = records.length;
          page = records.slice(offset, offset + pageSize);
        }
        const totalPages = Math.ceil(total / pageSize);
        if (totalPages !== 0 && pageNumber > totalPages) throw pageNotFound();
        const link = api.link(lang);
        const url = (n: number) => tablesPageUrl(link, lang, search, pageSize, n, pastDays);
        const pageLinks = [];
        if (pageNumber < totalPages) pageLinks.push({ rel: 'next', hreflang: lang, href: url(pageNumber + 1) });
        if (pageNumber <= totalPages && pageNumber !== 1) pageLinks.push({ rel: 'previous', hreflang: lang, href: url(pageNumber - 1) });
        if (totalPages > 1) pageLinks.push({ rel: 'last', hreflang: lang, href: url(totalPages) });
        return sendJson(reply, {
          language: lang,
          tables: page.map((r) => tableObject(r, store, lang, link)),
          page: { pageNumber, pageSize, totalElements: total, totalPages: Math.max(1, totalPages), links: pageLinks },
          links: [{ rel: 'self', hreflang: lang, href: url(pageNumber) }],
        });
      },
    },
    {
      method: 'GET',
      path: '/tables/:id',
      schema: schemas.table,
      handler: async (req, reply, api, params) => {
        const q = query(req);
        const lang = langOf(q);
        const rec = await versionOf(tableFor(params.id, lang, tableNotFound), q);
        if (cacheValidators(req, reply, ctx, rec, api.root + req.url)) return reply;
        return sendJson(reply, { language: lang, ...tableObject(rec, store, lang, api.link(lang)) });
      },
    },
    {
      method: 'GET',
      path: '/tables/:id/versions',
      schema: schemas.versions,
      handler: async (req, reply, api, params) => {
        const lang = langOf(query(req));
        const rec = tableFor(params.id, lang, tableNotFound);
        const id = encodeURIComponent(rec.id.toUpperCase());
        const versions = store.listVersions(rec.id).map((v) => ({
          version: v.version,
          released: v.published,
          label: text(v.title, lang, rec.summary.defaultLanguage),
          current: v.current,
          links: [
            { rel: 'metadata', hreflang: lang, href: `${api.root}/tables/${id}/metadata?lang=${lang}&version=${v.version}` },
            { rel: 'data', hreflang: lang, href: `${api.root}/tables/${id}/data?lang=${lang}&version=${v.version}` },
          ],
        }));
        const self = { rel: 'self', hreflang: lang, href: `${api.root}/tables/${id}/versions?lang=${lang}` };
        return sendJson(reply, { id: rec.id, language: lang, versions, links: [self] });
      },
    },
    {
      method: 'GET',
      path: '/tables/:id/metadata',
      schema: schemas.metadata,
      handler: async (req, reply, api, params) => {
        const q = query(req);
        const lang = langOf(q);
        const rec = await versionOf(tableFor(params.id, lang, tableNotFound), q);
        if (cacheValidators(req, reply, ctx, rec, api.root + req.url)) return reply;
        const codelists: Record<string, string> = {};
        const sqRaw = q.get('savedQuery');
        if (sqRaw !== undefined && sqRaw.trim() !== '') {
          const saved = await loadSavedQuery(sqRaw);
          if (saved.tableId.toLowerCase() === rec.id.toLowerCase()) {
            for (const s of storedSelection(saved)?.selection ?? []) if (s.codelist) codelists[s.variableCode] = s.codelist;
          }
        } else if (parseBool(q, 'defaultSelection')) {
          for (const s of defaultV2Selection(rec.meta).selection) if (s.codelist) codelists[s.variableCode] = s.codelist;
        }
        Object.assign(codelists, codelistParams(q));
        let meta: TableMeta;
        try {
          meta = applyCodelistsToMeta(rec.meta, codelists);
        } catch (e) {
          if (e instanceof V2SelectionError) throw problemError(400, e.title, e.message);
          throw e;
        }
        const body = jsonStat2Metadata(meta, { lang, baseUrl: api.root, label: tableLabel(rec.meta, lang), timeZone: cfg.timeZone });
        return reply.code(200).type(JSON_TYPE).send(body);
      },
    },
    {
      method: 'GET',
      path: '/tables/:id/defaultselection',
      schema: schemas.defaultSelection,
      handler: async (req, reply, api, params) => {
        const lang = langOf(query(req));
        const rec = tableFor(params.id, lang, tableNotFound);
        if (cacheValidators(req, reply, ctx, rec, api.root + req.url)) return reply;
        const d = defaultV2Selection(rec.meta);
        const self = { rel: 'self', hreflang: lang, href: `${api.root}/tables/${encodeURIComponent(rec.id.toUpperCase())}/defaultselection?lang=${lang}` };
        return sendJson(reply, selectionResponse(self, d.selection, d.placement));
      },
    },
    {
      method: 'GET',
      path: '/tables/:id/data',
      schema: schemas.dataGet,
      handler: async (req, reply, api, params) => {
        const q = query(req);
        const lang = langOf(q);
        if (req.headers['if-none-match'] !== undefined) {
          // a revalidation of an answer the client holds: 304 before the selection is parsed (errors keep their
          // order below, since an ETag was only ever given to a successful answer)
          let held: TableRecord | undefined;
          try {
            held = await versionOf(tableFor(params.id, lang, dataTableNotFound), q);
          } catch {
            held = undefined; // answered with its error below
          }
          if (held && notModifiedEarly(req, reply, ctx, held, `${api.root}${req.url}`)) return reply;
        }
        const out = outputFrom(q);
        const sel = selectionFromQuery(q);
        const rec = await versionOf(tableFor(params.id, lang, dataTableNotFound), q);
        return sendData(req, reply, api, rec, sel, lang, out);
      },
    },
    {
      method: 'POST',
      path: '/tables/:id/data',
      schema: schemas.dataPost,
      handler: async (req, reply, api, params) => {
        const q = query(req);
        const lang = langOf(q);
        const out = outputFrom(q);
        const sel = parseVariablesSelection(parseJsonBody(req.body));
        const rec = await versionOf(tableFor(params.id, lang, dataTableNotFound), q);
        return sendData(req, reply, api, rec, sel, lang, out);
      },
    },
    {
      method: 'GET',
      path: '/codelists/:id',
      schema: schemas.codelist,
      handler: async (req, reply, api, params) => {
        const lang = langOf(query(req));
        const found = findCodelist(ctx.lookup, params.id, lang);
        if (!found) throw codelistNotFound(params.id);
        return sendJson(reply, codelistResponse(found, params.id, lang, api.link(lang)));
      },
    },
    {
      method: 'POST',
      path: '/savedqueries',
      schema: schemas.savedQueryCreate,
      handler: async (req, reply, api) => {
        const json = parseJsonBody(req.body);
        if (json === undefined || json === null) throw problemError(400, 'No query specified', 'No query specified', 400, 'Create saved query');
        if (typeof json !== 'object' || Array.isArray(json)) throw validationError('$', 'A saved query must be a JSON object.');
        const o = json as Record<string, unknown>;
        const tableId = prop(o, 'tableId');
        if (typeof tableId !== 'string' || tableId === '') throw validationError('TableId', 'The TableId field is required.');
        const language = prop(o, 'language');
        if (typeof language !== 'string' || language === '') throw validationError('Language', 'The Language field is required.');
        const selRaw = prop(o, 'selection');
        if (selRaw === undefined || selRaw === null) throw validationError('Selection', 'The Selection field is required.');
        const fmtRaw = prop(o, 'outputFormat');
        if (fmtRaw !== undefined && fmtRaw !== null && typeof fmtRaw !== 'string') throw validationError('OutputFormat', 'outputFormat must be a string.');
        const paramsRaw = prop(o, 'outputFormatParams');
        if (paramsRaw === undefined || paramsRaw === null) throw validationError('OutputFormatParams', 'The OutputFormatParams field is required.');
        if (!Array.isArray(paramsRaw) || paramsRaw.some((x) => typeof x !== 'string')) {
          throw validationError('OutputFormatParams', 'outputFormatParams must be an array of strings.');
        }
        const lang = resolveLang(new QueryParams(`?lang=${encodeURIComponent(language)}`), languages.list, languages.default);
        const format = parseOutputFormat(fmtRaw as string | undefined, 'OutputFormat') ?? DEFAULT_DATA_FORMAT;
        const fparams = parseOutputFormatParams(paramsRaw as string[], 'OutputFormatParams');
        outputChoice(format, fparams, dataFormats);
        const sel = parseVariablesSelection(selRaw, 'selection.');
        const rec = tableFor(tableId, lang, dataTableNotFound);
        resolve(rec.meta, sel); // validate once, as the reference does
        const selection = sel ?? { selection: [] };
        let saved: SavedQuery;
        try {
          saved = await savedQueries.create({ tableId: rec.id, language: lang, outputFormat: format, outputFormatParams: fparams, selection: toStoredSelection(selection) });
        } catch (e) {
          req.log.error(e, 'saving a query failed');
          if (isStorageFull(e)) throw problemError(507, 'Insufficient storage', STORAGE_FULL_MESSAGE);
          const msg = 'Internal error! Could not create saved query';
          throw problemError(400, msg, msg, 400, 'Create saved query');
        }
        const link = api.link(lang);
        return sendJson(reply.header('Location', `${api.root}/savedqueries/${saved.id}`), savedQueryResponse(saved, link), 201);
      },
    },
    {
      method: 'GET',
      path: '/savedqueries/:id',
      schema: schemas.savedQuery,
      handler: async (_req, reply, api, params) => {
        const saved = await loadSavedQuery(params.id);
        return sendJson(reply, savedQueryResponse(saved, api.link(saved.language)));
      },
    },
    {
      method: 'GET',
      path: '/savedqueries/:id/data',
      schema: schemas.savedQueryData,
      handler: async (req, reply, api, params) => {
        const q = query(req);
        const saved = await loadSavedQuery(params.id);
        const lang = q.get('lang') ? langOf(q) : saved.language;
        const out = outputFrom(q, { format: saved.outputFormat, params: saved.outputFormatParams });
        const rec = tableFor(saved.tableId, lang, dataTableNotFound);
        return sendData(req, reply, api, rec, storedSelection(saved), lang, out);
      },
    },
    {
      method: 'GET',
      path: '/savedqueries/:id/selection',
      schema: schemas.savedQuerySelection,
      handler: async (req, reply, api, params) => {
        const q = query(req);
        const saved = await loadSavedQuery(params.id);
        const lang = q.get('lang') ? langOf(q) : saved.language;
        const rec = tableFor(saved.tableId, lang, dataTableNotFound);
        const sel = storedSelection(saved);
        const r = resolve(rec.meta, sel);
        const placement = r.placement ?? tablePlacement(rec.meta, r);
        const self = { rel: 'self', hreflang: lang, href: `${api.root}/savedqueries/${saved.id}/selection?lang=${lang}` };
        return sendJson(reply, selectionResponse(self, r.selection, usesDefaultSelection(sel) ? defaultV2Selection(rec.meta).placement : placement));
      },
    },
  ];

  // ---------------------------------------------------------------------------------------------
  // registration: each prefix gets the routes (documented under /api/v2 only) and a catch-all

  for (const prefix of V2_PREFIXES) {
    await app.register(
      async (s) => {
        if (cfg.cors) {
          await s.register(fastifyCors, { origin: '*', methods: ['GET', 'POST', 'OPTIONS'], optionsSuccessStatus: 200, strictPreflight: false });
        }
        // Rate limit: 429 as plain text with Retry-After; answers carry X-Rate-Limit-* headers.
        // Preflights, /config and the API description are not counted.
        const period = `${cfg.timeWindow}s`;
        rateLimited(s, ctx, 'v2', {
          exempt: (req) => {
            const path = req.url.split('?')[0].slice(prefix.length).toLowerCase().replace(/\/+$/, '');
            return path === '/config' || path === '/openapi.json';
          },
          refuse: (_req, reply) => reply.code(429).type('text/plain; charset=utf-8').send(`API calls quota exceeded! maximum admitted ${cfg.maxCalls} per ${period}.`),
          passed: (reply, remaining) => {
            reply.header('X-Rate-Limit-Limit', period);
            reply.header('X-Rate-Limit-Remaining', String(remaining));
            reply.header('X-Rate-Limit-Reset', new Date(Date.now() + cfg.timeWindow * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
          },
        });

        // JSON bodies whatever their Content-Type (none, text/plain, form, application/json)
        rawBodies(s);

        s.setErrorHandler((err: Error, req, reply) => {
          if (err instanceof V2HttpError) return reply.code(err.httpStatus).type(err.contentType).send(JSON.stringify(err.body));
          const status = (err as { statusCode?: number }).statusCode;
          if (status && status >= 400 && status < 500) {
            return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem(status, err.message || 'Bad request')));
          }
          if (err instanceof PlanError || err instanceof SelectionError) {
            return reply.code(400).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem(400, 'Illegal selection expression', err.message)));
          }
          req.log.error(err);
          return reply.code(500).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem(500, 'Internal error', undefined, 'Internal error')));
        });

        const apiOf = (req: FastifyRequest): Api => {
          const base = baseUrl(req, cfg);
          const root = base + prefix;
          return { prefix, root, link: () => ({ root, languages: languages.list, defaultDataFormat: DEFAULT_DATA_FORMAT, timeZone: cfg.timeZone }) };
        };

        // any other spelling of a documented path: case-insensitive segments, trailing and doubled slashes
        const matchers = routes.map((r) => ({ r, segs: r.path.split('/').filter(Boolean) }));
        const fallback = async (req: FastifyRequest, reply: FastifyReply) => {
          const path = req.url.split('?')[0].slice(prefix.length);
          const segs = path.split('/').filter(Boolean).map(safeDecode);
          if (segs.length === 0 && req.method === 'GET') return reply.redirect(`${V2_PREFIXES[0]}/docs`);
          for (const { r, segs: pat } of matchers) {
            if (r.method !== req.method && !(req.method === 'HEAD' && r.method === 'GET')) continue;
            if (pat.length !== segs.length) continue;
            const params: Record<string, string> = {};
            if (pat.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = segs[i]), true) : p === segs[i].toLowerCase()))) {
              return r.handler(req, reply, apiOf(req), params);
            }
          }
          return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem(404, 'Not found', `no endpoint ${req.method} ${path}`)));
        };
        for (const r of routes) {
          s.route({
            method: r.method,
            url: r.path,
            schema: prefix === V2_PREFIXES[0] ? r.schema : { ...r.schema, hide: true },
            handler: (req, reply) => {
              const params = req.params as Record<string, string>;
              // `/tables/` reaches `/tables/:id` with an empty id: it is the list
              if (Object.values(params).some((x) => x === '')) return fallback(req, reply);
              return r.handler(req, reply, apiOf(req), params);
            },
          });
        }
        s.route({ method: ['GET', 'POST'], url: '/*', schema: { hide: true }, handler: fallback });
        // the API root shows the interactive documentation, as the reference's Swagger UI at {prefix}/
        s.get('/', { schema: { hide: true } }, async (_req, reply) => reply.redirect(`${V2_PREFIXES[0]}/docs`));
        s.get('/openapi.json', { schema: { hide: true } }, async (_req, reply) => reply.type(JSON_TYPE).send(JSON.stringify(app.swagger())));
      },
      { prefix },
    );
  }

  await app.register(fastifySwaggerUi, { routePrefix: `${V2_PREFIXES[0]}/docs` });
}

/** The placement a resolved selection has without a usable requested one: the table's own, minus eliminated variables. */
function tablePlacement(meta: TableMeta, r: ResolvedV2Selection): { heading: string[]; stub: string[] } {
  const kept = new Set(r.selection.filter((s) => s.valueCodes.length > 0).map((s) => s.variableCode));
  return { heading: meta.heading.filter((c) => kept.has(c)), stub: meta.stub.filter((c) => kept.has(c)) };
}

/** A selection as stored in a saved query: canonical key names and order, expressions unexpanded. */
function toStoredSelection(sel: V2Selection): unknown {
  const out: Record<string, unknown> = {
    selection: sel.selection.map((s) => {
      const o: Record<string, unknown> = { variableCode: s.variableCode };
      if (s.codelist) o.codelist = s.codelist;
      o.valueCodes = [...s.valueCodes];
      if (s.outputValues) o.outputValues = s.outputValues;
      return o;
    }),
  };
  if (sel.placement) out.placement = { heading: [...(sel.placement.heading ?? [])], stub: [...(sel.placement.stub ?? [])] };
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

