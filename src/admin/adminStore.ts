// The AdminStore port: where the office's administrative data lives (API tokens, the audit log, webhooks and their
// deliveries, ready-made datasets, headline templates, recorded table changes). Two shapes cover all of it:
//  - documents: JSON records keyed by (kind, id), listed in creation order; `insertNew` is the one atomic claim
//    (several server processes racing for the same key: exactly one wins), which is how a webhook delivery or a
//    change record is made once;
//  - logs: append-only JSON entries with a sequence number, read newest first (the audit log).
// Adapters: memory (tests, serving without a database), SQLite (a table in the store's file), PostgreSQL (the
// store's pool). test/admin/adminStore.test.ts runs one contract against all three.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json | undefined };

export interface LogEntry<T = unknown> {
  seq: number;
  entry: T;
}

export interface ReadLogOptions {
  /** Entries with a sequence number below this (paging backwards). */
  before?: number;
  /** At most this many (default 100). */
  limit?: number;
}

export interface AdminStore {
  get<T>(kind: string, id: string): Promise<T | undefined>;
  /** Every document of a kind, in creation order. */
  list<T>(kind: string): Promise<T[]>;
  /** Create or replace (a replaced document keeps its place in the order). */
  put(kind: string, id: string, doc: unknown): Promise<void>;
  /** Create only when absent; true when this call created it. Atomic across processes sharing the database. */
  insertNew(kind: string, id: string, doc: unknown): Promise<boolean>;
  delete(kind: string, id: string): Promise<boolean>;
  /** Append to a log; resolves to the entry's sequence number (increasing). */
  append(log: string, entry: unknown): Promise<number>;
  /** A log's entries, newest first. */
  readLog<T>(log: string, options?: ReadLogOptions): Promise<LogEntry<T>[]>;
  close(): Promise<void>;
}

export const DEFAULT_LOG_LIMIT = 100;

export function logLimit(o: ReadLogOptions | undefined): number {
  const n = o?.limit ?? DEFAULT_LOG_LIMIT;
  return Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), 10_000) : DEFAULT_LOG_LIMIT;
}

/** Documents are stored as JSON text: a caller never shares an object with the store. */
function copy<T>(x: unknown): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export function createMemoryAdminStore(): AdminStore {
  const docs = new Map<string, Map<string, string>>();
  const logs = new Map<string, { seq: number; text: string }[]>();
  let seq = 0;
  const kindOf = (k: string) => {
    let m = docs.get(k);
    if (!m) docs.set(k, (m = new Map()));
    return m;
  };
  return {
    async get<T>(kind: string, id: string) {
      const t = docs.get(kind)?.get(id);
      return t === undefined ? undefined : (JSON.parse(t) as T);
    },
    async list<T>(kind: string) {
      return [...(docs.get(kind)?.values() ?? [])].map((t) => JSON.parse(t) as T);
    },
    async put(kind, id, doc) {
      kindOf(kind).set(id, JSON.stringify(doc));
    },
    async insertNew(kind, id, doc) {
      const m = kindOf(kind);
      if (m.has(id)) return false;
      m.set(id, JSON.stringify(doc));
      return true;
    },
    async delete(kind, id) {
      return docs.get(kind)?.delete(id) ?? false;
    },
    async append(log, entry) {
      let l = logs.get(log);
      if (!l) logs.set(log, (l = []));
      l.push({ seq: ++seq, text: JSON.stringify(entry) });
      return seq;
    },
    async readLog<T>(log: string, o?: ReadLogOptions) {
      const l = logs.get(log) ?? [];
      const out: LogEntry<T>[] = [];
      for (let i = l.length - 1; i >= 0 && out.length < logLimit(o); i--) {
        if (o?.before !== undefined && l[i].seq >= o.before) continue;
        out.push({ seq: l[i].seq, entry: copy<T>(JSON.parse(l[i].text)) });
      }
      return out;
    },
    async close() {},
  };
}
