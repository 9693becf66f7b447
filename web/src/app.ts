// What every page gets: the language, its texts, links that keep the language, navigation, and a check
// that the page is still the current one after an await (the user may have moved on).

import { isLang, type Lang, type Texts } from './i18n.js';

export const BASE = '/statbank';

export interface PageContext {
  lang: Lang;
  t: Texts;
  /** Path below /statbank/, without leading slash ('' = home), decoded segments. */
  segments: string[];
  params: URLSearchParams;
  /** The language of the data texts for listings: the UI language when the server has it, else the server's default. */
  dataLang: string;
  /** The data languages of the server (/api/v2/config `languages`). */
  dataLangs: string[];
  /** False once another page has been rendered. */
  alive(): boolean;
}

export type Page = (main: HTMLElement, ctx: PageContext) => Promise<void> | void;

/** The current language: `?lang=` in the URL, else the last choice, else Norwegian. */
export function currentLang(): Lang {
  const q = new URLSearchParams(location.search).get('lang');
  if (isLang(q)) return q;
  try {
    const saved = localStorage.getItem('statbank.lang');
    if (isLang(saved)) return saved;
  } catch {
    // storage may be off
  }
  return 'no';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem('statbank.lang', lang);
  } catch {
    // storage may be off
  }
}

/** A link inside the app: `/statbank/<path>` with the language kept and extra query parameters. */
export function href(path: string, lang: Lang, params: Record<string, string | undefined> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, v);
  if (lang !== 'no') p.set('lang', lang);
  const qs = p.toString();
  const clean = path.replace(/^\/+/, '');
  return `${BASE}/${clean}${qs ? `?${qs}` : ''}`;
}

/** Table page link. */
export function tableHref(id: string, lang: Lang): string {
  return href(`table/${encodeURIComponent(id)}`, lang);
}

/** Folder page link (`tr/tr01/kilt`). */
export function folderHref(path: string, lang: Lang): string {
  const segs = path.split('/').filter(Boolean).map(encodeURIComponent);
  return href(segs.length ? `browse/${segs.join('/')}` : '', lang);
}

type Navigate = (url: string, replace?: boolean) => void;
let navigateImpl: Navigate = (url) => location.assign(url);

export function setNavigator(fn: Navigate): void {
  navigateImpl = fn;
}

/** Go to another page of the app without reloading. */
export function navigate(url: string, replace = false): void {
  navigateImpl(url, replace);
}

export type { Texts };
