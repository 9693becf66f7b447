// Ready-made dataset CSV follows the language: Norwegian is semicolon separated with a decimal comma, English
// comma separated with a decimal point. The CSV serializer writes either (SerializeOptions separator/decimalComma).

export interface CsvLocale {
  separator: ',' | ';';
  decimal: '.' | ',';
}

/** Statistics Norway's dataset CSV: English = `,` and `.`; every other language = `;` and `,`. */
export function csvLocaleFor(lang: string): CsvLocale {
  return lang === 'en' ? { separator: ',', decimal: '.' } : { separator: ';', decimal: ',' };
}
