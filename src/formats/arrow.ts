// Apache Arrow IPC (file format, `.arrow`) of a cube, in the long layout of the parquet writer: one row per cell in
// cube order (last variable fastest), one dictionary-encoded column per variable (value codes, or texts /
// "code - text" per the labels option; the index type as narrow as the dictionary allows), a float64 `value`
// column (null for symbol cells, rounded to the shown decimals) and a dictionary-encoded `status` column (the
// symbol text, null for numbers). Schema metadata: tableid, title, language.
//
// The index and value buffers are filled straight from the typed arrays (a run of equal indices per value), so no
// per-row object or string is made.

import {
  Dictionary,
  Field,
  Float64,
  Int16,
  Int32,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  tableToIPC,
  vectorFromArray,
  type Data,
  type DataType,
} from 'apache-arrow';
import { Status, type Cube } from '../core/model.js';
import { symbolTexts, tx, valueCaption } from './cubeText.js';
import { cellDecimals, roundedValue, roundingRule } from './numberFormat.js';
import { ARROW_CONTENT_TYPE, type SerializeOptions, type SerializedBody, type Serializer } from './serializer.js';
import { generatedTitle } from './title.js';


/** Column names must be unique: a variable called "value" or "status" gets a suffix (as in parquet). */
function columnNames(codes: string[]): string[] {
  const taken = new Set(['value', 'status']);
  return codes.map((c) => {
    let name = c;
    while (taken.has(name)) name += '_';
    taken.add(name);
    return name;
  });
}

type IndexType = Int8 | Int16 | Int32;

function indexFor(size: number): { type: IndexType; make: (n: number) => Int8Array | Int16Array | Int32Array } {
  if (size <= 0x7f) return { type: new Int8(), make: (n) => new Int8Array(n) };
  if (size <= 0x7fff) return { type: new Int16(), make: (n) => new Int16Array(n) };
  return { type: new Int32(), make: (n) => new Int32Array(n) };
}

/** A dictionary column: `indices[i]` into `labels`; `valid` (bit per row, 1 = present) when some rows are null. */
function dictionaryData(labels: string[], indices: Int8Array | Int16Array | Int32Array, type: IndexType, valid?: Uint8Array, nullCount = 0): Data<Dictionary<Utf8, IndexType>> {
  const dictType = new Dictionary(new Utf8(), type);
  return makeData({
    type: dictType,
    length: indices.length,
    nullCount,
    nullBitmap: valid,
    data: indices as never,
    dictionary: vectorFromArray(labels, new Utf8()),
  }) as Data<Dictionary<Utf8, IndexType>>;
}

export function arrowTable(cube: Cube, options: SerializeOptions): Table {
  const { meta, values, status } = cube;
  const lang = options.lang || meta.defaultLanguage;
  const mode = options.labels ?? 'codes';
  const n = values.length;
  const names = columnNames(meta.variables.map((v) => v.code));
  const fields: Field[] = [];
  const children: Data[] = [];

  let repeat = n;
  meta.variables.forEach((v, d) => {
    const size = v.values.length;
    repeat = size ? repeat / size : 0;
    const step = repeat;
    const outer = size && step ? n / (size * step) : 0;
    const { type, make } = indexFor(size);
    const idx = make(n);
    let at = 0;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < size; i++) {
        if (i !== 0) idx.fill(i, at, at + step);
        at += step;
      }
    }
    const data = dictionaryData(v.values.map((x) => valueCaption(meta, v, x, lang, mode)), idx, type);
    children.push(data);
    fields.push(new Field(names[d], data.type, false, new Map([['label', tx(meta, v.label, lang) || v.code]])));
  });

  // value: rounded to the shown decimals of each cell's contents; null where the cell has a symbol
  const rule = roundingRule(meta);
  const cd = cellDecimals(meta);
  const out = new Float64Array(n);
  const stride = cd.uniform ? Math.max(n, 1) : cd.stride;
  for (let i = 0, block = 0; i < n; block++) {
    const dec = cd.decimals[block % cd.size];
    const end = Math.min(n, i + stride);
    for (; i < end; i++) out[i] = status !== null && status[i] !== Status.Value ? 0 : roundedValue(values[i], dec, rule);
  }
  let symbolCells = 0;
  let valid: Uint8Array | undefined;
  let statusValid: Uint8Array | undefined;
  const symbols = symbolTexts(meta, lang);
  const statusLabels: string[] = [];
  const statusIndex = new Int8Array(n);
  if (status) {
    const slot = new Map<number, number>();
    valid = new Uint8Array((n + 7) >> 3).fill(0xff);
    statusValid = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) {
      const s = status[i];
      if (s === Status.Value) continue;
      symbolCells++;
      valid[i >> 3] &= ~(1 << (i & 7));
      statusValid[i >> 3] |= 1 << (i & 7);
      let k = slot.get(s);
      if (k === undefined) {
        k = statusLabels.length;
        slot.set(s, k);
        statusLabels.push(symbols[s] ?? '..');
      }
      statusIndex[i] = k;
    }
    if (!symbolCells) valid = undefined;
  }
  const valueData = makeData({ type: new Float64(), length: n, nullCount: symbolCells, nullBitmap: valid, data: out });
  children.push(valueData);
  fields.push(new Field('value', valueData.type, true));
  // every row null when no cell has a symbol: an all-zero validity bitmap
  const statusData = dictionaryData(statusLabels, statusIndex, new Int8(), statusValid ?? new Uint8Array((n + 7) >> 3), n - symbolCells);
  children.push(statusData);
  fields.push(new Field('status', statusData.type, true));

  const schema = new Schema(fields, new Map([
    ['tableid', meta.id],
    ['title', generatedTitle(meta, lang)],
    ['language', lang],
  ]));
  const struct = makeData({ type: new Struct(fields as Field<DataType>[]), length: n, nullCount: 0, children });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

export function arrowFile(cube: Cube, options: SerializeOptions): Buffer {
  const bytes = tableToIPC(arrowTable(cube, options), 'file');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const arrowSerializer: Serializer = {
  id: 'arrow',
  serialize: (cube: Cube, options: SerializeOptions): SerializedBody => ({
    body: arrowFile(cube, options),
    contentType: ARROW_CONTENT_TYPE,
    extension: 'arrow',
  }),
};
