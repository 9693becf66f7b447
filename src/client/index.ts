// A typed client for any PxWeb server: PxWeb API v1 and PxWebApi 2.0, ours or Statistics Norway's/Sweden's.
//
//   const c = PxWebClient.v2('https://data.ssb.no/api/pxwebapi/v2', { lang: 'en' });
//   const cube = await c.fetchCube('07459', { Region: ['0301'], Tid: ['top(5)'] }, { onProgress: console.log });
//
// Big queries are split under the server's cell limit into the fewest calls, paced under its rate limit
// (sliding window), retried on 429/5xx and merged into one cube.

import { PxWebClientBase, type ClientOptions } from './base.js';
import { PxWebV1Client, type V1ClientOptions } from './v1.js';
import { PxWebV2Client, type V2ClientOptions } from './v2.js';
import { selectionFromV2Url, type Selection } from './selection.js';
import { Transport } from './http.js';

export * from './base.js';
export * from './http.js';
export * from './merge.js';
export * from './pacer.js';
export * from './planner.js';
export * from './selection.js';
export * from './v1.js';
export * from './v2.js';

export interface ResolvedUrl {
  client: PxWebV1Client | PxWebV2Client;
  /** The table the URL points at (v1: its path below the database), when it does. */
  tableId?: string;
  /** A selection written into the URL (v2 `valueCodes[…]`), when there is one. */
  selection?: Selection;
}

const LANG_SEGMENT = /^[a-z]{2}(-[a-z]{2,4})?$/i;

/** Split a URL by its shape alone; null when it has neither `/tables` (v2) nor a language segment (v1). */
export function classifyUrl(raw: string, opts: ClientOptions = {}): ResolvedUrl | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an http(s) URL: ${raw}`);
  const segs = url.pathname.split('/').filter(Boolean);
  const origin = `${url.protocol}//${url.host}`;
  const join = (parts: string[]) => [origin, ...parts].join('/');
  const t = segs.findIndex((s) => s.toLowerCase() === 'tables');
  if (t >= 0) {
    const lang = opts.lang ?? url.searchParams.get('lang') ?? undefined;
    const client = new PxWebV2Client(join(segs.slice(0, t)), { ...opts, lang });
    const tableId = segs[t + 1] ? decodeURIComponent(segs[t + 1]) : undefined;
    const selection = selectionFromV2Url(url);
    return { client, tableId, selection: Object.keys(selection).length ? selection : undefined };
  }
  if (segs.length && ['config', 'codelists', 'savedqueries'].includes(segs[segs.length - 1].toLowerCase())) {
    return { client: new PxWebV2Client(join(segs.slice(0, -1)), opts) };
  }
  const l = segs.findIndex((s, i) => LANG_SEGMENT.test(s) && i + 1 < segs.length);
  if (l >= 0) {
    const rest = segs.slice(l + 2).map(decodeURIComponent);
    const client = new PxWebV1Client(join(segs.slice(0, l)), { ...opts, lang: opts.lang ?? segs[l], database: decodeURIComponent(segs[l + 1]) });
    return { client, tableId: rest.length ? rest.join('/') : undefined };
  }
  return null;
}

export const PxWebClient = {
  /** A PxWeb API v1 client; `root` is the URL up to the language segment (`https://data.ssb.no/api/v0`). */
  v1(root: string, options: V1ClientOptions = {}): PxWebV1Client {
    return new PxWebV1Client(root, options);
  },
  /** A PxWebApi 2.0 client; `base` is the API root (`https://data.ssb.no/api/pxwebapi/v2`). */
  v2(base: string, options: V2ClientOptions = {}): PxWebV2Client {
    return new PxWebV2Client(base, options);
  },
  /**
   * A client for whatever a URL points at: a v2 URL (`…/tables/07459/data?valueCodes[…]=…`), a v1 table or folder
   * URL (`…/api/v0/en/table/07459`), or an API root, asked whether it answers `/config` (v2) or `?config` (v1).
   */
  async fromUrl(raw: string, options: V1ClientOptions & V2ClientOptions = {}): Promise<ResolvedUrl> {
    const byShape = classifyUrl(raw, options);
    if (byShape) return byShape;
    const base = raw.replace(/[?#].*$/, '').replace(/\/+$/, '');
    const probe = new Transport({ ...options, retries: 1 });
    try {
      const c = await probe.getJson(`${base}/config`);
      if (c && typeof c === 'object' && 'maxDataCells' in c) return { client: new PxWebV2Client(base, options) };
    } catch {
      /* not v2 */
    }
    try {
      const c = await probe.getJson(`${base}?config`);
      if (c && typeof c === 'object' && 'maxCalls' in c) return { client: new PxWebV1Client(base, options) };
    } catch {
      /* not v1 either */
    }
    throw new Error(`${raw} is neither a PxWebApi 2.0 nor a PxWeb API v1 URL`);
  },
};

export type PxWebClient = PxWebClientBase;
