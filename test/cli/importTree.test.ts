// `statbank import <folder tree>`: sub-folders become the subject tree (labels from folder.json, else the PX
// SUBJECT-AREA, else the name), and running the import again skips tables stored with the same content.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePx } from '../../src/formats/px/writer.js';
import { openSqliteStore } from '../../src/store/sqliteStore.js';
import { simpleCube } from '../query/cube07459.js';
import { cli } from './runCli.js';

function table(id: string, title: string, extra: Record<string, unknown> = {}, years = ['2023', '2024']) {
  return simpleCube(
    id,
    title,
    [
      { code: 'Region', label: 'region', values: [['0301', 'Oslo'], ['4601', 'Bergen']] },
      { code: 'Tid', label: 'år', values: years.map((y) => [y, y] as [string, string]), time: true },
    ],
    extra,
  );
}

test('a folder tree maps to the subject tree, and a second run skips what is stored already', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-tree-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'be', 'be01'), { recursive: true });
  mkdirSync(join(tree, 'tr', 'tr01'), { recursive: true });
  writeFileSync(join(tree, 'be', 'folder.json'), JSON.stringify({ label: { no: 'Befolkning', en: 'Population' }, sort: '02' }));
  writeFileSync(join(tree, 'be', 'be01', 'folder.json'), JSON.stringify({ no: 'Folketall', en: 'Population count' }));
  writeFileSync(join(tree, 'be', 'be01', '11111.px'), writePx(table('11111', 'Folkemengde')));
  writeFileSync(join(tree, 'tr', 'tr01', '22222.px'), writePx(table('22222', 'Godstransport', { subjectArea: { no: 'Godstransport på vei' } })));
  writeFileSync(join(tree, '33333.px'), writePx(table('33333', 'Utenfor treet')));
  const db = join(dir, 'x.db');

  const r = await cli(['import', tree, '--db', db, '--folder', 'ssb']);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Imported 3 of 3 files/);
  assert.match(r.stdout, /MB\/s/);
  let s = openSqliteStore(db);
  try {
    assert.deepEqual(s.getTable('11111')?.folders, ['ssb/be/be01']);
    assert.deepEqual(s.getTable('22222')?.folders, ['ssb/tr/tr01']);
    assert.deepEqual(s.getTable('33333')?.folders, ['ssb'], 'a file at the root of the tree lands in --folder');
    assert.deepEqual(s.getFolder('ssb/be')?.label, { no: 'Befolkning', en: 'Population' });
    assert.equal(s.getFolder('ssb/be')?.sort, '02');
    assert.deepEqual(s.getFolder('ssb/be/be01')?.label, { no: 'Folketall', en: 'Population count' });
    assert.equal(s.getFolder('ssb/tr/tr01')?.label.no, 'Godstransport på vei', 'from SUBJECT-AREA');
    assert.equal(s.getFolder('ssb/tr')?.label.no, 'tr', 'no folder file, not a leaf: the name');
    assert.deepEqual(
      s.listChildren('ssb').map((c) => (c.kind === 'folder' ? c.folder.path : c.table.id)),
      ['ssb/be', 'ssb/tr', '33333'],
    );
  } finally {
    s.close();
  }

  // again, one table changed: only that one is stored
  writeFileSync(join(tree, 'be', 'be01', '11111.px'), writePx(table('11111', 'Folkemengde', {}, ['2023', '2024', '2025'])));
  const again = await cli(['import', tree, '--db', db, '--folder', 'ssb']);
  assert.equal(again.status, 0, again.stderr + again.stdout);
  assert.match(again.stdout, /Imported 3 of 3 files .*\(2 unchanged, skipped\)/);
  assert.match(again.stdout, /11111 \(6 cells, version 2\)/);
  assert.match(again.stdout, /22222 \(4 cells, unchanged, version 1\)/);
  s = openSqliteStore(db);
  try {
    assert.equal(s.getTable('11111')?.version, 2);
    assert.equal(s.getTable('22222')?.version, 1);
    assert.equal(s.getTable('11111')?.summary.lastPeriod, '2025');
  } finally {
    s.close();
  }
});
