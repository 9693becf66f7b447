// The saved-query store contract, shared by every backend (memory, SQLite, PostgreSQL): each test file calls
// savedQueryContract() with how to open a fresh store and, where one exists, a second connection to the same data.

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  SavedQueryIdTakenError,
  createWithNumericId,
  isNumericSavedQueryId,
  type SavedQueryInput,
  type SavedQueryStore,
} from '../../src/savedQueries/index.js';

export interface SavedQueryAdapter {
  /** A fresh, empty store, and (for durable backends) a way to open another connection to the same data. */
  open(): Promise<{ store: SavedQueryStore; reopen?: () => Promise<SavedQueryStore> }>;
}

const input = (tableId = '07459'): SavedQueryInput => ({
  tableId,
  language: 'no',
  outputFormat: 'csv',
  outputFormatParams: ['UseTexts', 'SeparatorSemicolon'],
  selection: { selection: [{ variableCode: 'Tid', valueCodes: ['top(3)'], codelist: null }], placement: { heading: ['Tid'], stub: [] } },
});

export function savedQueryContract(name: string, adapter: SavedQueryAdapter): void {
  describe(`saved-query store contract (${name})`, () => {
    test('create returns a GUID-identified copy that get reads back equal; the caller cannot change it afterwards', async () => {
      const { store } = await adapter.open();
      const q = input();
      const saved = await store.create(q);
      assert.match(saved.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.ok(Math.abs(Date.parse(saved.created) - Date.now()) < 3_600_000, 'created is a current ISO time');
      (q.selection as { selection: unknown[] }).selection.length = 0;
      q.outputFormatParams.push('x');
      const back = await store.get(saved.id);
      assert.deepEqual(back, saved);
      assert.deepEqual(back?.outputFormatParams, ['UseTexts', 'SeparatorSemicolon']);
      assert.equal((back?.selection as { selection: unknown[] }).selection.length, 1);
      await store.close();
    });

    test('get: unknown and impossible ids are undefined', async () => {
      const { store } = await adapter.open();
      assert.equal(await store.get('00000000-0000-0000-0000-000000000000'), undefined);
      assert.equal(await store.get("x' OR '1'='1"), undefined);
      assert.equal(await store.get(''), undefined);
      await store.close();
    });

    test('a caller-chosen id is kept; a taken id gives SavedQueryIdTakenError; an impossible id is refused', async () => {
      const { store } = await adapter.open();
      const a = await store.create(input('A'), '10007797');
      assert.equal(a.id, '10007797');
      await assert.rejects(store.create(input('B'), '10007797'), SavedQueryIdTakenError);
      assert.equal((await store.get('10007797'))?.tableId, 'A', 'the first query is kept');
      await assert.rejects(store.create(input(), 'no/slashes'), (e: Error) => !(e instanceof SavedQueryIdTakenError) && /invalid/.test(e.message));
      await store.close();
    });

    test('createWithNumericId makes distinct 8-digit ids, and retries an id taken meanwhile', async () => {
      const { store } = await adapter.open();
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) {
        const s = await createWithNumericId(store, input(`T${i}`));
        assert.ok(isNumericSavedQueryId(s.id) && s.id.length === 8, s.id);
        assert.equal((await store.get(s.id))?.tableId, `T${i}`);
        ids.add(s.id);
      }
      assert.equal(ids.size, 5);
      // every id the generator tries first is taken: it must go on to a free one, not fail
      let calls = 0;
      const crowded: SavedQueryStore = {
        create: (q, id) => (++calls <= 3 ? Promise.reject(new SavedQueryIdTakenError(id ?? '')) : store.create(q, id)),
        get: (id) => store.get(id),
        close: () => store.close(),
      };
      const s = await createWithNumericId(crowded, input('crowded'));
      assert.equal(calls, 4);
      assert.equal((await store.get(s.id))?.tableId, 'crowded');
      // a failure that is not a taken id is not retried
      calls = 0;
      const broken: SavedQueryStore = { ...crowded, create: () => (++calls, Promise.reject(new Error('disk full'))) };
      await assert.rejects(createWithNumericId(broken, input()), /disk full/);
      assert.equal(calls, 1);
      await store.close();
    });

    test('a created query is there for another connection as soon as create() resolves', async () => {
      const { store, reopen } = await adapter.open();
      if (!reopen) {
        // memory: nothing outlives the store, but the store itself has it
        const s = await store.create(input());
        assert.equal((await store.get(s.id))?.id, s.id);
        await store.close();
        return;
      }
      const other = await reopen();
      const s = await store.create(input('durable'));
      assert.equal((await other.get(s.id))?.tableId, 'durable');
      await store.close();
      const again = await reopen();
      assert.equal((await again.get(s.id))?.tableId, 'durable', 'kept after the writer closed');
      await other.close();
      await again.close();
    });
  });
}
