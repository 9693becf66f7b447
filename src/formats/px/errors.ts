// The one error type the PX reader throws: a file that cannot become a cube.
// Everything that still yields a usable cube is reported as a warning instead.

export class PxError extends Error {
  /** 1-based line in the file where the problem was found, when known. */
  readonly line?: number;

  constructor(message: string, line?: number) {
    super(line !== undefined ? `PX line ${line}: ${message}` : `PX: ${message}`);
    this.name = 'PxError';
    if (line !== undefined) this.line = line;
  }
}
