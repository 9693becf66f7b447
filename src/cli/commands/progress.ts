// A progress bar on the command's stderr (drawn only when it is a terminal).

import cliProgress from 'cli-progress';
import type { Cli } from '../io.js';

export function progressBar(cli: Cli, format: string): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    { format, hideCursor: true, noTTYOutput: false, stream: cli.io.stderr as NodeJS.WritableStream },
    cliProgress.Presets.shades_classic,
  );
}
