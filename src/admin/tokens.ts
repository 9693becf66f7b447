// API tokens for the admin API: `sbk_<id>_<secret>` with a 32-byte random secret. Only the SHA-256 of the whole
// token is stored (the document key), so a copy of the database gives no usable token; the id is public (lists,
// audit log, revocation). Scopes: `publish` (tables, releases, versions) and `admin` (everything, publish included).

import { createHash, randomBytes } from 'node:crypto';
import type { AdminStore } from './adminStore.js';

export const SCOPES = ['publish', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(s: unknown): s is Scope {
  return typeof s === 'string' && (SCOPES as readonly string[]).includes(s);
}

/** Whether a token's scope allows what a route needs (admin includes publish). */
export function allows(have: Scope, need: Scope): boolean {
  return have === 'admin' || have === need;
}

export interface TokenInfo {
  id: string;
  name: string;
  scope: Scope;
  created: string;
  revoked?: string;
}

const KIND = 'token';
/** The id -> hash index, so a token can be revoked by its public id. */
const BY_ID = 'token-id';

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokenError extends Error {}

export async function createToken(store: AdminStore, name: string, scope: Scope, now: number): Promise<{ token: string; info: TokenInfo }> {
  if (!name.trim()) throw new TokenError('a token needs a name');
  if (!isScope(scope)) throw new TokenError(`scope must be one of ${SCOPES.join(', ')}`);
  for (;;) {
    const id = randomBytes(6).toString('hex');
    const token = `sbk_${id}_${randomBytes(32).toString('base64url')}`;
    const info: TokenInfo = { id, name: name.trim(), scope, created: new Date(now).toISOString() };
    if (!(await store.insertNew(BY_ID, id, { hash: hashToken(token) }))) continue; // id taken: draw again
    await store.put(KIND, hashToken(token), info);
    return { token, info };
  }
}

export async function listTokens(store: AdminStore): Promise<TokenInfo[]> {
  return store.list<TokenInfo>(KIND);
}

/** Revoke by id; the revoked token stays listed (with its revocation time) for the record. */
export async function revokeToken(store: AdminStore, id: string, now: number): Promise<TokenInfo | undefined> {
  const ref = await store.get<{ hash: string }>(BY_ID, id);
  if (!ref) return undefined;
  const info = await store.get<TokenInfo>(KIND, ref.hash);
  if (!info) return undefined;
  if (!info.revoked) {
    info.revoked = new Date(now).toISOString();
    await store.put(KIND, ref.hash, info);
  }
  return info;
}

/** The live token a bearer string names, or undefined (unknown, malformed and revoked alike). */
export async function verifyToken(store: AdminStore, token: string | undefined): Promise<TokenInfo | undefined> {
  if (!token || token.length > 200 || !token.startsWith('sbk_')) return undefined;
  const info = await store.get<TokenInfo>(KIND, hashToken(token));
  return info && !info.revoked ? info : undefined;
}
