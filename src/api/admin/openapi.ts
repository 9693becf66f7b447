// The admin API's OpenAPI 3.1 document, built from the route table the plugin registers (routes.ts).

import type { Scope } from '../../admin/tokens.js';

export interface RouteDoc {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below /api/admin, with {param} segments ({path} takes the rest of the URL). */
  path: string;
  scope: Scope;
  summary: string;
  /** Query parameters and their descriptions. */
  query?: Record<string, string>;
  /** What the body is: a media type for raw uploads, else a JSON shape in words. */
  body?: string;
  /** The body is streamed to the handler (uploads). */
  stream?: boolean;
}

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] };

export function openApiDocument(routes: readonly RouteDoc[]): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    for (const [name, description] of Object.entries(r.query ?? {})) params.push({ name, in: 'query', required: false, schema: { type: 'string' }, description } as never);
    const op: Record<string, unknown> = {
      summary: r.summary,
      operationId: `${r.method.toLowerCase()}${r.path.replace(/\{(\w+)\}/g, 'By$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: [{ bearer: [r.scope] }],
      description: `Needs a token with scope \`${r.scope}\`${r.scope === 'publish' ? ' or `admin`' : ''}.`,
      parameters: params,
      responses: {
        '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
        ...(r.method === 'POST' ? { '201': { description: 'Created', content: { 'application/json': { schema: { type: 'object' } } } } } : {}),
        '400': { description: 'Invalid request', content: { 'application/json': { schema: error } } },
        '401': { description: 'No valid token (missing, unknown or revoked: the same answer)', content: { 'application/json': { schema: error } } },
        '403': { description: 'The token lacks the scope', content: { 'application/json': { schema: error } } },
        '404': { description: 'Not found', content: { 'application/json': { schema: error } } },
        ...(r.stream ? { '413': { description: 'The upload is too large', content: { 'application/json': { schema: error } } } } : {}),
      },
    };
    if (r.body) {
      op.requestBody = r.body.includes('/')
        ? { required: true, content: { [r.body]: { schema: { type: 'string', format: 'binary' } } } }
        : { required: true, description: r.body, content: { 'application/json': { schema: { type: 'object' } } } };
    }
    (paths[`/api/admin${r.path}`] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Statbank admin API',
      version: '1.0.0',
      description:
        'Publishing as an office runs it: upload PX files as new table versions, schedule, move and cancel releases, manage datasets, ' +
        'the subject tree, webhooks and headline templates, read the audit log. Tokens are made with `statbank token create --name <who> --scope publish|admin`.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from `statbank token create`' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
