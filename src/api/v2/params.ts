// Query-string and body parsing for PxWebApi 2.0. Parameter names are case-insensitive, repeated keys are
// kept (and joined with ',' where the reference joins them), `valueCodes[VAR]`/`codelist[VAR]` keep their
// variable spelling. Bodies are parsed here (whatever their Content-Type) with clear validation errors.

import type { CodesOrTexts, SerializeOptions } from '../../formats/serializer.js';
import type { V2Placement, V2Selection, V2VariableSelection } from '../../query/v2Selection.js';
import { splitValueCodes } from '../../query/v2Expressions.js';
import { ALL_V2_PARAMS, formatIds, formatParams } from '../../formats/formatFacts.js';
import { unsupportedLanguage, unsupportedOutputFormat, validationError } from './problems.js';

/** The raw query string of a request URL, parsed once; lookups ignore the case of names. */
export class QueryParams {
  readonly entries: [string, string][] = [];

  constructor(url: string) {
    const q = url.indexOf('?');
    if (q < 0) return;
    const raw = url.slice(q + 1);
    for (const part of raw.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = decode(eq < 0 ? part : part.slice(0, eq));
      const v = eq < 0 ? '' : decode(part.slice(eq + 1));
      this.entries.push([k, v]);
    }
  }

  /** Every value given for `name` (any case), in order. */
  all(name: string): string[] {
    const n = name.toLowerCase();
    return this.entries.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v);
  }

  /** The first value for `name`, or undefined. */
  get(name: string): string | undefined {
    return this.all(name)[0];
  }

  has(name: string): boolean {
    return this.all(name).length > 0;
  }

  /** `prefix[inner]=value` entries (prefix any case), in order, with `inner` as written. */
  bracketed(prefix: string): { key: string; inner: string; value: string }[] {
    const p = prefix.toLowerCase();
    const out: { key: string; inner: string; value: string }[] = [];
    for (const [k, v] of this.entries) {
      if (!k.toLowerCase().startsWith(p + '[') || !k.endsWith(']')) continue;
      const inner = k.slice(p.length + 1, -1);
      out.push({ key: k, inner, value: v });
    }
    return out;
  }
}

/** Percent-decoding of a query component ('+' is a space); malformed escapes are kept as written. */
function decode(s: string): string {
  const t = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(t);
  } catch {
    return t.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** `lang`: a configured language (any case) -> its configured spelling; absent -> the default. */
export function resolveLang(q: QueryParams, languages: readonly string[], defaultLanguage: string): string {
  const raw = q.get('lang');
  if (raw === undefined || raw === '') return defaultLanguage;
  const hit = languages.find((l) => l.toLowerCase() === raw.toLowerCase());
  if (!hit) throw unsupportedLanguage();
  return hit;
}

export function parseBool(q: QueryParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === undefined || raw === '') return undefined;
  const l = raw.trim().toLowerCase();
  if (l === 'true') return true;
  if (l === 'false') return false;
  throw validationError(name, `The value '${raw}' is not valid.`);
}

export function parseInt32(q: QueryParams, name: string): number | undefined {
  const raw = q.get(name);
  if (raw === undefined || raw === '') return undefined;
  const t = raw.trim();
  if (!/^[+-]?\d{1,10}$/.test(t) || Math.abs(Number(t)) > 2147483647) {
    throw validationError(name, `The value '${raw}' is not valid.`);
  }
  return Number(t);
}

/** A comma list parameter (`heading`, `stub`): all occurrences, split on commas, trimmed, empties dropped. */
export function commaList(q: QueryParams, name: string): string[] {
  return q
    .all(name)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

// ------------------------------------------------------------------------------------------------
// Output formats

/** The formats and params of API v2 come from the format registry (formatFacts.ts). */
export const OUTPUT_FORMATS: readonly string[] = formatIds('v2');
export type OutputFormat = string;
export const OUTPUT_FORMAT_PARAMS: readonly string[] = ALL_V2_PARAMS;

export interface OutputChoice {
  format: OutputFormat;
  /** The params in their canonical spelling, in request order (duplicates dropped). */
  params: string[];
  options: Pick<SerializeOptions, 'labels' | 'includeTitle' | 'separator'>;
}

/** Known format id (any case) -> canonical id; unknown strings are a binding error, like an unknown enum value. */
export function parseOutputFormat(raw: string | undefined, field = 'outputFormat'): OutputFormat | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const hit = OUTPUT_FORMATS.find((f) => f === raw.trim().toLowerCase());
  if (!hit) throw validationError(field, `The value '${raw}' is not valid.`);
  return hit;
}

/** outputFormatParams: comma lists and/or repeated keys, names any case. */
export function parseOutputFormatParams(values: readonly string[], field = 'outputFormatParams'): string[] {
  const out: string[] = [];
  for (const v of values) {
    for (const part of v.split(',')) {
      const t = part.trim();
      if (t === '') continue;
      const hit = OUTPUT_FORMAT_PARAMS.find((p) => p.toLowerCase() === t.toLowerCase());
      if (!hit) throw validationError(field, `The value '${t}' is not valid.`);
      if (!out.includes(hit)) out.push(hit);
    }
  }
  return out;
}

/**
 * Check a format and its params against what the server offers (§3.8): the format must be available, px,
 * json-stat2 and parquet take no params, separators only go with csv. Later label and separator params win.
 */
export function outputChoice(format: OutputFormat, params: readonly string[], available: readonly string[]): OutputChoice {
  if (!available.includes(format)) throw unsupportedOutputFormat(`output format ${format} is not available`);
  const accepted = formatParams(format);
  if (params.length && !accepted.length) throw unsupportedOutputFormat(`output format ${format} takes no outputFormatParams`);
  const refused = params.filter((p) => !accepted.includes(p));
  if (refused.some((p) => p.startsWith('Separator'))) throw unsupportedOutputFormat('separators can only be used with csv');
  if (refused.length) throw unsupportedOutputFormat(`output format ${format} takes no ${refused.join(', ')}`);
  const options: OutputChoice['options'] = {};
  for (const p of params) {
    if (p === 'UseCodes') options.labels = 'codes' satisfies CodesOrTexts;
    else if (p === 'UseTexts') options.labels = 'texts';
    else if (p === 'UseCodesAndTexts') options.labels = 'codesAndTexts';
    else if (p === 'IncludeTitle') options.includeTitle = true;
    else if (p === 'SeparatorTab') options.separator = 'tab';
    else if (p === 'SeparatorSpace') options.separator = 'space';
    else if (p === 'SeparatorSemicolon') options.separator = 'semicolon';
  }
  return { format, params: [...params], options };
}

// ------------------------------------------------------------------------------------------------
// Selections

/**
 * The selection of a GET data request: one entry per `valueCodes[VAR]` key (repeated keys joined), with the
 * `codelist[VAR]` of the same key spelling and the legacy `outputValues[VAR]`. Null when there is none.
 */
export function selectionFromQuery(q: QueryParams): V2Selection | null {
  for (const [k] of q.entries) {
    const l = k.toLowerCase();
    if (l.startsWith('valuecodes') && !/^valuecodes\[.+\]$/s.test(l)) {
      throw validationError('valuecodes', `valuecodes-parameter should be like valuecodes[<variable>]. ${k} is not.`);
    }
  }
  const lists = new Map<string, string[]>();
  for (const { inner, value } of q.bracketed('valueCodes')) {
    if (inner === '') continue;
    const prev = lists.get(inner);
    if (prev) prev.push(value);
    else lists.set(inner, [value]);
  }
  const codelists = new Map(q.bracketed('codelist').map((e) => [e.inner, e.value]));
  const outputValues = new Map(q.bracketed('outputValues').map((e) => [e.inner, e.value.trim().toLowerCase()]));
  const heading = commaList(q, 'heading');
  const stub = commaList(q, 'stub');
  if (!lists.size) return null;
  const selection: V2VariableSelection[] = [];
  for (const [variableCode, raws] of lists) {
    const s: V2VariableSelection = { variableCode, valueCodes: splitValueCodes(raws.join(',')) };
    const cl = codelists.get(variableCode);
    if (cl !== undefined && cl.trim() !== '') s.codelist = cl;
    const ov = outputValues.get(variableCode);
    if (ov === 'single' || ov === 'aggregated') s.outputValues = ov;
    selection.push(s);
  }
  return { selection, placement: { heading, stub } };
}

/** `codelist[VAR]=id` parameters (metadata endpoint), in order. */
export function codelistParams(q: QueryParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { inner, value } of q.bracketed('codelist')) if (inner !== '' && value.trim() !== '') out[inner] = value;
  return out;
}

/** Property lookup ignoring case (Newtonsoft binds JSON properties case-insensitively). */
export function prop(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const l = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === l) return o[k];
  return undefined;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Parse a JSON request body (any Content-Type); empty -> undefined. */
export function parseJsonBody(body: unknown): unknown {
  if (body === undefined || body === null) return undefined;
  let text: string;
  if (Buffer.isBuffer(body)) text = body.toString('utf8');
  else if (typeof body === 'string') text = body;
  else return body;
  text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw validationError('$', `The request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** A posted VariablesSelection; undefined/`{}`/`selection: []` mean "default selection". */
export function parseVariablesSelection(json: unknown, path = ''): V2Selection | null {
  if (json === undefined || json === null) return null;
  if (!isObject(json)) throw validationError(path || '$', 'A selection must be a JSON object like {"selection":[…],"placement":{…}}.');
  const sel = prop(json, 'selection');
  if (sel === undefined || sel === null) return null;
  if (!Array.isArray(sel)) throw validationError(`${path}selection`, 'selection must be an array.');
  const selection: V2VariableSelection[] = sel.map((item, i) => {
    const at = `${path}selection[${i}]`;
    if (!isObject(item)) throw validationError(at, 'Each selection must be an object with variableCode and valueCodes.');
    const code = prop(item, 'variableCode');
    if (typeof code !== 'string' || code === '') throw validationError(`${at}.variableCode`, 'The VariableCode field is required.');
    const vc = prop(item, 'valueCodes');
    let valueCodes: string[] = [];
    if (vc !== undefined && vc !== null) {
      if (!Array.isArray(vc) || vc.some((x) => typeof x !== 'string')) {
        throw validationError(`${at}.valueCodes`, 'valueCodes must be an array of strings.');
      }
      valueCodes = vc as string[];
    }
    const cl = prop(item, 'codelist') ?? prop(item, 'codeList');
    if (cl !== undefined && cl !== null && typeof cl !== 'string') throw validationError(`${at}.codelist`, 'codelist must be a string.');
    const s: V2VariableSelection = { variableCode: code, valueCodes };
    if (typeof cl === 'string' && cl.trim() !== '') s.codelist = cl;
    const ov = prop(item, 'outputValues');
    if (typeof ov === 'string' && /^(single|aggregated)$/i.test(ov)) s.outputValues = ov.toLowerCase() as 'single' | 'aggregated';
    return s;
  });
  const p = prop(json, 'placement');
  let placement: V2Placement | null = null;
  if (p !== undefined && p !== null) {
    if (!isObject(p)) throw validationError(`${path}placement`, 'placement must be an object with heading and stub.');
    const list = (name: string): string[] => {
      const v = prop(p, name);
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
        throw validationError(`${path}placement.${name}`, `${name} must be an array of variable codes.`);
      }
      return v as string[];
    };
    placement = { heading: list('heading'), stub: list('stub') };
  }
  return { selection, placement };
}
