import { openSqliteStore } from '../src/store/sqliteStore.js';
import { searchTables, searchPage } from '../src/search/searchIndex.js';
import assert from 'node:assert/strict';
const s = openSqliteStore('/tmp/scale-dev/scale-20000.db', { cacheBytes: 256 * 1024 * 1024 });
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (const q of ['oslo', 'kommune', 'region', '"hele landet"', 'folkemengde AND oslo', 'kjønn', 'lønn OR inntekt']) {
  const full = searchTables(s, q, { lang: 'no' });
  for (const [off, lim] of [[0, 20], [40, 20], [0, 1], [16900, 100]]) {
    const p = searchPage(s, q, { lang: 'no', offset: off, limit: lim });
    assert.equal(p.total, full.length);
    assert.deepEqual(p.hits.map((h) => [h.record.id, h.score]), full.slice(off, off + lim).map((h) => [h.record.id, h.score]), q + off);
  }
  let c = cpu(); let w = performance.now();
  for (let i = 0; i < 10; i++) searchTables(s, q, { lang: 'no' });
  const fullCpu = (cpu() - c) / 10, fullWall = (performance.now() - w) / 10;
  c = cpu(); w = performance.now();
  for (let i = 0; i < 10; i++) searchPage(s, q, { lang: 'no', limit: 20 });
  console.log(q.padEnd(22), String(full.length).padStart(6), 'full cpu', fullCpu.toFixed(1), 'wall', fullWall.toFixed(1), '| page cpu', ((cpu() - c) / 10).toFixed(1), 'wall', ((performance.now() - w) / 10).toFixed(1));
}
s.close();
