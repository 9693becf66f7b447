// PxWebApi 2.0 (/api/v2 and /api/pxwebapi/v2). Filled in by issue 4.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server/app.js';

export async function v2Routes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
