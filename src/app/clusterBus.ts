// Messages between the nodes of one service: "this changed, read it again" (the datasets managed through the admin
// API, say). Tables need none of this: their answers are cached by version, and the PostgreSQL store tells the
// other nodes of new versions itself. With Redis (REDIS_URL) a message reaches every node; without it only this
// process. A node that loses Redis keeps serving; when Redis is back its listeners are told to read everything
// again ("resync"), since messages sent meanwhile are lost (Redis pub/sub keeps nothing).

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { loadIoredis } from './ioredis.js';

/** `local`: published in this process; `remote`: by another node; `resync`: messages may have been missed. */
export type BusOrigin = 'local' | 'remote' | 'resync';
export type BusListener = (message: string, origin: BusOrigin) => void;

export interface ClusterBusOptions {
  redisUrl?: string;
  /** Channel prefix, so several services can share one Redis. */
  prefix?: string;
  log?: (msg: string) => void;
}


export class ClusterBus {
  /** This process's id in messages (its own messages come back from Redis and are skipped). */
  readonly node = randomUUID();
  private readonly listeners = new Map<string, Set<BusListener>>();
  private readonly prefix: string;
  private pub?: Redis;
  private sub?: Redis;
  private connected = false;
  private wasConnected = false;

  constructor(private readonly opts: ClusterBusOptions = {}) {
    this.prefix = opts.prefix ?? 'statbank:bus:';
    if (!opts.redisUrl) return;
    const { Redis: RedisClient } = loadIoredis();
    const common = { retryStrategy: (times: number) => Math.min(5000, 100 * times), lazyConnect: false };
    // publishing never waits for a lost Redis (the local listeners already have the message)
    this.pub = new RedisClient(opts.redisUrl, { ...common, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    this.sub = new RedisClient(opts.redisUrl, common);
    this.pub.on('error', () => {});
    this.sub.on('error', () => {});
    this.sub.on('ready', () => {
      void this.sub!.psubscribe(`${this.prefix}*`).then(() => {
        this.connected = true;
        if (this.wasConnected) this.resync();
        this.wasConnected = true;
      }, () => {});
    });
    this.sub.on('end', () => (this.connected = false));
    this.sub.on('close', () => {
      if (this.connected) opts.log?.('cluster messages: Redis unavailable; changes made on other nodes arrive when it is back');
      this.connected = false;
    });
    this.sub.on('pmessage', (_pattern: string, channel: string, raw: string) => {
      let m: { node?: string; message?: string };
      try {
        m = JSON.parse(raw) as typeof m;
      } catch {
        return;
      }
      if (m.node === this.node) return;
      this.deliver(channel.slice(this.prefix.length), String(m.message ?? ''), 'remote');
    });
  }

  /** `shared`: messages reach every node (Redis connected); `local`: this process only. */
  get mode(): 'shared' | 'local' {
    return this.connected ? 'shared' : 'local';
  }

  /** Tell this process's listeners at once, and the other nodes through Redis when it is there. */
  publish(topic: string, message = ''): void {
    this.deliver(topic, message, 'local');
    if (this.pub && this.pub.status === 'ready') {
      this.pub.publish(this.prefix + topic, JSON.stringify({ node: this.node, message })).catch(() => {});
    }
  }

  subscribe(topic: string, fn: BusListener): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(fn);
    return () => set!.delete(fn);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all([this.pub, this.sub].map((r) => (r ? r.quit().catch(() => r.disconnect()) : undefined)));
  }

  private resync(): void {
    for (const topic of this.listeners.keys()) this.deliver(topic, '', 'resync');
  }

  private deliver(topic: string, message: string, origin: BusOrigin): void {
    for (const fn of this.listeners.get(topic) ?? []) {
      try {
        fn(message, origin);
      } catch (e) {
        this.opts.log?.(`cluster message ${topic}: ${(e as Error).message}`);
      }
    }
  }
}
