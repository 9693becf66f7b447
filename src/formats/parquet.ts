// v2 `parquet` (hyparquet-writer): long format, one row per cell. One STRING column per variable
// (named by the variable code, holding value codes, or texts / "code - text" per the labels
// option), a DOUBLE `value` column (null for symbol cells, rounded to the shown decimals) and a
// STRING `status` column (the symbol, null for numbers).

import { parquetWriteBuffer } from 'hyparquet-writer';
import { Status, type Cube } from '../core/model.js';
import { symbolTexts, valueCaption } from './cubeText.js';
import { cellDecimals, formatFixed, roundingRule } from './numberFormat.js';
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

export function parquetTable(cube: Cube, options: SerializeOptions): Buffer {
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const mode = options.labels ?? 'codes';
  const n = values.length;
  const names = columnNames(meta.variables.map((v) => v.code));
  const rule = roundingRule(meta);
  const cd = cellDecimals(meta);
  const symbols = symbolTexts(meta, lang);

  const columnData: { name: string; data: (string | number | null)[]; type: 'STRING' | 'DOUBLE'; nullable: boolean }[] = [];
  let repeat = n; // cells per step of the current variable
  meta.variables.forEach((v, d) => {
    const labels = v.values.map((x) => valueCaption(meta, v, x, lang, mode));
    const size = v.values.length;
    repeat = size ? repeat / size : 0;
    const col = new Array<string>(n);
    for (let i = 0; i < n; i++) col[i] = labels[Math.floor(i / repeat) % size];
    columnData.push({ name: names[d], data: col, type: 'STRING', nullable: false });
  });
  const value = new Array<number | null>(n);
  const stat = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const s = status ? status[i] : Status.Value;
    if (s !== Status.Value) {
      value[i] = null;
      stat[i] = symbols[s] ?? '..';
    } else {
      const dec = cd.uniform ? cd.decimals[0] : cd.decimals[Math.floor(i / cd.stride) % cd.size];
      value[i] = Number(formatFixed(values[i], dec, rule));
      stat[i] = null;
    }
  }
  columnData.push({ name: 'value', data: value, type: 'DOUBLE', nullable: true });
  columnData.push({ name: 'status', data: stat, type: 'STRING', nullable: true });
  const ab = parquetWriteBuffer({ columnData, kvMetadata: [{ key: 'tableid', value: meta.id }] });
  return Buffer.from(ab);
}

export const parquetSerializer: Serializer = {
  id: 'parquet',
  serialize: (cube: Cube, options: SerializeOptions): SerializedBody => ({
    body: parquetTable(cube, options),
    contentType: 'application/octet-stream',
    extension: 'parquet',
  }),
};
