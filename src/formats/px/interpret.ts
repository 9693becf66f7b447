// PX entries -> cube metadata (spec §3-§10). The default language's entries define the
// variables and values; other languages are mapped onto them by position (STUB[sv] lists the
// same variables as STUB, VALUES[sv] the same values as VALUES). Every entry the model has no
// field for is kept (TableMeta.extra or Variable.extra) so the writer can re-emit it.
// Fatal (PxError): no STUB and no HEADING, a variable without VALUES (unless TIMEVAL can
// generate them), duplicate variable names, bad KEYS. Everything else is a warning.

import type {
  CellNote,
  ContentInfo,
  ExtraKeyword,
  Note,
  Presentation,
  TableMeta,
  Texts,
  TimeUnit,
  Value,
  Variable,
} from '../../core/model.js';
import type { KeysSpec } from './data.js';
import { PxError } from './errors.js';
import { itemText, plainText, type PxEntry, type PxItem } from './lexer.js';

export interface InterpretOptions {
  /** Language of untagged entries when the file has no LANGUAGE (default "no"). */
  defaultLanguage?: string;
  /** Table id; default MATRIX, then TABLEID, then `fallbackId`. */
  id?: string;
  fallbackId?: string;
  /** The encoding the metadata was decoded with (becomes meta.codepage). */
  codepage: string;
}

export interface Interpreted {
  meta: TableMeta;
  keys?: KeysSpec;
  /** Dimension sizes in cube order. */
  sizes: number[];
}

/** Content-value keywords (subkey = a value of the CONTVARIABLE). */
const CONTENT_KEYWORDS = new Set([
  'UNITS',
  'LAST-UPDATED',
  'CONTACT',
  'REFPERIOD',
  'BASEPERIOD',
  'STOCKFA',
  'CFPRICES',
  'DAYADJ',
  'SEASADJ',
]);

/** Convert "CCYYMMDD hh:mm" (and "CCYYMMDD") to ISO 8601; anything else is returned trimmed. */
export function pxDateToIso(s: string): string {
  const t = s.trim();
  const m = /^(\d{4})(\d{2})(\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (!m) return t;
  const date = `${m[1]}-${m[2]}-${m[3]}`;
  if (m[4] === undefined) return date;
  return `${date}T${m[4].padStart(2, '0')}:${m[5]}${m[6] !== undefined ? ':' + m[6] : ''}`;
}

const TIME_UNITS: Record<string, TimeUnit> = { A: 'A', H: 'H', Q: 'Q', K: 'Q', M: 'M', W: 'W', U: 'W', T: 'T', D: 'D' };

/** TLIST unit token ("A1", "Q1", SSB "K") -> TimeUnit. */
export function timeUnitOf(token: string): TimeUnit | undefined {
  const m = /^([A-Za-z])\d*$/.exec(token.trim());
  return m ? TIME_UNITS[m[1].toUpperCase()] : undefined;
}

const PERIODS: Partial<Record<TimeUnit, number>> = { H: 2, Q: 4, T: 3, M: 12 };
const MAX_RANGE = 100_000;

/** Expand a TIMEVAL range per unit; null when the stamps cannot be read. */
export function expandTimeRange(unit: TimeUnit | undefined, from: string, to: string): string[] | null {
  if (unit === 'A' || (unit === undefined && /^\d{4}$/.test(from))) {
    if (!/^\d{4}$/.test(from) || !/^\d{4}$/.test(to)) return null;
    const a = +from;
    const b = +to;
    if (b < a || b - a > MAX_RANGE) return null;
    return Array.from({ length: b - a + 1 }, (_, i) => String(a + i));
  }
  const per = unit ? PERIODS[unit] : undefined;
  if (!per) return null;
  const re = /^(\d{4})([A-Za-z]?)(\d{1,2})$/;
  const f = re.exec(from);
  const t = re.exec(to);
  if (!f || !t) return null;
  const width = f[3].length;
  const out: string[] = [];
  let y = +f[1];
  let p = +f[3];
  const endY = +t[1];
  const endP = +t[3];
  if (p < 1 || p > per || endP < 1 || endP > per) return null;
  while (y < endY || (y === endY && p <= endP)) {
    out.push(`${y}${f[2]}${String(p).padStart(width, '0')}`);
    if (out.length > MAX_RANGE) return null;
    if (++p > per) {
      p = 1;
      y++;
    }
  }
  return out.length ? out : null;
}

/** TIMEVAL items -> unit and stamps (ranges expanded). */
export function parseTimeval(items: PxItem[]): { unit?: TimeUnit; unitToken?: string; stamps: string[] | null } {
  let unit: TimeUnit | undefined;
  let unitToken: string | undefined;
  let stamps: string[] | null = [];
  for (const it of items) {
    if (it.kind === 'tlist') {
      unitToken = it.unit;
      unit = timeUnitOf(it.unit);
      if (it.from !== undefined && it.to !== undefined) {
        const r = expandTimeRange(unit, it.from, it.to);
        stamps = r && stamps ? [...stamps, ...r] : null;
      }
    } else if (it.kind === 'range') {
      const r = expandTimeRange(unit, it.from, it.to);
      stamps = r && stamps ? [...stamps, ...r] : null;
    } else if (it.kind === 'string' || it.kind === 'bare') {
      stamps?.push(it.value);
    }
  }
  return { unit, unitToken, stamps };
}

const PRESENTATIONS: Presentation[] = ['code', 'value', 'code_value', 'value_code'];

function yesNo(s: string): boolean | undefined {
  const t = s.trim().toUpperCase();
  if (t === 'YES') return true;
  if (t === 'NO') return false;
  return undefined;
}

function intOf(s: string): number | undefined {
  const t = s.trim();
  return /^-?\d{1,9}$/.test(t) ? Number(t) : undefined;
}

/** The value of a scalar entry: its one item (several items are joined with ", "). */
function scalar(e: PxEntry): string {
  if (e.items.length === 1) return plainText(e.items[0]);
  return e.items.map(plainText).join(', ');
}

function list(e: PxEntry): string[] {
  return e.items.map(plainText);
}

class Interpreter {
  readonly warnings: string[];
  readonly def: string;
  readonly languages: string[];
  private readonly used: Uint8Array;
  private readonly byKw = new Map<string, number[]>();
  private readonly nameMaps = new Map<string, Map<string, number>>();
  /** Per language, per variable: value text -> index. */
  private readonly textMaps = new Map<string, Map<string, number>[]>();
  private codeMaps: Map<string, number>[] = [];
  vars: Variable[] = [];
  stubCount = 0;

  constructor(
    readonly entries: PxEntry[],
    readonly o: InterpretOptions,
    warnings: string[],
  ) {
    this.warnings = warnings;
    this.used = new Uint8Array(entries.length);
    entries.forEach((e, i) => {
      const l = this.byKw.get(e.keyword);
      if (l) l.push(i);
      else this.byKw.set(e.keyword, [i]);
    });
    // default language and language list
    const okLang = (l: string, e: PxEntry) => {
      if (/^[a-z0-9_-]+$/.test(l)) return true;
      if (l !== '') warnings.push(`line ${e.line}: "${l}" is not a language code: ignored`);
      return false;
    };
    const langE = this.untagged('LANGUAGE');
    let def = langE ? scalar(langE).trim().toLowerCase() : '';
    if (langE && !okLang(def, langE)) def = '';
    const langsE = this.untagged('LANGUAGES');
    const listed = langsE
      ? list(langsE)
          .map((s) => s.trim().toLowerCase())
          .filter((s) => okLang(s, langsE))
      : [];
    if (!def) {
      if (listed.length) {
        const tagged = new Set(entries.map((e) => e.lang));
        def = listed.find((l) => !tagged.has(l)) ?? listed[0];
        warnings.push(`no LANGUAGE: untagged entries taken as "${def}" (from LANGUAGES)`);
      } else def = (o.defaultLanguage ?? 'no').toLowerCase();
      if (!/^[a-z0-9_-]+$/.test(def)) def = 'no';
    }
    this.def = def;
    const langs = [def];
    for (const l of listed) if (!langs.includes(l)) langs.push(l);
    const unknown = new Set<string>();
    for (const e of entries) {
      if (e.lang === def) delete e.lang;
      if (e.lang !== undefined && !langs.includes(e.lang)) {
        unknown.add(e.lang);
        langs.push(e.lang);
      }
    }
    if (unknown.size) warnings.push(`language tags not in LANGUAGES: ${[...unknown].join(', ')}`);
    this.languages = langs;
    for (const k of ['LANGUAGE', 'LANGUAGES', 'CHARSET', 'CODEPAGE']) this.consumeAll(k);
  }

  warn(msg: string, e?: PxEntry): void {
    this.warnings.push(e ? `line ${e.line}: ${msg}` : msg);
  }

  /** Indices of entries with this keyword, in file order. */
  all(kw: string): number[] {
    return this.byKw.get(kw) ?? [];
  }

  lang(e: PxEntry): string {
    return e.lang ?? this.def;
  }

  /** The last untagged entry without subkeys. */
  untagged(kw: string): PxEntry | undefined {
    let found: PxEntry | undefined;
    for (const i of this.all(kw)) {
      const e = this.entries[i];
      if (e.lang === undefined && !e.subkeys?.length) found = e;
    }
    return found;
  }

  consumeAll(kw: string): void {
    for (const i of this.all(kw)) this.used[i] = 1;
  }

  use(i: number): void {
    this.used[i] = 1;
  }

  /** Variable index of a name as written in `lang` (falls back to the default language's names). */
  varIndex(lang: string, name: string): number | undefined {
    return this.nameMaps.get(lang)?.get(name) ?? this.nameMaps.get(this.def)!.get(name);
  }

  /** Value index by text in `lang` (then default language text, then code). */
  valueIndex(v: number, lang: string, s: string, codeFirst = false): number | undefined {
    if (codeFirst) {
      const c = this.codeMaps[v]?.get(s);
      if (c !== undefined) return c;
    }
    const r = this.textMaps.get(lang)?.[v]?.get(s) ?? this.textMaps.get(this.def)![v].get(s);
    if (r !== undefined) return r;
    return this.codeMaps[v]?.get(s);
  }

  /**
   * Table-level, language-independent scalar: the default-language entry wins (else the first);
   * other languages' entries are consumed when they agree, else kept as extra.
   */
  tableScalar(kw: string, subkeyed = false): { e: PxEntry; i: number } | undefined {
    let pick: { e: PxEntry; i: number } | undefined;
    const cands = this.all(kw).filter((i) => !!this.entries[i].subkeys?.length === subkeyed);
    for (const i of cands) {
      const e = this.entries[i];
      if (e.lang === undefined) pick = { e, i };
    }
    if (!pick && cands.length) pick = { e: this.entries[cands[0]], i: cands[0] };
    if (!pick) return undefined;
    const v = scalar(pick.e);
    for (const i of cands) {
      const e = this.entries[i];
      if (i === pick.i || e.lang === undefined || scalar(e) === v) this.use(i);
    }
    return pick;
  }

  /** Table-level text per language (entries without subkeys). */
  tableTexts(kw: string): Texts | undefined {
    let t: Texts | undefined;
    for (const i of this.all(kw)) {
      const e = this.entries[i];
      if (e.subkeys?.length) continue;
      (t ??= {})[this.lang(e)] = scalar(e);
      this.use(i);
    }
    return t;
  }

  run(): Interpreted {
    const def = this.def;
    // ---- variables
    const stubE = this.defEntry('STUB');
    const headE = this.defEntry('HEADING');
    if (!stubE && !headE) {
      const other = this.all('STUB').concat(this.all('HEADING')).map((i) => this.entries[i].lang).find((l) => l);
      throw new PxError(
        other
          ? `no STUB and no HEADING in the default language "${def}" (only in "${other}")`
          : 'the file has no STUB and no HEADING: no variables',
      );
    }
    const stub = stubE ? list(stubE.e) : [];
    const head = headE ? list(headE.e) : [];
    const names = [...stub, ...head];
    if (names.length === 0) throw new PxError('STUB and HEADING list no variables');
    const defNames = new Map<string, number>();
    names.forEach((n, i) => {
      if (defNames.has(n)) throw new PxError(`variable "${n}" appears twice in STUB/HEADING`, (stubE ?? headE)!.e.line);
      defNames.set(n, i);
    });
    this.nameMaps.set(def, defNames);
    this.stubCount = stub.length;
    const labels: Texts[] = names.map((n) => ({ [def]: n }));
    for (const lang of this.languages) {
      if (lang === def) continue;
      const s = this.langEntry('STUB', lang);
      const h = this.langEntry('HEADING', lang);
      if (!s && !h) {
        this.warn(`language "${lang}" has no STUB/HEADING translation`);
        continue;
      }
      const ls = s ? list(s) : [];
      const lh = h ? list(h) : [];
      if (ls.length !== stub.length || lh.length !== head.length) {
        this.warn(`STUB/HEADING[${lang}] do not list the same number of variables as the default language`, s ?? h);
        continue;
      }
      const m = new Map<string, number>();
      [...ls, ...lh].forEach((n, i) => {
        labels[i][lang] = n;
        if (!m.has(n)) m.set(n, i);
      });
      this.nameMaps.set(lang, m);
    }
    this.consumeAll('STUB');
    this.consumeAll('HEADING');

    // ---- TIMEVAL (read before VALUES: it can generate missing VALUES)
    const timeval = this.perVariable('TIMEVAL', names.length, false);
    const timeInfo = timeval.map((p) => (p ? parseTimeval(p.e.items) : undefined));
    // TIMEVAL is rewritten from the model, except when its unit is unknown: then it is kept as is
    for (const i of this.all('TIMEVAL')) {
      const e = this.entries[i];
      if (e.subkeys?.length !== 1) continue;
      const v = this.varIndex(this.lang(e), e.subkeys[0]);
      if (v !== undefined && timeInfo[v]?.unit) this.use(i);
    }

    // ---- VALUES
    const valuesDef: string[][] = [];
    const byLang = new Map<string, (string[] | undefined)[]>();
    for (const i of this.all('VALUES')) {
      const e = this.entries[i];
      if (e.subkeys?.length !== 1) continue;
      const lang = this.lang(e);
      const v = this.varIndex(lang, e.subkeys[0]);
      if (v === undefined) {
        this.warn(`VALUES for unknown variable "${e.subkeys[0]}"`, e);
        continue;
      }
      this.use(i);
      let arr = byLang.get(lang);
      if (!arr) byLang.set(lang, (arr = []));
      arr[v] = list(e);
    }
    const defValues = byLang.get(def) ?? [];
    names.forEach((n, v) => {
      let vals = defValues[v];
      if (!vals) {
        const stamps = timeInfo[v]?.stamps;
        if (stamps && stamps.length) {
          this.warn(`variable "${n}" has no VALUES: generated from TIMEVAL`);
          vals = stamps;
        } else throw new PxError(`variable "${n}" has no VALUES`);
      }
      if (vals.length === 0) throw new PxError(`variable "${n}" has no values`);
      valuesDef[v] = vals;
    });
    const textMapDef = valuesDef.map((vals, v) => {
      const m = new Map<string, number>();
      vals.forEach((t, j) => {
        if (m.has(t)) this.warn(`variable "${names[v]}" has the value text "${t}" twice`);
        else m.set(t, j);
      });
      return m;
    });
    this.textMaps.set(def, textMapDef);
    const vars: Variable[] = names.map((n, v) => ({
      code: n,
      label: labels[v],
      values: valuesDef[v].map((t) => ({ code: t, label: { [def]: t } }) as Value),
      elimination: false,
    }));
    this.vars = vars;
    for (const [lang, arr] of byLang) {
      if (lang === def) continue;
      const maps: Map<string, number>[] = [];
      names.forEach((n, v) => {
        const vals = arr[v];
        const m = new Map<string, number>();
        maps[v] = m;
        if (!vals) return;
        if (vals.length !== valuesDef[v].length) {
          this.warn(`VALUES[${lang}] of "${n}" has ${vals.length} values, the default language ${valuesDef[v].length}`);
          return;
        }
        vals.forEach((t, j) => {
          vars[v].values[j].label[lang] = t;
          if (!m.has(t)) m.set(t, j);
        });
      });
      this.textMaps.set(lang, maps);
    }

    // ---- CODES
    const codes = this.perVariable('CODES', names.length);
    this.codeMaps = vars.map((variable, v) => {
      const c = codes[v];
      if (c) {
        const cl = list(c.e);
        if (cl.length !== variable.values.length) {
          this.warn(`CODES of "${names[v]}" has ${cl.length} codes for ${variable.values.length} values`, c.e);
        }
        variable.values.forEach((val, j) => {
          const code = cl[j];
          if (code !== undefined && code !== '') val.code = code;
        });
      }
      const m = new Map<string, number>();
      variable.values.forEach((val, j) => {
        if (m.has(val.code)) this.warn(`variable "${names[v]}" has the code "${val.code}" twice`);
        else m.set(val.code, j);
      });
      return m;
    });
    this.checkOtherLanguages('CODES', codes, (e, v) => list(e).join('\u0000') === vars[v].values.map((x) => x.code).join('\u0000') || list(e).every((c, j) => c === '' || c === vars[v].values[j]?.code));

    // ---- VARIABLECODE
    const vcode = this.perVariable('VARIABLECODE', names.length);
    vcode.forEach((p, v) => {
      if (p) {
        const c = scalar(p.e).trim();
        if (c) vars[v].code = c;
      }
    });
    this.checkOtherLanguages('VARIABLECODE', vcode, (e, v) => scalar(e).trim() === vars[v].code);
    const seenCodes = new Set<string>();
    for (const variable of vars) {
      if (seenCodes.has(variable.code)) this.warn(`two variables have the code "${variable.code}"`);
      seenCodes.add(variable.code);
    }

    // ---- roles: time, contents, geo
    timeInfo.forEach((t, v) => {
      if (!t) return;
      vars[v].role = 'time';
      if (t.unit) vars[v].timeUnit = t.unit;
      else this.warn(`TIMEVAL of "${names[v]}" has an unknown time unit "${t.unitToken ?? ''}"`, timeval[v]!.e);
      if (t.stamps && t.stamps.length !== vars[v].values.length) {
        this.warn(`TIMEVAL of "${names[v]}" has ${t.stamps.length} time stamps for ${vars[v].values.length} values`, timeval[v]!.e);
      }
    });
    const vtype = this.perVariable('VARIABLE-TYPE', names.length, false);
    vtype.forEach((p, v) => {
      if (!p || vars[v].role) return;
      const t = scalar(p.e).trim().toLowerCase();
      if (t === 't' || t === 'time') vars[v].role = 'time';
      else if (t === 'g' || t === 'geographical' || t === 'geo') vars[v].role = 'geo';
    });
    let contVar: number | undefined;
    const contE = this.defEntry('CONTVARIABLE');
    const contCands = contE ? [contE] : this.all('CONTVARIABLE').map((i) => ({ e: this.entries[i], i }));
    for (const c of contCands) {
      const v = this.varIndex(this.lang(c.e), scalar(c.e));
      if (v === undefined) this.warn(`CONTVARIABLE "${scalar(c.e)}" is not a variable`, c.e);
      else {
        contVar = v;
        break;
      }
    }
    if (contVar !== undefined) {
      for (const i of this.all('CONTVARIABLE')) {
        const e = this.entries[i];
        if (this.varIndex(this.lang(e), scalar(e)) === contVar) this.use(i);
      }
      if (vars[contVar].role === 'time') this.warn(`the contents variable "${names[contVar]}" also has TIMEVAL`);
      vars[contVar].role = 'contents';
      delete vars[contVar].timeUnit;
    }

    // ---- per-variable language-independent fields
    const map = this.perVariable('MAP', names.length);
    map.forEach((p, v) => {
      if (!p) return;
      vars[v].map = scalar(p.e);
      if (!vars[v].role) vars[v].role = 'geo';
    });
    this.checkOtherLanguages('MAP', map, (e, v) => scalar(e) === vars[v].map);
    const domain = this.perVariable('DOMAIN', names.length);
    domain.forEach((p, v) => {
      if (p) vars[v].domain = scalar(p.e);
    });
    this.checkOtherLanguages('DOMAIN', domain, (e, v) => scalar(e) === vars[v].domain);
    const prestext = this.perVariable('PRESTEXT', names.length);
    prestext.forEach((p, v) => {
      if (!p) return;
      const n = intOf(scalar(p.e));
      if (n !== undefined && n >= 0 && n <= 3) vars[v].presentation = PRESENTATIONS[n];
      else {
        this.warn(`PRESTEXT "${scalar(p.e)}" is not 0-3`, p.e);
        this.used[p.i] = 0;
      }
    });
    this.checkOtherLanguages('PRESTEXT', prestext, (e, v) =>
      vars[v].presentation !== undefined && PRESENTATIONS[intOf(scalar(e)) ?? -1] === vars[v].presentation,
    );

    // ---- ELIMINATION
    const elim = this.perVariable('ELIMINATION', names.length);
    elim.forEach((p, v) => {
      if (!p) return;
      const r = this.elimination(p.e, v);
      if (r === undefined) {
        this.used[p.i] = 0;
        return;
      }
      vars[v].elimination = r.elimination;
      if (r.value !== undefined) vars[v].eliminationValue = r.value;
    });
    this.checkOtherLanguages('ELIMINATION', elim, (e, v) => {
      const r = this.elimination(e, v, true);
      return r !== undefined && r.elimination === vars[v].elimination && r.value === vars[v].eliminationValue;
    });

    // ---- HIERARCHIES (codes, else value texts)
    const hier = this.perVariable('HIERARCHIES', names.length, false);
    hier.forEach((p, v) => {
      if (!p) return;
      const h: Record<string, string> = {};
      const lang = this.lang(p.e);
      const code = (s: string): string | undefined => {
        const j = this.valueIndex(v, lang, s, true);
        return j === undefined ? undefined : vars[v].values[j].code;
      };
      let bad = 0;
      for (const it of p.e.items) {
        if (it.kind === 'pair') {
          const a = code(it.parent);
          const b = code(it.child);
          if (a === undefined || b === undefined) bad++;
          else h[b] = a;
        } else if (it.kind === 'string' || it.kind === 'bare') {
          if (it.value !== '' && code(it.value) === undefined) bad++;
        }
      }
      if (bad) this.warn(`HIERARCHIES of "${names[v]}": ${bad} items name no value`, p.e);
      if (Object.keys(h).length) vars[v].hierarchy = h;
    });
    for (const i of this.all('HIERARCHIES')) {
      const e = this.entries[i];
      if (e.subkeys?.length !== 1) continue;
      const v = this.varIndex(this.lang(e), e.subkeys[0]);
      if (v !== undefined && vars[v].hierarchy) this.use(i);
    }

    // ---- PRECISION("var","value")
    for (const i of this.all('PRECISION')) {
      const e = this.entries[i];
      if (e.subkeys?.length !== 2) continue;
      const lang = this.lang(e);
      const v = this.varIndex(lang, e.subkeys[0]);
      const j = v === undefined ? undefined : this.valueIndex(v, lang, e.subkeys[1]);
      const n = intOf(scalar(e));
      if (v === undefined || j === undefined || n === undefined) {
        this.warn(`PRECISION(${e.subkeys.map((s) => `"${s}"`).join(',')}) ignored: unknown variable/value or not an integer`, e);
        continue;
      }
      const val = vars[v].values[j];
      if (e.lang === undefined || val.precision === undefined) {
        val.precision = n;
        this.use(i);
      } else if (val.precision === n) this.use(i);
    }

    // ---- notes
    this.notes();

    // ---- table level
    const meta = this.tableMeta();

    // ---- contents
    if (contVar !== undefined) meta.contentInfo = this.contentInfo(contVar, meta);

    // ---- KEYS
    const keys = this.keys();

    // ---- leftovers: kept for the writer
    this.extras(meta);

    const sizes = vars.map((v) => v.values.length);
    return { meta, keys, sizes };
  }

  /** The default-language entry of a table-level list keyword, else undefined. */
  defEntry(kw: string): { e: PxEntry; i: number } | undefined {
    let r: { e: PxEntry; i: number } | undefined;
    for (const i of this.all(kw)) {
      const e = this.entries[i];
      if (e.lang === undefined && !e.subkeys?.length) r = { e, i };
    }
    return r;
  }

  langEntry(kw: string, lang: string): PxEntry | undefined {
    let r: PxEntry | undefined;
    for (const i of this.all(kw)) {
      const e = this.entries[i];
      if (e.lang === lang && !e.subkeys?.length) r = e;
    }
    return r;
  }

  /**
   * One entry per variable for a variable-level keyword: the default language's, else the first
   * other language's. Consumes the chosen entries when `consume`.
   */
  perVariable(kw: string, n: number, consume = true): ({ e: PxEntry; i: number } | undefined)[] {
    const out: ({ e: PxEntry; i: number } | undefined)[] = new Array(n).fill(undefined);
    for (const i of this.all(kw)) {
      const e = this.entries[i];
      if (e.subkeys?.length !== 1) continue;
      const v = this.varIndex(this.lang(e), e.subkeys[0]);
      if (v === undefined) continue;
      // the default language's entry wins (the last one if repeated), else the first other one
      if (!out[v] || e.lang === undefined) out[v] = { e, i };
      // earlier repeats in the default language are overridden: drop them
      if (consume && e.lang === undefined) this.use(i);
    }
    if (consume) for (const p of out) if (p) this.use(p.i);
    return out;
  }

  /** Other-language variants of a per-variable keyword: consumed when they agree with the model. */
  checkOtherLanguages(
    kw: string,
    chosen: ({ e: PxEntry; i: number } | undefined)[],
    agrees: (e: PxEntry, v: number) => boolean,
  ): void {
    for (const i of this.all(kw)) {
      if (this.used[i]) continue;
      const e = this.entries[i];
      if (e.subkeys?.length !== 1) continue;
      const v = this.varIndex(this.lang(e), e.subkeys[0]);
      if (v === undefined || !chosen[v]) continue;
      if (agrees(e, v)) this.use(i);
      else if (kw === 'CODES') this.warn(`CODES[${e.lang}] of "${e.subkeys[0]}" differ from the default language's`, e);
    }
  }

  consumeVariableLevel(kw: string): void {
    for (const i of this.all(kw)) {
      const e = this.entries[i];
      if (e.subkeys?.length === 1 && this.varIndex(this.lang(e), e.subkeys[0]) !== undefined) this.use(i);
    }
  }

  elimination(e: PxEntry, v: number, quiet = false): { elimination: boolean; value?: string } | undefined {
    const s = scalar(e);
    const yn = yesNo(s);
    if (yn !== undefined && e.items[0]?.kind === 'bare') return { elimination: yn };
    const j = this.valueIndex(v, this.lang(e), s);
    if (j !== undefined) return { elimination: true, value: this.vars[v].values[j].code };
    if (yn !== undefined) return { elimination: yn };
    if (!quiet) this.warn(`ELIMINATION "${s}" of "${e.subkeys![0]}" is not a value`, e);
    return undefined;
  }

  notes(): void {
    const vars = this.vars;
    const nv = vars.length;
    // target key -> notes in order; per language counters pair translations by position
    const lists = new Map<string, Note[]>();
    const counters = new Map<string, number>();
    const cellIndex = new Map<string, CellNote[]>();
    const tableNotes: Note[] = [];
    const cellNotes: CellNote[] = [];
    const place = (e: PxEntry, i: number, mandatory: boolean, text: string, target: { key: string; arr: () => Note[] }) => {
      const lang = this.lang(e);
      const k = `${target.key}\u0000${mandatory}`;
      const ck = `${k}\u0000${lang}`;
      const n = counters.get(ck) ?? 0;
      counters.set(ck, n + 1);
      let l = lists.get(k);
      if (!l) lists.set(k, (l = []));
      if (n < l.length) l[n].text[lang] = text;
      else {
        const note: Note = { text: { [lang]: text }, mandatory };
        l.push(note);
        target.arr().push(note);
      }
      this.use(i);
    };
    const passes = [true, false];
    for (const defPass of passes) {
      for (const kw of ['NOTE', 'NOTEX', 'VALUENOTE', 'VALUENOTEX', 'CELLNOTE', 'CELLNOTEX', 'DATANOTECELL']) {
        const mandatory = kw.endsWith('X');
        for (const i of this.all(kw)) {
          const e = this.entries[i];
          if ((e.lang === undefined) !== defPass) continue;
          const lang = this.lang(e);
          const text = scalar(e);
          const sk = e.subkeys ?? [];
          if (kw === 'NOTE' || kw === 'NOTEX') {
            if (sk.length === 0) place(e, i, mandatory, text, { key: 't', arr: () => tableNotes });
            else if (sk.length === 1) {
              const v = this.varIndex(lang, sk[0]);
              if (v === undefined) {
                if (defPass) this.warn(`${kw} for unknown variable "${sk[0]}"`, e);
                continue;
              }
              place(e, i, mandatory, text, { key: `v${v}`, arr: () => (vars[v].notes ??= []) });
            }
          } else if (kw === 'VALUENOTE' || kw === 'VALUENOTEX') {
            if (sk.length !== 2) continue;
            const v = this.varIndex(lang, sk[0]);
            const j = v === undefined ? undefined : this.valueIndex(v, lang, sk[1]);
            if (v === undefined || j === undefined) {
              this.warn(`${kw}("${sk[0]}","${sk[1]}") names no value`, e);
              continue;
            }
            place(e, i, mandatory, text, { key: `v${v}:${j}`, arr: () => (vars[v].values[j].notes ??= []) });
          } else {
            const symbol = kw === 'DATANOTECELL';
            if (sk.length !== nv) {
              this.warn(`${kw} has ${sk.length} coordinates for ${nv} variables`, e);
              continue;
            }
            const coords: string[] = [];
            let ok = true;
            sk.forEach((s, v) => {
              if (s === '*') coords.push('*');
              else {
                const j = this.valueIndex(v, lang, s, symbol);
                if (j === undefined) ok = false;
                else coords.push(vars[v].values[j].code);
              }
            });
            if (!ok) {
              this.warn(`${kw}(${sk.map((s) => `"${s}"`).join(',')}) names an unknown value`, e);
              continue;
            }
            const key = `${symbol ? 's' : 'c'}${mandatory}\u0000${coords.join('\u0000')}`;
            const ck = `${key}\u0000${lang}`;
            const n = counters.get(ck) ?? 0;
            counters.set(ck, n + 1);
            let l = cellIndex.get(key);
            if (!l) cellIndex.set(key, (l = []));
            if (n < l.length) l[n].text[lang] = text;
            else {
              const cn: CellNote = { coords, text: { [lang]: text }, mandatory };
              if (symbol) cn.symbol = true;
              l.push(cn);
              cellNotes.push(cn);
            }
            this.use(i);
          }
        }
      }
    }
    this.tableNotes = tableNotes;
    this.cellNotes = cellNotes;
  }

  tableNotes: Note[] = [];
  cellNotes: CellNote[] = [];

  tableMeta(): TableMeta {
    const matrixE = this.tableScalar('MATRIX');
    const matrix = matrixE ? scalar(matrixE.e).trim() : undefined;
    const tableIdE = this.all('TABLEID')
      .map((i) => this.entries[i])
      .find((e) => !e.subkeys?.length);
    const tableId = tableIdE ? scalar(tableIdE).trim() : undefined;
    let id = this.o.id ?? (matrix || undefined) ?? (tableId || undefined);
    if (!id) {
      id = this.o.fallbackId ?? 'table';
      this.warn(`no MATRIX or TABLEID: table id "${id}"`);
    }
    const vars = this.vars;
    const meta: TableMeta = {
      id,
      title: this.tableTexts('TITLE') ?? {},
      contents: this.tableTexts('CONTENTS') ?? {},
      languages: this.languages,
      defaultLanguage: this.def,
      variables: vars,
      stub: vars.slice(0, this.stubCount).map((v) => v.code),
      heading: vars.slice(this.stubCount).map((v) => v.code),
      decimals: 0,
    };
    if (matrix && matrix !== id) meta.matrix = matrix;
    const description = this.tableTexts('DESCRIPTION');
    if (description) meta.description = description;
    const unit = this.tableTexts('UNITS');
    if (unit) meta.unit = unit;
    const dec = this.intScalar('DECIMALS', 0, 15);
    if (dec !== undefined) meta.decimals = dec;
    else this.warn('no valid DECIMALS: 0 assumed');
    const show = this.intScalar('SHOWDECIMALS', 0, 15);
    if (show !== undefined) {
      meta.showDecimals = show;
      if (show > meta.decimals) this.warn(`SHOWDECIMALS ${show} is larger than DECIMALS ${meta.decimals}`);
    }
    const rounding = this.intScalar('ROUNDING', 0, 1);
    if (rounding !== undefined) meta.rounding = rounding as 0 | 1;
    // symbols
    const symbols: Partial<Record<number, Texts>> = {};
    const symKw: [string, number][] = [
      ['DATASYMBOL1', 1],
      ['DATASYMBOL2', 2],
      ['DATASYMBOL3', 3],
      ['DATASYMBOL4', 4],
      ['DATASYMBOL5', 5],
      ['DATASYMBOL6', 6],
      ['DATASYMBOLSUM', 7],
      ['DATASYMBOLNIL', 8],
    ];
    for (const [kw, st] of symKw) {
      const t = this.tableTexts(kw);
      if (t) symbols[st] = t;
    }
    if (Object.keys(symbols).length) meta.symbols = symbols;
    if (this.tableNotes.length) meta.notes = this.tableNotes;
    if (this.cellNotes.length) meta.cellNotes = this.cellNotes;
    const source = this.tableTexts('SOURCE');
    if (source) meta.source = source;
    const contact = this.tableTexts('CONTACT');
    if (contact) meta.contact = contact;
    const subjectArea = this.tableTexts('SUBJECT-AREA');
    if (subjectArea) meta.subjectArea = subjectArea;
    const str = (kw: string): string | undefined => {
      const p = this.tableScalar(kw);
      return p ? scalar(p.e) : undefined;
    };
    const date = (kw: string): string | undefined => {
      const s = str(kw);
      return s === undefined ? undefined : pxDateToIso(s);
    };
    const updated = date('LAST-UPDATED');
    if (updated !== undefined) meta.updated = updated;
    const created = date('CREATION-DATE');
    if (created !== undefined) meta.created = created;
    const next = date('NEXT-UPDATE');
    if (next !== undefined) meta.nextUpdate = next;
    const subjectCode = str('SUBJECT-CODE');
    if (subjectCode !== undefined) meta.subjectCode = subjectCode;
    const infoFile = str('INFOFILE');
    if (infoFile !== undefined) meta.infoFile = infoFile;
    const bool = (kw: string, set: (b: boolean) => void) => {
      const p = this.tableScalar(kw);
      if (!p) return;
      const b = yesNo(scalar(p.e));
      if (b === undefined) {
        this.warn(`${kw} "${scalar(p.e)}" is not YES or NO`, p.e);
        this.used[p.i] = 0;
      } else set(b);
    };
    bool('OFFICIAL-STATISTICS', (b) => (meta.officialStatistics = b));
    bool('AGGREGALLOWED', (b) => (meta.aggregAllowed = b));
    bool('COPYRIGHT', (b) => (meta.copyright = b));
    meta.codepage = this.o.codepage;
    return meta;
  }

  intScalar(kw: string, min: number, max: number): number | undefined {
    const p = this.tableScalar(kw);
    if (!p) return undefined;
    const n = intOf(scalar(p.e));
    if (n === undefined || n < min || n > max) {
      this.warn(`${kw} "${scalar(p.e)}" is not an integer ${min}-${max}`, p.e);
      this.used[p.i] = 0;
      return undefined;
    }
    return n;
  }

  contentInfo(cv: number, meta: TableMeta): Record<string, ContentInfo> {
    const variable = this.vars[cv];
    const nvals = variable.values.length;
    const texts = new Map<string, Texts[]>();
    const scalars = new Map<string, (string | undefined)[]>();
    const textKw: Record<string, keyof ContentInfo> = {
      UNITS: 'unit',
      REFPERIOD: 'refPeriod',
      BASEPERIOD: 'basePeriod',
      CONTACT: 'contact',
    };
    for (const kw of CONTENT_KEYWORDS) {
      const isText = kw in textKw;
      const tl: Texts[] = [];
      const sl: (string | undefined)[] = [];
      // default language first so that it wins for language-independent fields
      const idx = this.all(kw).filter((i) => this.entries[i].subkeys?.length);
      idx.sort((a, b) => (this.entries[a].lang === undefined ? 0 : 1) - (this.entries[b].lang === undefined ? 0 : 1));
      for (const i of idx) {
        const e = this.entries[i];
        const lang = this.lang(e);
        const sk = e.subkeys!;
        let j: number | undefined;
        if (sk.length === 1) j = this.valueIndex(cv, lang, sk[0]);
        else if (sk.length === 2 && this.varIndex(lang, sk[0]) === cv) j = this.valueIndex(cv, lang, sk[1]);
        if (j === undefined) continue;
        const s = scalar(e);
        if ((kw === 'DAYADJ' || kw === 'SEASADJ') && yesNo(s) === undefined) {
          this.warn(`${kw} "${s}" is not YES or NO`, e);
          continue;
        }
        if (isText) {
          (tl[j] ??= {})[lang] = s;
          this.use(i);
        } else if (sl[j] === undefined) {
          sl[j] = s;
          this.use(i);
        } else if (sl[j] === s) this.use(i);
      }
      texts.set(kw, tl);
      scalars.set(kw, sl);
    }
    const shown = meta.showDecimals !== undefined ? Math.min(meta.showDecimals, meta.decimals) : meta.decimals;
    const out: Record<string, ContentInfo> = {};
    for (let j = 0; j < nvals; j++) {
      const val = variable.values[j];
      const unit = texts.get('UNITS')![j] ?? (meta.unit ? { ...meta.unit } : {});
      const prec = val.precision;
      const ci: ContentInfo = { unit, decimals: prec !== undefined && prec > shown ? prec : shown };
      const ref = texts.get('REFPERIOD')![j];
      if (ref) ci.refPeriod = ref;
      const base = texts.get('BASEPERIOD')![j];
      if (base) ci.basePeriod = base;
      const contact = texts.get('CONTACT')![j];
      if (contact) ci.contact = contact;
      const lu = scalars.get('LAST-UPDATED')![j];
      if (lu !== undefined) ci.lastUpdated = pxDateToIso(lu);
      const sfa = scalars.get('STOCKFA')![j];
      if (sfa !== undefined) ci.stockFa = sfa;
      const cfp = scalars.get('CFPRICES')![j];
      if (cfp !== undefined) ci.cfPrices = cfp;
      const day = scalars.get('DAYADJ')![j];
      if (day !== undefined && yesNo(day) !== undefined) ci.dayAdj = yesNo(day);
      const seas = scalars.get('SEASADJ')![j];
      if (seas !== undefined && yesNo(seas) !== undefined) ci.seasAdj = yesNo(seas);
      if (out[val.code]) this.warn(`contents code "${val.code}" appears twice`);
      out[val.code] = ci;
    }
    return out;
  }

  keys(): KeysSpec | undefined {
    const idx = this.all('KEYS');
    if (!idx.length) return undefined;
    this.consumeAll('KEYS');
    const vars = this.vars;
    const ns = this.stubCount;
    const kinds: ('VALUES' | 'CODES' | undefined)[] = new Array(ns).fill(undefined);
    for (const i of idx) {
      const e = this.entries[i];
      if (e.lang !== undefined) continue;
      if (e.subkeys?.length !== 1) throw new PxError('KEYS needs one variable name: KEYS("name")=VALUES|CODES', e.line);
      const v = this.varIndex(this.def, e.subkeys[0]);
      if (v === undefined) throw new PxError(`KEYS for unknown variable "${e.subkeys[0]}"`, e.line);
      if (v >= ns) throw new PxError(`KEYS for "${e.subkeys[0]}", which is not a STUB variable`, e.line);
      const k = scalar(e).trim().toUpperCase();
      if (k !== 'VALUES' && k !== 'CODES') throw new PxError(`KEYS must be VALUES or CODES, not "${scalar(e)}"`, e.line);
      kinds[v] = k;
    }
    if (kinds.every((k) => k === undefined)) return undefined;
    const missing = kinds.findIndex((k) => k === undefined);
    if (missing >= 0) throw new PxError(`KEYS is given for some STUB variables but not for "${vars[missing].label[this.def]}"`);
    let rowCells = 1;
    for (let v = ns; v < vars.length; v++) rowCells *= vars[v].values.length;
    const stubSizes = vars.slice(0, ns).map((v) => v.values.length);
    const stride: number[] = [];
    let acc = 1;
    for (let v = ns - 1; v >= 0; v--) {
      stride[v] = acc;
      acc *= stubSizes[v];
    }
    return {
      rowCells,
      stub: kinds.map((k, v) => {
        const byCode = this.codeMaps[v];
        const byText = this.textMaps.get(this.def)![v];
        return {
          name: vars[v].label[this.def],
          primary: k === 'CODES' ? byCode : byText,
          secondary: k === 'CODES' ? byText : byCode,
          stride: stride[v],
        };
      }),
    };
  }

  extras(meta: TableMeta): void {
    const extra: ExtraKeyword[] = [];
    this.entries.forEach((e, i) => {
      if (this.used[i]) return;
      const lang = this.lang(e);
      const simple = e.items.every((it) => it.kind === 'string' || it.kind === 'bare');
      if (e.subkeys?.length === 1 && simple) {
        const v = this.varIndex(lang, e.subkeys[0]);
        if (v !== undefined) {
          const variable = this.vars[v];
          const key = e.lang === undefined ? e.keyword : `${e.keyword}[${e.lang}]`;
          const ex = (variable.extra ??= {});
          if (ex[key] === undefined) {
            ex[key] = e.items.map(itemText);
            return;
          }
        }
      }
      const k: ExtraKeyword = { keyword: e.keyword, items: e.items.map(itemText) };
      if (e.lang !== undefined) k.lang = e.lang;
      if (e.subkeys) k.subkeys = e.subkeys;
      if (e.items.some((it) => it.kind !== 'string')) k.bare = e.items.map((it) => it.kind !== 'string');
      extra.push(k);
    });
    if (extra.length) meta.extra = extra;
  }
}

/** Build the cube metadata from lexed entries. */
export function interpret(entries: PxEntry[], o: InterpretOptions, warnings: string[]): Interpreted {
  return new Interpreter(entries, o, warnings).run();
}
