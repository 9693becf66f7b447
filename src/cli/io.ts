// What a command writes to and how it fails: run() hands each command a Cli over the caller's streams (the
// process's, or buffers in tests), and a CliError becomes a message and an exit code instead of process.exit.

export interface CliStream {
  write(chunk: string | Uint8Array): unknown;
  /** Progress bars draw only on a terminal. */
  isTTY?: boolean;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
}

/** A failure the user caused or can fix: printed without a stack trace, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export class Cli {
  constructor(readonly io: CliIo) {}

  /** A line on stdout. */
  out(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }

  /** A line on stderr. */
  err(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  /** Raw output (file contents) on stdout. */
  write(body: string | Uint8Array): void {
    this.io.stdout.write(body);
  }
}
