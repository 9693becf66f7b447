// Client-side pacing under a server's sliding-window rate limit (PxWeb: at most `maxCalls` calls within any
// `timeWindow` seconds, counted per client when the request arrives, rejected calls included).
//
// Every call is remembered by the time its answer came back: the server stamped it earlier than that, so once
// that time is a whole window (plus a small margin) in the past the server has forgotten the call too, whatever
// the network delay was. Calls still in flight hold a slot until they end. A new call starts as soon as fewer
// than `maxCalls` remembered calls are inside the window: the wait is exactly until the oldest one leaves it
// (R pxweb instead sleeps `maxCalls` seconds once its stack is full).

export interface PacerOptions {
  /** Calls allowed per window; 0 or less (or Infinity) switches pacing off. */
  maxCalls: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /** Extra wait past the window edge, for clocks that tick coarsely (default 50 ms). */
  marginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class SlidingWindowPacer {
  readonly maxCalls: number;
  readonly windowMs: number;
  readonly marginMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** End times of the calls that may still count at the server, oldest first. */
  private done: number[] = [];
  private inFlight = 0;
  private wake: (() => void)[] = [];
  /** Total milliseconds spent waiting for a slot. */
  waitedMs = 0;

  constructor(opts: PacerOptions) {
    this.maxCalls = Number.isFinite(opts.maxCalls) && opts.maxCalls > 0 ? Math.floor(opts.maxCalls) : 0;
    this.windowMs = Math.max(0, opts.windowMs);
    this.marginMs = Math.max(0, opts.marginMs ?? 50);
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? realSleep;
  }

  get enabled(): boolean {
    return this.maxCalls > 0 && this.windowMs > 0;
  }

  /** Milliseconds until a call may start (0 = now, Infinity = only when a call in flight ends). */
  delay(): number {
    if (!this.enabled) return 0;
    const now = this.now();
    const edge = now - this.windowMs - this.marginMs;
    let drop = 0;
    while (drop < this.done.length && this.done[drop] <= edge) drop++;
    if (drop) this.done.splice(0, drop);
    const used = this.done.length + this.inFlight;
    if (used < this.maxCalls) return 0;
    const k = used - this.maxCalls; // this many more must leave the window, oldest first
    if (k >= this.done.length) return Infinity;
    return Math.max(1, this.done[k] + this.windowMs + this.marginMs - now);
  }

  /**
   * Wait for a slot and take it. Returns the function that gives it back when the call has ended (its end time
   * then counts). `onWait` hears about each wait before it starts.
   */
  async acquire(onWait?: (ms: number) => void): Promise<() => void> {
    for (;;) {
      const d = this.delay();
      if (d === 0) break;
      const started = this.now();
      if (d === Infinity) {
        onWait?.(NaN);
        await new Promise<void>((resolve) => this.wake.push(resolve));
      } else {
        onWait?.(d);
        await this.sleep(d);
      }
      this.waitedMs += Math.max(0, this.now() - started);
    }
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      if (this.enabled) this.done.push(this.now());
      const w = this.wake;
      this.wake = [];
      for (const f of w) f();
    };
  }

  /** Calls currently counted (in the window or in flight). */
  get used(): number {
    this.delay();
    return this.done.length + this.inFlight;
  }
}
