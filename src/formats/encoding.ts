// Text -> bytes in a table codepage (PX CODEPAGE). CSV, PX and HTML are sent in the table's
// codepage; JSON is always UTF-8. Characters a single-byte codepage cannot hold become '?',
// as .NET's replacement fallback does.

export interface Codepage {
  /** Canonical lower-case web name, used in Content-Type charset ("iso-8859-1", "utf-8"). */
  name: string;
  /** Byte order mark written at the start of a text document (UTF-8 only). */
  bom: Uint8Array;
  encode(s: string): Buffer;
}

const QUESTION = 0x3f;

/** windows-1252 bytes 0x80..0x9F -> code points (0 = unassigned). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/** iso-8859-15 differs from iso-8859-1 at these bytes. */
const LATIN9_DIFF: Record<number, number> = {
  0xa4: 0x20ac, 0xa6: 0x0160, 0xa8: 0x0161, 0xb4: 0x017d, 0xb8: 0x017e, 0xbc: 0x0152, 0xbd: 0x0153, 0xbe: 0x0178,
};

/** A single-byte codepage from a code point -> byte map for everything that is not identity. */
function singleByte(name: string, identityUpTo: number, extra: Map<number, number>, holes: Set<number>): Codepage {
  const needsMap = (c: number) => c > identityUpTo || holes.has(c);
  return {
    name,
    bom: new Uint8Array(0),
    encode(s: string): Buffer {
      let plain = true;
      for (let i = 0; i < s.length; i++) {
        if (needsMap(s.charCodeAt(i))) {
          plain = false;
          break;
        }
      }
      if (plain) return Buffer.from(s, 'latin1');
      const out = Buffer.allocUnsafe(s.length);
      let n = 0;
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (!needsMap(c)) out[n++] = c;
        else {
          const b = extra.get(c);
          out[n++] = b ?? QUESTION;
          // a surrogate pair is one character: one '?'
          if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
            const d = s.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) i++;
          }
        }
      }
      return out.subarray(0, n);
    },
  };
}

const UTF8: Codepage = {
  name: 'utf-8',
  bom: Uint8Array.of(0xef, 0xbb, 0xbf),
  encode: (s) => Buffer.from(s, 'utf8'),
};

const ASCII = singleByte('us-ascii', 0x7f, new Map(), new Set());
const LATIN1 = singleByte('iso-8859-1', 0xff, new Map(), new Set());

const CP1252 = (() => {
  const extra = new Map<number, number>();
  const holes = new Set<number>();
  CP1252_HIGH.forEach((cp, i) => {
    const byte = 0x80 + i;
    if (cp) {
      extra.set(cp, byte);
      holes.add(byte); // the C1 control at this byte is not in the codepage
    } else {
      extra.set(byte, byte); // unassigned bytes pass C1 controls through, like .NET's best fit
    }
  });
  return singleByte('windows-1252', 0xff, extra, holes);
})();

const LATIN9 = (() => {
  const extra = new Map<number, number>();
  const holes = new Set<number>();
  for (const [b, cp] of Object.entries(LATIN9_DIFF)) {
    extra.set(cp, Number(b));
    holes.add(Number(b));
  }
  return singleByte('iso-8859-15', 0xff, extra, holes);
})();

const ALIASES: Record<string, Codepage> = {
  'utf-8': UTF8,
  utf8: UTF8,
  'unicode-1-1-utf-8': UTF8,
  'iso-8859-1': LATIN1,
  'iso8859-1': LATIN1,
  iso88591: LATIN1,
  'iso_8859-1': LATIN1,
  latin1: LATIN1,
  'latin-1': LATIN1,
  l1: LATIN1,
  'windows-1252': CP1252,
  windows1252: CP1252,
  cp1252: CP1252,
  '1252': CP1252,
  ansi: CP1252,
  'x-ansi': CP1252,
  'iso-8859-15': LATIN9,
  'iso8859-15': LATIN9,
  iso885915: LATIN9,
  latin9: LATIN9,
  'latin-9': LATIN9,
  'us-ascii': ASCII,
  ascii: ASCII,
};

/** Default codepage of text formats when the table names none (PX default). */
export const DEFAULT_CODEPAGE = 'iso-8859-1';

/** The codepage for a PX CODEPAGE name; unknown or missing names give the PX default (iso-8859-1). */
export function getCodepage(name?: string): Codepage {
  if (!name) return LATIN1;
  return ALIASES[name.trim().toLowerCase().replace(/\s+/g, '')] ?? LATIN1;
}

/** True when the name is a codepage this module knows. */
export function isKnownCodepage(name: string): boolean {
  return name.trim().toLowerCase().replace(/\s+/g, '') in ALIASES;
}

/** Encode `s` in codepage `name` (unmappable characters -> '?'). No BOM. */
export function encodeText(s: string, name?: string): Buffer {
  return getCodepage(name).encode(s);
}
