// Text -> bytes in a table codepage (PX CODEPAGE), on top of the one codepage module (codepages.ts). CSV, PX and
// HTML are written in the table's codepage unless it cannot hold the texts (then UTF-8, see cubeCodepage); JSON is
// always UTF-8.

import type { TableMeta } from '../core/model.js';
import { UTF8, chooseCodepage, findCodepage, stringsOf, type Codepage } from './codepages.js';

export type { Codepage } from './codepages.js';
export { UnencodableError, canEncode, chooseCodepage, codepageNames, findCodepage } from './codepages.js';

/** Default codepage of text formats when the table names none (PX default). */
export const DEFAULT_CODEPAGE = 'iso-8859-1';

/** The codepage for a PX CODEPAGE name; unknown or missing names give the PX default (iso-8859-1). */
export function getCodepage(name?: string): Codepage {
  return findCodepage(name) ?? findCodepage(DEFAULT_CODEPAGE)!;
}

/** True when the name is a codepage this module knows. */
export function isKnownCodepage(name: string): boolean {
  return findCodepage(name) !== undefined;
}

/**
 * The codepage a text document of this table is written in: the table's (PX default when none or unknown) when it
 * holds every text of the metadata, else UTF-8. Decided up front, before the first byte; metadata only, so cheap.
 */
export function cubeCodepage(meta: TableMeta, declared: string | undefined = meta.codepage, extraTexts: readonly string[] = []): Codepage {
  const cp = getCodepage(declared);
  if (cp === UTF8) return cp;
  return chooseCodepage(cp.name, (function* () {
    yield* extraTexts;
    yield* stringsOf(meta);
  })());
}

/**
 * Encode `s` in codepage `name`, writing '?' for every character the codepage cannot hold. Lossy on purpose: only
 * for answers that must mimic a Java/.NET replacement fallback (Klass CSV); writers use cubeCodepage() instead.
 */
export function encodeText(s: string, name?: string): Buffer {
  const cp = getCodepage(name);
  const exact = cp.tryEncode(s);
  if (exact) return exact;
  let out = '';
  for (const ch of s) out += cp.canEncode(ch) ? ch : '?';
  return cp.encode(out);
}
