// The SQLite store's persistent search index: one FTS5 table (contentless, deletable) holding, per table version and
// language, the folded words of the eight indexed fields (one column each), and `search_docs` naming each FTS row
// (table id, version, language) with its word count per field. `search_postings` holds, per word, document and
// field, how often the word occurs there: the TF-IDF ranking of src/search reads one row per document and field
// (counting FTS5 instances instead would read a row per occurrence: millions for "kommune" on a national catalogue).
// FTS5 answers phrases (with positions) and, through an fts5vocab table, the sorted word list for prefixes and
// ranges. Rows are written in the transaction that stores the version, so a release stays atomic: a search answers
// from the documents of the versions readers see at that instant (scheduled versions are indexed ahead, invisible
// until their time). Versions nobody can see any more are dropped when they stop being current.

import type Database from 'better-sqlite3';
import { FIELD_COUNT, fieldSegments, indexLanguages, tokenize, type IndexedTable } from './searchText.js';
import type { SearchView } from './searchPort.js';
import type { TableRecord } from './store.js';

export const SEARCH_SCHEMA = `
CREATE TABLE IF NOT EXISTS search_docs (
  doc        INTEGER PRIMARY KEY,
  table_id   TEXT NOT NULL,
  version    INTEGER NOT NULL,
  lang       TEXT NOT NULL,
  is_default INTEGER NOT NULL,
  lens       BLOB NOT NULL,
  -- the document's distinct words, space-separated: what to delete from search_postings when it goes
  words      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS search_docs_table ON search_docs (table_id, version);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
  f0, f1, f2, f3, f4, f5, f6, f7,
  content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_words USING fts5vocab(search_fts, row);
-- one integer per word, document and field: doc * 2^24 + field * 2^21 + count (read as a plain list of numbers)
CREATE TABLE IF NOT EXISTS search_postings (
  token  TEXT NOT NULL,
  packed INTEGER NOT NULL,
  PRIMARY KEY (token, packed)
) WITHOUT ROWID;
`;

/**
 * Between two segments of a field: a word no query can contain (the query side folds accents away), so a phrase
 * never matches across segments.
 */
const SEGMENT_BREAK = ' \u00e9 ';

/** Packing of a posting: document, field (3 bits) and count (21 bits) in one safe integer. */
const FIELD_UNIT = 2 ** 21;
/** Numbers of postings kept in memory across catalogue changes (8 bytes each). */
const RAW_BUDGET = 4_000_000;
const DOC_UNIT = 2 ** 24;

interface DocEntry {
  doc: number;
  lang: string;
  isDefault: boolean;
  lens: Int32Array;
}

export class SqliteSearchIndex {
  /** Every indexed document, per table and version. */
  private readonly docs = new Map<string, Map<number, DocEntry[]>>();
  private views = new Map<string, SqliteSearchView>();
  private viewsOf: unknown = null;
  private readonly stmt: SearchStatements;
  /**
   * Postings of recently searched words as stored (every document, packed), kept across catalogue changes: a change
   * drops only the words of the documents it added, so the first searches after an import do not read the popular
   * words again. Documents that are gone stay in these lists; views skip documents they do not show.
   */
  private readonly raw = new Map<string, number[]>();
  private rawSize = 0;
  /** The highest document number seen: a new document at or below it reuses a number, and the lists are dropped. */
  private maxDoc = 0;

  constructor(db: Database.Database) {
    this.stmt = prepare(db);
  }


  /** Index one table version in each of its languages (inside the adapter's write transaction). */
  add(rec: IndexedTable & { version: number }): void {
    const langs = indexLanguages(rec.meta);
    langs.forEach((lang, i) => {
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
      const doc = Number(this.stmt.putDoc.run(rec.id, rec.version, lang, i === 0 ? 1 : 0, Buffer.from(lens.buffer), [...words].join(' ')).lastInsertRowid);
      this.stmt.putText.run(doc, ...texts);
      counts.forEach((c, f) => {
        for (const [t, n] of c) this.stmt.putPosting.run(t, doc * DOC_UNIT + f * FIELD_UNIT + Math.min(n, FIELD_UNIT - 1));
      });
    });
  }

  /** Drop the documents of a table's versions that `keep` rejects (every version when omitted). */
  drop(id: string, keep: (version: number) => boolean = () => false): void {
    for (const [doc, version, words] of this.stmt.docsOf.all(id) as [number, number, string][]) {
      if (keep(version)) continue;
      this.stmt.dropText.run(doc);
      for (const w of words ? words.split(' ') : []) this.stmt.dropPostings.run(w, doc * DOC_UNIT, (doc + 1) * DOC_UNIT);
      this.stmt.dropDoc.run(doc);
    }
  }

  /** Read the document list again: all of it, or the documents of some tables. */
  reload(ids: Iterable<string> | null): void {
    const rows: unknown[][] = [];
    if (ids === null) {
      this.docs.clear();
      this.dropRaw();
      rows.push(...(this.stmt.all.all() as unknown[][]));
    } else {
      for (const id of ids) {
        const known = new Set<number>();
        for (const l of this.docs.get(id)?.values() ?? []) for (const e of l) known.add(e.doc);
        this.docs.delete(id);
        for (const [doc, words] of this.stmt.wordsOf.all(id) as [number, string][]) {
          if (known.has(doc)) continue;
          // a document new to this connection: its words' lists are stale
          if (doc <= this.maxDoc) this.dropRaw();
          else for (const w of words ? words.split(' ') : []) this.extendRaw(w, doc);
        }
        rows.push(...(this.stmt.ofTable.all(id) as unknown[][]));
      }
    }
    for (const [doc, id, version, lang, isDefault, lens] of rows as [number, string, number, string, number, Buffer][]) {
      if (doc > this.maxDoc) this.maxDoc = doc;
      let m = this.docs.get(id);
      if (!m) this.docs.set(id, (m = new Map()));
      let l = m.get(version);
      if (!l) m.set(version, (l = []));
      const copy = new Int32Array(FIELD_COUNT);
      copy.set(new Int32Array(lens.buffer.slice(lens.byteOffset, lens.byteOffset + FIELD_COUNT * 4)));
      l.push({ doc, lang, isDefault: isDefault === 1, lens: copy });
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
    p = this.stmt.postings.all(token) as number[];
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
    const add = this.stmt.postingsOfDoc.all(token, doc * DOC_UNIT, (doc + 1) * DOC_UNIT) as number[];
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
  view(tables: ReadonlyMap<string, TableRecord>, generation: number, lang: string): SearchView {
    if (this.viewsOf !== generation) {
      this.views.clear();
      this.viewsOf = generation;
    }
    let v = this.views.get(lang);
    if (!v) {
      const records: TableRecord[] = [];
      const lens: Int32Array[] = [];
      const slot = new Map<number, number>();
      for (const rec of tables.values()) {
        const l = this.docs.get(rec.id)?.get(rec.version);
        const e = l?.find((d) => d.lang === lang) ?? l?.find((d) => d.isDefault) ?? l?.[0];
        if (!e) continue;
        slot.set(e.doc, records.length);
        records.push(rec);
        lens.push(e.lens);
      }
      v = new SqliteSearchView(this.stmt, this, records, lens, slot);
      this.views.set(lang, v);
    }
    return v;
  }
}

function prepare(db: Database.Database) {
  return {
    all: db.prepare('SELECT doc, table_id, version, lang, is_default, lens FROM search_docs').raw(),
    ofTable: db.prepare('SELECT doc, table_id, version, lang, is_default, lens FROM search_docs WHERE table_id = ?').raw(),
    wordsOf: db.prepare('SELECT doc, words FROM search_docs WHERE table_id = ?').raw(),
    putDoc: db.prepare('INSERT INTO search_docs (table_id, version, lang, is_default, lens, words) VALUES (?, ?, ?, ?, ?, ?)'),
    putText: db.prepare('INSERT INTO search_fts (rowid, f0, f1, f2, f3, f4, f5, f6, f7) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    docsOf: db.prepare('SELECT doc, version, words FROM search_docs WHERE table_id = ?').raw(),
    dropDoc: db.prepare('DELETE FROM search_docs WHERE doc = ?'),
    dropText: db.prepare('DELETE FROM search_fts WHERE rowid = ?'),
    postings: db.prepare('SELECT packed FROM search_postings WHERE token = ?').pluck(),
    postingsOfDoc: db.prepare('SELECT packed FROM search_postings WHERE token = ? AND packed >= ? AND packed < ?').pluck(),
    putPosting: db.prepare('INSERT INTO search_postings (token, packed) VALUES (?, ?)'),
    dropPostings: db.prepare('DELETE FROM search_postings WHERE token = ? AND packed >= ? AND packed < ?'),
    wordsFrom: db.prepare('SELECT term FROM search_words WHERE term >= ? LIMIT ?').pluck(),
    wordsBetween: db.prepare('SELECT term FROM search_words WHERE term >= ? AND term < ? LIMIT ?').pluck(),
    match: db.prepare('SELECT rowid FROM search_fts WHERE search_fts MATCH ?').pluck(),
  };
}

type SearchStatements = ReturnType<typeof prepare>;

class SqliteSearchView implements SearchView {
  private readonly cache = new Map<string, number[]>();
  /** Documents of a phrase query (popular phrases are asked again; the view is what readers see, so they hold). */
  private readonly phrases = new Map<string, Set<number>>();

  constructor(
    private readonly stmt: SearchStatements,
    private readonly index: SqliteSearchIndex,
    readonly records: TableRecord[],
    readonly lens: Int32Array[],
    /** FTS row -> document number in this view. */
    private readonly slot: Map<number, number>,
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
    return (hi === undefined ? this.stmt.wordsFrom.all(lo, limit) : this.stmt.wordsBetween.all(lo, hi, limit)) as string[];
  }

  phrase(tokens: readonly string[], prefix: boolean, fields: readonly number[]): Set<number> {
    if (!tokens.length || !fields.length) return new Set();
    const q = `{${fields.map((f) => `f${f}`).join(' ')}} : "${tokens.join(' ')}"${prefix ? ' *' : ''}`;
    const hit = this.phrases.get(q);
    if (hit) return hit;
    const out = new Set<number>();
    for (const doc of this.stmt.match.iterate(q) as IterableIterator<number>) {
      const d = this.slot.get(doc);
      if (d !== undefined) out.add(d);
    }
    if (this.phrases.size > 100) this.phrases.clear();
    this.phrases.set(q, out);
    return out;
  }
}
