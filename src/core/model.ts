// The cube model: the one shape every part of Statbank speaks.
// Pure data, no I/O. Readers (PX, demo generator) build it, the store keeps it,
// the engine selects from it and serializers write it.

/** Text in several languages, keyed by language code ("no", "en", "sv" ...). */
export type Texts = Record<string, string>;

/** Pick the text for `lang`, falling back to the default language, then to any language. */
export function text(t: Texts | undefined, lang: string, fallback?: string): string {
  if (!t) return '';
  const v = t[lang];
  if (v !== undefined) return v;
  if (fallback !== undefined && t[fallback] !== undefined) return t[fallback];
  for (const k in t) return t[k];
  return '';
}

/** Per-cell status. 0 = a number; the others are PX missing-value symbols. */
export const enum Status {
  Value = 0,
  /** stored `.` (DATASYMBOL1) */
  Dot1 = 1,
  /** stored `..` (DATASYMBOL2) */
  Dot2 = 2,
  /** stored `...` (DATASYMBOL3) */
  Dot3 = 3,
  /** stored `....` (DATASYMBOL4) */
  Dot4 = 4,
  /** stored `.....` (DATASYMBOL5) */
  Dot5 = 5,
  /** stored `......` (DATASYMBOL6) */
  Dot6 = 6,
  /** stored `.......`: a sum over cells with different symbols (DATASYMBOLSUM) */
  DotSum = 7,
  /** stored `-`: absolutely nil (DATASYMBOLNIL). Its value slot holds 0. */
  Nil = 8,
  /**
   * Not a stored symbol but a result: a grouping's value that would need a share of a code that was split
   * (one old region became several), which the table alone cannot give. Shown as `x` (SPLIT_SYMBOL) unless the
   * table's `symbols` say otherwise; PX has no slot for it and writes the sum symbol's token.
   */
  Split = 9,
}

/** The stored PX token of each status code (index = Status). */
export const STATUS_TOKENS = ['', '.', '..', '...', '....', '.....', '......', '.......', '-', '.......'] as const;

/** Default display text of Status.Split: distinct from every PX dot symbol, so it is never read as one. */
export const SPLIT_SYMBOL = 'x';

export interface Note {
  text: Texts;
  /** NOTEX / VALUENOTEX / CELLNOTEX: must always be shown. */
  mandatory: boolean;
}

export interface Value {
  code: string;
  label: Texts;
  notes?: Note[];
  /** Per-value decimals override (PX PRECISION), normally on contents values. */
  precision?: number;
}

/** A subset of a variable's values, published under an id (PxWeb "value set", `vs:` filter). */
export interface ValueSet {
  id: string;
  label: Texts;
  /** Codes of the variable's values, in presentation order. */
  codes: string[];
  /** Value used when the variable is eliminated while this value set is chosen. */
  eliminationValue?: string;
}

/** One output value of a grouping: the sum of its input values. */
export interface Group {
  code: string;
  label: Texts;
  /** Codes of the variable's (input) values summed into this group. */
  inputs: string[];
  /**
   * Inputs of which only an unknown share belongs to this group (a region split between several groups).
   * Where such an input holds a non-zero number the group's value is Status.Split, never a guess.
   * Each is also listed in `inputs`.
   */
  partial?: string[];
  /**
   * Inputs whose share of this group depends on the period (a code split in one regional structure and whole in
   * another, or one that named another region before): per input code, the structures' date ranges and the share
   * in each. A cell counts by the range holding its period's first day (`periodStart`); a period outside every
   * range (or without a known start) takes the input as `inputs`/`partial` say.
   */
  during?: Record<string, GroupInputSpan[]>;
}

/** An input's share of a group while one structure was valid: dates `yyyy-MM-dd`, `to` exclusive (open when absent). */
export interface GroupInputSpan {
  from: string;
  to?: string;
  share: 'whole' | 'partial' | 'none';
}

/**
 * The first day of a time period code (`yyyy-MM-dd`): 2020, 2020K1/2020Q1, 2020H2, 2020M03, 2020U05/2020W05 (ISO
 * week). Undefined for codes of another form (2019-2020, 2020T1 ...), whose structure is then not known.
 */
export function periodStart(code: string): string | undefined {
  const p = (n: number) => String(n).padStart(2, '0');
  let m = /^(\d{4})$/.exec(code);
  if (m) return `${m[1]}-01-01`;
  m = /^(\d{4})[KQ]([1-4])$/.exec(code);
  if (m) return `${m[1]}-${p((Number(m[2]) - 1) * 3 + 1)}-01`;
  m = /^(\d{4})H([12])$/.exec(code);
  if (m) return `${m[1]}-${p((Number(m[2]) - 1) * 6 + 1)}-01`;
  m = /^(\d{4})M(0[1-9]|1[0-2])$/.exec(code);
  if (m) return `${m[1]}-${m[2]}-01`;
  m = /^(\d{4})[UW](0[1-9]|[1-4]\d|5[0-3])$/.exec(code);
  if (m) {
    // ISO week 1 holds 4 January; weeks start on Monday
    const jan4 = Date.UTC(Number(m[1]), 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
    return new Date(monday + (Number(m[2]) - 1) * 7 * 86_400_000).toISOString().slice(0, 10);
  }
  return undefined;
}

/** An aggregation (PxWeb "grouping", `agg:` filter): maps output values to lists of input values. */
export interface Grouping {
  id: string;
  label: Texts;
  groups: Group[];
}

export type VariableRole = 'time' | 'contents' | 'geo';

/** PX TLIST units plus the extra ones Px.Utils defines. */
export type TimeUnit = 'A' | 'H' | 'Q' | 'M' | 'W' | 'T' | 'D' | 'O';

export type Presentation = 'code' | 'value' | 'code_value' | 'value_code';

export interface Variable {
  /** Language-neutral id used in API queries ("Region", "Tid", "ContentsCode"). */
  code: string;
  /** The variable's name per language ("region", "år"). */
  label: Texts;
  role?: VariableRole;
  values: Value[];
  /** May be left out of a query (summed away, or replaced by eliminationValue). */
  elimination: boolean;
  /** Code of the value that stands for the whole variable when it is eliminated. */
  eliminationValue?: string;
  timeUnit?: TimeUnit;
  map?: string;
  presentation?: Presentation;
  valueSets?: ValueSet[];
  groupings?: Grouping[];
  notes?: Note[];
  /** PX DOMAIN (the value set / aggregation family id). */
  domain?: string;
  /** Parent code per child code (PX HIERARCHIES); root values have no entry. */
  hierarchy?: Record<string, string>;
  /** Anything else per variable that a writer must keep (keyword -> raw PX items). */
  extra?: Record<string, string[]>;
  /** The Klass classification the codes come from ("131" municipalities, "104" counties). */
  classification?: { id: string };
  /**
   * The status that marks a value in a period it did not exist (a municipality before it was formed or after it
   * was merged away). Sums along this variable skip such cells, like a structural zero; a sum of only such cells
   * keeps the status. Without it every symbol counts as missing.
   */
  absentStatus?: number;
}

/** What a contents value measures: PX UNITS/DECIMALS/REFPERIOD/LAST-UPDATED ... per content. */
export interface ContentInfo {
  unit: Texts;
  decimals: number;
  refPeriod?: Texts;
  basePeriod?: Texts;
  lastUpdated?: string;
  contact?: Texts;
  /** S = stock, F = flow, A = average */
  stockFa?: string;
  /** C = current, F = fixed prices */
  cfPrices?: string;
  dayAdj?: boolean;
  seasAdj?: boolean;
}

/** A note or symbol attached to a range of cells. `'*'` in a coordinate means every value. */
export interface CellNote {
  /** One value code (or '*') per variable, in the table's variable order. */
  coords: string[];
  text: Texts;
  mandatory: boolean;
  /** true for DATANOTECELL (a short symbol shown beside the figure), false for CELLNOTE. */
  symbol?: boolean;
}

export interface TableMeta {
  /** Table id ("07459"). */
  id: string;
  /** PX MATRIX / statistic short name, when different from the id. */
  matrix?: string;
  title: Texts;
  /** PX CONTENTS: the seed of generated titles. */
  contents: Texts;
  description?: Texts;
  languages: string[];
  defaultLanguage: string;
  /** Variables in cube order: stub variables, then heading variables. Last varies fastest. */
  variables: Variable[];
  /** Codes of the stub variables (row placement); stub ++ heading = variables order. */
  stub: string[];
  heading: string[];
  /** Table-level unit, used when there is no contents variable. */
  unit?: Texts;
  /** Stored decimals (PX DECIMALS). */
  decimals: number;
  /** Shown decimals (PX SHOWDECIMALS). */
  showDecimals?: number;
  /** 0 = half to even, 1 = half up. */
  rounding?: 0 | 1;
  /** ContentInfo per contents value code (only when a variable has role 'contents'). */
  contentInfo?: Record<string, ContentInfo>;
  /** Display text per Status code, overriding the stored token (PX DATASYMBOLn/NIL/SUM). */
  symbols?: Partial<Record<number, Texts>>;
  notes?: Note[];
  cellNotes?: CellNote[];
  source?: Texts;
  contact?: Texts;
  /** ISO 8601 timestamps. */
  updated?: string;
  created?: string;
  nextUpdate?: string;
  subjectCode?: string;
  subjectArea?: Texts;
  officialStatistics?: boolean;
  aggregAllowed?: boolean;
  copyright?: boolean;
  infoFile?: string;
  /** PX CODEPAGE to write text formats in (default iso-8859-1 for PX). */
  codepage?: string;
  /** Keywords this model has no field for, kept for a faithful PX round trip. */
  extra?: ExtraKeyword[];
}

/** A PX entry kept as written: KEYWORD[lang]("sub",...)=items; */
export interface ExtraKeyword {
  keyword: string;
  lang?: string;
  subkeys?: string[];
  /** Raw items: quoted strings without their quotes; bare tokens prefixed by nothing. */
  items: string[];
  /** Which items were bare (unquoted) tokens. */
  bare?: boolean[];
}

/**
 * A cube: metadata plus dense values. Cell index is row-major over `meta.variables`
 * (the last variable varies fastest). `status` is null when no cell has a symbol.
 */
export interface Cube {
  meta: TableMeta;
  values: Float64Array;
  status: Uint8Array | null;
}

export function cellCount(meta: Pick<TableMeta, 'variables'>): number {
  let n = 1;
  for (const v of meta.variables) n *= v.values.length;
  return n;
}

/** Strides of each variable in the flat cell array. */
export function strides(sizes: readonly number[]): number[] {
  const s = new Array<number>(sizes.length);
  let acc = 1;
  for (let i = sizes.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= sizes[i];
  }
  return s;
}

export function contentsVariable(meta: TableMeta): Variable | undefined {
  return meta.variables.find((v) => v.role === 'contents');
}

export function timeVariable(meta: TableMeta): Variable | undefined {
  return meta.variables.find((v) => v.role === 'time');
}

/** Decimals to show for a cell of contents value `contentsCode` (or the table when none). */
export function shownDecimals(meta: TableMeta, contentsCode?: string): number {
  if (contentsCode !== undefined && meta.contentInfo?.[contentsCode]) {
    return meta.contentInfo[contentsCode].decimals;
  }
  return meta.showDecimals !== undefined ? Math.min(meta.showDecimals, meta.decimals) : meta.decimals;
}

/** The text to display for a status code in `lang`. */
export function symbolText(meta: TableMeta, status: number, lang: string): string {
  const t = meta.symbols?.[status];
  if (t) {
    const s = text(t, lang, meta.defaultLanguage);
    if (s !== '') return s;
  }
  if (status === Status.Split) return SPLIT_SYMBOL;
  return STATUS_TOKENS[status] ?? '..';
}
