// ioredis costs ~200 ms of CPU to load: only a node configured with Redis (REDIS_URL) pays it, on first use.

import { createRequire } from 'node:module';

const requireCjs = createRequire(import.meta.url);

export type IoRedis = typeof import('ioredis');

export function loadIoredis(): IoRedis {
  return requireCjs('ioredis') as IoRedis;
}
