// Generated titles of data responses (PxWeb CreateTitle): CONTENTS by a, b and c.

import { text, type TableMeta } from '../core/model.js';

/** by/and per language; languages not listed use English. */
const WORDS: Record<string, [string, string]> = {
  en: ['by', 'and'],
  no: ['etter', 'og'],
  nb: ['etter', 'og'],
  nn: ['etter', 'og'],
  sv: ['efter', 'och'],
  da: ['efter', 'og'],
};

export function titleWords(lang: string): [by: string, and: string] {
  return WORDS[lang.toLowerCase().slice(0, 2)] ?? WORDS.en;
}

/** Join names as "a, b and c" in `lang`. */
export function joinNames(names: readonly string[], lang: string): string {
  if (names.length <= 1) return names.join('');
  const and = titleWords(lang)[1];
  return names.slice(0, -1).join(', ') + ' ' + and + ' ' + names[names.length - 1];
}

/**
 * The title of a result cube: CONTENTS + " by " + variable names in output order.
 * `variableCodes` defaults to every variable of the cube (its output order).
 */
export function generatedTitle(meta: TableMeta, lang: string, variableCodes?: readonly string[]): string {
  const contents = text(meta.contents, lang, meta.defaultLanguage) || text(meta.title, lang, meta.defaultLanguage);
  const vars = variableCodes
    ? variableCodes.map((c) => meta.variables.find((v) => v.code === c)).filter((v) => v !== undefined)
    : meta.variables;
  const names = vars.map((v) => text(v.label, lang, meta.defaultLanguage) || v.code);
  if (!names.length) return contents;
  return contents + ' ' + titleWords(lang)[0] + ' ' + joinNames(names, lang);
}
