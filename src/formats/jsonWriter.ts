// An ordered, minified JSON writer into a growing Buffer.
//
// Keys are written in the order the caller writes them, so integer-like codes ("2024", "1", "0")
// keep their value order; `JSON.stringify` of an object would move them to the front. Strings are
// escaped the way Newtonsoft.Json does by default (control characters, quote, backslash, plus
// U+2028/U+2029 and lone surrogates as \uXXXX), and written as UTF-8 without a BOM.

import { MAX_NUMBER_BYTES, writeJsonNumber, type RoundingRule } from './numberFormat.js';

const HEX = '0123456789abcdef';

/** Does `s` need escaping beyond plain UTF-8 output? */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x2028 || c === 0x2029 || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/** The JSON string literal (with quotes) for `s`. */
export function jsonString(s: string): string {
  if (!needsEscape(s)) return '"' + s + '"';
  const parts: string[] = ['"'];
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c === 0x22) rep = '\\"';
    else if (c === 0x5c) rep = '\\\\';
    else if (c < 0x20) {
      rep =
        c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : c === 0x08 ? '\\b' : c === 0x0c ? '\\f' : '\\u00' + HEX[c >> 4] + HEX[c & 15];
    } else if (c === 0x2028 || c === 0x2029) rep = c === 0x2028 ? '\\u2028' : '\\u2029';
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++; // a valid pair stays as is
        continue;
      }
      rep = '\\u' + c.toString(16);
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = '\\u' + c.toString(16);
    if (rep !== null) {
      parts.push(s.slice(start, i), rep);
      start = i + 1;
    }
  }
  parts.push(s.slice(start), '"');
  return parts.join('');
}

/** A JSON value written as-is by `JsonWriter.value` (objects keep insertion order of non-integer keys only). */
export type JsonValue = null | boolean | number | string | JsonValue[] | OrderedObject | { [k: string]: JsonValue };

/** An object whose keys keep their order, whatever they look like. */
export class OrderedObject {
  readonly entries: [string, JsonValue][] = [];
  set(key: string, value: JsonValue | undefined): this {
    if (value !== undefined) this.entries.push([key, value]);
    return this;
  }
  get size(): number {
    return this.entries.length;
  }
}

const enum Ctx {
  Object = 1,
  Array = 2,
}

export class JsonWriter {
  buf: Buffer;
  pos = 0;
  /** Per open container: kind and whether it already holds an item. */
  private stack: number[] = [];
  private first = true;
  private afterKey = false;

  constructor(initialSize = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialSize));
  }

  /** Make room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Comma handling before a value or key. */
  private sep(): void {
    if (this.afterKey) {
      this.afterKey = false;
      return;
    }
    if (!this.first) {
      this.ensure(1);
      this.buf[this.pos++] = 0x2c;
    }
    this.first = false;
  }

  private open(kind: Ctx, ch: number): this {
    this.sep();
    this.stack.push(kind);
    this.ensure(1);
    this.buf[this.pos++] = ch;
    this.first = true;
    return this;
  }

  private close(kind: Ctx, ch: number): this {
    const k = this.stack.pop();
    if (k !== kind) throw new Error('JsonWriter: unbalanced ' + (kind === Ctx.Object ? 'object' : 'array'));
    this.ensure(1);
    this.buf[this.pos++] = ch;
    this.first = false;
    return this;
  }

  beginObject(): this {
    return this.open(Ctx.Object, 0x7b);
  }
  endObject(): this {
    return this.close(Ctx.Object, 0x7d);
  }
  beginArray(): this {
    return this.open(Ctx.Array, 0x5b);
  }
  endArray(): this {
    return this.close(Ctx.Array, 0x5d);
  }

  /** Write raw ASCII/UTF-8 text (already valid JSON). */
  private rawText(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  key(k: string): this {
    this.sep();
    this.rawText(jsonString(k));
    this.ensure(1);
    this.buf[this.pos++] = 0x3a;
    this.afterKey = true;
    return this;
  }

  /** Write a pre-encoded key (bytes of `"key":`), e.g. cached labels. */
  rawKey(bytes: Uint8Array): this {
    this.sep();
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    this.afterKey = true;
    return this;
  }

  /** Write a pre-encoded value (valid JSON bytes). */
  rawValue(bytes: Uint8Array | string): this {
    this.sep();
    if (typeof bytes === 'string') this.rawText(bytes);
    else {
      this.ensure(bytes.length);
      this.buf.set(bytes, this.pos);
      this.pos += bytes.length;
    }
    return this;
  }

  string(s: string): this {
    this.sep();
    this.rawText(jsonString(s));
    return this;
  }

  /** A number as JSON: integers without ".0", others shortest round-trip; NaN/Infinity -> null. */
  number(x: number): this {
    this.sep();
    if (!Number.isFinite(x)) this.rawText('null');
    else this.rawText(x === 0 ? '0' : String(x));
    return this;
  }

  /** A cell value rounded to `d` decimals (see numberFormat.writeJsonNumber). */
  rounded(x: number, d: number, rule: RoundingRule): this {
    this.sep();
    this.ensure(MAX_NUMBER_BYTES);
    this.pos = writeJsonNumber(this.buf, this.pos, x, d, rule);
    return this;
  }

  bool(b: boolean): this {
    this.sep();
    this.rawText(b ? 'true' : 'false');
    return this;
  }

  null(): this {
    this.sep();
    this.rawText('null');
    return this;
  }

  /** `"key":value` for a plain value. */
  prop(k: string, v: JsonValue | undefined): this {
    if (v === undefined) return this;
    this.key(k);
    return this.value(v);
  }

  /** Any JSON value; plain objects keep JS key order (use OrderedObject for integer-like keys). */
  value(v: JsonValue): this {
    if (v === null) return this.null();
    switch (typeof v) {
      case 'string':
        return this.string(v);
      case 'number':
        return this.number(v);
      case 'boolean':
        return this.bool(v);
    }
    if (Array.isArray(v)) {
      this.beginArray();
      for (const x of v) this.value(x);
      return this.endArray();
    }
    this.beginObject();
    if (v instanceof OrderedObject) {
      for (const [k, x] of v.entries) this.key(k).value(x);
    } else {
      for (const k of Object.keys(v)) {
        const x = (v as { [k: string]: JsonValue | undefined })[k];
        if (x !== undefined) this.key(k).value(x);
      }
    }
    return this.endObject();
  }

  /** Mark that the next item is the first in the current container (after raw writes). */
  markWritten(): void {
    this.first = false;
  }

  /**
   * The bytes written since the last drain, handed over (streaming writers); writing goes on in a fresh buffer with
   * the same open containers.
   */
  drain(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(Math.max(64, Math.min(this.buf.length, 1 << 20)));
    this.pos = 0;
    return out;
  }

  /** The document written so far (a view into the writer's buffer). */
  toBuffer(): Buffer {
    if (this.stack.length) throw new Error('JsonWriter: unclosed container');
    return this.buf.subarray(0, this.pos);
  }
}
