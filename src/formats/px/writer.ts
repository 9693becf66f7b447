// Cube -> PX file. Writes every field of the model in all of the table's languages (or in one
// language for API downloads), plus the keywords kept in `extra`, so that reading the output
// gives the same cube. Long values are cut into quoted pieces of at most 256 characters
// (readers concatenate adjacent pieces); TLIST stays unquoted; DATA uses the stored decimals.

import {
  SPLIT_SYMBOL,
  STATUS_TOKENS,
  Status,
  text,
  type CellNote,
  type Cube,
  type ExtraKeyword,
  type Note,
  type Texts,
  type TimeUnit,
  type Variable,
} from '../../core/model.js';
import { TextDecoder } from 'node:util';
import type { SerializedBody, SerializedStream, SerializeOptions, Serializer } from '../serializer.js';
import { collect, paced } from '../streaming.js';
import { findCodepage } from '../codepages.js';
import { DEFAULT_TIME_ZONE, toLocalIso } from '../timeZone.js';

export interface WritePxOptions {
  /** Write this one language only (its texts, falling back to the default language). */
  lang?: string;
  /** CODEPAGE to encode in; default the table's, else iso-8859-1. Unencodable text -> utf-8. */
  codepage?: string;
  /** Line ending (default CRLF, as PC-Axis and PxWeb write). */
  newline?: string;
  /** The office's time zone: dates stored as instants (`...Z`) are written as its local clock time (default Europe/Oslo). */
  timeZone?: string;
}

const MAX_LINE = 256;

type Item = { q: string } | { b: string };

const PRESTEXT: Record<string, number> = { code: 0, value: 1, code_value: 2, value_code: 3 };

const SYMBOL_KEYWORDS: [number, string][] = [
  [1, 'DATASYMBOL1'],
  [2, 'DATASYMBOL2'],
  [3, 'DATASYMBOL3'],
  [4, 'DATASYMBOL4'],
  [5, 'DATASYMBOL5'],
  [6, 'DATASYMBOL6'],
  [7, 'DATASYMBOLSUM'],
  [8, 'DATASYMBOLNIL'],
];

/** ISO 8601 -> "CCYYMMDD hh:mm" (seconds kept when given); anything else unchanged. */
export function isoToPxDate(s: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  s = toLocalIso(s, timeZone);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (!m) return s;
  const d = `${m[1]}${m[2]}${m[3]}`;
  if (m[4] === undefined) return d;
  return `${d} ${m[4]}:${m[5]}${m[6] !== undefined ? ':' + m[6] : ''}`;
}

/** The TIMEVAL stamp of a time code in the spec's form (2007K1 -> 20071, 2025M11 -> 202511). */
export function timeStamp(unit: TimeUnit, code: string): string {
  const pats: Partial<Record<TimeUnit, RegExp>> = {
    H: /^(\d{4})[Hh]?([12])$/,
    Q: /^(\d{4})[QqKk]?([1-4])$/,
    T: /^(\d{4})[Tt]?([1-3])$/,
    M: /^(\d{4})[Mm]?(\d{2})$/,
    W: /^(\d{4})[WwUu]?(\d{2})$/,
  };
  const p = pats[unit];
  if (p) {
    const m = p.exec(code);
    return m ? m[1] + m[2] : code;
  }
  if (unit === 'D') {
    const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(code);
    return m ? m[1] + m[2] + m[3] : code;
  }
  return code;
}

function clean(s: string): string {
  // a PX string cannot contain a quote (there is no escape): PxWeb turns it into an apostrophe
  return s.indexOf('"') >= 0 ? s.replace(/"/g, "'") : s;
}

/** Where to cut a string so the piece has at most `max` chars (prefers just after a blank). */
function cutAt(s: string, max: number): number {
  let n = Math.min(max, s.length);
  if (n < s.length) {
    const sp = s.lastIndexOf(' ', n - 1);
    if (sp >= n - 40 && sp > 0) n = sp + 1;
    const c = s.charCodeAt(n - 1);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return Math.max(1, n);
}

class PxWriter {
  readonly lines: string[] = [];
  readonly def: string;
  readonly langs: string[];
  readonly single: boolean;
  codepageLine = -1;

  constructor(
    readonly cube: Cube,
    readonly o: WritePxOptions,
    /** The DATASYMBOLn slot split cells are written in (see splitSlot). */
    readonly split?: number,
  ) {
    const m = cube.meta;
    this.single = o.lang !== undefined;
    this.def = o.lang ?? m.defaultLanguage;
    this.langs = this.single ? [o.lang!] : [m.defaultLanguage, ...m.languages.filter((l) => l !== m.defaultLanguage)];
  }

  /** Text in `lang`; in multi-language mode undefined when that language has none. */
  own(t: Texts | undefined, lang: string): string | undefined {
    if (!t) return undefined;
    if (this.single) {
      const s = text(t, lang, this.cube.meta.defaultLanguage);
      return Object.keys(t).length ? s : undefined;
    }
    return t[lang];
  }

  /** Text in `lang` with fallback (names used as subkeys must always exist). */
  any(t: Texts | undefined, lang: string): string {
    return text(t, lang, this.cube.meta.defaultLanguage);
  }

  key(kw: string, lang: string | undefined, subkeys?: string[]): string {
    let k = kw;
    if (lang !== undefined && lang !== this.def && !this.single) k += `[${lang}]`;
    if (subkeys) k += '(' + subkeys.map((s) => `"${clean(s)}"`).join(',') + ')';
    return k;
  }

  /** Entry heads written so far (single-language mode skips kept keywords already written). */
  readonly written = new Set<string>();

  entry(head: string, items: Item[]): void {
    this.written.add(head);
    const out = this.lines;
    let line = head + '=';
    let fresh = true; // nothing written after the key yet
    if (items.length === 0) {
      out.push(line + ';');
      return;
    }
    items.forEach((it, k) => {
      const sep = k === items.length - 1 ? ';' : ',';
      if ('b' in it) {
        const tok = it.b + sep;
        if (!fresh && line.length + tok.length > MAX_LINE) {
          out.push(line);
          line = '';
        }
        line += tok;
        fresh = false;
        return;
      }
      let s = clean(it.q);
      const full = `"${s}"${sep}`;
      if (line.length + full.length <= MAX_LINE) {
        line += full;
        fresh = false;
        return;
      }
      if (!fresh && full.length <= MAX_LINE) {
        out.push(line);
        line = full;
        return;
      }
      // split the string into pieces
      let room = MAX_LINE - line.length - 2;
      if (room < 20) {
        out.push(line);
        line = '';
        room = MAX_LINE - 2;
      }
      let n = cutAt(s, room);
      out.push(`${line}"${s.slice(0, n)}"`);
      s = s.slice(n);
      while (s.length + 2 + sep.length > MAX_LINE) {
        n = cutAt(s, MAX_LINE - 2);
        out.push(`"${s.slice(0, n)}"`);
        s = s.slice(n);
      }
      line = `"${s}"${sep}`;
      fresh = false;
    });
    out.push(line);
  }

  str(kw: string, lang: string | undefined, value: string, subkeys?: string[]): void {
    this.entry(this.key(kw, lang, subkeys), [{ q: value }]);
  }

  bare(kw: string, value: string, subkeys?: string[], lang?: string): void {
    this.entry(this.key(kw, lang, subkeys), [{ b: value }]);
  }

  /** A language-dependent table-level text, one entry per language that has it. */
  texts(kw: string, t: Texts | undefined): void {
    for (const l of this.langs) {
      const s = this.own(t, l);
      if (s !== undefined) this.str(kw, l, s);
    }
  }

  /** Languages in which a set of names should be written (default always). */
  langsWithAny(ts: (Texts | undefined)[]): string[] {
    if (this.single) return this.langs;
    return this.langs.filter((l, i) => i === 0 || ts.some((t) => t?.[l] !== undefined));
  }

  write(): string[] {
    const { meta } = this.cube;
    const vars = meta.variables.length ? meta.variables : [this.placeholderVariable()];
    const stubCount = this.stubCount(vars);
    const stubVars = vars.slice(0, stubCount);
    const headVars = vars.slice(stubCount);
    const extras = this.extrasToWrite(meta.extra ?? []);
    this.str('CHARSET', undefined, 'ANSI');
    // AXIS-VERSION is kept in `extra`; written up here when it comes first there (keeps the order)
    const axis = extras[0]?.keyword === 'AXIS-VERSION' ? extras[0] : undefined;
    if (axis) this.extraEntry(axis);
    this.codepageLine = this.lines.length;
    this.str('CODEPAGE', undefined, 'utf-8'); // replaced once the encoding is known
    this.str('LANGUAGE', undefined, this.def);
    if (this.langs.length > 1) this.entry('LANGUAGES', this.langs.map((l) => ({ q: l })));
    if (meta.created !== undefined) this.str('CREATION-DATE', undefined, isoToPxDate(meta.created, this.o.timeZone));
    this.bare('DECIMALS', String(meta.decimals));
    if (meta.showDecimals !== undefined) this.bare('SHOWDECIMALS', String(meta.showDecimals));
    if (meta.rounding !== undefined) this.bare('ROUNDING', String(meta.rounding));
    this.str('MATRIX', undefined, meta.matrix ?? meta.id);
    if (meta.aggregAllowed !== undefined) this.bare('AGGREGALLOWED', meta.aggregAllowed ? 'YES' : 'NO');
    if (meta.copyright !== undefined) this.bare('COPYRIGHT', meta.copyright ? 'YES' : 'NO');
    if (meta.subjectCode !== undefined) this.str('SUBJECT-CODE', undefined, meta.subjectCode);
    this.texts('SUBJECT-AREA', meta.subjectArea);
    this.texts('TITLE', meta.title);
    this.texts('DESCRIPTION', meta.description);
    this.texts('CONTENTS', meta.contents);
    this.texts('UNITS', meta.unit);
    // variables
    for (const l of this.langsWithAny(vars.map((v) => v.label))) {
      if (stubVars.length) this.entry(this.key('STUB', l), stubVars.map((v) => ({ q: this.any(v.label, l) })));
      if (headVars.length) this.entry(this.key('HEADING', l), headVars.map((v) => ({ q: this.any(v.label, l) })));
    }
    const cont = vars.find((v) => v.role === 'contents');
    if (cont) for (const l of this.langsWithAny([cont.label])) this.str('CONTVARIABLE', l, this.any(cont.label, l));
    for (const v of vars) {
      for (const l of this.langsWithAny(v.values.map((x) => x.label))) {
        this.entry(this.key('VALUES', l, [this.any(v.label, l)]), v.values.map((x) => ({ q: this.any(x.label, l) })));
      }
    }
    for (const v of vars) {
      if (v.role !== 'time' || !v.timeUnit || v.timeUnit === 'O') continue;
      const unit = v.timeUnit;
      for (const l of this.langsWithAny([v.label])) {
        this.entry(this.key('TIMEVAL', l, [this.any(v.label, l)]), [
          { b: `TLIST(${unit}1)` },
          ...v.values.map((x) => ({ q: timeStamp(unit, x.code) })),
        ]);
      }
    }
    const defLang = this.langs[0];
    for (const v of vars) this.entry(this.key('CODES', defLang, [this.any(v.label, defLang)]), v.values.map((x) => ({ q: x.code })));
    for (const v of vars) {
      // also when equal to the name, if another language's VARIABLECODE is kept: it must not win
      const keptOther = Object.keys(v.extra ?? {}).some((k) => k.startsWith('VARIABLECODE['));
      if (v.code === this.any(v.label, defLang) && !keptOther) continue;
      for (const l of this.langsWithAny([v.label])) this.str('VARIABLECODE', l, v.code, [this.any(v.label, l)]);
    }
    for (const v of vars) {
      const name = [this.any(v.label, defLang)];
      if (v.domain !== undefined) this.str('DOMAIN', defLang, v.domain, name);
      if (v.map !== undefined) this.str('MAP', defLang, v.map, name);
      if (v.presentation !== undefined && PRESTEXT[v.presentation] !== undefined) {
        this.bare('PRESTEXT', String(PRESTEXT[v.presentation]), name);
      }
    }
    for (const v of vars) {
      if (!v.elimination) continue;
      const ev = v.eliminationValue !== undefined ? v.values.find((x) => x.code === v.eliminationValue) : undefined;
      for (const l of this.langsWithAny(ev ? [ev.label, v.label] : [v.label])) {
        const sub = [this.any(v.label, l)];
        if (ev) this.str('ELIMINATION', l, this.any(ev.label, l), sub);
        else this.bare('ELIMINATION', 'YES', sub, l);
      }
    }
    for (const v of vars) if (v.hierarchy) this.hierarchy(v, defLang);
    this.precision(vars, defLang);
    if (cont) this.contentInfo(cont);
    if (meta.updated !== undefined) this.str('LAST-UPDATED', undefined, isoToPxDate(meta.updated, this.o.timeZone));
    if (meta.nextUpdate !== undefined) this.str('NEXT-UPDATE', undefined, isoToPxDate(meta.nextUpdate, this.o.timeZone));
    this.texts('SOURCE', meta.source);
    this.texts('CONTACT', meta.contact);
    if (meta.infoFile !== undefined) this.str('INFOFILE', undefined, meta.infoFile);
    if (meta.officialStatistics !== undefined) this.bare('OFFICIAL-STATISTICS', meta.officialStatistics ? 'YES' : 'NO');
    for (const [st, kw] of SYMBOL_KEYWORDS) {
      // the free slot carries the split symbol's text (the table's own, else `x` in every language)
      const t = st === this.split ? (meta.symbols?.[Status.Split] ?? Object.fromEntries(this.langs.map((l) => [l, SPLIT_SYMBOL]))) : meta.symbols?.[st];
      this.texts(kw, t);
    }
    // notes
    this.notes(meta.notes, (kw, l) => this.key(kw, l));
    for (const v of vars) {
      this.notes(v.notes, (kw, l) => this.key(kw, l, [this.any(v.label, l)]));
      for (const x of v.values) {
        this.notes(x.notes, (kw, l) => this.key(kw === 'NOTE' ? 'VALUENOTE' : 'VALUENOTEX', l, [this.any(v.label, l), this.any(x.label, l)]));
      }
    }
    for (const cn of meta.cellNotes ?? []) this.cellNote(cn, vars);
    // kept keywords
    for (const v of vars) this.variableExtra(v);
    for (const e of extras) {
      if (e !== axis) this.extraEntry(e);
    }
    return this.lines;
  }

  extraEntry(e: ExtraKeyword): void {
    if (this.single && this.written.has(this.key(e.keyword, e.lang, e.subkeys))) return;
    this.entry(this.key(e.keyword, e.lang, e.subkeys), e.items.map((s, i) => (e.bare?.[i] ? { b: s } : { q: s })));
  }

  stubCount(vars: Variable[]): number {
    const stub = new Set(this.cube.meta.stub);
    let n = 0;
    while (n < vars.length && stub.has(vars[n].code)) n++;
    return n;
  }

  /** A cube whose variables were all eliminated still needs one variable in PX. */
  placeholderVariable(): Variable {
    const label: Texts = {};
    for (const l of this.langs) label[l] = this.any(this.cube.meta.contents, l) || 'total';
    return { code: 'total', label, values: [{ code: 'total', label: { ...label } }], elimination: false };
  }

  hierarchy(v: Variable, lang: string): void {
    const h = v.hierarchy!;
    const children = new Map<string, string[]>();
    const isChild = new Set(Object.keys(h));
    for (const x of v.values) {
      const p = h[x.code];
      if (p === undefined) continue;
      const l = children.get(p);
      if (l) l.push(x.code);
      else children.set(p, [x.code]);
    }
    const items: Item[] = [];
    const visit = (code: string) => {
      for (const c of children.get(code) ?? []) {
        items.push({ b: `"${clean(code)}":"${clean(c)}"` });
        visit(c);
      }
    };
    for (const x of v.values) {
      if (isChild.has(x.code) || !children.has(x.code)) continue;
      items.push({ q: x.code });
      visit(x.code);
    }
    if (items.length) this.entry(this.key('HIERARCHIES', lang, [this.any(v.label, lang)]), items);
  }

  precision(vars: Variable[], lang: string): void {
    const meta = this.cube.meta;
    const shown = meta.showDecimals !== undefined ? Math.min(meta.showDecimals, meta.decimals) : meta.decimals;
    for (const v of vars) {
      for (const x of v.values) {
        let p = x.precision;
        if (p === undefined && v.role === 'contents') {
          const d = meta.contentInfo?.[x.code]?.decimals;
          if (d !== undefined && d > shown) p = d;
        }
        if (p !== undefined) this.bare('PRECISION', String(p), [this.any(v.label, lang), this.any(x.label, lang)]);
      }
    }
  }

  contentInfo(cont: Variable): void {
    const info = this.cube.meta.contentInfo ?? {};
    const yn = (b: boolean) => (b ? 'YES' : 'NO');
    for (const x of cont.values) {
      const ci = info[x.code];
      if (!ci) continue;
      const textKw: [string, Texts | undefined][] = [
        ['UNITS', ci.unit],
        ['REFPERIOD', ci.refPeriod],
        ['BASEPERIOD', ci.basePeriod],
        ['CONTACT', ci.contact],
      ];
      for (const [kw, t] of textKw) {
        for (const l of this.langs) {
          const s = this.own(t, l);
          if (s !== undefined) this.str(kw, l, s, [this.any(x.label, l)]);
        }
      }
      const scalars: [string, string | undefined, boolean][] = [
        ['LAST-UPDATED', ci.lastUpdated !== undefined ? isoToPxDate(ci.lastUpdated, this.o.timeZone) : undefined, false],
        ['STOCKFA', ci.stockFa, false],
        ['CFPRICES', ci.cfPrices, false],
        ['DAYADJ', ci.dayAdj !== undefined ? yn(ci.dayAdj) : undefined, true],
        ['SEASADJ', ci.seasAdj !== undefined ? yn(ci.seasAdj) : undefined, true],
      ];
      for (const [kw, s, isBare] of scalars) {
        if (s === undefined) continue;
        for (const l of this.langsWithAny([x.label])) {
          const sub = [this.any(x.label, l)];
          if (isBare) this.bare(kw, s, sub, l);
          else this.str(kw, l, s, sub);
        }
      }
    }
  }

  notes(notes: Note[] | undefined, head: (kw: string, lang: string) => string): void {
    for (const n of notes ?? []) {
      const kw = n.mandatory ? 'NOTEX' : 'NOTE';
      for (const l of this.langs) {
        const s = this.own(n.text, l);
        if (s !== undefined) this.entry(head(kw, l), [{ q: s }]);
      }
    }
  }

  cellNote(cn: CellNote, vars: Variable[]): void {
    if (cn.coords.length !== vars.length) return;
    const vals = cn.coords.map((c, d) => (c === '*' ? null : vars[d].values.find((x) => x.code === c)));
    if (vals.some((x) => x === undefined)) return; // a value that is not in this cube
    const kw = cn.symbol ? 'DATANOTECELL' : cn.mandatory ? 'CELLNOTEX' : 'CELLNOTE';
    for (const l of this.langs) {
      const s = this.own(cn.text, l);
      if (s === undefined) continue;
      // CELLNOTE names values by text (spec), DATANOTECELL by code
      const sub = vals.map((x) => (x === null ? '*' : cn.symbol ? x!.code : this.any(x!.label, l)));
      this.str(kw, l, s, sub);
    }
  }

  /** Variable.extra keys are "KEYWORD" or "KEYWORD[lang]". */
  variableExtra(v: Variable): void {
    const ex = v.extra ?? {};
    const keys = Object.keys(ex);
    let hasType = false;
    for (const k of keys) {
      const m = /^([^[]+)(?:\[([^\]]+)\])?$/.exec(k);
      if (!m) continue;
      const kw = m[1];
      const lang = m[2];
      if (kw === 'VARIABLE-TYPE' || kw === 'TIMEVAL') hasType = true;
      if (this.single) {
        if ((lang ?? this.cube.meta.defaultLanguage) !== this.def && (lang !== undefined || keys.includes(`${kw}[${this.def}]`))) continue;
      } else if (lang !== undefined && !this.langs.includes(lang)) continue;
      const l = lang ?? this.langs[0];
      const items: Item[] = ex[k].map((s) => (/^(YES|NO|-?\d+)$/.test(s) ? { b: s } : { q: s }));
      const head = this.key(kw, l, [this.any(v.label, l)]);
      if (this.single && this.written.has(head)) continue;
      this.entry(head, items);
    }
    // keep the role readable when nothing else says it
    const names = new Set(Object.values(v.label));
    if (!hasType && this.cube.meta.extra?.some((e) => e.keyword === 'TIMEVAL' && names.has(e.subkeys?.[0] ?? ''))) hasType = true;
    if (!hasType) {
      const t = v.role === 'geo' && v.map === undefined ? 'G' : v.role === 'time' && !v.timeUnit ? 'T' : undefined;
      if (t) this.str('VARIABLE-TYPE', this.langs[0], t, [this.any(v.label, this.langs[0])]);
    }
  }

  /** meta.extra entries for the languages being written. */
  extrasToWrite(extra: ExtraKeyword[]): ExtraKeyword[] {
    if (!this.single) return extra.filter((e) => e.lang === undefined || this.langs.includes(e.lang));
    const def = this.cube.meta.defaultLanguage;
    const sig = (e: ExtraKeyword) => `${e.keyword}\u0000${e.subkeys?.length ?? 0}`;
    const tagged = new Set(extra.filter((e) => e.lang === this.def).map(sig));
    return extra.filter((e) => {
      const l = e.lang ?? def;
      if (l === this.def) return true;
      return e.lang === undefined && !tagged.has(sig(e));
    });
  }
}

/** A cell value with the stored decimals; more digits when that would change the number. */
function formatNumber(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return '".."';
  let s = v.toFixed(decimals);
  if (Number(s) !== v) s = String(v);
  if (v === 0 && Object.is(v, -0)) s = '-' + s;
  return s;
}

/**
 * The DATA entry as ASCII bytes, written straight into buffers (no string per cell): one STUB row
 * per line, long rows wrapped between cells to stay within 256 characters.
 */
function dataBytes(cube: Cube, rowCells: number, nl: string, split?: number): Buffer {
  return collect(dataChunks(cube, rowCells, nl, split));
}

/** The DATA entry in chunks of about 1 MB (see dataBytes). */
function* dataChunks(cube: Cube, rowCells: number, nl: string, split?: number): Generator<Buffer, void, undefined> {
  const { values, status } = cube;
  const dec = cube.meta.decimals;
  const nlBytes = Buffer.from(nl, 'latin1');
  // integers are the common case: digits plus a fixed ".00…" suffix, no toFixed round trip
  const zeros = Buffer.from(dec > 0 ? '.' + '0'.repeat(dec) : '', 'latin1');
  const symbols = STATUS_TOKENS.map((t, s) => Buffer.from(`"${(s === Status.Split && split !== undefined ? STATUS_TOKENS[split] : t) || '..'}"`, 'latin1'));
  const chunks: Buffer[] = [];
  const CHUNK = 1 << 20;
  let buf = Buffer.allocUnsafe(CHUNK);
  let pos = 0;
  const room = (k: number) => {
    if (pos + k > buf.length) {
      chunks.push(buf.subarray(0, pos));
      buf = Buffer.allocUnsafe(Math.max(CHUNK, k));
      pos = 0;
    }
  };
  const put = (b: Uint8Array) => {
    room(b.length);
    buf.set(b, pos);
    pos += b.length;
  };
  put(Buffer.from('DATA=' + nl, 'latin1'));
  const digits = new Uint8Array(24);
  const n = values.length;
  for (let i = 0; i < n; i += rowCells) {
    let lineLen = 0;
    for (let j = 0; j < rowCells && i + j < n; j++) {
      const st = status ? status[i + j] : 0;
      const x = values[i + j];
      let tok: Uint8Array | null = null;
      let nd = 0;
      let neg = false;
      let len: number;
      if (st !== 0) {
        tok = symbols[st] ?? symbols[2];
        len = tok.length;
      } else if (Number.isInteger(x) && x < 1e15 && x > -1e15 && !Object.is(x, -0)) {
        neg = x < 0;
        let a = neg ? -x : x;
        do {
          digits[nd++] = 48 + (a % 10);
          a = Math.floor(a / 10);
        } while (a > 0);
        len = nd + (neg ? 1 : 0) + zeros.length;
      } else {
        tok = Buffer.from(formatNumber(x, dec), 'latin1');
        len = tok.length;
      }
      if (lineLen > 0) {
        if (lineLen + 1 + len > MAX_LINE) {
          put(nlBytes);
          lineLen = 0;
        } else {
          room(1);
          buf[pos++] = 32;
          lineLen++;
        }
      }
      if (tok) put(tok);
      else {
        room(len);
        if (neg) buf[pos++] = 45;
        while (nd > 0) buf[pos++] = digits[--nd];
        buf.set(zeros, pos);
        pos += zeros.length;
      }
      lineLen += len;
      if (chunks.length) yield* chunks.splice(0);
    }
    if (i + rowCells < n) put(nlBytes);
    if (chunks.length) yield* chunks.splice(0);
  }
  put(Buffer.from(';' + nl, 'latin1'));
  yield* chunks.splice(0);
  yield buf.subarray(0, pos);
}

/** Encode in `label`; null when a character cannot be written in it (or the codepage is unknown). */
function encode(s: string, label: string): Buffer | null {
  const l = label.toLowerCase();
  if (l === 'utf-16le' || l === 'utf-16') return Buffer.from('\ufeff' + s, 'utf16le');
  // UTF-8 holds every character; a lone surrogate (not a character) becomes U+FFFD
  if (l === 'utf-8' || l === 'utf8') return Buffer.from(s, 'utf8');
  return findCodepage(l)?.tryEncode(s) ?? null;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

function looksLikeUtf8(b: Buffer): boolean {
  let high = false;
  for (let i = 0; i < b.length; i++) {
    if (b[i] >= 0x80) {
      high = true;
      break;
    }
  }
  if (!high) return false;
  try {
    utf8Fatal.decode(b);
    return true;
  } catch {
    return false;
  }
}

/**
 * The dot code (1..6) a cube's Status.Split cells are written with: the highest DATASYMBOLn slot that no cell uses
 * and the table gives no text, so its DATASYMBOLn can carry the split symbol's text and a reader shows it again.
 * Undefined when no cell is split or every slot is taken (the cells then get the sum token `.......`).
 */
export function splitSlot(cube: Cube): number | undefined {
  const { status } = cube;
  if (!status) return undefined;
  const used = new Uint8Array(256);
  for (let i = 0; i < status.length; i++) used[status[i]] = 1;
  if (!used[Status.Split]) return undefined;
  for (let k = Status.Dot6; k >= Status.Dot1; k--) if (!used[k] && cube.meta.symbols?.[k] === undefined) return k;
  return undefined;
}

/** Write a cube as a PX file. */
export function writePx(cube: Cube, opts: WritePxOptions = {}): Buffer {
  return collect(pxChunks(cube, opts).chunks);
}

/**
 * A PX file as its codepage and chunks: the metadata (encoded at once: the codepage, the table's unless it cannot
 * hold the texts, is known before the first byte), then DATA in chunks of about 1 MB.
 */
export function pxChunks(cube: Cube, opts: WritePxOptions = {}): { codepage: string; chunks: Generator<Buffer, void, undefined> } {
  const nl = opts.newline ?? '\r\n';
  let cells = 1;
  for (const v of cube.meta.variables) cells *= v.values.length;
  if (cube.values.length !== cells) {
    throw new Error(`writePx: the cube has ${cube.values.length} values, its variables make ${cells} cells`);
  }
  const split = splitSlot(cube);
  const w = new PxWriter(cube, opts, split);
  const lines = w.write();
  const vars = cube.meta.variables;
  let rowCells = 1;
  for (let d = w.stubCount(vars.length ? vars : [w.placeholderVariable()]); d < vars.length; d++) rowCells *= vars[d].values.length;
  rowCells = Math.max(1, rowCells);
  let codepage = opts.codepage ?? cube.meta.codepage ?? 'iso-8859-1';
  const metaText = (cp: string) => {
    lines[w.codepageLine] = `CODEPAGE="${cp}";`;
    return lines.join(nl) + nl;
  };
  const wide = (cp: string) => /^utf-16/i.test(cp);
  if (wide(codepage)) {
    // UTF-16 files hold DATA as UTF-16 text too: written whole (a rare input-only form)
    const head = encode(metaText(codepage) + dataBytes(cube, rowCells, nl, split).toString('latin1'), codepage)!;
    return { codepage, chunks: (function* () { yield head; })() };
  }
  let head = encode(metaText(codepage), codepage);
  // readers take valid UTF-8 over the declared codepage: single-byte output that happens to be
  // valid UTF-8 (mojibake texts such as "Ã¤") would come back changed, so write UTF-8 instead
  if (head && !/^utf-/i.test(codepage) && looksLikeUtf8(head)) head = null;
  if (!head) {
    codepage = 'utf-8';
    head = encode(metaText(codepage), codepage)!;
  }
  const first = head;
  // the DATA part is ASCII, written as bytes whatever the codepage of the texts
  return { codepage, chunks: (function* () { yield first; yield* dataChunks(cube, rowCells, nl, split); })() };
}

/** PX downloads for the APIs: one language when `lang` is given. */
export const pxSerializer: Serializer = {
  id: 'px',
  serialize(cube: Cube, options: SerializeOptions): SerializedBody {
    const { codepage, chunks } = pxChunks(cube, { lang: options.lang, newline: options.newline, timeZone: options.timeZone });
    return { body: collect(chunks), contentType: pxContentType(codepage, options), extension: 'px' };
  },
  stream(cube: Cube, options: SerializeOptions): SerializedStream {
    const { codepage, chunks } = pxChunks(cube, { lang: options.lang, newline: options.newline, timeZone: options.timeZone });
    return { contentType: pxContentType(codepage, options), extension: 'px', chunks: paced(chunks, options.signal) };
  },
};

/** The file's codepage as the charset (the registry words it per API). */
function pxContentType(codepage: string, _options: SerializeOptions): string {
  return 'application/octet-stream; charset=' + codepage.toLowerCase();
}
