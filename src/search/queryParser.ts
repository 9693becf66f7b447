// The search syntax the course teaches (a subset of Lucene's classic syntax):
//   words joined by spaces must all match (AND), `OR`, `AND`, `NOT` (upper case), `-word`, `+word`,
//   parentheses, `field:word`, `field:"a phrase"`, `field:(a OR b)`, quoted phrases, trailing `*` prefix,
//   `?`/inner `*` wildcards, ranges `published:[20180601 TO 20180604*]` (`{…}` exclusive, `*` open bound).

import { fold, tokenize } from './text.js';

export type SearchNode =
  /** One word; `prefix` = trailing `*`; `pattern` = a word with `?` or an inner `*` (folded, anchored). */
  | { type: 'term'; field?: string; token: string; prefix?: boolean; pattern?: string }
  /** Consecutive words in one field; the last may be a prefix. */
  | { type: 'phrase'; field?: string; tokens: string[]; prefix?: boolean }
  | { type: 'range'; field: string; lower?: string; upper?: string; includeLower: boolean; includeUpper: boolean; upperPrefix?: boolean }
  | { type: 'and'; children: SearchNode[] }
  | { type: 'or'; children: SearchNode[] }
  | { type: 'not'; child: SearchNode }
  /** `*` or `*:*`: every table. */
  | { type: 'all' };

export class SearchSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchSyntaxError';
  }
}

type Tok =
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'and' }
  | { t: 'or' }
  | { t: 'not' }
  | { t: 'plus' }
  | { t: 'minus' }
  | { t: 'field'; name: string }
  | { t: 'word'; text: string }
  | { t: 'phrase'; text: string }
  | { t: 'range'; lo: string; hi: string; incLo: boolean; incHi: boolean };

const MAX_QUERY = 2000;

function lex(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  const n = q.length;
  while (i < n) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ t: 'lp' });
      i++;
      continue;
    }
    if (c === ')') {
      out.push({ t: 'rp' });
      i++;
      continue;
    }
    if (c === '"') {
      const end = q.indexOf('"', i + 1);
      if (end < 0) throw new SearchSyntaxError('unterminated phrase');
      out.push({ t: 'phrase', text: q.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === '[' || c === '{') {
      const close = q.slice(i + 1).search(/[\]}]/);
      if (close < 0) throw new SearchSyntaxError('unterminated range');
      const end = i + 1 + close;
      const inner = q.slice(i + 1, end).trim();
      const m = /^(\S+)\s+TO\s+(\S+)$/.exec(inner);
      if (!m) throw new SearchSyntaxError('a range needs the form [a TO b]');
      out.push({ t: 'range', lo: m[1], hi: m[2], incLo: c === '[', incHi: q[end] === ']' });
      i = end + 1;
      continue;
    }
    if ((c === '-' || c === '!') && i + 1 < n && !/\s/.test(q[i + 1])) {
      out.push({ t: 'minus' });
      i++;
      continue;
    }
    if (c === '+' && i + 1 < n && !/\s/.test(q[i + 1])) {
      out.push({ t: 'plus' });
      i++;
      continue;
    }
    if (q.startsWith('&&', i)) {
      out.push({ t: 'and' });
      i += 2;
      continue;
    }
    if (q.startsWith('||', i)) {
      out.push({ t: 'or' });
      i += 2;
      continue;
    }
    const f = /^([\p{L}_][\p{L}\p{N}_.]*):/u.exec(q.slice(i));
    if (f) {
      out.push({ t: 'field', name: f[1] });
      i += f[0].length;
      continue;
    }
    if (c === ']' || c === '}') throw new SearchSyntaxError(`unexpected ${c}`);
    let j = i;
    while (j < n && !/[\s()"[\]{}]/.test(q[j])) {
      if (q[j] === '\\' && j + 1 < n) j++;
      j++;
    }
    const word = q.slice(i, j).replace(/\\(.)/g, '$1');
    i = j;
    if (word === 'AND') out.push({ t: 'and' });
    else if (word === 'OR') out.push({ t: 'or' });
    else if (word === 'NOT') out.push({ t: 'not' });
    else if (word) out.push({ t: 'word', text: word });
  }
  return out;
}

/** Parse a search query. Throws SearchSyntaxError on malformed input (never anything else). */
export function parseSearchQuery(query: string): SearchNode {
  if (typeof query !== 'string') throw new SearchSyntaxError('query must be text');
  if (query.length > MAX_QUERY) throw new SearchSyntaxError('query too long');
  const toks = lex(query);
  if (!toks.length) throw new SearchSyntaxError('empty query');
  let pos = 0;
  let depth = 0;
  const peek = () => toks[pos];

  const parseOr = (): SearchNode => {
    const parts = [parseAnd()];
    while (peek()?.t === 'or') {
      pos++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : { type: 'or', children: parts };
  };
  const parseAnd = (): SearchNode => {
    const parts = [parseUnary()];
    for (;;) {
      const t = peek();
      if (!t || t.t === 'or' || t.t === 'rp') break;
      if (t.t === 'and') {
        pos++;
        if (!peek() || peek()!.t === 'rp' || peek()!.t === 'or') throw new SearchSyntaxError('AND needs a right-hand side');
      }
      parts.push(parseUnary());
    }
    return parts.length === 1 ? parts[0] : { type: 'and', children: parts };
  };
  const parseUnary = (): SearchNode => {
    const t = peek();
    if (!t) throw new SearchSyntaxError('unexpected end of query');
    if (t.t === 'not' || t.t === 'minus') {
      pos++;
      return { type: 'not', child: parseUnary() };
    }
    if (t.t === 'plus') {
      pos++;
      return parseUnary();
    }
    return parsePrimary(undefined);
  };
  const parsePrimary = (field: string | undefined): SearchNode => {
    const t = toks[pos++];
    if (!t) throw new SearchSyntaxError('unexpected end of query');
    switch (t.t) {
      case 'lp': {
        if (++depth > 50) throw new SearchSyntaxError('too deeply nested');
        const inner = field === undefined ? parseOr() : withField(parseOr(), field);
        depth--;
        if (toks[pos++]?.t !== 'rp') throw new SearchSyntaxError('missing )');
        return inner;
      }
      case 'field': {
        if (field !== undefined) throw new SearchSyntaxError('a field inside a field');
        const name = t.name.toLowerCase();
        if (name === '*' && peek()?.t === 'word') {
          pos++;
          return { type: 'all' };
        }
        return parsePrimary(name);
      }
      case 'word':
        return wordNode(t.text, field);
      case 'phrase': {
        const tokens = tokenize(t.text);
        if (!tokens.length) throw new SearchSyntaxError('empty phrase');
        return tokens.length === 1 ? { type: 'term', field, token: tokens[0] } : { type: 'phrase', field, tokens };
      }
      case 'range': {
        if (field === undefined) throw new SearchSyntaxError('a range needs a field');
        const lo = t.lo === '*' ? undefined : t.lo;
        const hiPrefix = t.hi !== '*' && t.hi.endsWith('*');
        const hi = t.hi === '*' ? undefined : hiPrefix ? t.hi.slice(0, -1) : t.hi;
        return {
          type: 'range',
          field,
          lower: lo === undefined ? undefined : fold(lo).replace(/\*$/, ''),
          upper: hi === undefined ? undefined : fold(hi),
          includeLower: t.incLo,
          includeUpper: t.incHi,
          upperPrefix: hiPrefix,
        };
      }
      default:
        throw new SearchSyntaxError(`unexpected ${t.t === 'rp' ? ')' : t.t.toUpperCase()}`);
    }
  };

  const node = parseOr();
  if (pos < toks.length) throw new SearchSyntaxError(toks[pos].t === 'rp' ? 'unbalanced )' : 'unexpected token');
  return node;
}

function wordNode(text: string, field: string | undefined): SearchNode {
  if (text === '*' || text === '*:*') return field === undefined ? { type: 'all' } : { type: 'term', field, token: '', prefix: true };
  const trailing = text.endsWith('*') && !text.slice(0, -1).includes('*') && !text.includes('?');
  const core = trailing ? text.slice(0, -1) : text;
  if (!trailing && /[*?]/.test(text)) {
    // a wildcard pattern inside the word: matched against single index words
    const parts = fold(text).split(/([*?])/);
    const re = parts.map((p) => (p === '*' ? '.*' : p === '?' ? '.' : p.replace(/[^\p{L}\p{N}]/gu, ''))).join('');
    if (!re.replace(/\.\*?/g, '')) return field === undefined ? { type: 'all' } : { type: 'term', field, token: '', prefix: true };
    return { type: 'term', field, token: '', pattern: `^${re}$` };
  }
  const tokens = tokenize(core);
  if (!tokens.length) {
    // punctuation only: a date field may still want it ("2018*"), others match nothing useful
    throw new SearchSyntaxError(`no searchable characters in "${text}"`);
  }
  if (tokens.length === 1) return trailing ? { type: 'term', field, token: tokens[0], prefix: true } : { type: 'term', field, token: tokens[0] };
  return trailing ? { type: 'phrase', field, tokens, prefix: true } : { type: 'phrase', field, tokens };
}

/** Give every leaf without a field the field of an enclosing `field:( … )`. */
function withField(n: SearchNode, field: string): SearchNode {
  switch (n.type) {
    case 'term':
    case 'phrase':
      return n.field === undefined ? { ...n, field } : n;
    case 'and':
    case 'or':
      return { type: n.type, children: n.children.map((c) => withField(c, field)) };
    case 'not':
      return { type: 'not', child: withField(n.child, field) };
    default:
      return n;
  }
}
