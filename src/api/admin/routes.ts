// The admin API (/api/admin): upload PX files as new table versions (now or at a release time), reschedule and
// cancel releases, list releases and versions, manage ready-made datasets, the subject tree, webhooks and headline
// templates, and read the audit log. Its OpenAPI 3.1 document is /api/admin/openapi.json (built from the route
// table below, so the document and the routes cannot drift apart).
//
// Every route needs a bearer token made with `statbank token create`; a missing, unknown, malformed or revoked
// token gets the same 401, a token without the route's scope a 403. Every write (and its outcome) goes to the audit
// log before the answer is sent: who (token id and name), what (method and route), which target, from where
// (client address), when (the store's clock).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { Admin, AdminError } from '../../admin/admin.js';
import { describeChange } from '../../admin/changes.js';
import { allows, verifyToken, type Scope, type TokenInfo } from '../../admin/tokens.js';
import type { AppContext } from '../../app/context.js';
import type { Texts } from '../../core/model.js';
import { PxError, readPx } from '../../formats/px/reader.js';
import { carryOverValueSets } from '../../publishing/carryOver.js';
import { ReleaseTimeError, releaseInstant, RELEASE_TIME_ZONE, DEFAULT_RELEASE_CLOCK } from '../../publishing/releaseTime.js';
import { StoreError } from '../../store/catalog.js';
import { isStorageFull, STORAGE_FULL_MESSAGE, urlParts } from '../http.js';
import { adminFor } from './adminContext.js';
import { openApiDocument, type RouteDoc } from './openapi.js';

export const ADMIN_PREFIX = '/api/admin';
/** Largest PX upload (bytes); STATBANK_ADMIN_MAX_UPLOAD overrides. */
export const DEFAULT_MAX_UPLOAD = 512 * 1024 * 1024;
const MAX_JSON = 1024 * 1024;

export interface AdminRouteOptions {
  admin?: Admin;
  maxUploadBytes?: number;
}

interface Caller {
  token: TokenInfo;
  target?: string;
  details?: unknown;
}

const callers = new WeakMap<FastifyRequest, Caller>();

type Handler = (req: FastifyRequest, reply: FastifyReply, caller: Caller) => Promise<unknown>;

function fail(status: number, message: string): never {
  throw new AdminError(message, status);
}

function jsonBody(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (!Buffer.isBuffer(b) || !b.length) return {};
  try {
    const v = JSON.parse(b.toString('utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) fail(400, 'the body must be a JSON object');
    return v as Record<string, unknown>;
  } catch (e) {
    if (e instanceof AdminError) throw e;
    fail(400, 'the body is not JSON');
  }
}

/** A release time from `releaseAt` (ISO with a zone) or `date` [+ `time`, `timeZone`] (default 08:00 Europe/Oslo). */
function releaseTimeOf(src: Record<string, unknown>): string | undefined {
  const s = (k: string) => (src[k] === undefined || src[k] === null || src[k] === '' ? undefined : String(src[k]));
  try {
    if (s('releaseAt')) {
      const raw = s('releaseAt')!;
      if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(raw) || Number.isNaN(Date.parse(raw))) fail(400, 'releaseAt must be an ISO 8601 time with a zone (Z or an offset)');
      return new Date(Date.parse(raw)).toISOString();
    }
    if (s('date')) return releaseInstant(s('date')!, s('time') ?? DEFAULT_RELEASE_CLOCK, s('timeZone') ?? RELEASE_TIME_ZONE);
  } catch (e) {
    if (e instanceof ReleaseTimeError) fail(400, e.message);
    throw e;
  }
  return undefined;
}

function paramsOf(req: FastifyRequest): Record<string, string> {
  return req.params as Record<string, string>;
}

/** The request body as a byte stream, cut off at `limit` bytes. */
async function* limited(stream: AsyncIterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const c of stream) {
    n += c.length;
    if (n > limit) fail(413, `the upload is larger than ${limit} bytes`);
    yield c;
  }
}

export async function adminRoutes(app: FastifyInstance, ctx: AppContext, options: AdminRouteOptions = {}): Promise<void> {
  const admin = options.admin ?? adminFor(app, ctx);
  const envMax = Number(process.env.STATBANK_ADMIN_MAX_UPLOAD);
  const maxUpload = options.maxUploadBytes ?? (Number.isFinite(envMax) && envMax > 0 ? envMax : DEFAULT_MAX_UPLOAD);
  const store = ctx.store;
  const docs: RouteDoc[] = [];

  // bodies: PX uploads stream (the upload route reads them); everything else is small JSON
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req, payload, done) => {
    if (req.routeOptions.config && (req.routeOptions.config as { stream?: boolean }).stream) return done(null, payload);
    const chunks: Buffer[] = [];
    let n = 0;
    payload.on('data', (c: Buffer) => {
      n += c.length;
      if (n <= MAX_JSON) chunks.push(c);
    });
    payload.on('error', done);
    payload.on('end', () => (n > MAX_JSON ? done(new AdminError('the body is too large', 413)) : done(null, Buffer.concat(chunks))));
  });

  const unauthorized = (reply: FastifyReply) =>
    reply.code(401).header('www-authenticate', 'Bearer realm="statbank-admin"').header('cache-control', 'no-store').send({ error: 'unauthorized' });

  app.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    if (err instanceof AdminError) return reply.code(err.status).send({ error: err.message });
    if (err instanceof PxError) return reply.code(400).send({ error: `not a readable PX file: ${err.message}` });
    if (err instanceof StoreError) return reply.code(400).send({ error: err.message });
    if (isStorageFull(err)) return reply.code(507).send({ error: STORAGE_FULL_MESSAGE });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
    req.log.error({ err }, 'admin request failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  // the audit record of every write that passed authentication, stored before the answer leaves
  app.addHook('onSend', async (req, reply, payload) => {
    const caller = callers.get(req);
    if (!caller || req.method === 'GET' || req.method === 'HEAD') return payload;
    await admin.audit({
      who: { tokenId: caller.token.id, name: caller.token.name },
      action: `${req.method} ${req.routeOptions.url ?? urlParts(req).path}`,
      target: caller.target,
      from: req.ip,
      outcome: reply.statusCode,
      details: caller.details,
    });
    return payload;
  });

  const route = (doc: RouteDoc, handler: Handler) => {
    docs.push(doc);
    app.route({
      method: doc.method,
      url: ADMIN_PREFIX + doc.path.replace('{path}', '*').replace(/\{(\w+)\}/g, ':$1'),
      config: { stream: !!doc.stream },
      handler: async (req, reply) => {
        const auth = req.headers.authorization;
        const m = typeof auth === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
        const token = await verifyToken(admin.adminStore, m?.[1]);
        if (!token) {
          // a streamed upload is not read: drop it with the answer
          if (doc.stream) reply.header('connection', 'close');
          return unauthorized(reply);
        }
        if (!allows(token.scope, doc.scope)) {
          if (doc.stream) reply.header('connection', 'close');
          return reply.code(403).header('cache-control', 'no-store').send({ error: 'forbidden' });
        }
        const caller: Caller = { token };
        callers.set(req, caller);
        reply.header('cache-control', 'no-store');
        const out = await handler(req, reply, caller);
        if (out !== undefined && !reply.sent) return reply.send(out);
        return reply;
      },
    });
  };

  app.get(`${ADMIN_PREFIX}/openapi.json`, async (req, reply) => reply.header('access-control-allow-origin', '*').send(openApiDocument(docs)));

  // ---- tables, releases, versions ----

  route(
    {
      method: 'POST',
      path: '/tables',
      scope: 'publish',
      stream: true,
      summary: 'Upload a PX file as a new version of its table: public now, or at a release time (then invisible until it)',
      query: {
        id: 'table id (default MATRIX)',
        language: 'language of a file without LANGUAGE (default no)',
        folder: 'subject folder to list the table under (must exist; default where the table is now)',
        releaseAt: 'release time, ISO 8601 with a zone',
        date: 'release date YYYY-MM-DD (08:00 Europe/Oslo unless time / timeZone)',
        time: 'release time of day HH:MM',
        timeZone: 'time zone of date and time',
      },
      body: 'application/octet-stream',
    },
    async (req, reply, caller) => {
      const q = Object.fromEntries(urlParts(req).params) as Record<string, string>;
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxUpload) {
        reply.header('connection', 'close');
        fail(413, `the upload is larger than ${maxUpload} bytes`);
      }
      const releaseAt = releaseTimeOf(q);
      if (releaseAt && Date.parse(releaseAt) <= admin.now()) fail(400, `the release time ${releaseAt} has passed; leave it out to publish now`);
      if (q.folder !== undefined && !store.getFolder(q.folder)) fail(400, `no folder ${q.folder}; create it with PUT ${ADMIN_PREFIX}/folders/${q.folder}`);
      const body = req.body as AsyncIterable<Uint8Array> | Buffer | undefined;
      const stream: AsyncIterable<Uint8Array> = body && Symbol.asyncIterator in Object(body) ? (body as AsyncIterable<Uint8Array>) : Readable.from(body ? [body] : []);
      const read = await readPx(limited(stream, maxUpload), { id: q.id || undefined, defaultLanguage: q.language || 'no' });
      const id = read.cube.meta.id;
      const coming = store.listScheduled(id);
      const prevMeta = coming.length ? coming[coming.length - 1].record.meta : store.getTable(id)?.meta;
      const { cube, warnings: kept } = carryOverValueSets(prevMeta, read.cube);
      const warnings = [...read.warnings, ...kept];
      const folders = q.folder !== undefined ? [q.folder] : undefined;
      caller.target = id;
      if (releaseAt) {
        const s = store.scheduleTable(cube, { releaseAt, folders });
        admin.feed.rearm();
        caller.details = { version: s.record.version, releaseAt: s.releaseAt, cells: s.record.cells, warnings: warnings.length };
        return reply.code(201).send({ table: id, version: s.record.version, cells: s.record.cells, releaseAt: s.releaseAt, status: 'scheduled', warnings });
      }
      const rec = store.putTable(cube, { folders });
      caller.details = { version: rec.version, cells: rec.cells, warnings: warnings.length };
      await admin.feed.check();
      return reply.code(201).send({ table: id, version: rec.version, cells: rec.cells, published: rec.published, status: 'published', warnings });
    },
  );

  route(
    { method: 'GET', path: '/tables/{id}/versions', scope: 'publish', summary: "A table's versions, scheduled ones included" },
    async (req) => {
      const id = paramsOf(req).id;
      const versions = store.listVersions(id, { includePending: true });
      if (!versions.length) fail(404, `no table ${id}`);
      return { table: id, versions };
    },
  );

  route({ method: 'GET', path: '/releases', scope: 'publish', summary: 'Scheduled releases (soonest first) and past releases (newest first)', query: { table: 'only this table', limit: 'past releases listed (default 100)' } }, async (req) => {
    const q = urlParts(req).params;
    const table = q.get('table') ?? undefined;
    const limit = Math.max(1, Math.min(10_000, Number(q.get('limit')) || 100));
    const scheduled = store
      .listScheduled(table)
      .map((s) => ({ table: s.record.id, version: s.record.version, title: s.record.meta.title, cells: s.record.cells, releaseAt: s.releaseAt }));
    // the history in release order from the store (not every table's versions, one table at a time)
    const past = store
      .listReleases(limit, table)
      .map((v) => ({ table: v.id, version: v.version, title: v.title, cells: v.cells, releaseAt: v.releaseAt, current: v.current }));
    return { now: new Date(admin.now()).toISOString(), scheduled, past };
  });

  route(
    { method: 'PATCH', path: '/releases/{id}/{version}', scope: 'publish', summary: 'Move a scheduled release', body: '{"releaseAt": ISO} or {"date": "YYYY-MM-DD", "time"?: "HH:MM", "timeZone"?}' },
    async (req, _reply, caller) => {
      const { id, version } = paramsOf(req);
      caller.target = `${id}@${version}`;
      const at = releaseTimeOf(jsonBody(req));
      if (!at) fail(400, 'give releaseAt, or date (and time, timeZone)');
      if (Date.parse(at) <= admin.now()) fail(400, `the release time ${at} has passed`);
      if (!store.listScheduled(id).some((s) => s.record.version === Number(version))) fail(404, `no scheduled release ${id} version ${version}`);
      const s = store.rescheduleRelease(id, Number(version), at);
      admin.feed.rearm();
      caller.details = { releaseAt: s.releaseAt };
      return { table: id, version: s.record.version, releaseAt: s.releaseAt };
    },
  );

  const cancel: Handler = async (req, _reply, caller) => {
    const { id, version } = paramsOf(req);
    caller.target = version ? `${id}@${version}` : id;
    if (version !== undefined && !/^\d+$/.test(version)) fail(400, 'version must be a number');
    if (!store.listScheduled(id).some((s) => version === undefined || s.record.version === Number(version))) {
      fail(404, `no scheduled release of ${id}${version ? ` version ${version}` : ''}`);
    }
    const cancelled = store.cancelRelease(id, version === undefined ? undefined : Number(version));
    if (!cancelled.length) fail(404, `no scheduled release of ${id}${version ? ` version ${version}` : ''}`);
    admin.feed.rearm();
    caller.details = { cancelled };
    return { table: id, cancelled };
  };
  route({ method: 'DELETE', path: '/releases/{id}', scope: 'publish', summary: "Cancel every scheduled release of a table" }, cancel);
  route({ method: 'DELETE', path: '/releases/{id}/{version}', scope: 'publish', summary: 'Cancel one scheduled release' }, cancel);

  // ---- subject tree ----

  route(
    { method: 'PUT', path: '/folders/{path}', scope: 'admin', summary: 'Create or relabel a folder of the subject tree (the path uses / between segments, its parent must exist)', body: '{"label": {"no": "...", "en": "..."}, "sort"?: "..."}' },
    async (req, _reply, caller) => {
      const path = decodeURIComponent(paramsOf(req)['*'] ?? paramsOf(req).path ?? '');
      caller.target = path;
      const b = jsonBody(req);
      const label = b.label as Texts | undefined;
      if (!label || typeof label !== 'object' || !Object.values(label).every((v) => typeof v === 'string')) fail(400, 'label: texts per language');
      if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(path)) fail(400, 'a folder path is segments of letters, digits, - and _ separated by /');
      const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      if (parent && !store.getFolder(parent)) fail(400, `no parent folder ${parent}`);
      store.putFolder(path, label, typeof b.sort === 'string' ? b.sort : undefined);
      caller.details = { label };
      return store.getFolder(path);
    },
  );

  // ---- ready-made datasets ----

  route({ method: 'GET', path: '/datasets', scope: 'admin', summary: 'Ready-made datasets managed here' }, async () => ({ datasets: await admin.listDatasets() }));
  route(
    { method: 'PUT', path: '/datasets/{id}', scope: 'admin', summary: 'Create or replace a ready-made dataset', body: '{"tableId", "title": Texts, "tags"?: {lang: [..]}, "query": v1 query array}' },
    async (req, _reply, caller) => {
      caller.target = paramsOf(req).id;
      return admin.putDataset({ ...jsonBody(req), id: paramsOf(req).id });
    },
  );
  route({ method: 'DELETE', path: '/datasets/{id}', scope: 'admin', summary: 'Remove a ready-made dataset' }, async (req, _reply, caller) => {
    caller.target = paramsOf(req).id;
    if (!(await admin.deleteDataset(paramsOf(req).id))) fail(404, 'no such dataset');
    return { deleted: paramsOf(req).id };
  });

  // ---- webhooks ----

  route({ method: 'GET', path: '/webhooks', scope: 'admin', summary: 'Registered webhooks (without their secrets)' }, async () => ({ webhooks: await admin.listWebhooks() }));
  route(
    { method: 'POST', path: '/webhooks', scope: 'admin', summary: 'Register a webhook; the answer shows its signing secret, once', body: '{"url", "table"?, "subject"?}' },
    async (req, reply, caller) => {
      const hook = await admin.addWebhook(jsonBody(req), caller.token);
      caller.target = hook.id;
      caller.details = { url: hook.url, table: hook.table, subject: hook.subject };
      return reply.code(201).send(hook);
    },
  );
  route({ method: 'DELETE', path: '/webhooks/{id}', scope: 'admin', summary: 'Remove a webhook' }, async (req, _reply, caller) => {
    caller.target = paramsOf(req).id;
    if (!(await admin.deleteWebhook(paramsOf(req).id))) fail(404, 'no such webhook');
    return { deleted: paramsOf(req).id };
  });
  route({ method: 'GET', path: '/webhooks/{id}/deliveries', scope: 'admin', summary: "A webhook's deliveries, newest first: status, attempts, last answer" }, async (req) => ({
    deliveries: await admin.deliveries(paramsOf(req).id),
  }));

  // ---- headlines ----

  route({ method: 'GET', path: '/headlines', scope: 'admin', summary: 'Headline templates' }, async () => ({ headlines: await admin.listHeadlines() }));
  route(
    { method: 'PUT', path: '/headlines/{id}', scope: 'admin', summary: 'Create or replace a headline template (checked against the table now)', body: '{"tableId", "template", "query": {var: code|latest|first}, "scale"?, "language"?}' },
    async (req, _reply, caller) => {
      caller.target = paramsOf(req).id;
      const { def, current } = await admin.putHeadline({ ...jsonBody(req), id: paramsOf(req).id });
      caller.details = { tableId: def.tableId, template: def.template };
      return { headline: def, current };
    },
  );
  route({ method: 'DELETE', path: '/headlines/{id}', scope: 'admin', summary: 'Remove a headline template' }, async (req, _reply, caller) => {
    caller.target = paramsOf(req).id;
    if (!(await admin.deleteHeadline(paramsOf(req).id))) fail(404, 'no such headline');
    return { deleted: paramsOf(req).id };
  });

  // ---- audit log, changes ----

  route({ method: 'GET', path: '/audit', scope: 'admin', summary: 'The audit log, newest first', query: { before: 'entries before this sequence number', limit: 'at most this many (default 100)' } }, async (req) => {
    const q = urlParts(req).params;
    const entries = await admin.readAudit({ before: q.get('before') ? Number(q.get('before')) : undefined, limit: q.get('limit') ? Number(q.get('limit')) : undefined });
    return { entries: entries.map((e) => ({ seq: e.seq, ...e.entry })) };
  });
  route({ method: 'GET', path: '/changes', scope: 'publish', summary: 'Recorded structural changes (as /api/changes, with each change described)' }, async () => ({
    changes: (await admin.changes()).map((c) => ({ ...c, described: c.changes.map(describeChange) })),
  }));
}

export type { Scope };
