// PX-JSON: API v1 `json` (and v2 `json-px`). Every non-contents variable is a key column
// (type "t" for time, "d" otherwise), every contents value a data column (type "c"); values are
// strings with exactly the shown decimals, symbols for missing cells (§2.5).

import { Status, type Cube, type TableMeta } from '../core/model.js';
import { advance, comboOffsets, contentsOf, noteTexts, symbolTexts, tx, updatedOf, valueLabel, varName } from './cubeText.js';
import { JSON_CONTENT_TYPE_V1, JSON_CONTENT_TYPE_V2 } from './jsonStat2.js';
import { JsonWriter, jsonString } from './jsonWriter.js';
import { MAX_NUMBER_BYTES, decimalsFor, roundingRule, writeFixed } from './numberFormat.js';
import type { SerializeOptions, SerializedBody, Serializer } from './serializer.js';
import { generatedTitle } from './title.js';

/** Notes as PxWeb prints them into a comment: each followed by CRLF. */
function comment(meta: TableMeta, notes: Parameters<typeof noteTexts>[1], lang: string): string | undefined {
  const texts = noteTexts(meta, notes, lang);
  return texts.length ? texts.map((t) => t + '\r\n').join('') : undefined;
}

export function pxJson(cube: Cube, options: Pick<SerializeOptions, 'lang' | 'timeZone'>): Buffer {
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const rule = roundingRule(meta);
  const contents = contentsOf(meta);
  const keyPos = meta.variables.map((_, i) => i).filter((i) => i !== contents?.pos);
  const w = new JsonWriter(values.length * 10 + 16384);

  w.beginObject();
  w.key('columns').beginArray();
  for (const p of keyPos) {
    const v = meta.variables[p];
    w.beginObject().prop('code', v.code).prop('text', varName(meta, v, lang));
    w.prop('comment', comment(meta, v.notes, lang));
    w.prop('type', v.role === 'time' ? 't' : 'd').endObject();
  }
  const dataCols: { code: string; decimals: number }[] = [];
  if (contents) {
    for (const x of contents.variable.values) {
      w.beginObject().prop('code', x.code).prop('text', valueLabel(meta, x, lang));
      w.prop('comment', comment(meta, x.notes, lang));
      w.prop('type', 'c').endObject();
      dataCols.push({ code: x.code, decimals: decimalsFor(meta, x.code, x.precision) });
    }
  } else {
    w.beginObject().prop('code', meta.matrix ?? meta.id).prop('text', tx(meta, meta.contents, lang)).prop('type', 'c').endObject();
    dataCols.push({ code: meta.matrix ?? meta.id, decimals: decimalsFor(meta) });
  }
  w.endArray();

  const comments: { variable: string; value: string; comment: string }[] = [];
  for (const v of meta.variables) {
    for (const x of v.values) {
      const c = comment(meta, x.notes, lang);
      if (c) comments.push({ variable: v.code, value: x.code, comment: c });
    }
  }
  // always present, [] when empty: R pxweb asserts the name and SCB sends an empty list
  w.key('comments').beginArray();
  for (const c of comments) w.beginObject().prop('variable', c.variable).prop('value', c.value).prop('comment', c.comment).endObject();
  w.endArray();

  // data rows: one per combination of the key variables; keys are pre-encoded per value
  const keyBytes = keyPos.map((p) => meta.variables[p].values.map((x) => Buffer.from(jsonString(x.code), 'utf8')));
  const keySizes = keyPos.map((p) => meta.variables[p].values.length);
  const rowOffsets = comboOffsets(meta, keyPos);
  const colOffsets = contents ? comboOffsets(meta, [contents.pos]) : Float64Array.of(0);
  const symbols = symbolTexts(meta, lang).map((s) => Buffer.from(jsonString(s), 'utf8'));
  const OPEN = Buffer.from('{"key":[');
  const MID = Buffer.from('],"values":[');
  const CLOSE = Buffer.from(']}');
  const counter = new Int32Array(keyPos.length);
  w.key('data').beginArray();
  for (let r = 0; r < rowOffsets.length; r++) {
    let need = OPEN.length + MID.length + CLOSE.length + 1 + dataCols.length * (MAX_NUMBER_BYTES + 3);
    for (let k = 0; k < keyPos.length; k++) need += keyBytes[k][counter[k]].length + 1;
    w.ensure(need);
    const buf = w.buf;
    let pos = w.pos;
    if (r) buf[pos++] = 0x2c;
    pos += OPEN.copy(buf, pos);
    for (let k = 0; k < keyPos.length; k++) {
      if (k) buf[pos++] = 0x2c;
      pos += keyBytes[k][counter[k]].copy(buf, pos);
    }
    pos += MID.copy(buf, pos);
    for (let c = 0; c < dataCols.length; c++) {
      if (c) buf[pos++] = 0x2c;
      const at = rowOffsets[r] + colOffsets[c];
      const s = status === null ? 0 : status[at];
      if (s !== Status.Value) pos += (symbols[s] ?? symbols[Status.Dot2]).copy(buf, pos);
      else {
        buf[pos++] = 0x22;
        pos = writeFixed(buf, pos, values[at], dataCols[c].decimals, rule);
        buf[pos++] = 0x22;
      }
    }
    pos += CLOSE.copy(buf, pos);
    w.pos = pos;
    if (keyPos.length) advance(counter, keySizes);
  }
  w.endArray();

  w.key('metadata').beginArray().beginObject();
  if (meta.infoFile) w.prop('infofile', meta.infoFile);
  w.prop('updated', updatedOf(meta, options.timeZone));
  w.prop('label', generatedTitle(meta, lang));
  w.prop('source', tx(meta, meta.source, lang));
  w.endObject().endArray();
  w.endObject();
  return w.toBuffer();
}

export const pxJsonSerializer: Serializer = {
  id: 'json',
  serialize(cube: Cube, options: SerializeOptions): SerializedBody {
    return {
      body: pxJson(cube, options),
      contentType: options.api === 'v2' ? JSON_CONTENT_TYPE_V2 : JSON_CONTENT_TYPE_V1,
      extension: 'json',
    };
  },
};
