// The saved-query contract run three times: memory, SQLite (the store's file) and PostgreSQL (the store's
// database), each store obtained through openSavedQueryStore() from the matching Store, as the server does.

import { after, before, describe } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSavedQueryStore } from '../../src/savedQueries/index.js';
import { closeStore, createMemoryStore, openStoreUrl, type Store } from '../../src/store/index.js';
import { pgSkip, startPgCluster, type PgCluster } from '../store/pgCluster.js';
import { savedQueryContract } from './savedQueryContract.js';

const dir = mkdtempSync(join(tmpdir(), 'statbank-sq-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const stores: Store[] = [];
let n = 0;

async function storeAt(url: string): Promise<Store> {
  const s = await openStoreUrl(url);
  stores.push(s);
  return s;
}

savedQueryContract('memory', {
  open: async () => ({ store: openSavedQueryStore(createMemoryStore()) }),
});

savedQueryContract('sqlite', {
  open: async () => {
    const path = join(dir, `sq${n++}.db`);
    return { store: openSavedQueryStore(await storeAt(path)), reopen: async () => openSavedQueryStore(await storeAt(path)) };
  },
});

describe('postgres', { skip: pgSkip }, () => {
  let cluster: PgCluster | undefined;
  before(async () => {
    cluster = await startPgCluster();
  });
  after(async () => {
    for (const s of stores.splice(0)) await closeStore(s).catch(() => {});
    cluster?.stop();
  });
  savedQueryContract('postgres', {
    open: async () => {
      const url = await cluster!.freshDb();
      return { store: openSavedQueryStore(await storeAt(url)), reopen: async () => openSavedQueryStore(await storeAt(url)) };
    },
  });
});

after(async () => {
  for (const s of stores.splice(0)) await closeStore(s).catch(() => {});
});
