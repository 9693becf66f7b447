// CSV as Klass writes it (Jackson CsvMapper): a quoted header, every string quoted with embedded quotes doubled,
// null as an empty unquoted field, "\n" line ends, no BOM. Fields that are absent (undefined) at the end of a row
// are left out (OMIT_MISSING_TAIL_COLUMNS). An empty list gives an empty body (the header is written lazily).

import { quote } from '../../formats/csv.js';

export type CsvValue = string | number | boolean | null | undefined;

function field(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? quote(v) : String(v);
}

export function writeCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, CsvValue>>, separator: string): string {
  if (rows.length === 0) return '';
  const out: string[] = [columns.map((c) => field(c)).join(separator)];
  for (const row of rows) {
    const values = columns.map((c) => row[c]);
    let n = values.length;
    while (n > 0 && values[n - 1] === undefined) n--;
    out.push(values.slice(0, n).map(field).join(separator));
  }
  return out.join('\n') + '\n';
}

/** Notes in CSV: line breaks become spaces and double quotes single quotes (Excel trips on both). */
export function csvNotes(notes: string | null): string | null {
  return notes === null ? null : notes.replace(/\r\n|\r|\n/g, ' ').replaceAll('"', "'");
}

export const CODE_COLUMNS = ['code', 'parentCode', 'level', 'name', 'shortName', 'presentationName', 'validFrom', 'validTo', 'notes'] as const;
export const RANGED_CODE_COLUMNS = [
  'code',
  'parentCode',
  'level',
  'name',
  'shortName',
  'presentationName',
  'validFrom',
  'validTo',
  'validFromInRequestedRange',
  'validToInRequestedRange',
  'notes',
] as const;
export const CORRESPONDENCE_COLUMNS = ['sourceCode', 'sourceName', 'sourceShortName', 'targetCode', 'targetName', 'targetShortName'] as const;
export const RANGED_CORRESPONDENCE_COLUMNS = [...CORRESPONDENCE_COLUMNS, 'validFrom', 'validTo'] as const;
export const CHANGE_COLUMNS = ['oldCode', 'oldName', 'oldShortName', 'newCode', 'newName', 'newShortName', 'changeOccurred'] as const;
/** /versions/{id} and /variants/{id} items, separator always ";". */
export const ITEM_COLUMNS = ['code', 'parentCode', 'level', 'name', 'shortName', 'notes', 'validFrom', 'validTo'] as const;
/** /correspondencetables/{id} maps, separator always ";". */
export const MAP_COLUMNS = ['sourceCode', 'sourceName', 'targetCode', 'targetName'] as const;
