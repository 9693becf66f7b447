// A persistent search index as a store adapter keeps it (SQLite: FTS5 and a postings table; PostgreSQL: tsvector
// columns and a postings table), seen from the serving side. Per table version and language one document: its
// word count per field (held in memory for every document), its postings (per word, document and field, how often
// the word occurs: one packed number each, read per word when a search asks) and its text for phrases. Views are
// the index of what readers see now in one language (src/search ranks through them). The adapter gives the reads
// (`SearchBackend`) and writes documents in the transaction that stores the version.

import { DOC_UNIT, FIELD_UNIT } from './searchText.js';
import type { SearchView } from './searchPort.js';
import type { TableRecord } from './store.js';

/** A stored document: number, table id, version, language, whether its table's default, word count per field. */
export type DocRow = [doc: number, id: string, version: number, lang: string, isDefault: boolean, lens: Int32Array];

/** Whether an id is made of ASCII digits only (such ids order alike by code unit and by collation). */
function digitsOnly(id: string): boolean {
  if (!id) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Numbers of postings kept in memory across catalogue changes (8 bytes each). */
const RAW_BUDGET = 4_000_000;

/** What the index reads from the database, synchronously. */
export interface SearchBackend {
  allDocs(): DocRow[];
  docsOf(id: string): DocRow[];
  /** Document numbers of a table with their distinct words (space-separated). */
  wordsOf(id: string): [doc: number, words: string][];
  /** Packed postings of a word, in packed order. */
  postings(token: string): number[];
  /** Packed postings of a word in [lo, hi) (one document's). */
  postingsOfDoc(token: string, lo: number, hi: number): number[];
  /** Index words w with lo <= w (< hi when given), sorted, at most `limit`. */
  terms(lo: string, hi: string | undefined, limit: number): string[];
  /** Stored documents with the words as a phrase (the last as a prefix when asked) in one of the fields. */
  phrase(tokens: readonly string[], prefix: boolean, fields: readonly number[]): Iterable<number>;
}

interface DocEntry {
  doc: number;
  lang: string;
  isDefault: boolean;
  lens: Int32Array;
}

export class PersistentSearchIndex {
  /** Every indexed document, per table and version. */
  private readonly docs = new Map<string, Map<number, DocEntry[]>>();
  private views = new Map<string, PersistentSearchView>();
  private viewsOf: unknown = null;
  /**
   * Postings of recently searched words as stored (every document, packed), kept across catalogue changes: a change
   * drops only the words of the documents it added, so the first searches after an import do not read the popular
   * words again. Documents that are gone stay in these lists; views skip documents they do not show.
   */
  private readonly raw = new Map<string, number[]>();
  private rawSize = 0;
  /** The highest document number seen: a new document at or below it reuses a number, and the lists are dropped. */
  private maxDoc = 0;

  constructor(protected readonly backend: SearchBackend) {}


  /** Read the document list again: all of it, or the documents of some tables. */
  reload(ids: Iterable<string> | null): void {
    if (ids === null) this.replace(null, this.backend.allDocs(), []);
    else {
      const list = [...ids];
      this.replace(
        list,
        list.flatMap((id) => this.backend.docsOf(id)),
        list.flatMap((id) => this.backend.wordsOf(id)),
      );
    }
  }

  /**
   * Take the documents of some tables (`ids`; null: every table) as read from the database: `rows` all their
   * documents, `words` the distinct words of each (an adapter that reads asynchronously fetches them itself).
   */
  replace(ids: readonly string[] | null, rows: readonly DocRow[], words: readonly [doc: number, words: string][]): void {
    if (ids === null) {
      this.docs.clear();
      this.dropRaw();
    } else {
      const known = new Set<number>();
      for (const id of ids) {
        for (const l of this.docs.get(id)?.values() ?? []) for (const e of l) known.add(e.doc);
        this.docs.delete(id);
      }
      for (const [doc, w] of [...words].sort((a, b) => a[0] - b[0])) {
        if (known.has(doc)) continue;
        // a document new to this connection: its words' lists are stale
        if (doc <= this.maxDoc) this.dropRaw();
        else for (const t of w ? w.split(' ') : []) this.extendRaw(t, doc);
      }
    }
    for (const [doc, id, version, lang, isDefault, lens] of rows) {
      if (doc > this.maxDoc) this.maxDoc = doc;
      let m = this.docs.get(id);
      if (!m) this.docs.set(id, (m = new Map()));
      let l = m.get(version);
      if (!l) m.set(version, (l = []));
      l.push({ doc, lang, isDefault, lens });
    }
    this.views.clear();
  }

  /** The stored postings of a word (every document, packed), from memory when read before. */
  rawPostings(token: string): number[] {
    let p = this.raw.get(token);
    if (p) {
      // most recently used last
      this.raw.delete(token);
      this.raw.set(token, p);
      return p;
    }
    p = this.backend.postings(token);
    // rows come in key order: the last names the highest document (perhaps one this connection has not seen yet)
    if (p.length) this.maxDoc = Math.max(this.maxDoc, Math.floor(p[p.length - 1] / DOC_UNIT));
    this.raw.set(token, p);
    this.rawSize += p.length + 8;
    for (const [t, l] of this.raw) {
      if (this.rawSize <= RAW_BUDGET || this.raw.size <= 1) break;
      this.forgetRaw(t, l);
    }
    return p;
  }

  /**
   * A new document `doc` has `token`: its postings join the word's list in memory (they sort last: document
   * numbers only grow, else the lists were dropped), so a popular word is not read again after each import.
   */
  private extendRaw(token: string, doc: number): void {
    const list = this.raw.get(token);
    if (!list) return;
    const add = this.backend.postingsOfDoc(token, doc * DOC_UNIT, (doc + 1) * DOC_UNIT);
    if (list.length && add.length && add[0] <= list[list.length - 1]) {
      this.forgetRaw(token, list);
      return;
    }
    for (const x of add) list.push(x);
    this.rawSize += add.length;
  }

  private forgetRaw(token: string, list = this.raw.get(token)): void {
    if (!list) return;
    this.raw.delete(token);
    this.rawSize -= list.length + 8;
  }

  private dropRaw(): void {
    this.raw.clear();
    this.rawSize = 0;
  }

  /** Forget one table's documents in memory and read them again. */
  reloadTable(id: string): void {
    this.reload([id]);
  }

  /**
   * The view of `tables` (what readers see now) in `lang`. `tables` must be the same object for the same catalogue
   * state: views are cached until it changes.
   */
  view(tables: () => Iterable<TableRecord>, generation: unknown, lang: string): SearchView {
    if (this.viewsOf !== generation) {
      this.views.clear();
      this.viewsOf = generation;
    }
    let v = this.views.get(lang);
    if (!v) {
      const records: TableRecord[] = [];
      const lens: Int32Array[] = [];
      const slot = new Map<number, number>();
      // documents in id order with ids of digits only: ties are broken in document order (see SearchView)
      let idOrdered = true;
      let last = '';
      for (const rec of tables()) {
        if (idOrdered) {
          idOrdered = last < rec.id && digitsOnly(rec.id);
          last = rec.id;
        }
        const l = this.docs.get(rec.id)?.get(rec.version);
        const e = l?.find((d) => d.lang === lang) ?? l?.find((d) => d.isDefault) ?? l?.[0];
        if (!e) continue;
        slot.set(e.doc, records.length);
        records.push(rec);
        lens.push(e.lens);
      }
      v = new PersistentSearchView(this.backend, this, records, lens, slot, idOrdered);
      this.views.set(lang, v);
    }
    return v;
  }
}

class PersistentSearchView implements SearchView {
  private readonly cache = new Map<string, number[]>();
  /** Documents of a phrase query (popular phrases are asked again; the view is what readers see, so they hold). */
  private readonly phrases = new Map<string, Set<number>>();

  constructor(
    private readonly backend: SearchBackend,
    private readonly index: PersistentSearchIndex,
    readonly records: TableRecord[],
    readonly lens: Int32Array[],
    /** Stored document number -> document number in this view. */
    private readonly slot: Map<number, number>,
    readonly idOrdered: boolean,
  ) {}

  postings(token: string): number[] {
    const hit = this.cache.get(token);
    if (hit) return hit;
    // rows come grouped by database document (the key's order), so each view document's entries stay together
    const flat: number[] = [];
    for (const packed of this.index.rawPostings(token)) {
      const d = this.slot.get(Math.floor(packed / DOC_UNIT));
      if (d === undefined) continue;
      const rest = packed % DOC_UNIT;
      flat.push(d, Math.floor(rest / FIELD_UNIT), rest % FIELD_UNIT);
    }
    if (this.cache.size > 500) this.cache.clear();
    this.cache.set(token, flat);
    return flat;
  }

  terms(lo: string, hi: string | undefined, limit: number): string[] {
    return this.backend.terms(lo, hi, limit);
  }

  phrase(tokens: readonly string[], prefix: boolean, fields: readonly number[]): Set<number> {
    if (!tokens.length || !fields.length) return new Set();
    const q = `${fields.join(',')}:${tokens.join(' ')}${prefix ? '*' : ''}`;
    const hit = this.phrases.get(q);
    if (hit) return hit;
    const out = new Set<number>();
    for (const doc of this.backend.phrase(tokens, prefix, fields)) {
      const d = this.slot.get(doc);
      if (d !== undefined) out.add(d);
    }
    if (this.phrases.size > 100) this.phrases.clear();
    this.phrases.set(q, out);
    return out;
  }
}
