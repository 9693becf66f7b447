// PxWebApi 2.0 error bodies (§3.11). Application errors are `Problem` objects
// {type, title, status, detail?, instance?} sent as application/json with `type` "Parameter error";
// request-binding errors (bad parameter shapes, malformed JSON bodies, missing required fields) are
// ASP.NET-style validation problems sent as application/problem+json.

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/json; charset=utf-8';
export const VALIDATION_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
const VALIDATION_TYPE = 'https://tools.ietf.org/html/rfc9110#section-15.5.1';

/** An error answered with `body` and HTTP status `httpStatus` (which may differ from `body.status`). */
export class V2HttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: Problem | ValidationProblem,
    readonly contentType: string = PROBLEM_CONTENT_TYPE,
  ) {
    super(body.title + ('detail' in body && body.detail ? `: ${body.detail}` : ''));
    this.name = 'V2HttpError';
  }
}

export interface ValidationProblem {
  type: string;
  title: string;
  status: number;
  errors: Record<string, string[]>;
}

/** A Problem in the reference key order; `detail` only when given. */
export function problem(status: number, title: string, detail?: string, type = 'Parameter error'): Problem {
  const p: Problem = { type, title, status };
  if (detail !== undefined && detail !== '') p.detail = detail;
  return p;
}

export function problemError(httpStatus: number, title: string, detail?: string, bodyStatus = httpStatus, type?: string): V2HttpError {
  return new V2HttpError(httpStatus, problem(bodyStatus, title, detail, type));
}

/** A request-binding error for one parameter or body field. */
export function validationError(field: string, message: string): V2HttpError {
  const body: ValidationProblem = {
    type: VALIDATION_TYPE,
    title: 'One or more validation errors occurred.',
    status: 400,
    errors: { [field]: [message] },
  };
  return new V2HttpError(400, body, VALIDATION_CONTENT_TYPE);
}

export const unsupportedLanguage = () => problemError(400, 'Unsupported language');
/** `/tables/{id}`, `/metadata`, `/defaultselection`: HTTP 404. */
export const tableNotFound = (id: string) => problemError(404, 'Non-existent table', `no table ${id}`);
/** The data endpoints answer an unknown table with HTTP 400 and a body saying 404 (as the reference does). */
export const dataTableNotFound = (id: string) => problemError(400, 'Non-existent table', `no table ${id}`, 404);
export const unsupportedOutputFormat = (detail = 'Unsupported output format') => problemError(400, 'Unsupported output format', detail);
export const pageNotFound = () => problemError(404, 'Non-existent page', 'Non-existent page');
/** `/codelists/{id}`: HTTP 404 with a body saying 400 (reference quirk). */
export const codelistNotFound = (id: string) => problemError(404, 'Non-existent codelist', `no codelist ${id}`, 400);
export const savedQueryNotFound = () => problemError(404, 'Saved query not found', 'Saved query not found');
