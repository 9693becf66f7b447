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
import { DOC_UNIT, FIELD_COUNT, indexDocuments, packPosting, type IndexedTable } from './searchText.js';
import { PersistentSearchIndex, type DocRow, type SearchBackend } from './persistentSearch.js';

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

export class SqliteSearchIndex extends PersistentSearchIndex {
  private readonly stmt: SearchStatements;

  constructor(db: Database.Database) {
    const stmt = prepare(db);
    super(sqliteBackend(stmt));
    this.stmt = stmt;
  }

  /** Index one table version in each of its languages (inside the adapter's write transaction). */
  add(rec: IndexedTable & { version: number }): void {
    for (const d of indexDocuments(rec)) {
      const doc = Number(this.stmt.putDoc.run(rec.id, rec.version, d.lang, d.isDefault ? 1 : 0, Buffer.from(d.lens.buffer), d.words.join(' ')).lastInsertRowid);
      this.stmt.putText.run(doc, ...d.texts);
      d.counts.forEach((c, f) => {
        for (const [t, n] of c) this.stmt.putPosting.run(t, packPosting(doc, f, n));
      });
    }
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

function docRows(rows: [number, string, number, string, number, Buffer][]): DocRow[] {
  return rows.map(([doc, id, version, lang, isDefault, lens]) => {
    const copy = new Int32Array(FIELD_COUNT);
    copy.set(new Int32Array(lens.buffer.slice(lens.byteOffset, lens.byteOffset + FIELD_COUNT * 4)));
    return [doc, id, version, lang, isDefault === 1, copy];
  });
}

function sqliteBackend(stmt: SearchStatements): SearchBackend {
  return {
    allDocs: () => docRows(stmt.all.all() as [number, string, number, string, number, Buffer][]),
    docsOf: (id) => docRows(stmt.ofTable.all(id) as [number, string, number, string, number, Buffer][]),
    wordsOf: (id) => stmt.wordsOf.all(id) as [number, string][],
    postings: (token) => stmt.postings.all(token) as number[],
    postingsOfDoc: (token, lo, hi) => stmt.postingsOfDoc.all(token, lo, hi) as number[],
    terms: (lo, hi, limit) => (hi === undefined ? stmt.wordsFrom.all(lo, limit) : stmt.wordsBetween.all(lo, hi, limit)) as string[],
    phrase: (tokens, prefix, fields) =>
      stmt.match.iterate(`{${fields.map((f) => `f${f}`).join(' ')}} : "${tokens.join(' ')}"${prefix ? ' *' : ''}`) as IterableIterator<number>,
  };
}
