// The table list readers will get at a coming instant, from what any store exposes to release tooling: the
// current list plus the scheduled versions due by then. Per table the scheduled version released last wins (release
// time, then version), as the store's own catalog decides at the instant. Used to build search indexes ahead of a
// release; it assumes nothing else changes before then (a put, delete or cancel makes a different catalogue).

import type { ScheduledRelease, Store, TableRecord } from '../store/store.js';

/** The table records the store will list at `atMs` (epoch ms) if only its scheduled releases happen, in id order. */
export function catalogueAt(store: Store, atMs: number, scheduled: readonly ScheduledRelease[] = store.listScheduled()): TableRecord[] {
  const byId = new Map<string, TableRecord>();
  for (const r of store.listTables()) byId.set(r.id, r);
  const due = scheduled
    .map((s) => ({ record: s.record, ms: Date.parse(s.releaseAt) }))
    .filter((s) => s.ms <= atMs)
    .sort((a, b) => a.ms - b.ms || a.record.version - b.record.version);
  for (const s of due) byId.set(s.record.id, s.record);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
