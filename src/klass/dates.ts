// Dates and half-open date ranges as Klass uses them. Dates are `yyyy-MM-dd` strings, which compare correctly as
// strings for years 0000-9999; the open ends are the sentinels MIN_DATE / MAX_DATE, which sort before and after
// every real date, so range arithmetic needs no null checks. Output converts the sentinels back to null.

import { KlassError } from './errors.js';

export const MIN_DATE = '0000-00-00';
export const MAX_DATE = '9999-99-99';

/** [from, to): from < to, either end may be a sentinel. */
export interface DateRange {
  from: string;
  to: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written yyyy-MM-dd. */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** The next day; MAX_DATE after 9999-12-31. */
export function nextDay(date: string): string {
  if (date === MAX_DATE || date === '9999-12-31') return MAX_DATE;
  const [y, m, d] = date.split('-').map(Number);
  if (d < daysInMonth(y, m)) return `${pad4(y)}-${pad2(m)}-${pad2(d + 1)}`;
  if (m < 12) return `${pad4(y)}-${pad2(m + 1)}-01`;
  return `${pad4(y + 1)}-01-01`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad4 = (n: number) => String(n).padStart(4, '0');

/** A range; throws the Klass 400 when from >= to (its message names the dates as given). */
export function dateRange(from: string | null, to: string | null): DateRange {
  const r = { from: from ?? MIN_DATE, to: to ?? MAX_DATE };
  if (r.from >= r.to) throw new KlassError(400, `From is equal or after to. From: ${shown(r.from)} To: ${shown(r.to)}`);
  return r;
}

/** The one-day range of `date`, as Klass treats ?date= on the *At endpoints. */
export function dayRange(date: string): DateRange {
  return { from: date, to: nextDay(date) };
}

export function overlaps(a: DateRange, b: DateRange): boolean {
  return b.to > a.from && b.from < a.to;
}

/** a ∩ b, or null when they do not overlap. */
export function intersect(a: DateRange, b: DateRange): DateRange | null {
  const from = a.from > b.from ? a.from : b.from;
  const to = a.to < b.to ? a.to : b.to;
  return from < to ? { from, to } : null;
}

export function contains(r: DateRange, date: string): boolean {
  return r.from <= date && date < r.to;
}

/** Sentinel -> null for output. */
export function fromOut(d: string): string | null {
  return d === MIN_DATE ? null : d;
}
export function toOut(d: string): string | null {
  return d === MAX_DATE ? null : d;
}

/** Klass's DateRange.toString: "[from=2014-01-01, to=max]". */
export function rangeText(r: DateRange): string {
  return `[from=${r.from === MIN_DATE ? 'min' : r.from}, to=${r.to === MAX_DATE ? 'max' : r.to}]`;
}

function shown(d: string): string {
  return d === MIN_DATE ? '-999999999-01-01' : d === MAX_DATE ? '+999999999-12-31' : d;
}

/** Today's date in Norway, where Klass runs (a version becomes current at local midnight). */
export function osloToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
