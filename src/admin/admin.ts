// The admin domain of one server process, beside the application layer: the AdminStore (tokens, audit log,
// webhooks, deliveries, datasets, headlines, changes), the release feed, and the operations the admin API and the
// CLI share. Nothing here knows HTTP.

import type { ReadyMadeDataset } from '../datasets/catalog.js';
import { isDatasetId } from '../datasets/catalog.js';
import { PostgresStore } from '../store/postgresStore.js';
import { SqliteStore } from '../store/sqliteStore.js';
import type { Store } from '../store/store.js';
import { createMemoryAdminStore, type AdminStore, type LogEntry, type ReadLogOptions } from './adminStore.js';
import type { ChangeRecord } from './changes.js';
import { ReleaseFeed, type ReleaseFeedOptions } from './feed.js';
import { checkHeadlineDef, evaluateHeadline, type Headline, type HeadlineDef } from './headlines.js';
import { openPostgresAdminStore } from './postgresAdminStore.js';
import { openSqliteAdminStore } from './sqliteAdminStore.js';
import type { TokenInfo } from './tokens.js';
import { checkWebhookUrl, newWebhookSecret, publicHook, type Delivery, type WebhookDef, type WebhookInfo } from './webhooks.js';

/** The AdminStore that goes with a Store: tables in the same SQLite file or PostgreSQL database, else memory. */
export function openAdminStore(store: Store): AdminStore {
  if (store instanceof PostgresStore) return openPostgresAdminStore(store.pool);
  if (store instanceof SqliteStore) {
    const path = store.path;
    if (path !== ':memory:' && !path.startsWith('file:')) return openSqliteAdminStore(path);
  }
  return createMemoryAdminStore();
}

export interface AuditEntry {
  /** ISO UTC, by the store's clock. */
  at: string;
  /** The token used (id and name); absent for the CLI. */
  who: { tokenId?: string; name: string };
  /** "POST /api/admin/tables" or "token create" ... */
  action: string;
  /** What it was done to: a table id, a hook id ... */
  target?: string;
  /** The client's address. */
  from?: string;
  /** HTTP status or outcome. */
  outcome: number | string;
  details?: unknown;
}

export class AdminError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface AdminOptions extends ReleaseFeedOptions {
  /** The AdminStore (default: beside the store, see openAdminStore). */
  adminStore?: AdminStore;
}

export class Admin {
  readonly adminStore: AdminStore;
  readonly feed: ReleaseFeed;
  private readonly ownsStore: boolean;
  private readonly datasetListeners = new Set<(list: ReadyMadeDataset[]) => void>();

  constructor(
    readonly store: Store,
    options: AdminOptions,
  ) {
    this.ownsStore = !options.adminStore;
    this.adminStore = options.adminStore ?? openAdminStore(store);
    this.feed = new ReleaseFeed(store, this.adminStore, options);
  }

  now(): number {
    return this.store.now();
  }

  // ---- audit ----

  async audit(e: Omit<AuditEntry, 'at'>): Promise<void> {
    await this.adminStore.append('audit', { at: new Date(this.now()).toISOString(), ...e });
  }

  readAudit(o?: ReadLogOptions): Promise<LogEntry<AuditEntry>[]> {
    return this.adminStore.readLog<AuditEntry>('audit', o);
  }

  // ---- webhooks ----

  async addWebhook(input: { url?: unknown; table?: unknown; subject?: unknown }, who: TokenInfo | undefined): Promise<WebhookDef> {
    let url: string;
    try {
      url = checkWebhookUrl(input.url);
    } catch (e) {
      throw new AdminError((e as Error).message);
    }
    for (const k of ['table', 'subject'] as const) {
      if (input[k] !== undefined && (typeof input[k] !== 'string' || !input[k])) throw new AdminError(`${k} must be a non-empty string`);
    }
    const hook: WebhookDef = {
      id: `wh_${newWebhookSecret().slice(6, 18).replace(/[^A-Za-z0-9]/g, 'x')}`,
      url,
      secret: newWebhookSecret(),
      table: input.table as string | undefined,
      subject: input.subject as string | undefined,
      created: new Date(this.now()).toISOString(),
      createdBy: who?.name ?? 'cli',
    };
    if (!(await this.adminStore.insertNew('webhook', hook.id, hook))) throw new AdminError('try again', 409);
    return hook;
  }

  async listWebhooks(): Promise<WebhookInfo[]> {
    return (await this.adminStore.list<WebhookDef>('webhook')).map(publicHook);
  }

  deleteWebhook(id: string): Promise<boolean> {
    return this.adminStore.delete('webhook', id);
  }

  async deliveries(hookId?: string): Promise<Delivery[]> {
    const all = await this.adminStore.list<Delivery>('delivery');
    return (hookId ? all.filter((d) => d.hookId === hookId) : all).reverse();
  }

  // ---- headlines ----

  async putHeadline(input: unknown): Promise<{ def: HeadlineDef; current?: Headline }> {
    let def: HeadlineDef;
    try {
      def = checkHeadlineDef(input);
    } catch (e) {
      throw new AdminError((e as Error).message);
    }
    // checked against the table's current (or coming) version, so a typo is found now and not at the release
    const current = await this.evaluate(def, true);
    await this.adminStore.put('headline', def.id, def);
    this.feed.forgetPrepared();
    return { def, current };
  }

  listHeadlines(): Promise<HeadlineDef[]> {
    return this.adminStore.list<HeadlineDef>('headline');
  }

  getHeadlineDef(id: string): Promise<HeadlineDef | undefined> {
    return this.adminStore.get<HeadlineDef>('headline', id);
  }

  deleteHeadline(id: string): Promise<boolean> {
    this.feed.forgetPrepared();
    return this.adminStore.delete('headline', id);
  }

  /** The headline written on the table's current public version (undefined when the table is not public). */
  async headline(id: string): Promise<Headline | undefined> {
    const def = await this.getHeadlineDef(id);
    if (!def) return undefined;
    return this.evaluate(def, false);
  }

  private async evaluate(def: HeadlineDef, check: boolean): Promise<Headline | undefined> {
    const rec = this.store.getTable(def.tableId);
    if (!rec) {
      // a table not yet released: check against the coming version (release tooling may see it)
      if (!check) return undefined;
      const coming = this.store.listScheduled(def.tableId)[0];
      if (!coming) throw new AdminError(`no table ${def.tableId}`, 404);
      try {
        evaluateHeadline(def, { meta: coming.record.meta, values: new Float64Array(coming.record.cells), status: null });
      } catch (e) {
        throw new AdminError((e as Error).message);
      }
      return undefined;
    }
    const cube = await this.store.getCube(rec.id, { version: rec.version });
    try {
      return evaluateHeadline(def, cube, rec.version);
    } catch (e) {
      if (check) throw new AdminError((e as Error).message);
      throw e;
    }
  }

  // ---- ready-made datasets ----

  async putDataset(input: unknown): Promise<ReadyMadeDataset> {
    const d = input as Partial<ReadyMadeDataset> | null;
    if (!d || typeof d !== 'object') throw new AdminError('a dataset is a JSON object');
    if (typeof d.id !== 'string' || !isDatasetId(d.id)) throw new AdminError('id must be a number of at most 9 digits (as a string)');
    if (typeof d.tableId !== 'string' || !d.tableId) throw new AdminError('tableId is required');
    if (!d.title || typeof d.title !== 'object') throw new AdminError('title: texts per language, e.g. {"no": "...", "en": "..."}');
    if (!Array.isArray(d.query)) throw new AdminError('query: the query array of an API v1 POST body');
    const ds: ReadyMadeDataset = { id: d.id, tableId: d.tableId, title: d.title, tags: d.tags && typeof d.tags === 'object' ? d.tags : {}, query: d.query };
    await this.adminStore.put('dataset', ds.id, ds);
    await this.datasetsChanged();
    return ds;
  }

  listDatasets(): Promise<ReadyMadeDataset[]> {
    return this.adminStore.list<ReadyMadeDataset>('dataset');
  }

  async deleteDataset(id: string): Promise<boolean> {
    const gone = await this.adminStore.delete('dataset', id);
    if (gone) await this.datasetsChanged();
    return gone;
  }

  /** Called with the whole admin-managed dataset list after each change (the assembly rebuilds its catalogue). */
  onDatasetsChanged(fn: (list: ReadyMadeDataset[]) => void): () => void {
    this.datasetListeners.add(fn);
    return () => this.datasetListeners.delete(fn);
  }

  private async datasetsChanged(): Promise<void> {
    const list = await this.listDatasets();
    for (const fn of this.datasetListeners) fn(list);
  }

  // ---- changes ----

  /** Recorded structural changes, newest release first; filtered by table and release date range (YYYY-MM-DD, inclusive). */
  async changes(f: { table?: string; from?: string; to?: string; limit?: number } = {}): Promise<ChangeRecord[]> {
    const all = await this.adminStore.list<ChangeRecord>('change');
    return all
      .filter((c) => (!f.table || c.tableId === f.table) && (!f.from || c.released.slice(0, 10) >= f.from) && (!f.to || c.released.slice(0, 10) <= f.to))
      .sort((a, b) => (a.released < b.released ? 1 : a.released > b.released ? -1 : b.version - a.version))
      .slice(0, f.limit ?? 500);
  }

  async close(): Promise<void> {
    await this.feed.close();
    if (this.ownsStore) await this.adminStore.close();
  }
}
