// Rate-limit counters in Redis, so "30 calls per 60 s" holds for a client across every server node. The same
// sliding window as the local limiter (every call is recorded, refused ones too), kept per budget and client in a
// sorted set of call times, updated by one script so concurrent nodes never race. When Redis is not reachable the
// caller falls back to its local counters (and logs it): losing Redis must never stop the service.

import type { Redis } from 'ioredis';
import { loadIoredis } from './ioredis.js';
import type { RateLimitResult } from './rateLimit.js';

// KEYS[1] = the client's set; ARGV = now (ms), window (ms), maxCalls, a unique member
const SLIDING_WINDOW = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
redis.call('ZADD', key, now, ARGV[4])
-- only whether more than max calls lie in the window matters: keep the newest max + 1
redis.call('ZREMRANGEBYRANK', key, 0, -(max + 2))
redis.call('PEXPIRE', key, window)
local count = redis.call('ZCARD', key)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return { count, tonumber(oldest[2]) }
`;

export interface RedisLimiterOptions {
  url: string;
  /** Told when Redis goes away or comes back. */
  log?: (msg: string) => void;
  /** Longest wait for Redis on one call before the local counters decide (ms). */
  timeoutMs?: number;
}

export class RedisRateCounters {
  private readonly redis: Redis;
  private seq = 0;
  private up = false;

  constructor(opts: RedisLimiterOptions) {
    const log = opts.log ?? (() => {});
    const { Redis: RedisClient } = loadIoredis();
    this.redis = new RedisClient(opts.url, {
      // fail fast instead of queueing calls while disconnected: the local limiter answers meanwhile
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.timeoutMs ?? 200,
      retryStrategy: (times) => Math.min(5000, 100 * times),
      lazyConnect: false,
    });
    this.redis.defineCommand('slidingWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW });
    this.redis.on('ready', () => {
      if (!this.up) log(`rate limits: counting in Redis (${redactUrl(opts.url)}), shared by every node`);
      this.up = true;
    });
    const down = (why: string) => {
      if (this.up) log(`rate limits: Redis unavailable (${why}); counting locally on this node until it is back`);
      this.up = false;
    };
    this.redis.on('error', (e: Error) => down(e.message));
    this.redis.on('close', () => down('connection closed'));
  }

  get ready(): boolean {
    return this.up && this.redis.status === 'ready';
  }

  /** Count a call; undefined when Redis could not answer (the caller counts locally). */
  async hit(budget: string, client: string, maxCalls: number, windowMs: number, now = Date.now()): Promise<RateLimitResult | undefined> {
    if (!this.ready) return undefined;
    try {
      const member = `${now}:${process.pid}:${++this.seq}`;
      const [count, oldest] = (await (this.redis as Redis & { slidingWindow(...a: (string | number)[]): Promise<[number, number]> }).slidingWindow(
        `statbank:rl:${budget}:${client}`,
        now,
        windowMs,
        maxCalls,
        member,
      )) as [number, number];
      if (count <= maxCalls) return { allowed: true, count, retryAfter: 0 };
      return { allowed: false, count, retryAfter: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    this.up = false;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
