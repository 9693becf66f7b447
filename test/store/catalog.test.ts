// The catalogue patches its folder listings and id-ordered table list for the tables a put or a release changes (no
// rebuild per change): the patched listings equal those built from scratch. Its change log tells a watcher which
// tables changed since a cursor.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryStore } from '../../src/store/memoryStore.js';
import type { Store } from '../../src/store/store.js';
import { cube } from './cubes.js';

const view = (s: Store) => ({
  root: s.listChildren('').map((c) => (c.kind === 'folder' ? `f:${c.folder.path}` : `t:${c.table.id}@${c.table.version}`)),
  a: s.listChildren('a').map((c) => (c.kind === 'folder' ? `f:${c.folder.path}` : `t:${c.table.id}@${c.table.version}`)),
  b: s.listChildren('a/b').map((c) => (c.kind === 'folder' ? `f:${c.folder.path}` : `t:${c.table.id}@${c.table.version}`)),
  all: s.listTables().map((t) => `${t.id}@${t.version}`),
});

test('listings patched put by put equal listings built from scratch', () => {
  const steps: [string, string[]][] = [
    ['m', ['a']],
    ['c', ['a', 'a/b']],
    ['x', []],
    ['a1', ['a/b']],
    ['c', ['a/b']], // moves out of a
    ['z', ['a']],
    ['m', ['a']], // new version, same place
    ['b', ['']],
  ];
  const patched = createMemoryStore();
  for (const s of [patched]) {
    s.putFolder('a', { no: 'A' });
    s.putFolder('a/b', { no: 'B' });
  }
  view(patched); // listings exist: later puts patch them
  steps.forEach(([id, folders], k) => {
    patched.putTable(cube(id, [2], (i) => i + k), { folders });
    const fresh = createMemoryStore();
    fresh.putFolder('a', { no: 'A' });
    fresh.putFolder('a/b', { no: 'B' });
    for (const [id2, f2] of steps.slice(0, k + 1)) fresh.putTable(cube(id2, [2], (i) => i), { folders: f2 });
    const want = view(fresh);
    // versions differ between the two stores only where a table was put twice: compare ids and order
    const strip = (v: ReturnType<typeof view>) => JSON.parse(JSON.stringify(v).replace(/@\d+/g, '')) as typeof v;
    assert.deepEqual(strip(view(patched)), strip(want), `after put ${k} (${id})`);
  });
  assert.deepEqual(view(patched).b, ['t:a1@1', 't:c@2']);
  assert.deepEqual(view(patched).all, ['a1@1', 'b@1', 'c@2', 'm@2', 'x@1', 'z@1']);
});

// (that they are patched rather than rebuilt is a speed matter: `npm run bench -- scale`, releaseAtScale)
test('listings after a release at its instant (patched, with other versions still under embargo) equal listings built from scratch', () => {
  let t = Date.parse('2026-12-07T06:00:00Z');
  const at = '2026-12-07T07:00:00.000Z';
  const s = createMemoryStore({ now: () => t });
  s.putFolder('a', { no: 'A' });
  s.putFolder('a/b', { no: 'B' });
  for (const [id, folders] of [['m', ['a']], ['c', ['a', 'a/b']], ['z', ['a/b']]] as [string, string[]][]) s.putTable(cube(id, [2], (i) => i), { folders });
  s.scheduleTable(cube('c', [2], (i) => i + 1), { releaseAt: at }); // same folders: patched
  s.scheduleTable(cube('new', [2], (i) => i), { releaseAt: '2026-12-08T07:00:00.000Z', folders: ['a/b'] }); // stays under embargo
  const before = view(s);
  assert.deepEqual(before.b, ['t:c@1', 't:z@1']);
  t = Date.parse(at);
  const after = view(s);
  assert.deepEqual(after.b, ['t:c@2', 't:z@1']);
  assert.deepEqual(after.all, ['c@2', 'm@1', 'z@1']);
  // the same catalogue built at once
  const fresh = createMemoryStore({ now: () => t });
  fresh.putFolder('a', { no: 'A' });
  fresh.putFolder('a/b', { no: 'B' });
  for (const [id, folders] of [['m', ['a']], ['c', ['a', 'a/b']], ['z', ['a/b']]] as [string, string[]][]) fresh.putTable(cube(id, [2], (i) => i), { folders });
  fresh.putTable(cube('c', [2], (i) => i + 1), { folders: ['a', 'a/b'] });
  fresh.scheduleTable(cube('new', [2], (i) => i), { releaseAt: '2026-12-08T07:00:00.000Z', folders: ['a/b'] });
  assert.deepEqual(view(s), view(fresh));
});

test('tableChanges: the tables whose visible record changed since a cursor, each once; null without one or when too old', () => {
  let t = Date.parse('2026-12-07T06:00:00Z');
  const s = createMemoryStore({ now: () => t });
  assert.equal(s.tableChanges().ids, null, 'no cursor: read the catalogue');
  const start = s.tableChanges().seq;
  s.putTable(cube('a', [2], (i) => i));
  s.putTable(cube('b', [2], (i) => i));
  s.putTable(cube('a', [2], (i) => i + 1));
  const c1 = s.tableChanges(start);
  assert.deepEqual(c1.ids?.sort(), ['a', 'b']);
  assert.deepEqual(s.tableChanges(c1.seq).ids, [], 'nothing since');
  s.scheduleTable(cube('b', [2], (i) => i + 5), { releaseAt: '2026-12-07T07:00:00Z' });
  assert.deepEqual(s.tableChanges(c1.seq).ids, [], 'a scheduled version changes nothing readers see');
  t = Date.parse('2026-12-07T07:00:00Z');
  const c2 = s.tableChanges(c1.seq);
  assert.deepEqual(c2.ids, ['b'], 'the release at its instant');
  s.deleteTable('a');
  assert.deepEqual(s.tableChanges(c2.seq).ids, ['a'], 'a table gone');
  assert.equal(s.tableChanges(-1).ids, null);
  assert.equal(s.tableChanges(c2.seq + 1000).ids, null, 'a cursor from elsewhere');
  assert.equal(s.tableChanges(1.5).ids, null);
  // more changes than the log keeps: an old cursor is no longer known
  const old = s.tableChanges().seq;
  for (let i = 0; i < 20_001; i++) s.putTable(cube(`t${i % 3}`, [1], () => i));
  assert.equal(s.tableChanges(old).ids, null);
});
