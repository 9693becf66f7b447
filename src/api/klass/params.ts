// Query parameters of the Klass API, read the way Klass (Spring MVC) reads them: a repeated parameter is joined with
// commas, an empty value counts as absent where there is a default, booleans accept true/false/on/off/yes/no/1/0 in
// any case, languages nb/nn/en in any case, dates are strict yyyy-MM-dd. Every bad value is a 400 that names the
// parameter; the first part of each message follows Spring's wording, which old clients may print.

import { isIsoDate } from '../../klass/dates.js';
import { KlassError } from '../../klass/errors.js';
import { isLang, type Lang } from '../../klass/model.js';

const JAVA_TYPES = {
  date: 'java.time.LocalDate',
  long: 'java.lang.Long',
  boolean: 'java.lang.Boolean',
  language: 'no.ssb.klass.core.util.Language',
  dateTime: 'java.util.Date',
} as const;

const SHORT_TYPES = { date: 'LocalDate', long: 'Long', string: 'String' } as const;

function conversionError(name: string, type: keyof typeof JAVA_TYPES, why: string): KlassError {
  return new KlassError(400, `Method parameter '${name}': Failed to convert value of type 'java.lang.String' to required type '${JAVA_TYPES[type]}'; ${why}`);
}

function missing(name: string, type: keyof typeof SHORT_TYPES, present = false): KlassError {
  return new KlassError(
    400,
    present
      ? `Required request parameter '${name}' for method parameter type ${SHORT_TYPES[type]} is present but converted to null`
      : `Required request parameter '${name}' for method parameter type ${SHORT_TYPES[type]} is not present`,
  );
}

export class QueryParams {
  private readonly values = new Map<string, string[]>();

  /** `raw` is the query string as sent, without the leading "?". */
  constructor(raw: string) {
    for (const [k, v] of new URLSearchParams(raw)) {
      const list = this.values.get(k);
      if (list) list.push(v);
      else this.values.set(k, [v]);
    }
  }

  /** The value; repeated values joined with "," (Spring's String[] -> String). */
  string(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined ? undefined : v.join(',');
  }

  /** Absent or empty -> undefined. */
  optional(name: string): string | undefined {
    const v = this.string(name);
    return v === undefined || v === '' ? undefined : v;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw missing(name, 'string');
    return v;
  }

  date(name: string): string | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    if (!isIsoDate(v)) throw conversionError(name, 'date', `'${v}' is not a date in the form yyyy-MM-dd`);
    return v;
  }

  requiredDate(name: string): string {
    const raw = this.string(name);
    if (raw === undefined) throw missing(name, 'date');
    if (raw === '') throw missing(name, 'date', true);
    return this.date(name)!;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.optional(name);
    if (v === undefined) return fallback;
    const s = v.trim().toLowerCase();
    if (['true', 'on', 'yes', '1'].includes(s)) return true;
    if (['false', 'off', 'no', '0'].includes(s)) return false;
    throw conversionError(name, 'boolean', `Invalid boolean value [${v}]`);
  }

  language(name: string): Lang | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    const s = v.trim().toLowerCase();
    if (!isLang(s)) throw conversionError(name, 'language', `'${v}' is not a language; use nb, nn or en`);
    return s;
  }

  requiredLong(name: string): bigint {
    const raw = this.string(name);
    if (raw === undefined) throw missing(name, 'long');
    if (raw === '') throw missing(name, 'long', true);
    return parseLong(name, raw);
  }

  /** Spring Data's page number: not a number or negative -> 0. */
  page(): number {
    const n = javaInt(this.optional('page'));
    return n !== null && n > 0 ? n : 0;
  }

  /** Spring Data's page size: default 20, not a number or below 1 -> 20, above 2000 -> 2000. */
  size(): number {
    const n = javaInt(this.optional('size'));
    if (n === null || n < 1) return 20;
    return Math.min(n, 2000);
  }

  /**
   * An ISO date-time (`2015-10-31T01:30:00.000-0200`, `...-02:00`, `...Z`); a "+" sent unencoded arrives as a
   * space and is read as "+". Returns epoch milliseconds.
   */
  dateTime(name: string): number | undefined {
    const v = this.optional(name);
    if (v === undefined) return undefined;
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+\- ]\d{2}(?::?\d{2})?)$/.exec(v.trim());
    const bad = () => conversionError(name, 'dateTime', `'${v}' is not a date-time like 2015-10-31T01:30:00.000-0200`);
    if (!m || !isIsoDate(m[1]) || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 59) throw bad();
    let offset = m[6];
    if (offset !== 'Z') {
      const sign = offset[0] === '-' ? '-' : '+';
      const digits = offset.slice(1).replace(':', '');
      const hh = digits.slice(0, 2);
      const mm = digits.slice(2) || '00';
      if (Number(hh) > 18 || Number(mm) > 59) throw bad();
      offset = `${sign}${hh}:${mm}`;
    }
    const ms = (m[5] ?? '').padEnd(3, '0').slice(0, 3);
    const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}.${ms}${offset}`);
    if (!Number.isFinite(t)) throw bad();
    return t;
  }
}

/** Integer.parseInt: null when not an int. */
function javaInt(raw: string | undefined): number | null {
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}

/** A Java long, as Spring converts a path variable or parameter: optional sign, digits, within 64 bits. */
export function parseLong(name: string, raw: string): bigint {
  if (/^[+-]?\d{1,19}$/.test(raw)) {
    const n = BigInt(raw);
    if (n <= 9223372036854775807n && n >= -9223372036854775808n) return n;
  }
  throw conversionError(name, 'long', `For input string: "${raw}"`);
}

/** An id as a JS number, or null when it cannot name anything we hold (beyond 2^53). */
export function idNumber(n: bigint): number | null {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : null;
}
