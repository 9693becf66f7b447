// The demo's saved query (the course opens `/statbank/sq/10007797`): population of Oslo and Stavanger in the
// latest five years. `top` makes it follow new releases. The server creates it at start when it is missing and
// the table is the demo's (generateDemo has no saved-query store to write to).

import type { TableMeta } from '../core/model.js';
import type { V1QueryItem } from '../query/v1Query.js';
import { DEMO_SOURCE } from './build.js';

export interface DemoSavedQuery {
  /** Numeric id, as Statistics Norway's `/statbank/sq/{id}`. */
  id: string;
  tableId: string;
  language: string;
  /** The API v1 query (the `query` array of a POST body) and its format. */
  query: V1QueryItem[];
  format: string;
  /** Only created on a table this accepts (the demo's own, not an imported table with the same id). */
  appliesTo(meta: TableMeta): boolean;
}

/** A table written by the demo generator. */
export function isDemoTable(meta: TableMeta): boolean {
  return meta.source?.no === DEMO_SOURCE.no;
}

export const DEMO_SAVED_QUERIES: DemoSavedQuery[] = [
  {
    id: '10007797',
    tableId: '07459',
    language: 'no',
    query: [
      { code: 'Region', selection: { filter: 'item', values: ['0301', '1103'] } },
      { code: 'ContentsCode', selection: { filter: 'item', values: ['Personer1'] } },
      { code: 'Tid', selection: { filter: 'top', values: ['5'] } },
    ],
    format: 'json-stat2',
    appliesTo: isDemoTable,
  },
];
