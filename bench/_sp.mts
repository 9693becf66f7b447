import { openSqliteStore } from '../src/store/sqliteStore.js';
import { searchTables } from '../src/search/searchIndex.js';
import { SEARCH_WORDS } from '../bench/_scaleData.js';
const path = process.argv[2] ?? '/tmp/scale-dev/scale-20000.db';
let t = performance.now();
const s = openSqliteStore(path, { cacheBytes: 256 * 1024 * 1024 });
console.log('open ms', Math.round(performance.now() - t));
t = performance.now();
searchTables(s, 'folkemengde', { lang: 'no' });
console.log('first search ms', Math.round(performance.now() - t));
for (const lang of ['no', 'en']) for (const w of SEARCH_WORDS) {
  const t0 = performance.now();
  const h = searchTables(s, w, { lang });
  const a = performance.now() - t0;
  const t1 = performance.now();
  searchTables(s, w, { lang });
  const b = performance.now() - t1;
  console.log(lang, w.padEnd(24), String(h.length).padStart(6), a.toFixed(1).padStart(7), b.toFixed(1).padStart(7));
}
s.close();
