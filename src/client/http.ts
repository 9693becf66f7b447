// HTTP for the PxWeb clients: every call goes through the pacer, and is retried on 429 (after the server's
// Retry-After, else an exponential backoff), on 500/502/503/504 and on network failures (exponential backoff).

import { realSleep, SlidingWindowPacer } from './pacer.js';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch?: FetchFn;
  /** Attempts after the first one, for 429, 5xx and network errors (default 5). */
  retries?: number;
  /** First backoff step in ms; doubles per attempt (default 1000). */
  backoffMs?: number;
  /** Longest single backoff (default 60 s). */
  maxBackoffMs?: number;
  /** A Retry-After longer than this ends the fetch with an error instead of waiting (default 10 min). */
  maxRetryAfterMs?: number;
  /** Per-request timeout (default 120 s). */
  timeoutMs?: number;
  userAgent?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type TransportEvent =
  | { kind: 'wait'; ms: number }
  | { kind: 'retry'; status: number | null; attempt: number; waitMs: number; url: string; reason: string }
  | { kind: 'call'; method: string; url: string; status: number; ms: number };

export class PxWebHttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly body: string,
    message?: string,
  ) {
    super(message ?? `${status} from ${url}${body ? `: ${body.slice(0, 300)}` : ''}`);
    this.name = 'PxWebHttpError';
  }
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  url: string;
}

const RETRY_STATUS = new Set([500, 502, 503, 504]);

/** Retry-After as delta seconds or an HTTP date -> milliseconds (undefined when absent or unreadable). */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export class Transport {
  pacer: SlidingWindowPacer = new SlidingWindowPacer({ maxCalls: 0, windowMs: 0 });
  /** HTTP calls made (retries included). */
  calls = 0;
  listener?: (e: TransportEvent) => void;
  private readonly fetchFn: FetchFn;
  private readonly o: Required<Omit<TransportOptions, 'fetch' | 'userAgent'>> & { userAgent?: string };

  constructor(opts: TransportOptions = {}) {
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
    this.o = {
      retries: opts.retries ?? 5,
      backoffMs: opts.backoffMs ?? 1000,
      maxBackoffMs: opts.maxBackoffMs ?? 60_000,
      maxRetryAfterMs: opts.maxRetryAfterMs ?? 600_000,
      timeoutMs: opts.timeoutMs ?? 120_000,
      sleep: opts.sleep ?? realSleep,
      now: opts.now ?? Date.now,
      userAgent: opts.userAgent,
    };
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** attempt);
    return Math.round(base * (0.8 + 0.4 * Math.random()));
  }

  /** One logical request: paced, retried; resolves with a 2xx answer, else throws PxWebHttpError. */
  async request(method: 'GET' | 'POST', url: string, body?: string | Buffer, contentType?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5' };
    if (this.o.userAgent) headers['user-agent'] = this.o.userAgent;
    if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    for (let attempt = 0; ; attempt++) {
      const release = await this.pacer.acquire((ms) => this.listener?.({ kind: 'wait', ms }));
      const started = this.o.now();
      let res: Response;
      let buf: Buffer;
      try {
        this.calls++;
        res = await this.fetchFn(url, {
          method,
          headers,
          body: body === undefined ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
          signal: AbortSignal.timeout(this.o.timeoutMs),
        });
        buf = Buffer.from(await res.arrayBuffer());
      } catch (e) {
        release();
        if (attempt >= this.o.retries) throw new PxWebHttpError(0, url, '', `${method} ${url} failed: ${(e as Error).message}`);
        const waitMs = this.backoff(attempt);
        this.listener?.({ kind: 'retry', status: null, attempt: attempt + 1, waitMs, url, reason: (e as Error).message });
        await this.o.sleep(waitMs);
        continue;
      }
      release();
      this.listener?.({ kind: 'call', method, url, status: res.status, ms: this.o.now() - started });
      if (res.status >= 200 && res.status < 300) return { status: res.status, headers: res.headers, body: buf, url };
      const text = buf.toString('utf8');
      if ((res.status === 429 || RETRY_STATUS.has(res.status)) && attempt < this.o.retries) {
        let waitMs = this.backoff(attempt);
        if (res.status === 429) {
          const ra = retryAfterMs(res.headers.get('retry-after'), this.o.now());
          if (ra !== undefined) {
            if (ra > this.o.maxRetryAfterMs) throw new PxWebHttpError(429, url, text, `429 from ${url}: the server asks to wait ${Math.ceil(ra / 1000)} s`);
            waitMs = ra + 50; // just past the moment the server named
          }
        }
        this.listener?.({ kind: 'retry', status: res.status, attempt: attempt + 1, waitMs, url, reason: text.slice(0, 200) });
        await this.o.sleep(waitMs);
        continue;
      }
      throw new PxWebHttpError(res.status, url, text);
    }
  }

  async getJson(url: string): Promise<unknown> {
    return parseJson(await this.request('GET', url));
  }
}

export function parseJson(r: HttpResponse): unknown {
  let text = r.body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch {
    throw new PxWebHttpError(r.status, r.url, text.slice(0, 200), `${r.url} did not answer JSON: ${JSON.stringify(text.slice(0, 120))}`);
  }
}
