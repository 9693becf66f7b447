// A small RSS 2.0 writer: a channel with items, escaped for XML, dates in RFC 822 form (RSS 2.0 §"pubDate").

export interface RssItem {
  title: string;
  link?: string;
  description?: string;
  /** Epoch ms. */
  pubDate?: number;
  guid: string;
  /** Whether the guid is a URL that leads to the item. */
  guidIsPermaLink?: boolean;
  categories?: string[];
}

export interface RssChannel {
  title: string;
  link: string;
  description: string;
  language?: string;
  /** Epoch ms. */
  lastBuildDate?: number;
  /** The feed's own URL (atom:link rel="self", recommended by the RSS Advisory Board). */
  self?: string;
  /** Minutes a reader may cache the feed. */
  ttl?: number;
  items: RssItem[];
}

export const RSS_CONTENT_TYPE = 'application/rss+xml; charset=utf-8';

// Characters XML 1.0 does not allow at all (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text for an XML element or attribute value. */
export function xmlText(s: string): string {
  return String(s)
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** RFC 822 date-time as RSS uses it, in GMT: "Tue, 01 Dec 2026 07:00:00 GMT". */
export function rfc822(ms: number): string {
  return new Date(ms).toUTCString();
}

export function writeRss(ch: RssChannel): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">', '<channel>'];
  const el = (name: string, value: string | undefined, indent = '  ') => {
    if (value !== undefined) out.push(`${indent}<${name}>${xmlText(value)}</${name}>`);
  };
  el('title', ch.title);
  el('link', ch.link);
  el('description', ch.description);
  el('language', ch.language);
  if (ch.lastBuildDate !== undefined) el('lastBuildDate', rfc822(ch.lastBuildDate));
  el('generator', 'Statbank');
  if (ch.ttl !== undefined) el('ttl', String(Math.max(1, Math.round(ch.ttl))));
  if (ch.self) out.push(`  <atom:link href="${xmlText(ch.self)}" rel="self" type="application/rss+xml"/>`);
  for (const it of ch.items) {
    out.push('  <item>');
    el('title', it.title, '    ');
    el('link', it.link, '    ');
    el('description', it.description, '    ');
    for (const c of it.categories ?? []) el('category', c, '    ');
    out.push(`    <guid isPermaLink="${it.guidIsPermaLink ? 'true' : 'false'}">${xmlText(it.guid)}</guid>`);
    if (it.pubDate !== undefined) el('pubDate', rfc822(it.pubDate), '    ');
    out.push('  </item>');
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}
