// Names Klass builds rather than stores, and the ordering Klass uses for names and codes.

import type { Classification, ClassificationType, Lang } from './model.js';
import { textIn } from './model.js';

/** Klass's alphanumeric order: digit runs compare as numbers (a longer run is a larger number), other runs as
 *  strings; with reverseNumbers the numeric comparison is reversed ("Kommuneinndeling 2024" before "... 2020"). */
export function alphanumCompare(a: string, b: string, reverseNumbers = false): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ba = block(a, i);
    const bb = block(b, j);
    i += ba.length;
    j += bb.length;
    let r: number;
    if (isDigit(ba.charCodeAt(0)) && isDigit(bb.charCodeAt(0))) {
      r = ba.length - bb.length;
      if (r === 0) r = ba < bb ? -1 : ba > bb ? 1 : 0;
      if (reverseNumbers) r = -r;
    } else {
      r = ba < bb ? -1 : ba > bb ? 1 : 0;
    }
    if (r !== 0) return r;
  }
  return a.length - b.length;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

function block(s: string, pos: number): string {
  const digit = isDigit(s.charCodeAt(pos));
  let end = pos + 1;
  while (end < s.length && isDigit(s.charCodeAt(end)) === digit) end++;
  return s.slice(pos, end);
}

/** Plain UTF-16 order, as Java's String.compareTo. */
export function codeCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PREFIX: Record<ClassificationType, Record<Lang, string>> = {
  CLASSIFICATION: { nb: 'Standard for ', nn: 'Standard for ', en: 'Classification of ' },
  CODELIST: { nb: 'Kodeliste for ', nn: 'Kodeliste for ', en: 'Codelist for ' },
};

const TYPE_NAME: Record<ClassificationType, Record<Lang, string>> = {
  CLASSIFICATION: { nb: 'Klassifikasjon', nn: 'Klassifikasjon', en: 'Classification' },
  CODELIST: { nb: 'Kodeliste', nn: 'Kodeliste', en: 'Codelist' },
};

export function classificationTypeName(type: ClassificationType, lang: Lang): string {
  return TYPE_NAME[type][lang];
}

/** "Standard for kommuneinndeling" -> "kommuneinndeling". */
export function nameWithoutPrefix(c: Classification, lang: Lang): string {
  const name = textIn(c.name, lang);
  const prefix = PREFIX[c.type][lang];
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

export function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}

/** The date part of generated names: "yyyy" for a period starting 1 January and not ending the same year,
 *  else "yyyy-MM". */
export function datePostfix(validFrom: string, validTo: string | null): string {
  const year = validFrom.slice(0, 4);
  const startOfYear = validFrom.slice(5) === '01-01';
  const sameYear = validTo !== null && validTo.slice(0, 4) === year;
  return startOfYear && !sameYear ? year : validFrom.slice(0, 7);
}

/** " - variant av " between a variant's base name and its version's name. */
export function variantSeparator(lang: Lang): string {
  return lang === 'en' ? ' - variant of ' : ' - variant av ';
}
