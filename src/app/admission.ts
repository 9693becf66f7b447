// Admission control for answers in flight. Small answers always go straight through. A heavy answer (estimated
// output above `heavyBytes`) needs one of `maxHeavy` slots; while none is free it waits in a queue that serves
// clients in turn (round robin), so one client's burst cannot starve the others. The queue is bounded overall and
// per client: past those bounds the request is refused at once with a Retry-After, never left to exhaust memory.
// Answers that are built whole in memory (not streamed) also count their size against `maxBufferedBytes`.

export interface AdmissionSettings {
  /** Estimated output bytes from which an answer is heavy. */
  heavyBytes: number;
  /** Heavy answers computed at the same time (CPU budget). */
  maxHeavy: number;
  /** Bytes of whole-in-memory answers in flight (memory budget). */
  maxBufferedBytes: number;
  /** Heavy requests waiting, in all. */
  maxQueue: number;
  /** Heavy requests one client may have running or waiting. */
  maxPerClient: number;
}


/** Why a request was refused: `client` = this client is over its share (429), `server` = the server is full (503). */
export class AdmissionRefused extends Error {
  constructor(
    readonly reason: 'client' | 'server',
    readonly retryAfter: number,
    message: string,
  ) {
    super(message);
  }
}

interface Waiter {
  client: string;
  bytes: number;
  grant: (release: () => void) => void;
  fail: (e: Error) => void;
}

export interface AdmissionStats {
  running: number;
  waiting: number;
  bufferedBytes: number;
  admitted: number;
  refused: number;
}

export class Admission {
  private running = 0;
  private buffered = 0;
  /** client -> its waiting requests, oldest first; Map order = whose turn comes next */
  private readonly queues = new Map<string, Waiter[]>();
  private readonly perClient = new Map<string, number>();
  private waitingCount = 0;
  private admitted = 0;
  private refused = 0;

  /** The settings come from the configuration (config.ts admissionSettings): one place for their defaults. */
  constructor(readonly settings: AdmissionSettings) {}

  isHeavy(estimatedBytes: number): boolean {
    return estimatedBytes > this.settings.heavyBytes;
  }

  /**
   * Wait for a slot for an answer of `estimatedBytes` (counted against the memory budget when `buffered`).
   * Resolves to the release function; rejects with AdmissionRefused, or with the signal's reason when it aborts.
   */
  async acquire(client: string, estimatedBytes: number, buffered: boolean, signal?: AbortSignal): Promise<() => void> {
    const s = this.settings;
    const bytes = buffered ? estimatedBytes : 0;
    if (!this.isHeavy(estimatedBytes)) return this.admitNow(undefined, bytes);
    if (bytes > s.maxBufferedBytes) {
      this.refused++;
      throw new AdmissionRefused('server', 1, 'The answer is too large to build in memory; choose a streamed format or fewer cells');
    }
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= s.maxPerClient) {
      this.refused++;
      throw new AdmissionRefused('client', this.retryAfter(), `Too many large requests at once from this client (at most ${s.maxPerClient})`);
    }
    if (this.running < s.maxHeavy && this.waitingCount === 0 && this.buffered + bytes <= s.maxBufferedBytes) {
      this.perClient.set(client, mine + 1);
      return this.admitNow(client, bytes);
    }
    if (this.waitingCount >= s.maxQueue) {
      this.refused++;
      throw new AdmissionRefused('server', this.retryAfter(), 'The server is busy with large requests; try again shortly');
    }
    signal?.throwIfAborted();
    this.perClient.set(client, mine + 1);
    return new Promise<() => void>((resolve, reject) => {
      const w: Waiter = {
        client,
        bytes,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
        fail: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        const q = this.queues.get(client);
        const i = q ? q.indexOf(w) : -1;
        if (i >= 0) {
          q!.splice(i, 1);
          if (!q!.length) this.queues.delete(client);
          this.waitingCount--;
          this.decClient(client);
          w.fail(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      let q = this.queues.get(client);
      if (!q) this.queues.set(client, (q = []));
      q.push(w);
      this.waitingCount++;
    });
  }

  private admitNow(client: string | undefined, bytes: number): () => void {
    const heavy = client !== undefined;
    // (a heavy request's client count was raised when it arrived and is lowered at its release)
    if (heavy) this.running++;
    this.buffered += bytes;
    this.admitted++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.buffered -= bytes;
      if (heavy) {
        this.running--;
        this.decClient(client);
        this.next();
      }
    };
  }

  private decClient(client: string): void {
    const n = (this.perClient.get(client) ?? 1) - 1;
    if (n <= 0) this.perClient.delete(client);
    else this.perClient.set(client, n);
  }

  /** Grant free slots to waiting clients in turn. */
  private next(): void {
    while (this.running < this.settings.maxHeavy && this.waitingCount > 0) {
      const [client, q] = this.queues.entries().next().value as [string, Waiter[]];
      const w = q[0];
      if (this.buffered + w.bytes > this.settings.maxBufferedBytes && this.running > 0) return;
      q.shift();
      this.queues.delete(client);
      if (q.length) this.queues.set(client, q); // to the back of the round
      this.waitingCount--;
      w.grant(this.admitNow(client, w.bytes));
    }
  }

  /** A rough wait: a second per queued request per slot, at least one. */
  private retryAfter(): number {
    return Math.max(1, Math.ceil((this.waitingCount + this.running) / Math.max(1, this.settings.maxHeavy)));
  }

  get stats(): AdmissionStats {
    return { running: this.running, waiting: this.waitingCount, bufferedBytes: this.buffered, admitted: this.admitted, refused: this.refused };
  }
}
