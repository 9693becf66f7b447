// The app's own words: one message catalogue per UI language (web/src/i18n/<lang>.ts, each typed as the
// Norwegian reference, so a missing key fails the build). Texts about the data (titles, variables, values,
// notes) come from the API in a data language the server has; only the user interface's labels live here.

import { en } from './i18n/en.js';
import { no, type Texts } from './i18n/no.js';
import { sv } from './i18n/sv.js';

const CATALOGUES = { no, en, sv } satisfies Record<string, Texts>;

export type Lang = keyof typeof CATALOGUES;
export type { Texts };
/** The UI languages: those with a catalogue, Norwegian first (the default). */
export const LANGS = Object.keys(CATALOGUES) as Lang[];

export function texts(lang: Lang): Texts {
  return CATALOGUES[lang];
}

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(CATALOGUES, x);
}

/** The locale used for number and date formatting. */
export function locale(lang: Lang): string {
  return CATALOGUES[lang].locale;
}

/** The name of a language code (UI or data language) in the UI language, e.g. "engelsk" / "English". */
export function languageName(code: string, uiLang: Lang): string {
  try {
    const name = new Intl.DisplayNames([locale(uiLang)], { type: 'language' }).of(code);
    if (name && name !== code) return name;
  } catch {
    // an unknown code
  }
  return isLang(code) ? CATALOGUES[code].langName : code;
}

/** The html `lang` value of a data language code. */
export function htmlLang(code: string): string {
  return code === 'no' ? 'nb' : code;
}
