// statbank versions: a table's versions, scheduled ones included.

import { formatReleaseTime } from '../../publishing/releaseTime.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';

export async function versions(cli: Cli, id: string, o: { db?: string; json?: boolean }): Promise<void> {
  await withStore(o.db, { mustExist: true }, (store) => {
    const list = store.listVersions(id, { includePending: true });
    if (o.json) return cli.out(JSON.stringify(list, null, 2));
    if (!list.length) throw new CliError(`No table ${id}`);
    for (const v of list) {
      const state = v.pending ? `scheduled for ${formatReleaseTime(v.releaseAt ?? v.published, 'en')}` : v.current ? 'current' : 'earlier';
      const title = v.title.no ?? Object.values(v.title)[0] ?? '';
      cli.out(`${v.current ? '*' : ' '} version ${v.version}  ${state}  published ${v.published}  ${v.cells.toLocaleString('en')} cells  ${title}`);
    }
  });
}
