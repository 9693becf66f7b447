// The Admin of a server: one per AppContext, shared by the admin, events and changes plugins. Made on first use
// beside the context's store (its release feed started), closed when the last plugin using it closes; an assembly
// or a test may attach its own first (attachAdmin), which it then closes itself.

import type { FastifyInstance } from 'fastify';
import { Admin, type AdminOptions } from '../../admin/admin.js';
import { baseUrlOf } from '../../app/config.js';
import type { AppContext } from '../../app/context.js';

interface Entry {
  admin: Admin;
  owned: boolean;
  users: number;
}

const admins = new WeakMap<AppContext, Entry>();

/** Use this Admin for the context's plugins (its owner starts the feed and closes it). */
export function attachAdmin(ctx: AppContext, admin: Admin): void {
  admins.set(ctx, { admin, owned: false, users: 0 });
  serveManagedDatasets(ctx, admin, () => {});
}

/**
 * Datasets managed through the admin API are served with the configured ones, at once when they change: on this
 * node directly, on the others when the cluster bus tells them to read the list again.
 */
function serveManagedDatasets(ctx: AppContext, admin: Admin, onError: (err: unknown) => void): void {
  const reload = () => admin.listDatasets().then((list) => ctx.datasets.setManaged(list), onError);
  admin.onDatasetsChanged((list) => {
    ctx.datasets.setManaged(list);
    ctx.bus.publish(DATASETS_TOPIC);
  });
  ctx.bus.subscribe(DATASETS_TOPIC, (_message, origin) => {
    if (origin !== 'local') void reload();
  });
  void reload();
}

const DATASETS_TOPIC = 'datasets';

/** The context's Admin for a plugin; released when the plugin's server closes. */
export function adminFor(app: FastifyInstance, ctx: AppContext, options: Partial<AdminOptions> = {}): Admin {
  let e = admins.get(ctx);
  if (!e) {
    const admin = new Admin(ctx.store, { baseUrl: ctx.config.baseUrl?.replace(/\/+$/, '') || baseUrlOf(ctx.config), log: app.log, ...options });
    admin.feed.start();
    serveManagedDatasets(ctx, admin, (err) => app.log.warn({ err }, 'managed datasets could not be read'));
    e = { admin, owned: true, users: 0 };
    admins.set(ctx, e);
  }
  const entry = e;
  entry.users++;
  app.addHook('onClose', async () => {
    if (--entry.users === 0 && entry.owned) {
      admins.delete(ctx);
      await entry.admin.close();
    }
  });
  return entry.admin;
}
