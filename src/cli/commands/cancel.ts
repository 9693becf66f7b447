// statbank cancel: drop a scheduled release (all of the table's scheduled versions unless --version).

import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';

export async function cancel(cli: Cli, id: string, o: { db?: string; version?: number }): Promise<void> {
  await withStore(o.db, { mustExist: true }, (store) => {
    const gone = store.cancelRelease(id, o.version);
    if (!gone.length) throw new CliError(`No scheduled release of ${id}`);
    cli.out(`Cancelled ${id} version${gone.length > 1 ? 's' : ''} ${gone.join(', ')}`);
  });
}
