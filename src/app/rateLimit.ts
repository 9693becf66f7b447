// A per-client sliding-window rate limiter, as PxWeb's RequestLimiter works: every call is recorded
// *before* the check (so rejected calls count too) and a client is refused while more than `maxCalls`
// calls fall within the last `timeWindow` seconds. RateLimits below holds the application's budgets.

export interface RateLimitOptions {
  /** Calls allowed per window; 0 or less disables the limiter. */
  maxCalls: number;
  /** Window length in seconds. */
  timeWindow: number;
  /** Clock in milliseconds (tests inject their own). */
  now?: () => number;
  /** Forget clients beyond this many (the least recently seen go first). */
  maxClients?: number;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Calls counted in the current window, this one included. */
  count: number;
  /** Seconds until the oldest counted call leaves the window (at least 1 when refused, 0 when allowed). */
  retryAfter: number;
}

export class SlidingWindowRateLimiter {
  readonly maxCalls: number;
  readonly windowMs: number;
  private readonly now: () => number;
  private readonly maxClients: number;
  /** client -> timestamps (ms) of its recent calls, oldest first; at most maxCalls + 1 kept. */
  private readonly calls = new Map<string, number[]>();

  constructor(opts: RateLimitOptions) {
    this.maxCalls = Math.floor(opts.maxCalls);
    this.windowMs = Math.max(0, opts.timeWindow) * 1000;
    this.now = opts.now ?? Date.now;
    this.maxClients = opts.maxClients ?? 100_000;
  }

  get enabled(): boolean {
    return this.maxCalls > 0 && this.windowMs > 0;
  }

  /** Record a call by `client` and say whether it may proceed. */
  hit(client: string): RateLimitResult {
    if (!this.enabled) return { allowed: true, count: 0, retryAfter: 0 };
    const now = this.now();
    let list = this.calls.get(client);
    if (list) this.calls.delete(client); // re-insert below: Map order = least recently seen first
    else list = [];
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop] <= from) drop++;
    if (drop) list.splice(0, drop);
    list.push(now);
    // Only whether more than maxCalls calls lie in the window matters, so the newest maxCalls + 1 suffice.
    if (list.length > this.maxCalls + 1) list.splice(0, list.length - (this.maxCalls + 1));
    this.calls.set(client, list);
    if (this.calls.size > this.maxClients) {
      const oldest = this.calls.keys().next().value;
      if (oldest !== undefined) this.calls.delete(oldest);
    }
    const count = list.length;
    if (count <= this.maxCalls) return { allowed: true, count, retryAfter: 0 };
    const retryAfter = Math.max(1, Math.ceil((list[0] + this.windowMs - now) / 1000));
    return { allowed: false, count, retryAfter };
  }

  /** Drop clients with no call inside the window (call now and then to bound memory). */
  sweep(): void {
    const from = this.now() - this.windowMs;
    for (const [k, list] of this.calls) if (!list.length || list[list.length - 1] <= from) this.calls.delete(k);
  }

  get clients(): number {
    return this.calls.size;
  }
}

/** What a request tells about its sender: the configured address header, else the socket address. */
export interface ClientHints {
  headers: Record<string, string | string[] | undefined>;
  remoteAddress: string | undefined;
}

/**
 * The one client-identity rule: the first entry of the trusted address header (set it only behind a proxy that
 * writes it), else the socket address.
 */
export function clientIdentity(hints: ClientHints, trustedHeader: string): string {
  if (trustedHeader) {
    const h = hints.headers[trustedHeader.toLowerCase()];
    const v = Array.isArray(h) ? h[0] : h;
    if (v) return v.split(',')[0].trim();
  }
  return hints.remoteAddress ?? 'unknown';
}

/**
 * Every rate-limit budget of the application. With scope `api` each API family counts its own calls per client
 * (Statistics Norway runs them as separate services); with `shared` they all draw from one budget. The Retry-After
 * of a refusal is always the limiter's: the seconds until the oldest counted call leaves the window.
 */
export class RateLimits {
  private readonly budgets = new Map<string, SlidingWindowRateLimiter>();
  private readonly sweeper: NodeJS.Timeout;

  /**
   * @param shared counters shared by every node (Redis); while they cannot answer, this node's own counters decide
   */
  constructor(
    private readonly config: { maxCalls: number; timeWindow: number; rateLimitScope: 'api' | 'shared'; clientIpHeader: string },
    private readonly shared?: SharedRateCounters,
  ) {
    // forget idle clients now and then so memory stays bounded
    this.sweeper = setInterval(() => {
      for (const l of this.budgets.values()) l.sweep();
    }, 60_000);
    this.sweeper.unref();
  }

  /** The limiter an API family draws from. */
  budget(api: string): SlidingWindowRateLimiter {
    const name = this.config.rateLimitScope === 'shared' ? '*' : api;
    let l = this.budgets.get(name);
    if (!l) this.budgets.set(name, (l = new SlidingWindowRateLimiter({ maxCalls: this.config.maxCalls, timeWindow: this.config.timeWindow })));
    return l;
  }

  /** Count a call of `client` against `api`'s budget. */
  async hit(api: string, hints: ClientHints): Promise<RateLimitResult & { client: string }> {
    const client = clientIdentity(hints, this.config.clientIpHeader);
    const local = this.budget(api);
    if (this.shared && local.enabled) {
      const name = this.config.rateLimitScope === 'shared' ? '*' : api;
      const r = await this.shared.hit(name, client, local.maxCalls, local.windowMs);
      if (r) return { ...r, client };
    }
    return { ...local.hit(client), client };
  }

  get enabled(): boolean {
    return this.config.maxCalls > 0 && this.config.timeWindow > 0;
  }

  /** Where calls are counted now: `shared` (every node, Redis) or `local` (this node only). */
  get mode(): 'shared' | 'local' {
    return this.shared?.ready ? 'shared' : 'local';
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}

/** Counters several nodes share (Redis); undefined = cannot answer now, count locally. */
export interface SharedRateCounters {
  readonly ready: boolean;
  hit(budget: string, client: string, maxCalls: number, windowMs: number): Promise<RateLimitResult | undefined>;
}
