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
export function errorBox(err: unknown, t: Texts, retry?: () => void): HTMLElement {
  let message = err instanceof Error ? err.message : String(err);
  if (err instanceof ApiError && err.status === 429) message = t.rateLimited(String(err.retryAfter ?? 60));
  const status = err instanceof ApiError ? ` (HTTP ${err.status})` : '';
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', null, `${t.error}${status}: `),
    message,
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
