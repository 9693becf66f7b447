// Release times: a date and a wall-clock time in the office's time zone (08:00 Europe/Oslo by default) turned into
// the UTC instant the store compares with its clock. Daylight saving time comes from the platform's time zone
// database (Intl), so 08:00 is 07:00Z in winter and 06:00Z in summer, transition days included.

export const RELEASE_TIME_ZONE = 'Europe/Oslo';
export const DEFAULT_RELEASE_CLOCK = '08:00';
/**
 * How long before a release instant the work for it is done ahead (the release feed's headlines and change
 * comparisons, the scheduler's answers to the queries last asked): near enough that what readers asked last is
 * known, far enough for the work to be over before the instant.
 */
export const PREPARE_AHEAD_MS = 2_000;

export class ReleaseTimeError extends Error {}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new ReleaseTimeError(`unknown time zone ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a zone, as if they were UTC (epoch ms). */
function wallClockAsUtc(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/** The zone's offset from UTC at an instant, in ms (Oslo: +1 h in winter, +2 h in summer). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  return wallClockAsUtc(Math.floor(ms / 1000) * 1000, timeZone) - Math.floor(ms / 1000) * 1000;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^(\d{1,2}):(\d{2})$/;

/**
 * The UTC instant at which the wall clock in `timeZone` shows `date` `time` ("2026-12-01", "08:00").
 * A time that occurs twice (the autumn hour) is its first occurrence; one that does not occur (the spring gap)
 * is an error.
 */
export function zonedInstant(date: string, time: string = DEFAULT_RELEASE_CLOCK, timeZone: string = RELEASE_TIME_ZONE): Date {
  const d = typeof date === 'string' ? DATE.exec(date) : null;
  if (!d) throw new ReleaseTimeError(`date must be YYYY-MM-DD, got ${JSON.stringify(date)}`);
  const c = typeof time === 'string' ? CLOCK.exec(time) : null;
  if (!c) throw new ReleaseTimeError(`time must be HH:MM, got ${JSON.stringify(time)}`);
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(c[1]), Number(c[2])];
  if (h > 23 || mi > 59) throw new ReleaseTimeError(`no such time of day: ${time}`);
  const wall = Date.UTC(y, mo - 1, da, h, mi);
  const back = new Date(wall);
  if (y < 1900 || back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== da) {
    throw new ReleaseTimeError(`no such date: ${date}`);
  }
  // The offset changes at most once around a given day: the offsets a day before and a day after give every
  // candidate instant; keep those whose wall clock really shows the requested time.
  const candidates = [...new Set([zoneOffsetMs(wall - 86_400_000, timeZone), zoneOffsetMs(wall + 86_400_000, timeZone)])]
    .map((off) => wall - off)
    .filter((ms) => wallClockAsUtc(ms, timeZone) === wall)
    .sort((a, b) => a - b);
  if (!candidates.length) throw new ReleaseTimeError(`${date} ${time} does not exist in ${timeZone} (clocks are put forward)`);
  return new Date(candidates[0]);
}

/** The release instant as the ISO UTC string the store takes (default 08:00 Europe/Oslo). */
export function releaseInstant(date: string, time: string = DEFAULT_RELEASE_CLOCK, timeZone: string = RELEASE_TIME_ZONE): string {
  return zonedInstant(date, time, timeZone).toISOString();
}

/** A release time for people: "1. desember 2026 kl. 08:00" / "1 December 2026 at 08:00" in the office's zone. */
export function formatReleaseTime(iso: string, lang: string, timeZone: string = RELEASE_TIME_ZONE): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return String(iso);
  return releaseTimeFormat(lang, timeZone).format(new Date(ms));
}

/** Formatters by language and zone: making one costs ~0.1 ms, far more than formatting (an RSS feed formats 50-500). */
const releaseTimeFormats = new Map<string, Intl.DateTimeFormat>();

function releaseTimeFormat(lang: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${lang} ${timeZone}`;
  let f = releaseTimeFormats.get(key);
  if (!f) {
    // Norwegian as Bokmål or Nynorsk, English as written in Europe; any other language in its own words when the
    // runtime knows it
    const locale = lang === 'no' || lang === 'nb' ? 'nb-NO' : lang === 'nn' ? 'nn-NO' : lang === 'en' ? 'en-GB' : safeLocale(lang) ?? 'en-GB';
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone });
    if (releaseTimeFormats.size >= 64) releaseTimeFormats.clear(); // bounded whatever the callers pass
    releaseTimeFormats.set(key, f);
  }
  return f;
}

function safeLocale(lang: string): string | undefined {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([lang])[0];
  } catch {
    return undefined; // not a language tag
  }
}
