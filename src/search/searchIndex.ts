// Table search, per language, scored with a TF-IDF formula close to Lucene's classic similarity
// (sqrt(tf) * idf² * field weight / sqrt(field length), times a query norm). Shared by API v1 (`?query=` on a
// folder) and API v2 (`/tables?query=`). One evaluator (`IndexEvaluator`) over two kinds of index:
// - a store that keeps a persistent index (SQLite FTS5; see store/searchPort.ts) is searched through it: nothing is
//   built at start, a put or a release changes that table's entries only, and the index reads what readers see;
// - any other store (the in-memory one, wrappers) gets a small in-memory inverted index (`LangIndex`), rebuilt
//   lazily when the set of tables or any table's version changes.
//
// Scheduled releases: `prepareIndex` builds the index of a coming catalogue (the records readers will get after a
// release) into a second slot per store, keyed by the exact set of (table id, version) it covers. `indexFor` adopts
// that slot instead of rebuilding once the store's current table list has exactly that set, and never before: the
// store's `listTables` applies the embargo, so a prepared index cannot answer while a version it covers is hidden.

import type { Store, TableRecord } from '../store/store.js';
import { hasSearchIndex, type SearchView } from '../store/searchPort.js';
import { FIELD_COUNT, SEARCH_FIELDS, fieldSegments, type SearchField } from '../store/searchText.js';
import { parseSearchQuery, type SearchNode } from './queryParser.js';
import { dateKey, tokenize } from './text.js';

export { SEARCH_FIELDS, fieldSegments, type SearchField };
const WEIGHTS = [4, 3, 2, 1, 1, 1, 1, 1];
const NF = FIELD_COUNT;

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

/** The update time a record is searched by: its metadata's (from the summary when it has one), else publication. */
function updatedOf(rec: TableRecord): string | undefined {
  const s = (rec as { summary?: { updated?: string } }).summary;
  return (s ? s.updated : rec.meta.updated) ?? rec.published;
}

/**
 * The query evaluator: documents 0..docCount-1, their postings and words. Subclasses say where these come from
 * (an in-memory inverted index, or a store's persistent one); scoring and the query semantics are written once.
 */
export abstract class IndexEvaluator {
  private dates: { published?: string; updated?: string }[] | null = null;

  constructor(readonly lang: string) {}

  /** Documents are in id order and ids are digits only: a tie in score is broken by document number (see SearchView). */
  get idOrdered(): boolean {
    return false;
  }

  /** Documents searched: the idf's N. */
  abstract get docCount(): number;
  /** Document numbers run 0..docSlots-1; some may be gone (`alive`). */
  get docSlots(): number {
    return this.docCount;
  }
  /** Whether a document number is in the index (an in-memory index keeps removed ones as gaps). */
  protected alive(_d: number): boolean {
    return true;
  }
  abstract record(d: number): TableRecord;
  /** Token count per field of a document. */
  protected abstract lens(d: number): Int32Array;
  /** Flat triplets (doc, field, count) of one word, doc ascending. */
  protected abstract postingsOf(token: string): number[] | undefined;
  /** Index words starting with `prefix` (at most `limit`), sorted. */
  protected abstract expandPrefix(prefix: string, limit?: number): string[];
  /** Index words in [lo, hi) (either end open when undefined) that pass `keep`. */
  protected abstract wordsWhere(lo: string | undefined, hi: string | undefined, keep: (t: string) => boolean): string[];
  /** Of the candidate docs, those with the phrase in one of the masked fields (a superset is fine: only candidates are asked). */
  protected abstract phraseDocs(cand: Iterable<number>, tokens: string[], prefix: boolean, mask: boolean[]): Set<number>;

  private dateKeys(d: number): { published?: string; updated?: string } {
    if (!this.dates) {
      this.dates = [];
      for (let i = 0; i < this.docSlots; i++) {
        if (!this.alive(i)) {
          this.dates.push({});
          continue;
        }
        const r = this.record(i);
        this.dates.push({ published: dateKey(r.published), updated: dateKey(updatedOf(r)) });
      }
    }
    return this.dates[d];
  }

  /** Forget derived date keys (the records were rebound). */
  protected resetDates(): void {
    this.dates = null;
  }

  private idf(p: number[]): number {
    let df = 0;
    let last = -1;
    for (let i = 0; i < p.length; i += 3) if (p[i] !== last && this.alive(p[i])) (df++, (last = p[i]));
    return 1 + Math.log(this.docCount / (df + 1));
  }

  // scratch space of scoreTokens, one slot per document number (reused: a search allocates per match, not per doc)
  private acc = new Float64Array(0);
  private seen = new Uint32Array(0);
  private stamp = 0;
  private touched = new Int32Array(0);

  /** Docs containing any of `tokens` in the allowed fields, with their TF-IDF scores. */
  private scoreTokens(tokens: string[], fieldMask: boolean[]): Scores {
    const slots = this.docSlots;
    if (this.acc.length < slots) {
      this.acc = new Float64Array(slots);
      this.seen = new Uint32Array(slots);
      this.touched = new Int32Array(slots);
      this.stamp = 0;
    }
    const { acc, seen, touched } = this;
    if (++this.stamp === 0xffffffff) {
      seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    let count = 0;
    let sorted = true;
    let lists = 0;
    for (const t of tokens) {
      const p = this.postingsOf(t);
      if (!p || !p.length) continue;
      lists++;
      const idf = this.idf(p);
      const idf2 = idf * idf;
      for (let i = 0; i < p.length; i += 3) {
        const d = p[i];
        const f = p[i + 1];
        if (!fieldMask[f] || !this.alive(d)) continue;
        const s = (WEIGHTS[f] * Math.sqrt(p[i + 2]) * idf2) / Math.sqrt(Math.max(1, this.lens(d)[f]));
        if (seen[d] !== stamp) {
          seen[d] = stamp;
          acc[d] = s;
          if (count && touched[count - 1] > d) sorted = false;
          touched[count++] = d;
        } else acc[d] += s;
      }
    }
    const docs = touched.slice(0, count);
    if (!sorted || lists > 1) docs.sort();
    const vals = new Float64Array(count);
    for (let i = 0; i < count; i++) vals[i] = acc[docs[i]];
    return new Scores(docs, vals);
  }

  private fieldMask(field: string | undefined, defaults: boolean[]): boolean[] | null {
    if (field === undefined) return defaults;
    const f = FIELD_ALIASES[field];
    if (f === undefined) return null;
    const m = new Array<boolean>(NF).fill(false);
    m[f] = true;
    return m;
  }

  private all(score: number): Scores {
    const docs: number[] = [];
    for (let d = 0; d < this.docSlots; d++) if (this.alive(d)) docs.push(d);
    return new Scores(Int32Array.from(docs), new Float64Array(docs.length).fill(score));
  }

  private dateMatch(field: string, test: (key: string) => boolean): Scores {
    const docs: number[] = [];
    for (let d = 0; d < this.docSlots; d++) {
      if (!this.alive(d)) continue;
      const dk = this.dateKeys(d);
      const k = field === 'published' ? dk.published : dk.updated;
      if (k !== undefined && test(k)) docs.push(d);
    }
    return new Scores(Int32Array.from(docs), new Float64Array(docs.length).fill(0.1));
  }

  /** Evaluate a parsed query: the matching docs (ascending) with their raw scores. */
  evaluate(node: SearchNode, defaults: boolean[]): Scores {
    switch (node.type) {
      case 'all':
        return this.all(1);
      case 'and': {
        let acc: Scores | null = null;
        const nots: SearchNode[] = [];
        for (const c of node.children) {
          if (c.type === 'not') {
            nots.push(c.child);
            continue;
          }
          const r = this.evaluate(c, defaults);
          acc = acc ? acc.and(r) : r;
          if (!acc.size) return acc;
        }
        if (!acc) acc = this.all(0);
        for (const n of nots) acc = acc.without(this.evaluate(n, defaults));
        return acc;
      }
      case 'or': {
        let acc = Scores.EMPTY;
        for (const c of node.children) acc = acc.or(this.evaluate(c, defaults));
        return acc;
      }
      case 'not':
        return this.all(0).without(this.evaluate(node.child, defaults));
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
        if (!mask) return Scores.EMPTY;
        const inRange = (t: string) => {
          if (node.lower !== undefined && (node.includeLower ? t < node.lower : t <= node.lower)) return false;
          if (node.upper !== undefined) {
            const cut = node.upperPrefix ? t.slice(0, node.upper.length) : t;
            if (node.includeUpper || node.upperPrefix ? cut > node.upper : cut >= node.upper) return false;
          }
          return true;
        };
        // every word past the upper bound compares greater than it, prefix cut or not: the scan may stop there
        const hi = node.upper === undefined ? undefined : node.upper + '\uffff';
        const r = this.scoreTokens(this.wordsWhere(node.lower, hi, inRange), mask);
        r.vals.fill(0.1);
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
        if (!mask) return Scores.EMPTY;
        if (node.type === 'term') {
          let toks: string[];
          if (node.pattern !== undefined) {
            const re = new RegExp(node.pattern, 'u');
            // the letters before the first wildcard bound the scan
            const lit = /^\^([\p{L}\p{N}]*)/u.exec(node.pattern)?.[1] ?? '';
            toks = this.wordsWhere(lit || undefined, lit ? lit + '\uffff' : undefined, (t) => re.test(t));
          } else if (node.prefix) toks = this.expandPrefix(node.token);
          else toks = [node.token];
          return this.scoreTokens(toks, mask);
        }
        return this.phrase(node.tokens, !!node.prefix, mask);
      }
    }
  }

  private phrase(tokens: string[], prefix: boolean, mask: boolean[]): Scores {
    // candidates: docs with every word (the last one as a prefix when asked)
    let cand: Scores | null = null;
    tokens.forEach((t, i) => {
      const toks = prefix && i === tokens.length - 1 ? this.expandPrefix(t) : [t];
      const r = this.scoreTokens(toks, mask);
      cand = cand ? cand.and(r) : r;
    });
    const c: Scores = cand ?? Scores.EMPTY;
    if (!c.size) return c;
    const hits = this.phraseDocs(c.docs, tokens, prefix, mask);
    return c.filter((d) => hits.has(d));
  }
}

/** Matching documents in ascending order with their raw scores (typed arrays: no object per match). */
export class Scores {
  static readonly EMPTY = new Scores(new Int32Array(0), new Float64Array(0));

  constructor(
    readonly docs: Int32Array,
    readonly vals: Float64Array,
  ) {}

  get size(): number {
    return this.docs.length;
  }

  /** Docs in both, scores added (this one's first). */
  and(o: Scores): Scores {
    const a = this.docs;
    const b = o.docs;
    const docs = new Int32Array(Math.min(a.length, b.length));
    const vals = new Float64Array(docs.length);
    let n = 0;
    for (let i = 0, j = 0; i < a.length && j < b.length; ) {
      if (a[i] < b[j]) i++;
      else if (a[i] > b[j]) j++;
      else {
        docs[n] = a[i];
        vals[n++] = this.vals[i++] + o.vals[j++];
      }
    }
    return new Scores(docs.slice(0, n), vals.slice(0, n));
  }

  /** Docs in either, scores added where in both (this one's first). */
  or(o: Scores): Scores {
    if (!this.size) return o;
    const a = this.docs;
    const b = o.docs;
    const docs = new Int32Array(a.length + b.length);
    const vals = new Float64Array(docs.length);
    let n = 0;
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i] < b[j])) {
        docs[n] = a[i];
        vals[n++] = this.vals[i++];
      } else if (i >= a.length || b[j] < a[i]) {
        docs[n] = b[j];
        vals[n++] = o.vals[j++];
      } else {
        docs[n] = a[i];
        vals[n++] = this.vals[i++] + o.vals[j++];
      }
    }
    return new Scores(docs.slice(0, n), vals.slice(0, n));
  }

  /** This one's docs that are not in `o`. */
  without(o: Scores): Scores {
    const b = o.docs;
    let j = 0;
    return this.filter((d) => {
      while (j < b.length && b[j] < d) j++;
      return !(j < b.length && b[j] === d);
    });
  }

  /** The docs that pass `keep` (called in ascending order). */
  filter(keep: (d: number) => boolean): Scores {
    const docs = new Int32Array(this.size);
    const vals = new Float64Array(this.size);
    let n = 0;
    for (let i = 0; i < this.docs.length; i++) {
      if (!keep(this.docs[i])) continue;
      docs[n] = this.docs[i];
      vals[n++] = this.vals[i];
    }
    return new Scores(docs.slice(0, n), vals.slice(0, n));
  }
}

interface Doc {
  record: TableRecord;
  /** Token count per field. */
  lens: Int32Array;
}

/**
 * The in-memory index of one language over a list of tables. Tables can be added and removed one by one (a removed
 * document leaves a gap its postings skip), so a change costs what the changed tables cost.
 */
export class LangIndex extends IndexEvaluator {
  readonly docs: (Doc | null)[] = [];
  /** token -> flat triplets (doc, field, count), in doc order. */
  private readonly postings = new Map<string, number[]>();
  private vocab: string[] | null = null;
  private readonly byId = new Map<string, number>();
  private gone = 0;

  constructor(records: readonly TableRecord[], lang: string) {
    super(lang);
    for (const r of records) this.add(r);
  }

  /** Index one more table. */
  add(record: TableRecord): void {
    const d = this.docs.length;
    {
      const lang = this.lang;
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
      this.docs.push({ record, lens });
      this.byId.set(record.id, d);
    }
    this.vocab = null;
    this.resetDates();
  }

  /** Forget a table (its postings stay, skipped). Returns whether it was indexed. */
  remove(id: string): boolean {
    const d = this.byId.get(id);
    if (d === undefined) return false;
    this.byId.delete(id);
    this.docs[d] = null;
    this.gone++;
    this.resetDates();
    return true;
  }

  /** Whether enough document numbers are gaps that a rebuild pays (a quarter of them, and more than a few). */
  get worthRebuilding(): boolean {
    return this.gone > 64 && this.gone > this.docs.length / 4;
  }

  get docCount(): number {
    return this.docs.length - this.gone;
  }

  override get docSlots(): number {
    return this.docs.length;
  }

  protected override alive(d: number): boolean {
    return this.docs[d] !== null;
  }

  record(d: number): TableRecord {
    return this.docs[d]!.record;
  }

  protected lens(d: number): Int32Array {
    return this.docs[d]!.lens;
  }

  protected postingsOf(token: string): number[] | undefined {
    return this.postings.get(token);
  }

  /**
   * Point the docs at `records` (the same ids and versions, as the store now lists them): a rescheduled version
   * carries another publication time, and folders are read from the record at search time.
   */
  rebind(records: ReadonlyMap<string, TableRecord>): void {
    for (const doc of this.docs) {
      if (!doc) continue;
      const r = records.get(doc.record.id);
      if (!r || r.version !== doc.record.version) throw new Error(`search index: no record ${doc.record.id}@${doc.record.version} to rebind`);
      doc.record = r;
    }
    this.resetDates();
  }

  private sortedVocab(): string[] {
    if (!this.vocab) this.vocab = [...this.postings.keys()].sort();
    return this.vocab;
  }

  private lowerBound(v: string[], x: string): number {
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  protected expandPrefix(prefix: string, limit = 2000): string[] {
    const v = this.sortedVocab();
    const out: string[] = [];
    for (let i = this.lowerBound(v, prefix); i < v.length && v[i].startsWith(prefix) && out.length < limit; i++) out.push(v[i]);
    return out;
  }

  protected wordsWhere(lo: string | undefined, hi: string | undefined, keep: (t: string) => boolean): string[] {
    const v = this.sortedVocab();
    const out: string[] = [];
    for (let i = lo === undefined ? 0 : this.lowerBound(v, lo); i < v.length && (hi === undefined || v[i] < hi); i++) if (keep(v[i])) out.push(v[i]);
    return out;
  }

  protected phraseDocs(cand: Iterable<number>, tokens: string[], prefix: boolean, mask: boolean[]): Set<number> {
    const out = new Set<number>();
    for (const d of cand) {
      const segs = fieldSegments(this.docs[d]!.record, this.lang);
      let hit = false;
      for (let f = 0; f < NF && !hit; f++) {
        if (!mask[f]) continue;
        for (const seg of segs[f]) if ((hit = containsPhrase(tokenize(seg), tokens, prefix))) break;
      }
      if (hit) out.add(d);
    }
    return out;
  }
}

/** A store's persistent index (SQLite FTS5), seen as what readers see now in one language. */
export class StoreIndex extends IndexEvaluator {
  constructor(
    private readonly view: SearchView,
    lang: string,
  ) {
    super(lang);
  }

  get docCount(): number {
    return this.view.records.length;
  }

  override get idOrdered(): boolean {
    return this.view.idOrdered === true;
  }

  record(d: number): TableRecord {
    return this.view.records[d];
  }

  protected lens(d: number): Int32Array {
    return this.view.lens[d];
  }

  protected postingsOf(token: string): number[] {
    return this.view.postings(token);
  }

  protected expandPrefix(prefix: string, limit = 2000): string[] {
    const out: string[] = [];
    // words of documents no reader sees share the word list: take a few more, keep those with postings here
    for (const t of this.view.terms(prefix, prefix + '\uffff', limit * 2)) {
      if (!t.startsWith(prefix)) break;
      if (this.view.postings(t).length) out.push(t);
      if (out.length >= limit) break;
    }
    return out;
  }

  protected wordsWhere(lo: string | undefined, hi: string | undefined, keep: (t: string) => boolean): string[] {
    return this.view.terms(lo ?? '', hi, 1_000_000).filter(keep);
  }

  protected phraseDocs(cand: Iterable<number>, tokens: string[], prefix: boolean, mask: boolean[]): Set<number> {
    const fields: number[] = [];
    mask.forEach((m, f) => m && fields.push(f));
    // the documents with the phrase (the caller keeps the candidates among them)
    void cand;
    return this.view.phrase(tokens, prefix, fields);
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
  return inScope(rec, scopeOf(folder));
}

function scopeOf(folder: string | undefined): string {
  return (folder ?? '').split('/').filter(Boolean).join('/');
}

function inScope(rec: TableRecord, f: string): boolean {
  if (!f) return true;
  return rec.folders.some((p) => p === f || p.startsWith(f + '/'));
}

const ID_ORDER = new Intl.Collator();
const DIGITS = /^[0-9]+$/;

/**
 * Ties by id in the same order as String#localeCompare, through one collator; ids of digits only (the usual kind)
 * are compared directly, which is the same order (a collator orders digits by value, character by character).
 */
function idOrder(a: string, b: string, digitsA: boolean, digitsB: boolean): number {
  if (digitsA && digitsB) return a < b ? -1 : a > b ? 1 : 0;
  return ID_ORDER.compare(a, b);
}

/** A score as answers carry it: 9 significant digits. */
function roundScore(v: number): number {
  return Number(v.toPrecision(9));
}

/** Best first: score descending, ties by id (`idOrder`). */
function compareHits(a: SearchHit, b: SearchHit): number {
  if (b.score !== a.score) return b.score - a.score;
  const x = a.record.id;
  const y = b.record.id;
  return idOrder(x, y, DIGITS.test(x), DIGITS.test(y));
}

/** Score descending only (a stable sort keeps the given order among ties). */
function byScore(a: SearchHit, b: SearchHit): number {
  return b.score - a.score;
}

/** The matches of a query in a language index that `keep` accepts (folder scope first), with unrounded scores. */
function matches(index: IndexEvaluator, node: SearchNode, opts: SearchOptions, keep?: (rec: TableRecord) => boolean): { records: TableRecord[]; scores: Float64Array } {
  const raw = index.evaluate(node, defaultMask(opts.fields));
  const norm = 1 / Math.sqrt(Math.max(1, positiveLeaves(node)));
  const scope = scopeOf(opts.folder);
  const records: TableRecord[] = [];
  const scores = new Float64Array(raw.size);
  for (let i = 0; i < raw.size; i++) {
    const record = index.record(raw.docs[i]);
    if ((scope && !inScope(record, scope)) || (keep && !keep(record))) continue;
    scores[records.length] = raw.vals[i] * norm;
    records.push(record);
  }
  return { records, scores: scores.subarray(0, records.length) };
}

/** Run a query over a language index: every match, best first. Scores are rounded to 9 significant digits. */
export function runSearch(index: IndexEvaluator, node: SearchNode, opts: SearchOptions): SearchHit[] {
  const { records, scores } = matches(index, node, opts);
  const hits: SearchHit[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) hits[i] = { record: records[i], score: roundScore(scores[i]) };
  // hits are in document order: when that is id order, a stable sort by score alone breaks ties by id
  return hits.sort(index.idOrdered ? byScore : compareHits);
}

export interface SearchPageOptions extends SearchOptions {
  /** Hits to skip (default 0). */
  offset?: number;
  /** Hits to return at most. */
  limit: number;
  /** Only tables this accepts count (language, discontinued …): applied before paging, so `total` counts them. */
  keep?: (rec: TableRecord) => boolean;
}

export interface SearchPage {
  /** Matches in all (that `keep` accepted). */
  total: number;
  /** The page: the same hits, in the same order, as `runSearch(...).slice(offset, offset + limit)`. */
  hits: SearchHit[];
}

/**
 * One page of a query's hits. Costs O(matches) to score and count, but ranks only the hits that can be on the page:
 * the (offset + limit)-th best score is found by selection, and only the matches at or near it are sorted (a
 * rounded score is monotonic in the raw one, so nothing below that threshold can rank above it).
 */
export function runSearchPage(index: IndexEvaluator, node: SearchNode, opts: SearchPageOptions): SearchPage {
  const { records, scores } = matches(index, node, opts, opts.keep);
  const total = records.length;
  const offset = Math.max(0, Math.floor(opts.offset ?? 0));
  const want = Math.min(total, offset + Math.max(0, Math.floor(opts.limit)));
  if (want <= offset) return { total, hits: [] };
  const hit = (i: number): SearchHit => ({ record: records[i], score: roundScore(scores[i]) });
  if (want === total) {
    const all = Array.from({ length: total }, (_, i) => hit(i)).sort(index.idOrdered ? byScore : compareHits);
    return { total, hits: all.slice(offset, want) };
  }
  const t = kthLargest(Float64Array.from(scores), want);
  const tr = roundScore(t);
  // below t a score can round to t's rounding only within the rounding step (< 1e-8 relative)
  const near = t - Math.abs(t) * 2e-8;
  const above: SearchHit[] = [];
  const ties: number[] = [];
  for (let i = 0; i < total; i++) {
    const v = scores[i];
    if (v < near) continue;
    if (v === t) ties.push(i);
    else {
      const r = roundScore(v);
      if (r > tr) above.push({ record: records[i], score: r });
      else if (r === tr) ties.push(i);
    }
  }
  // the hits above the threshold's score all come first; of the many tables that tie with it, the first by id
  above.sort(compareHits);
  // ties are in document order: already id order when the index says so
  let first: number[];
  if (index.idOrdered) first = ties.slice(0, Math.max(0, want - above.length));
  else {
    const digits = ties.every((i) => DIGITS.test(records[i].id));
    first = smallest(ties, want - above.length, (i: number, j: number) => idOrder(records[i].id, records[j].id, digits, digits));
  }
  const fromTies = first.map((i) => ({ record: records[i], score: tr }));
  return { total, hits: above.concat(fromTies).slice(offset, want) };
}

/** The `k` first of `xs` in `order`, sorted (a bounded insertion list: O(n log k) when k is small). */
function smallest<T>(xs: T[], k: number, order: (a: T, b: T) => number): T[] {
  if (k <= 0) return [];
  if (k * 8 >= xs.length) return xs.sort(order).slice(0, k);
  const out: T[] = [];
  for (const x of xs) {
    if (out.length === k && order(x, out[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order(out[mid], x) <= 0) lo = mid + 1;
      else hi = mid;
    }
    out.splice(lo, 0, x);
    if (out.length > k) out.pop();
  }
  return out;
}

/** The k-th largest value (1-based) of `a`, which is reordered (quickselect). */
function kthLargest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const x = a[i];
        a[i] = a[j];
        a[j] = x;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target];
  }
  return a[target];
}

interface StoreIndexes {
  signature: string;
  langs: Map<string, LangIndex>;
  records: TableRecord[];
  /** The store's list this was last checked against (the same objects: nothing changed). */
  seen?: TableRecord[];
}

const perStore = new WeakMap<Store, StoreIndexes>();
/** The second slot: indexes of a coming catalogue, not yet what the store lists. */
const preparedPerStore = new WeakMap<Store, StoreIndexes>();

let builds = 0;
let adoptions = 0;
let updates = 0;

/**
 * Counters for tests and benchmarks: store indexes built (per language), prepared slots adopted, in-memory indexes
 * updated table by table (per language).
 */
export function searchIndexStats(): { builds: number; adoptions: number; updates: number } {
  return { builds, adoptions, updates };
}

/** Same list, same record objects (an O(n) pointer comparison; the usual case between two searches). */
function sameList(a: readonly TableRecord[] | undefined, b: readonly TableRecord[]): boolean {
  if (!a || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The indexes of `s` brought to `records` table by table (removed, replaced and new tables), when few changed;
 * undefined when rebuilding is as cheap. A language whose gaps grew large is dropped (rebuilt when next asked).
 */
function updateIndexes(s: StoreIndexes, records: TableRecord[], sig: string): StoreIndexes | undefined {
  if (!s.langs.size) return undefined;
  const prev = new Map(s.records.map((r) => [r.id, r]));
  const next = new Map(records.map((r) => [r.id, r]));
  const same = (a: TableRecord | undefined, b: TableRecord | undefined) => !!a && !!b && a.version === b.version && a.shortName === b.shortName;
  const removed: string[] = [];
  const added: TableRecord[] = [];
  for (const [id, r] of prev) if (!same(r, next.get(id))) removed.push(id);
  for (const [id, r] of next) if (!same(r, prev.get(id))) added.push(r);
  if (removed.length + added.length > Math.max(64, records.length / 4)) return undefined;
  // unchanged tables keep their documents: point them at the store's current record objects
  const langs = new Map<string, LangIndex>();
  for (const [lang, li] of s.langs) {
    for (const id of removed) li.remove(id);
    for (const r of added) li.add(r);
    updates++;
    if (!li.worthRebuilding) {
      li.rebind(next);
      langs.set(lang, li);
    }
  }
  return { signature: sig, langs, records, seen: records };
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

/** Evaluators over a store's persistent index, per view (a view changes with what readers see). */
const storeIndexes = new WeakMap<SearchView, StoreIndex>();

/**
 * The store's index for a language: its persistent index when it keeps one (nothing to build), else the in-memory
 * index, rebuilt when tables were added, replaced or deleted.
 */
export function indexFor(store: Store, lang: string): IndexEvaluator {
  if (hasSearchIndex(store)) {
    const view = store.searchView(lang);
    let e = storeIndexes.get(view);
    if (!e) storeIndexes.set(view, (e = new StoreIndex(view, lang)));
    return e;
  }
  const records = store.listTables();
  let s = perStore.get(store);
  if (!s || !sameList(s.seen, records)) {
    const sig = storeSignature(records);
    if (!s || s.signature !== sig) {
      s = adoptPrepared(store, sig, records) ?? (s && updateIndexes(s, records, sig)) ?? { signature: sig, langs: new Map(), records };
      perStore.set(store, s);
    }
    s.seen = records;
  }
  let li = s.langs.get(lang);
  if (!li) {
    li = buildLang(s.records, lang);
    s.langs.set(lang, li);
  }
  return li;
}

/**
 * Build, ahead of a release, the index of the catalogue readers will get: `future()` gives the whole table list
 * after the release (asked for only when an index is to be prepared: making it costs the catalogue). It is kept
 * aside and used by `indexFor`/`searchTables` only once the store lists exactly these (table id, version) pairs. One
 * slot per store: preparing another catalogue replaces it. When the store lists these tables already, the current
 * index is built instead. Returns whether an index was built now.
 */
export function prepareIndex(store: Store, future: () => readonly TableRecord[], lang: string): boolean {
  // a persistent index holds scheduled versions already and shows them at their release: nothing to prepare
  if (hasSearchIndex(store)) return false;
  const futureRecords = future();
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

/** One page of `searchTables`' hits, and how many there are (see runSearchPage). */
export function searchPage(store: Store, query: string | SearchNode, opts: SearchPageOptions): SearchPage {
  const node = typeof query === 'string' ? parseSearchQuery(query) : query;
  return runSearchPage(indexFor(store, opts.lang), node, opts);
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
