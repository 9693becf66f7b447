// Webhooks: URLs an admin registers to be told of releases. Each delivery is a POST of the event's JSON, signed
// with the hook's own secret: `Statbank-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` and
// `Statbank-Timestamp: <unix seconds>` (a receiver refuses old timestamps, so a captured call cannot be replayed).
// Deliveries are retried with exponential backoff; every attempt updates the delivery's record, which admins read.
// A delivery is claimed in the AdminStore first (insertNew), so with several server processes exactly one sends it.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdminStore } from './adminStore.js';

export interface WebhookDef {
  id: string;
  url: string;
  /** HMAC key; shown once, when the hook is created. */
  secret: string;
  /** Only releases of this table. */
  table?: string;
  /** Only releases of tables under this subject (folder path prefix or subject code). */
  subject?: string;
  created: string;
  createdBy: string;
}

export type WebhookInfo = Omit<WebhookDef, 'secret'>;

export interface Delivery {
  hookId: string;
  eventId: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** HTTP status of the last attempt (absent when it got no answer). */
  lastStatus?: number;
  lastError?: string;
  updated: string;
}

export interface DeliverySettings {
  /** Attempts in all (default 6). */
  maxAttempts: number;
  /** Delay before the second attempt; doubles each time (default 2 s). */
  baseDelayMs: number;
  /** Time limit per attempt (default 10 s). */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliverySettings = { maxAttempts: 6, baseDelayMs: 2000, timeoutMs: 10_000 };

export const SIGNATURE_HEADER = 'statbank-signature';
export const TIMESTAMP_HEADER = 'statbank-timestamp';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

export function signPayload(secret: string, timestamp: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** What a receiver does: the signature matches and the timestamp is within `toleranceS` of its clock. */
export function verifySignature(secret: string, body: string, headers: { signature?: string; timestamp?: string }, nowMs: number, toleranceS = 300): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > toleranceS || !headers.signature) return false;
  const want = Buffer.from(signPayload(secret, ts, body));
  const got = Buffer.from(headers.signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

export function publicHook(h: WebhookDef): WebhookInfo {
  const { secret: _secret, ...rest } = h;
  return rest;
}

export function checkWebhookUrl(url: unknown): string {
  if (typeof url !== 'string') throw new Error('url is required');
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('url is not a URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('url must be http or https');
  return u.toString();
}

export interface DeliveryRun {
  /** Resolves when the delivery succeeded or gave up. */
  done: Promise<Delivery>;
}

/** Send one event to one hook, with retries, recording each attempt. The caller claimed the delivery. */
export function deliver(
  store: AdminStore,
  hook: WebhookDef,
  eventId: string,
  body: string,
  settings: DeliverySettings,
  clock: () => number,
  signal: AbortSignal,
): Promise<Delivery> {
  const key = deliveryKey(hook.id, eventId);
  const d: Delivery = { hookId: hook.id, eventId, url: hook.url, status: 'pending', attempts: 0, updated: new Date(clock()).toISOString() };
  return (async () => {
    for (;;) {
      d.attempts++;
      const ts = Math.floor(clock() / 1000);
      // a timer holding its own controller: on Node 20, AbortSignal.timeout inside AbortSignal.any is held only
      // weakly and can be collected before it fires, leaving a hanging receiver without a limit
      const attempt = new AbortController();
      const onAbort = () => attempt.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const limit = setTimeout(() => attempt.abort(new Error(`no answer within ${settings.timeoutMs} ms`)), settings.timeoutMs);
      try {
        const r = await fetch(hook.url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'statbank-webhooks',
            [TIMESTAMP_HEADER]: String(ts),
            [SIGNATURE_HEADER]: signPayload(hook.secret, ts, body),
            'statbank-event-id': eventId,
          },
          signal: attempt.signal,
        });
        await r.arrayBuffer().catch(() => undefined);
        d.lastStatus = r.status;
        d.lastError = r.ok ? undefined : `HTTP ${r.status}`;
        if (r.ok) d.status = 'delivered';
      } catch (e) {
        d.lastStatus = undefined;
        d.lastError = e instanceof Error ? e.message : String(e);
      } finally {
        clearTimeout(limit);
        signal.removeEventListener('abort', onAbort);
      }
      if (d.status !== 'delivered' && (d.attempts >= settings.maxAttempts || signal.aborted)) d.status = 'failed';
      d.updated = new Date(clock()).toISOString();
      await store.put('delivery', key, d);
      if (d.status !== 'pending') return d;
      await new Promise<void>((res) => {
        const t = setTimeout(res, settings.baseDelayMs * 2 ** (d.attempts - 1));
        signal.addEventListener('abort', () => (clearTimeout(t), res()), { once: true });
      });
    }
  })();
}

export function deliveryKey(hookId: string, eventId: string): string {
  return `${hookId}|${eventId}`;
}
