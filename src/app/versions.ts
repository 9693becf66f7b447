// Earlier versions of a table in the APIs: `?version=N` or `?asOf=<time>` picks the version that was public then.
// Only released versions are ever candidates (the store never lists one under embargo), so asOf in the future gives
// today's version, never the coming one.

import type { Store, TableRecord, VersionInfo } from '../store/store.js';

export class VersionNotFound extends Error {}

export interface VersionRequest {
  version?: string | null;
  asOf?: string | null;
}

/** Whether the request names a version at all. */
export function asksForVersion(q: VersionRequest): boolean {
  return (q.version !== undefined && q.version !== null && q.version !== '') || (q.asOf !== undefined && q.asOf !== null && q.asOf !== '');
}

/** The released version a request names: by number, or the one public at a time. Throws VersionNotFound. */
export function pickVersion(versions: readonly VersionInfo[], q: VersionRequest): VersionInfo {
  const released = versions.filter((v) => !v.pending);
  if (q.version !== undefined && q.version !== null && q.version !== '') {
    if (!/^\d{1,9}$/.test(q.version)) throw new VersionNotFound(`version must be a whole number, not ${JSON.stringify(q.version)}`);
    const n = Number(q.version);
    const v = released.find((x) => x.version === n);
    if (!v) throw new VersionNotFound(`no released version ${n}; released versions: ${released.map((x) => x.version).join(', ') || 'none'}`);
    return v;
  }
  const t = Date.parse(String(q.asOf));
  if (Number.isNaN(t)) throw new VersionNotFound(`asOf must be a time such as 2025-06-01 or 2025-06-01T08:00:00Z, not ${JSON.stringify(q.asOf)}`);
  let best: VersionInfo | undefined;
  for (const v of released) if (Date.parse(v.published) <= t && (!best || v.version > best.version)) best = v;
  if (!best) throw new VersionNotFound(`the table was not public at ${new Date(t).toISOString()}`);
  return best;
}

/**
 * The record of the version a request names (the current record when it names none). The metadata is that
 * version's own, read with its cube.
 */
export async function recordAt(store: Store, rec: TableRecord, q: VersionRequest): Promise<TableRecord> {
  if (!asksForVersion(q)) return rec;
  const v = pickVersion(store.listVersions(rec.id), q);
  if (v.version === rec.version) return rec;
  const cube = await store.getCube(rec.id, { version: v.version });
  return { ...rec, meta: cube.meta, version: v.version, published: v.published, cells: v.cells };
}
