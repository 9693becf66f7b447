// The PostgreSQL store's persistent search index, PostgreSQL full-text search beside the ranking's own postings:
// per table version and language one row in `statbank_search_docs` (word count per field, distinct words, and each
// field's folded words as a `tsvector` with positions, GIN-indexed, for phrases and prefixes of phrases) and one
// packed number per word, document and field in `statbank_search_postings` (what the TF-IDF ranking of src/search
// reads, one row per document and field). Written in the transaction that stores the version; a node reads it
// through its reader thread (pgSync.ts) as the Store port's synchronous search needs, and keeps only the document
// list in memory (persistentSearch.ts), reloaded per table when a change arrives.

import type pg from 'pg';
import type { DocRow, SearchBackend } from './persistentSearch.js';
import type { PgSyncReader } from './pgSync.js';
import { DOC_UNIT, FIELD_COUNT, packPosting, type IndexDocument } from './searchText.js';

const FIELDS = Array.from({ length: FIELD_COUNT }, (_, f) => `f${f}`);

export const PG_SEARCH_SCHEMA = `
CREATE TABLE IF NOT EXISTS statbank_search_docs (
  doc        BIGSERIAL PRIMARY KEY,
  table_id   TEXT NOT NULL,
  version    INTEGER NOT NULL,
  lang       TEXT NOT NULL,
  is_default BOOLEAN NOT NULL,
  lens       INTEGER[] NOT NULL,
  words      TEXT NOT NULL,
  ${FIELDS.map((f) => `${f} tsvector NOT NULL`).join(',\n  ')}
);
CREATE INDEX IF NOT EXISTS statbank_search_docs_table ON statbank_search_docs (table_id, version);
${FIELDS.map((f) => `CREATE INDEX IF NOT EXISTS statbank_search_docs_${f} ON statbank_search_docs USING gin (${f});`).join('\n')}
-- one number per word, document and field: doc * 2^24 + field * 2^21 + count
CREATE TABLE IF NOT EXISTS statbank_search_postings (
  token  TEXT NOT NULL,
  packed BIGINT NOT NULL,
  PRIMARY KEY (token, packed)
);
`;

/** Store one table version's documents (inside the write's transaction). */
export async function indexVersion(db: pg.PoolClient, id: string, version: number, docs: readonly IndexDocument[]): Promise<void> {
  for (const d of docs) {
    const r = await db.query<{ doc: number }>(
      `INSERT INTO statbank_search_docs (table_id, version, lang, is_default, lens, words, ${FIELDS.join(', ')})
       VALUES ($1, $2, $3, $4, $5, $6, ${FIELDS.map((_, f) => `to_tsvector('simple', $${7 + f})`).join(', ')})
       RETURNING doc::float8 AS doc`,
      [id, version, d.lang, d.isDefault, Array.from(d.lens), d.words.join(' '), ...d.texts],
    );
    const doc = r.rows[0].doc;
    const tokens: string[] = [];
    const packed: number[] = [];
    d.counts.forEach((c, f) => {
      for (const [t, n] of c) {
        tokens.push(t);
        packed.push(packPosting(doc, f, n));
      }
    });
    await db.query('INSERT INTO statbank_search_postings (token, packed) SELECT * FROM unnest($1::text[], $2::bigint[])', [tokens, packed]);
  }
}

/**
 * Drop documents of a table (inside the write's transaction): `below` drops the versions before it that are not
 * scheduled (a released version replaces them), `versions` those versions, neither: every version.
 */
export async function dropDocs(db: pg.PoolClient, id: string, which: { below?: number; versions?: number[] } = {}): Promise<void> {
  const cond =
    which.below !== undefined
      ? `AND d.version < $2 AND NOT EXISTS (SELECT 1 FROM statbank_versions v WHERE v.table_id = d.table_id AND v.version = d.version AND v.pending)`
      : which.versions
        ? 'AND d.version = ANY($2::int[])'
        : '';
  const args: unknown[] = [id];
  if (which.below !== undefined) args.push(which.below);
  else if (which.versions) args.push(which.versions);
  await db.query(
    `WITH gone AS (DELETE FROM statbank_search_docs d WHERE d.table_id = $1 ${cond} RETURNING d.doc, d.words)
     DELETE FROM statbank_search_postings p
     USING (SELECT doc, unnest(string_to_array(words, ' ')) AS token FROM gone) g
     WHERE p.token = g.token AND p.packed >= g.doc * ${DOC_UNIT} AND p.packed < (g.doc + 1) * ${DOC_UNIT}`,
    args,
  );
}

interface DocRowPg {
  doc: number;
  table_id: string;
  version: number;
  lang: string;
  is_default: boolean;
  lens: number[];
}

const DOC_COLUMNS = 'doc::float8 AS doc, table_id, version, lang, is_default, lens';

function docRows(rows: DocRowPg[]): DocRow[] {
  return rows.map((r) => [r.doc, r.table_id, r.version, r.lang, r.is_default, Int32Array.from(r.lens)]);
}

/** A phrase as a tsquery: the words in a row, the last one a prefix when asked (words are letters and digits). */
function phraseQuery(tokens: readonly string[], prefix: boolean): string {
  return tokens.map((t, i) => `'${t.replace(/'/g, "''")}'${prefix && i === tokens.length - 1 ? ':*' : ''}`).join(' <-> ');
}

/** Some tables' documents and words (null: every table's documents), read through the pool (asynchronously). */
export async function readDocs(pool: pg.Pool, ids: readonly string[] | null): Promise<{ rows: DocRow[]; words: [number, string][] }> {
  if (ids === null) return { rows: docRows((await pool.query<DocRowPg>(`SELECT ${DOC_COLUMNS} FROM statbank_search_docs`)).rows), words: [] };
  const r = await pool.query<DocRowPg & { words: string }>(`SELECT ${DOC_COLUMNS}, words FROM statbank_search_docs WHERE table_id = ANY($1::text[])`, [ids]);
  return { rows: docRows(r.rows), words: r.rows.map((x) => [x.doc, x.words]) };
}

/** The index's reads, through the node's reader thread. */
export function pgSearchBackend(reader: PgSyncReader): SearchBackend {
  const packedList = (sql: string, args: unknown[]) => reader.query<{ ps: number[] | null }>(sql, args)[0]?.ps ?? [];
  return {
    allDocs: () => docRows(reader.query<DocRowPg>(`SELECT ${DOC_COLUMNS} FROM statbank_search_docs`, [])),
    docsOf: (id) => docRows(reader.query<DocRowPg>(`SELECT ${DOC_COLUMNS} FROM statbank_search_docs WHERE table_id = $1`, [id])),
    wordsOf: (id) =>
      reader.query<{ doc: number; words: string }>('SELECT doc::float8 AS doc, words FROM statbank_search_docs WHERE table_id = $1', [id]).map((r) => [r.doc, r.words]),
    postings: (token) =>
      packedList('SELECT array_agg(packed::float8 ORDER BY packed) AS ps FROM statbank_search_postings WHERE token = $1', [token]),
    postingsOfDoc: (token, lo, hi) =>
      packedList('SELECT array_agg(packed::float8 ORDER BY packed) AS ps FROM statbank_search_postings WHERE token = $1 AND packed >= $2 AND packed < $3', [token, lo, hi]),
    // distinct words by a skip scan of the postings' key (one index probe per word)
    terms: (lo, hi, limit) =>
      reader
        .query<{ token: string }>(
          `WITH RECURSIVE w(token) AS (
             (SELECT token FROM statbank_search_postings WHERE token >= $1 ORDER BY token LIMIT 1)
             UNION ALL
             SELECT (SELECT p.token FROM statbank_search_postings p WHERE p.token > w.token ORDER BY p.token LIMIT 1)
             FROM w WHERE w.token IS NOT NULL AND ($2::text IS NULL OR w.token < $2)
           )
           SELECT token FROM w WHERE token IS NOT NULL AND ($2::text IS NULL OR token < $2) LIMIT $3`,
          [lo, hi ?? null, limit],
        )
        .map((r) => r.token),
    phrase: (tokens, prefix, fields) =>
      reader
        .query<{ doc: number }>(
          `SELECT doc::float8 AS doc FROM statbank_search_docs, to_tsquery('simple', $1) AS q WHERE ${fields.map((f) => `f${f} @@ q`).join(' OR ')}`,
          [phraseQuery(tokens, prefix)],
        )
        .map((r) => r.doc),
  };
}
