// Text folding and tokenising shared by the search index and the query parser: both sides must fold alike.

/**
 * Lower-case and fold letters so that a query typed without Norwegian letters still matches:
 * æ -> ae, ø -> o, å -> a (and other diacritics stripped: é -> e, ä -> a, ö -> o), ß -> ss.
 */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
}

const SPLIT = /[^\p{L}\p{N}]+/u;

/** Folded word tokens of a text: runs of letters and digits. */
export function tokenize(s: string): string[] {
  if (!s) return [];
  return fold(s).split(SPLIT).filter(Boolean);
}

/** A timestamp as the digits-only form date queries compare against: "20180604093000". */
export function dateKey(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2}))?)?/.exec(iso);
  if (!m) return undefined;
  return `${m[1]}${m[2]}${m[3]}${m[4] ?? '00'}${m[5] ?? '00'}${m[6] ?? '00'}`;
}
