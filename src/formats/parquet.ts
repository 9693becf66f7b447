// v2 `parquet`: long format, one row per cell, in cube order (last variable fastest). One STRING column per
// variable (named by the variable code, holding value codes, or texts / "code - text" per the labels option), a
// DOUBLE `value` column (null for symbol cells, rounded to the shown decimals) and a STRING `status` column (the
// symbol, null for numbers).
//
// Written by parquetWriter.ts straight from the typed arrays: a variable's column is its value labels as a
// dictionary plus runs of indices (value i repeats for the product of the sizes after it), the doubles go from the
// Float64Array into the file, so no per-row object or string is ever made.

import { Status, type Cube } from '../core/model.js';
import { symbolTexts, valueCaption } from './cubeText.js';
import { cellDecimals, roundedValue, roundingRule } from './numberFormat.js';
import { writeParquet, type HybridEncoder, type ParquetColumn } from './parquetWriter.js';
import type { SerializeOptions, SerializedBody, Serializer } from './serializer.js';

/** Column names must be unique: a variable called "value" or "status" gets a suffix. */
function columnNames(codes: string[]): string[] {
  const taken = new Set(['value', 'status']);
  return codes.map((c) => {
    let name = c;
    while (taken.has(name)) name += '_';
    taken.add(name);
    return name;
  });
}

/** Emit runs of a 0/1 flag per cell: `numbers` = 1 where the cell is a number, else 1 where it is a symbol. */
function statusRuns(enc: HybridEncoder, status: Uint8Array | null, n: number, numbers: boolean): void {
  if (status === null) {
    enc.run(numbers ? 1 : 0, n);
    return;
  }
  let i = 0;
  while (i < n) {
    const isNumber = status[i] === Status.Value;
    let j = i + 1;
    if (isNumber) while (j < n && status[j] === Status.Value) j++;
    else while (j < n && status[j] !== Status.Value) j++;
    enc.run(isNumber === numbers ? 1 : 0, j - i);
    i = j;
  }
}

export function parquetTable(cube: Cube, options: SerializeOptions): Buffer {
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const mode = options.labels ?? 'codes';
  const n = values.length;
  const names = columnNames(meta.variables.map((v) => v.code));
  const rule = roundingRule(meta);
  const cd = cellDecimals(meta);
  const symbols = symbolTexts(meta, lang).map((s) => Buffer.from(s, 'utf8'));
  const symbolOf = (s: number) => symbols[s] ?? Buffer.from('..');

  const columns: ParquetColumn[] = [];
  let repeat = n; // cells per step of the current variable
  meta.variables.forEach((v, d) => {
    const size = v.values.length;
    repeat = size ? repeat / size : 0;
    const step = repeat;
    const outer = size && step ? n / (size * step) : 0;
    columns.push({
      kind: 'dictionary',
      name: names[d],
      dictionary: v.values.map((x) => Buffer.from(valueCaption(meta, v, x, lang, mode), 'utf8')),
      writeIndices(enc) {
        for (let o = 0; o < outer; o++) for (let i = 0; i < size; i++) enc.run(i, step);
      },
    });
  });

  let numbers = n;
  let plainBytes = 0;
  if (status) {
    for (let i = 0; i < n; i++) {
      const s = status[i];
      if (s !== Status.Value) {
        numbers--;
        plainBytes += 4 + symbolOf(s).length;
      }
    }
  }
  columns.push({
    kind: 'double',
    name: 'value',
    nonNull: numbers,
    writeDefined: (enc) => statusRuns(enc, status, n, true),
    writeValues(view, offset) {
      // decimals change every `cd.stride` cells (cycling through the contents values)
      let at = offset;
      const stride = cd.uniform ? n : cd.stride;
      for (let i = 0, block = 0; i < n; block++) {
        const dec = cd.decimals[block % cd.size];
        const end = Math.min(n, i + stride);
        for (; i < end; i++) {
          if (status !== null && status[i] !== Status.Value) continue;
          view.setFloat64(at, roundedValue(values[i], dec, rule), true);
          at += 8;
        }
      }
    },
  });
  const plain = new Uint8Array(plainBytes);
  if (status && plainBytes) {
    const dv = new DataView(plain.buffer);
    let at = 0;
    for (let i = 0; i < n; i++) {
      if (status[i] === Status.Value) continue;
      const sym = symbolOf(status[i]);
      dv.setUint32(at, sym.length, true);
      plain.set(sym, at + 4);
      at += 4 + sym.length;
    }
  }
  columns.push({ kind: 'string', name: 'status', nonNull: n - numbers, writeDefined: (enc) => statusRuns(enc, status, n, false), plain });
  return writeParquet(columns, n, { tableid: meta.id });
}

export const parquetSerializer: Serializer = {
  id: 'parquet',
  serialize: (cube: Cube, options: SerializeOptions): SerializedBody => ({
    body: parquetTable(cube, options),
    contentType: 'application/octet-stream',
    extension: 'parquet',
  }),
};
