// A query as people copy it from Statistics Norway's table page ("API query for this table"): the API v1 URL
// and the POST body, one query entry per line so long value lists stay readable. Used by
// `/statbank/sq/{id}.txt` and the ready-made dataset pages.

import type { V1QueryItem } from '../../query/v1Query.js';

/** The v1 POST body, `{"query":[…],"response":{"format":…}}`, one query entry per line. */
export function formatV1Body(query: readonly V1QueryItem[], format: string): string {
  const lines = query.map((q) => '    ' + JSON.stringify({ code: q.code, selection: { filter: q.selection.filter, values: q.selection.values } }));
  const list = lines.length ? `[\n${lines.join(',\n')}\n  ]` : '[]';
  return `{\n  "query": ${list},\n  "response": ${JSON.stringify({ format })}\n}`;
}

/** The v1 URL a query is POSTed to: `{base}/api/v0/{lang}/table/{tableId}`. */
export function v1TableUrl(base: string, lang: string, tableId: string): string {
  return `${base}/api/v0/${encodeURIComponent(lang)}/table/${encodeURIComponent(tableId)}`;
}

const LABELS: Record<string, { table: string; url: string; query: string }> = {
  no: { table: 'Tabell', url: 'URL', query: 'Spørring (JSON, sendes med POST til URL-en)' },
  en: { table: 'Table', url: 'URL', query: 'Query (JSON, sent with POST to the URL)' },
};

/**
 * The plain-text form: a heading line, the URL, notes (if any), then the JSON body last: it starts at the first
 * line that is just `{` and runs to the end.
 */
export function queryText(opts: {
  base: string;
  lang: string;
  tableId: string;
  title: string;
  query: readonly V1QueryItem[];
  format: string;
  notes?: readonly string[];
}): string {
  const L = LABELS[opts.lang] ?? LABELS.en;
  const lines = [`${L.table} ${opts.title.startsWith(opts.tableId) ? opts.title : `${opts.tableId}: ${opts.title}`}`];
  lines.push(`${L.url}: ${v1TableUrl(opts.base, opts.lang, opts.tableId)}`);
  for (const n of opts.notes ?? []) lines.push(n);
  lines.push(`${L.query}:`);
  lines.push(formatV1Body(opts.query, opts.format));
  return lines.join('\n') + '\n';
}
