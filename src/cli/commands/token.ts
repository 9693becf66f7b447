// statbank token create|list|revoke: bearer tokens for the admin API (/api/admin), stored hashed beside the tables
// (the store's SQLite file or PostgreSQL database). The token itself is printed once, at creation. Creating and
// revoking are written to the audit log (who: the operating-system user of the CLI, from: this host).

import { hostname, userInfo } from 'node:os';
import { openAdminStore, Admin } from '../../admin/admin.js';
import { createToken, isScope, listTokens, revokeToken, SCOPES } from '../../admin/tokens.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';

function operator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export async function tokenCreate(cli: Cli, o: { db?: string; name: string; scope: string; json?: boolean }): Promise<void> {
  if (!isScope(o.scope)) throw new CliError(`--scope must be one of ${SCOPES.join(', ')}`);
  await withStore(o.db, {}, async (store) => {
    const admin = new Admin(store, { baseUrl: '', adminStore: openAdminStore(store) });
    try {
      const { token, info } = await createToken(admin.adminStore, o.name, o.scope as 'publish' | 'admin', store.now());
      await admin.audit({ who: { name: operator() }, action: 'token create', target: info.id, from: hostname(), outcome: 'ok', details: { name: info.name, scope: info.scope } });
      if (o.json) return cli.out(JSON.stringify({ ...info, token }, null, 2));
      cli.out(`Token ${info.id} "${info.name}" (scope ${info.scope}). Keep it secret; it is not shown again:`);
      cli.out(token);
    } finally {
      await admin.adminStore.close();
    }
  });
}

export async function tokenList(cli: Cli, o: { db?: string; json?: boolean }): Promise<void> {
  await withStore(o.db, { mustExist: true }, async (store) => {
    const adminStore = openAdminStore(store);
    try {
      const list = await listTokens(adminStore);
      if (o.json) return cli.out(JSON.stringify(list, null, 2));
      if (!list.length) return cli.out('No tokens');
      for (const t of list) cli.out(`${t.id}  ${t.scope.padEnd(7)}  ${t.created}  ${t.revoked ? `revoked ${t.revoked}` : 'active'}  ${t.name}`);
    } finally {
      await adminStore.close();
    }
  });
}

export async function tokenRevoke(cli: Cli, id: string, o: { db?: string }): Promise<void> {
  await withStore(o.db, { mustExist: true }, async (store) => {
    const admin = new Admin(store, { baseUrl: '', adminStore: openAdminStore(store) });
    try {
      const info = await revokeToken(admin.adminStore, id, store.now());
      if (!info) throw new CliError(`No token ${id}`);
      await admin.audit({ who: { name: operator() }, action: 'token revoke', target: id, from: hostname(), outcome: 'ok' });
      cli.out(`Token ${id} "${info.name}" revoked ${info.revoked}`);
    } finally {
      await admin.adminStore.close();
    }
  });
}
