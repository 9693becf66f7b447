// PxWebApi 2.0 selection expressions: the grammar of one `valueCodes` item, and the GET list syntax.
//
//   item       := keyword-expr | pattern | code
//   keyword-expr (keywords case-insensitive, no blanks inside the parentheses):
//     TOP(n) | TOP(n,o) | BOTTOM(n) | BOTTOM(n,o)   n = [1-9][0-9]*, o = [0-9]+
//     RANGE(a,b)     a = one or more characters except ',';  b = one or more except ',' and ')'
//     FROM(x) | TO(x)  x = one or more characters except ','
//   pattern    := any item containing '?' (each '?' = exactly one character, everything else literal)
//               | '*' | 'abc*' | '*abc' | '*abc*'   (at most two stars, only at the ends)
//
// The server first tries an item as a value code (case-insensitively); only items that are not a code are
// parsed here. A keyword prefix commits to that form, so `top(5, 1)` is a syntax error rather than an
// unknown code. Semantics follow PxWebApi: expansions keep metadata order, except that TOP/BOTTOM on the
// time variable count from the newest/oldest period (time values are assumed ascending).

export type SelectionExpression =
  | { kind: 'all' }
  | { kind: 'startsWith'; text: string }
  | { kind: 'endsWith'; text: string }
  | { kind: 'contains'; text: string }
  /** `?` wildcards: `pattern` is the item as written. */
  | { kind: 'pattern'; pattern: string }
  | { kind: 'top'; count: number; offset: number }
  | { kind: 'bottom'; count: number; offset: number }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'from'; code: string }
  | { kind: 'to'; code: string };

/** The item looks like an expression but breaks the grammar ("Illegal selection expression"). */
export class ExpressionSyntaxError extends Error {
  constructor(
    readonly expression: string,
    /** 0-based offset of the offending character in `expression`. */
    readonly position: number,
    reason: string,
  ) {
    super(`illegal selection expression '${expression}' at position ${position + 1}: ${reason}`);
    this.name = 'ExpressionSyntaxError';
  }
}

/** The expression names a value code the variable lacks ("Non-existent value"). */
export class ExpressionValueError extends Error {
  constructor(
    readonly expression: string,
    readonly code: string,
  ) {
    super(`selection expression '${expression}' refers to the unknown value '${code}'`);
    this.name = 'ExpressionValueError';
  }
}

const KEYWORDS = ['RANGE', 'TOP', 'BOTTOM', 'FROM', 'TO'] as const;
type Keyword = (typeof KEYWORDS)[number];

// int.TryParse in the reference server: counts beyond Int32 are not numbers.
const MAX_INT32 = 2147483647;

/**
 * Parse one item. Returns null when the item is not an expression at all (it can only be a value code).
 * Throws ExpressionSyntaxError when it starts like an expression but breaks the grammar.
 */
export function parseSelectionExpression(item: string): SelectionExpression | null {
  const kw = keywordOf(item);
  if (kw) return parseKeyword(item, kw);
  if (item.includes('?')) return { kind: 'pattern', pattern: item };
  if (item.includes('*')) return parseStars(item);
  return null;
}

function keywordOf(item: string): Keyword | undefined {
  const open = item.indexOf('(');
  if (open < 2) return undefined;
  const head = item.slice(0, open).toUpperCase();
  return (KEYWORDS as readonly string[]).includes(head) ? (head as Keyword) : undefined;
}

function parseKeyword(item: string, kw: Keyword): SelectionExpression {
  const start = kw.length + 1; // after "KW("
  if (!item.endsWith(')') || item.length === start) {
    throw new ExpressionSyntaxError(item, item.length, `${kw} must end with ')'`);
  }
  const body = item.slice(start, -1);
  const err = (at: number, reason: string) => new ExpressionSyntaxError(item, start + at, reason);
  if (body === '') throw err(0, `${kw}() needs an argument`);

  if (kw === 'TOP' || kw === 'BOTTOM') {
    const p = new Cursor(body);
    const count = p.integer(true, err, 'the count');
    let offset = 0;
    if (p.peek() === ',') {
      p.pos++;
      offset = p.integer(false, err, 'the offset');
    }
    if (!p.done()) throw err(p.pos, p.peek() === ' ' ? 'blanks are not allowed inside the parentheses' : `unexpected '${p.peek()}'`);
    return { kind: kw === 'TOP' ? 'top' : 'bottom', count, offset };
  }

  if (kw === 'RANGE') {
    const comma = body.indexOf(',');
    if (comma < 0) throw err(body.length, 'RANGE needs two codes separated by a comma: RANGE(a,b)');
    if (comma === 0) throw err(0, 'RANGE: the first code is empty');
    const second = body.indexOf(',', comma + 1);
    if (second >= 0) throw err(second, 'RANGE takes exactly two codes');
    const to = body.slice(comma + 1);
    if (to === '') throw err(comma + 1, 'RANGE: the second code is empty');
    const paren = to.indexOf(')');
    if (paren >= 0) throw err(comma + 1 + paren, "RANGE: the second code may not contain ')'");
    return { kind: 'range', from: body.slice(0, comma), to };
  }

  // FROM / TO
  const comma = body.indexOf(',');
  if (comma >= 0) throw err(comma, `${kw} takes exactly one code`);
  return kw === 'FROM' ? { kind: 'from', code: body } : { kind: 'to', code: body };
}

class Cursor {
  pos = 0;
  constructor(readonly s: string) {}
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  done(): boolean {
    return this.pos >= this.s.length;
  }
  integer(positive: boolean, err: (at: number, reason: string) => ExpressionSyntaxError, what: string): number {
    const from = this.pos;
    while (this.pos < this.s.length && this.s[this.pos] >= '0' && this.s[this.pos] <= '9') this.pos++;
    const digits = this.s.slice(from, this.pos);
    if (digits === '') {
      const c = this.peek();
      throw err(from, c === ' ' ? 'blanks are not allowed inside the parentheses' : `${what} must be a whole number`);
    }
    if (positive && digits[0] === '0') throw err(from, `${what} must be a whole number from 1 without leading zeros`);
    const n = Number(digits);
    if (n > MAX_INT32) throw err(from, `${what} is too large`);
    return n;
  }
}

function parseStars(item: string): SelectionExpression {
  if (item === '*') return { kind: 'all' };
  let stars = 0;
  for (const c of item) if (c === '*') stars++;
  const lead = item.startsWith('*');
  const trail = item.endsWith('*');
  if (stars > 2) throw new ExpressionSyntaxError(item, nthStar(item, 3), 'at most two * are allowed');
  if (stars === 1 && !lead && !trail) {
    throw new ExpressionSyntaxError(item, item.indexOf('*'), '* is only allowed at the start or the end');
  }
  if (stars === 2 && !(lead && trail)) {
    throw new ExpressionSyntaxError(item, lead ? item.indexOf('*', 1) : item.indexOf('*'), 'two * must be at the start and the end');
  }
  if (stars === 2) return { kind: 'contains', text: item.slice(1, -1) };
  return lead ? { kind: 'endsWith', text: item.slice(1) } : { kind: 'startsWith', text: item.slice(0, -1) };
}

function nthStar(s: string, n: number): number {
  let at = -1;
  for (let k = 0; k < n; k++) at = s.indexOf('*', at + 1);
  return at;
}

/** Case-insensitive code comparison (the reference server uses InvariantCultureIgnoreCase). */
export function sameCode(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/** Position of `code` among `codes`, case-insensitively; exact matches win. -1 when absent. */
export function findCode(codes: readonly string[], code: string): number {
  const exact = codes.indexOf(code);
  if (exact >= 0) return exact;
  const lc = code.toLowerCase();
  return codes.findIndex((c) => c.toLowerCase() === lc);
}

/**
 * The positions (into `codes`) an expression selects, in output order.
 * `isTime`: the variable is the time variable (TOP/BOTTOM count from its newest/oldest end).
 * Throws ExpressionValueError when RANGE/FROM/TO name a code that is not there.
 */
export function expandExpression(expr: SelectionExpression, codes: readonly string[], isTime: boolean, source = ''): number[] {
  const n = codes.length;
  const all = (from: number, to: number) => {
    const out: number[] = [];
    for (let i = Math.max(0, from); i < Math.min(n, to); i++) out.push(i);
    return out;
  };
  const need = (code: string) => {
    const i = findCode(codes, code);
    if (i < 0) throw new ExpressionValueError(source || code, code);
    return i;
  };
  switch (expr.kind) {
    case 'all':
      return all(0, n);
    case 'startsWith':
    case 'endsWith':
    case 'contains': {
      const t = expr.text.toLowerCase();
      const test =
        expr.kind === 'startsWith'
          ? (c: string) => c.startsWith(t)
          : expr.kind === 'endsWith'
            ? (c: string) => c.endsWith(t)
            : (c: string) => c.includes(t);
      return all(0, n).filter((i) => test(codes[i].toLowerCase()));
    }
    case 'pattern': {
      const re = patternRegex(expr.pattern);
      return all(0, n).filter((i) => re.test(codes[i]));
    }
    case 'top':
      // non-time: the first `count` after skipping `offset`; time: the newest `count` after skipping `offset` newest
      return isTime ? all(n - expr.offset - expr.count, n - expr.offset) : all(expr.offset, expr.offset + expr.count);
    case 'bottom':
      return isTime ? all(expr.offset, expr.offset + expr.count) : all(n - expr.offset - expr.count, n - expr.offset);
    case 'range': {
      let a = need(expr.from);
      let b = need(expr.to);
      if (a > b) [a, b] = [b, a];
      return all(a, b + 1);
    }
    case 'from':
      return all(need(expr.code), n);
    case 'to':
      return all(0, need(expr.code) + 1);
  }
}

/** `?` = exactly one character, anything else literal, whole code, case-insensitive. */
export function patternRegex(pattern: string): RegExp {
  let src = '^';
  for (const c of pattern) src += c === '?' ? '[\\s\\S]' : c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  return new RegExp(src + '$', 'i');
}

/**
 * Split a GET `valueCodes[VAR]` value into items: commas separate items unless they sit inside `[...]`;
 * each item is trimmed, and an item written as `[...]` is unwrapped (so `[range(a,b)]` and codes
 * containing commas can be written). Empty items are dropped.
 *
 * A comma splits when the next bracket after it is not `]` (the reference server's
 * `,(?=[^\]]*(?:\[|$))`), which is the same thing for balanced brackets.
 */
export function splitValueCodes(raw: string): string[] {
  const out: string[] = [];
  let nextBracket = ''; // the first '[' or ']' to the right of the scan position
  let parens = 0; // open ')' to the right: a comma inside `range(a,b)` does not split, with or without brackets
  let end = raw.length;
  for (let i = raw.length - 1; i >= 0; i--) {
    const c = raw[i];
    if (c === ',' && nextBracket !== ']' && parens === 0) {
      push(raw.slice(i + 1, end));
      end = i;
    } else if (c === '[' || c === ']') {
      nextBracket = c;
    } else if (c === ')') {
      parens++;
    } else if (c === '(' && parens > 0) {
      parens--;
    }
  }
  push(raw.slice(0, end));
  return out.reverse();

  function push(s: string) {
    let t = s.trim();
    if (t.length >= 2 && t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
    if (t !== '') out.push(t);
  }
}
