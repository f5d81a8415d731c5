// The conformance engine: is this observed behaviour a behaviour the spec allows?
//
// The spec has internal choices an observer cannot see (when the host runs its deferred work,
// which delivery result the SynIC reports, how the guest's lanes interleave, a reply order the
// profile leaves open). The engine keeps the *set* of spec states consistent with everything
// observed so far, closes it under the silent steps the observer cannot see, and rejects as soon
// as an observation leaves the set empty. It knows nothing about VMBus: the host, guest and
// trace checkers are ObservationModels built on it.
//
// Bounds: the silent closure follows at most `maxSilentDepth` silent steps from each observed
// state, and the set holds at most `maxStates` states. When either bound cuts something off the
// result says `truncated: true` (sticky for the rest of the run): a rejection after truncation is
// *inconclusive*, because a state the engine dropped might have explained the observation.

/** One step of the spec: `label` says what the spec did (JSON-able text, used for witnesses and replay). */
export interface Move<S> {
  readonly label: string;
  readonly state: S;
}

/** One thing the spec could have produced next, with the rule IDs that decide it. */
export interface Expectation {
  readonly description: string;
  readonly rules: readonly string[];
}

export interface ObservationModel<S, E> {
  /** Identity for de-duplicating the state set. */
  key(state: S): string;
  /** Internal steps the observer cannot see (host run, delivery results, lane interleavings ...). */
  silent(state: S): readonly Move<S>[];
  /** Successors that produce exactly the observed event. */
  explain(state: S, event: E): readonly Move<S>[];
  /** What the spec could have produced next (for the rejection message). */
  expected(state: S): readonly Expectation[];
}

export interface EngineLimits {
  readonly maxStates: number;
  readonly maxSilentDepth: number;
}

export type ObserveResult =
  | { ok: true; states: number; truncated: boolean }
  | { ok: false; states: number; expected: readonly Expectation[]; rules: readonly string[]; truncated: boolean };

export interface Engine<S, E> {
  /**
   * Feed one observed event. On acceptance the set becomes the silent closure of every
   * successor that explains it. On rejection the set is left as it was (so `states()`,
   * `witness()` and `expected` describe the last consistent point) and `states` is 0.
   */
  observe(event: E): ObserveResult;
  /** Labels from an initial state to one surviving state (silent steps included). */
  witness(): readonly string[];
  /** Number of states in the current set. */
  size(): number;
  /** The current set (closed under silent steps). */
  states(): readonly S[];
}

// A node of the search: parent pointers instead of copied paths.
interface Node<S> {
  readonly state: S;
  readonly parent: Node<S> | null;
  readonly label: string | null;
}

export const DEFAULT_LIMITS: EngineLimits = { maxStates: 10_000, maxSilentDepth: 64 };

export const createEngine = <S, E>(
  model: ObservationModel<S, E>,
  initial: readonly S[],
  limits: EngineLimits,
): Engine<S, E> => {
  let truncated = false;

  // Adds `node` to `set` unless its key is already there or the set is full.
  const add = (set: Map<string, Node<S>>, node: Node<S>): boolean => {
    const k = model.key(node.state);
    if (set.has(k)) return false;
    if (set.size >= limits.maxStates) {
      truncated = true;
      return false;
    }
    set.set(k, node);
    return true;
  };

  // Breadth-first closure under silent steps, bounded in depth and size.
  const close = (seeds: Map<string, Node<S>>): Map<string, Node<S>> => {
    let layer = [...seeds.values()];
    for (let depth = 0; layer.length > 0; depth++) {
      const next: Node<S>[] = [];
      for (const n of layer) {
        for (const m of model.silent(n.state)) {
          const child: Node<S> = { state: m.state, parent: n, label: m.label };
          if (depth >= limits.maxSilentDepth) {
            if (!seeds.has(model.key(m.state))) truncated = true;
            continue;
          }
          if (add(seeds, child)) next.push(child);
        }
      }
      layer = next;
    }
    return seeds;
  };

  const start = new Map<string, Node<S>>();
  for (const s of initial) add(start, { state: s, parent: null, label: null });
  let current = close(start);

  const expectedOf = (set: Map<string, Node<S>>): { expected: Expectation[]; rules: string[] } => {
    const byDescription = new Map<string, Set<string>>();
    for (const n of set.values()) {
      for (const e of model.expected(n.state)) {
        const rs = byDescription.get(e.description) ?? new Set<string>();
        for (const r of e.rules) rs.add(r);
        byDescription.set(e.description, rs);
      }
    }
    const expected = [...byDescription].map(([description, rs]) => ({ description, rules: [...rs].sort() }));
    const rules = [...new Set(expected.flatMap((e) => e.rules))].sort();
    return { expected, rules };
  };

  return {
    observe(event: E): ObserveResult {
      const next = new Map<string, Node<S>>();
      for (const n of current.values()) {
        for (const m of model.explain(n.state, event)) add(next, { state: m.state, parent: n, label: m.label });
      }
      if (next.size === 0) {
        const { expected, rules } = expectedOf(current);
        return { ok: false, states: 0, expected, rules, truncated };
      }
      current = close(next);
      return { ok: true, states: current.size, truncated };
    },
    witness(): readonly string[] {
      const first = current.values().next();
      if (first.done) return [];
      const labels: string[] = [];
      for (let n: Node<S> | null = first.value; n !== null; n = n.parent) if (n.label !== null) labels.push(n.label);
      return labels.reverse();
    },
    size: () => current.size,
    states: () => [...current.values()].map((n) => n.state),
  };
};
