// Building blocks of the demo tables: bilingual texts, variables, time codes, table metadata and cell filling.

import {
  Status,
  strides,
  type ContentInfo,
  type Cube,
  type Grouping,
  type Note,
  type TableMeta,
  type Texts,
  type TimeUnit,
  type Value,
  type ValueSet,
  type Variable,
} from '../core/model.js';

export interface DemoContext {
  /** Newest year of the data (default 2025). */
  lastYear: number;
}

/** A table of the demo database: where it is listed and how its cube is built. */
export interface DemoTableDef {
  id: string;
  folders: string[];
  shortName?: string;
  discontinued?: boolean;
  /** Left out of the small demo (fast tests). */
  large?: boolean;
  /** Publication timestamp (ISO), deterministic. */
  published(ctx: DemoContext): string;
  build(ctx: DemoContext): Cube;
}

export const t = (no: string, en: string = no): Texts => ({ no, en });

export const DEMO_NOTE: Note = {
  text: t('Demodata: tallene er generert og ikke ekte statistikk.', 'Demo data: the numbers are generated, not real statistics.'),
  mandatory: true,
};

export const DEMO_SOURCE = t('Statistisk sentralbyrå (demodata)', 'Statistics Norway (demo data)');

/**
 * Statistics Norway's display symbols: stored `.` shows as `..` (not available), `..` as `...` (not yet
 * available), `...` as `:` (confidential), a sum of different symbols as `.`; nil stays `-`.
 */
export const SSB_SYMBOLS: Partial<Record<number, Texts>> = {
  [Status.Dot1]: t('..'),
  [Status.Dot2]: t('...'),
  [Status.Dot3]: t(':'),
  [Status.DotSum]: t('.'),
};

/** The status codes to store for each symbol shown. */
export const SYM = { NotAvailable: Status.Dot1, NotYet: Status.Dot2, Confidential: Status.Dot3, Nil: Status.Nil } as const;

export function note(no: string, en: string, mandatory = false): Note {
  return { text: t(no, en), mandatory };
}

/** Values from [code, no, en] rows (en defaults to no). */
export function vals(rows: readonly (readonly [string, string, string?])[]): Value[] {
  return rows.map(([code, no, en]) => ({ code, label: t(no, en ?? no) }));
}

export interface VarSpec {
  code: string;
  label: Texts;
  values: Value[];
  elimination?: boolean;
  eliminationValue?: string;
  role?: Variable['role'];
  notes?: Note[];
  valueSets?: ValueSet[];
  groupings?: Grouping[];
  hierarchy?: Record<string, string>;
  map?: string;
  domain?: string;
}

export function variable(s: VarSpec): Variable {
  const v: Variable = { code: s.code, label: s.label, values: s.values, elimination: s.elimination ?? false };
  if (s.role) v.role = s.role;
  if (s.eliminationValue !== undefined) v.eliminationValue = s.eliminationValue;
  if (s.notes) v.notes = s.notes;
  if (s.valueSets) v.valueSets = s.valueSets;
  if (s.groupings) v.groupings = s.groupings;
  if (s.hierarchy) v.hierarchy = s.hierarchy;
  if (s.map) v.map = s.map;
  if (s.domain) v.domain = s.domain;
  return v;
}

// ---- time ----

export function years(from: number, to: number, step = 1): string[] {
  const out: string[] = [];
  for (let y = from; y <= to; y += step) out.push(String(y));
  return out;
}

/** Months "1979M01".."2025M10". */
export function months(fromYear: number, fromMonth: number, toYear: number, toMonth: number): string[] {
  const out: string[] = [];
  for (let y = fromYear, m = fromMonth; y < toYear || (y === toYear && m <= toMonth); m === 12 ? ((m = 1), y++) : m++) {
    out.push(`${y}M${String(m).padStart(2, '0')}`);
  }
  return out;
}

/** Quarters "2024K1" (Statistics Norway writes K for kvartal). */
export function quarters(fromYear: number, fromQ: number, toYear: number, toQ: number): string[] {
  const out: string[] = [];
  for (let y = fromYear, q = fromQ; y < toYear || (y === toYear && q <= toQ); q === 4 ? ((q = 1), y++) : q++) out.push(`${y}K${q}`);
  return out;
}

/** Number of ISO weeks in a year (52 or 53). */
export function isoWeeksInYear(y: number): number {
  const dow = (yy: number) => (yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400)) % 7;
  return dow(y) === 4 || dow(y - 1) === 3 ? 53 : 52;
}

/** ISO weeks "2025U01" (Statistics Norway writes U for uke). */
export function weeks(fromYear: number, toYear: number, toWeek: number): string[] {
  const out: string[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    const last = y === toYear ? Math.min(toWeek, isoWeeksInYear(y)) : isoWeeksInYear(y);
    for (let w = 1; w <= last; w++) out.push(`${y}U${String(w).padStart(2, '0')}`);
  }
  return out;
}

const TIME_LABELS: Record<string, Texts> = {
  A: t('år', 'year'),
  Q: t('kvartal', 'quarter'),
  M: t('måned', 'month'),
  W: t('uke', 'week'),
};

export function timeVar(unit: 'A' | 'Q' | 'M' | 'W', codes: string[], notes?: Note[]): Variable {
  const v = variable({ code: 'Tid', label: TIME_LABELS[unit], role: 'time', values: codes.map((c) => ({ code: c, label: t(c) })), notes });
  v.timeUnit = unit as TimeUnit;
  return v;
}

// ---- contents ----

export interface ContentSpec extends Partial<ContentInfo> {
  code: string;
  label: Texts;
  unit: Texts;
  decimals: number;
  notes?: Note[];
}

export function contentsVar(specs: ContentSpec[]): { variable: Variable; info: Record<string, ContentInfo> } {
  const info: Record<string, ContentInfo> = {};
  const values: Value[] = [];
  for (const { code, label, notes, ...ci } of specs) {
    info[code] = ci as ContentInfo;
    const v: Value = { code, label };
    if (notes) v.notes = notes;
    values.push(v);
  }
  return { variable: variable({ code: 'ContentsCode', label: t('statistikkvariabel', 'contents'), role: 'contents', values }), info };
}

// ---- table metadata ----

const SUBJECTS: Record<string, Texts> = {
  al: t('Arbeid og lønn', 'Labour market and earnings'),
  be: t('Befolkning', 'Population'),
  os: t('Offentlig sektor', 'Public sector'),
  pp: t('Priser og prisindekser', 'Prices and price indices'),
  sk: t('Sosiale forhold og kriminalitet', 'Social conditions, welfare and crime'),
  tr: t('Transport og reiseliv', 'Transport and tourism'),
  uh: t('Utenrikshandel', 'External trade'),
};

export interface MetaSpec {
  id: string;
  /** What the table shows, without the id ("Befolkning"); CONTENTS becomes "07459: Befolkning,". */
  contents: Texts;
  variables: Variable[];
  contentInfo: Record<string, ContentInfo>;
  subject: keyof typeof SUBJECTS;
  updated: string;
  /** How many of the last variables form the heading (default 2: contents and time). */
  heading?: number;
  notes?: Note[];
  matrix?: string;
  aggregAllowed?: boolean;
  description?: Texts;
}

const JOIN: Record<string, [string, string]> = { no: ['etter', 'og'], en: ['by', 'and'] };

/** PX-style title: CONTENTS + " etter a, b og c" per language, over every variable. */
function makeTitle(contents: Texts, variables: Variable[]): Texts {
  const out: Texts = {};
  for (const lang of Object.keys(contents)) {
    const [by, and] = JOIN[lang] ?? JOIN.en;
    const names = variables.map((v) => v.label[lang] ?? v.label.no);
    const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}` : names[0];
    out[lang] = `${contents[lang]} ${by} ${list}`;
  }
  return out;
}

export function tableMeta(s: MetaSpec): TableMeta {
  const contents: Texts = {};
  for (const [lang, text] of Object.entries(s.contents)) contents[lang] = `${s.id}: ${text},`;
  const heading = s.heading ?? 2;
  const codes = s.variables.map((v) => v.code);
  const decimals = Math.max(0, ...Object.values(s.contentInfo).map((c) => c.decimals));
  const meta: TableMeta = {
    id: s.id,
    title: makeTitle(contents, s.variables),
    contents,
    languages: ['no', 'en'],
    defaultLanguage: 'no',
    variables: s.variables,
    stub: codes.slice(0, codes.length - heading),
    heading: codes.slice(codes.length - heading),
    decimals,
    contentInfo: s.contentInfo,
    symbols: SSB_SYMBOLS,
    notes: [DEMO_NOTE, ...(s.notes ?? [])],
    source: DEMO_SOURCE,
    updated: s.updated,
    subjectCode: s.subject,
    subjectArea: SUBJECTS[s.subject],
    officialStatistics: false,
    aggregAllowed: s.aggregAllowed ?? false,
    copyright: false,
  };
  if (s.matrix) meta.matrix = s.matrix;
  if (s.description) meta.description = s.description;
  return meta;
}

// ---- cells ----

/** What a cell generator returns: a number, or a status code for a symbol cell. */
export type CellValue = number | { status: Status };

/**
 * Fill a cube cell by cell in cube order. `f` gets the value index per variable (reused array: read only)
 * and returns the value, or `{ status }` for a missing-value symbol.
 */
export function fillCube(meta: TableMeta, f: (ix: Int32Array) => CellValue): Cube {
  const sizes = meta.variables.map((v) => v.values.length);
  const n = sizes.reduce((a, b) => a * b, 1);
  const values = new Float64Array(n);
  let status: Uint8Array | null = null;
  const ix = new Int32Array(sizes.length);
  for (let i = 0; i < n; i++) {
    const r = f(ix);
    if (typeof r === 'number') values[i] = r;
    else if (r.status !== Status.Value) {
      status ??= new Uint8Array(n);
      status[i] = r.status;
    }
    for (let d = sizes.length - 1; d >= 0; d--) {
      if (++ix[d] < sizes[d]) break;
      ix[d] = 0;
    }
  }
  return { meta, values, status };
}

/** Flat index of a cell from value indices (for generators that compute cells out of order). */
export function flatIndex(meta: TableMeta, ix: readonly number[]): number {
  const st = strides(meta.variables.map((v) => v.values.length));
  let i = 0;
  for (let d = 0; d < ix.length; d++) i += ix[d] * st[d];
  return i;
}

/** The index of each code of a variable. */
export function indexOf(v: Variable): Map<string, number> {
  return new Map(v.values.map((x, i) => [x.code, i]));
}
