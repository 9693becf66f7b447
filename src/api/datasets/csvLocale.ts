// Ready-made dataset CSV follows the language: Norwegian is semicolon separated with a decimal comma, English
// comma separated with a decimal point. The project's CSV serializer writes the English form; this rewrites its
// bytes field by field (quoted text is copied untouched, so labels with commas or dots survive), instead of
// keeping a second CSV writer.

export interface CsvLocale {
  separator: ',' | ';';
  decimal: '.' | ',';
}

/** Statistics Norway's dataset CSV: English = `,` and `.`; every other language = `;` and `,`. */
export function csvLocaleFor(lang: string): CsvLocale {
  return lang === 'en' ? { separator: ',', decimal: '.' } : { separator: ';', decimal: ',' };
}

const NUMBER = /^-?\d+\.\d+$/;

/**
 * Rewrite comma-separated, point-decimal CSV (RFC 4180 quoting) to `locale`. Works on bytes of any ASCII-compatible
 * single- or multi-byte encoding: only `"`, `,`, `.`, CR and LF are looked at, and those never occur inside
 * another character's bytes in ISO-8859-1, Windows-1252 or UTF-8.
 */
export function localizeCsv(input: Buffer, locale: CsvLocale): Buffer {
  if (locale.separator === ',' && locale.decimal === '.') return input;
  const s = input.toString('latin1'); // one char per byte: a lossless view of any encoding
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      // quoted field: copy through its closing quote ("" is an escaped quote)
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q < 0) {
          j = n;
          break;
        }
        if (s.charCodeAt(q + 1) === 0x22) {
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      out.push(s.slice(i, j));
      i = j;
    } else if (c === 0x2c) {
      out.push(locale.separator);
      i++;
    } else if (c === 0x0d || c === 0x0a) {
      out.push(s[i]);
      i++;
    } else {
      // an unquoted field (a number or a missing-value symbol) up to the next separator or line end
      let j = i;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (d === 0x2c || d === 0x0d || d === 0x0a || d === 0x22) break;
        j++;
      }
      const field = s.slice(i, j);
      out.push(NUMBER.test(field) ? field.replace('.', locale.decimal) : field);
      i = j;
    }
  }
  return Buffer.from(out.join(''), 'latin1');
}
