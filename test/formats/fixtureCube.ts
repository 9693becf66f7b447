// Builds a Cube from a real PxWeb JSON-stat 2.0 data response (the shared SSB fixtures), so the
// serializers can be compared with what SSB sent for the same table and selection.

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Status, type ContentInfo, type Cube, type TableMeta, type Variable } from '../../src/core/model.js';

export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const sharedPath = (rel: string) => SHARED + rel;
export const hasShared = (rel: string) => existsSync(sharedPath(rel));
export const readShared = (rel: string) => readFileSync(sharedPath(rel));

interface Js2 {
  label: string;
  source: string;
  updated: string;
  role?: Record<string, string[]>;
  id: string[];
  size: number[];
  dimension: Record<string, any>;
  extension: any;
  value: (number | null)[];
  status?: Record<string, string>;
}

const STOCKFA: Record<string, string> = { Stock: 'S', Flow: 'F', Average: 'A' };

/** A cube (one language) equal to a JSON-stat 2.0 document written by PxWeb. */
export function cubeFromJsonStat2(doc: Js2, lang: string): Cube {
  const px = doc.extension.px;
  const roleOf = (code: string): Variable['role'] =>
    doc.role?.time?.includes(code) ? 'time' : doc.role?.metric?.includes(code) ? 'contents' : doc.role?.geo?.includes(code) ? 'geo' : undefined;
  const contentInfo: Record<string, ContentInfo> = {};
  const variables: Variable[] = doc.id.map((code) => {
    const dim = doc.dimension[code];
    const index: Record<string, number> = dim.category.index;
    const codes = Object.keys(index).sort((a, b) => index[a] - index[b]);
    const role = roleOf(code);
    if (role === 'contents') {
      for (const c of codes) {
        const ext = dim.extension ?? {};
        contentInfo[c] = {
          unit: { [lang]: dim.category.unit[c].base },
          decimals: dim.category.unit[c].decimals,
          refPeriod: ext.refperiod?.[c] ? { [lang]: ext.refperiod[c] } : undefined,
          stockFa: STOCKFA[ext.measuringType?.[c]],
          lastUpdated: doc.updated,
        };
      }
    }
    return {
      code,
      label: { [lang]: dim.label },
      role,
      elimination: dim.extension?.elimination ?? false,
      presentation: dim.extension?.show,
      values: codes.map((c) => ({ code: c, label: { [lang]: dim.category.label[c] } })),
    };
  });
  const meta: TableMeta = {
    id: px.tableid,
    matrix: px.matrix,
    title: { [lang]: doc.label },
    contents: { [lang]: px.contents },
    languages: [lang],
    defaultLanguage: lang,
    variables,
    stub: px.stub,
    heading: px.heading,
    decimals: px.decimals,
    contentInfo,
    source: { [lang]: doc.source },
    contact: doc.extension.contact ? { [lang]: doc.extension.contact.map((c: { raw: string }) => c.raw).join('##') } : undefined,
    officialStatistics: px['official-statistics'],
    aggregAllowed: px.aggregallowed,
    copyright: px.copyright,
    subjectCode: px['subject-code'],
    subjectArea: { [lang]: px['subject-area'] },
    infoFile: px.infofile,
    codepage: 'iso-8859-1',
  };
  const n = doc.value.length;
  const values = new Float64Array(n);
  let status: Uint8Array | null = null;
  doc.value.forEach((v, i) => {
    if (v === null) {
      status ??= new Uint8Array(n);
      status[i] = Status.Dot2;
    } else values[i] = v;
  });
  return { meta, values, status };
}

/** Keys of an object in order, recursively for the given paths ("dimension.*.extension" ...). */
export function keySequence(text: string, path: string[]): string[] {
  let node: any = JSON.parse(text);
  for (const p of path) node = node?.[p];
  return node && typeof node === 'object' ? Object.keys(node) : [];
}

/**
 * Keys of the object at `path` in the order they appear in the raw JSON text (JSON.parse would
 * move integer-like keys first). A minimal scanner: enough for PxWeb documents.
 */
export function rawKeys(text: string, path: string[]): string[] {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const skip = (): void => {
    ws();
    const c = text[i];
    if (c === '"') str();
    else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (c === '{') {
          str();
          ws();
          i++; // ':'
        }
        skip();
        ws();
        if (text[i++] === close) return;
      }
    } else while (i < text.length && !',}] \t\r\n'.includes(text[i])) i++;
  };
  const keysHere = (want: string[]): string[] => {
    ws();
    if (text[i] !== '{') return [];
    i++;
    const keys: string[] = [];
    ws();
    if (text[i] === '}') return keys;
    for (;;) {
      ws();
      const k = str();
      ws();
      i++; // ':'
      if (want.length && k === want[0]) return keysHere(want.slice(1));
      keys.push(k);
      skip();
      ws();
      if (text[i++] === '}') return want.length ? [] : keys;
    }
  };
  return keysHere(path);
}
