// statbank reschedule: move a scheduled release to another time.

import { formatReleaseTime, releaseInstant } from '../../publishing/releaseTime.js';
import { withStore } from '../db.js';
import { CliError, type Cli } from '../io.js';

export async function reschedule(cli: Cli, id: string, o: { db?: string; date: string; time: string; timeZone: string; version?: number }): Promise<void> {
  await withStore(o.db, { mustExist: true }, (store) => {
    const releaseAt = releaseInstant(o.date, o.time, o.timeZone);
    if (Date.parse(releaseAt) <= Date.now()) throw new CliError(`The release time ${releaseAt} has passed`);
    const mine = store.listScheduled().filter((r) => r.record.id === id);
    const version: number | undefined = o.version ?? (mine.length === 1 ? mine[0].record.version : undefined);
    if (version === undefined) {
      throw new CliError(mine.length ? `${id} has several scheduled versions (${mine.map((r) => r.record.version).join(', ')}): give --version` : `No scheduled release of ${id}`);
    }
    const r = store.rescheduleRelease(id, version, releaseAt);
    cli.out(`Rescheduled ${id} version ${version} for ${formatReleaseTime(r.releaseAt, 'en', o.timeZone)} ${o.timeZone} (${r.releaseAt})`);
  });
}
