// JSON-stat 2.0 as the app uses it: read a dataset (metadata or data answer of PxWebApi 2.0), pivot it into
// stub rows x heading columns, format cells, and shape series for the chart. Pure functions, tested in node.

export interface Category {
  code: string;
  label: string;
}

export interface Dimension {
  code: string;
  label: string;
  values: Category[];
  role?: 'time' | 'geo' | 'metric';
  /** Decimals per value code (the metric dimension's units). */
  decimals: Record<string, number>;
  /** Unit name per value code. */
  units: Record<string, string>;
  notes: string[];
  valueNotes: Record<string, string[]>;
  /** PxWebApi extension fields (metadata answers only). */
  elimination: boolean;
  eliminationValueCode?: string;
  codelists: { id: string; label: string; type: string }[];
}

export interface Dataset {
  label: string;
  source: string;
  updated: string;
  notes: string[];
  dims: Dimension[];
  value: (number | null)[];
  /** Symbol per flat cell index. */
  status: Map<number, string>;
  /** Table-level decimals (extension.px.decimals) when no unit says otherwise. */
  decimals?: number;
  /** The table's own stub and heading (extension.px). */
  stub: string[];
  heading: string[];
}

export class JsonStatError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown): string => (typeof x === 'string' ? x : x === undefined || x === null ? '' : String(x));
const strings = (x: unknown): string[] => (Array.isArray(x) ? x.map(str) : typeof x === 'string' ? [x] : []);

/** Category codes in index order: `index` is an array of codes or an object code -> position. */
function categoryCodes(cat: Obj): string[] {
  const index = cat.index;
  if (Array.isArray(index)) return index.map(str);
  if (isObj(index)) {
    const out: string[] = [];
    for (const [code, pos] of Object.entries(index)) {
      if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 0) throw new JsonStatError(`bad category index for ${code}`);
      out[pos] = code;
    }
    if (out.some((c) => c === undefined)) throw new JsonStatError('category index has gaps');
    return out;
  }
  if (isObj(cat.label)) return Object.keys(cat.label);
  throw new JsonStatError('category without index or label');
}

/** Read a JSON-stat 2.0 dataset; throws JsonStatError on anything that is not one. */
export function readDataset(json: unknown): Dataset {
  if (!isObj(json) || json.class !== 'dataset') throw new JsonStatError('not a JSON-stat dataset');
  const ids = json.id;
  const size = json.size;
  const dimension = json.dimension;
  if (!Array.isArray(ids) || !Array.isArray(size) || ids.length !== size.length || !isObj(dimension)) {
    throw new JsonStatError('dataset without id/size/dimension');
  }
  const role = isObj(json.role) ? json.role : {};
  const roleOf = (code: string): Dimension['role'] => {
    for (const r of ['time', 'geo', 'metric'] as const) if (strings(role[r]).includes(code)) return r;
    return undefined;
  };
  const dims: Dimension[] = ids.map((rawId, i) => {
    const code = str(rawId);
    const d = dimension[code];
    if (!isObj(d) || !isObj(d.category)) throw new JsonStatError(`dimension ${code} missing`);
    const cat = d.category;
    const codes = categoryCodes(cat);
    if (codes.length !== size[i]) throw new JsonStatError(`dimension ${code}: ${codes.length} categories, size ${String(size[i])}`);
    const labels = isObj(cat.label) ? cat.label : {};
    const unit = isObj(cat.unit) ? cat.unit : {};
    const decimals: Record<string, number> = {};
    const units: Record<string, string> = {};
    for (const [c, u] of Object.entries(unit)) {
      if (!isObj(u)) continue;
      if (typeof u.decimals === 'number' && Number.isInteger(u.decimals) && u.decimals >= 0 && u.decimals <= 20) decimals[c] = u.decimals;
      if (typeof u.base === 'string') units[c] = u.base;
    }
    const valueNotes: Record<string, string[]> = {};
    if (isObj(cat.note)) for (const [c, n] of Object.entries(cat.note)) valueNotes[c] = strings(n);
    const ext = isObj(d.extension) ? d.extension : {};
    const codelists = Array.isArray(ext.codelists)
      ? ext.codelists.filter(isObj).map((c) => ({ id: str(c.id), label: str(c.label) || str(c.id), type: str(c.type) }))
      : [];
    const dim: Dimension = {
      code,
      label: str(d.label) || code,
      values: codes.map((c) => ({ code: c, label: str(labels[c]) || c })),
      role: roleOf(code),
      decimals,
      units,
      notes: strings(d.note),
      valueNotes,
      elimination: ext.elimination === true,
      codelists,
    };
    if (typeof ext.eliminationValueCode === 'string') dim.eliminationValueCode = ext.eliminationValueCode;
    return dim;
  });
  const n = dims.reduce((a, d) => a * d.values.length, 1);
  const value: (number | null)[] = new Array(n).fill(null);
  if (Array.isArray(json.value)) {
    if (json.value.length !== 0 && json.value.length !== n) throw new JsonStatError(`value has ${json.value.length} cells, expected ${n}`);
    json.value.forEach((v, i) => (value[i] = typeof v === 'number' ? v : null));
  } else if (isObj(json.value)) {
    for (const [k, v] of Object.entries(json.value)) {
      const i = Number(k);
      if (Number.isInteger(i) && i >= 0 && i < n) value[i] = typeof v === 'number' ? v : null;
    }
  }
  const status = new Map<number, string>();
  if (Array.isArray(json.status)) json.status.forEach((s, i) => s !== null && s !== undefined && s !== '' && status.set(i, str(s)));
  else if (isObj(json.status)) {
    for (const [k, s] of Object.entries(json.status)) {
      const i = Number(k);
      if (Number.isInteger(i) && i >= 0 && i < n) status.set(i, str(s));
    }
  } else if (typeof json.status === 'string') for (let i = 0; i < n; i++) status.set(i, json.status);
  const ext = isObj(json.extension) ? json.extension : {};
  const px = isObj(ext.px) ? ext.px : {};
  const ds: Dataset = {
    label: str(json.label),
    source: str(json.source),
    updated: str(json.updated),
    notes: strings(json.note),
    dims,
    value,
    status,
    stub: strings(px.stub),
    heading: strings(px.heading),
  };
  if (typeof px.decimals === 'number') ds.decimals = px.decimals;
  return ds;
}

/** Row-major strides of the dataset's dimensions. */
export function strides(dims: readonly Dimension[]): number[] {
  const out = new Array<number>(dims.length);
  let s = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= dims[i].values.length;
  }
  return out;
}

/** A placement for the dataset: the table's own stub/heading restricted to its dimensions; the rest goes to the stub. */
export function defaultPlacement(ds: Dataset): { stub: string[]; heading: string[] } {
  const have = new Set(ds.dims.map((d) => d.code));
  let heading = ds.heading.filter((c) => have.has(c));
  let stub = ds.stub.filter((c) => have.has(c) && !heading.includes(c));
  for (const d of ds.dims) if (!heading.includes(d.code) && !stub.includes(d.code)) stub.push(d.code);
  // a table with everything in the heading still needs a first column: move the first heading variable
  if (!stub.length && heading.length > 1) {
    stub = [heading[0]];
    heading = heading.slice(1);
  }
  return { stub, heading };
}

export interface HeaderCell {
  label: string;
  code: string;
  span: number;
}

export interface PivotRow {
  /** Stub cells that start here (the others are covered by a rowspan above). */
  stub: { level: number; label: string; code: string; rowspan: number }[];
  /** The codes of every stub variable on this row. */
  codes: string[];
  /** Flat cell indexes of the row, one per column. */
  cells: number[];
}

export interface Pivot {
  stubDims: Dimension[];
  headingDims: Dimension[];
  headerRows: HeaderCell[][];
  rows: PivotRow[];
  columns: number;
}

/** Arrange the cells as stub rows x heading columns. */
export function pivot(ds: Dataset, placement = defaultPlacement(ds)): Pivot {
  const byCode = new Map(ds.dims.map((d, i) => [d.code, i]));
  const st = strides(ds.dims);
  const stubIdx = placement.stub.map((c) => byCode.get(c)).filter((i): i is number => i !== undefined);
  const headIdx = placement.heading.map((c) => byCode.get(c)).filter((i): i is number => i !== undefined);
  const sizes = (idx: number[]) => idx.map((i) => ds.dims[i].values.length);
  const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);
  const stubSizes = sizes(stubIdx);
  const headSizes = sizes(headIdx);
  const nRows = product(stubSizes);
  const nCols = product(headSizes);

  const headerRows: HeaderCell[][] = headIdx.map((di, level) => {
    const repeat = product(headSizes.slice(0, level));
    const span = product(headSizes.slice(level + 1));
    const cells: HeaderCell[] = [];
    for (let r = 0; r < repeat; r++) for (const v of ds.dims[di].values) cells.push({ label: v.label, code: v.code, span });
    return cells;
  });

  // offset of a combination of positions, for one side
  const offsets = (idx: number[], sz: number[], k: number): { offset: number; pos: number[] } => {
    const pos = new Array<number>(idx.length);
    let rest = k;
    let offset = 0;
    for (let j = idx.length - 1; j >= 0; j--) {
      pos[j] = rest % sz[j];
      rest = Math.floor(rest / sz[j]);
      offset += pos[j] * st[idx[j]];
    }
    return { offset, pos };
  };
  const colOffsets = Array.from({ length: nCols }, (_, c) => offsets(headIdx, headSizes, c).offset);
  const rows: PivotRow[] = [];
  for (let r = 0; r < nRows; r++) {
    const { offset, pos } = offsets(stubIdx, stubSizes, r);
    const stub: PivotRow['stub'] = [];
    stubIdx.forEach((di, level) => {
      const block = product(stubSizes.slice(level + 1));
      if (r % block === 0) {
        const v = ds.dims[di].values[pos[level]];
        stub.push({ level, label: v.label, code: v.code, rowspan: block });
      }
    });
    rows.push({ stub, codes: stubIdx.map((di, j) => ds.dims[di].values[pos[j]].code), cells: colOffsets.map((o) => o + offset) });
  }
  return { stubDims: stubIdx.map((i) => ds.dims[i]), headingDims: headIdx.map((i) => ds.dims[i]), headerRows, rows, columns: nCols };
}

/** Decimals of one cell: the metric dimension's unit for the cell's contents value, else the table's. */
export function cellDecimals(ds: Dataset, flat: number): number | undefined {
  const st = strides(ds.dims);
  for (let i = 0; i < ds.dims.length; i++) {
    const d = ds.dims[i];
    if (d.role !== 'metric' && !Object.keys(d.decimals).length) continue;
    const pos = Math.floor(flat / st[i]) % d.values.length;
    const dec = d.decimals[d.values[pos].code];
    if (dec !== undefined) return dec;
  }
  return ds.decimals;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** A cell as shown: the number in the locale with its decimals, or the symbol of a missing cell. */
export function formatCell(value: number | null, symbol: string | undefined, decimals: number | undefined, locale: string): string {
  if (value === null || value === undefined || Number.isNaN(value)) return symbol || '..';
  const key = `${locale}|${decimals ?? 'auto'}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, decimals === undefined ? { maximumFractionDigits: 10 } : { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formatters.set(key, f);
  }
  return f.format(value);
}

export interface ChartModel {
  kind: 'line' | 'bar' | 'pyramid';
  categories: string[];
  /** `unit`: the contents value's unit (one axis per unit). */
  series: { name: string; data: (number | null)[]; unit?: string }[];
  /** The axis of the categories (time, or the variable of the bars). */
  categoryTitle?: string;
  /** Series (line) or categories (bar) before the limit. */
  total: number;
}

/**
 * Series for the chart: a line per combination of the other varying dimensions over the time dimension when more
 * than one period is selected, else bars over the combinations of the varying dimensions.
 */
export function chartModel(ds: Dataset, maxSeries = 20, maxBars = 80): ChartModel {
  const st = strides(ds.dims);
  const varying = ds.dims.map((d, i) => ({ d, i })).filter(({ d }) => d.values.length > 1);
  const time = varying.find(({ d }) => d.role === 'time');
  const metricDim = ds.dims.find((d) => d.role === 'metric');
  const fixedUnit = metricDim && metricDim.values.length === 1 ? metricDim.units[metricDim.values[0].code] : undefined;
  const combos = (dims: { d: Dimension; i: number }[]): { name: string; offset: number; unit?: string }[] => {
    let out: { name: string; offset: number; unit?: string }[] = [{ name: '', offset: 0, unit: fixedUnit }];
    for (const { d, i } of dims) {
      const next: { name: string; offset: number; unit?: string }[] = [];
      for (const o of out) d.values.forEach((v, p) => next.push({ name: o.name ? `${o.name}, ${v.label}` : v.label, offset: o.offset + p * st[i], unit: d === metricDim ? d.units[v.code] : o.unit }));
      out = next;
    }
    return out;
  };
  const val = (i: number) => {
    const v = ds.value[i];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  if (time) {
    const others = combos(varying.filter((x) => x !== time));
    const name = ds.dims.find((d) => d.role === 'metric')?.values[0]?.label ?? ds.label;
    return {
      kind: 'line',
      categories: time.d.values.map((v) => v.label),
      series: others.slice(0, maxSeries).map((o) => ({
        name: o.name || name,
        data: time.d.values.map((_, p) => val(o.offset + p * st[time.i])),
        unit: o.unit,
      })),
      categoryTitle: time.d.label,
      total: others.length,
    };
  }
  // sex by age (and nothing else varying): a population pyramid
  const sex = varying.find(({ d }) => d.values.length === 2 && /^(kj(ø|o)nn|sex|kön|kon)$/i.test(d.code + '') || /^(kjønn|sex)$/i.test(d.label));
  const age = varying.find(({ d }) => /^(alder|age)$/i.test(d.code) || /^(alder|age)$/i.test(d.label));
  if (sex && age && varying.length === 2) {
    return {
      kind: 'pyramid',
      categories: age.d.values.map((v) => v.label),
      series: sex.d.values.map((sv, q) => ({ name: sv.label, data: age.d.values.map((_, p) => val(q * st[sex.i] + p * st[age.i])), unit: fixedUnit })),
      categoryTitle: age.d.label,
      total: age.d.values.length,
    };
  }
  const bars = combos(varying);
  const metric = ds.dims.find((d) => d.role === 'metric');
  return {
    kind: 'bar',
    categories: bars.slice(0, maxBars).map((b) => b.name || ds.label),
    series: [{ name: metric && metric.values.length === 1 ? metric.values[0].label : ds.label, data: bars.slice(0, maxBars).map((b) => val(b.offset)), unit: fixedUnit ?? (new Set(bars.map((b) => b.unit)).size === 1 ? bars[0]?.unit : undefined) }],
    categoryTitle: varying.length === 1 ? varying[0].d.label : undefined,
    total: bars.length,
  };
}

// ------------------------------------------------------------------------------------------------
// Any JSON-stat document (the explorer): 2.0 dataset or collection, 1.x bundle or dataset

export interface FoundDataset {
  label: string;
  /** The dataset read, or the address of a collection item that is not embedded. */
  ds?: Dataset;
  href?: string;
}

/** A JSON-stat 1.x dataset (dimension.id / dimension.size) in the 2.0 shape. */
function fromVersion1(d: Obj): Obj {
  const dim = isObj(d.dimension) ? d.dimension : {};
  const dimension: Obj = {};
  for (const [k, v] of Object.entries(dim)) if (k !== 'id' && k !== 'size' && k !== 'role') dimension[k] = v;
  return { ...d, class: 'dataset', version: '2.0', id: dim.id, size: dim.size, role: dim.role, dimension };
}

/** Every dataset a JSON-stat document holds; throws JsonStatError when it holds none. */
export function readAnyJsonStat(json: unknown): FoundDataset[] {
  if (!isObj(json)) throw new JsonStatError('not a JSON object');
  const one = (d: Obj): Dataset => readDataset(!Array.isArray(d.id) && isObj(d.dimension) && Array.isArray((d.dimension as Obj).id) ? fromVersion1(d) : d);
  if (json.class === 'dataset') return [{ label: str(json.label), ds: one(json) }];
  if (json.class === 'collection') {
    const link = isObj(json.link) ? json.link : {};
    const items = Array.isArray(link.item) ? link.item.filter(isObj) : [];
    const out = items.map((it): FoundDataset => (it.class === 'dataset' && it.dimension ? { label: str(it.label), ds: one(it) } : { label: str(it.label) || str(it.href), href: str(it.href) || undefined }));
    if (!out.length) throw new JsonStatError('empty collection');
    return out;
  }
  // 1.x: a bundle of named datasets
  const out: FoundDataset[] = [];
  for (const [name, d] of Object.entries(json)) if (isObj(d) && isObj(d.dimension)) out.push({ label: str(d.label) || name, ds: one(d) });
  if (!out.length) throw new JsonStatError('no dataset in the document');
  return out;
}

/** The dataset with only the chosen values of each dimension (others: every value), cells and symbols carried over. */
export function subset(ds: Dataset, keep: ReadonlyMap<string, ReadonlySet<string>>): Dataset {
  const picks = ds.dims.map((d) => {
    const k = keep.get(d.code);
    return d.values.map((v, i) => i).filter((i) => !k || k.has(d.values[i].code));
  });
  const dims = ds.dims.map((d, j) => ({ ...d, values: picks[j].map((i) => d.values[i]) }));
  const st = strides(ds.dims);
  const n = picks.reduce((a, p) => a * p.length, 1);
  const value: (number | null)[] = new Array(n);
  const status = new Map<number, string>();
  const pos = new Array<number>(dims.length).fill(0);
  for (let out = 0; out < n; out++) {
    let src = 0;
    for (let j = 0; j < dims.length; j++) src += picks[j][pos[j]] * st[j];
    value[out] = ds.value[src] ?? null;
    const s = ds.status.get(src);
    if (s !== undefined) status.set(out, s);
    for (let j = dims.length - 1; j >= 0; j--) {
      pos[j] += 1;
      if (pos[j] < picks[j].length) break;
      pos[j] = 0;
    }
  }
  return { ...ds, dims, value, status };
}

/** CSV of a dataset in long form: one column per dimension (labels), then the value (and its symbol). */
export function datasetCsv(ds: Dataset): string {
  const q = (s: string) => (/[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [[...ds.dims.map((d) => d.label), 'value', 'status'].map(q).join(',')];
  const pos = new Array<number>(ds.dims.length).fill(0);
  for (let i = 0; i < ds.value.length; i++) {
    const v = ds.value[i];
    lines.push([...ds.dims.map((d, j) => q(d.values[pos[j]].label)), v === null ? '' : String(v), q(ds.status.get(i) ?? '')].join(','));
    for (let j = ds.dims.length - 1; j >= 0; j--) {
      pos[j] += 1;
      if (pos[j] < ds.dims[j].values.length) break;
      pos[j] = 0;
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
