// Runs the statbank CLI in-process through run(), capturing what it writes: the tests' way to call a command.

import { run } from '../../src/cli/run.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
  /** stdout as bytes (binary exports). */
  bytes: Buffer;
}

export async function cli(args: string[]): Promise<CliResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]) => ({ write: (c: string | Uint8Array) => into.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c)) });
  const status = await run(args, { stdout: sink(out), stderr: sink(err) });
  const bytes = Buffer.concat(out);
  return { status, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes };
}
