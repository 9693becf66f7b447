// Office time: PX dates (LAST-UPDATED, CREATION-DATE, NEXT-UPDATE) are local clock times of the office that wrote
// them, without a zone. They are read in the office's IANA time zone (a setting; Statistics Norway's by default)
// and written in UTC where an API shows instants (JSON-stat `updated`), and back in local time in PX files.

/** The office's time zone when none is configured. */
export const DEFAULT_TIME_ZONE = 'Europe/Oslo';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of instant `ms` in `timeZone`. */
export function zonedParts(ms: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year, mo: p.month, d: p.day, h: p.hour, mi: p.minute, s: p.second };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const z = zonedParts(ms, timeZone);
  return Date.UTC(z.y, z.mo - 1, z.d, z.h, z.mi, z.s) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a local clock time in `timeZone`. A time skipped by a spring-forward gap is taken with the offset
 * before the change (02:30 -> 03:30 local); a repeated autumn hour gives its first occurrence.
 */
export function zonedToUtcMs(y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): number {
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  const o1 = offsetAt(naive, timeZone);
  const o2 = offsetAt(naive - o1, timeZone);
  if (o1 === o2) return naive - o1;
  // at a change: the earlier offset of the two that reproduces the clock time, else the one before the change
  const a = naive - Math.max(o1, o2);
  const b = naive - Math.min(o1, o2);
  const back = (t: number) => {
    const z = zonedParts(t, timeZone);
    return z.y === y && z.mo === mo && z.d === d && z.h === h && z.mi === mi;
  };
  if (back(a)) return a;
  if (back(b)) return b;
  return naive - Math.min(o1, o2);
}

/**
 * A timestamp as `yyyy-MM-ddTHH:mm:ssZ`. Strings with a zone (Z, +01:00) keep their instant; ISO strings without one
 * and PX dates ("20250102 08:00", "20250102") are local times in `timeZone`. Unparsable input is returned unchanged.
 */
export function toUtcIso(s: string | undefined, timeZone: string = DEFAULT_TIME_ZONE): string | undefined {
  if (!s) return undefined;
  const t = s.trim();
  const local =
    /^(\d{4})(\d{2})(\d{2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t) ??
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(t);
  let ms: number;
  if (local) {
    const n = (i: number) => (local[i] === undefined ? 0 : Number(local[i]));
    ms = zonedToUtcMs(n(1), n(2), n(3), n(4), n(5), n(6), timeZone);
  } else ms = Date.parse(t);
  if (Number.isNaN(ms)) return s;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An instant with a zone as the local clock time in `timeZone` (`yyyy-MM-ddTHH:mm:ss`); zone-less input unchanged. */
export function toLocalIso(s: string, timeZone: string = DEFAULT_TIME_ZONE): string {
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(s.trim())) return s;
  const ms = Date.parse(s.trim());
  if (Number.isNaN(ms)) return s;
  const z = zonedParts(ms, timeZone);
  const p = (x: number, w = 2) => String(x).padStart(w, '0');
  return `${p(z.y, 4)}-${p(z.mo)}-${p(z.d)}T${p(z.h)}:${p(z.mi)}:${p(z.s)}`;
}
