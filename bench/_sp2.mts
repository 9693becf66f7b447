import { openSqliteStore } from '../src/store/sqliteStore.js';
import { searchTables } from '../src/search/searchIndex.js';
const s = openSqliteStore('/tmp/scale-dev/scale-20000.db', { cacheBytes: 256 * 1024 * 1024 });
searchTables(s, 'oslo', { lang: 'no' });
const t = performance.now();
for (let i = 0; i < 20; i++) for (const q of ['oslo', 'kommune', 'region', '"hele landet"']) searchTables(s, q, { lang: 'no' });
console.log('avg ms', (performance.now() - t) / 80);
s.close();
