// Serves the built web app (web/dist, made by `npm run build`) under /statbank/. Files that exist are sent
// as they are (hashed assets cached for a year); every other /statbank/… path gets index.html, so deep links
// such as /statbank/table/07459 open the app, which routes in the browser. The app uses only the public APIs.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { WEB_BASE } from '../api/http.js';

export { WEB_BASE };

export interface WebAppOptions {
  /** Folder of the built app; default: STATBANK_WEB_DIR, else web/dist of this checkout. */
  dir?: string;
}

/** Where the built app is: STATBANK_WEB_DIR, else `web/dist` (the same from src/server and dist/server). */
export function defaultWebDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STATBANK_WEB_DIR) return resolve(env.STATBANK_WEB_DIR);
  return fileURLToPath(new URL('../../web/dist/', import.meta.url));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.map', '.txt']);

// The app builds its DOM from API texts without HTML parsing; the policy is a second line against injection.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  // the JSON-stat explorer reads other servers' documents (CORS decides; the app sends no credentials)
  "connect-src 'self' https: http:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

interface Loaded {
  key: string;
  body: Buffer;
  gzip?: Buffer;
  etag: string;
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Statbank</title>
<h1>The web app is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>), then reload.
The APIs work: <a href="/api/v0/no/table/">/api/v0/no/table/</a>, <a href="/api/v2/tables">/api/v2/tables</a>.</p></html>`;

export async function webApp(app: FastifyInstance, opts: WebAppOptions = {}): Promise<void> {
  const dir = resolve(opts.dir ?? defaultWebDir());
  const root = dir.endsWith(sep) ? dir : dir + sep;
  // files read once per version (size + mtime), with their gzip form
  const cache = new Map<string, Loaded>();

  const load = async (file: string, ext: string): Promise<Loaded | undefined> => {
    let st;
    try {
      st = await stat(file);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const key = `${st.size}:${st.mtimeMs}`;
    const hit = cache.get(file);
    if (hit && hit.key === key) return hit;
    const body = await readFile(file);
    const loaded: Loaded = { key, body, etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"` };
    if (COMPRESSIBLE.has(ext) && body.length > 1024) loaded.gzip = gzipSync(body, { level: 6 });
    cache.set(file, loaded);
    return loaded;
  };

  const send = (req: FastifyRequest, reply: FastifyReply, f: Loaded, ext: string, cacheControl: string) => {
    reply.header('content-type', TYPES[ext] ?? 'application/octet-stream');
    reply.header('cache-control', cacheControl);
    reply.header('etag', f.etag);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('vary', 'accept-encoding');
    if (ext === '.html') {
      reply.header('content-security-policy', CSP);
      reply.header('referrer-policy', 'same-origin');
    }
    if (req.headers['if-none-match'] === f.etag) return reply.code(304).send();
    const gzipOk = f.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzipOk) reply.header('content-encoding', 'gzip');
    return reply.code(200).send(gzipOk ? f.gzip : f.body);
  };

  const sendIndex = async (req: FastifyRequest, reply: FastifyReply) => {
    const index = await load(root + 'index.html', '.html');
    if (!index) return reply.code(503).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT);
    return send(req, reply, index, '.html', 'no-cache');
  };

  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    const rawPath = (req.raw.url ?? req.url).split('?')[0];
    let rel: string;
    try {
      rel = decodeURIComponent(rawPath.slice(WEB_BASE.length)).replace(/^\/+/, '');
    } catch {
      return sendIndex(req, reply);
    }
    if (rel && !rel.includes('\0')) {
      const file = resolve(root, rel);
      // only files inside the app folder; `..` and absolute paths fall through to the app
      if (file.startsWith(root)) {
        const ext = extname(file).toLowerCase();
        const f = await load(file, ext);
        if (f) return send(req, reply, f, ext, rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        // a missing script or style must not be answered with the page (browsers would report a MIME error)
        if (rel.startsWith('assets/')) return reply.code(404).header('content-type', 'text/plain; charset=utf-8').send('Not found');
      }
    }
    return sendIndex(req, reply);
  };

  app.get(WEB_BASE, async (req, reply) => {
    const q = (req.raw.url ?? '').indexOf('?');
    return reply.redirect(`${WEB_BASE}/${q >= 0 ? (req.raw.url ?? '').slice(q) : ''}`);
  });
  app.get(`${WEB_BASE}/`, handler);
  app.get(`${WEB_BASE}/*`, handler);
  // the site root opens the app, unless another part of the server answers there
  if (!app.hasRoute({ method: 'GET', url: '/' })) app.get('/', async (_req, reply) => reply.redirect(`${WEB_BASE}/`));
}
