// PX metadata lexer (spec §1.1): one quote-aware pass over the decoded metadata text that
// yields KEYWORD[lang](subkeys)=items; entries and stops at the entry whose keyword is
// exactly DATA. It never splits on line ends: ';', '=', ',', '(' and ')' inside quotes are text,
// and raw line breaks inside quotes are kept (CRLF/CR become LF).

import { PxError } from './errors.js';

export type PxItem =
  /** Quoted string; adjacent quoted pieces are concatenated with nothing inserted. */
  | { kind: 'string'; value: string }
  /** Unquoted token: YES, NO, 0, VALUES ... */
  | { kind: 'bare'; value: string }
  /** TLIST(unit) or TLIST(unit, "from"-"to") */
  | { kind: 'tlist'; unit: string; from?: string; to?: string }
  /** "parent":"child" (HIERARCHIES) */
  | { kind: 'pair'; parent: string; child: string }
  /** "from"-"to" outside TLIST(...) (TIMEVAL range written after the TLIST token) */
  | { kind: 'range'; from: string; to: string };

export interface PxEntry {
  /** Upper-case keyword. */
  keyword: string;
  /** Language tag, lower-case, quotes stripped; undefined when untagged. */
  lang?: string;
  subkeys?: string[];
  items: PxItem[];
  /** Line of the keyword (1-based). */
  line: number;
}

export interface LexResult {
  entries: PxEntry[];
  /** Where the DATA values start (just after `DATA=`), or null when the text has no DATA entry. */
  data: { offset: number; line: number } | null;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SEMI = 0x3b;
const COMMA = 0x2c;
const EQ = 0x3d;
const LPAR = 0x28;
const RPAR = 0x29;
const LBR = 0x5b;
const RBR = 0x5d;
const COLON = 0x3a;
const DASH = 0x2d;

function isWs(c: number): boolean {
  // space, tab, LF, VT, FF, CR, NBSP, DOS end-of-file (0x1A)
  return c === SPACE || c === TAB || c === LF || c === CR || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0x1a;
}

function isKeywordStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isKeywordChar(c: number): boolean {
  return isKeywordStart(c) || (c >= 0x30 && c <= 0x39) || c === DASH || c === 0x5f;
}

/** A character that ends an unquoted token. */
function endsBare(c: number): boolean {
  return isWs(c) || c === COMMA || c === SEMI || c === QUOTE;
}

function show(c: number): string {
  if (Number.isNaN(c)) return 'end of file';
  if (c === LF || c === CR) return 'line break';
  return `'${String.fromCharCode(c)}'`;
}

class Lexer {
  pos = 0;
  line = 1;
  readonly n: number;

  constructor(
    readonly s: string,
    readonly warnings: string[],
  ) {
    this.n = s.length;
  }

  fail(msg: string, line = this.line): never {
    throw new PxError(msg, line);
  }

  peek(): number {
    return this.pos < this.n ? this.s.charCodeAt(this.pos) : NaN;
  }

  skipWs(): void {
    const s = this.s;
    while (this.pos < this.n) {
      const c = s.charCodeAt(this.pos);
      if (!isWs(c)) break;
      if (c === LF) this.line++;
      this.pos++;
    }
  }

  /** One quoted piece; pos is at the opening quote. */
  quoted(): string {
    const start = this.pos + 1;
    const startLine = this.line;
    const end = this.s.indexOf('"', start);
    if (end < 0) this.fail('a quoted string is never closed (unbalanced quotes)', startLine);
    let v = this.s.slice(start, end);
    let nl = 0;
    for (let i = v.indexOf('\n'); i >= 0; i = v.indexOf('\n', i + 1)) nl++;
    this.line += nl;
    if (v.indexOf('\r') >= 0) v = v.replace(/\r\n?/g, '\n');
    this.pos = end + 1;
    return v;
  }

  /** Adjacent quoted pieces as one string. */
  string(): string {
    let v = this.quoted();
    for (;;) {
      const save = this.pos;
      const saveLine = this.line;
      this.skipWs();
      if (this.peek() === QUOTE) v += this.quoted();
      else {
        this.pos = save;
        this.line = saveLine;
        return v;
      }
    }
  }

  bareToken(): string {
    const start = this.pos;
    while (this.pos < this.n && !endsBare(this.s.charCodeAt(this.pos))) this.pos++;
    return this.s.slice(start, this.pos);
  }

  lex(): LexResult {
    const entries: PxEntry[] = [];
    for (;;) {
      this.skipWs();
      if (this.pos >= this.n) return { entries, data: null };
      const c = this.peek();
      if (c === SEMI) {
        this.pos++;
        continue;
      }
      if (!isKeywordStart(c)) {
        if (c === QUOTE) this.fail('a quoted string where a keyword was expected (a stray quote earlier?)');
        this.fail(`expected a keyword, found ${show(c)}`);
      }
      const line = this.line;
      const kwStart = this.pos;
      while (this.pos < this.n && isKeywordChar(this.s.charCodeAt(this.pos))) this.pos++;
      const keyword = this.s.slice(kwStart, this.pos).toUpperCase();
      this.skipWs();
      if (keyword === 'DATA' && this.peek() === EQ) {
        return { entries, data: { offset: this.pos + 1, line: this.line } };
      }
      const entry: PxEntry = { keyword, items: [], line };
      if (this.peek() === LBR) {
        this.pos++;
        this.skipWs();
        let lang: string;
        if (this.peek() === QUOTE) lang = this.quoted();
        else {
          const st = this.pos;
          while (this.pos < this.n && !isWs(this.peek()) && this.peek() !== RBR && this.peek() !== SEMI) this.pos++;
          lang = this.s.slice(st, this.pos);
        }
        this.skipWs();
        if (this.peek() !== RBR) this.fail(`expected ']' after the language of ${keyword}, found ${show(this.peek())}`);
        this.pos++;
        lang = lang.trim().toLowerCase();
        if (!/^[a-z0-9_-]+$/.test(lang)) this.fail(`bad language code "${lang.slice(0, 20)}" in ${keyword}[...]`);
        entry.lang = lang;
        this.skipWs();
      }
      if (this.peek() === LPAR) {
        this.pos++;
        entry.subkeys = this.subkeys(keyword);
        this.skipWs();
      }
      if (this.peek() !== EQ) this.fail(`expected '=' after ${keyword}, found ${show(this.peek())}`);
      this.pos++;
      if (this.value(entry)) entries.push(entry);
      else {
        entries.push(entry);
        return { entries, data: null };
      }
    }
  }

  subkeys(keyword: string): string[] {
    const out: string[] = [];
    for (;;) {
      this.skipWs();
      const c = this.peek();
      if (c === RPAR && out.length === 0) {
        this.pos++;
        return out;
      }
      if (c === QUOTE) out.push(this.string());
      else {
        const st = this.pos;
        while (this.pos < this.n) {
          const d = this.peek();
          if (d === COMMA || d === RPAR || d === QUOTE || d === SEMI || d === EQ || isWs(d)) break;
          this.pos++;
        }
        if (this.pos === st) this.fail(`expected a quoted name in ${keyword}(...), found ${show(c)}`);
        out.push(this.s.slice(st, this.pos));
      }
      this.skipWs();
      const d = this.peek();
      if (d === COMMA) {
        this.pos++;
        continue;
      }
      if (d === RPAR) {
        this.pos++;
        return out;
      }
      this.fail(`expected ',' or ')' in ${keyword}(...), found ${show(d)} (a stray quote?)`);
    }
  }

  /** Items up to the terminating ';'. Returns false when the text ended without ';'. */
  value(entry: PxEntry): boolean {
    const items = entry.items;
    let expectItem = true;
    for (;;) {
      this.skipWs();
      const c = this.peek();
      if (this.pos >= this.n) {
        if (!expectItem || items.length > 0) {
          this.warnings.push(`line ${entry.line}: ${entry.keyword} is not terminated by ';'`);
          return false;
        }
        this.fail(`${entry.keyword} has no value and no ';'`, entry.line);
      }
      if (c === SEMI) {
        this.pos++;
        // "a","b",; -> trailing comma gives an empty last item
        if (expectItem && items.length > 0) items.push({ kind: 'string', value: '' });
        return true;
      }
      if (!expectItem) {
        if (c === COMMA) {
          this.pos++;
          expectItem = true;
          continue;
        }
        const prev = items[items.length - 1];
        const after = prev.kind === 'string' ? ` after "${prev.value.slice(-40)}"` : ' after an item';
        if (c === QUOTE) this.fail(`${entry.keyword}: a quoted string${after} without ',' between them`);
        this.fail(`${entry.keyword}: unexpected ${show(c)}${after} (unbalanced quotes?)`);
      }
      if (c === COMMA) {
        // empty item (",,"): keep its place
        items.push({ kind: 'string', value: '' });
        this.pos++;
        continue;
      }
      if (c === QUOTE) {
        const a = this.string();
        const save = this.pos;
        const saveLine = this.line;
        this.skipWs();
        const d = this.peek();
        if (d === COLON || d === DASH) {
          this.pos++;
          this.skipWs();
          if (this.peek() !== QUOTE) this.fail(`${entry.keyword}: expected a quoted string after '${String.fromCharCode(d)}'`);
          const b = this.string();
          items.push(d === COLON ? { kind: 'pair', parent: a, child: b } : { kind: 'range', from: a, to: b });
        } else {
          this.pos = save;
          this.line = saveLine;
          items.push({ kind: 'string', value: a });
        }
        expectItem = false;
        continue;
      }
      if (/^TLIST\s*\(/iy.test(this.s.slice(this.pos, this.pos + 40))) {
        items.push(this.tlist(entry));
        expectItem = false;
        // pxmake once wrote TLIST(A1)","2007": the stray quote opens an empty-looking string
        if (this.peek() === QUOTE && this.s.charCodeAt(this.pos + 1) === COMMA) {
          this.warnings.push(`line ${this.line}: stray '"' after TLIST(...) ignored`);
          this.pos++;
        }
        continue;
      }
      // bare token(s); several words separated by blanks become one value
      let v = this.bareToken();
      for (;;) {
        const save = this.pos;
        const saveLine = this.line;
        this.skipWs();
        const d = this.peek();
        if (this.pos < this.n && !endsBare(d)) v += ' ' + this.bareToken();
        else {
          this.pos = save;
          this.line = saveLine;
          break;
        }
      }
      if (this.peek() === QUOTE) this.fail(`${entry.keyword}: a quote inside an unquoted value (a stray quote?)`);
      items.push({ kind: 'bare', value: v });
      expectItem = false;
    }
  }

  tlist(entry: PxEntry): PxItem {
    const line = this.line;
    while (this.peek() !== LPAR) this.pos++;
    this.pos++;
    this.skipWs();
    const st = this.pos;
    while (this.pos < this.n && /[A-Za-z0-9]/.test(this.s[this.pos])) this.pos++;
    const unit = this.s.slice(st, this.pos);
    if (!unit) this.fail(`${entry.keyword}: TLIST without a time unit`, line);
    this.skipWs();
    let from: string | undefined;
    let to: string | undefined;
    if (this.peek() === COMMA) {
      this.pos++;
      this.skipWs();
      if (this.peek() !== QUOTE) this.fail(`${entry.keyword}: expected "from"-"to" in TLIST(...)`, line);
      from = this.string();
      this.skipWs();
      if (this.peek() !== DASH) this.fail(`${entry.keyword}: expected '-' in TLIST(unit, "from"-"to")`, line);
      this.pos++;
      this.skipWs();
      if (this.peek() !== QUOTE) this.fail(`${entry.keyword}: expected "to" in TLIST(unit, "from"-"to")`, line);
      to = this.string();
      this.skipWs();
    }
    if (this.peek() !== RPAR) this.fail(`${entry.keyword}: expected ')' to close TLIST(...), found ${show(this.peek())}`, line);
    this.pos++;
    return from !== undefined ? { kind: 'tlist', unit, from, to } : { kind: 'tlist', unit };
  }
}

/** Lex PX metadata text. Throws PxError on broken syntax; lenient repairs go to `warnings`. */
export function lex(text: string, warnings: string[] = []): LexResult {
  return new Lexer(text, warnings).lex();
}

/** Item as a plain string (pairs and ranges joined the way PX writes them). */
export function itemText(it: PxItem): string {
  switch (it.kind) {
    case 'string':
    case 'bare':
      return it.value;
    case 'tlist':
      return it.from !== undefined ? `TLIST(${it.unit}, "${it.from}"-"${it.to}")` : `TLIST(${it.unit})`;
    case 'pair':
      return `"${it.parent}":"${it.child}"`;
    case 'range':
      return `"${it.from}"-"${it.to}"`;
  }
}

/** Item as text without quotes, for model fields (a value text can never hold a quote). */
export function plainText(it: PxItem): string {
  switch (it.kind) {
    case 'string':
    case 'bare':
      return it.value;
    case 'tlist':
      return it.from !== undefined ? `TLIST(${it.unit}, ${it.from}-${it.to})` : `TLIST(${it.unit})`;
    case 'pair':
      return `${it.parent}:${it.child}`;
    case 'range':
      return `${it.from}-${it.to}`;
  }
}
