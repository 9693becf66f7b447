// Small shared pieces of the pages: headings, breadcrumbs, errors, copy buttons, dates, file downloads.

import { ApiError } from './api.js';
import { announce, h } from './dom.js';
import { locale, type Lang, type Texts } from './i18n.js';

export function heading(text: string, level: 'h1' | 'h2' = 'h1'): HTMLElement {
  return h(level, { tabindex: level === 'h1' ? -1 : undefined }, text);
}

export function loading(t: Texts): HTMLElement {
  return h('p', { class: 'loading', role: 'status' }, t.loading);
}

/** An error as a page shows it, with the server's message and what to do about a 429. */
/**
 * What happened and what to do, in the page's language: the status decides the message (the API's own text is
 * English or technical, e.g. "Parameter error", and is not shown).
 */
export function errorText(err: unknown, t: Texts): { what: string; todo: string } {
  // a message of the app's own (already in the page's language)
  if (typeof err === 'string') return { what: t.error, todo: err };
  if (err instanceof ApiError) {
    if (err.status === 429) return { what: t.errBusy, todo: t.rateLimited(err.retryAfter ?? 60) };
    if (err.status === 404) return { what: t.errNotFound, todo: t.errNotFoundTodo };
    if (err.status === 403 || err.status === 413) return { what: t.errTooBig, todo: t.errTooBigTodo };
    if (err.status === 400 || err.status === 422) return { what: t.errBadQuery, todo: t.errBadQueryTodo };
    if (err.status === 503 || err.status === 504) return { what: t.errTimeout, todo: t.errRetryLater };
    return { what: t.errServer, todo: t.errRetryLater };
  }
  if (err instanceof TypeError) return { what: t.errNetwork, todo: t.errNetworkTodo };
  return { what: t.errUnexpected, todo: t.errRetryLater };
}

export function errorBox(err: unknown, t: Texts, retry?: () => void): HTMLElement {
  const { what, todo } = errorText(err, t);
  const status = err instanceof ApiError ? err.status : undefined;
  return h(
    'div',
    { class: 'error', role: 'alert', 'data-status': status },
    h('strong', null, what),
    ' ',
    todo,
    retry ? h('button', { type: 'button', class: 'link-button', onclick: () => retry() }, t.retry) : null,
  );
}

export interface Crumb {
  label: string;
  href?: string;
}

export function breadcrumbs(items: Crumb[], t: Texts): HTMLElement {
  return h(
    'nav',
    { class: 'breadcrumbs', 'aria-label': t.breadcrumb },
    h(
      'ol',
      null,
      items.map((c, i) =>
        h('li', null, c.href && i < items.length - 1 ? h('a', { href: c.href }, c.label) : h('span', { 'aria-current': i === items.length - 1 ? 'page' : undefined }, c.label)),
      ),
    ),
  );
}

/** Format an API time stamp (`2025-02-20T07:00:00Z` or v1's zone-less form) as a date in the language. */
export function formatDate(iso: string | undefined, lang: Lang): string {
  if (!iso) return '';
  const ms = Date.parse(/Z|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
  if (Number.isNaN(ms)) return iso;
  return new Intl.DateTimeFormat(locale(lang), { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(ms);
}

export function formatInt(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

/** Put text on the clipboard; falls back to a hidden text area where the Clipboard API is not allowed. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = h('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' });
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}

/** A button that copies what `text()` returns and says so. */
export function copyButton(label: string, text: () => string, t: Texts, attrs: Record<string, string> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'secondary', ...attrs }, label);
  b.addEventListener('click', async () => {
    const ok = await copyText(text());
    const msg = ok ? t.copied : t.copyFailed;
    b.textContent = ok ? `${label} ✓` : label;
    b.dataset.copied = ok ? 'true' : 'false';
    announce(msg);
    if (ok) setTimeout(() => (b.textContent = label), 2000);
  });
  return b;
}

/** Save a blob as a file. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, class: 'visually-hidden' });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The file name a response offers (Content-Disposition), else the fallback. */
export function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  const name = m ? decodeURIComponent(m[1]).replace(/[\\/]/g, '_') : '';
  return name || fallback;
}
