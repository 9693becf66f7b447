// JSON-stat 2.0 as PxWebApi 2.0 writes it: the data document (§3.8.1; also API v1 `json-stat2`)
// and the table metadata document (§3.5, `"value":[]`). Key order follows the PxWeb DTOs exactly;
// every code-keyed dictionary is written in value order.

import { text, type ContentInfo, type Cube, type TableMeta, type Variable } from '../core/model.js';
import {
  contentsOf,
  extraKeyword,
  presentationOf,
  splitNote,
  tx,
  updatedOf,
  valueLabel,
  varName,
} from './cubeText.js';
import { parseContacts, type Contact } from './contact.js';
import { JsonWriter } from './jsonWriter.js';
import { cellStatusMap, statusObjectChunks, valueArrayChunks } from './jsonStatCells.js';
import { decimalsFor } from './numberFormat.js';
import type { SerializeOptions, SerializedBody, SerializedStream, Serializer } from './serializer.js';
import { CHUNK_BYTES, paced } from './streaming.js';
import { generatedTitle, tableTitle } from './title.js';
import { toUtcIso } from './timeZone.js';

export const JSON_CONTENT_TYPE_V2 = 'application/json; charset=UTF-8';
export const JSON_CONTENT_TYPE_V1 = 'application/json; charset=utf-8';

/** Id, label and category code of the dimension PxWeb adds when a table has no contents variable. */
export const ELIMINATED_CONTENTS = { id: 'ContentsCode', label: 'EliminatedContents', value: 'EliminatedValue' } as const;

export interface JsonStat2MetadataOptions {
  lang: string;
  /** API root for codelist links, e.g. "https://host/api/v2" (links are left out without it). */
  baseUrl?: string;
  /** Root `label`; defaults to the table title. */
  label?: string;
  /** The office's time zone for PX dates without a zone (default Europe/Oslo). */
  timeZone?: string;
}

type Mode = 'data' | 'metadata';

const MEASURING: Record<string, string> = { S: 'Stock', F: 'Flow', A: 'Average' };
const PRICE: Record<string, string> = { C: 'Current', F: 'Fixed' };

function measuringType(ci?: ContentInfo): string {
  return (ci?.stockFa && MEASURING[ci.stockFa.toUpperCase()]) || 'Other';
}
function priceType(ci?: ContentInfo): string {
  return (ci?.cfPrices && PRICE[ci.cfPrices.toUpperCase()]) || 'NotApplicable';
}
function adjustment(ci?: ContentInfo): string {
  const day = !!ci?.dayAdj;
  const ses = !!ci?.seasAdj;
  return day && ses ? 'WorkAndSes' : day ? 'WorkOnly' : ses ? 'SesOnly' : 'None';
}

/** `{"<idx>":true}` for the mandatory notes of a list, or undefined when none is. */
function writeMandatory(w: JsonWriter, key: string, mandatory: boolean[]): void {
  if (!mandatory.some(Boolean)) return;
  w.key(key).beginObject();
  mandatory.forEach((m, i) => {
    if (m) w.key(String(i)).bool(true);
  });
  w.endObject();
}

/** Notes with a non-empty text in `lang` (one per `##` paragraph), with their mandatory flags. */
function notesOf(meta: TableMeta, notes: Variable['notes'], lang: string): { texts: string[]; mandatory: boolean[] } {
  const texts: string[] = [];
  const mandatory: boolean[] = [];
  for (const n of notes ?? []) {
    for (const s of splitNote(tx(meta, n.text, lang))) {
      texts.push(s);
      mandatory.push(n.mandatory);
    }
  }
  return { texts, mandatory };
}

function writeStringArray(w: JsonWriter, items: readonly string[]): void {
  w.beginArray();
  for (const s of items) w.string(s);
  w.endArray();
}

/** A `{code: text}` object over the contents values that have a text. */
function writeContentsMap(w: JsonWriter, key: string, entries: [string, string | undefined][]): void {
  const have = entries.filter((e) => e[1] !== undefined && e[1] !== '');
  if (!have.length) return;
  w.key(key).beginObject();
  for (const [c, s] of have) w.key(c).string(s!);
  w.endObject();
}

function codelistId(prefix: string, id: string): string {
  return id.startsWith(prefix) ? id : prefix + id;
}

function writeCodelists(w: JsonWriter, meta: TableMeta, v: Variable, opts: JsonStat2MetadataOptions): void {
  w.key('codelists').beginArray();
  const entries: { id: string; label: string; type: string }[] = [];
  for (const g of v.groupings ?? []) entries.push({ id: codelistId('agg_', g.id), label: tx(meta, g.label, opts.lang), type: 'Aggregation' });
  for (const s of v.valueSets ?? []) {
    if (s.id === '_ALL_') continue;
    entries.push({ id: codelistId('vs_', s.id), label: tx(meta, s.label, opts.lang), type: 'Valueset' });
  }
  for (const e of entries) {
    w.beginObject().prop('id', e.id).prop('label', e.label).prop('type', e.type);
    if (opts.baseUrl) {
      const href = `${opts.baseUrl.replace(/\/+$/, '')}/codeLists/${encodeURIComponent(e.id)}?lang=${encodeURIComponent(opts.lang)}`;
      w.key('links').beginArray().beginObject().prop('rel', 'metadata').prop('hreflang', opts.lang).prop('href', href).endObject().endArray();
    }
    w.endObject();
  }
  w.endArray();
}

function writeDimension(w: JsonWriter, meta: TableMeta, v: Variable, mode: Mode, opts: JsonStat2MetadataOptions): void {
  const lang = opts.lang;
  const isContents = v.role === 'contents';
  w.key(v.code).beginObject();
  w.prop('label', varName(meta, v, lang));
  const vnotes = notesOf(meta, v.notes, lang);
  if (vnotes.texts.length) {
    w.key('note');
    writeStringArray(w, vnotes.texts);
  }

  w.key('category').beginObject();
  w.key('index').beginObject();
  v.values.forEach((x, i) => w.key(x.code).number(i));
  w.endObject();
  w.key('label').beginObject();
  for (const x of v.values) w.key(x.code).string(valueLabel(meta, x, lang));
  w.endObject();
  const valueNotes = v.values.map((x) => ({ code: x.code, ...notesOf(meta, x.notes, lang) })).filter((x) => x.texts.length);
  if (valueNotes.length) {
    w.key('note').beginObject();
    for (const x of valueNotes) {
      w.key(x.code);
      writeStringArray(w, x.texts);
    }
    w.endObject();
  }
  if (isContents) {
    w.key('unit').beginObject();
    for (const x of v.values) {
      w.key(x.code).beginObject();
      w.prop('base', text(meta.contentInfo?.[x.code]?.unit, lang, meta.defaultLanguage));
      w.prop('decimals', decimalsFor(meta, x.code, x.precision));
      w.endObject();
    }
    w.endObject();
  }
  w.endObject(); // category

  w.key('extension').beginObject();
  w.prop('elimination', v.elimination);
  if (v.elimination && v.eliminationValue !== undefined) w.prop('eliminationValueCode', v.eliminationValue);
  writeMandatory(w, 'noteMandatory', vnotes.mandatory);
  if (valueNotes.some((x) => x.mandatory.some(Boolean))) {
    w.key('categoryNoteMandatory').beginObject();
    for (const x of valueNotes) {
      if (!x.mandatory.some(Boolean)) continue;
      w.key(x.code);
      w.beginObject();
      x.mandatory.forEach((m, i) => {
        if (m) w.key(String(i)).bool(true);
      });
      w.endObject();
    }
    w.endObject();
  }
  const ci = (code: string) => meta.contentInfo?.[code];
  if (isContents) writeContentsMap(w, 'refperiod', v.values.map((x) => [x.code, tx(meta, ci(x.code)?.refPeriod, lang) || undefined]));
  w.prop('show', presentationOf(v));
  if (mode === 'metadata') writeCodelists(w, meta, v, opts);
  if (isContents) {
    w.key('measuringType').beginObject();
    for (const x of v.values) w.key(x.code).string(measuringType(ci(x.code)));
    w.endObject();
    w.key('priceType').beginObject();
    for (const x of v.values) w.key(x.code).string(priceType(ci(x.code)));
    w.endObject();
    w.key('adjustment').beginObject();
    for (const x of v.values) w.key(x.code).string(adjustment(ci(x.code)));
    w.endObject();
    writeContentsMap(w, 'basePeriod', v.values.map((x) => [x.code, tx(meta, ci(x.code)?.basePeriod, lang) || undefined]));
  }
  w.endObject(); // extension
  w.endObject(); // dimension
}

/** The dimension PxWeb adds in front when the table has no contents variable. */
function writeEliminatedContents(w: JsonWriter, meta: TableMeta, mode: Mode, lang: string): void {
  const E = ELIMINATED_CONTENTS;
  w.key(E.id).beginObject();
  w.prop('label', E.label);
  w.key('category').beginObject();
  w.key('index').beginObject().key(E.value).number(0).endObject();
  w.key('label').beginObject().key(E.value).string(tx(meta, meta.contents, lang)).endObject();
  w.key('unit').beginObject().key(E.value).beginObject();
  w.prop('base', tx(meta, meta.unit, lang)).prop('decimals', decimalsFor(meta)).endObject().endObject();
  w.endObject();
  w.key('extension').beginObject().prop('elimination', true);
  if (mode === 'metadata') w.key('codelists').beginArray().endArray();
  w.key('measuringType').beginObject().key(E.value).string('Other').endObject();
  w.key('priceType').beginObject().key(E.value).string('NotApplicable').endObject();
  w.key('adjustment').beginObject().key(E.value).string('None').endObject();
  w.endObject();
  w.endObject();
}

/** The contacts of the table and its contents values (CONTACT parsed per person), without duplicates. */
export function tableContacts(meta: TableMeta, lang: string): Contact[] {
  const texts: string[] = [];
  const cv = contentsOf(meta)?.variable;
  if (cv) for (const x of cv.values) texts.push(tx(meta, meta.contentInfo?.[x.code]?.contact, lang));
  texts.push(tx(meta, meta.contact, lang));
  return parseContacts(texts);
}

function writeRootExtension(w: JsonWriter, meta: TableMeta, mode: Mode, lang: string, tableNotes: boolean[], timeZone?: string): void {
  w.key('extension').beginObject();
  writeMandatory(w, 'noteMandatory', tableNotes);
  w.key('px').beginObject();
  if (meta.infoFile) w.prop('infofile', meta.infoFile);
  w.prop('tableid', meta.id);
  w.prop('decimals', meta.showDecimals !== undefined && meta.showDecimals >= 0 ? meta.showDecimals : meta.decimals);
  w.prop('official-statistics', meta.officialStatistics ?? false);
  w.prop('aggregallowed', meta.aggregAllowed ?? true);
  w.prop('copyright', meta.copyright ?? false);
  w.prop('language', lang);
  w.prop('contents', tx(meta, meta.contents, lang));
  const description = tx(meta, meta.description, lang);
  if (description) w.prop('description', description);
  w.prop('descriptiondefault', (extraKeyword(meta, 'DESCRIPTIONDEFAULT', lang) ?? '').toUpperCase() === 'YES');
  w.key('heading');
  writeStringArray(w, meta.heading);
  w.key('stub');
  writeStringArray(w, meta.stub);
  w.prop('matrix', meta.matrix ?? meta.id);
  if (meta.subjectCode) w.prop('subject-code', meta.subjectCode);
  const area = tx(meta, meta.subjectArea, lang);
  if (area) w.prop('subject-area', area);
  // NEXT-UPDATE is the office's local time, shown in UTC like `updated`
  if (meta.nextUpdate) w.prop('nextUpdate', toUtcIso(meta.nextUpdate, timeZone) ?? meta.nextUpdate);
  w.prop('survey', extraKeyword(meta, 'SURVEY', lang));
  w.prop('link', extraKeyword(meta, 'LINK', lang));
  w.prop('updateFrequency', extraKeyword(meta, 'UPDATE-FREQUENCY', lang));
  w.endObject(); // px
  if (mode === 'data') w.key('discontinued').null();
  const contacts = tableContacts(meta, lang);
  if (contacts.length) {
    w.key('contact').beginArray();
    for (const c of contacts) {
      w.beginObject();
      if (c.name !== undefined) w.prop('name', c.name);
      if (c.organization !== undefined) w.prop('organization', c.organization);
      if (c.phone !== undefined) w.prop('phone', c.phone);
      if (c.mail !== undefined) w.prop('mail', c.mail);
      w.prop('raw', c.raw).endObject();
    }
    w.endArray();
  }
  w.endObject();
}

/**
 * The dataset document into `w`. The `value` array and `status` object are drained and yielded whenever
 * `chunkBytes` or more are waiting (Infinity: nothing is yielded; the whole document stays in `w`).
 */
function* datasetChunks(w: JsonWriter, cube: Cube, mode: Mode, opts: JsonStat2MetadataOptions, label: string, chunkBytes: number): Generator<Buffer, void, undefined> {
  const { meta } = cube;
  const lang = opts.lang;
  const synthetic = !contentsOf(meta);
  w.beginObject();
  w.prop('version', '2.0').prop('class', 'dataset').prop('label', label);
  const source = tx(meta, meta.source, lang);
  if (source) w.prop('source', source);
  w.prop('updated', updatedOf(meta, opts.timeZone));
  const tnotes = notesOf(meta, meta.notes, lang);
  if (tnotes.texts.length) {
    w.key('note');
    writeStringArray(w, tnotes.texts);
  }

  const time = meta.variables.filter((v) => v.role === 'time').map((v) => v.code);
  const geo = meta.variables.filter((v) => v.role === 'geo' || (v.map !== undefined && v.role !== 'time' && v.role !== 'contents')).map((v) => v.code);
  const metric = synthetic ? [ELIMINATED_CONTENTS.id] : meta.variables.filter((v) => v.role === 'contents').map((v) => v.code);
  w.key('role').beginObject();
  if (time.length) (w.key('time'), writeStringArray(w, time));
  if (geo.length) (w.key('geo'), writeStringArray(w, geo));
  if (metric.length) (w.key('metric'), writeStringArray(w, metric));
  w.endObject();

  const ids = meta.variables.map((v) => v.code);
  const sizes = meta.variables.map((v) => v.values.length);
  if (synthetic) {
    ids.unshift(ELIMINATED_CONTENTS.id);
    sizes.unshift(1);
  }
  w.key('id');
  writeStringArray(w, ids);
  w.key('size').beginArray();
  for (const s of sizes) w.number(s);
  w.endArray();

  w.key('dimension').beginObject();
  if (synthetic) writeEliminatedContents(w, meta, mode, lang);
  for (const v of meta.variables) writeDimension(w, meta, v, mode, opts);
  w.endObject();

  writeRootExtension(w, meta, mode, lang, tnotes.mandatory, opts.timeZone);

  w.key('value');
  if (mode === 'metadata') w.beginArray().endArray();
  else {
    yield* valueArrayChunks(w, cube, chunkBytes);
    const status = cellStatusMap(cube, lang);
    if (status) {
      w.key('status');
      yield* statusObjectChunks(w, status, chunkBytes);
    }
  }
  w.endObject();
}

function langOf(meta: TableMeta, lang: string | undefined): string {
  return lang || meta.defaultLanguage || meta.languages[0] || 'en';
}

/** The JSON-stat 2.0 data document of a result cube. */
export function jsonStat2Data(cube: Cube, options: Pick<SerializeOptions, 'lang' | 'timeZone'>): Buffer {
  const lang = langOf(cube.meta, options.lang);
  const w = new JsonWriter(cube.values.length * 8 + 16384);
  for (const _ of datasetChunks(w, cube, 'data', { lang, timeZone: options.timeZone }, generatedTitle(cube.meta, lang), Infinity)) void _;
  return w.toBuffer();
}

/**
 * The v2 `/tables/{id}/metadata` document (JSON-stat 2.0 with `"value":[]`, codelists and notes)
 * for table metadata `meta` (the whole table, or a cube restricted to a default selection).
 */
export function jsonStat2Metadata(meta: TableMeta, options: JsonStat2MetadataOptions): Buffer {
  const lang = langOf(meta, options.lang);
  const w = new JsonWriter(1 << 16);
  const label = options.label ?? tableTitle(meta, lang);
  for (const _ of datasetChunks(w, { meta, values: new Float64Array(0), status: null }, 'metadata', { ...options, lang }, label, Infinity)) void _;
  return w.toBuffer();
}

/** The data document in chunks of about CHUNK_BYTES: the metadata part, then the values (the same bytes as jsonStat2Data). */
export function* jsonStat2DataChunks(cube: Cube, options: Pick<SerializeOptions, 'lang' | 'timeZone'>): Generator<Buffer, void, undefined> {
  const lang = langOf(cube.meta, options.lang);
  const w = new JsonWriter(Math.min(cube.values.length * 8, CHUNK_BYTES) + 16384);
  yield* datasetChunks(w, cube, 'data', { lang, timeZone: options.timeZone }, generatedTitle(cube.meta, lang), CHUNK_BYTES);
  yield w.toBuffer();
}

export const jsonStat2Serializer: Serializer = {
  id: 'json-stat2',
  serialize(cube: Cube, options: SerializeOptions): SerializedBody {
    return {
      body: jsonStat2Data(cube, options),
      contentType: options.api === 'v1' ? JSON_CONTENT_TYPE_V1 : JSON_CONTENT_TYPE_V2,
      extension: 'json',
    };
  },
  stream(cube: Cube, options: SerializeOptions): SerializedStream {
    return {
      contentType: options.api === 'v1' ? JSON_CONTENT_TYPE_V1 : JSON_CONTENT_TYPE_V2,
      extension: 'json',
      chunks: paced(jsonStat2DataChunks(cube, options), options.signal),
    };
  },
};
