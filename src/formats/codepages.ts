// The one codepage module, for reading and writing: UTF-8 and the single-byte codepages PX files declare.
// Each single-byte codepage is a decode table (byte -> code point) built once at module load, from data here
// (windows-1252, iso-8859-1, us-ascii: Node 20's TextDecoder decodes all three as windows-1252's WHATWG index, so
// they cannot come from it) or from the runtime's TextDecoder where its WHATWG index is the codepage; the encode
// table is its inverse. Nothing here turns a character into '?': encode() throws, tryEncode() returns null,
// canEncode() says so, and chooseCodepage() applies the writers' policy (the table's codepage when it can hold every
// text, else UTF-8).

import { TextDecoder } from 'node:util';

export class UnencodableError extends Error {
  constructor(
    readonly codepage: string,
    readonly char: string,
  ) {
    super(`${codepage} cannot encode U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
  }
}

export interface Codepage {
  /** Canonical lower-case web name, as in a Content-Type charset ("iso-8859-1", "utf-8"). */
  name: string;
  /** Byte order mark written at the start of a text document (UTF-8 only). */
  bom: Uint8Array;
  /** One byte per character. */
  singleByte: boolean;
  /** True when every character of `s` has a byte in this codepage. */
  canEncode(s: string): boolean;
  /** `s` as bytes; throws UnencodableError when a character has none. */
  encode(s: string): Buffer;
  /** `s` as bytes, or null when a character has none. */
  tryEncode(s: string): Buffer | null;
  decode(b: Uint8Array): string;
}

/** windows-1252 bytes 0x80..0x9F -> code points (0: unassigned, decoded as the C1 control of that byte). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

const UNMAPPED = 0xfffd;

function latin1Table(): Uint16Array {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) t[i] = i;
  return t;
}

function cp1252Table(): Uint16Array {
  const t = latin1Table();
  CP1252_HIGH.forEach((cp, i) => {
    if (cp) t[0x80 + i] = cp;
  });
  return t;
}

function asciiTable(): Uint16Array {
  const t = latin1Table();
  t.fill(UNMAPPED, 0x80);
  return t;
}

/** The decode table of a codepage whose WHATWG index Node's TextDecoder has (checked: it must answer that name). */
function runtimeTable(name: string): Uint16Array {
  const d = new TextDecoder(name);
  if (d.encoding !== name) throw new Error(`the runtime decodes ${name} as ${d.encoding}`);
  const bytes = new Uint8Array(256);
  for (let i = 0; i < 256; i++) bytes[i] = i;
  const s = d.decode(bytes);
  if (s.length !== 256) throw new Error(`${name} is not a single-byte codepage here`);
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) t[i] = s.charCodeAt(i);
  return t;
}

const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const utf8Decoder = new TextDecoder('utf-8');

/** A lone surrogate cannot be written in UTF-8 either (Buffer.from would write U+FFFD). */
function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return true;
  }
  return false;
}

export const UTF8: Codepage = {
  name: 'utf-8',
  bom: UTF8_BOM,
  singleByte: false,
  canEncode: (s) => !hasLoneSurrogate(s),
  // a lone surrogate is not a character (malformed input): written as U+FFFD, canEncode() reports it
  encode: (s) => Buffer.from(s, 'utf8'),
  tryEncode: (s) => (hasLoneSurrogate(s) ? null : Buffer.from(s, 'utf8')),
  decode: (b) => utf8Decoder.decode(b),
};

class SingleByteCodepage implements Codepage {
  readonly bom = new Uint8Array(0);
  readonly singleByte = true;
  /** code point (BMP) -> byte + 1; 0 = none. Built on first use. */
  private enc: Uint16Array | null = null;
  /** Characters below this are the same byte and always encodable (the fast path). */
  private readonly identityBelow: number;

  constructor(
    readonly name: string,
    private readonly table: Uint16Array,
  ) {
    let n = 0;
    while (n < 256 && table[n] === n) n++;
    this.identityBelow = n;
  }

  private encoder(): Uint16Array {
    if (!this.enc) {
      const e = new Uint16Array(65536);
      // the lowest byte wins when two bytes decode to the same character
      for (let b = 255; b >= 0; b--) if (this.table[b] !== UNMAPPED) e[this.table[b]] = b + 1;
      this.enc = e;
    }
    return this.enc;
  }

  private firstBad(s: string): number {
    const lim = this.identityBelow;
    let i = 0;
    while (i < s.length && s.charCodeAt(i) < lim) i++;
    if (i === s.length) return -1;
    const e = this.encoder();
    for (; i < s.length; i++) if (e[s.charCodeAt(i)] === 0) return i;
    return -1;
  }

  canEncode(s: string): boolean {
    return this.firstBad(s) < 0;
  }

  tryEncode(s: string): Buffer | null {
    const lim = this.identityBelow;
    let i = 0;
    while (i < s.length && s.charCodeAt(i) < lim) i++;
    if (i === s.length) return Buffer.from(s, 'latin1');
    const e = this.encoder();
    const out = Buffer.allocUnsafe(s.length);
    out.write(s.slice(0, i), 0, 'latin1');
    for (; i < s.length; i++) {
      const b = e[s.charCodeAt(i)];
      if (b === 0) return null;
      out[i] = b - 1;
    }
    return out;
  }

  encode(s: string): Buffer {
    const b = this.tryEncode(s);
    if (b === null) throw new UnencodableError(this.name, s[this.firstBad(s)]);
    return b;
  }

  decode(b: Uint8Array): string {
    let plain = true;
    for (let i = 0; i < b.length; i++) {
      if (b[i] >= this.identityBelow) {
        plain = false;
        break;
      }
    }
    const latin = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    if (plain) return latin;
    let out = '';
    let from = 0;
    for (let i = 0; i < b.length; i++) {
      if (b[i] < this.identityBelow) continue;
      out += latin.slice(from, i) + String.fromCharCode(this.table[b[i]]);
      from = i + 1;
    }
    return out + latin.slice(from);
  }
}

/** Canonical name -> how its decode table is made. */
const SINGLE_BYTE: Record<string, () => Uint16Array> = {
  'us-ascii': asciiTable,
  'iso-8859-1': latin1Table,
  'windows-1252': cp1252Table,
  'iso-8859-2': () => runtimeTable('iso-8859-2'),
  'iso-8859-4': () => runtimeTable('iso-8859-4'),
  'iso-8859-5': () => runtimeTable('iso-8859-5'),
  'iso-8859-13': () => runtimeTable('iso-8859-13'),
  'iso-8859-15': () => runtimeTable('iso-8859-15'),
  'windows-1250': () => runtimeTable('windows-1250'),
  'windows-1251': () => runtimeTable('windows-1251'),
  'windows-1257': () => runtimeTable('windows-1257'),
};

const CODEPAGES = new Map<string, Codepage>([['utf-8', UTF8]]);
for (const [name, make] of Object.entries(SINGLE_BYTE)) CODEPAGES.set(name, new SingleByteCodepage(name, make()));

const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  ascii: 'us-ascii',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  l1: 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  latin2: 'iso-8859-2',
  'latin-2': 'iso-8859-2',
  l2: 'iso-8859-2',
  latin9: 'iso-8859-15',
  'latin-9': 'iso-8859-15',
  ansi: 'windows-1252',
  'x-ansi': 'windows-1252',
  'ms-ansi': 'windows-1252',
};

function normalise(label: string): string {
  let l = label.trim().toLowerCase().replace(/\s+/g, '');
  l = ALIASES[l] ?? l;
  let m = /^(?:iso[-_]?)?8859[-_]?(\d{1,2})$/.exec(l);
  if (m) return `iso-8859-${m[1]}`;
  m = /^(?:cp|windows|win|ms)[-_]?(\d{3,4})$/.exec(l) ?? /^(\d{4})$/.exec(l);
  if (m) return `windows-${m[1]}`;
  return l;
}

/** The codepage for a label (PX CODEPAGE, charset), or undefined when this module does not know it. */
export function findCodepage(label: string | undefined): Codepage | undefined {
  if (!label) return undefined;
  return CODEPAGES.get(normalise(label));
}

/** Canonical names of every codepage this module reads and writes. */
export function codepageNames(): string[] {
  return [...CODEPAGES.keys()];
}

/** True when `codepage` (a label) is known and holds every character of `text`. */
export function canEncode(codepage: string, text: string): boolean {
  return findCodepage(codepage)?.canEncode(text) ?? false;
}

/**
 * The writers' policy: the declared codepage when it is known and holds every text, else UTF-8. Decided before the
 * first byte is written, from the texts the document will hold.
 */
export function chooseCodepage(declared: string | undefined, texts: Iterable<string>, fallbackDeclared = 'iso-8859-1'): Codepage {
  const cp = findCodepage(declared) ?? findCodepage(fallbackDeclared)!;
  if (cp === UTF8) return cp;
  for (const t of texts) if (!cp.canEncode(t)) return UTF8;
  return cp;
}

/** Every string inside a value (objects, arrays), for checking metadata against a codepage. */
export function* stringsOf(x: unknown, depth = 0): Generator<string> {
  if (typeof x === 'string') yield x;
  else if (depth > 12 || x === null || typeof x !== 'object' || ArrayBuffer.isView(x)) return;
  else if (Array.isArray(x)) for (const v of x) yield* stringsOf(v, depth + 1);
  else for (const v of Object.values(x as Record<string, unknown>)) yield* stringsOf(v, depth + 1);
}
