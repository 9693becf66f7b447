// Calls to this server's public APIs (same origin). GET answers are kept for the session: the APIs count
// calls per client (30 a minute by default), and browsing back and forth should not spend them.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    /** Seconds to wait, from Retry-After on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** The message of an error answer: v1 `{"error":…}`, v2 problem `{title, detail}`, or plain text. */
export function errorMessage(status: number, text: string): string {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    if (typeof j.error === 'string') return j.error;
    if (typeof j.title === 'string') return typeof j.detail === 'string' && j.detail !== j.title ? `${j.title}: ${j.detail}` : j.title;
    if (j.errors && typeof j.errors === 'object') return JSON.stringify(j.errors);
  } catch {
    // not JSON
  }
  const t = text.trim();
  return t ? t.slice(0, 300) : `HTTP ${status}`;
}

async function check(res: Response): Promise<Response> {
  if (res.ok) return res;
  const text = await res.text().catch(() => '');
  const ra = Number(res.headers.get('retry-after'));
  throw new ApiError(errorMessage(res.status, text), res.status, Number.isFinite(ra) && ra > 0 ? ra : undefined);
}

const cache = new Map<string, Promise<unknown>>();

/** GET a JSON answer (kept for the session unless `fresh`). */
export function getJson<T>(url: string, fresh = false): Promise<T> {
  const hit = cache.get(url);
  if (hit && !fresh) return hit as Promise<T>;
  const p = fetch(url, { headers: { accept: 'application/json' } })
    .then(check)
    .then((r) => r.json() as Promise<T>);
  cache.set(url, p);
  p.catch(() => cache.delete(url));
  return p;
}

/** POST a JSON body and return the (successful) response. */
export async function postJson(url: string, body: unknown): Promise<Response> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return check(res);
}

// ------------------------------------------------------------------------------------------------
// Answer shapes (the parts the app reads)

export interface V1NavItem {
  id: string;
  type: 'l' | 't';
  text: string;
  updated?: string;
}

export interface V2Table {
  id: string;
  /** The language of this answer. */
  language?: string;
  /** self, alternate (the table's other languages, by hreflang), metadata, data. */
  links?: { rel: string; hreflang?: string; href: string }[];
  label: string;
  description?: string;
  updated?: string;
  firstPeriod?: string;
  lastPeriod?: string;
  variableNames?: string[];
  source?: string;
  discontinued?: boolean;
  timeUnit?: string;
  paths?: { id: string; label: string }[][];
}

export interface V2TablesPage {
  language: string;
  tables: V2Table[];
  page: { pageNumber: number; pageSize: number; totalElements: number; totalPages: number };
}

export interface V2Config {
  maxDataCells: number;
  maxCallsPerTimeWindow: number;
  timeWindow: number;
  dataFormats: string[];
  languages: { id: string; label: string }[];
  defaultLanguage: string;
}

export interface V2Codelist {
  id: string;
  label: string;
  type: string;
  elimination?: boolean;
  eliminationValueCode?: string;
  values: { code: string; label: string; valueMap: string[] }[];
}

export interface V2SelectionAnswer {
  selection: { variableCode: string; codelist?: string | null; valueCodes: string[] }[];
  placement?: { heading: string[]; stub: string[] };
}

export interface V2SavedQueryAnswer {
  id: string;
  language: string;
  savedQuery: { id: string; tableId: string; language: string; outputFormat: string; outputFormatParams: string[]; selection: V2SelectionAnswer };
}

const enc = encodeURIComponent;

export const api = {
  config: () => getJson<V2Config>('/api/v2/config'),
  /** v1 navigation: the children of a folder ('' = root). */
  folder: (lang: string, path: string) => getJson<V1NavItem[]>(`/api/v0/${enc(lang)}/table/${path.split('/').filter(Boolean).map(enc).join('/')}${path ? '/' : ''}`),
  tables: (lang: string, query: string, pageNumber = 1, pageSize = 50) =>
    getJson<V2TablesPage>(`/api/v2/tables?lang=${enc(lang)}&query=${enc(query)}&pageSize=${pageSize}&pageNumber=${pageNumber}`),
  table: (lang: string, id: string) => getJson<V2Table>(`/api/v2/tables/${enc(id)}?lang=${enc(lang)}`),
  metadata: (lang: string, id: string) => getJson<unknown>(`/api/v2/tables/${enc(id)}/metadata?lang=${enc(lang)}`),
  defaultSelection: (lang: string, id: string) => getJson<V2SelectionAnswer>(`/api/v2/tables/${enc(id)}/defaultselection?lang=${enc(lang)}`),
  codelist: (lang: string, id: string) => getJson<V2Codelist>(`/api/v2/codeLists/${enc(id)}?lang=${enc(lang)}`),
  savedQuery: (id: string) => getJson<V2SavedQueryAnswer>(`/api/v2/savedqueries/${enc(id)}`),
};

// ------------------------------------------------------------------------------------------------
// RSS feeds (/rss/updated and /rss/coming) and ready-made datasets

export interface FeedItem {
  title: string;
  link: string;
  description: string;
  /** Milliseconds since the epoch (NaN when the feed has no date). */
  date: number;
  category: string;
  /** The table id from a `/statbank/table/{id}` link. */
  tableId?: string;
}

const feeds = new Map<string, Promise<FeedItem[]>>();

/** The items of an RSS 2.0 feed of this server, read with the browser's XML parser (kept for the session). */
export function feed(kind: 'updated' | 'coming', lang: string): Promise<FeedItem[]> {
  const url = `/rss/${kind}?lang=${encodeURIComponent(lang)}`;
  let p = feeds.get(url);
  if (!p) {
    p = fetch(url, { headers: { accept: 'application/rss+xml' } })
      .then(check)
      .then((r) => r.text())
      .then((xml) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        return Array.from(doc.querySelectorAll('channel > item')).map((it) => {
          const text = (sel: string) => it.querySelector(sel)?.textContent?.trim() ?? '';
          const link = text('link');
          const m = /\/table\/([^/?#]+)/.exec(link);
          return { title: text('title'), link, description: text('description'), date: Date.parse(text('pubDate')), category: text('category'), tableId: m ? decodeURIComponent(m[1]) : undefined };
        });
      });
    feeds.set(url, p);
    p.catch(() => feeds.delete(url));
  }
  return p;
}

export interface DatasetInfo {
  id: string;
  title: string;
  tags: string[];
  table: string;
  updated?: string;
  json: string;
  csv: string;
  html?: string;
}

export const datasets = (lang: string) => getJson<{ datasets: DatasetInfo[] }>(`/api/v0/dataset/list.json?lang=${encodeURIComponent(lang)}`);
