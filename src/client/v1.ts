// PxWeb API v1 client (Statistics Norway `/api/v0`, Statistics Sweden `/OV0104/v1/doris`, our `/api/v0`):
// `{root}/{lang}` lists databases, `{root}/{lang}/{db}/{path}` is a folder (GET: children) or a table (GET:
// metadata, POST: data); `?config` gives the limits. Data is asked for as json-stat2 with `item` filters
// (or `vs:`/`agg:` for codelists).

import type { Cube } from '../core/model.js';
import { readJsonStat } from '../formats/jsonStatReader.js';
import { PxWebClientBase, type Batch, type ClientOptions, type ServerLimits, type TableMetadata, type TableSummary, type TableVariable } from './base.js';
import { parseJson, PxWebHttpError } from './http.js';
import { v1Filter } from './selection.js';

export interface V1ClientOptions extends ClientOptions {
  /** Database id (SSB "table", SCB "ssd"); default the first the server lists. */
  database?: string;
}

export interface V1Database {
  dbid: string;
  text: string;
}

export interface V1Node {
  id: string;
  /** l = folder, t = table, h = headline */
  type: string;
  text: string;
  updated?: string;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function num(x: unknown): number | undefined {
  const n = typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** `?config` body -> limits; throws when it is not one. */
export function v1Limits(doc: unknown): ServerLimits {
  if (!isObj(doc)) throw new Error('the ?config answer is not an object');
  const maxCalls = num(doc.maxCalls);
  const timeWindow = num(doc.timeWindow);
  const maxCells = num(doc.maxCells) ?? num(doc.maxValues);
  if (maxCalls === undefined || timeWindow === undefined || maxCells === undefined) throw new Error('the ?config answer lacks maxCalls/timeWindow/maxCells');
  const maxValues = num(doc.maxValues);
  return { maxCells, maxCalls, timeWindow, ...(maxValues !== undefined ? { maxValues } : {}) };
}

export class PxWebV1Client extends PxWebClientBase {
  readonly api = 'v1' as const;
  readonly root: string;
  readonly lang: string;
  protected readonly answersInMetadataOrder = true;
  protected readonly caseInsensitiveCodes = false;
  private database?: string;
  private dbPromise?: Promise<string>;

  /** `root`: the API up to the language segment, e.g. `https://data.ssb.no/api/v0`. */
  constructor(root: string, options: V1ClientOptions = {}) {
    super(options);
    this.root = root.replace(/\/+$/, '');
    this.lang = options.lang ?? 'en';
    this.database = options.database;
  }

  private langUrl(): string {
    return `${this.root}/${encodeURIComponent(this.lang)}`;
  }

  protected async readLimits(): Promise<ServerLimits> {
    return v1Limits(await this.transport.getJson(`${this.langUrl()}/?config`));
  }

  async databases(): Promise<V1Database[]> {
    await this.limits();
    const doc = await this.transport.getJson(this.langUrl());
    if (!Array.isArray(doc)) throw new Error(`${this.langUrl()} did not list databases`);
    return doc.filter(isObj).map((d) => ({ dbid: String(d.dbid ?? ''), text: String(d.text ?? '') }));
  }

  /** The database id in use (the first listed unless one was given). */
  db(): Promise<string> {
    if (this.database) return Promise.resolve(this.database);
    this.dbPromise ??= this.databases().then((list) => {
      if (!list.length || !list[0].dbid) throw new Error(`${this.langUrl()} lists no database`);
      return (this.database = list[0].dbid);
    });
    return this.dbPromise;
  }

  /** URL of a folder or table path below the database ("" = the database itself). */
  async nodeUrl(path: string): Promise<string> {
    const segs = path.split('/').filter(Boolean).map(encodeURIComponent);
    return [`${this.langUrl()}/${encodeURIComponent(await this.db())}`, ...segs].join('/');
  }

  /** The children of a folder (path below the database). */
  async list(path = ''): Promise<V1Node[]> {
    await this.limits();
    const doc = await this.transport.getJson(await this.nodeUrl(path));
    if (!Array.isArray(doc)) throw new Error(`${path || 'the database'} is not a folder`);
    return doc.filter(isObj).map((n) => ({
      id: String(n.id ?? ''),
      type: String(n.type ?? ''),
      text: String(n.text ?? ''),
      ...(typeof n.updated === 'string' ? { updated: n.updated } : {}),
    }));
  }

  async search(query: string, path = ''): Promise<TableSummary[]> {
    await this.limits();
    const url = `${await this.nodeUrl(path)}?query=${encodeURIComponent(query)}`;
    const doc = await this.transport.getJson(url);
    if (!Array.isArray(doc)) throw new Error('the search did not answer a list');
    return doc.filter(isObj).map((h) => {
      const id = String(h.id ?? '');
      const where = String(h.path ?? '').replace(/^\/+|\/+$/g, '');
      return {
        id,
        label: String(h.title ?? ''),
        path: [path, where, id].filter(Boolean).join('/'),
        ...(typeof h.published === 'string' ? { updated: h.published } : {}),
        ...(typeof h.score === 'number' ? { score: h.score } : {}),
      };
    });
  }

  async metadata(tableId: string): Promise<TableMetadata> {
    await this.limits();
    const doc = await this.transport.getJson(await this.nodeUrl(tableId));
    if (!isObj(doc) || !Array.isArray(doc.variables)) throw new Error(`${tableId} is not a table (no variables in its metadata)`);
    const variables: TableVariable[] = doc.variables.filter(isObj).map((v) => {
      const codes = Array.isArray(v.values) ? v.values.map(String) : null;
      const texts = Array.isArray(v.valueTexts) ? v.valueTexts.map(String) : [];
      return {
        code: String(v.code ?? ''),
        label: String(v.text ?? v.code ?? ''),
        values: codes ? codes.map((c, i) => ({ code: c, label: texts[i] ?? c })) : null,
        elimination: v.elimination === true,
        time: v.time === true,
      };
    });
    const last = tableId.split('/').filter(Boolean).pop() ?? tableId;
    return { id: last, title: String(doc.title ?? last), variables };
  }

  protected async valuesUnder(): Promise<string[] | undefined> {
    return undefined; // v1 metadata does not describe value sets or groupings
  }

  /** The v1 query body of a batch. */
  batchBody(batch: Batch): { query: unknown[]; response: { format: string } } {
    const query: unknown[] = [];
    for (const r of batch.selection) {
      if (r.codes === null) {
        // eliminated: left out, or an empty value set selection (which eliminates under that value set)
        if (r.codelist) query.push({ code: r.code, selection: { filter: v1Filter(r.codelist), values: [] } });
        continue;
      }
      query.push({ code: r.code, selection: { filter: v1Filter(r.codelist), values: r.codes } });
    }
    return { query, response: { format: 'json-stat2' } };
  }

  protected async fetchBatch(tableId: string, batch: Batch): Promise<Cube> {
    const url = await this.nodeUrl(tableId);
    const r = await this.transport.request('POST', url, JSON.stringify(this.batchBody(batch)));
    const cube = readJsonStat(parseJson(r), { lang: this.lang }).cube;
    if (cube.meta.id === 'table') cube.meta.id = tableId.split('/').filter(Boolean).pop() ?? tableId; // no px.tableid
    return cube;
  }

  protected isTooManyCells(e: unknown): boolean {
    return e instanceof PxWebHttpError && e.status === 403 && /too many/i.test(e.body);
  }
}
