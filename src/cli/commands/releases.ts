// statbank releases: the scheduled releases (versions under embargo), soonest first.

import { formatReleaseTime } from '../../publishing/releaseTime.js';
import { withStore } from '../db.js';
import type { Cli } from '../io.js';

export async function releases(cli: Cli, o: { db?: string; json?: boolean }): Promise<void> {
  await withStore(o.db, { mustExist: true }, (store) => {
    const list = store.listScheduled();
    if (o.json) {
      const rows = list.map((r) => ({ id: r.record.id, version: r.record.version, releaseAt: r.releaseAt, cells: r.record.cells, title: r.record.meta.title, folders: r.record.folders }));
      return cli.out(JSON.stringify(rows, null, 2));
    }
    if (!list.length) return cli.out('No scheduled releases');
    for (const r of list) {
      const rec = r.record;
      const title = rec.meta.title[rec.meta.defaultLanguage] ?? Object.values(rec.meta.title)[0] ?? '';
      cli.out(`${formatReleaseTime(r.releaseAt, 'en')}  ${r.releaseAt}  ${rec.id} version ${rec.version}  ${rec.cells.toLocaleString('en')} cells  ${title}`);
    }
  });
}
