// Content negotiation of the Klass API: a path suffix (.json, .csv, .xml) wins over the Accept header; without
// either (or with */*) the answer is JSON. text/xml is answered as text/xml, application/xml as application/xml.
// CSV is ISO-8859-1 unless the Accept header asks for a charset (`text/csv; charset=UTF-8`); the suffix form cannot.

import { canEncode } from '../../formats/codepages.js';
import { encodeText } from '../../formats/encoding.js';

export type MediaType = 'application/json' | 'application/xml' | 'text/xml' | 'text/csv';
export type CsvCharset = 'ISO-8859-1' | 'UTF-8';

export interface Negotiated {
  type: MediaType;
  csvCharset: CsvCharset;
}

export const HAL_TYPES: MediaType[] = ['application/json', 'application/xml', 'text/xml'];
export const ALL_TYPES: MediaType[] = ['application/json', 'application/xml', 'text/xml', 'text/csv'];

const SUFFIX_TYPES: Record<string, MediaType> = { json: 'application/json', xml: 'application/xml', csv: 'text/csv' };

export function suffixType(ext: string): MediaType | undefined {
  return SUFFIX_TYPES[ext.toLowerCase()];
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  charset?: string;
  order: number;
}

function parseAccept(header: string): MediaRange[] {
  const out: MediaRange[] = [];
  header.split(',').forEach((part, order) => {
    const [range, ...params] = part.split(';').map((s) => s.trim());
    const slash = range.indexOf('/');
    if (slash <= 0) return;
    const type = range.slice(0, slash).toLowerCase();
    const subtype = range.slice(slash + 1).toLowerCase();
    let q = 1;
    let charset: string | undefined;
    for (const p of params) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      if (k === 'q') {
        const n = Number(v);
        q = Number.isFinite(n) ? Math.min(Math.max(n, 0), 1) : 1;
      } else if (k === 'charset') charset = v;
    }
    out.push({ type, subtype, q, charset, order });
  });
  // quality first, then the more specific range, then the order written
  const specificity = (r: MediaRange) => (r.type === '*' ? 0 : r.subtype === '*' ? 1 : 2);
  return out.filter((r) => r.q > 0).sort((a, b) => b.q - a.q || specificity(b) - specificity(a) || a.order - b.order);
}

/**
 * The media type to answer with, among `produces` (in preference order), or null for 406. A missing or empty Accept
 * header means any type.
 */
export function negotiate(accept: string | undefined, suffix: MediaType | undefined, produces: MediaType[]): Negotiated | null {
  if (suffix) return produces.includes(suffix) ? { type: suffix, csvCharset: 'ISO-8859-1' } : null;
  if (!accept || accept.trim() === '') return { type: produces[0], csvCharset: 'ISO-8859-1' };
  for (const r of parseAccept(accept)) {
    const match = produces.find((p) => {
      const [t, s] = p.split('/');
      return (r.type === '*' || r.type === t) && (r.subtype === '*' || r.subtype === s);
    });
    if (match) return { type: match, csvCharset: match === 'text/csv' && r.charset && /^utf-?8$/i.test(r.charset) ? 'UTF-8' : 'ISO-8859-1' };
  }
  return null;
}

export function contentType(n: Negotiated): string {
  switch (n.type) {
    case 'application/json':
      return 'application/json';
    case 'text/csv':
      return `text/csv;charset=${n.csvCharset}`;
    default:
      return `${n.type};charset=UTF-8`;
  }
}

/** Text -> bytes in the CSV charset; characters ISO-8859-1 cannot hold become "?", as Java's encoder writes them. */
/**
 * CSV bytes in the asked charset, and the charset actually used: a text ISO-8859-1 cannot hold (Sami letters ...) is
 * sent as UTF-8 and the Content-Type says so, never with '?' in place of a letter.
 */
export function encodeCsv(text: string, charset: CsvCharset): { body: Buffer; charset: CsvCharset } {
  if (charset === 'ISO-8859-1' && canEncode('iso-8859-1', text)) return { body: encodeText(text, 'iso-8859-1'), charset };
  return { body: Buffer.from(text, 'utf8'), charset: 'UTF-8' };
}
