// The one source of format facts: per format its id, file extension, content type per API (with the charset the
// bytes are in), the APIs that offer it, the v2 outputFormatParams it accepts, whether it streams, and its
// serializer. API v1 (`response.format`), API v2 (`outputFormat`), Statbank pages, the CLI and the web app all ask
// here. Adding a format = one serializer file + one entry in FORMATS.

import { csv2Serializer, csv3Serializer, csvSerializer } from './csv.js';
import { htmlSerializer } from './html.js';
import { jsonStat1Serializer } from './jsonStat1.js';
import { jsonStat2Serializer } from './jsonStat2.js';
import { parquetSerializer } from './parquet.js';
import { pxSerializer } from './px/writer.js';
import { pxJsonSerializer } from './pxJson.js';
import { sdmxSerializer } from './sdmx.js';
import { DEFAULT_CODEPAGE } from './encoding.js';
import type { Cube } from '../core/model.js';
import { ARROW_CONTENT_TYPE, type SerializeOptions, type SerializedBody, type SerializedStream, type Serializer } from './serializer.js';
import { XLSX_CONTENT_TYPE, xlsxSerializer } from './xlsx.js';
import { paced } from './streaming.js';
import { FORMAT_FACTS, formatIds, type Api, type FormatFacts } from './formatFacts.js';

/** apache-arrow costs ~300 ms of CPU to load: a server loads it with its first Arrow answer, not at start-up. */
const lazyArrow: Serializer = {
  id: 'arrow',
  serialize: async (cube: Cube, options: SerializeOptions) => (await import('./arrow.js')).arrowSerializer.serialize(cube, options),
};

export type { Api } from './formatFacts.js';
export { LABEL_PARAMS, TITLE_PARAMS, SEPARATOR_PARAMS, formatIds, formatParams } from './formatFacts.js';

export interface FormatInfo extends FormatFacts {
  /**
   * The Content-Type an API answers with, given the charset the bytes were written in (text formats: the codepage
   * the writer chose; JSON is always UTF-8). Without a charset: the format's usual one.
   */
  contentType(api: Api, charset?: string): string;
  /** Has a streaming writer (serializer.stream). */
  streaming: boolean;
  /** Text written in the table's codepage (falls back to UTF-8 when the codepage cannot hold the texts). */
  codepageText: boolean;
  /** The writer (without the API dialect filled in: use getSerializer for that). */
  serializer: Serializer;
  /** Rough output bytes per cell, for estimateOutputBytes. */
  bytesPerCell: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const V1_LEGACY_CHARSET = 'Windows-1252';

/**
 * v1 answers name Windows-1252 as Statistics Norway's do when the bytes are Latin-1 text (a subset of it); bytes in
 * another codepage (UTF-8 after a fallback, windows-1251 ...) say which.
 */
function v1Charset(charset: string | undefined): string {
  const c = charset?.toLowerCase();
  return !c || c === 'windows-1252' || c === 'iso-8859-1' || c === 'us-ascii' ? V1_LEGACY_CHARSET : c;
}

/** v2 `json-px` is PX-JSON (v1 `json`) under another name. */
const jsonPxSerializer: Serializer = { id: 'json-px', serialize: (cube, options) => pxJsonSerializer.serialize(cube, options) };

/** What the registry adds to a format's facts (formatFacts.ts): how it is written. */
type Entry = Pick<FormatInfo, 'id' | 'contentType' | 'codepageText' | 'serializer' | 'bytesPerCell'>;

const csvType = (api: Api, charset?: string) => 'text/csv; charset=' + (api === 'v1' ? v1Charset(charset) : (charset ?? DEFAULT_CODEPAGE));

const FORMATS: Entry[] = [
  { id: 'json-stat', contentType: () => JSON_TYPE, codepageText: false, serializer: jsonStat1Serializer, bytesPerCell: 12 },
  { id: 'json-stat2', contentType: () => JSON_TYPE, codepageText: false, serializer: jsonStat2Serializer, bytesPerCell: 12 },
  { id: 'csv', contentType: csvType, codepageText: true, serializer: csvSerializer, bytesPerCell: 12 },
  { id: 'csv2', contentType: csvType, codepageText: true, serializer: csv2Serializer, bytesPerCell: 60 },
  { id: 'csv3', contentType: csvType, codepageText: true, serializer: csv3Serializer, bytesPerCell: 40 },
  { id: 'json', contentType: () => JSON_TYPE, codepageText: false, serializer: pxJsonSerializer, bytesPerCell: 60 },
  {
    id: 'px',
    // v2 names the file's codepage as PxWebApi does (`application/octet-stream; charset=<codepage>`)
    contentType: (api, charset) => 'application/octet-stream; charset=' + (api === 'v1' ? v1Charset(charset) : (charset ?? DEFAULT_CODEPAGE)),
    codepageText: true,
    serializer: pxSerializer,
    bytesPerCell: 10,
  },
  {
    id: 'xlsx',
    contentType: (api) => (api === 'v1' ? XLSX_CONTENT_TYPE + '; charset=' + V1_LEGACY_CHARSET : XLSX_CONTENT_TYPE),
    codepageText: false,
    serializer: xlsxSerializer,
    bytesPerCell: 8,
  },
  { id: 'sdmx', contentType: () => 'text/xml; charset=' + V1_LEGACY_CHARSET, codepageText: false, serializer: sdmxSerializer, bytesPerCell: 200 },
  {
    id: 'html',
    contentType: (_api, charset) => 'text/html; charset=' + (charset ?? DEFAULT_CODEPAGE),
    codepageText: true,
    serializer: htmlSerializer,
    bytesPerCell: 20,
  },
  { id: 'json-px', contentType: () => JSON_TYPE, codepageText: false, serializer: jsonPxSerializer, bytesPerCell: 60 },
  { id: 'parquet', contentType: () => 'application/octet-stream', codepageText: false, serializer: parquetSerializer, bytesPerCell: 3 },
  { id: 'arrow', contentType: () => ARROW_CONTENT_TYPE, codepageText: false, serializer: lazyArrow, bytesPerCell: 10 },
];

const BY_ID = new Map<string, FormatInfo>(
  FORMAT_FACTS.map((facts) => {
    const e = FORMATS.find((x) => x.id === facts.id);
    if (!e) throw new Error(`format ${facts.id} has no serializer in the registry`);
    return [facts.id, { ...facts, ...e, streaming: typeof e.serializer.stream === 'function' }];
  }),
);

/** Every format, in registry order. */
export function listFormats(): FormatInfo[] {
  return [...BY_ID.values()];
}

/** Facts of format `id` (case-insensitive), or undefined. */
export function formatInfo(id: string): FormatInfo | undefined {
  return BY_ID.get(String(id ?? '').toLowerCase());
}

/** The content type of format `id` in `api` for bytes in `charset` (see FormatInfo.contentType). */
export function contentTypeOf(id: string, api: Api, charset?: string): string | undefined {
  const f = formatInfo(id);
  return f && f.apis.includes(api) ? f.contentType(api, charset) : undefined;
}

/** The content types API v1 answers with, per format (what V1_CONTENT_TYPES held). */
export function v1ContentTypes(): Record<string, string> {
  return Object.fromEntries(formatIds('v1').map((id) => [id, BY_ID.get(id)!.contentType('v1')]));
}

/** The dialect a format is written in for an API: the CLI writes v1-only formats as v1, the rest as v2. */
function dialect(info: FormatInfo, api: Api): 'v1' | 'v2' {
  if (api !== 'cli') return api;
  return info.apis.includes('v2') || info.id === 'arrow' ? 'v2' : 'v1';
}

/** A charset name from a content type ("text/csv; charset=utf-8" -> "utf-8"). */
function charsetOf(contentType: string): string | undefined {
  return /;\s*charset=([^;\s]+)/i.exec(contentType)?.[1];
}

/**
 * The serializer for format `id` (case-insensitive) in `api`, or undefined when the API has no such format. The
 * returned serializer fills `options.api` so dialect differences follow the API, and answers with the API's content
 * type for the charset the writer actually used.
 */
export function getSerializer(id: string, api: Api): Serializer | undefined {
  const info = formatInfo(id);
  if (!info || !info.apis.includes(api)) return undefined;
  const s = info.serializer;
  const d = dialect(info, api);
  // text in a codepage: the API's type for the charset the writer chose; other formats keep the writer's own
  const typed = (contentType: string) => (api !== 'cli' && info.codepageText ? info.contentType(api, charsetOf(contentType)) : contentType);
  const out: Serializer = {
    id: s.id,
    serialize: (cube, options) => {
      const r = s.serialize(cube, { ...options, api: d });
      const fix = (b: SerializedBody): SerializedBody => ({ ...b, contentType: typed(b.contentType) });
      return r instanceof Promise ? r.then(fix) : fix(r);
    },
    estimateBytes: (cube, options) => estimateOutputBytes(info.id, cube, { ...options, api: d }),
  };
  if (s.stream) {
    const stream = s.stream.bind(s);
    out.stream = (cube, options) => {
      const r = stream(cube, { ...options, api: d });
      return { ...r, contentType: typed(r.contentType) };
    };
  }
  return out;
}

/** A body as chunks: the serializer's own stream when it has one, else serialize() as one chunk (lazily). */
export function streamBody(serializer: Serializer, cube: Cube, options: SerializeOptions): SerializedStream {
  if (serializer.stream) return serializer.stream(cube, options);
  // the content type is only known after serialize(): run it lazily, but report the format's usual type
  const info = formatInfo(serializer.id);
  let pending: ReturnType<Serializer['serialize']> | undefined;
  const once = async function* (): AsyncGenerator<Buffer> {
    pending ??= serializer.serialize(cube, options);
    yield (await pending).body;
  };
  return {
    contentType: info?.contentType(options.api ?? 'v2') ?? 'application/octet-stream',
    extension: info?.extension ?? serializer.id,
    chunks: paced(once(), options.signal),
  };
}

/** Rough output size of format `formatId` for `cube` (admission control; 0 for an unknown format). */
export function estimateOutputBytes(formatId: string, cube: Cube, options: SerializeOptions): number {
  const info = formatInfo(formatId);
  if (!info) return 0;
  const own = info.serializer.estimateBytes;
  if (own) return own.call(info.serializer, cube, options);
  let labels = 0;
  for (const v of cube.meta.variables) labels += v.values.length * 24;
  return Math.round(cube.values.length * info.bytesPerCell + labels + 4096);
}
