// Generated titles of data responses (PxWeb CreateTitle): CONTENTS by a, b and c, in the words of the language.

import { text, type TableMeta, type Texts } from '../core/model.js';

/** What a title is made of: the full metadata or a table's summary (variables with their labels). */
export type TitleSource = Pick<TableMeta, 'title' | 'contents' | 'defaultLanguage'> & {
  variables: readonly { code: string; label?: Texts }[];
};

interface TitleWords {
  /** "by": before the list of names, or after it for a postposition. */
  by: string;
  and: string;
  postposition?: boolean;
}

/**
 * The joining words per language (ISO 639-1). Languages not listed use English. Greenlandic follows Statistics
 * Greenland's own files (`kingorna`, `aamma`); Estonian puts `järgi` after the names ("... soo ja aasta järgi").
 */
const WORDS: Record<string, TitleWords> = {
  en: { by: 'by', and: 'and' },
  no: { by: 'etter', and: 'og' },
  nb: { by: 'etter', and: 'og' },
  nn: { by: 'etter', and: 'og' },
  sv: { by: 'efter', and: 'och' },
  da: { by: 'efter', and: 'og' },
  fi: { by: 'muuttujina', and: 'ja' },
  is: { by: 'eftir', and: 'og' },
  fo: { by: 'eftir', and: 'og' },
  de: { by: 'nach', and: 'und' },
  fr: { by: 'par', and: 'et' },
  es: { by: 'por', and: 'y' },
  it: { by: 'per', and: 'e' },
  nl: { by: 'naar', and: 'en' },
  pt: { by: 'por', and: 'e' },
  pl: { by: 'według', and: 'i' },
  et: { by: 'järgi', and: 'ja', postposition: true },
  lv: { by: 'pēc', and: 'un' },
  lt: { by: 'pagal', and: 'ir' },
  uk: { by: 'за', and: 'та' },
  ru: { by: 'по', and: 'и' },
  kl: { by: 'kingorna', and: 'aamma' },
};

function wordsOf(lang: string): TitleWords | undefined {
  return WORDS[lang.toLowerCase().split(/[-_]/)[0]];
}

/** True when titles in `lang` are generated with that language's own words (not English ones). */
export function hasTitleWords(lang: string): boolean {
  return wordsOf(lang) !== undefined;
}

export function titleWords(lang: string): [by: string, and: string] {
  const w = wordsOf(lang) ?? WORDS.en;
  return [w.by, w.and];
}

/** Join names as "a, b and c" in `lang`. */
export function joinNames(names: readonly string[], lang: string): string {
  if (names.length <= 1) return names.join('');
  const and = titleWords(lang)[1];
  return names.slice(0, -1).join(', ') + ' ' + and + ' ' + names[names.length - 1];
}

/**
 * The title of a result cube: CONTENTS + " by " + variable names in output order, in the words of `lang`.
 * `variableCodes` defaults to every variable of the cube (its output order).
 */
export function generatedTitle(meta: TitleSource, lang: string, variableCodes?: readonly string[]): string {
  const contents = text(meta.contents, lang, meta.defaultLanguage) || text(meta.title, lang, meta.defaultLanguage);
  const vars = variableCodes
    ? variableCodes.map((c) => meta.variables.find((v) => v.code === c)).filter((v) => v !== undefined)
    : meta.variables;
  const names = vars.map((v) => text(v.label, lang, meta.defaultLanguage) || v.code);
  if (!names.length) return contents;
  const w = wordsOf(lang) ?? WORDS.en;
  const list = joinNames(names, lang);
  return w.postposition ? contents + ' ' + list + ' ' + w.by : contents + ' ' + w.by + ' ' + list;
}

/**
 * The title of a whole table in `lang`: the file's TITLE in that very language when it has one (a publisher's
 * title beats a generated one), else a title generated in the language's own words (never another language's
 * TITLE).
 */
export function tableTitle(meta: TitleSource, lang: string): string {
  const own = meta.title?.[lang];
  return own !== undefined && own.trim() !== '' ? own : generatedTitle(meta, lang);
}
