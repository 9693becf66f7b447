// Splitting a query over a server's cell limit into the fewest calls.
//
// Each selected variable i with s_i values is cut into k_i pieces of at most c_i = ceil(s_i / k_i) values; a batch
// is one piece of every variable, so it has at most prod c_i cells and there are prod k_i batches. The planner
// looks for the k_i with the smallest prod k_i under prod c_i <= maxCells: a branch and bound over the distinct
// (k, c) pairs of each variable (O(sqrt s) of them), largest variables first, pruned by the bound
// prod k >= prod s / (maxCells / prod c already fixed). Ties go to fewer cut variables, then to cutting the larger
// ones. Pieces are balanced (sizes differ by at most one).

export interface PlanDim {
  code: string;
  /** Number of selected values. */
  size: number;
  /** May be cut into pieces (false: every batch asks for all its values). */
  splittable: boolean;
}

export interface BatchPlan {
  /** Pieces per dimension (1 = not cut), in the order given. */
  pieces: number[];
  /** Largest piece per dimension. */
  chunk: number[];
  batches: number;
  /** Cells of the largest batch. */
  maxBatchCells: number;
  totalCells: number;
}

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/** (pieces, chunk) pairs of a variable of `s` values, fewest pieces first: each chunk size with its fewest pieces. */
function options(s: number): { k: number; c: number }[] {
  const out: { k: number; c: number }[] = [];
  let k = 1;
  while (k <= s) {
    const c = Math.ceil(s / k);
    out.push({ k, c });
    // next k that gives a smaller chunk: smallest k' with ceil(s/k') < c, i.e. k' = ceil(s/(c-1))
    if (c === 1) break;
    k = Math.ceil(s / (c - 1));
  }
  return out;
}

const NODE_BUDGET = 200_000;

export function planBatches(dims: PlanDim[], maxCells: number): BatchPlan {
  if (!(maxCells >= 1)) throw new PlanError(`the cell limit must be at least 1 (got ${maxCells})`);
  const limit = Math.floor(maxCells);
  const totalCells = dims.reduce((a, d) => a * d.size, 1);
  const pieces = dims.map(() => 1);
  if (totalCells <= limit || totalCells === 0) {
    return { pieces, chunk: dims.map((d) => d.size), batches: totalCells === 0 ? 0 : 1, maxBatchCells: totalCells, totalCells };
  }
  let fixed = 1;
  for (const d of dims) if (!d.splittable) fixed *= d.size;
  if (fixed > limit) {
    const names = dims.filter((d) => !d.splittable).map((d) => d.code).join(', ');
    throw new PlanError(`the variables that cannot be split (${names}) alone make ${fixed} cells, over the limit of ${limit}`);
  }
  const order = dims
    .map((d, i) => ({ d, i }))
    .filter((x) => x.d.splittable && x.d.size > 1)
    .sort((a, b) => b.d.size - a.d.size || a.i - b.i);
  const opts = order.map((x) => options(x.d.size));
  // product of the sizes from position j on (for the bound)
  const restSize = new Array<number>(order.length + 1).fill(1);
  for (let j = order.length - 1; j >= 0; j--) restSize[j] = restSize[j + 1] * order[j].d.size;

  let best: { ks: number[]; K: number; cut: number; cutSize: number } | null = null;
  const ks = new Array<number>(order.length).fill(1);
  let nodes = 0;
  const better = (K: number, cut: number, cutSize: number) =>
    !best || K < best.K || (K === best.K && (cut < best.cut || (cut === best.cut && cutSize > best.cutSize)));

  const dfs = (j: number, K: number, P: number, cut: number, cutSize: number): void => {
    if (++nodes > NODE_BUDGET && best) return;
    if (j === order.length) {
      if (better(K, cut, cutSize)) best = { ks: ks.slice(), K, cut, cutSize };
      return;
    }
    const lower = K * Math.max(1, Math.ceil((restSize[j] * P) / limit - 1e-9));
    if (best && lower > best.K) return;
    for (const { k, c } of opts[j]) {
      if (P * c > limit) continue;
      if (best && K * k > best.K) break;
      ks[j] = k;
      dfs(j + 1, K * k, P * c, cut + (k > 1 ? 1 : 0), cutSize + (k > 1 ? order[j].d.size : 0));
    }
    ks[j] = 1;
  };
  dfs(0, 1, fixed, 0, 0);
  if (!best) throw new PlanError(`no way to split ${totalCells} cells under the limit of ${limit}`);
  const found = best as { ks: number[]; K: number };
  order.forEach((x, j) => (pieces[x.i] = found.ks[j]));
  const chunk = dims.map((d, i) => Math.ceil(d.size / pieces[i]));
  return { pieces, chunk, batches: found.K, maxBatchCells: chunk.reduce((a, b) => a * b, 1), totalCells };
}

/** Cut a list into `k` consecutive pieces whose lengths differ by at most one (longer ones first). */
export function cutList<T>(list: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  const base = Math.floor(list.length / k);
  let extra = list.length % k;
  let at = 0;
  for (let i = 0; i < k; i++) {
    const len = base + (extra > 0 ? 1 : 0);
    if (extra > 0) extra--;
    out.push(list.slice(at, at + len));
    at += len;
  }
  return out;
}
