// A table exported as PX (which cannot carry value sets and groupings) and imported again keeps them, with a warning,
// so the ready-made datasets that use them keep working.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import { generateDemo } from '../../src/demo/index.js';
import { writePx } from '../../src/formats/px/writer.js';
import { openStore } from '../../src/store/index.js';

test('import of a republished table keeps its value sets and groupings and says so', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'statbank-repub-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, 'db.sqlite');
  const store = openStore(db);
  await generateDemo(store, { small: true });
  const before = store.getTable('07459')!.meta.variables.find((v) => v.code === 'Region')!;
  const sets = (before.valueSets ?? []).map((s) => s.id).sort();
  const groupings = (before.groupings ?? []).map((g) => g.id).sort();
  assert.ok(sets.length > 0 && groupings.length > 0, 'the demo table has value sets and groupings');
  writeFileSync(join(dir, '07459.px'), writePx(await store.getCube('07459')));
  const version = store.getTable('07459')!.version;
  store.close();

  let out = '';
  const io = { stdout: { write: (s: string) => ((out += s), true) }, stderr: { write: () => true } } as unknown as Parameters<typeof run>[1];
  assert.equal(await run(['import', join(dir, '07459.px'), '--db', db], io), 0, out);
  const again = openStore(db);
  try {
    const rec = again.getTable('07459')!;
    const region = rec.meta.variables.find((v) => v.code === 'Region')!;
    assert.deepEqual((region.valueSets ?? []).map((s) => s.id).sort(), sets);
    assert.deepEqual((region.groupings ?? []).map((g) => g.id).sort(), groupings);
    assert.ok(rec.version >= version);
    assert.match(out, /warn .*07459\.px/);
  } finally {
    again.close();
  }
});
