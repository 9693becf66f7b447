// The serializer port: one implementation per output format, shared by API v1, API v2,
// saved queries, the CLI and the web app. A serializer writes a result Cube (the output of
// core/engine.evaluate, whose meta lists exactly the returned variables and values).

import type { Cube } from '../core/model.js';

export type CodesOrTexts = 'codes' | 'texts' | 'codesAndTexts';

export interface SerializeOptions {
  /** Language of texts. */
  lang: string;
  /** Dialect for formats that differ between the APIs (e.g. json-stat2 details, csv layout). */
  api?: 'v1' | 'v2';
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
}

export interface SerializedBody {
  body: Buffer;
  contentType: string;
  /** File extension without dot, for Content-Disposition. */
  extension: string;
}

export interface Serializer {
  id: string;
  serialize(cube: Cube, options: SerializeOptions): SerializedBody | Promise<SerializedBody>;
}
