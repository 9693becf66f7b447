import { openSqliteStore } from '../src/store/sqliteStore.js';
import { searchPage } from '../src/search/searchIndex.js';
const s = openSqliteStore('/tmp/scale-dev/scale-20000.db', { cacheBytes: 256 * 1024 * 1024 });
searchPage(s, 'oslo', { lang: 'no', limit: 20 });
for (let i = 0; i < 100; i++) searchPage(s, 'oslo', { lang: 'no', limit: 20 });
s.close();
