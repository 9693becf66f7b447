// The Klass classification API (/api/klass/v1), as Statistics Norway serves it: a thin Fastify adapter. It reads
// the path (with its optional .json/.csv/.xml suffix) and the query, calls the pure functions of src/klass, and
// writes JSON (HAL), XML or CSV as negotiated; errors are RFC 7807 problems (JSON, XML) or the bare message (CSV).
//
// Storage: the classifications come from a KlassData value given in the options, by default the demo built by
// src/demo/klass.ts when the plugin starts. The data is small and read-only, so it lives in memory and needs no
// table in the SQLite file.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import { allowOrigin, baseUrl, rateLimited, rawBodies, urlParts } from '../http.js';
import { KlassCatalog } from '../../klass/catalog.js';
import { changesInRange } from '../../klass/changes.js';
import { codesAt, codesInRange, javaSplit, variantCodesAt, variantCodesInRange, type CodeOptions } from '../../klass/codes.js';
import { correspondencesAt, correspondencesInRange } from '../../klass/correspondences.js';
import { dateRange, osloToday } from '../../klass/dates.js';
import { KlassError } from '../../klass/errors.js';
import { familyWithClassifications, listClassifications, listFamilies, responsibleSections, searchClassifications, sectionCode } from '../../klass/listing.js';
import type { KlassData, Lang } from '../../klass/model.js';
import {
  CHANGE_COLUMNS,
  CODE_COLUMNS,
  CORRESPONDENCE_COLUMNS,
  ITEM_COLUMNS,
  MAP_COLUMNS,
  RANGED_CODE_COLUMNS,
  RANGED_CORRESPONDENCE_COLUMNS,
  csvNotes,
  writeCsv,
  type CsvValue,
} from './csv.js';
import { klassGuideHtml } from './guide.js';
import { ALL_TYPES, HAL_TYPES, contentType, encodeCsv, negotiate, suffixType, type MediaType, type Negotiated } from './negotiate.js';
import { QueryParams, idNumber, parseLong } from './params.js';
import {
  classificationResource,
  classificationSummary,
  correspondenceTableResource,
  familyResource,
  familySummary,
  searchHit,
  variantResource,
  versionResource,
  type ResourceContext,
} from './resources.js';
import { problemXml, toXml } from './xml.js';

export const KLASS_PREFIX = '/api/klass/v1';

export interface KlassRouteOptions {
  /** The classifications to serve (default: the application's; none = an empty catalogue). */
  data?: KlassData;
  /** Today's date, yyyy-MM-dd (default: the date in Norway); decides which versions are current or future. */
  today?: () => string;
}

/** What a handler answers: the JSON resource, its XML root, and for CSV-capable endpoints the table. */
interface Answer {
  json: object;
  xmlRoot: string;
  csv?: { columns: readonly string[]; rows: ReadonlyArray<Record<string, CsvValue>>; separator: string };
}

interface Call {
  q: QueryParams;
  res: ResourceContext;
  /** The request URL as sent, absolute. */
  self: string;
  params: Record<string, string>;
}

interface Route {
  path: string[];
  produces: MediaType[];
  handle: (c: Call) => Answer;
}

/** No classifications: what a server without Klass data serves. */
const EMPTY_KLASS: KlassData = { families: [], classifications: [], versions: [], variants: [], correspondenceTables: [] };

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  429: 'Too Many Requests',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  500: 'Internal Server Error',
};

export async function klassRoutes(app: FastifyInstance, ctx: AppContext, opts: KlassRouteOptions = {}): Promise<void> {
  const cat = new KlassCatalog(opts.data ?? ctx.klass ?? EMPTY_KLASS);
  const today = opts.today ?? ctx.klassToday ?? (() => osloToday());
  const { config } = ctx;

  // Bodies are never read; accept any so a POST answers 405 rather than a parser error.
  rawBodies(app);
  rateLimited(app, ctx, 'klass', {
    refuse: (req, reply) => sendProblem(reply, 429, 'Too many requests in too short a time. Please try again later.', urlParts(req).path, negotiate(req.headers.accept, undefined, ALL_TYPES)),
  });

  const routes = klassRouteTable(cat);

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const rawUrl = req.raw.url ?? req.url;
    const qmark = rawUrl.indexOf('?');
    const rawPath = qmark < 0 ? rawUrl : rawUrl.slice(0, qmark);
    const rawQuery = qmark < 0 ? '' : rawUrl.slice(qmark + 1);
    const base = baseUrl(req, config);
    reply.header('vary', 'Accept, X-Forwarded-Proto');
    allowOrigin(reply, config);

    if (req.method === 'OPTIONS') {
      if (config.cors) {
        reply.header('access-control-allow-methods', 'GET, HEAD, OPTIONS');
        const asked = req.headers['access-control-request-headers'];
        if (asked) reply.header('access-control-allow-headers', String(asked));
      }
      return reply.code(200).header('allow', 'GET, HEAD, OPTIONS').send();
    }

    const rest = rawPath.slice(KLASS_PREFIX.length);
    if (rest === '' || rest === '/') return reply.redirect(`${KLASS_PREFIX}/api-guide.html`, 302);
    if (rest === '/api-guide.html') {
      return reply.code(200).header('cache-control', 'max-age=604800').type('text/html; charset=utf-8').send(klassGuideHtml(`${base}${KLASS_PREFIX}`));
    }

    const accept = req.headers.accept;
    let segments: string[];
    try {
      segments = rest.slice(1).split('/').map((s) => decodeURIComponent(s));
    } catch {
      return sendProblem(reply, 400, 'The request path is not valid percent-encoding', rawPath, negotiate(accept, undefined, ALL_TYPES));
    }
    // The format suffix: only .json, .csv and .xml exist; any other suffix is an unknown path.
    let suffix: MediaType | undefined;
    const last = segments[segments.length - 1];
    const dot = last.lastIndexOf('.');
    if (dot >= 0) {
      suffix = suffixType(last.slice(dot + 1));
      if (!suffix) return sendProblem(reply, 404, undefined, rawPath, negotiate(accept, undefined, ALL_TYPES));
      segments[segments.length - 1] = last.slice(0, dot);
    }

    const match = matchRoute(routes, segments);
    if (!match) return sendProblem(reply, 404, undefined, rawPath, negotiate(accept, suffix, ALL_TYPES));
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply.header('allow', 'GET, HEAD, OPTIONS');
      return sendProblem(reply, 405, `Request method '${req.method}' is not supported`, rawPath, negotiate(accept, suffix, ALL_TYPES));
    }
    const neg = negotiate(accept, suffix, match.route.produces);
    if (!neg) {
      return sendProblem(reply, 406, `Acceptable representations: [${match.route.produces.join(', ')}]`, rawPath, null);
    }

    try {
      const res: ResourceContext = { cat, root: `${base}${KLASS_PREFIX}`, today: today() };
      const answer = match.route.handle({ q: new QueryParams(rawQuery), res, self: `${base}${rawUrl}`, params: match.params });
      return sendAnswer(reply, answer, neg);
    } catch (err) {
      if (err instanceof KlassError) return sendProblem(reply, err.status, err.message, rawPath, neg);
      req.log.error({ err }, 'klass request failed');
      return sendProblem(reply, 500, 'Internal error', rawPath, neg);
    }
  };

  app.all(KLASS_PREFIX, handler);
  app.all(`${KLASS_PREFIX}/*`, handler);
}

function matchRoute(routes: Route[], segments: string[]): { route: Route; params: Record<string, string> } | null {
  for (const route of routes) {
    if (route.path.length !== segments.length) continue;
    const params: Record<string, string> = {};
    // an empty segment (trailing or doubled slash) matches nothing, as in Spring Boot 3
    if (route.path.every((p, i) => (p.startsWith(':') ? segments[i] !== '' && ((params[p.slice(1)] = segments[i]), true) : p === segments[i]))) return { route, params };
  }
  return null;
}

function sendAnswer(reply: FastifyReply, a: Answer, neg: Negotiated) {
  reply.code(200).header('content-type', contentType(neg));
  switch (neg.type) {
    case 'application/json':
      return reply.send(Buffer.from(JSON.stringify(a.json), 'utf8'));
    case 'text/csv': {
      // Endpoints without a table never negotiate CSV (their produces list has none).
      const csv = a.csv!;
      const out = encodeCsv(writeCsv(csv.columns, csv.rows, csv.separator), neg.csvCharset);
      return reply.header('content-type', contentType({ ...neg, csvCharset: out.charset })).send(out.body);
    }
    default:
      return reply.send(Buffer.from(toXml(a.xmlRoot, a.json), 'utf8'));
  }
}

function sendProblem(reply: FastifyReply, status: number, detail: string | undefined, instance: string, neg: Negotiated | null) {
  const problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status, ...(detail === undefined ? {} : { detail }), instance };
  reply.code(status);
  if (!neg || neg.type === 'application/json') return reply.header('content-type', 'application/json').send(Buffer.from(JSON.stringify(problem), 'utf8'));
  if (neg.type === 'text/csv') {
    const out = encodeCsv(detail ?? '', neg.csvCharset);
    return reply.header('content-type', contentType({ ...neg, csvCharset: out.charset })).send(out.body);
  }
  return reply.header('content-type', contentType(neg)).send(Buffer.from(problemXml(problem), 'utf8'));
}

// --- the endpoints -------------------------------------------------------------------------------------------------

/** Look up by a Java long id (parsed first, like Spring binds the path variable before the parameters); ids
 *  beyond what a JS number holds simply do not exist. */
function byId<T>(n: bigint, lookup: (id: number) => T, notFound: (shown: string) => string): T {
  const id = idNumber(n);
  if (id === null) throw new KlassError(404, notFound(n.toString()));
  return lookup(id);
}

function separator(q: QueryParams): string {
  const s = q.optional('csvSeparator') ?? ',';
  if (s.length !== 1) throw new KlassError(400, 'Separator must be a single character');
  return s;
}

/** csvFields: names checked against the item schema; the output columns are exactly these, in this order. */
function csvFields(q: QueryParams, schema: readonly string[]): string[] | undefined {
  const raw = q.optional('csvFields');
  if (raw === undefined) return undefined;
  const fields = javaSplit(raw, ',');
  const unknown = fields.filter((f) => !schema.includes(f));
  if (unknown.length > 0) throw new KlassError(400, `CorrespondenceList does not contain the following field(s): ${unknown.join(',')}`);
  return fields.length > 0 ? fields : undefined;
}

function codeOptions(q: QueryParams, res: ResourceContext, levelParams: [string, string]): CodeOptions {
  return {
    language: q.language('language') ?? 'nb',
    includeFuture: q.boolean('includeFuture', false),
    today: res.today,
    selectLevel: q.optional(levelParams[0]) ?? q.optional(levelParams[1]),
    selectCodes: q.string('selectCodes'),
    presentationNamePattern: q.optional('presentationNamePattern'),
  };
}

function codeAnswer(q: QueryParams, rows: ReadonlyArray<object>, ranged: boolean): Answer {
  const sep = separator(q);
  const fields = csvFields(q, CODE_COLUMNS);
  return {
    json: { codes: rows },
    xmlRoot: 'codeList',
    csv: {
      columns: fields ?? (ranged ? RANGED_CODE_COLUMNS : CODE_COLUMNS),
      rows: rows.map((r) => {
        const row = r as Record<string, CsvValue>;
        return { ...row, notes: csvNotes(row.notes as string | null) };
      }),
      separator: sep,
    },
  };
}

function correspondenceAnswer(q: QueryParams, rows: ReadonlyArray<object>, ranged: boolean): Answer {
  const sep = separator(q);
  const fields = csvFields(q, RANGED_CORRESPONDENCE_COLUMNS);
  return {
    json: { correspondenceItems: rows },
    xmlRoot: 'correspondenceItemList',
    csv: { columns: fields ?? (ranged ? RANGED_CORRESPONDENCE_COLUMNS : CORRESPONDENCE_COLUMNS), rows: rows as Array<Record<string, CsvValue>>, separator: sep },
  };
}

interface PagedOptions {
  rel: string;
  page: number;
  size: number;
  self: string;
  /** Spring's first/prev/next/last links (the list has them, search no longer does). */
  navigation: boolean;
  extraLinks?: Record<string, { href: string; templated?: true }>;
}

function paged(items: object[], o: PagedOptions): object {
  const totalPages = Math.ceil(items.length / o.size);
  const content = items.slice(o.page * o.size, o.page * o.size + o.size);
  const hasPrevious = o.page > 0;
  const hasNext = o.page + 1 < totalPages;
  const links: Record<string, { href: string; templated?: true }> = {};
  if (o.navigation && (hasPrevious || hasNext)) links.first = { href: pageLink(o.self, 0, o.size) };
  if (o.navigation && hasPrevious) links.prev = { href: pageLink(o.self, o.page - 1, o.size) };
  links.self = { href: o.self };
  if (o.navigation && hasNext) links.next = { href: pageLink(o.self, o.page + 1, o.size) };
  if (o.navigation && (hasPrevious || hasNext)) links.last = { href: pageLink(o.self, Math.max(totalPages - 1, 0), o.size) };
  Object.assign(links, o.extraLinks ?? {});
  return {
    ...(content.length > 0 ? { _embedded: { [o.rel]: content } } : {}),
    _links: links,
    page: { size: o.size, totalElements: items.length, totalPages, number: o.page },
  };
}

/** The request URL with page and size set last, the other parameters kept as sent. */
export function pageLink(self: string, page: number, size: number): string {
  const q = self.indexOf('?');
  const path = q < 0 ? self : self.slice(0, q);
  const pairs = (q < 0 ? '' : self.slice(q + 1)).split('&').filter((p) => p !== '' && !/^(page|size)(=|$)/.test(p));
  pairs.push(`page=${page}`, `size=${size}`);
  return `${path}?${pairs.join('&')}`;
}

function klassRouteTable(cat: KlassCatalog): Route[] {
  const classificationOf = (n: bigint) => byId(n, (id) => cat.classification(id), (s) => `Classification not found with id = ${s}`);
  const lang = (q: QueryParams): Lang => q.language('language') ?? 'nb';

  return [
    {
      path: ['classifications'],
      produces: HAL_TYPES,
      handle: ({ q, res, self }) => {
        const includeCodelists = q.boolean('includeCodelists', false);
        const includeDescription = q.boolean('includeDescription', false);
        const changedSince = q.dateTime('changedSince');
        const language = q.language('language');
        const items = listClassifications(cat, { includeCodelists, changedSince }).map((c) => classificationSummary(res, c, language, includeDescription));
        const json = paged(items, {
          rel: 'classifications',
          page: q.page(),
          size: q.size(),
          self,
          navigation: true,
          extraLinks: { search: { href: `${res.root}/classifications/search{?query,includeCodelists}`, templated: true } },
        });
        return { json, xmlRoot: 'pagedEntities' };
      },
    },
    {
      path: ['classifications', 'search'],
      produces: HAL_TYPES,
      handle: ({ q, res, self }) => {
        const query = q.requiredString('query');
        const includeCodelists = q.boolean('includeCodelists', false);
        const hits = searchClassifications(cat, query, { includeCodelists, ssbSection: sectionCode(q.optional('ssbSection')) });
        const json = paged(
          hits.map((h) => searchHit(res, h)),
          { rel: 'searchResults', page: q.page(), size: q.size(), self, navigation: false },
        );
        return { json, xmlRoot: 'pagedEntities' };
      },
    },
    {
      path: ['classifications', ':id'],
      produces: HAL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const language = lang(q);
        const includeFuture = q.boolean('includeFuture', false);
        const c = classificationOf(id);
        return { json: classificationResource(res, c, language, includeFuture), xmlRoot: 'classification' };
      },
    },
    {
      path: ['classifications', ':id', 'codes'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const from = q.requiredDate('from');
        const to = q.date('to');
        const opts = codeOptions(q, res, ['selectLevel', 'level']);
        const range = dateRange(from, to ?? null);
        const c = classificationOf(id);
        return codeAnswer(q, codesInRange(cat, c.id, range, opts), true);
      },
    },
    {
      path: ['classifications', ':id', 'codesAt'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const date = q.requiredDate('date');
        const opts = codeOptions(q, res, ['selectLevel', 'level']);
        const c = classificationOf(id);
        return codeAnswer(q, codesAt(cat, c.id, date, opts), false);
      },
    },
    {
      path: ['classifications', ':id', 'variant'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const variantName = q.requiredString('variantName');
        const from = q.requiredDate('from');
        const to = q.date('to');
        const opts = codeOptions(q, res, ['level', 'selectLevel']);
        const range = dateRange(from, to ?? null);
        const c = classificationOf(id);
        return codeAnswer(q, variantCodesInRange(cat, c.id, variantName, range, opts), true);
      },
    },
    {
      path: ['classifications', ':id', 'variantAt'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const variantName = q.requiredString('variantName');
        const date = q.requiredDate('date');
        const opts = codeOptions(q, res, ['level', 'selectLevel']);
        const c = classificationOf(id);
        return codeAnswer(q, variantCodesAt(cat, c.id, variantName, date, opts), false);
      },
    },
    {
      path: ['classifications', ':id', 'corresponds'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const target = q.requiredLong('targetClassificationId');
        const from = q.requiredDate('from');
        const to = q.date('to');
        const opts = { language: lang(q), includeFuture: q.boolean('includeFuture', false), today: res.today };
        const range = dateRange(from, to ?? null);
        const c = classificationOf(id);
        const t = classificationOf(target);
        return correspondenceAnswer(q, correspondencesInRange(cat, c.id, t.id, range, opts), true);
      },
    },
    {
      path: ['classifications', ':id', 'correspondsAt'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const target = q.requiredLong('targetClassificationId');
        const date = q.requiredDate('date');
        const opts = { language: lang(q), includeFuture: q.boolean('includeFuture', false), today: res.today, inverted: q.boolean('inverted', false) };
        const c = classificationOf(id);
        const t = classificationOf(target);
        return correspondenceAnswer(q, correspondencesAt(cat, c.id, t.id, date, opts), false);
      },
    },
    {
      path: ['classifications', ':id', 'changes'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const from = q.requiredDate('from');
        const to = q.date('to');
        const opts = { language: lang(q), includeFuture: q.boolean('includeFuture', false), today: res.today };
        const range = dateRange(from, to ?? null);
        const c = classificationOf(id);
        const rows = changesInRange(cat, c.id, range, opts);
        const sep = separator(q);
        const fields = csvFields(q, CHANGE_COLUMNS);
        return {
          json: { codeChanges: rows },
          xmlRoot: 'codeChangeList',
          csv: { columns: fields ?? CHANGE_COLUMNS, rows: rows as unknown as Array<Record<string, CsvValue>>, separator: sep },
        };
      },
    },
    {
      path: ['versions', ':id'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const language = lang(q);
        const includeFuture = q.boolean('includeFuture', false);
        const v = byId(id, (n) => cat.version(n), (s) => `Classification Version not found with id = ${s}`);
        const json = versionResource(res, v, language, includeFuture);
        return { json, xmlRoot: 'classificationVersion', csv: itemsCsv(json.classificationItems) };
      },
    },
    {
      path: ['variants', ':id'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const language = lang(q);
        const v = byId(id, (n) => cat.variant(n), (s) => `Classification Variant not found with id = ${s}`);
        const json = variantResource(res, v, language);
        return { json, xmlRoot: 'classificationVariant', csv: itemsCsv(json.classificationItems) };
      },
    },
    {
      path: ['correspondencetables', ':id'],
      produces: ALL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const language = lang(q);
        const t = byId(id, (n) => cat.correspondenceTable(n), (s) => `Correspondence Table not found with id = ${s}`);
        const json = correspondenceTableResource(res, t, language);
        return { json, xmlRoot: 'correspondenceTable', csv: { columns: MAP_COLUMNS, rows: json.correspondenceMaps, separator: ';' } };
      },
    },
    {
      path: ['classificationfamilies'],
      produces: HAL_TYPES,
      handle: ({ q, res, self }) => {
        const opts = { includeCodelists: q.boolean('includeCodelists', false), ssbSection: sectionCode(q.optional('ssbSection')) };
        const language = lang(q);
        const families = listFamilies(cat, opts).map((f) => familySummary(res, f, language));
        return {
          json: { ...(families.length > 0 ? { _embedded: { classificationFamilies: families } } : {}), _links: { self: { href: self } } },
          xmlRoot: 'entities',
        };
      },
    },
    {
      path: ['classificationfamilies', ':id'],
      produces: HAL_TYPES,
      handle: ({ q, res, params }) => {
        const id = parseLong('id', params.id);
        const opts = { includeCodelists: q.boolean('includeCodelists', false), ssbSection: sectionCode(q.optional('ssbSection')) };
        const language = lang(q);
        const f = byId(id, (n) => familyWithClassifications(cat, n, opts), (s) => `ClassificationFamily not found with id = ${s}`);
        return { json: familyResource(res, f, language), xmlRoot: 'classificationFamily' };
      },
    },
    {
      path: ['ssbsections'],
      produces: HAL_TYPES,
      handle: ({ self }) => {
        const sections = responsibleSections(cat).map((name) => ({ name, id: null }));
        return { json: { ...(sections.length > 0 ? { _embedded: { ssbSections: sections } } : {}), _links: { self: { href: self } } }, xmlRoot: 'entities' };
      },
    },
  ];
}

/** Version and variant items as CSV: ";" always; notes cleaned; the item validity columns only when present. */
function itemsCsv(items: ReadonlyArray<Record<string, string | null | undefined>>): Answer['csv'] {
  return {
    columns: ITEM_COLUMNS,
    rows: items.map((it) => ({ ...it, notes: csvNotes(it.notes ?? null) })),
    separator: ';',
  };
}
