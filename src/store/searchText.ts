// What the search index is made of, shared by the in-memory index (src/search) and the persistent indexes the
// store adapters keep (SQLite FTS5, PostgreSQL): text folding, tokenising, and the text segments of each indexed
// field of a table. Both sides must fold alike, so this is the one definition (src/search/text.ts re-exports it).

import { text as pickText, type TableMeta } from '../core/model.js';

/**
 * Lower-case and fold letters so that a query typed without Norwegian letters still matches:
 * æ -> ae, ø -> o, å -> a (and other diacritics stripped: é -> e, ä -> a, ö -> o), ß -> ss.
 */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
}

const SPLIT = /[^\p{L}\p{N}]+/u;

/** Folded word tokens of a text: runs of letters and digits. */
export function tokenize(s: string): string[] {
  if (!s) return [];
  return fold(s).split(SPLIT).filter(Boolean);
}

/** A timestamp as the digits-only form date queries compare against: "20180604093000". */
export function dateKey(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2}))?)?/.exec(iso);
  if (!m) return undefined;
  return `${m[1]}${m[2]}${m[3]}${m[4] ?? '00'}${m[5] ?? '00'}${m[6] ?? '00'}`;
}

/** Indexed text fields, in a fixed order (their position is the field number). */
export const SEARCH_FIELDS = ['id', 'title', 'variables', 'values', 'codes', 'groupings', 'period', 'description'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];
export const FIELD_COUNT = SEARCH_FIELDS.length;

/** What the index reads of a table: its id, short name and metadata. */
export interface IndexedTable {
  id: string;
  shortName?: string;
  meta: TableMeta;
}

/** The text segments of each field of a table, in one language (a phrase never spans two segments). */
export function fieldSegments(rec: IndexedTable, lang: string): string[][] {
  const m = rec.meta;
  const L = (t: Record<string, string> | undefined) => pickText(t, lang, m.defaultLanguage);
  const f: string[][] = SEARCH_FIELDS.map(() => []);
  f[0].push(rec.id);
  if (m.matrix && m.matrix !== rec.id) f[0].push(m.matrix);
  if (rec.shortName) f[0].push(rec.shortName);
  f[1].push(L(m.title));
  const contents = L(m.contents);
  if (contents && contents !== L(m.title)) f[1].push(contents);
  for (const v of m.variables) {
    f[2].push(L(v.label), v.code);
    const isTime = v.role === 'time';
    for (const val of v.values) {
      if (isTime) f[6].push(val.code);
      else f[4].push(val.code);
      const t = L(val.label);
      if (t && !(isTime && t === val.code)) f[3].push(t);
    }
    for (const vs of v.valueSets ?? []) f[5].push(vs.id, L(vs.label));
    for (const g of v.groupings ?? []) {
      f[5].push(g.id, L(g.label));
      for (const grp of g.groups) f[5].push(grp.code, L(grp.label));
    }
  }
  if (m.description) f[7].push(L(m.description));
  return f;
}

/** The languages a table is indexed in: its own, its default first. A search in another language uses the default's entry. */
export function indexLanguages(meta: TableMeta): string[] {
  const def = meta.defaultLanguage || meta.languages?.[0] || '';
  return [def, ...(meta.languages ?? []).filter((l) => l !== def)];
}

/**
 * Between two segments of a field in a persistent index's text: a word no query can contain (the query side folds
 * accents away), so a phrase never matches across segments.
 */
export const SEGMENT_BREAK = ' \u00e9 ';

/** Packing of a posting in a persistent index: document, field (3 bits) and count (21 bits) in one safe integer. */
export const FIELD_UNIT = 2 ** 21;
export const DOC_UNIT = 2 ** 24;

/** One document of a persistent index: a table version in one language. */
export interface IndexDocument {
  lang: string;
  isDefault: boolean;
  /** Each field's folded words, segments joined by SEGMENT_BREAK (what phrases are matched in). */
  texts: string[];
  /** Word count per field. */
  lens: Int32Array;
  /** Per field, how often each word occurs. */
  counts: Map<string, number>[];
  /** The document's distinct words. */
  words: string[];
}

/** The documents a persistent index stores for one table version: one per language, its default first. */
export function indexDocuments(rec: IndexedTable): IndexDocument[] {
  return indexLanguages(rec.meta).map((lang, i) => {
    const segs = fieldSegments(rec, lang);
    const lens = new Int32Array(FIELD_COUNT);
    const texts: string[] = [];
    const counts: Map<string, number>[] = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const parts: string[] = [];
      const c = new Map<string, number>();
      for (const s of segs[f]) {
        const toks = tokenize(s);
        lens[f] += toks.length;
        for (const t of toks) c.set(t, (c.get(t) ?? 0) + 1);
        if (toks.length) parts.push(toks.join(' '));
      }
      texts.push(parts.join(SEGMENT_BREAK));
      counts.push(c);
    }
    const words = new Set<string>();
    for (const c of counts) for (const t of c.keys()) words.add(t);
    return { lang, isDefault: i === 0, texts, lens, counts, words: [...words] };
  });
}

/** A posting packed into one number (see DOC_UNIT). */
export function packPosting(doc: number, field: number, count: number): number {
  return doc * DOC_UNIT + field * FIELD_UNIT + Math.min(count, FIELD_UNIT - 1);
}
