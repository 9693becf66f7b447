// Codes over a date range (/codes, /variant) and at a date (/codesAt, /variantAt): pure functions over the catalog.
//
// The pipeline is Klass's: collect the items of every version (or variant) whose period overlaps the request,
// each with the version's period; drop items whose own validity misses the request; cut each period to the
// request (and the item's validity); merge the periods of equal (code, name, level) rows that touch; then filter
// on level and codes, fill presentation names and sort by code. A code renamed inside the range therefore comes
// out as two rows, and an unchanged code spanning several versions as one.

import { periodOf, type KlassCatalog } from './catalog.js';
import { MAX_DATE, contains, dayRange, fromOut, intersect, overlaps, rangeText, toOut, type DateRange } from './dates.js';
import { KlassError } from './errors.js';
import { textIn, type KlassItem, type Lang } from './model.js';
import { codeCompare } from './names.js';

/** One row of /codes and /variant, fields in Klass's order. */
export interface RangedCode {
  code: string;
  parentCode: string | null;
  level: string;
  name: string;
  shortName: string;
  presentationName: string;
  validFrom: string | null;
  validTo: string | null;
  validFromInRequestedRange: string | null;
  validToInRequestedRange: string | null;
  notes: string;
}

/** One row of /codesAt and /variantAt. */
export type CodeAt = Omit<RangedCode, 'validFromInRequestedRange' | 'validToInRequestedRange'>;

export interface CodeOptions {
  language: Lang;
  includeFuture: boolean;
  /** yyyy-MM-dd; decides which versions are future or current. */
  today: string;
  selectLevel?: string;
  selectCodes?: string;
  presentationNamePattern?: string;
}

/** An item with the period it is valid in the request, before output. */
interface Collected {
  item: KlassItem;
  level: string;
  period: DateRange;
  validity: DateRange | null;
}

/** /classifications/{id}/codes: every code valid some time in `range`, with its period inside the range. */
export function codesInRange(cat: KlassCatalog, classificationId: number, range: DateRange, opts: CodeOptions): RangedCode[] {
  const c = cat.classification(classificationId);
  const collected: Collected[] = [];
  for (const v of cat.versions(c.id)) {
    if (v.draft) continue;
    const period = periodOf(v);
    if (!overlaps(period, range) || (cat.isFuture(v, opts.today) && !opts.includeFuture)) continue;
    if (!v.published.includes(opts.language)) {
      throw new KlassError(404, `ClassificationVersion: ${rangeText(period)}. Is not published in language: ${opts.language.toUpperCase()}`);
    }
    for (const item of v.items) collected.push(collect(item, period));
  }
  // Only versions use item validity; variants never have it.
  const valid = collected.filter((x) => x.validity === null || overlaps(range, x.validity));
  return finish(valid, range, opts);
}

/** /classifications/{id}/codesAt: the codes valid on `date`. */
export function codesAt(cat: KlassCatalog, classificationId: number, date: string, opts: CodeOptions): CodeAt[] {
  return codesInRange(cat, classificationId, dayRange(date), opts).map(withoutRange);
}

/**
 * /classifications/{id}/variant: the items of the variant named `variantName` (its base name in `language`, or else
 * its full name) in every version published in `language`, each valid for the variant's own period.
 */
export function variantCodesInRange(cat: KlassCatalog, classificationId: number, variantName: string, range: DateRange, opts: CodeOptions): RangedCode[] {
  const c = cat.classification(classificationId);
  const collected: Collected[] = [];
  let found = false;
  for (const v of cat.versions(c.id)) {
    if (!v.published.includes(opts.language) || (cat.isFuture(v, opts.today) && !opts.includeFuture)) continue;
    const variants = cat.variants(v.id);
    const variant =
      variants.find((x) => textIn(x.nameBase, opts.language) === variantName) ??
      variants.find((x) => cat.variantFullName(x, opts.language) === variantName);
    if (!variant || variant.draft) continue;
    const period = periodOf(variant);
    if (!overlaps(period, range)) continue;
    if (!variant.published.includes(opts.language)) {
      throw new KlassError(
        404,
        `ClassificationVariant: ${cat.variantFullName(variant, opts.language)} ${rangeText(period)}. Is not published in language: ${opts.language.toUpperCase()}`,
      );
    }
    found = true;
    for (const item of variant.items) collected.push({ ...collect(item, period), validity: null });
  }
  if (!found) {
    throw new KlassError(404, `${textIn(c.name, opts.language)} does not have a variant named: '${variantName}' in requested date range`);
  }
  return finish(collected, range, opts);
}

export function variantCodesAt(cat: KlassCatalog, classificationId: number, variantName: string, date: string, opts: CodeOptions): CodeAt[] {
  return variantCodesInRange(cat, classificationId, variantName, dayRange(date), opts).map(withoutRange);
}

function collect(item: KlassItem, period: DateRange): Collected {
  const validity = item.validFrom ? { from: item.validFrom, to: item.validTo ?? MAX_DATE } : null;
  return { item, level: String(item.level), period, validity };
}

function withoutRange(r: RangedCode): CodeAt {
  const { validFromInRequestedRange: _f, validToInRequestedRange: _t, ...rest } = r;
  return rest;
}

function finish(collected: Collected[], range: DateRange, opts: CodeOptions): RangedCode[] {
  // limit: the period inside the request and inside the item's own validity
  const limited: Collected[] = [];
  for (const x of collected) {
    let p = intersect(x.period, range);
    if (p && x.validity) p = intersect(p, x.validity);
    if (p) limited.push({ ...x, period: p });
  }
  let rows = compress(limited, range, opts).map((x) => toRow(x, opts.language));
  if (opts.selectLevel) rows = rows.filter((r) => r.level === opts.selectLevel);
  const matcher = codeMatcher(opts.selectCodes);
  if (matcher) rows = rows.filter((r) => matcher(r.code));
  if (opts.presentationNamePattern) {
    const pattern = opts.presentationNamePattern;
    rows = rows.map((r) => ({ ...r, presentationName: presentationName(pattern, r.code, r.name, r.shortName) }));
  }
  // By code (UTF-16 order, not natural); Klass leaves ties unordered, we order them by period start.
  return rows.sort(
    (a, b) => codeCompare(a.code, b.code) || codeCompare(a.validFromInRequestedRange ?? '', b.validFromInRequestedRange ?? '') || codeCompare(a.name, b.name),
  );
}

/**
 * Merge rows of the same (code, name, level) whose periods touch. A row valid today (unless includeFuture) is taken
 * to last to the end of the request: the current version's end is not public while the next version is hidden.
 */
function compress(items: Collected[], range: DateRange, opts: CodeOptions): Collected[] {
  const groups = new Map<string, Collected[]>();
  for (const x of items) {
    const key = JSON.stringify([x.item.code, textIn(x.item.name, opts.language), x.level]);
    const g = groups.get(key);
    if (g) g.push(x);
    else groups.set(key, [x]);
  }
  const out: Collected[] = [];
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => codeCompare(a.period.from, b.period.from));
    // The row's other fields (parent, short name, notes) come from the newest version's item.
    const base = sorted[sorted.length - 1];
    let start: string | null = null;
    let end: string | null = null;
    for (const x of sorted) {
      let to = x.period.to;
      if (!opts.includeFuture && contains(x.period, opts.today)) to = range.to;
      if (start === null) start = x.period.from;
      else if (end !== x.period.from) {
        out.push({ ...base, period: { from: start, to: end! } });
        start = x.period.from;
      }
      end = to;
    }
    if (start !== null) out.push({ ...base, period: { from: start, to: end! } });
  }
  return out;
}

function toRow(x: Collected, lang: Lang): RangedCode {
  return {
    code: x.item.code,
    parentCode: x.item.parentCode,
    level: x.level,
    name: textIn(x.item.name, lang),
    shortName: textIn(x.item.shortName, lang),
    presentationName: '',
    validFrom: x.validity ? fromOut(x.validity.from) : null,
    validTo: x.validity ? toOut(x.validity.to) : null,
    validFromInRequestedRange: fromOut(x.period.from),
    validToInRequestedRange: toOut(x.period.to),
    // Klass strips newlines from notes in every format.
    notes: textIn(x.item.notes, lang).replace(/\n/g, ' '),
  };
}

// --- selectCodes -----------------------------------------------------------------------------------------------

const LEGAL_CHARS = /^[0-9a-zA-Z,.\-*\s]+$/;
const SINGLE_CODE = /^[0-9a-zA-Z.]+$/;
const DIGITS_OR_STARS = /^[0-9*]+$/;

export interface SelectCodes {
  exact: Set<string>;
  prefixes: string[];
  /** Lexicographic [from, toExclusive). */
  ranges: Array<{ from: string; toExclusive: string }>;
}

/**
 * Parse a selectCodes value: comma-separated parts, each an exact code, a prefix (`11*`) or a range (`3004-3400`,
 * `3004-34*`). Throws 400 for illegal characters, more than 200 characters or more than 20 parts; parts that do
 * not parse are ignored, as in Klass. Returns null when nothing is selected (no filtering).
 */
export function parseSelectCodes(input: string | undefined): SelectCodes | null {
  if (input === undefined || input.trim() === '') return null;
  if (input.length > 200) throw new KlassError(400, 'selectCodes too long');
  if (!LEGAL_CHARS.test(input)) throw new KlassError(400, 'selectCodes contains illegal characters');
  const parts = javaSplit(input, ',');
  if (parts.length > 20) throw new KlassError(400, 'Too many selectCodes parameters');
  const out: SelectCodes = { exact: new Set(), prefixes: [], ranges: [] };
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') continue;
    const dash = p.indexOf('-');
    if (dash >= 0) {
      const left = p.slice(0, dash).trim();
      const right = p.slice(dash + 1).trim();
      if (!left || !right || !DIGITS_OR_STARS.test(left) || !DIGITS_OR_STARS.test(right)) continue;
      const from = left.replaceAll('*', '');
      if (!from) continue;
      const toExclusive = upperBound(right);
      if (toExclusive === null || from >= toExclusive) continue;
      out.ranges.push({ from, toExclusive });
    } else if (p.endsWith('*')) {
      const prefix = p.slice(0, -1);
      if (prefix && SINGLE_CODE.test(prefix)) out.prefixes.push(prefix);
    } else if (SINGLE_CODE.test(p)) {
      out.exact.add(p);
    }
  }
  return out.exact.size === 0 && out.prefixes.length === 0 && out.ranges.length === 0 ? null : out;
}

export function codeMatcher(selectCodes: string | undefined): ((code: string) => boolean) | null {
  const s = parseSelectCodes(selectCodes);
  if (!s) return null;
  return (code) => s.exact.has(code) || s.prefixes.some((p) => code.startsWith(p)) || s.ranges.some((r) => r.from <= code && code < r.toExclusive);
}

/** `34*` -> "35", `399*` -> "4", `9*` -> "10"; a plain right side includes itself and all codes starting with it. */
function upperBound(right: string): string | null {
  if (!right.endsWith('*')) return SINGLE_CODE.test(right) ? right + '\uFFFF' : null;
  const prefix = right.slice(0, -1);
  if (!SINGLE_CODE.test(prefix)) return null;
  const digits = prefix.split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] !== '9') {
      digits[i] = String.fromCharCode(digits[i].charCodeAt(0) + 1);
      return digits.slice(0, i + 1).join('');
    }
  }
  return '1' + '0'.repeat(prefix.length);
}

/** Java's String.split: trailing empty strings are dropped. */
export function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

// --- presentationNamePattern -----------------------------------------------------------------------------------

/** Plain token replacement, in Klass's order: {code}, {name}, {shortname} and their lowercase/uppercase/capitalize
 *  forms. Anything else is copied as written. */
export function presentationName(pattern: string, code: string, name: string, shortName: string): string {
  const cap = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
  const steps: Array<[string, string]> = [
    ['{code}', code],
    ['{name}', name],
    ['{shortname}', shortName],
    ['{lowercase(code)}', code.toLowerCase()],
    ['{lowercase(name)}', name.toLowerCase()],
    ['{lowercase(shortname)}', shortName.toLowerCase()],
    ['{uppercase(code)}', code.toUpperCase()],
    ['{uppercase(name)}', name.toUpperCase()],
    ['{uppercase(shortname)}', shortName.toUpperCase()],
    ['{capitalize(code)}', cap(code)],
    ['{capitalize(name)}', cap(name)],
    ['{capitalize(shortname)}', cap(shortName)],
  ];
  let out = pattern;
  for (const [token, value] of steps) out = out.split(token).join(value);
  return out;
}
