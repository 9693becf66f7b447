// Statistics Norway's ready-made datasets API (spec pxweb-api.md §2.9), beside API v1 under /api/v0/dataset/:
//   list.json | list.csv          the datasets: {"datasets":[{id, title, tags, table, updated, json, csv, html}]}
//   {id}.json                     JSON-stat 1.2 bundle of the dataset's query on the table's newest version
//   {id}.csv                      CSV: lang=no `;` + decimal comma, lang=en `,` + decimal point, ISO-8859-1 bytes
//   {id}, list, (none)            small HTML pages
// Each takes ?lang=no|en (default: the server's default language). The routes are more specific than API v1's
// catch-all `/api/v0/*`, so they win there.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { QueryError } from '../../app/queryRunner.js';
import { isDatasetId, listEntry, planFor, type AvailableDataset } from '../../datasets/catalog.js';
import { encodeText } from '../../formats/encoding.js';
import { allowOrigin, baseUrl, cacheValidators, clientGone, clientOf, rateLimited, rawBodies, sendAnswer, urlParts, type HttpAnswer } from '../http.js';
import { csvLocaleFor } from './csvLocale.js';
import { datasetListPage, datasetPage, notFoundPage } from './page.js';

export const DATASET_PREFIX = '/api/v0/dataset';

const JSON_TYPE = 'application/json; charset=utf-8';
const CSV_TYPE = 'text/csv; charset=ISO-8859-1';
const HTML_TYPE = 'text/html; charset=utf-8';
const DATASET_CODEPAGE = 'iso-8859-1';

const jsonError = (status: number, message: string, headers?: Record<string, string>): HttpAnswer => ({
  status,
  contentType: JSON_TYPE,
  body: JSON.stringify({ error: message }),
  headers,
});
const html = (status: number, body: string): HttpAnswer => ({ status, contentType: HTML_TYPE, body });

export async function datasetRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { config, languages } = ctx;
  const catalog = ctx.datasets;

  // bodies are never read here; accept any so that other methods get a clear 405 instead of a parser error
  rawBodies(app);

  const send = (reply: FastifyReply, a: HttpAnswer) => {
    allowOrigin(reply, config);
    return sendAnswer(reply, a);
  };

  rateLimited(app, ctx, 'datasets', {
    refuse: (_req, reply) => send(reply, jsonError(429, 'Too many requests in too short a time. Please try again later.')),
  });

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'OPTIONS') {
      if (config.cors) reply.header('access-control-allow-methods', 'GET, HEAD').header('access-control-allow-headers', 'Content-Type');
      return send(reply, { status: 204, contentType: 'text/plain', body: '' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(reply, jsonError(405, 'The dataset API only answers GET', { allow: 'GET, HEAD' }));
    }
    const parts = urlParts(req);
    const path = parts.path.slice(DATASET_PREFIX.length);
    const langParam = parts.params.get('lang');
    const lang = languages.resolveOrDefault(langParam);
    const base = baseUrl(req, config);

    let name: string;
    try {
      const segs = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
      if (segs.length > 1) return send(reply, jsonError(404, `No such dataset resource: ${path}. Datasets are listed at ${DATASET_PREFIX}/list.json`));
      name = segs[0] ?? '';
    } catch {
      return send(reply, jsonError(400, 'The URL is not correctly percent-encoded'));
    }
    const dot = name.lastIndexOf('.');
    const stem = dot < 0 ? name : name.slice(0, dot);
    const ext = dot < 0 ? '' : name.slice(dot + 1).toLowerCase() || '.';

    if (lang === undefined) {
      const msg = `Unknown language ${JSON.stringify(langParam)}: use ${languages.list.map((l) => `lang=${l}`).join(' or ')}`;
      return send(reply, ext === '' ? html(400, notFoundPage(languages.default, msg, base)) : jsonError(400, msg));
    }

    if (stem === '' || stem === 'list') {
      if (ext === '') return send(reply, html(200, datasetListPage(catalog.list(), lang, base)));
      if (stem === 'list' && ext === 'json') {
        const body = { datasets: catalog.list().map((a) => listEntry(a, lang, base)) };
        return send(reply, { status: 200, contentType: JSON_TYPE, body: JSON.stringify(body) });
      }
      if (stem === 'list' && ext === 'csv') return send(reply, { status: 200, contentType: CSV_TYPE, body: listCsv(catalog.list(), lang, base) });
      return send(reply, jsonError(400, `Unknown format .${ext}: the list is served as list.json and list.csv`));
    }

    const notFound = (): HttpAnswer => {
      const def = isDatasetId(stem) ? catalog.get(stem) : undefined;
      const msg = def
        ? `Dataset ${stem} is not available: its table ${def.tableId} is not in this database or no longer fits the dataset's query`
        : `No dataset with id ${JSON.stringify(stem)}. The datasets are listed at ${base}${DATASET_PREFIX}/list.json?lang=${lang}`;
      return ext === '' ? html(404, notFoundPage(lang, msg, base)) : jsonError(404, msg);
    };
    const ds = isDatasetId(stem) ? catalog.available(stem) : undefined;
    if (!ds) return send(reply, notFound());

    if (ext === '') {
      const other = languages.list.find((l) => l !== lang && ds.rec.meta.languages.includes(l));
      return send(reply, html(200, datasetPage(ds, lang, base, other)));
    }
    if (ext !== 'json' && ext !== 'csv') return send(reply, jsonError(400, `Unknown format .${ext}: a dataset is served as ${stem}.json (JSON-stat 1.2) and ${stem}.csv`));

    allowOrigin(reply, config);
    if (cacheValidators(req, reply, ctx, ds.rec, `dataset\n${ext}\n${lang}\n${ds.dataset.id}:${ds.revision}\n${base}`)) return reply;
    try {
      return send(reply, await data(req, reply, ds, ext, lang, base));
    } catch (e) {
      if (e instanceof QueryError) {
        if (e.kind === 'timeout' || e.kind === 'busy') return send(reply, jsonError(503, 'The dataset took too long to compute. Please try again later.', { 'retry-after': String(e.retryAfter ?? 1) }));
        if (e.kind === 'client-busy') return send(reply, jsonError(429, 'Too many large requests at once. Please try again shortly.', { 'retry-after': String(e.retryAfter ?? 1) }));
      }
      if (e instanceof DatasetGone) return send(reply, jsonError(404, e.message));
      req.log.error({ err: e }, 'dataset request failed');
      return send(reply, jsonError(500, 'The dataset could not be computed'));
    }
  };

  /** The dataset's numbers from the table's newest version, as JSON-stat 1.2 or localized CSV. */
  async function data(req: FastifyRequest, reply: FastifyReply, ds: AvailableDataset, ext: 'json' | 'csv', lang: string, base: string): Promise<HttpAnswer> {
    const loc = csvLocaleFor(lang);
    const answer = await ctx.runner.run({
      record: ds.rec,
      // resolve on the cube's own metadata: the table may have been replaced since the catalogue lookup
      resolve: (meta) => {
        const plan = planFor(ds.dataset, meta);
        if (!plan) throw new DatasetGone(`Dataset ${ds.dataset.id} is not available: its table no longer fits the dataset's query`);
        return { plan };
      },
      format: ext === 'json' ? 'json-stat' : 'csv2',
      api: 'v1',
      // long CSV (one value per row, texts), in Latin-1 whatever the table's codepage, in the language's dialect
      options:
        ext === 'json'
          ? { lang, baseUrl: base }
          : { lang, separator: loc.separator === ';' ? 'semicolon' : 'comma', decimalComma: loc.decimal === ',' },
      adjust: ext === 'csv' ? (cube) => ({ ...cube, meta: { ...cube.meta, codepage: DATASET_CODEPAGE } }) : undefined,
      cacheKey: `dataset\n${ext}\n${lang}\n${ds.dataset.id}:${ds.revision}\n${base}`,
      client: clientOf(req, ctx),
      signal: clientGone(reply),
    });
    if (ext === 'json') return { status: 200, contentType: JSON_TYPE, body: answer.body, stream: answer.stream };
    // ISO-8859-1 as Statistics Norway serves it, or UTF-8 when the texts need it (the writer says which)
    const contentType = answer.contentType.replace(/^text\/csv; charset=windows-1252$/i, CSV_TYPE);
    return { status: 200, contentType, body: answer.body, stream: answer.stream, headers: { 'content-disposition': `inline; filename="${ds.dataset.id}.csv"` } };
  }

  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
  app.route({ method: [...methods], url: DATASET_PREFIX, handler, exposeHeadRoute: false });
  app.route({ method: [...methods], url: `${DATASET_PREFIX}/*`, handler, exposeHeadRoute: false });
}

/** `list.csv`: id, title, tags (comma joined), table, updated and the links, in the language's CSV dialect. */
class DatasetGone extends Error {}

function listCsv(all: AvailableDataset[], lang: string, base: string): Buffer {
  const loc = csvLocaleFor(lang);
  const q = (s: string) => '"' + s.replace(/"/g, '""') + '"';
  const rows = [['id', 'title', 'tags', 'table', 'updated', 'json', 'csv', 'html'].map(q).join(loc.separator)];
  for (const a of all) {
    const e = listEntry(a, lang, base) as Record<string, string | string[]>;
    rows.push(
      [e.id, e.title, (e.tags as string[]).join(','), e.table, e.updated, e.json, e.csv, e.html].map((x) => q(String(x))).join(loc.separator),
    );
  }
  return encodeText(rows.join('\r\n') + '\r\n', DATASET_CODEPAGE);
}
