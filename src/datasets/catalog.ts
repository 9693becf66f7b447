// Ready-made datasets: a numeric id naming a fixed API v1 query on one table, answered on the table's newest
// version. The catalogue checks the definitions once, then resolves a dataset against the table as it is now
// (a table that is missing or no longer fits the query makes the dataset unavailable, not an error).

import { createHash } from 'node:crypto';
import type { Plan } from '../core/engine.js';
import type { TableMeta, Texts } from '../core/model.js';
import { text } from '../core/model.js';
import { updatedOf } from '../formats/cubeText.js';
import { resolveV1Query, V1QueryError, type V1QueryItem } from '../query/v1Query.js';
import type { Store, TableRecord } from '../store/store.js';

export interface ReadyMadeDataset {
  /** Numeric id ("1052"). */
  id: string;
  tableId: string;
  title: Texts;
  /** Tags per language: table number, statistic short name, `tidsserie`, `kommuner`/`fylker` ... */
  tags: Record<string, string[]>;
  /** The `query` array of an API v1 POST body. */
  query: V1QueryItem[];
}

/** Dataset ids are numbers (at most 9 digits, as Statistics Norway's). */
export function isDatasetId(id: string): boolean {
  return /^\d{1,9}$/.test(id);
}

export interface AvailableDataset {
  dataset: ReadyMadeDataset;
  rec: TableRecord;
  /**
   * A fingerprint of the definition: answers are cached and validated (ETag) by table version AND definition, so a
   * dataset redefined through the admin API on a table that did not change is never answered from the old one.
   */
  revision: string;
}

/** The same on every node for the same definition (a hash of its JSON), so caches and ETags agree across nodes. */
const revisions = new WeakMap<ReadyMadeDataset, string>();
function revisionOf(d: ReadyMadeDataset): string {
  let r = revisions.get(d);
  if (r === undefined) {
    r = createHash('sha256').update(JSON.stringify(d)).digest('base64url').slice(0, 16);
    revisions.set(d, r);
  }
  return r;
}

export class DatasetCatalog {
  private byId = new Map<string, ReadyMadeDataset>();
  /** The configured definitions (a file); managed ones (the admin API) are laid over them. */
  private readonly configured: readonly ReadyMadeDataset[];
  /** Whether a dataset's query fits a table version: `${dataset}\n${table}@${version}` -> ok. */
  private readonly fits = new Map<string, boolean>();

  constructor(
    private readonly store: Store,
    datasets: readonly ReadyMadeDataset[],
  ) {
    for (const d of datasets) {
      if (!isDatasetId(d.id)) throw new Error(`dataset id ${JSON.stringify(d.id)} is not a number`);
      if (this.byId.has(d.id)) throw new Error(`dataset id ${d.id} is defined twice`);
      this.byId.set(d.id, d);
    }
    this.configured = [...datasets];
  }

  /** The datasets managed through the admin API, laid over the configured ones (same id: the managed one wins). */
  setManaged(managed: readonly ReadyMadeDataset[]): void {
    const next = new Map(this.configured.map((d) => [d.id, d]));
    for (const d of managed) if (isDatasetId(d.id)) next.set(d.id, d);
    this.byId = next;
    this.fits.clear();
  }

  /** The definition with this id (whether or not its table is there). */
  get(id: string): ReadyMadeDataset | undefined {
    return this.byId.get(id);
  }

  /** The dataset with its table's current record, or undefined when the table is missing or the query no longer fits. */
  available(id: string): AvailableDataset | undefined {
    const dataset = this.byId.get(id);
    if (!dataset) return undefined;
    const rec = this.store.getTable(dataset.tableId);
    if (!rec) return undefined;
    const key = `${dataset.id}\n${rec.id}@${rec.version}`;
    let ok = this.fits.get(key);
    if (ok === undefined) {
      ok = planFor(dataset, rec.meta) !== undefined;
      this.fits.set(key, ok);
    }
    return ok ? { dataset, rec, revision: revisionOf(dataset) } : undefined;
  }

  /** Every available dataset, in definition order. */
  list(): AvailableDataset[] {
    const out: AvailableDataset[] = [];
    for (const id of this.byId.keys()) {
      const a = this.available(id);
      if (a) out.push(a);
    }
    return out;
  }
}

/** The dataset's plan on a table version, or undefined when its query does not fit that table. */
export function planFor(dataset: ReadyMadeDataset, meta: TableMeta): Plan | undefined {
  try {
    return resolveV1Query(meta, dataset.query, meta.defaultLanguage);
  } catch (e) {
    if (e instanceof V1QueryError) return undefined;
    throw e;
  }
}

export function datasetTitle(d: ReadyMadeDataset, lang: string): string {
  return text(d.title, lang, 'no');
}

export function datasetTags(d: ReadyMadeDataset, lang: string): string[] {
  return [...(d.tags[lang] ?? d.tags.no ?? Object.values(d.tags)[0] ?? [])];
}

/** When the dataset's numbers last changed: the table's update time (as JSON-stat `updated`), else its publication. */
export function datasetUpdated(rec: TableRecord): string {
  return updatedOf(rec.meta) ?? rec.published;
}

export interface DatasetLinks {
  json: string;
  csv: string;
  html: string;
}

export function datasetLinks(base: string, id: string, lang: string): DatasetLinks {
  const root = `${base}/api/v0/dataset/${id}`;
  const q = `?lang=${encodeURIComponent(lang)}`;
  return { json: `${root}.json${q}`, csv: `${root}.csv${q}`, html: `${root}${q}` };
}

/** One entry of `list.json`: the fields clients use (`id`, `tags`) and what a person needs to pick one. */
export function listEntry(a: AvailableDataset, lang: string, base: string): Record<string, unknown> {
  return {
    id: a.dataset.id,
    title: datasetTitle(a.dataset, lang),
    tags: datasetTags(a.dataset, lang),
    table: a.rec.id,
    updated: datasetUpdated(a.rec),
    ...datasetLinks(base, a.dataset.id, lang),
  };
}
