// Statistics Norway's ready-made datasets API (spec pxweb-api.md §2.9), beside API v1 under /api/v0/dataset/:
//   list.json | list.csv          the datasets: {"datasets":[{id, title, tags, table, updated, json, csv, html}]}
//   {id}.json                     JSON-stat 1.2 bundle of the dataset's query on the table's newest version
//   {id}.csv                      CSV: lang=no `;` + decimal comma, lang=en `,` + decimal point, ISO-8859-1 bytes
//   {id}, list, (none)            small HTML pages
// Each takes ?lang=no|en (default: the server's default language). The routes are more specific than API v1's
// catch-all `/api/v0/*`, so they win there.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { evaluate } from '../../core/engine.js';
import type { Cube } from '../../core/model.js';
import { encodeText } from '../../formats/encoding.js';
import { getSerializer } from '../../formats/registry.js';
import type { AppContext } from '../../server/app.js';
import { QueryTimeout, clockCheck, withTimeout } from '../../server/queryTimeout.js';
import { ResponseCache, type CachedResponse } from '../../server/responseCache.js';
import { DatasetCatalog, isDatasetId, listEntry, planFor, type AvailableDataset, type ReadyMadeDataset } from './catalog.js';
import { csvLocaleFor } from './csvLocale.js';
import { datasetListPage, datasetPage, notFoundPage } from './page.js';

export const DATASET_PREFIX = '/api/v0/dataset';

export interface DatasetRouteOptions {
  datasets: readonly ReadyMadeDataset[];
}

const JSON_TYPE = 'application/json; charset=utf-8';
const CSV_TYPE = 'text/csv; charset=ISO-8859-1';
const HTML_TYPE = 'text/html; charset=utf-8';
const DATASET_CODEPAGE = 'iso-8859-1';

class Answer {
  constructor(
    readonly status: number,
    readonly contentType: string,
    readonly body: Buffer,
    readonly headers: Record<string, string> = {},
  ) {}
}

const jsonError = (status: number, message: string) => new Answer(status, JSON_TYPE, Buffer.from(JSON.stringify({ error: message })));

export async function datasetRoutes(app: FastifyInstance, ctx: AppContext, opts: DatasetRouteOptions): Promise<void> {
  const { store, config } = ctx;
  const catalog = new DatasetCatalog(store, opts.datasets);
  const cache = new ResponseCache({ maxBytes: 16 * 1024 * 1024 });

  // bodies are never read here; accept any so that other methods get a clear 405 instead of a parser error
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const baseOf = (req: FastifyRequest) => (config.baseUrl ? config.baseUrl.replace(/\/+$/, '') : `${req.protocol}://${req.host}`);

  const send = (reply: FastifyReply, a: Answer | CachedResponse) => {
    if (config.cors) reply.header('access-control-allow-origin', '*');
    const headers = a instanceof Answer ? { ...a.headers, 'content-type': a.contentType } : a.headers;
    return reply.code(a.status).headers(headers).send(a.body);
  };

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === 'OPTIONS') {
      if (config.cors) reply.header('access-control-allow-methods', 'GET, HEAD').header('access-control-allow-headers', 'Content-Type');
      return send(reply, new Answer(204, 'text/plain', Buffer.alloc(0)));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(reply, new Answer(405, JSON_TYPE, Buffer.from(JSON.stringify({ error: 'The dataset API only answers GET' })), { allow: 'GET, HEAD' }));
    }
    const raw = req.raw.url ?? req.url;
    const qAt = raw.indexOf('?');
    const path = (qAt < 0 ? raw : raw.slice(0, qAt)).slice(DATASET_PREFIX.length);
    const params = new URLSearchParams(qAt < 0 ? '' : raw.slice(qAt + 1));
    const langParam = params.get('lang');
    const lang = langParam === null || langParam === '' ? config.defaultLanguage : langParam;
    const base = baseOf(req);

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

    if (!config.languages.includes(lang)) {
      const msg = `Unknown language ${JSON.stringify(lang)}: use ${config.languages.map((l) => `lang=${l}`).join(' or ')}`;
      return send(reply, ext === '' ? new Answer(400, HTML_TYPE, Buffer.from(notFoundPage(config.defaultLanguage, msg, base))) : jsonError(400, msg));
    }

    if (stem === '' || stem === 'list') {
      if (ext === '') return send(reply, new Answer(200, HTML_TYPE, Buffer.from(datasetListPage(catalog.list(), lang, base))));
      if (stem === 'list' && ext === 'json') {
        const body = { datasets: catalog.list().map((a) => listEntry(a, lang, base)) };
        return send(reply, new Answer(200, JSON_TYPE, Buffer.from(JSON.stringify(body))));
      }
      if (stem === 'list' && ext === 'csv') return send(reply, new Answer(200, CSV_TYPE, listCsv(catalog.list(), lang, base)));
      return send(reply, jsonError(400, `Unknown format .${ext}: the list is served as list.json and list.csv`));
    }

    const notFound = (): Answer => {
      const def = isDatasetId(stem) ? catalog.get(stem) : undefined;
      const msg = def
        ? `Dataset ${stem} is not available: its table ${def.tableId} is not in this database or no longer fits the dataset's query`
        : `No dataset with id ${JSON.stringify(stem)}. The datasets are listed at ${base}${DATASET_PREFIX}/list.json?lang=${lang}`;
      return ext === '' ? new Answer(404, HTML_TYPE, Buffer.from(notFoundPage(lang, msg, base))) : jsonError(404, msg);
    };
    const ds = isDatasetId(stem) ? catalog.available(stem) : undefined;
    if (!ds) return send(reply, notFound());

    if (ext === '') {
      const other = config.languages.find((l) => l !== lang);
      return send(reply, new Answer(200, HTML_TYPE, Buffer.from(datasetPage(ds, lang, base, other))));
    }
    if (ext !== 'json' && ext !== 'csv') return send(reply, jsonError(400, `Unknown format .${ext}: a dataset is served as ${stem}.json (JSON-stat 1.2) and ${stem}.csv`));

    const key = ResponseCache.key('GET', `${ext}\n${lang}\n${ds.dataset.id}\n${base}`, undefined, `${ds.rec.id}@${ds.rec.version}`);
    const hit = cache.get(key);
    if (hit) return send(reply, hit);
    let answer: Answer;
    try {
      answer = await withTimeout(data(ds, ext, lang, base), config.queryTimeoutMs);
    } catch (e) {
      if (e instanceof QueryTimeout) return send(reply, jsonError(503, 'The dataset took too long to compute. Please try again later.'));
      req.log.error({ err: e }, 'dataset request failed');
      return send(reply, jsonError(500, 'The dataset could not be computed'));
    }
    if (answer.status === 200) cache.set(key, { status: 200, headers: { ...answer.headers, 'content-type': answer.contentType }, body: answer.body });
    return send(reply, answer);
  };

  /** The dataset's numbers from the table's newest version, as JSON-stat 1.2 or localized CSV. */
  async function data(ds: AvailableDataset, ext: 'json' | 'csv', lang: string, base: string): Promise<Answer> {
    const checkClock = clockCheck(config.queryTimeoutMs);
    const cube = await store.getCube(ds.rec.id);
    checkClock();
    // resolve on the cube's own metadata: the table may have been replaced since the catalogue lookup
    const plan = planFor(ds.dataset, cube.meta);
    if (!plan) return jsonError(404, `Dataset ${ds.dataset.id} is not available: its table no longer fits the dataset's query`);
    const result = evaluate(cube, plan);
    checkClock();
    if (ext === 'json') {
      const out = await getSerializer('json-stat', 'v1')!.serialize(result, { lang, api: 'v1', baseUrl: base });
      return new Answer(200, JSON_TYPE, out.body);
    }
    // long CSV (one value per row, texts), in Latin-1 whatever the table's codepage, in the language's dialect
    const latin1: Cube = { ...result, meta: { ...result.meta, codepage: DATASET_CODEPAGE } };
    const loc = csvLocaleFor(lang);
    const out = await getSerializer('csv2', 'v1')!.serialize(latin1, {
      lang,
      api: 'v1',
      separator: loc.separator === ';' ? 'semicolon' : 'comma',
      decimalComma: loc.decimal === ',',
    });
    return new Answer(200, CSV_TYPE, out.body, { 'content-disposition': `inline; filename="${ds.dataset.id}.csv"` });
  }

  const methods = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
  app.route({ method: [...methods], url: DATASET_PREFIX, handler, exposeHeadRoute: false });
  app.route({ method: [...methods], url: `${DATASET_PREFIX}/*`, handler, exposeHeadRoute: false });
}

/** `list.csv`: id, title, tags (comma joined), table, updated and the links, in the language's CSV dialect. */
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
