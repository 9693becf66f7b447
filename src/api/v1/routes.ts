// PxWeb API v1 as Statistics Norway serves it (/api/v0/{lang}/table/...). Filled in by issue 3.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../server/app.js';

export async function v1Routes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
