// PxWebApi 2.0 client (Statistics Norway `/api/pxwebapi/v2`, Statistics Sweden `/api/v2`, our `/api/v2`):
// `/config` gives the limits, `/tables` lists and searches, `/tables/{id}/metadata` is JSON-stat 2.0 without
// values (with codelists), `/tables/{id}/data` answers json-stat2 to a POST body or GET parameters.

import type { Cube } from '../core/model.js';
import { readJsonStat, readJsonStatMetadata } from '../formats/jsonStatReader.js';
import { PxWebClientBase, type Batch, type ClientOptions, type Codelist, type ServerLimits, type TableMetadata, type TableSummary, type TableVariable } from './base.js';
import { parseJson, PxWebHttpError } from './http.js';
import { v2Codelist } from './selection.js';

export interface V2ClientOptions extends ClientOptions {
  /** How data is asked for (default POST; GET falls back to POST when the URL would pass ~2,000 characters). */
  method?: 'GET' | 'POST';
}

export interface V2Config {
  apiVersion?: string;
  languages?: { id: string; label: string }[];
  defaultLanguage?: string;
  maxDataCells?: number;
  maxCallsPerTimeWindow?: number;
  timeWindow?: number;
  dataFormats?: string[];
}

export interface V2TablePage {
  tables: (TableSummary & { raw: Record<string, unknown> })[];
  pageNumber: number;
  pageSize: number;
  totalElements: number;
  totalPages: number;
}

/** GET URLs longer than this are refused by the front ends of SSB and SCB. */
export const MAX_GET_URL = 2000;

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

export class PxWebV2Client extends PxWebClientBase {
  readonly api = 'v2' as const;
  readonly base: string;
  protected readonly answersInMetadataOrder = false;
  protected readonly caseInsensitiveCodes = true;
  private configPromise?: Promise<V2Config>;

  /** `base`: the API root, e.g. `https://data.ssb.no/api/pxwebapi/v2`. */
  constructor(base: string, options: V2ClientOptions = {}) {
    super(options);
    this.base = base.replace(/\/+$/, '');
  }

  get lang(): string | undefined {
    return this.options.lang;
  }

  private url(path: string, params: [string, string][] = []): string {
    const all: [string, string][] = this.lang ? [['lang', this.lang], ...params] : params;
    const q = all.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']')}=${encodeURIComponent(v)}`).join('&');
    return `${this.base}${path}${q ? `?${q}` : ''}`;
  }

  config(): Promise<V2Config> {
    this.configPromise ??= this.transport.getJson(`${this.base}/config`).then((doc) => {
      if (!isObj(doc)) throw new Error('/config did not answer an object');
      return doc as V2Config;
    });
    return this.configPromise;
  }

  protected async readLimits(): Promise<ServerLimits> {
    const c = await this.config();
    const maxCells = num(c.maxDataCells);
    if (maxCells === undefined) throw new Error('/config has no maxDataCells');
    return { maxCells, maxCalls: num(c.maxCallsPerTimeWindow) ?? 0, timeWindow: num(c.timeWindow) ?? 0 };
  }

  /** One page of `/tables` (all tables, or those matching `query`). */
  async tables(opts: { query?: string; pageNumber?: number; pageSize?: number; pastDays?: number; includeDiscontinued?: boolean } = {}): Promise<V2TablePage> {
    await this.limits();
    const params: [string, string][] = [];
    if (opts.query) params.push(['query', opts.query]);
    if (opts.pastDays) params.push(['pastDays', String(opts.pastDays)]);
    if (opts.includeDiscontinued) params.push(['includeDiscontinued', 'true']);
    if (opts.pageNumber) params.push(['pageNumber', String(opts.pageNumber)]);
    if (opts.pageSize) params.push(['pageSize', String(opts.pageSize)]);
    const doc = await this.transport.getJson(this.url('/tables', params));
    if (!isObj(doc) || !Array.isArray(doc.tables)) throw new Error('/tables did not answer a table list');
    const page = isObj(doc.page) ? doc.page : {};
    return {
      tables: doc.tables.filter(isObj).map((t) => ({ ...summary(t), raw: t })),
      pageNumber: num(page.pageNumber) ?? 1,
      pageSize: num(page.pageSize) ?? doc.tables.length,
      totalElements: num(page.totalElements) ?? doc.tables.length,
      totalPages: num(page.totalPages) ?? 1,
    };
  }

  /** Tables matching `query`, up to `max` of them (pages fetched as needed). */
  async search(query: string, max = 100): Promise<TableSummary[]> {
    const out: TableSummary[] = [];
    for (let page = 1; out.length < max; page++) {
      const p = await this.tables({ query, pageNumber: page, pageSize: Math.min(100, max) });
      out.push(...p.tables.map(({ raw: _raw, ...t }) => t));
      if (page >= p.totalPages || !p.tables.length) break;
    }
    return out.slice(0, max);
  }

  /** `/tables/{id}`: the table's summary. */
  async table(id: string): Promise<TableSummary & { raw: Record<string, unknown> }> {
    await this.limits();
    const doc = await this.transport.getJson(this.url(`/tables/${encodeURIComponent(id)}`));
    if (!isObj(doc)) throw new Error(`/tables/${id} did not answer an object`);
    return { ...summary(doc), raw: doc };
  }

  /** `/codelists/{id}`: the codelist's values. */
  async codelist(id: string): Promise<{ id: string; label: string; type?: string; values: { code: string; label: string }[] }> {
    await this.limits();
    const doc = await this.transport.getJson(this.url(`/codelists/${encodeURIComponent(id)}`));
    if (!isObj(doc)) throw new Error(`/codelists/${id} did not answer an object`);
    const values = Array.isArray(doc.values) ? doc.values.filter(isObj).map((v) => ({ code: String(v.code ?? ''), label: String(v.label ?? '') })) : [];
    return { id: String(doc.id ?? id), label: String(doc.label ?? ''), ...(typeof doc.type === 'string' ? { type: doc.type } : {}), values };
  }

  /** `/tables/{id}/metadata`, optionally with codelists applied (variable code -> codelist id). */
  async metadata(tableId: string, codelists: Record<string, string> = {}): Promise<TableMetadata> {
    await this.limits();
    const params = Object.entries(codelists).map(([v, c]): [string, string] => [`codelist[${v}]`, c]);
    const doc = await this.transport.getJson(this.url(`/tables/${encodeURIComponent(tableId)}/metadata`, params));
    const { meta } = readJsonStatMetadata(doc, { lang: this.lang });
    const dims = isObj(doc) && isObj(doc.dimension) ? doc.dimension : {};
    const variables: TableVariable[] = meta.variables.map((v) => {
      const ext = isObj(dims[v.code]) && isObj((dims[v.code] as Record<string, unknown>).extension) ? ((dims[v.code] as Record<string, unknown>).extension as Record<string, unknown>) : {};
      const lists = Array.isArray(ext.codelists) ? ext.codelists : Array.isArray(ext.codeLists) ? ext.codeLists : [];
      const codelists: Codelist[] = lists.filter(isObj).map((c) => ({ id: String(c.id ?? ''), label: String(c.label ?? ''), ...(typeof c.type === 'string' ? { type: c.type } : {}) }));
      const lang = meta.defaultLanguage;
      return {
        code: v.code,
        label: v.label[lang] ?? v.code,
        values: v.values.map((x) => ({ code: x.code, label: x.label[lang] ?? x.code })),
        elimination: v.elimination,
        time: v.role === 'time',
        contents: v.role === 'contents',
        ...(v.eliminationValue !== undefined ? { eliminationValue: v.eliminationValue } : {}),
        ...(codelists.length ? { codelists } : {}),
      };
    });
    // the metadata document's root label is the table title
    return { id: meta.id === 'table' ? tableId : meta.id, title: meta.title[meta.defaultLanguage] ?? tableId, variables, meta };
  }

  protected async valuesUnder(tableId: string, variable: string, codelist: string): Promise<string[] | undefined> {
    const md = await this.metadata(tableId, { [variable]: v2Codelist(codelist)! });
    return md.variables.find((v) => v.code === variable)?.values?.map((x) => x.code);
  }

  /** The POST body of a batch (eliminated variables listed with no codes). */
  batchBody(batch: Batch): { selection: { variableCode: string; codelist?: string; valueCodes: string[] }[] } {
    return {
      selection: batch.selection.map((r) => ({
        variableCode: r.code,
        ...(r.codelist ? { codelist: v2Codelist(r.codelist) } : {}),
        valueCodes: r.codes ?? [],
      })),
    };
  }

  /** The GET URL of a batch (eliminated variables left out), or null when it cannot be written as one. */
  batchUrl(tableId: string, batch: Batch): string | null {
    const params: [string, string][] = [['outputFormat', 'json-stat2']];
    for (const r of batch.selection) {
      if (r.codes === null) continue;
      params.push([`valueCodes[${r.code}]`, r.codes.map((c) => (/[,[\]]/.test(c) || /^\s|\s$/.test(c) ? `[${c}]` : c)).join(',')]);
      if (r.codelist) params.push([`codelist[${r.code}]`, v2Codelist(r.codelist)!]);
    }
    // without any valueCodes the server would answer its default selection
    if (params.length === 1) return null;
    return this.url(`/tables/${encodeURIComponent(tableId)}/data`, params);
  }

  protected async fetchBatch(tableId: string, batch: Batch): Promise<Cube> {
    const method = (this.options as V2ClientOptions).method ?? 'POST';
    let r;
    const getUrl = method === 'GET' ? this.batchUrl(tableId, batch) : null;
    if (getUrl !== null && getUrl.length <= MAX_GET_URL) r = await this.transport.request('GET', getUrl);
    else r = await this.transport.request('POST', this.url(`/tables/${encodeURIComponent(tableId)}/data`, [['outputFormat', 'json-stat2']]), JSON.stringify(this.batchBody(batch)));
    const cube = readJsonStat(parseJson(r), { lang: this.lang }).cube;
    if (cube.meta.id === 'table') cube.meta.id = tableId;
    return cube;
  }

  protected isTooManyCells(e: unknown): boolean {
    return e instanceof PxWebHttpError && (e.status === 400 || e.status === 403) && /too many/i.test(e.body);
  }
}

function summary(t: Record<string, unknown>): TableSummary {
  const id = String(t.id ?? '');
  return {
    id,
    label: String(t.label ?? ''),
    path: id,
    ...(typeof t.updated === 'string' ? { updated: t.updated } : {}),
    ...(typeof t.firstPeriod === 'string' ? { firstPeriod: t.firstPeriod } : {}),
    ...(typeof t.lastPeriod === 'string' ? { lastPeriod: t.lastPeriod } : {}),
  };
}
