// JSON-stat -> Cube: a 2.0 dataset (PxWeb json-stat2 data or metadata documents, any json-stat.org dataset), a 2.0
// collection with embedded datasets, a 1.x bundle ({"<id>": dataset}, PxWeb v1 `json-stat` answers `{"dataset":…}`)
// or a bare 1.x dataset (id/size/role inside `dimension`).
//
// What PxWeb puts into `extension` (px keywords, elimination, show, refperiod, measuringType …) is read back into the
// model so that a cube written by our json-stat2 serializer and read here writes the same PX again. The synthetic
// "ContentsCode"/"EliminatedContents" dimension PxWeb adds to tables without a contents variable is removed again.
//
// Cells: `value` as an array or a sparse object; `status` as an array, an object or one string. A null value is a
// missing cell: a PX symbol token in `status` ('.', '..', … '-') maps to its Status; any other status text becomes a
// table symbol (DATASYMBOLn with that text); no status at all reads as '..'. A number with a status text is kept as a
// cell note symbol (PX DATANOTECELL), `-` with a number as nil.

import {
  STATUS_TOKENS,
  Status,
  type CellNote,
  type ContentInfo,
  type Cube,
  type Note,
  type Presentation,
  type TableMeta,
  type TimeUnit,
  type Value,
  type Variable,
  type VariableRole,
} from '../core/model.js';
import { ELIMINATED_CONTENTS } from './jsonStat2.js';

export class JsonStatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonStatError';
  }
}

export interface ReadJsonStatOptions {
  /** Table id; default extension.px.tableid, matrix, then the bundle key, then "table". */
  id?: string;
  /** Language of the texts; default extension.px.language, then "en". */
  lang?: string;
  /** Which dataset of a bundle or collection: its key/label, or its position (default the first). */
  dataset?: string | number;
  /** Refuse datasets with more cells than this (default 2^28). */
  maxCells?: number;
}

export interface ReadJsonStatResult {
  cube: Cube;
  /** "2.0" or "1.x": the version of the document read. */
  version: '2.0' | '1.x';
  warnings: string[];
}

type Obj = Record<string, unknown>;

const DEFAULT_MAX_CELLS = 2 ** 28;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : typeof x === 'number' || typeof x === 'boolean' ? String(x) : undefined;
}

function bool(x: unknown): boolean | undefined {
  if (typeof x === 'boolean') return x;
  if (typeof x === 'string') {
    if (/^(true|yes)$/i.test(x)) return true;
    if (/^(false|no)$/i.test(x)) return false;
  }
  return undefined;
}

function stringList(x: unknown): string[] {
  if (typeof x === 'string') return [x];
  if (!Array.isArray(x)) return [];
  return x.map(str).filter((s): s is string => s !== undefined);
}

/** Parse bytes or text (a UTF-8 BOM is skipped) or take an already parsed document. */
function parseDocument(input: string | Uint8Array | unknown): unknown {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return input;
  let text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new JsonStatError(`not JSON: ${(e as Error).message}`);
  }
}

/** Find the dataset object inside a document; returns it and a key usable as id. */
function locateDataset(doc: unknown, which: string | number | undefined): { ds: Obj; key?: string; version: '2.0' | '1.x' } {
  if (!isObj(doc)) throw new JsonStatError('a JSON-stat document is a JSON object');
  const cls = doc.class;
  if (cls === 'dataset' || (cls === undefined && 'value' in doc && 'dimension' in doc)) {
    const version = doc.version === undefined && !Array.isArray(doc.id) ? '1.x' : '2.0';
    return { ds: doc, version };
  }
  if (cls === 'collection') {
    const items = isObj(doc.link) && Array.isArray(doc.link.item) ? (doc.link.item as unknown[]) : [];
    const embedded = items.filter((it): it is Obj => isObj(it) && it.class === 'dataset' && 'value' in it);
    if (!embedded.length) throw new JsonStatError('the collection embeds no dataset (only links to others)');
    const pick = pickOne(embedded.map((d, i) => ({ key: str(d.label) ?? String(i), item: d })), which);
    return { ds: pick.item, key: undefined, version: '2.0' };
  }
  if (cls === 'dimension') throw new JsonStatError('a JSON-stat dimension document holds no data');
  if (cls !== undefined) throw new JsonStatError(`unknown JSON-stat class ${JSON.stringify(cls)}`);
  // 1.x bundle: every member a dataset
  const entries = Object.entries(doc).filter(([, v]) => isObj(v) && 'dimension' in v);
  if (!entries.length) throw new JsonStatError('no JSON-stat dataset found (no class, no bundle member with "dimension")');
  const pick = pickOne(entries.map(([k, v]) => ({ key: k, item: v as Obj })), which);
  return { ds: pick.item, key: pick.key, version: pick.item.version === '2.0' ? '2.0' : '1.x' };
}

function pickOne<T extends { key: string }>(list: T[], which: string | number | undefined): T {
  if (which === undefined) return list[0];
  if (typeof which === 'number') {
    if (!Number.isInteger(which) || which < 0 || which >= list.length) throw new JsonStatError(`no dataset number ${which} (the document has ${list.length})`);
    return list[which];
  }
  const hit = list.find((x) => x.key === which);
  if (!hit) throw new JsonStatError(`no dataset ${JSON.stringify(which)}; there are: ${list.map((x) => x.key).join(', ')}`);
  return hit;
}

interface Dim {
  id: string;
  node: Obj;
  codes: string[];
  labels: string[];
}

/** Category codes in index order: `index` as an array or an object, or (constant dimension) the label's keys. */
function categoryCodes(id: string, node: Obj, size: number): string[] {
  const cat = isObj(node.category) ? node.category : undefined;
  if (!cat) throw new JsonStatError(`dimension ${id} has no category`);
  const index = cat.index;
  let codes: string[];
  if (Array.isArray(index)) {
    codes = index.map((c) => {
      const s = str(c);
      if (s === undefined) throw new JsonStatError(`dimension ${id}: category ids must be strings`);
      return s;
    });
  } else if (isObj(index)) {
    codes = new Array<string>(size);
    for (const [code, pos] of Object.entries(index)) {
      if (typeof pos !== 'number' || !Number.isInteger(pos) || pos < 0 || pos >= size || codes[pos] !== undefined) {
        throw new JsonStatError(`dimension ${id}: bad index position ${JSON.stringify(pos)} for ${code}`);
      }
      codes[pos] = code;
    }
  } else if (index === undefined && isObj(cat.label)) {
    codes = Object.keys(cat.label);
  } else {
    throw new JsonStatError(`dimension ${id}: category has neither index nor label`);
  }
  if (codes.length !== size) throw new JsonStatError(`dimension ${id}: ${codes.length} categories but size ${size}`);
  for (let i = 0; i < size; i++) if (codes[i] === undefined) throw new JsonStatError(`dimension ${id}: no category at position ${i}`);
  if (new Set(codes).size !== codes.length) throw new JsonStatError(`dimension ${id}: repeated category ids`);
  return codes;
}

const TIME_PATTERNS: [RegExp, TimeUnit][] = [
  [/^\d{4}$/, 'A'],
  [/^\d{4}[HS]\d$/, 'H'],
  [/^\d{4}[KQ]\d$/, 'Q'],
  [/^\d{4}T\d$/, 'T'],
  [/^\d{4}M\d{2}$/, 'M'],
  [/^\d{4}[UW]\d{2}$/, 'W'],
];

/** The PX time unit the codes are written in, when they all share one of the usual forms. */
function timeUnitOfCodes(codes: string[]): TimeUnit | undefined {
  for (const [re, unit] of TIME_PATTERNS) if (codes.length && codes.every((c) => re.test(c))) return unit;
  return undefined;
}

const PRESENTATIONS = new Set<Presentation>(['code', 'value', 'code_value', 'value_code']);
const STOCK_FA: Record<string, string> = { Stock: 'S', Flow: 'F', Average: 'A' };
const CF_PRICES: Record<string, string> = { Current: 'C', Fixed: 'F' };

/** Notes of a list with their mandatory flags (`{"<i>":true}`). */
function notes(list: unknown, mandatory: unknown, lang: string): Note[] | undefined {
  const texts = stringList(list);
  if (!texts.length) return undefined;
  const m = isObj(mandatory) ? mandatory : {};
  return texts.map((t, i) => ({ text: { [lang]: t }, mandatory: m[String(i)] === true }));
}

function texts(s: string | undefined, lang: string): Record<string, string> | undefined {
  return s === undefined || s === '' ? undefined : { [lang]: s };
}

/** Number of decimals a value is written with (up to 15). */
function decimalsOf(v: number): number {
  if (Number.isInteger(v) || !Number.isFinite(v)) return 0;
  const s = String(v);
  const e = s.indexOf('e-');
  if (e >= 0) return Math.min(15, Number(s.slice(e + 2)) + Math.max(0, s.slice(0, e).split('.')[1]?.length ?? 0));
  return Math.min(15, s.length - s.indexOf('.') - 1);
}

/** Read a JSON-stat document (text, bytes or parsed JSON) into a Cube. Throws JsonStatError on any fault. */
export function readJsonStat(input: string | Uint8Array | unknown, options: ReadJsonStatOptions = {}): ReadJsonStatResult {
  return read(input, options, true);
}

/**
 * The table metadata of a JSON-stat document, values not read: for PxWebApi 2.0 `/tables/{id}/metadata`
 * (a dataset with `"value":[]`) as well as data documents.
 */
export function readJsonStatMetadata(input: string | Uint8Array | unknown, options: ReadJsonStatOptions = {}): { meta: TableMeta; warnings: string[] } {
  const r = read(input, options, false);
  return { meta: r.cube.meta, warnings: r.warnings };
}

function read(input: string | Uint8Array | unknown, options: ReadJsonStatOptions, withCells: boolean): ReadJsonStatResult {
  const warnings: string[] = [];
  const doc = parseDocument(input);
  const { ds, key, version } = locateDataset(doc, options.dataset);
  const dimension = ds.dimension;
  if (!isObj(dimension)) throw new JsonStatError('the dataset has no "dimension" object');

  // id, size and role live at the root in 2.0 and inside `dimension` in 1.x
  const idRaw = Array.isArray(ds.id) ? ds.id : dimension.id;
  const sizeRaw = Array.isArray(ds.size) ? ds.size : dimension.size;
  const roleRaw = isObj(ds.role) ? ds.role : isObj(dimension.role) ? dimension.role : {};
  if (!Array.isArray(idRaw) || !Array.isArray(sizeRaw)) throw new JsonStatError('the dataset has no "id" and "size" arrays');
  if (idRaw.length !== sizeRaw.length) throw new JsonStatError(`"id" has ${idRaw.length} entries but "size" ${sizeRaw.length}`);
  const ids = idRaw.map((x) => {
    if (typeof x !== 'string' || x === '') throw new JsonStatError('dimension ids must be non-empty strings');
    return x;
  });
  if (new Set(ids).size !== ids.length) throw new JsonStatError('repeated dimension ids');
  const sizes = sizeRaw.map((x, i) => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw new JsonStatError(`size of ${ids[i]} is not a count: ${JSON.stringify(x)}`);
    return x;
  });
  const total = sizes.reduce((a, b) => a * b, 1);
  const maxCells = options.maxCells ?? DEFAULT_MAX_CELLS;
  if (withCells && total > maxCells) throw new JsonStatError(`the dataset has ${total} cells, more than the limit of ${maxCells}`);

  const ext = isObj(ds.extension) ? ds.extension : {};
  const px = isObj(ext.px) ? ext.px : {};
  const lang = options.lang ?? str(px.language) ?? 'en';
  const roleOf = (name: string) => new Set(stringList(roleRaw[name]));
  const timeIds = roleOf('time');
  const metricIds = roleOf('metric');
  const geoIds = roleOf('geo');

  let dims: Dim[] = ids.map((id, d) => {
    const node = dimension[id];
    if (!isObj(node)) throw new JsonStatError(`dimension ${id} is listed in "id" but not described`);
    const codes = categoryCodes(id, node, sizes[d]);
    const cat = node.category as Obj;
    const lab = isObj(cat.label) ? cat.label : {};
    return { id, node, codes, labels: codes.map((c) => str(lab[c]) ?? c) };
  });

  // ---- cells (in the order of all dimensions, before the synthetic one is dropped: it has size 1)
  const values = new Float64Array(withCells ? total : 0);
  let status: Uint8Array | null = null;
  const symbols: Partial<Record<number, Record<string, string>>> = {};
  const customSymbol = new Map<string, number>();
  const noteCells: { index: number; text: string }[] = [];
  let overflowSymbols = 0;
  const setStatus = (i: number, s: number) => {
    (status ??= new Uint8Array(total))[i] = s;
  };
  // texts that are PX tokens keep their code; other texts take the codes no token uses, in order of appearance
  const tokenCodes = new Set<number>();
  if (withCells) for (const t of statusTexts(ds.status)) if (STATUS_TOKENS.indexOf(t as (typeof STATUS_TOKENS)[number]) > 0) tokenCodes.add(STATUS_TOKENS.indexOf(t as (typeof STATUS_TOKENS)[number]));
  const taken = new Set<number>(tokenCodes);
  const statusCode = (textValue: string): number => {
    const t = STATUS_TOKENS.indexOf(textValue as (typeof STATUS_TOKENS)[number]);
    if (t > 0) return t;
    let s = customSymbol.get(textValue);
    if (s === undefined) {
      // a free dots code; then the sum and nil codes (nil first for a text that reads as nil)
      const order = [Status.Dot1, Status.Dot2, Status.Dot3, Status.Dot4, Status.Dot5, Status.Dot6, Status.DotSum, Status.Nil];
      if (/^(nil|null|zero|[-–—])$/i.test(textValue.trim())) order.unshift(Status.Nil);
      s = order.find((c) => !taken.has(c));
      if (s === undefined) {
        overflowSymbols++;
        return Status.DotSum;
      }
      taken.add(s);
      customSymbol.set(textValue, s);
      symbols[s] = { [lang]: textValue };
    }
    return s;
  };
  const statusAt = withCells ? statusReader(ds.status, total) : () => undefined;
  const put = (i: number, v: unknown) => {
    const st = statusAt(i);
    if (typeof v === 'number' && Number.isFinite(v)) {
      values[i] = v;
      if (st === undefined || st === '') return;
      if (st === '-') setStatus(i, Status.Nil);
      else noteCells.push({ index: i, text: st });
      return;
    }
    if (v === null || v === undefined) {
      setStatus(i, st === undefined || st === '' ? Status.Dot2 : statusCode(st));
      return;
    }
    if (typeof v === 'string') {
      const n = v.trim() === '' ? NaN : Number(v);
      if (Number.isFinite(n)) return put2(i, n, st);
      setStatus(i, statusCode(st || v));
      return;
    }
    throw new JsonStatError(`value ${i} is neither a number nor null: ${JSON.stringify(v).slice(0, 40)}`);
  };
  const put2 = (i: number, n: number, st: string | undefined) => {
    values[i] = n;
    if (st === '-') setStatus(i, Status.Nil);
    else if (st) noteCells.push({ index: i, text: st });
  };
  const raw = ds.value;
  if (!withCells) {
    // metadata only
  } else if (Array.isArray(raw)) {
    if (raw.length !== total) throw new JsonStatError(`"value" has ${raw.length} entries but the sizes make ${total} cells`);
    for (let i = 0; i < total; i++) put(i, raw[i]);
  } else if (isObj(raw)) {
    const seen = new Uint8Array(total);
    for (const [k, v] of Object.entries(raw)) {
      const i = Number(k);
      if (!Number.isInteger(i) || i < 0 || i >= total) throw new JsonStatError(`"value" key ${JSON.stringify(k)} is not a cell index below ${total}`);
      seen[i] = 1;
      put(i, v);
    }
    for (let i = 0; i < total; i++) if (!seen[i]) put(i, null);
  } else {
    throw new JsonStatError('the dataset has no "value" array or object');
  }
  const hasMissing = status !== null;
  if (overflowSymbols) warnings.push(`more kinds of missing-value symbols than PX has: ${overflowSymbols} cells are read with the sum symbol`);

  // ---- the dimension PxWeb adds when a table has no contents variable
  let tableUnit: string | undefined;
  let tableContents: string | undefined;
  let tableDecimals: number | undefined;
  const first = dims[0];
  if (
    first &&
    first.id === ELIMINATED_CONTENTS.id &&
    str(first.node.label) === ELIMINATED_CONTENTS.label &&
    first.codes.length === 1 &&
    first.codes[0] === ELIMINATED_CONTENTS.value
  ) {
    const unit = isObj((first.node.category as Obj).unit) ? ((first.node.category as Obj).unit as Obj)[ELIMINATED_CONTENTS.value] : undefined;
    tableContents = first.labels[0];
    if (isObj(unit)) {
      tableUnit = str(unit.base) ?? str(unit.label);
      if (typeof unit.decimals === 'number') tableDecimals = unit.decimals;
    }
    dims = dims.slice(1);
    metricIds.delete(ELIMINATED_CONTENTS.id);
  }

  // ---- variables
  let inferredDecimals: number | undefined;
  const inferDecimals = () => {
    if (inferredDecimals === undefined) {
      let d = 0;
      const st: Uint8Array | null = status;
      for (let i = 0; i < total && d < 15; i++) if (st === null || st[i] === Status.Value) d = Math.max(d, decimalsOf(values[i]));
      inferredDecimals = d;
    }
    return inferredDecimals;
  };
  const contentInfo: Record<string, ContentInfo> = {};
  let contentsSeen = false;
  const variables: Variable[] = dims.map((dim) => {
    const node = dim.node;
    const cat = node.category as Obj;
    const dext = isObj(node.extension) ? node.extension : {};
    let role: VariableRole | undefined;
    if (metricIds.has(dim.id) && !contentsSeen) {
      role = 'contents';
      contentsSeen = true;
    } else if (timeIds.has(dim.id)) role = 'time';
    else if (geoIds.has(dim.id)) role = 'geo';
    const catNotes = isObj(cat.note) ? cat.note : {};
    const catNoteMandatory = isObj(dext.categoryNoteMandatory) ? dext.categoryNoteMandatory : {};
    const vals: Value[] = dim.codes.map((code, i) => {
      const v: Value = { code, label: { [lang]: dim.labels[i] } };
      const n = notes(catNotes[code], catNoteMandatory[code], lang);
      if (n) v.notes = n;
      return v;
    });
    const variable: Variable = {
      code: dim.id,
      label: { [lang]: str(node.label) ?? dim.id },
      values: vals,
      elimination: bool(dext.elimination) ?? false,
    };
    if (role) variable.role = role;
    const ev = str(dext.eliminationValueCode);
    if (ev !== undefined && dim.codes.includes(ev)) variable.eliminationValue = ev;
    const show = str(dext.show) as Presentation | undefined;
    if (show && PRESENTATIONS.has(show)) variable.presentation = show;
    const vn = notes(node.note, dext.noteMandatory, lang);
    if (vn) variable.notes = vn;
    if (role === 'time') {
      const tu = timeUnitOfCodes(dim.codes);
      if (tu) variable.timeUnit = tu;
    }
    if (isObj(cat.child)) {
      const parents: Record<string, string> = {};
      const known = new Set(dim.codes);
      for (const [parent, kids] of Object.entries(cat.child)) {
        if (!known.has(parent)) continue;
        for (const k of stringList(kids)) if (known.has(k) && k !== parent) parents[k] = parent;
      }
      if (Object.keys(parents).length) variable.hierarchy = parents;
    }
    if (role === 'contents') {
      const units = isObj(cat.unit) ? cat.unit : {};
      const map = (name: string) => (isObj(dext[name]) ? (dext[name] as Obj) : {});
      const refperiod = map('refperiod');
      const measuring = map('measuringType');
      const price = map('priceType');
      const adjustment = map('adjustment');
      const basePeriod = map('basePeriod');
      for (const code of dim.codes) {
        const u = isObj(units[code]) ? (units[code] as Obj) : {};
        const decimals = typeof u.decimals === 'number' && Number.isInteger(u.decimals) && u.decimals >= 0 ? u.decimals : inferDecimals();
        const ci: ContentInfo = { unit: { [lang]: str(u.base) ?? str(u.label) ?? str(u.symbol) ?? '' }, decimals };
        const rp = texts(str(refperiod[code]), lang);
        if (rp) ci.refPeriod = rp;
        const bp = texts(str(basePeriod[code]), lang);
        if (bp) ci.basePeriod = bp;
        const m = STOCK_FA[str(measuring[code]) ?? ''];
        if (m) ci.stockFa = m;
        const p = CF_PRICES[str(price[code]) ?? ''];
        if (p) ci.cfPrices = p;
        const a = str(adjustment[code]);
        if (a === 'WorkAndSes' || a === 'WorkOnly') ci.dayAdj = true;
        if (a === 'WorkAndSes' || a === 'SesOnly') ci.seasAdj = true;
        contentInfo[code] = ci;
      }
    }
    return variable;
  });

  // ---- stub and heading: PxWeb's, when they match the cube order; else the last variable heads the table
  const codes = variables.map((v) => v.code);
  const pxStub = stringList(px.stub);
  const pxHeading = stringList(px.heading);
  let stub: string[];
  let heading: string[];
  if (pxStub.length + pxHeading.length === codes.length && [...pxStub, ...pxHeading].every((c, i) => c === codes[i])) {
    stub = pxStub;
    heading = pxHeading;
  } else {
    stub = codes.length > 1 ? codes.slice(0, -1) : codes.slice();
    heading = codes.length > 1 ? codes.slice(-1) : [];
  }

  const label = str(ds.label);
  const id = options.id ?? str(px.tableid) ?? str(px.matrix) ?? (key && key !== 'dataset' ? key : undefined) ?? 'table';
  const pxDecimals = typeof px.decimals === 'number' && Number.isInteger(px.decimals) && px.decimals >= 0 ? px.decimals : undefined;
  const decimals =
    pxDecimals ??
    tableDecimals ??
    (Object.keys(contentInfo).length ? Math.max(...Object.values(contentInfo).map((c) => c.decimals)) : inferDecimals());
  const meta: TableMeta = {
    id,
    title: { [lang]: label ?? id },
    contents: { [lang]: tableContents ?? str(px.contents) ?? label ?? id },
    languages: [lang],
    defaultLanguage: lang,
    variables,
    stub,
    heading,
    decimals,
  };
  const matrix = str(px.matrix);
  if (matrix && matrix !== id) meta.matrix = matrix;
  const description = texts(str(px.description), lang);
  if (description) meta.description = description;
  if (tableUnit !== undefined) meta.unit = { [lang]: tableUnit };
  if (Object.keys(contentInfo).length) meta.contentInfo = contentInfo;
  const source = texts(str(ds.source), lang);
  if (source) meta.source = source;
  const updated = str(ds.updated);
  if (updated && !Number.isNaN(Date.parse(updated))) meta.updated = updated;
  const tableNotes = notes(ds.note, ext.noteMandatory, lang);
  if (tableNotes) meta.notes = tableNotes;
  if (str(px.infofile) !== undefined && str(px.infofile) !== 'None') meta.infoFile = str(px.infofile);
  const official = bool(px['official-statistics']);
  if (official !== undefined) meta.officialStatistics = official;
  const aggreg = bool(px.aggregallowed);
  if (aggreg !== undefined) meta.aggregAllowed = aggreg;
  const copyright = bool(px.copyright);
  if (copyright !== undefined) meta.copyright = copyright;
  const subjectCode = str(px['subject-code']);
  if (subjectCode) meta.subjectCode = subjectCode;
  const subjectArea = texts(str(px['subject-area']), lang);
  if (subjectArea) meta.subjectArea = subjectArea;
  const nextUpdate = str(px.nextUpdate);
  if (nextUpdate) meta.nextUpdate = nextUpdate;
  if (Array.isArray(ext.contact)) {
    const raws = ext.contact.map((c) => (isObj(c) ? str(c.raw) ?? [str(c.name), str(c.organization), str(c.phone), str(c.mail)].filter(Boolean).join(', ') : undefined)).filter((s): s is string => !!s);
    if (raws.length) meta.contact = { [lang]: raws.join('##') };
  }
  if (Object.keys(symbols).length) meta.symbols = symbols;

  // numbers with a status text: a cell note symbol on exactly that cell
  if (noteCells.length) {
    const st = dims.map((d) => d.codes.length);
    const cellNotes: CellNote[] = noteCells.map(({ index, text: t }) => {
      const coords = new Array<string>(dims.length);
      let rest = index;
      for (let d = dims.length - 1; d >= 0; d--) {
        coords[d] = dims[d].codes[rest % st[d]];
        rest = Math.floor(rest / st[d]);
      }
      return { coords, text: { [lang]: t }, mandatory: false, symbol: true };
    });
    meta.cellNotes = cellNotes;
  }
  if (!hasMissing) status = null;
  return { cube: { meta, values, status }, version, warnings };
}

/** The distinct status texts of a `status` member. */
function statusTexts(raw: unknown): Set<string> {
  const out = new Set<string>();
  const list = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : isObj(raw) ? Object.values(raw) : [];
  for (const x of list) if (typeof x === 'string') out.add(x);
  return out;
}

/** Per-cell status text: from an array, an index-keyed object or one string for every cell. */
function statusReader(raw: unknown, total: number): (i: number) => string | undefined {
  if (raw === undefined || raw === null) return () => undefined;
  if (typeof raw === 'string') return () => raw;
  if (Array.isArray(raw)) {
    // a one-element array once meant "this status for every cell" (deprecated but still seen)
    if (raw.length === 1 && total !== 1) {
      const s = str(raw[0]) ?? undefined;
      return () => s;
    }
    if (raw.length !== total) throw new JsonStatError(`"status" has ${raw.length} entries but there are ${total} cells`);
    return (i) => (raw[i] === null ? undefined : str(raw[i]));
  }
  if (isObj(raw)) return (i) => str(raw[String(i)]);
  throw new JsonStatError('"status" is neither a string, an array nor an object');
}
