// A small strict XML 1.0 well-formedness check for the tests: characters allowed by XML 1.0, tags nested and
// closed, attributes quoted and unique, entity references known or numeric (and pointing at allowed characters).

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

function legalChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

function checkText(t: string, where: number): void {
  for (const ch of t) {
    if (!legalChar(ch.codePointAt(0)!)) throw new Error(`illegal character U+${ch.codePointAt(0)!.toString(16)} near ${where}`);
  }
  const refs = t.match(/&[^;]*;?/g) ?? [];
  for (const r of refs) {
    const m = /^&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));$/.exec(r);
    if (!m) throw new Error(`bad entity reference ${JSON.stringify(r)} near ${where}`);
    const cp = m[2] ? Number(m[2]) : m[3] ? parseInt(m[3], 16) : 0x20;
    if (!legalChar(cp)) throw new Error(`reference to an illegal character ${r}`);
  }
  if (t.includes('<')) throw new Error(`raw < near ${where}`);
}

/** Throws when `xml` is not well-formed; returns the number of elements. */
export function checkWellFormed(xml: string): number {
  let s = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const decl = /^<\?xml[^?]*\?>/.exec(s);
  if (decl) s = s.slice(decl[0].length);
  const stack: string[] = [];
  let elements = 0;
  let roots = 0;
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    const text = s.slice(i, lt < 0 ? s.length : lt);
    checkText(text, i);
    if (!stack.length && text.trim() !== '') throw new Error(`text outside the root near ${i}`);
    if (lt < 0) break;
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt);
      if (end < 0) throw new Error('open comment');
      i = end + 3;
      continue;
    }
    const gt = s.indexOf('>', lt);
    if (gt < 0) throw new Error(`open tag at ${lt}`);
    const tag = s.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) throw new Error(`</${name}> does not close the open element at ${lt}`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = /^([^\s]+)([\s\S]*)$/.exec(body);
    if (!m || !NAME.test(m[1])) throw new Error(`bad element name in <${tag}>`);
    let rest = m[2];
    const seen = new Set<string>();
    while (rest.trim() !== '') {
      const a = /^\s+([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/.exec(rest);
      if (!a || !NAME.test(a[1])) throw new Error(`bad attribute in <${tag}>`);
      if (seen.has(a[1])) throw new Error(`attribute ${a[1]} twice`);
      seen.add(a[1]);
      checkText(a[3] ?? a[4], lt);
      rest = rest.slice(a[0].length);
    }
    if (!stack.length) roots++;
    if (roots > 1) throw new Error('more than one root element');
    elements++;
    if (!selfClosing) stack.push(m[1]);
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (roots !== 1) throw new Error('no root element');
  return elements;
}
