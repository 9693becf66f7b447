// Response bodies of the PxWebApi 2.0 catalogue endpoints (§3.2–3.4, 3.6, 3.9, 3.10). Objects are built in the
// reference key order; none of them has code-keyed dictionaries, so JSON.stringify keeps that order.

import { text, type TableMeta, type Variable } from '../../core/model.js';
import { isoUtc } from '../../formats/cubeText.js';
import { heavyAnswerLimits, type AppConfig } from '../../app/config.js';
import type { Store, TableRecord } from '../../store/store.js';
import type { Grouping, ValueSet } from '../../core/model.js';
import type { SavedQuery } from '../../savedQueries/savedQueries.js';
import { prefixed } from '../../query/v2Selection.js';
import { tableHasLanguage } from '../../app/languages.js';
import type { TableLookup } from '../../app/tableLookup.js';
import { tableTitle, type TitleSource } from '../../formats/title.js';

export interface Link {
  rel: string;
  hreflang: string;
  href: string;
}

/** Where links point: the API root as the client reached it ("https://host/api/v2") and the languages. */
export interface LinkContext {
  root: string;
  languages: readonly string[];
  defaultDataFormat: string;
  /** The office's time zone: local times in the tables are read in it. */
  timeZone?: string;
}

const LANGUAGE_NAMES: Record<string, string> = {
  no: 'Norsk',
  nb: 'Norsk bokmål',
  nn: 'Norsk nynorsk',
  en: 'English',
  sv: 'Svenska',
  da: 'Dansk',
  fi: 'Suomi',
  de: 'Deutsch',
  fr: 'Français',
  se: 'Davvisámegiella',
};

const SOURCE_TEXT: Record<string, string> = {
  no: 'Kilde: Statistikkbanken',
  en: 'Source: Statbank',
  sv: 'Källa: Statbank',
};

export const API_VERSION = '2.0.0';
export const LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

/** `/config` (§3.2). */
export function configResponse(
  cfg: AppConfig,
  languages: readonly string[],
  defaultLanguage: string,
  appVersion: string,
  dataFormats: readonly string[],
  defaultDataFormat: string,
) {
  return {
    apiVersion: API_VERSION,
    appVersion,
    languages: languages.map((id) => ({ id, label: languageName(id) })),
    defaultLanguage,
    maxDataCells: cfg.maxCells,
    maxCallsPerTimeWindow: cfg.maxCalls,
    timeWindow: cfg.timeWindow,
    license: LICENSE,
    sourceReferences: languages.map((language) => ({ language, text: SOURCE_TEXT[language] ?? SOURCE_TEXT.en })),
    defaultDataFormat,
    dataFormats: [...dataFormats],
    features: [
      { id: 'CORS', params: [{ key: 'enabled', value: cfg.cors ? 'True' : 'False' }] },
      // Statbank's admission limits for large answers (see ?config of API v1 for the same figures)
      { id: 'HeavyAnswers', params: Object.entries(heavyAnswerLimits(cfg)).map(([key, value]) => ({ key, value: String(value) })) },
    ],
  };
}

/** A language's name in itself (Intl knows every language; a code it cannot name stays a code). */
export function languageName(id: string): string {
  if (LANGUAGE_NAMES[id]) return LANGUAGE_NAMES[id];
  try {
    const n = new Intl.DisplayNames([id], { type: 'language' }).of(id);
    return n && n !== id ? n.charAt(0).toLocaleUpperCase(id) + n.slice(1) : id;
  } catch {
    return id;
  }
}

/** Find a table by id, exact first, then ignoring case. */
export function findTable(store: Store, lookup: TableLookup, id: string): TableRecord | undefined {
  return store.getTable(id) ?? lookup.byIdIgnoringCase(id);
}

export function timeVariableOf(meta: TableMeta): Variable | undefined {
  return meta.variables.find((v) => v.role === 'time');
}

/**
 * The table's label: the file's TITLE in the language, as written (no time range appended); a table without a
 * TITLE in that language gets the title Paxiom would make for it ("CONTENTS by a, b and c", in the language's own
 * words), as PxWebApi 2.0 does. The same label in `/tables`, `/tables/{id}` and `/metadata`.
 */
export function tableLabel(meta: Pick<TableMeta, 'title' | 'contents' | 'defaultLanguage' | 'id'> & TitleSource, lang: string): string {
  return tableTitle(meta, lang) || meta.id;
}

const TIME_UNITS: Record<string, string> = { A: 'Annual', Q: 'Quarterly', M: 'Monthly', W: 'Weekly' };

/** Table update time as `yyyy-MM-ddTHH:mm:ssZ`: the metadata's, else the publication time. */
export function tableUpdated(rec: TableRecord, timeZone?: string): string | undefined {
  return isoUtc(rec.summary.updated, timeZone) ?? isoUtc(rec.published);
}

function upper(id: string): string {
  return encodeURIComponent(id.toUpperCase());
}

function otherLanguages(meta: { languages?: readonly string[] }, lang: string, ctx: LinkContext): string[] {
  return ctx.languages.filter((l) => l !== lang && tableHasLanguage(meta, l));
}

/** The Table object of `/tables` and `/tables/{id}` (§3.3), fields in the reference order. */
export function tableObject(rec: TableRecord, store: Store, lang: string, ctx: LinkContext): Record<string, unknown> {
  // from the summary: a page of /tables never loads the tables' full metadata
  const meta = rec.summary;
  const o: Record<string, unknown> = {
    id: rec.id,
    label: tableLabel({ ...meta, id: rec.id }, lang),
    description: text(meta.description, lang, meta.defaultLanguage),
    sortCode: rec.id,
  };
  const updated = tableUpdated(rec, ctx.timeZone);
  if (updated) o.updated = updated;
  if (meta.periods > 0) {
    o.firstPeriod = meta.firstPeriod;
    o.lastPeriod = meta.lastPeriod;
  }
  o.category = 'public';
  o.variableNames = meta.variables.map((v) => text(v.label, lang, meta.defaultLanguage) || v.code);
  if (rec.discontinued !== undefined) o.discontinued = rec.discontinued;
  o.source = text(meta.source, lang, meta.defaultLanguage);
  o.subjectCode = meta.subjectCode ?? '';
  o.timeUnit = (meta.timeUnit && TIME_UNITS[meta.timeUnit]) || 'Other';
  o.paths = rec.folders.filter((f) => f !== '').map((f) => folderPath(store, f, lang));
  const id = upper(rec.id);
  o.links = [
    { rel: 'self', hreflang: lang, href: `${ctx.root}/tables/${id}?lang=${lang}` },
    ...otherLanguages(meta, lang, ctx).map((l) => ({ rel: 'alternate', hreflang: l, href: `${ctx.root}/tables/${id}?lang=${l}` })),
    { rel: 'metadata', hreflang: lang, href: `${ctx.root}/tables/${id}/metadata?lang=${lang}` },
    { rel: 'data', hreflang: lang, href: `${ctx.root}/tables/${id}/data?lang=${lang}&outputFormat=${ctx.defaultDataFormat}` },
  ];
  return o;
}

/** A folder path "be/be02" as its chain of {id, label, sortCode}. */
function folderPath(store: Store, path: string, lang: string): { id: string; label: string; sortCode?: string }[] {
  const segs = path.split('/').filter(Boolean);
  return segs.map((id, i) => {
    const f = store.getFolder(segs.slice(0, i + 1).join('/'));
    const label = f ? text(f.label, lang) || id : id;
    return f?.sort ? { id, label, sortCode: f.sort } : { id, label };
  });
}

/** The page URL of `/tables` exactly as the reference writes it (§3.3). */
export function tablesPageUrl(ctx: LinkContext, lang: string, query: string | undefined, pageSize: number, pageNumber: number, pastDays?: number): string {
  let u = `${ctx.root}/tables/?lang=${lang}`;
  if (query) u += `&query=${query}`;
  u += `&pagesize=${pageSize}&pageNumber=${pageNumber}`;
  if (pastDays !== undefined) u += `&pastDays=${pastDays}`;
  return u;
}

// ------------------------------------------------------------------------------------------------
// Codelists

export interface FoundCodelist {
  record: TableRecord;
  variable: Variable;
  kind: 'valueSet' | 'grouping';
  valueSet?: ValueSet;
  grouping?: Grouping;
}

/**
 * Find a codelist by its v2 id (`vs_<id>` / `agg_<id>`, case-sensitive) on any table's variables.
 * Tables that exist in `lang` are preferred.
 */
export function findCodelist(lookup: TableLookup, id: string, lang: string): FoundCodelist | undefined {
  let found: FoundCodelist | undefined;
  const isVs = id.startsWith('vs_');
  if (!isVs && !id.startsWith('agg_')) return undefined;
  // only the tables indexed under the id are read in full; the metadata says whether one has it
  for (const record of lookup.withCodelist(id)) {
    for (const variable of record.meta.variables) {
      let hit: FoundCodelist | undefined;
      if (isVs) {
        const vs = variable.valueSets?.find((s) => prefixed('vs_', s.id) === id);
        if (vs) hit = { record, variable, kind: 'valueSet', valueSet: vs };
      } else {
        const g = variable.groupings?.find((x) => prefixed('agg_', x.id) === id);
        if (g) hit = { record, variable, kind: 'grouping', grouping: g };
      }
      if (!hit) continue;
      if (tableHasLanguage(record.summary, lang)) return hit;
      found ??= hit;
    }
  }
  return found;
}

/** `/codelists/{id}` (§3.9). */
export function codelistResponse(c: FoundCodelist, id: string, lang: string, ctx: LinkContext): Record<string, unknown> {
  const meta = c.record.meta;
  const v = c.variable;
  const tx = (t: Record<string, string> | undefined) => text(t, lang, meta.defaultLanguage);
  const label = tx(c.kind === 'valueSet' ? c.valueSet!.label : c.grouping!.label);
  const languages = ctx.languages.filter((l) => tableHasLanguage(meta, l));
  const o: Record<string, unknown> = { id, label, language: lang, languages, elimination: v.elimination };
  const ev = c.kind === 'valueSet' ? (c.valueSet!.eliminationValue ?? v.eliminationValue) : undefined;
  if (ev !== undefined && v.elimination) o.eliminationValueCode = ev;
  o.type = c.kind === 'valueSet' ? 'Valueset' : 'Aggregation';
  const byCode = new Map(v.values.map((x) => [x.code, x]));
  if (c.kind === 'valueSet') {
    o.values = c.valueSet!.codes.filter((code) => byCode.has(code)).map((code) => {
      const value = byCode.get(code)!;
      return valueMapEntry(code, tx(value.label) || code, [code], value.notes, tx);
    });
  } else {
    o.values = c.grouping!.groups.map((g) => valueMapEntry(g.code, tx(g.label) || g.code, [...g.inputs], undefined, tx));
  }
  const href = (l: string) => `${ctx.root}/codeLists/${encodeURIComponent(id)}?lang=${l}`;
  o.links = [
    { rel: 'self', hreflang: lang, href: href(lang) },
    ...languages.filter((l) => l !== lang).map((l) => ({ rel: 'alternate', hreflang: l, href: href(l) })),
  ];
  return o;
}

function valueMapEntry(
  code: string,
  label: string,
  valueMap: string[],
  notes: Variable['notes'],
  tx: (t: Record<string, string> | undefined) => string,
): Record<string, unknown> {
  const o: Record<string, unknown> = { code, label, valueMap };
  const ns = (notes ?? []).map((n) => ({ mandatory: n.mandatory, text: tx(n.text) })).filter((n) => n.text !== '');
  if (ns.length) o.notes = ns;
  return o;
}

// ------------------------------------------------------------------------------------------------
// Selections and saved queries

export function selectionResponse(
  self: Link,
  selection: readonly { variableCode: string; codelist?: string | null; valueCodes: string[] }[],
  placement: { heading: string[]; stub: string[] },
): Record<string, unknown> {
  return { links: [self], selection, placement: { heading: placement.heading, stub: placement.stub } };
}

/** `SavedQueryResponse` (§3.10): the query as stored, expressions unexpanded. */
export function savedQueryResponse(q: SavedQuery, ctx: LinkContext): Record<string, unknown> {
  return {
    language: q.language,
    id: q.id,
    savedQuery: {
      id: q.id,
      selection: q.selection,
      language: q.language,
      tableId: q.tableId,
      outputFormat: q.outputFormat,
      outputFormatParams: q.outputFormatParams,
    },
    links: [{ rel: 'self', hreflang: q.language, href: `${ctx.root}/savedqueries/${q.id}` }],
  };
}
