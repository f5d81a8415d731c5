import { sameFailure, type SessionResult, type Verdict } from "./session.js";

/**
 * Delta debugging (Zeller's ddmin) over a list: the smallest sub-list (1-minimal within the
 * budget) on which `fails` still holds. `fails` is asynchronous because each test re-runs the
 * implementation; the budget bounds the number of tests.
 */
export const ddmin = async <T>(items: readonly T[], fails: (xs: readonly T[]) => Promise<boolean>, budget: { tests: number; until: number }): Promise<{ items: T[]; tests: number }> => {
  let xs = [...items];
  let n = 2;
  let tests = 0;
  const out = (): boolean => tests >= budget.tests || performance.now() >= budget.until;
  while (xs.length >= 2 && !out()) {
    const size = Math.ceil(xs.length / n);
    const chunks: T[][] = [];
    for (let i = 0; i < xs.length; i += size) chunks.push(xs.slice(i, i + size));
    let reduced = false;
    // Try each chunk alone, then each complement.
    for (const c of chunks) {
      if (out()) break;
      tests++;
      if (await fails(c)) {
        xs = c;
        n = 2;
        reduced = true;
        break;
      }
    }
    if (!reduced)
      for (let k = 0; k < chunks.length && !out(); k++) {
        const comp = chunks.filter((_, j) => j !== k).flat();
        tests++;
        if (await fails(comp)) {
          xs = comp;
          n = Math.max(n - 1, 2);
          reduced = true;
          break;
        }
      }
    if (!reduced) {
      if (n >= xs.length) break;
      n = Math.min(n * 2, xs.length);
    }
  }
  if (xs.length === 1 && !out()) {
    tests++;
    if (await fails([])) xs = [];
  }
  return { items: xs, tests };
};

/**
 * Shrink a failing session: the smallest sub-list of `items` whose session (`build`) fails the
 * same way as `first` (sameFailure), with that session's own verdict (re-run when ddmin's last
 * failing candidate is not the one it kept). `steps` counts every step the candidates ran.
 */
export const shrinkSession = async <S, X>(o: {
  readonly original: S;
  readonly first: Verdict;
  readonly items: readonly X[];
  readonly build: (xs: readonly X[]) => S;
  readonly size: (s: S) => number;
  readonly run: (s: S) => Promise<SessionResult>;
  readonly budget: { readonly tests: number; readonly until: number };
  readonly interrupted?: () => boolean;
}): Promise<{ verdict: Verdict; session: S; tests: number; steps: number }> => {
  let steps = 0;
  let last: { v: Verdict; s: S } = { v: o.first, s: o.original };
  const shrunk = await ddmin(
    o.items,
    async (xs) => {
      if (o.interrupted?.()) return false;
      const cand = o.build(xs);
      const rr = await o.run(cand);
      steps += rr.steps;
      if (!rr.ok && sameFailure(rr.verdict, o.first)) {
        last = { v: rr.verdict, s: cand };
        return true;
      }
      return false;
    },
    o.budget,
  );
  const minimal = o.build(shrunk.items);
  if (o.size(last.s) !== o.size(minimal)) {
    const rr = await o.run(minimal);
    steps += rr.steps;
    if (!rr.ok) last = { v: rr.verdict, s: minimal };
  }
  return { verdict: last.v, session: last.s, tests: shrunk.tests, steps };
};
