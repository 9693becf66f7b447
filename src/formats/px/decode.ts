// Bytes -> text for the metadata part of a PX file (spec §2).
// Order: BOM; else valid UTF-8 with non-ASCII bytes wins over any CODEPAGE (real files
// declare iso-8859-x and contain UTF-8); else the declared CODEPAGE; else windows-1252.
// The DATA part is never decoded here: it is ASCII and parsed as bytes (data.ts).

import { TextDecoder } from 'node:util';
import { findCodepage, type Codepage } from '../codepages.js';

export interface Bom {
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  length: number;
}

export function detectBom(b: Uint8Array): Bom | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** What the reader needs from a decoder. */
export interface ByteDecoder {
  /** WHATWG name of the encoding. */
  readonly encoding: string;
  decode(b: Uint8Array): string;
}

/** A decoder from the codepage module (which knows windows-1252: Node 20's TextDecoder reads it as Latin-1). */
function tableDecoder(cp: Codepage): ByteDecoder {
  return { encoding: cp.name, decode: (b) => cp.decode(b) };
}

export function windows1252(): ByteDecoder {
  return tableDecoder(findCodepage('windows-1252')!);
}

/** A decoder for a PX CODEPAGE label, or null when neither the codepage module nor the runtime knows it. */
export function decoderFor(label: string, fatal = false): ByteDecoder | null {
  const cp = findCodepage(label);
  // files declaring Latin-1 or ASCII hold windows-1252 text in practice (€, curly quotes): read as web browsers do
  if (cp && (cp.name === 'iso-8859-1' || cp.name === 'us-ascii')) return windows1252();
  if (cp && (cp.singleByte || !fatal)) return tableDecoder(cp);
  const l = label.trim().toLowerCase();
  try {
    return new TextDecoder(l === 'utf8' ? 'utf-8' : l, { fatal });
  } catch {
    return null;
  }
}

function hasHighBytes(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] >= 0x80) return true;
  return false;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

function validUtf8(b: Uint8Array): string | null {
  try {
    return utf8Fatal.decode(b);
  } catch {
    return null;
  }
}

/** Latin-1 view of bytes: one char per byte, so ASCII syntax can be searched without decoding. */
export function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** The CODEPAGE value declared in the metadata, if any (the keyword must start an entry). */
export function declaredCodepage(b: Uint8Array): string | undefined {
  const m = /(?:^|;)\s*CODEPAGE\s*=\s*"?([^";\r\n]*)"?\s*;/i.exec(latin1(b));
  const v = m?.[1].trim();
  return v ? v : undefined;
}

export interface Decoded {
  text: string;
  /** The encoding the text was decoded with, as a lower-case label ("iso-8859-15", "utf-8"). */
  encoding: string;
  /** Decoder for other byte strings of the same file (KEYS in the DATA part). */
  decoder: ByteDecoder;
}

/**
 * Decode the metadata bytes (everything before the DATA values). `bom` is the BOM found at the
 * start of the file (already removed from `bytes`).
 */
export function decodeMetadata(bytes: Uint8Array, bom: Bom | null, warnings: string[]): Decoded {
  if (bom) {
    const decoder = new TextDecoder(bom.encoding);
    return { text: decoder.decode(bytes), encoding: bom.encoding, decoder };
  }
  const declared = declaredCodepage(bytes);
  if (hasHighBytes(bytes)) {
    const asUtf8 = validUtf8(bytes);
    if (asUtf8 !== null) {
      const d = declared?.toLowerCase();
      if (declared !== undefined && d !== 'utf-8' && d !== 'utf8') {
        warnings.push(`CODEPAGE says "${declared}" but the bytes are valid UTF-8: read as UTF-8`);
      }
      return { text: asUtf8, encoding: 'utf-8', decoder: new TextDecoder('utf-8') };
    }
  }
  if (declared !== undefined) {
    const decoder = decoderFor(declared);
    const isUtf8 = decoder?.encoding === 'utf-8';
    if (decoder && !(isUtf8 && hasHighBytes(bytes))) {
      return { text: decoder.decode(bytes), encoding: declared.toLowerCase(), decoder };
    }
    warnings.push(
      decoder
        ? `CODEPAGE says "${declared}" but the bytes are not valid UTF-8: read as windows-1252`
        : `unknown CODEPAGE "${declared}": read as windows-1252`,
    );
  }
  const decoder = windows1252();
  return { text: decoder.decode(bytes), encoding: 'windows-1252', decoder };
}
