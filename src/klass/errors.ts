// The one error type of the Klass domain and API: an HTTP status and the exact `detail` text Klass answers with.
// The HTTP layer renders it as a ProblemDetail (JSON/XML) or as the plain message (CSV).

export class KlassError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'KlassError';
  }
}

export const notFound = (message: string) => new KlassError(404, message);
export const badRequest = (message: string) => new KlassError(400, message);
