// The cell part of JSON-stat documents (both 1.2 and 2.0): the `value` array, written straight into
// the writer's buffer, and the `status` object keyed by flat cell index in index order.

import { Status, type CellNote, type Cube, type TableMeta } from '../core/model.js';
import { symbolTexts } from './cubeText.js';
import { jsonString, type JsonWriter } from './jsonWriter.js';
import { MAX_NUMBER_BYTES, cellDecimals, roundingRule, writeJsonNumberRun } from './numberFormat.js';

const BLOCK = 4096;

/** Write `[v0,v1,...]`: numbers rounded to their contents' shown decimals, null for symbol cells. */
export function writeValueArray(w: JsonWriter, cube: Cube): void {
  for (const _ of valueArrayChunks(w, cube, Infinity)) void _;
}

/**
 * writeValueArray for streaming: whenever `chunkBytes` or more are waiting in the writer, they are drained and
 * yielded (Infinity: nothing is yielded, everything stays in the writer).
 */
export function* valueArrayChunks(w: JsonWriter, cube: Cube, chunkBytes: number): Generator<Buffer, void, undefined> {
  const { values, status } = cube;
  const rule = roundingRule(cube.meta);
  const cd = cellDecimals(cube.meta);
  const n = values.length;
  const stride = cd.uniform ? Math.max(n, 1) : cd.stride;
  w.beginArray();
  for (let start = 0, run = 0; start < n; start += stride, run++) {
    const d = cd.decimals[run % cd.size];
    const end = Math.min(n, start + stride);
    for (let b = start; b < end; b += BLOCK) {
      const stop = Math.min(end, b + BLOCK);
      w.ensure((stop - b) * (MAX_NUMBER_BYTES + 1));
      w.pos = writeJsonNumberRun(w.buf, w.pos, values, status, b, stop, d, rule);
      if (w.pos >= chunkBytes) yield w.drain();
    }
  }
  w.endArray();
}

/** Flat indices of the cells a cell note covers ('*' = every value), ascending. */
export function cellNoteIndices(meta: TableMeta, note: CellNote): number[] {
  const vars = meta.variables;
  if (note.coords.length !== vars.length) return [];
  const choices: number[][] = [];
  for (let d = 0; d < vars.length; d++) {
    const c = note.coords[d];
    if (c === '*') choices.push(vars[d].values.map((_, i) => i));
    else {
      const i = vars[d].values.findIndex((v) => v.code === c);
      if (i < 0) return [];
      choices.push([i]);
    }
  }
  let out = [0];
  for (let d = 0; d < vars.length; d++) {
    const size = vars[d].values.length;
    const next: number[] = [];
    for (const base of out) for (const i of choices[d]) next.push(base * size + i);
    out = next;
  }
  return out;
}

/**
 * The status texts per cell: missing-value symbols, and the short data-note symbols
 * (DATANOTECELL) of numeric cells. Returns null when no cell has one.
 */
export function cellStatusMap(cube: Cube, lang: string): Map<number, string> | null {
  const { meta, status } = cube;
  const symbols = symbolTexts(meta, lang);
  let out: Map<number, string> | null = null;
  if (status) {
    for (let i = 0; i < status.length; i++) {
      const s = status[i];
      if (s !== Status.Value) (out ??= new Map()).set(i, symbols[s] ?? '..');
    }
  }
  const notes = meta.cellNotes?.filter((n) => n.symbol);
  if (notes?.length) {
    const extra = new Map<number, string>();
    for (const n of notes) {
      const t = n.text[lang] ?? n.text[meta.defaultLanguage] ?? Object.values(n.text)[0] ?? '';
      if (!t) continue;
      for (const i of cellNoteIndices(meta, n)) if (!(status && status[i] !== Status.Value)) extra.set(i, t);
    }
    if (extra.size) {
      const merged = new Map<number, string>([...(out ?? []), ...extra]);
      out = new Map([...merged.entries()].sort((a, b) => a[0] - b[0]));
    }
  }
  return out;
}

/** Write `{"<index>":"<symbol>",...}` in index order. */
export function writeStatusObject(w: JsonWriter, map: Map<number, string>): void {
  for (const _ of statusObjectChunks(w, map, Infinity)) void _;
}

/** writeStatusObject for streaming (see valueArrayChunks). */
export function* statusObjectChunks(w: JsonWriter, map: Map<number, string>, chunkBytes: number): Generator<Buffer, void, undefined> {
  const cache = new Map<string, Buffer>();
  w.beginObject();
  let n = 0;
  for (const [i, s] of map) {
    let enc = cache.get(s);
    if (!enc) cache.set(s, (enc = Buffer.from(jsonString(s), 'utf8')));
    w.key(String(i));
    w.rawValue(enc);
    if ((++n & 1023) === 0 && w.pos >= chunkBytes) yield w.drain();
  }
  w.endObject();
}
