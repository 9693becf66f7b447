// Test helpers for the Klass API: an app with only the Klass routes, the shared fixtures, and small independent
// parsers for CSV and XML so the writers are checked by reading their output back.

import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { klassRoutes, type KlassRouteOptions } from '../../src/api/klass/routes.js';
import { loadConfig } from '../../src/app/config.js';
import { createAppContext } from '../../src/app/context.js';
import { demoKlassData } from '../../src/demo/klass.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';

export const KLASS_FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/klass/', import.meta.url));
export const HAVE_KLASS_FIXTURES = existsSync(KLASS_FIXTURES + 'SOURCES.md');
export const SKIP_FIXTURES = !HAVE_KLASS_FIXTURES && 'shared klass fixtures absent';

export function fixtureText(rel: string): string {
  return readFileSync(KLASS_FIXTURES + rel, 'utf8');
}
export function fixtureJson<T = unknown>(rel: string): T {
  return JSON.parse(fixtureText(rel)) as T;
}

/** A fixed "today" so versions current/future do not depend on the clock. */
export const TODAY = '2026-08-23';
export const BASE = 'https://klass.example';
export const ROOT = `${BASE}/api/klass/v1`;

export async function klassApp(opts: KlassRouteOptions = {}, cors = true): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  const config = loadConfig({ maxCalls: 0, logLevel: 'silent', baseUrl: BASE, cors }, {});
  await app.register(async (scope) => klassRoutes(scope, createAppContext({ store: createMemoryStore(), config, klass: demoKlassData() }), { today: () => TODAY, ...opts }));
  await app.ready();
  return app;
}

export async function get(app: FastifyInstance, url: string, accept?: string) {
  return app.inject({ method: 'GET', url, headers: accept === undefined ? {} : { accept } });
}

// --- CSV ----------------------------------------------------------------------------------------------------------

/** A field as read: its text and whether it was quoted (an unquoted empty field is Klass's null). */
export interface CsvField {
  text: string;
  quoted: boolean;
}

/** RFC 4180 reader with a configurable separator; rows end with "\n". */
export function parseCsv(body: string, sep = ','): CsvField[][] {
  const rows: CsvField[][] = [];
  let i = 0;
  while (i < body.length) {
    const row: CsvField[] = [];
    for (;;) {
      let text = '';
      let quoted = false;
      if (body[i] === '"') {
        quoted = true;
        i++;
        for (;;) {
          if (i >= body.length) throw new Error('unterminated quote');
          if (body[i] === '"') {
            if (body[i + 1] === '"') {
              text += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          text += body[i++];
        }
      } else {
        while (i < body.length && body[i] !== sep && body[i] !== '\n') text += body[i++];
        if (text.includes('"')) throw new Error(`stray quote in unquoted field: ${text}`);
      }
      row.push({ text, quoted });
      if (body[i] === sep) {
        i++;
        continue;
      }
      if (body[i] === '\n') i++;
      else if (i < body.length) throw new Error(`garbage after field at ${i}`);
      break;
    }
    rows.push(row);
  }
  return rows;
}

/** Header + rows as objects; an unquoted empty field is null, a missing tail field undefined. */
export function csvObjects(body: string, sep = ','): Array<Record<string, string | null | undefined>> {
  const [header, ...rows] = parseCsv(body, sep);
  for (const h of header) if (!h.quoted) throw new Error(`unquoted header ${h.text}`);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h.text, r[i] === undefined ? undefined : r[i].quoted ? r[i].text : r[i].text === '' ? null : r[i].text])));
}

// --- XML ----------------------------------------------------------------------------------------------------------

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    if (!(e in ENTITIES)) throw new Error(`unknown entity ${m}`);
    return ENTITIES[e];
  });
}

/** A strict reader for element-only XML (no DTD, no CDATA): mismatched or unclosed tags throw. */
export function parseXml(body: string): XmlNode {
  let i = 0;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  while (i < body.length) {
    if (body[i] === '<') {
      const end = body.indexOf('>', i);
      if (end < 0) throw new Error('unclosed tag');
      const tag = body.slice(i + 1, end);
      i = end + 1;
      if (tag.startsWith('?')) continue;
      if (tag.startsWith('/')) {
        const open = stack.pop();
        if (!open || open.name !== tag.slice(1)) throw new Error(`mismatched </${tag.slice(1)}>`);
        continue;
      }
      const selfClosing = tag.endsWith('/');
      const m = /^([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*\/?$/.exec(tag);
      if (!m) throw new Error(`bad tag <${tag}>`);
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(/([\w:.-]+)="([^"]*)"/g)) attrs[a[1]] = decodeEntities(a[2]);
      const node: XmlNode = { name: m[1], attrs, children: [], text: '' };
      if (stack.length === 0) {
        if (root) throw new Error('two root elements');
        root = node;
      } else stack[stack.length - 1].children.push(node);
      if (!selfClosing) stack.push(node);
    } else {
      const next = body.indexOf('<', i);
      const raw = body.slice(i, next < 0 ? body.length : next);
      i = next < 0 ? body.length : next;
      if (stack.length === 0) {
        if (raw.trim() !== '') throw new Error('text outside the root');
        continue;
      }
      if (raw.includes('<') || /&(?!(#x[0-9a-fA-F]+|#\d+|\w+);)/.test(raw)) throw new Error('bare & in text');
      stack[stack.length - 1].text += decodeEntities(raw);
    }
  }
  if (stack.length > 0 || !root) throw new Error('unclosed element');
  return root;
}

export function child(n: XmlNode, name: string): XmlNode | undefined {
  return n.children.find((c) => c.name === name);
}
export function childrenNamed(n: XmlNode, name: string): XmlNode[] {
  return n.children.filter((c) => c.name === name);
}
/** Text of a leaf child; null for an empty element written `<x/>` or `<x></x>` (callers decide). */
export function textOf(n: XmlNode, name: string): string | undefined {
  return child(n, name)?.text;
}

/** Keys of `model` (a real response) must appear in `ours` in the same relative order. */
export function assertKeyOrder(ours: object, model: object, ignore: string[] = []): void {
  const mine = Object.keys(ours);
  const theirs = Object.keys(model).filter((k) => !ignore.includes(k));
  let at = -1;
  for (const k of theirs) {
    const pos = mine.indexOf(k);
    if (pos < 0) throw new Error(`key ${k} missing (ours: ${mine.join(',')})`);
    if (pos < at) throw new Error(`key ${k} out of order (ours: ${mine.join(',')}; model: ${theirs.join(',')})`);
    at = pos;
  }
}
