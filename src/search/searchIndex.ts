// A small inverted index over the store's tables, per language, scored with a TF-IDF formula close to
// Lucene's classic similarity (sqrt(tf) * idf² * field weight / sqrt(field length), times a query norm).
// Shared by API v1 (`?query=` on a folder) and API v2 (`/tables?query=`). The index is rebuilt lazily
// when the set of tables or any table's version changes.
//
// Scheduled releases: `prepareIndex` builds the index of a coming catalogue (the records readers will get after a
// release) into a second slot per store, keyed by the exact set of (table id, version) it covers. `indexFor` adopts
// that slot instead of rebuilding once the store's current table list has exactly that set, and never before: the
// store's `listTables` applies the embargo, so a prepared index cannot answer while a version it covers is hidden.

import { text as pickText, type TableMeta } from '../core/model.js';
import type { Store, TableRecord } from '../store/store.js';
import { parseSearchQuery, type SearchNode } from './queryParser.js';
import { dateKey, tokenize } from './text.js';

/** Indexed text fields, in a fixed order (their position is the field number). */
export const SEARCH_FIELDS = ['id', 'title', 'variables', 'values', 'codes', 'groupings', 'period', 'description'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];
const WEIGHTS = [4, 3, 2, 1, 1, 1, 1, 1];
const NF = SEARCH_FIELDS.length;

/** Query field names (Lucene field names PxWeb uses, plus plain ones) -> field number. */
const FIELD_ALIASES: Record<string, number> = {
  id: 0,
  tableid: 0,
  searchid: 0,
  docid: 0,
  table: 0,
  matrix: 0,
  shortname: 0,
  title: 1,
  label: 1,
  variables: 2,
  variable: 2,
  values: 3,
  value: 3,
  codes: 4,
  code: 4,
  groupings: 5,
  groupingcodes: 5,
  valuesets: 5,
  valuesetcodes: 5,
  period: 6,
  time: 6,
  description: 7,
};
const DATE_FIELDS = new Set(['published', 'updated']);

/** The text segments of each field of a table, in one language (a phrase never spans two segments). */
export function fieldSegments(rec: TableRecord, lang: string): string[][] {
  const m: TableMeta = rec.meta;
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

interface Doc {
  record: TableRecord;
  /** Token count per field. */
  lens: Int32Array;
  published?: string;
  updated?: string;
}

export interface SearchOptions {
  lang: string;
  /** Folder path whose subtree is searched ("" or undefined = everything). */
  folder?: string;
  /** Fields that words without a field search (default: all). */
  fields?: SearchField[];
}

export interface SearchHit {
  record: TableRecord;
  score: number;
}

/** The index of one language over a fixed list of tables. */
export class LangIndex {
  readonly docs: Doc[] = [];
  /** token -> flat triplets (doc, field, count), in doc order. */
  private readonly postings = new Map<string, number[]>();
  private vocab: string[] | null = null;

  constructor(
    records: readonly TableRecord[],
    readonly lang: string,
  ) {
    records.forEach((record, d) => {
      const segs = fieldSegments(record, lang);
      const lens = new Int32Array(NF);
      for (let f = 0; f < NF; f++) {
        const counts = new Map<string, number>();
        for (const s of segs[f]) for (const t of tokenize(s)) counts.set(t, (counts.get(t) ?? 0) + 1);
        let len = 0;
        for (const [t, c] of counts) {
          len += c;
          let p = this.postings.get(t);
          if (!p) this.postings.set(t, (p = []));
          p.push(d, f, c);
        }
        lens[f] = len;
      }
      this.docs.push({
        record,
        lens,
        published: dateKey(record.published),
        updated: dateKey(record.meta.updated ?? record.published),
      });
    });
  }

  /**
   * Point the docs at `records` (the same ids and versions, as the store now lists them): a rescheduled version
   * carries another publication time, and folders are read from the record at search time.
   */
  rebind(records: ReadonlyMap<string, TableRecord>): void {
    for (const doc of this.docs) {
      const r = records.get(doc.record.id);
      if (!r || r.version !== doc.record.version) throw new Error(`search index: no record ${doc.record.id}@${doc.record.version} to rebind`);
      doc.record = r;
      doc.published = dateKey(r.published);
      doc.updated = dateKey(r.meta.updated ?? r.published);
    }
  }

  private sortedVocab(): string[] {
    if (!this.vocab) this.vocab = [...this.postings.keys()].sort();
    return this.vocab;
  }

  /** Index words starting with `prefix` (at most `limit`). */
  private expandPrefix(prefix: string, limit = 2000): string[] {
    const v = this.sortedVocab();
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < v.length && v[i].startsWith(prefix) && out.length < limit; i++) out.push(v[i]);
    return out;
  }

  private idf(token: string): number {
    const p = this.postings.get(token);
    if (!p) return 0;
    let df = 0;
    let last = -1;
    for (let i = 0; i < p.length; i += 3) if (p[i] !== last) (df++, (last = p[i]));
    return 1 + Math.log(this.docs.length / (df + 1));
  }

  /** Docs containing any of `tokens` in the allowed fields, with their TF-IDF scores. */
  private scoreTokens(tokens: string[], fieldMask: boolean[]): Map<number, number> {
    const res = new Map<number, number>();
    for (const t of tokens) {
      const p = this.postings.get(t);
      if (!p) continue;
      const idf = this.idf(t);
      for (let i = 0; i < p.length; i += 3) {
        const d = p[i];
        const f = p[i + 1];
        if (!fieldMask[f]) continue;
        const s = (WEIGHTS[f] * Math.sqrt(p[i + 2]) * idf * idf) / Math.sqrt(Math.max(1, this.docs[d].lens[f]));
        res.set(d, (res.get(d) ?? 0) + s);
      }
    }
    return res;
  }

  private fieldMask(field: string | undefined, defaults: boolean[]): boolean[] | null {
    if (field === undefined) return defaults;
    const f = FIELD_ALIASES[field];
    if (f === undefined) return null;
    const m = new Array<boolean>(NF).fill(false);
    m[f] = true;
    return m;
  }

  private all(score: number): Map<number, number> {
    const m = new Map<number, number>();
    for (let d = 0; d < this.docs.length; d++) m.set(d, score);
    return m;
  }

  private dateMatch(field: string, test: (key: string) => boolean): Map<number, number> {
    const m = new Map<number, number>();
    this.docs.forEach((doc, d) => {
      const k = field === 'published' ? doc.published : doc.updated;
      if (k !== undefined && test(k)) m.set(d, 0.1);
    });
    return m;
  }

  /** Evaluate a parsed query: matching doc -> raw score. */
  evaluate(node: SearchNode, defaults: boolean[]): Map<number, number> {
    switch (node.type) {
      case 'all':
        return this.all(1);
      case 'and': {
        let acc: Map<number, number> | null = null;
        const nots: SearchNode[] = [];
        for (const c of node.children) {
          if (c.type === 'not') {
            nots.push(c.child);
            continue;
          }
          const r = this.evaluate(c, defaults);
          if (!acc) acc = r;
          else {
            const next = new Map<number, number>();
            for (const [d, s] of acc) {
              const o = r.get(d);
              if (o !== undefined) next.set(d, s + o);
            }
            acc = next;
          }
          if (!acc.size) return acc;
        }
        if (!acc) acc = this.all(0);
        for (const n of nots) for (const d of this.evaluate(n, defaults).keys()) acc.delete(d);
        return acc;
      }
      case 'or': {
        const acc = new Map<number, number>();
        for (const c of node.children) for (const [d, s] of this.evaluate(c, defaults)) acc.set(d, (acc.get(d) ?? 0) + s);
        return acc;
      }
      case 'not': {
        const acc = this.all(0);
        for (const d of this.evaluate(node.child, defaults).keys()) acc.delete(d);
        return acc;
      }
      case 'range': {
        if (DATE_FIELDS.has(node.field)) {
          const lo = node.lower === undefined ? undefined : digits(node.lower).padEnd(14, '0');
          const hiRaw = node.upper === undefined ? undefined : digits(node.upper);
          const hi = hiRaw === undefined ? undefined : hiRaw.padEnd(14, node.upperPrefix ? '9' : '0');
          return this.dateMatch(node.field, (k) => {
            if (lo !== undefined && (node.includeLower ? k < lo : k <= lo)) return false;
            if (hi !== undefined && (node.includeUpper || node.upperPrefix ? k > hi : k >= hi)) return false;
            return true;
          });
        }
        const mask = this.fieldMask(node.field, defaults);
        if (!mask) return new Map();
        const toks = this.sortedVocab().filter((t) => {
          if (node.lower !== undefined && (node.includeLower ? t < node.lower : t <= node.lower)) return false;
          if (node.upper !== undefined) {
            const cut = node.upperPrefix ? t.slice(0, node.upper.length) : t;
            if (node.includeUpper || node.upperPrefix ? cut > node.upper : cut >= node.upper) return false;
          }
          return true;
        });
        const r = this.scoreTokens(toks, mask);
        for (const d of r.keys()) r.set(d, 0.1);
        return r;
      }
      case 'term':
      case 'phrase': {
        if (node.field !== undefined && DATE_FIELDS.has(node.field)) {
          const key = node.type === 'term' ? node.token : node.tokens.join('');
          const k = digits(key);
          return this.dateMatch(node.field, (d) => d.startsWith(k));
        }
        const mask = this.fieldMask(node.field, defaults);
        if (!mask) return new Map();
        if (node.type === 'term') {
          let toks: string[];
          if (node.pattern !== undefined) {
            const re = new RegExp(node.pattern, 'u');
            toks = this.sortedVocab().filter((t) => re.test(t));
          } else if (node.prefix) toks = this.expandPrefix(node.token);
          else toks = [node.token];
          return this.scoreTokens(toks, mask);
        }
        return this.phrase(node.tokens, !!node.prefix, mask);
      }
    }
  }

  private phrase(tokens: string[], prefix: boolean, mask: boolean[]): Map<number, number> {
    // candidates: docs with every word (the last one as a prefix when asked)
    let cand: Map<number, number> | null = null;
    tokens.forEach((t, i) => {
      const toks = prefix && i === tokens.length - 1 ? this.expandPrefix(t) : [t];
      const r = this.scoreTokens(toks, mask);
      if (!cand) cand = r;
      else {
        const next = new Map<number, number>();
        for (const [d, s] of cand) {
          const o = r.get(d);
          if (o !== undefined) next.set(d, s + o);
        }
        cand = next;
      }
    });
    const out = new Map<number, number>();
    for (const [d, s] of cand ?? new Map<number, number>()) {
      const segs = fieldSegments(this.docs[d].record, this.lang);
      let hit = false;
      for (let f = 0; f < NF && !hit; f++) {
        if (!mask[f]) continue;
        for (const seg of segs[f]) if ((hit = containsPhrase(tokenize(seg), tokens, prefix))) break;
      }
      if (hit) out.set(d, s);
    }
    return out;
  }
}

function digits(s: string): string {
  return s.replace(/\D/g, '');
}

function containsPhrase(words: string[], phrase: string[], prefix: boolean): boolean {
  const n = phrase.length;
  outer: for (let i = 0; i + n <= words.length; i++) {
    for (let k = 0; k < n; k++) {
      const ok = prefix && k === n - 1 ? words[i + k].startsWith(phrase[k]) : words[i + k] === phrase[k];
      if (!ok) continue outer;
    }
    return true;
  }
  return false;
}

function positiveLeaves(n: SearchNode): number {
  switch (n.type) {
    case 'and':
    case 'or':
      return n.children.reduce((a, c) => a + positiveLeaves(c), 0);
    case 'not':
      return 0;
    default:
      return 1;
  }
}

function defaultMask(fields: SearchField[] | undefined): boolean[] {
  if (!fields?.length) return new Array<boolean>(NF).fill(true);
  return SEARCH_FIELDS.map((f) => fields.includes(f));
}

/** Folder scope: the table sits in `folder` or below it. */
export function inFolder(rec: TableRecord, folder: string | undefined): boolean {
  const f = (folder ?? '').split('/').filter(Boolean).join('/');
  if (!f) return true;
  return rec.folders.some((p) => p === f || p.startsWith(f + '/'));
}

/** Run a query over a language index. Scores are rounded to 9 significant digits. */
export function runSearch(index: LangIndex, node: SearchNode, opts: SearchOptions): SearchHit[] {
  const raw = index.evaluate(node, defaultMask(opts.fields));
  const norm = 1 / Math.sqrt(Math.max(1, positiveLeaves(node)));
  const hits: SearchHit[] = [];
  for (const [d, s] of raw) {
    const record = index.docs[d].record;
    if (!inFolder(record, opts.folder)) continue;
    hits.push({ record, score: Number((s * norm).toPrecision(9)) });
  }
  hits.sort((a, b) => b.score - a.score || a.record.id.localeCompare(b.record.id));
  return hits;
}

interface StoreIndexes {
  signature: string;
  langs: Map<string, LangIndex>;
  records: TableRecord[];
}

const perStore = new WeakMap<Store, StoreIndexes>();
/** The second slot: indexes of a coming catalogue, not yet what the store lists. */
const preparedPerStore = new WeakMap<Store, StoreIndexes>();

let builds = 0;
let adoptions = 0;

/** Counters for tests and benchmarks: store indexes built (per language), prepared slots adopted. */
export function searchIndexStats(): { builds: number; adoptions: number } {
  return { builds, adoptions };
}

/** A cheap fingerprint of the store's table set: ids and versions. */
export function storeSignature(records: readonly TableRecord[]): string {
  return records
    .map((r) => `${r.id}@${r.version}`)
    .sort()
    .join('|');
}

function buildLang(records: readonly TableRecord[], lang: string): LangIndex {
  builds++;
  return new LangIndex(records, lang);
}

/**
 * The prepared slot made current for `records` (the store's list now), or undefined when it does not cover exactly
 * these tables. The short name is indexed text outside the versioned metadata: a difference means no adoption.
 */
function adoptPrepared(store: Store, sig: string, records: TableRecord[]): StoreIndexes | undefined {
  const p = preparedPerStore.get(store);
  if (!p || p.signature !== sig) return undefined;
  preparedPerStore.delete(store);
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const r of p.records) if (byId.get(r.id)?.shortName !== r.shortName) return undefined;
  for (const li of p.langs.values()) li.rebind(byId);
  adoptions++;
  return { signature: sig, langs: p.langs, records };
}

/** The store's index for a language, rebuilt when tables were added, replaced or deleted. */
export function indexFor(store: Store, lang: string): LangIndex {
  const records = store.listTables();
  const sig = storeSignature(records);
  let s = perStore.get(store);
  if (!s || s.signature !== sig) {
    s = adoptPrepared(store, sig, records) ?? { signature: sig, langs: new Map(), records };
    perStore.set(store, s);
  }
  let li = s.langs.get(lang);
  if (!li) {
    li = buildLang(s.records, lang);
    s.langs.set(lang, li);
  }
  return li;
}

/**
 * Build, ahead of a release, the index of the catalogue readers will get: `futureRecords` is the whole table list
 * after the release. It is kept aside and used by `indexFor`/`searchTables` only once the store lists exactly these
 * (table id, version) pairs. One slot per store: preparing another catalogue replaces it. When the store lists these
 * tables already, the current index is built instead. Returns whether an index was built now.
 */
export function prepareIndex(store: Store, futureRecords: readonly TableRecord[], lang: string): boolean {
  const sig = storeSignature(futureRecords);
  const before = builds;
  if (storeSignature(store.listTables()) === sig) {
    indexFor(store, lang);
    return builds !== before;
  }
  let p = preparedPerStore.get(store);
  if (!p || p.signature !== sig) {
    p = { signature: sig, langs: new Map(), records: [...futureRecords] };
    preparedPerStore.set(store, p);
  }
  if (!p.langs.has(lang)) p.langs.set(lang, buildLang(p.records, lang));
  return builds !== before;
}

/** The (id@version) set the store's prepared slot covers, if any. */
export function preparedIndexSignature(store: Store): string | undefined {
  return preparedPerStore.get(store)?.signature;
}

/** Drop the prepared slot (its release was cancelled or moved). */
export function discardPreparedIndex(store: Store): void {
  preparedPerStore.delete(store);
}

/**
 * Search the store's tables. `query` is the course syntax (parsed here; SearchSyntaxError on bad input)
 * or an already parsed query. Results best first.
 */
export function searchTables(store: Store, query: string | SearchNode, opts: SearchOptions): SearchHit[] {
  const node = typeof query === 'string' ? parseSearchQuery(query) : query;
  return runSearch(indexFor(store, opts.lang), node, opts);
}

/** Does one table match a parsed query (in a language)? For filtering lists without the store index. */
export function matchRecord(node: SearchNode, record: TableRecord, lang: string, fields?: SearchField[]): boolean {
  const idx = new LangIndex([record], lang);
  return idx.evaluate(node, defaultMask(fields)).size > 0;
}

/** Field names accepted by `?filter=` (v1) — unknown names are ignored. */
export function parseFieldFilter(filter: string | undefined): SearchField[] | undefined {
  if (!filter) return undefined;
  const out = new Set<SearchField>();
  for (const raw of filter.split(',')) {
    const f = FIELD_ALIASES[raw.trim().toLowerCase()];
    if (f !== undefined) out.add(SEARCH_FIELDS[f]);
  }
  return out.size ? [...out] : undefined;
}
