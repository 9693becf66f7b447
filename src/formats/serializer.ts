// The serializer port: one implementation per output format, shared by API v1, API v2,
// saved queries, the CLI and the web app. A serializer writes a result Cube (the output of
// core/engine.evaluate, whose meta lists exactly the returned variables and values).

import type { Cube } from '../core/model.js';

export type CodesOrTexts = 'codes' | 'texts' | 'codesAndTexts';

export interface SerializeOptions {
  /** Language of texts. */
  lang: string;
  /** Dialect for formats that differ between the APIs (e.g. json-stat2 details, csv layout). */
  api?: 'v1' | 'v2' | 'cli';
  /** v2 outputFormatParams */
  labels?: CodesOrTexts;
  includeTitle?: boolean;
  separator?: 'comma' | 'tab' | 'space' | 'semicolon';
  /** Text formats: write numbers with a decimal comma (Norwegian CSV dialect of ready-made datasets). */
  decimalComma?: boolean;
  /** Absolute base URL of the server, for links inside documents. */
  baseUrl?: string;
  /** Line ending for text formats (default CRLF as Statistics Norway serves). */
  newline?: '\r\n' | '\n';
  /**
   * The office's IANA time zone: PX dates without a zone (LAST-UPDATED ...) are local times there. JSON answers show
   * them in UTC, PX files in local time. Default Europe/Oslo.
   */
  timeZone?: string;
  /** Streaming writers stop between chunks when this is aborted (and throw its reason). */
  signal?: AbortSignal;
}

export interface SerializedBody {
  body: Buffer;
  contentType: string;
  /** File extension without dot, for Content-Disposition. */
  extension: string;
}

/** A body written piece by piece: memory stays bounded whatever the size of the result. */
export interface SerializedStream {
  /** With the charset actually used (e.g. `text/csv; charset=utf-8` after a codepage fallback). */
  contentType: string;
  extension: string;
  /** Chunks of roughly 64 KB-1 MB, produced lazily; stops when the consumer stops or options.signal aborts. */
  chunks: AsyncIterable<Buffer>;
}

/** Arrow IPC files (arrow.ts writes them; the registry names the type without loading apache-arrow). */
export const ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.file';

export interface Serializer {
  id: string;
  /** The whole body at once (small answers, tests). */
  serialize(cube: Cube, options: SerializeOptions): SerializedBody | Promise<SerializedBody>;
  /** Streaming formats: the same bytes as serialize(), in chunks. */
  stream?(cube: Cube, options: SerializeOptions): SerializedStream;
  /** Rough output size in bytes, for admission control. */
  estimateBytes?(cube: Cube, options: SerializeOptions): number;
}
