// Format ids -> serializers, per API. API v1 (`response.format`), API v2 (`outputFormat`), saved
// queries, the CLI and the web app all pick their writer here.

import { csv2Serializer, csv3Serializer, csvSerializer } from './csv.js';
import { htmlSerializer } from './html.js';
import { jsonStat1Serializer } from './jsonStat1.js';
import { jsonStat2Serializer } from './jsonStat2.js';
import { parquetSerializer } from './parquet.js';
import { pxSerializer } from './px/writer.js';
import { pxJsonSerializer } from './pxJson.js';
import { sdmxSerializer } from './sdmx.js';
import type { Serializer } from './serializer.js';
import { xlsxSerializer } from './xlsx.js';

export type Api = 'v1' | 'v2';

/** v2 `json-px` is PX-JSON (v1 `json`) under another name. */
const jsonPxSerializer: Serializer = { id: 'json-px', serialize: (cube, options) => pxJsonSerializer.serialize(cube, options) };

const V1: Record<string, Serializer> = {
  'json-stat': jsonStat1Serializer,
  'json-stat2': jsonStat2Serializer,
  csv: csvSerializer,
  csv2: csv2Serializer,
  csv3: csv3Serializer,
  json: pxJsonSerializer,
  px: pxSerializer,
  xlsx: xlsxSerializer,
  sdmx: sdmxSerializer,
};

const V2: Record<string, Serializer> = {
  'json-stat2': jsonStat2Serializer,
  csv: csvSerializer,
  xlsx: xlsxSerializer,
  html: htmlSerializer,
  px: pxSerializer,
  'json-px': jsonPxSerializer,
  parquet: parquetSerializer,
};

/** Format ids an API offers, in its documented order. */
export function formatIds(api: Api): string[] {
  return Object.keys(api === 'v1' ? V1 : V2);
}

/**
 * The serializer for format `id` (case-insensitive) in `api`, or undefined when the API has no
 * such format. The returned serializer fills `options.api` so dialect differences follow the API.
 */
export function getSerializer(id: string, api: Api): Serializer | undefined {
  const table = api === 'v1' ? V1 : V2;
  const key = String(id ?? '').toLowerCase();
  const s = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  if (!s) return undefined;
  return { id: s.id, serialize: (cube, options) => s.serialize(cube, { ...options, api }) };
}
