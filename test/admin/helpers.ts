// A server on a memory store whose clock the test moves, with an Admin the test holds (its release feed is driven
// by the test: `check()` after moving the clock, never a timer).

import type { FastifyInstance } from 'fastify';
import { Admin } from '../../src/admin/admin.js';
import { createMemoryAdminStore } from '../../src/admin/adminStore.js';
import { createToken, revokeToken, type Scope } from '../../src/admin/tokens.js';
import { attachAdmin } from '../../src/api/admin/adminContext.js';
import { loadConfig } from '../../src/app/config.js';
import { createAppContext, type AppContext } from '../../src/app/context.js';
import { buildApp } from '../../src/server/app.js';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';

export const T0 = Date.parse('2026-11-30T12:00:00.000Z');

export interface Harness {
  app: FastifyInstance;
  ctx: AppContext;
  admin: Admin;
  store: Store;
  /** Move the store's clock. */
  at(ms: number): void;
  token(scope: Scope, name?: string): Promise<string>;
  revoked(): Promise<string>;
  close(): Promise<void>;
}

export async function harness(opts: { store?: Store; baseDelayMs?: number; maxAttempts?: number } = {}): Promise<Harness> {
  let t = T0;
  const store = opts.store ?? createMemoryStore({ now: () => t });
  const ctx = createAppContext({ store, config: loadConfig({ maxCalls: 0, baseUrl: 'https://stat.example' }, {}) });
  const admin = new Admin(store, {
    baseUrl: 'https://stat.example',
    adminStore: createMemoryAdminStore(),
    delivery: { baseDelayMs: opts.baseDelayMs ?? 1, maxAttempts: opts.maxAttempts ?? 4, timeoutMs: 5000 },
  });
  attachAdmin(ctx, admin);
  const app = await buildApp(ctx, { logger: false });
  await app.ready();
  return {
    app,
    ctx,
    admin,
    store,
    at: (ms) => (t = ms),
    token: async (scope, name = `${scope} user`) => (await createToken(admin.adminStore, name, scope, store.now())).token,
    revoked: async () => {
      const { token, info } = await createToken(admin.adminStore, 'gone', 'admin', store.now());
      await revokeToken(admin.adminStore, info.id, store.now());
      return token;
    },
    close: async () => {
      await app.close();
      await admin.close();
      await ctx.close();
      store.close();
    },
  };
}
