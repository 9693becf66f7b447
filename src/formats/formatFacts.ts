// The facts of every output format that need no writer: ids, file extensions, which APIs offer them and in what
// order, and the v2 outputFormatParams each accepts. The registry (registry.ts) binds each id to its serializer;
// this file stays light so the CLI's --help, the OpenAPI document and parameter checks can read it without loading
// any writer. Adding a format: a serializer file, its facts here and its serializer in the registry.

export type Api = 'v1' | 'v2' | 'cli';

/** v2 outputFormatParams, in the spelling of the API. */
export const LABEL_PARAMS = ['UseCodes', 'UseTexts', 'UseCodesAndTexts'] as const;
export const TITLE_PARAMS = ['IncludeTitle'] as const;
export const SEPARATOR_PARAMS = ['SeparatorTab', 'SeparatorSpace', 'SeparatorSemicolon'] as const;
export const ALL_V2_PARAMS: readonly string[] = [...LABEL_PARAMS, ...TITLE_PARAMS, ...SEPARATOR_PARAMS];
const LABEL_TITLE: readonly string[] = [...LABEL_PARAMS, ...TITLE_PARAMS];

export interface FormatFacts {
  id: string;
  /** File extension without the dot. */
  extension: string;
  /** The APIs that offer this format. */
  apis: readonly Api[];
  /** v2 outputFormatParams the format accepts (empty: none). */
  params: readonly string[];
}

export const FORMAT_FACTS: readonly FormatFacts[] = [
  { id: 'json-stat', extension: 'json', apis: ['v1', 'cli'], params: [] },
  { id: 'json-stat2', extension: 'json', apis: ['v1', 'v2', 'cli'], params: [] },
  { id: 'csv', extension: 'csv', apis: ['v1', 'v2', 'cli'], params: ALL_V2_PARAMS },
  { id: 'csv2', extension: 'csv', apis: ['v1'], params: [] },
  { id: 'csv3', extension: 'csv', apis: ['v1'], params: [] },
  { id: 'json', extension: 'json', apis: ['v1'], params: [] },
  { id: 'px', extension: 'px', apis: ['v1', 'v2', 'cli'], params: [] },
  { id: 'xlsx', extension: 'xlsx', apis: ['v1', 'v2', 'cli'], params: LABEL_TITLE },
  { id: 'sdmx', extension: 'xml', apis: ['v1'], params: [] },
  { id: 'html', extension: 'html', apis: ['v2', 'cli'], params: LABEL_TITLE },
  { id: 'json-px', extension: 'json', apis: ['v2', 'cli'], params: LABEL_TITLE },
  { id: 'parquet', extension: 'parquet', apis: ['v2', 'cli'], params: [] },
  { id: 'arrow', extension: 'arrow', apis: ['cli'], params: [] },
];

/** Each API's formats in its documented order (v2: the reference order json-stat2, csv, px, then the extras). */
export const FORMAT_ORDER: Readonly<Record<Api, readonly string[]>> = {
  v1: ['json-stat', 'json-stat2', 'csv', 'csv2', 'csv3', 'json', 'px', 'xlsx', 'sdmx'],
  v2: ['json-stat2', 'csv', 'px', 'xlsx', 'html', 'json-px', 'parquet'],
  cli: ['px', 'json-stat2', 'json-stat', 'csv', 'xlsx', 'html', 'json-px', 'parquet', 'arrow'],
};

for (const api of Object.keys(FORMAT_ORDER) as Api[]) {
  // the order lists and the entries' apis must agree
  const offered = FORMAT_FACTS.filter((f) => f.apis.includes(api)).map((f) => f.id);
  if (offered.length !== FORMAT_ORDER[api].length || offered.some((id) => !FORMAT_ORDER[api].includes(id))) throw new Error(`format order of ${api} out of date`);
}

/** Format ids an API offers, in its documented order. */
export function formatIds(api: Api): string[] {
  return [...FORMAT_ORDER[api]];
}

export function formatFacts(id: string): FormatFacts | undefined {
  const l = String(id ?? '').toLowerCase();
  return FORMAT_FACTS.find((f) => f.id === l);
}

/** The v2 outputFormatParams format `id` accepts. */
export function formatParams(id: string): readonly string[] {
  return formatFacts(id)?.params ?? [];
}

/** The format a file extension means for the CLI (the first in its order with that extension). */
export function formatOfExtension(ext: string): string | undefined {
  const e = ext.replace(/^\./, '').toLowerCase();
  return FORMAT_ORDER.cli.find((id) => formatFacts(id)!.extension === e);
}
