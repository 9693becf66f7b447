// JSON-stat 1.2 bundle as PxWeb API v1 answers `"format":"json-stat"`: `{"dataset":{...}}` with
// `id`, `size` and `role` inside `dimension`. When any cell has a status, PxWeb's derived class puts
// `status` first and drops `extension` (§2.5).

import type { Cube, TableMeta } from '../core/model.js';
import { contentsOf, presentationOf, tx, updatedOf, valueLabel, varName } from './cubeText.js';
import { JSON_CONTENT_TYPE_V1 } from './jsonStat2.js';
import { cellStatusMap, writeStatusObject, writeValueArray } from './jsonStatCells.js';
import { JsonWriter } from './jsonWriter.js';
import { decimalsFor } from './numberFormat.js';
import type { SerializeOptions, SerializedBody, Serializer } from './serializer.js';
import { generatedTitle } from './title.js';

function roles(meta: TableMeta): [string, string[]][] {
  const out = new Map<string, string[]>();
  for (const v of meta.variables) {
    const role = v.role === 'contents' ? 'metric' : v.role === 'time' ? 'time' : v.role === 'geo' || v.map ? 'geo' : undefined;
    if (!role) continue;
    if (!out.has(role)) out.set(role, []);
    out.get(role)!.push(v.code);
  }
  return [...out];
}

export function jsonStat1Bundle(cube: Cube, options: Pick<SerializeOptions, 'lang' | 'timeZone'>): Buffer {
  const { meta } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const w = new JsonWriter(cube.values.length * 8 + 16384);
  const status = cellStatusMap(cube, lang);
  const contents = contentsOf(meta)?.variable;

  w.beginObject().key('dataset').beginObject();
  if (status) {
    w.key('status');
    writeStatusObject(w, status);
  }
  w.key('dimension').beginObject();
  for (const v of meta.variables) {
    w.key(v.code).beginObject();
    w.prop('label', varName(meta, v, lang));
    w.key('category').beginObject();
    w.key('index').beginObject();
    v.values.forEach((x, i) => w.key(x.code).number(i));
    w.endObject();
    w.key('label').beginObject();
    for (const x of v.values) w.key(x.code).string(valueLabel(meta, x, lang));
    w.endObject();
    if (v === contents) {
      w.key('unit').beginObject();
      for (const x of v.values) {
        w.key(x.code).beginObject();
        w.prop('base', tx(meta, meta.contentInfo?.[x.code]?.unit, lang));
        w.prop('decimals', decimalsFor(meta, x.code, x.precision));
        w.endObject();
      }
      w.endObject();
    }
    w.endObject();
    w.key('extension').beginObject().prop('show', presentationOf(v)).endObject();
    w.endObject();
  }
  w.key('id').beginArray();
  for (const v of meta.variables) w.string(v.code);
  w.endArray();
  w.key('size').beginArray();
  for (const v of meta.variables) w.number(v.values.length);
  w.endArray();
  const r = roles(meta);
  if (r.length) {
    w.key('role').beginObject();
    for (const [k, codes] of r) {
      w.key(k).beginArray();
      for (const c of codes) w.string(c);
      w.endArray();
    }
    w.endObject();
  }
  w.endObject(); // dimension

  w.prop('label', generatedTitle(meta, lang));
  const source = tx(meta, meta.source, lang);
  if (source) w.prop('source', source);
  w.prop('updated', updatedOf(meta, options.timeZone));
  w.key('value');
  writeValueArray(w, cube);
  if (!status) {
    w.key('extension').beginObject().key('px').beginObject();
    if (meta.infoFile) w.prop('infofile', meta.infoFile);
    w.prop('tableid', meta.id);
    w.prop('decimals', meta.showDecimals !== undefined && meta.showDecimals >= 0 ? meta.showDecimals : meta.decimals);
    w.endObject().endObject();
  }
  w.endObject().endObject();
  return w.toBuffer();
}

export const jsonStat1Serializer: Serializer = {
  id: 'json-stat',
  serialize(cube: Cube, options: SerializeOptions): SerializedBody {
    return { body: jsonStat1Bundle(cube, options), contentType: JSON_CONTENT_TYPE_V1, extension: 'json' };
  },
};
