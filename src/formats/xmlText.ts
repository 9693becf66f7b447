// Text that XML 1.0 (and so xlsx, SDMX, HTML served as XHTML) can hold: C0 controls other than tab, LF and CR,
// lone surrogates and U+FFFE/U+FFFF are not allowed even as character references, so they are dropped.

// eslint-disable-next-line no-control-regex
const ILLEGAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// eslint-disable-next-line no-control-regex
const QUICK = /[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]/;

/** `s` without the characters XML 1.0 forbids. */
export function xmlLegal(s: string): string {
  return QUICK.test(s) ? s.replace(ILLEGAL, '') : s;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escaped for XML text and attribute values, illegal characters dropped. */
export function escapeXmlText(s: string, apos = '&apos;'): string {
  const t = xmlLegal(s);
  return /[&<>"']/.test(t) ? t.replace(/[&<>"']/g, (c) => (c === "'" ? apos : ENTITIES[c])) : t;
}
