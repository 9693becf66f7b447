// Statbank saved-query pages, as Statistics Norway serves `/statbank/sq/{id}` (spec pxweb-api.md §2.10):
//   GET /statbank/sq/{id}            a browser (Accept: text/html) gets the web app, which opens the query on its
//                                    table page; any other client gets the data in the saved format
//                                    (json-stat2 when it asks for application/json and the format is not JSON)
//   GET /statbank/sq/{id}.txt        the query as text: the API v1 URL and POST body
//   GET /statbank/sq/{id}.{format}   the data in an API v1 format (px, csv, csv2, csv3, json, json-stat,
//                                    json-stat2, xlsx, sdmx: the v1 answer to that body) or a PxWebApi 2.0 one
//                                    (html, parquet, json-px); `_` may stand for `-` (json_stat2)
//   GET /statbank/sq/{id}?select     the selection: the query and the values it picks on the newest version
//   POST /statbank/sq                save a v1 query: {"tableId","language","query":[…],"response":{"format"}}
//                                    -> 201 with a numeric id
// Saved queries share the PxWebApi 2.0 store (`/api/v2/savedqueries/{id}` shows the same queries). The data is
// always computed on the table's newest version: a `top` selection moves with new releases. `?lang=` overrides
// the saved language. The routes are more specific than the web app's `/statbank/*`, so they win there.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { messages } from '../../app/messages.js';
import { QueryError } from '../../app/queryRunner.js';
import { ensureSeed } from '../../app/savedQuerySeeds.js';
import { type Plan } from '../../core/engine.js';
import { text } from '../../core/model.js';
import { formatIds } from '../../formats/registry.js';
import { domainIndex, exceedsCellLimit, SelectionError, variableDomain } from '../../query/selection.js';
import { findVariable, resolveV2OrDefault, V2SelectionError, v2CodelistDomain, type V2Selection } from '../../query/v2Selection.js';
import { parseV1Body, resolveV1Query, V1QueryError } from '../../query/v1Query.js';
import { storedFormatOf, storedSelectionOf, v1FormatOf, v1FormOf } from '../../query/v1SavedQuery.js';
import { createWithNumericId, isSavedQueryId, type SavedQuery } from '../../savedQueries/index.js';
import type { TableRecord } from '../../store/store.js';
import { allowOrigin, baseUrl, isStorageFull, STORAGE_FULL_MESSAGE, bodyOf, clientGone, clientOf, rateLimited, rawBodies, sendAnswer, urlParts, WEB_BASE, type HttpAnswer } from '../http.js';
import { RATE_LIMIT_MESSAGE, TOO_MANY_VALUES } from '../v1/responses.js';
import { outputChoice, parseOutputFormat, parseOutputFormatParams, parseVariablesSelection, prop } from '../v2/params.js';
import { V2HttpError } from '../v2/problems.js';
import { queryText } from './queryText.js';

export const SQ_BASE = `${WEB_BASE}/sq`;

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

class PageError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const jsonAnswer = (status: number, body: unknown, headers?: Record<string, string>): HttpAnswer => ({ status, contentType: JSON_TYPE, body: JSON.stringify(body), headers });
const textAnswer = (status: number, body: string): HttpAnswer => ({ status, contentType: TEXT_TYPE, body });

/** A browser asking for a page (not a program asking for data). */
function wantsHtml(req: FastifyRequest): boolean {
  return /\btext\/html\b|application\/xhtml\+xml/i.test(String(req.headers.accept ?? ''));
}

function wantsJson(req: FastifyRequest): boolean {
  return /\bapplication\/(json|[\w.+-]*\+json)\b/i.test(String(req.headers.accept ?? ''));
}

const V1_FORMATS = new Set(formatIds('v1'));
const V2_FORMATS = formatIds('v2');
/** Formats a query can be saved with: every v1 and v2 format that has a stored (v2) form. */
const SAVABLE_FORMATS = [...new Set([...formatIds('v2'), ...formatIds('v1')])].filter((f) => storedFormatOf(f));

export async function statbankPageRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { store, config, languages } = ctx;
  const saved = ctx.savedQueries;
  const seeds = new Map(ctx.savedQuerySeeds.map((s) => [s.id, s]));
  for (const seed of seeds.values()) await ensureSeed(seed, store, saved);

  // saved queries are posted as JSON with any Content-Type (or none), like API v1 bodies
  rawBodies(app);
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    req.log.warn({ err }, 'statbank page request failed');
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
    return reply.code(status).type(JSON_TYPE).send(JSON.stringify({ error: err.message || 'Bad request' }));
  });

  // data, text and selection answers are API-like: readable from other origins when CORS is on
  const send = (reply: FastifyReply, a: HttpAnswer) => {
    allowOrigin(reply, config);
    return sendAnswer(reply, a);
  };

  rateLimited(app, ctx, 'pages', {
    // the web app's own page (a browser opening the link) is not an API call
    exempt: (req) => req.method === 'GET' && wantsHtml(req) && !/\.[^/]*$/.test(urlParts(req).path),
    refuse: (_req, reply) => send(reply, jsonAnswer(429, { error: RATE_LIMIT_MESSAGE })),
  });

  /** The saved query (creating a missing seed on first use: its table may have been published after start). */
  const load = async (id: string): Promise<SavedQuery> => {
    const q = isSavedQueryId(id) ? ((await saved.get(id)) ?? (seeds.has(id) ? await ensureSeed(seeds.get(id)!, store, saved) : undefined)) : undefined;
    if (!q) throw new PageError(404, `No saved query with id ${JSON.stringify(id)}`);
    return q;
  };

  const tableOf = (q: SavedQuery, lang: string): TableRecord => {
    const rec = store.getTable(q.tableId);
    if (!rec) throw new PageError(404, `Saved query ${q.id}: its table ${q.tableId} is no longer in the database`);
    if (!rec.meta.languages.includes(lang)) throw new PageError(400, `Table ${rec.id} has no texts in language ${JSON.stringify(lang)}`);
    return rec;
  };
  const unknownLanguage = (l: string) => new PageError(400, `Unknown language ${JSON.stringify(l)}: use ${languages.list.map((x) => `lang=${x}`).join(' or ')}`);

  const langOf = (params: URLSearchParams, q: SavedQuery): string => {
    const l = params.get('lang');
    if (l === null || l === '') return q.language;
    const served = languages.resolve(l);
    if (!served) throw unknownLanguage(l);
    return served;
  };

  const selectionOf = (q: SavedQuery): V2Selection | null => {
    try {
      return parseVariablesSelection(q.selection, 'selection.');
    } catch (e) {
      if (e instanceof V2HttpError) throw new PageError(400, `Saved query ${q.id} has an unreadable selection`);
      throw e;
    }
  };

  /** Selection faults on the newest table version: the table changed under the saved query. */
  const fits = <T>(q: SavedQuery, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof V2SelectionError) {
        if (e.title === 'Too many cells selected') throw new PageError(403, TOO_MANY_VALUES);
        throw new PageError(400, `Saved query ${q.id} no longer fits table ${q.tableId}: ${e.message}`);
      }
      if (e instanceof V1QueryError || e instanceof SelectionError) throw new PageError(400, `Saved query ${q.id} no longer fits table ${q.tableId}: ${e.message}`);
      throw e;
    }
  };

  // ---------------------------------------------------------------------------------------------
  // GET

  /** Let the web app answer (its page routes `/statbank/sq/{id}` in the browser). */
  const webPage = async (req: FastifyRequest, reply: FastifyReply) => {
    const headers: Record<string, string> = {};
    for (const h of ['accept', 'accept-encoding', 'accept-language', 'if-none-match']) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const res = await app.inject({ method: 'GET', url: `${WEB_BASE}/index.html`, headers });
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined || ['content-length', 'connection', 'transfer-encoding', 'date', 'keep-alive'].includes(k)) continue;
      reply.header(k, v);
    }
    reply.header('vary', 'accept, accept-encoding');
    return reply.code(res.statusCode).send(res.rawPayload);
  };

  app.get<{ Params: { file: string } }>(`${SQ_BASE}/:file`, async (req, reply) => {
    const file = req.params.file;
    const dot = file.indexOf('.');
    const id = dot < 0 ? file : file.slice(0, dot);
    const ext = dot < 0 ? '' : file.slice(dot + 1).toLowerCase().replace(/_/g, '-') || '.';
    const params = urlParts(req).params;
    const select = params.has('select');
    if (ext === '' && wantsHtml(req)) return webPage(req, reply);
    const asText = ext === 'txt';
    try {
      const q = await load(id);
      const lang = langOf(params, q);
      const rec = tableOf(q, lang);
      const sel = selectionOf(q);
      const base = baseUrl(req, config);
      if (asText) return send(reply, textAnswer(200, txt(q, rec, sel, lang, base)));
      if (ext === '' && select) return send(reply, jsonAnswer(200, selectionBody(q, rec, sel, lang, base)));
      let answer: HttpAnswer;
      const run = (format: string, api: 'v1' | 'v2', formatParams: string[]) => data(req, reply, q, rec, sel, lang, base, format, api, formatParams);
      if (ext === '') {
        const stored = parseOutputFormat(q.outputFormat) ?? 'json-stat2';
        const asJson = wantsJson(req) && stored !== 'json-stat2' && stored !== 'json-px';
        answer = asJson ? await run('json-stat2', 'v2', []) : await run(stored, 'v2', q.outputFormatParams);
        reply.header('vary', 'accept');
      } else if (V1_FORMATS.has(ext)) {
        answer = await run(ext, 'v1', []);
      } else if (V2_FORMATS.includes(ext)) {
        answer = await run(ext, 'v2', []);
      } else {
        throw new PageError(400, `Unknown format .${ext}: use .txt or one of ${[...new Set([...V1_FORMATS, ...V2_FORMATS])].map((f) => '.' + f).join(', ')}`);
      }
      return send(reply, answer);
    } catch (e) {
      let status = 400;
      let message: string;
      if (e instanceof PageError) {
        status = e.status;
        message = e.message;
      } else if (e instanceof QueryError && e.kind !== 'cancelled') {
        status = e.kind === 'client-busy' ? 429 : e.kind === 'unknown-format' ? 400 : 503;
        message = e.kind === 'timeout' ? 'The query took too long. Please select fewer values or try again later.' : e.message;
        if (e.retryAfter) reply.header('retry-after', String(e.retryAfter));
      } else {
        req.log.error({ err: e }, 'saved query page failed');
        status = 500;
        message = 'The saved query could not be run';
      }
      if (asText) return send(reply, textAnswer(status, message + '\n'));
      return send(reply, jsonAnswer(status, { error: message }));
    }
  });

  /** `.txt`: heading, v1 URL, notes, POST body. */
  function txt(q: SavedQuery, rec: TableRecord, sel: V2Selection | null, lang: string, base: string): string {
    const form = fits(q, () => v1FormOf(rec.meta, sel));
    const fmt = v1FormatOf(q.outputFormat, q.outputFormatParams, sel?.placement ? { heading: sel.placement.heading ?? [], stub: sel.placement.stub ?? [] } : null);
    const notes: string[] = [];
    const m = messages(lang);
    for (const r of form.resolved) notes.push(m.savedExpressionNote(r.code, r.expression));
    if (!fmt.exact) notes.push(m.savedFormatNote(q.outputFormat));
    const title = text(rec.meta.title, lang, rec.meta.defaultLanguage) || rec.id;
    return queryText({ base, lang, tableId: rec.id, title, query: form.query, format: fmt.format, notes });
  }

  /** `?select`: the saved query, its v1 form and the values it selects on the newest version. */
  function selectionBody(q: SavedQuery, rec: TableRecord, sel: V2Selection | null, lang: string, base: string): Record<string, unknown> {
    const meta = rec.meta;
    const resolved = fits(q, () => resolveV2OrDefault(meta, sel, { maxCells: 0 }));
    const form = fits(q, () => v1FormOf(meta, sel));
    const L = (t: Record<string, string> | undefined) => text(t, lang, meta.defaultLanguage);
    const variables = resolved.selection.map((s) => {
      const v = findVariable(meta, s.variableCode)!;
      const single = sel?.selection.find((x) => x.variableCode === s.variableCode)?.outputValues === 'single';
      const domain = s.codelist ? v2CodelistDomain(v, s.codelist, single ? 'single' : 'aggregated')! : variableDomain(v);
      const ix = domainIndex(domain);
      const own = domainIndex(variableDomain(v));
      const label = (code: string) => {
        const i = ix.get(code);
        if (i !== undefined) return L(domain.entries[i].value.label);
        const j = own.get(code);
        return j !== undefined ? L(v.values[j].label) : code;
      };
      const out: Record<string, unknown> = { code: v.code, text: L(v.label) };
      if (s.codelist) out.codelist = s.codelist;
      out.values = s.valueCodes;
      out.valueTexts = s.valueCodes.map(label);
      if (s.valueCodes.length === 0) out.eliminated = true;
      return out;
    });
    const fmt = v1FormatOf(q.outputFormat, q.outputFormatParams, resolved.placement);
    const page = `${base}${SQ_BASE}/${q.id}`;
    return {
      id: q.id,
      tableId: rec.id,
      title: L(meta.title),
      language: q.language,
      outputFormat: q.outputFormat,
      outputFormatParams: q.outputFormatParams,
      query: form.query,
      response: { format: fmt.format },
      variables,
      cells: resolved.cells,
      updated: rec.published,
      links: { page, text: `${page}.txt`, data: page, table: `${base}${WEB_BASE}/table/${encodeURIComponent(rec.id)}`, api: `${base}/api/v2/savedqueries/${q.id}` },
    };
  }

  /** Run the saved query on the table's newest version and serialize it: v1 = the v1 answer to its .txt body. */
  async function data(
    req: FastifyRequest,
    reply: FastifyReply,
    q: SavedQuery,
    rec: TableRecord,
    sel: V2Selection | null,
    lang: string,
    base: string,
    format: string,
    api: 'v1' | 'v2',
    formatParams: string[],
  ): Promise<HttpAnswer> {
    const v2Options = api === 'v2' ? v2OutputOptions(format, formatParams) : {};
    const answer = await ctx.runner
      .run({
        record: rec,
        resolve: (meta) => {
          if (api === 'v1') {
            const plan: Plan = fits(q, () => resolveV1Query(meta, v1FormOf(meta, sel).query, lang));
            if (exceedsCellLimit(plan, config.maxCells)) throw new PageError(403, TOO_MANY_VALUES);
            return { plan };
          }
          return fits(q, () => resolveV2OrDefault(meta, sel, { maxCells: config.maxCells }));
        },
        format,
        api,
        options: { lang, baseUrl: base, ...v2Options },
        cacheKey: `sq\n${q.id}\n${format}\n${api}\n${formatParams.join(',')}\n${lang}\n${base}`,
        client: clientOf(req, ctx),
        signal: clientGone(reply),
      })
      .catch((e) => {
        if (e instanceof QueryError && e.kind === 'unknown-format') throw new PageError(400, `Unknown format ${format}`);
        throw e;
      });
    const contentType = api === 'v2' && /^application\/json\b/i.test(answer.contentType) ? JSON_TYPE : answer.contentType;
    return { status: 200, contentType, body: answer.body, stream: answer.stream, headers: { 'content-disposition': `inline; filename="${q.id}.${answer.extension}"` } };
  }

  function v2OutputOptions(format: string, params: string[]) {
    try {
      const f = parseOutputFormat(format);
      if (!f) throw new PageError(400, `Unknown format ${format}`);
      return outputChoice(f, parseOutputFormatParams(params), V2_FORMATS).options;
    } catch (e) {
      if (e instanceof V2HttpError) throw new PageError(400, `The format ${format} with ${params.join(',') || 'no parameters'} is not available`);
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // POST: save a v1 query

  const create = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = bodyOf(req);
    try {
      let doc: unknown;
      try {
        doc = JSON.parse((body ?? Buffer.alloc(0)).toString('utf8').replace(/^\uFEFF/, ''));
      } catch {
        throw new PageError(400, 'The body must be JSON: {"tableId":"07459","language":"no","query":[…],"response":{"format":"json-stat2"}}');
      }
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new PageError(400, 'The body must be a JSON object with tableId, language, query and response');
      const o = doc as Record<string, unknown>;
      const tableId = prop(o, 'tableId') ?? prop(o, 'table');
      if (typeof tableId !== 'string' || tableId === '') throw new PageError(400, 'tableId is required (the table the query is for, e.g. "07459")');
      const language = prop(o, 'language') ?? prop(o, 'lang') ?? languages.default;
      if (typeof language !== 'string' || languages.resolve(language) !== language) {
        throw new PageError(400, `language must be one of ${languages.list.join(', ')}`);
      }
      let request;
      try {
        request = parseV1Body(body);
      } catch {
        throw new PageError(400, 'query must be an API v1 query: [{"code":…,"selection":{"filter":…,"values":[…]}}, …]');
      }
      const format = request.format ?? 'json-stat2';
      const sf = storedFormatOf(format);
      if (!sf) throw new PageError(400, `The format ${JSON.stringify(format)} cannot be saved; use one of ${SAVABLE_FORMATS.join(', ')} (every v1 format is served as /statbank/sq/{id}.{format})`);
      const rec = store.getTable(tableId);
      if (!rec) throw new PageError(404, `No table ${JSON.stringify(tableId)}`);
      if (!rec.meta.languages.includes(language)) throw new PageError(400, `Table ${rec.id} has no texts in language ${language}`);
      let selection;
      try {
        if (exceedsCellLimit(resolveV1Query(rec.meta, request.query, language), config.maxCells)) throw new PageError(403, TOO_MANY_VALUES);
        selection = storedSelectionOf(rec.meta, request.query, language, sf);
      } catch (e) {
        if (e instanceof V1QueryError) throw new PageError(400, e.message);
        throw e;
      }
      let q: SavedQuery;
      try {
        q = await createWithNumericId(saved, { tableId: rec.id, language, outputFormat: sf.format, outputFormatParams: sf.params, selection });
      } catch (e) {
        req.log.error({ err: e }, 'saving a query failed');
        if (isStorageFull(e)) throw new PageError(507, STORAGE_FULL_MESSAGE);
        throw new PageError(500, 'The query could not be saved');
      }
      const base = baseUrl(req, config);
      const page = `${base}${SQ_BASE}/${q.id}`;
      reply.header('location', page);
      return send(
        reply,
        jsonAnswer(201, {
          id: q.id,
          tableId: q.tableId,
          language: q.language,
          format: v1FormatOf(q.outputFormat, q.outputFormatParams, selection.placement).format,
          outputFormat: q.outputFormat,
          outputFormatParams: q.outputFormatParams,
          links: { page, text: `${page}.txt`, select: `${page}?select`, api: `${base}/api/v2/savedqueries/${q.id}` },
        }),
      );
    } catch (e) {
      if (e instanceof PageError) return send(reply, jsonAnswer(e.status, { error: e.message }));
      req.log.error({ err: e }, 'saving a query failed');
      return send(reply, jsonAnswer(500, { error: 'The query could not be saved' }));
    }
  };
  app.post(SQ_BASE, create);
  app.post(`${SQ_BASE}/`, create);
}

