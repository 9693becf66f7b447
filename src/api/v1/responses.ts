// Response bodies of PxWeb API v1 as Statistics Norway serves them: navigation lists, database list,
// table metadata, search hits, `?config`, error bodies and the content type of each data format.

import { text, type TableMeta, type Texts } from '../../core/model.js';
import { heavyAnswerLimits, type AppConfig } from '../../app/config.js';
import type { Folder, TableRecord } from '../../store/store.js';

/** The one database id this server answers under (SSB's `…/api/v0/no/table/…`). */
export const DATABASE_ID = 'table';
export const DATABASE_TEXT: Texts = { no: 'Statistikkbanken etter emne', en: 'StatBank by subject' };

export const ERROR_CONTENT_TYPE = 'application/json';
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const RATE_LIMIT_MESSAGE = '429 - Too many requests in too short timeframe. Please try again later.';
export const TOO_MANY_VALUES = 'Too many values selected';
export const SEARCH_NOT_ACTIVATED = 'Search not activated';
export const TIMEOUT_MESSAGE = 'The query took too long. Please select fewer values or try again later.';

/** A table's node id in the subject tree: its MATRIX name when it has one, else its id. */
export function nodeId(rec: TableRecord): string {
  return rec.summary.matrix ?? rec.id;
}

/** .NET DateTime of unspecified kind, as v1 writes it: "2025-02-21T07:00:00" (UTC, no zone, no fraction). */
export function v1DateTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().slice(0, 19);
}

function tableTitle(meta: Pick<TableMeta, 'title' | 'defaultLanguage'>, lang: string): string {
  return text(meta.title, lang, meta.defaultLanguage);
}

/** Navigation text of a table: "07459: <title> <first period> - <last period>". */
export function tableNodeText(rec: TableRecord, lang: string): string {
  // from the summary: listing a folder never loads the tables' full metadata
  const s = rec.summary;
  let title = tableTitle(s, lang);
  if (!title.startsWith(`${rec.id}:`)) title = `${rec.id}: ${title}`;
  if (s.periods > 0 && s.firstPeriod !== undefined) {
    title += s.periods === 1 ? ` ${s.firstPeriod}` : ` ${s.firstPeriod} - ${s.lastPeriod}`;
  }
  return title;
}

export interface NavItem {
  id: string;
  type: 'l' | 't';
  text: string;
  updated?: string;
}

export function folderItem(f: Folder, lang: string, defaultLanguage: string): NavItem {
  return { id: f.id, type: 'l', text: text(f.label, lang, defaultLanguage) || f.id };
}

export function tableItem(rec: TableRecord, lang: string): NavItem {
  const item: NavItem = { id: nodeId(rec), type: 't', text: tableNodeText(rec, lang) };
  const updated = v1DateTime(rec.published);
  if (updated) item.updated = updated;
  return item;
}

export interface V1VariableMeta {
  code: string;
  text: string;
  values?: string[];
  valueTexts?: string[];
  elimination?: true;
  time?: true;
  map?: string;
}

/** GET a table: {title, variables} in the key order and with the omissions of PxWeb's MetaTable. */
export function tableMetadata(meta: TableMeta, lang: string, maxValues: number): { title: string; variables: V1VariableMeta[] } {
  const L = (t: Texts) => text(t, lang, meta.defaultLanguage);
  const variables = meta.variables.map((v) => {
    const out: V1VariableMeta = { code: v.code, text: L(v.label) };
    if (!(maxValues > 0 && v.values.length > maxValues)) {
      out.values = v.values.map((x) => x.code);
      out.valueTexts = v.values.map((x) => L(x.label));
    }
    if (v.elimination) out.elimination = true;
    if (v.role === 'time') out.time = true;
    if (v.map) out.map = v.map;
    return out;
  });
  return { title: tableTitle(meta, lang), variables };
}

/** `?config` body, keys in PxWeb's order. */
/** Reported as maxCalls when rate limiting is off: R pxweb refuses a server whose limits are below 1. */
export const UNLIMITED_CALLS = 2147483647;

export function configBody(cfg: AppConfig): Record<string, number | boolean> {
  const limited = cfg.maxCalls > 0 && cfg.timeWindow > 0;
  return {
    maxValues: cfg.maxValues,
    maxCells: cfg.maxCells,
    maxCalls: limited ? cfg.maxCalls : UNLIMITED_CALLS,
    timeWindow: limited ? cfg.timeWindow : Math.max(1, cfg.timeWindow),
    CORS: cfg.cors,
    // PxWeb's keys first; then Statbank's admission limits for large answers (clients read keys by name)
    ...heavyAnswerLimits(cfg),
  };
}

export interface SearchItem {
  id: string;
  path: string;
  title: string;
  score: number;
  published: string;
}

/** One v1 search hit per folder the table sits in below `scope`; `path` is relative to the scope. */
export function searchItems(rec: TableRecord, score: number, scope: string, lang: string): SearchItem[] {
  const prefix = scope ? scope + '/' : '';
  const paths = rec.folders.filter((f) => !scope || f === scope || f.startsWith(prefix));
  if (!paths.length) paths.push(scope);
  const title = tableTitle(rec.summary, lang);
  const published = v1DateTime(rec.published) ?? '0001-01-01T00:00:00';
  return paths.map((p) => ({ id: nodeId(rec), path: '/' + p.slice(scope ? prefix.length : 0).replace(/^\/+/, ''), title, score, published }));
}
