// Query time limit shared by the APIs (v1 answers 503, v2 a 503 problem).
// evaluate() and the serializers are synchronous, so a timer alone cannot interrupt them:
// callers also check the clock between steps.

export class QueryTimeout extends Error {
  constructor() {
    super('query time limit exceeded');
  }
}

/** Resolve `p` or reject with QueryTimeout after `ms` (0 or less = wait forever). */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  if (!(ms > 0)) return p;
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueryTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A function that throws QueryTimeout once `ms` have passed since it was made. */
export function clockCheck(ms: number): () => void {
  const deadline = ms > 0 ? Date.now() + ms : Infinity;
  return () => {
    if (Date.now() > deadline) throw new QueryTimeout();
  };
}
