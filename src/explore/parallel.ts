/**
 * `check --workers N`: the breadth-first search of bfs.ts on N worker threads of one process,
 * sharing one visited set (shared-table.ts: 64-bit fingerprints, inserted without locks) and one
 * interner (shared-interner.ts), so that states are one thread's compact interned encoding with
 * ids every thread agrees on; the main thread encodes the initial state and replays traces with
 * the same interner.
 *
 * Level by level: the main thread hands every worker the list of chunks of the current level
 * (level-chunks.ts); each claims chunks until none is left, expands their states with bfs.ts's
 * expandState, and keeps, encoded, the successors it was first to add to the shared table. A
 * barrier between levels (every worker answers before the next level starts) keeps breadth-first
 * order, so the states, transitions, findings (by kind and rule) and the length of each shortest
 * trace are those of one thread (tests); which of several equally short traces is reported may
 * differ. Every trace is replayed through the reducers here and must end in its node's state.
 *
 * Liveness (SYS-LIVE-1/-2): each worker returns the transitions it took; the main thread joins
 * them into liveness.ts's graph and runs the same backward reachability one thread runs. A
 * search stopped by its budget or by Ctrl-C in the middle of a level counts the whole level as
 * not expanded (a state not expanded counts as able to progress: no false finding).
 *
 * With `queueBudgetBytes`, each worker keeps at most its share of the budget of the level it
 * writes in memory and writes further full pages to spill files of its own (level-chunks.ts),
 * unlinked when opened and closed by Node when the worker ends (trackUnmanagedFds: the main
 * thread must not close them itself, their numbers may be in use again by then). Not here:
 * exact and bitstate modes.
 */
import { Worker } from "node:worker_threads";
import type { HostConfig } from "../../spec/host/host.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import { checkInvariants } from "../../spec/system/invariants.js";
import type { SystemState } from "../../spec/system/state.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemModel } from "../../spec/system/system.js";
import { sortFindings, sortOutcomes, type ExploreResult, type Finding, type OutcomeFinding, type StopReason, type TraceStep } from "./bfs.js";
import { checkConfig, checkReport, type CheckOptions, type CheckReport } from "./check.js";
import { appendAll, ChunkWriter, type Chunk } from "./level-chunks.js";
import { livenessFacts, livenessViolations, LiveGraph } from "./liveness.js";
import type { LevelDone, LevelRequest, NodeFinding, NodeOutcome, SystemModule, WorkerFailed, WorkerInit } from "./parallel-messages.js";
import { loadSystem } from "./parallel-system.js";
import { liftResult, symmetricSystem, SymmetryRefused, symmetryRefusal } from "./symmetry.js";
import { fingerprint64, stateEncoder } from "./encoding.js";
import { allocateSharedInterner, SharedInterner, type SharedInternerBuffers } from "./shared-interner.js";
import type { RunCheck } from "./run-file.js";
import { ANY_SYSTEM_STATE, SPEC_SYSTEM_STATE } from "./state-shape.js";
import { allocateSharedTable, Control, SharedMemoryError, SharedTable, STOP_BUDGET, STOP_INTERRUPTED } from "./shared-table.js";

export interface ParallelOptions {
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly workers: number;
  /** Check SYS-LIVE-1/-2 (default true): keeps every transition (8 bytes each) until the end. */
  readonly liveness?: boolean;
  readonly onProgress?: (p: { readonly states: number; readonly transitions: number; readonly depth: number }) => void;
  /** Receives a handle to interrupt the search (Ctrl-C): it stops within a state per worker and reports what it has. */
  readonly onStart?: (h: { interrupt(): void }) => void;
  /** Another system than the spec's (tests plant bugs), imported by every thread. */
  readonly system?: SystemModule;
  /** Bytes of the levels being written kept in memory, shared out among the workers; past it, full pages go to disk (default: no limit). */
  readonly queueBudgetBytes?: number;
  /** Bytes per page of a level (default level-chunks.ts PAGE_BYTES; tests use small pages to spill small levels). */
  readonly levelPageBytes?: number;
  /** Values the shared interner holds (default from maxStates; tests use a small store to fill it). */
  readonly partEntries?: number;
  /** Channel symmetry (symmetry.ts): the threads explore the quotient; traces are the quotient's. */
  readonly symmetry?: boolean;
}

export type ParallelCheck = RunCheck & { readonly hostParameters?: HostConfig["parameters"] };

type State = SystemState<unknown>;

export const exploreParallel = async (check: ParallelCheck, o: ParallelOptions): Promise<ExploreResult> => {
  if (!(Number.isInteger(o.workers) && o.workers >= 1)) throw new RangeError(`--workers ${o.workers}`);
  const liveness = o.liveness ?? true;
  const loaded = await loadSystem(o.system);
  const model = o.symmetry ? symmetricSystem(loaded, check.channels) : loaded;
  const config = checkConfig({ ...check, depth: o.maxDepth, maxStates: o.maxStates });
  const table = new SharedTable(allocateSharedTable(o.maxStates));
  const control = table.control;
  const shape = o.system ? ANY_SYSTEM_STATE : SPEC_SYSTEM_STATE;
  // The interner every thread shares: its values are few (strings and memo parts), sized from the budget.
  const entries = o.partEntries ?? Math.min(1 << 23, Math.max(1 << 16, o.maxStates));
  let partBuffers: SharedInternerBuffers;
  try {
    partBuffers = allocateSharedInterner(entries, entries * 128);
  } catch (e) {
    throw new SharedMemoryError(`cannot allocate ${Math.ceil((entries * 148) / 2 ** 20)} MiB of shared memory for the workers' interned parts (${e instanceof Error ? e.message : String(e)}): lower --max-states`);
  }
  const parts = new SharedInterner(partBuffers, shape);
  const encoder = stateEncoder(shape, parts);
  const fpOut = new Int32Array(2);
  const fingerprint = (s: State): Int32Array => {
    encoder.encode(s);
    fingerprint64(encoder.writer.buf, encoder.writer.pos, fpOut);
    return fpOut;
  };
  const encoding = (): Uint8Array => encoder.writer.buf.subarray(0, encoder.writer.pos);

  // The initial state: node 0, its invariants, the first level.
  const init = model.initial(config) as State;
  const fp0 = fingerprint(init);
  table.insert(fp0[0]!, fp0[1]!, -1, 0);
  const f0 = livenessFacts(model, init);
  table.queued[0] = Math.min(f0.queued, 255);
  table.waits[0] = f0.waits ? 1 : 0;
  const findings = new Map<string, NodeFinding>();
  const outcomes = new Map<string, NodeOutcome>();
  for (const v of checkInvariants(model.host, config, init)) findings.set(`${v.kind}/${v.rule}`, { key: `${v.kind}/${v.rule}`, violation: v, node: 0, length: 0 });
  const first = new ChunkWriter(o.levelPageBytes !== undefined ? { pageBytes: o.levelPageBytes } : {});
  const e0 = encoding();
  first.push(0, e0, e0.length);
  let frontierStates = first.states;
  let frontierBytes = first.heldBytes;
  let frontier: Chunk[] = first.take();

  const budget = {
    ...(o.queueBudgetBytes === undefined ? {} : { budgetBytes: Math.floor(o.queueBudgetBytes / o.workers) }),
    ...(o.levelPageBytes === undefined ? {} : { pageBytes: o.levelPageBytes }),
  };
  const init_: WorkerInit = { check, table: table.buffers, parts: partBuffers, liveness, ...(o.system ? { system: o.system } : {}), ...(o.symmetry ? { symmetry: true } : {}), ...budget };
  let spilledBytes = 0;
  const workers = Array.from({ length: o.workers }, () => new Worker(new URL("./parallel-worker.js", import.meta.url), { workerData: init_, trackUnmanagedFds: true }));
  let failure: Error | undefined;
  const ask = (w: Worker, req: LevelRequest): Promise<LevelDone> =>
    new Promise((resolve, reject) => {
      const onError = (e: Error): void => {
        w.off("message", onMessage);
        reject(e);
      };
      const onMessage = (m: LevelDone | WorkerFailed): void => {
        w.off("error", onError);
        if (m.type === "error") reject(m.full ? new SharedMemoryError(m.message) : new Error(`a worker failed: ${m.message}`));
        else resolve(m);
      };
      w.once("message", onMessage);
      w.once("error", onError);
      w.postMessage(req);
    });

  let depth = 0;
  let stoppedBy: StopReason | null = null;
  let transitions = 0;
  let probed = 0;
  let peakBytes = frontierBytes;
  let peakStates = frontierStates;
  /** Nodes every level of which was expanded (the rest count as not expanded for liveness). */
  let expandedNodes = 0;
  const edgeLists: Int32Array[] = [];
  const covered: Int32Array[] = [];
  o.onStart?.({ interrupt: () => void Atomics.compareExchange(control, Control.Stop, 0, STOP_INTERRUPTED) });
  // Transitions as of the last finished level: a shared counter per step would cost every worker a contended cache line.
  const progress = o.onProgress ? setInterval(() => o.onProgress!({ states: table.size, transitions, depth: depth + 1 }), 200) : undefined;
  try {
    for (;;) {
      const levelStart = table.size;
      Atomics.store(control, Control.Cursor, 0);
      const done = await Promise.all(workers.map((w) => ask(w, { type: "level", depth, chunks: frontier })));
      const next: Chunk[] = [];
      let nextStates = 0;
      let nextBytes = 0;
      for (const d of done) {
        appendAll(next, d.next);
        nextStates += d.nextStates;
        nextBytes += d.nextBytes;
        spilledBytes += d.spilledBytes;
        if (liveness) {
          edgeLists.push(d.edges);
          covered.push(d.covered);
        }
        transitions += d.transitions;
        probed += d.probed;
        for (const f of d.findings) {
          const cur = findings.get(f.key);
          if (!cur || f.length < cur.length || (f.length === cur.length && f.node < cur.node)) findings.set(f.key, f);
        }
        for (const x of d.outcomes) {
          const cur = outcomes.get(x.key);
          if (!cur || x.length < cur.length || (x.length === cur.length && x.node < cur.node)) outcomes.set(x.key, x);
        }
      }
      peakBytes = Math.max(peakBytes, frontierBytes + nextBytes);
      peakStates = Math.max(peakStates, frontierStates + nextStates);
      const stop = Atomics.load(control, Control.Stop);
      if (stop !== 0) {
        stoppedBy = stop === STOP_BUDGET ? "states" : "interrupted";
        expandedNodes = levelStart - frontierStates;
        break;
      }
      expandedNodes = levelStart;
      if (nextStates === 0) break;
      depth++;
      if (depth >= o.maxDepth) {
        stoppedBy = "depth";
        break;
      }
      frontier = next;
      frontierStates = nextStates;
      frontierBytes = nextBytes;
    }
  } catch (e) {
    failure = e instanceof Error ? e : new Error(String(e));
  } finally {
    if (progress) clearInterval(progress);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure) throw failure;

  const states = table.size;
  const pathTo = (node: number): number[] => {
    const path: number[] = [];
    for (let n = node; n > 0; n = table.parent[n]!) path.push(table.input[n]!);
    return path.reverse();
  };
  const traceTo = (node: number, last?: SystemInput): TraceStep[] => {
    let s = model.initial(config) as State;
    const out: TraceStep[] = [];
    for (const k of pathTo(node)) {
      const input = model.enabled(config, s)[k];
      if (!input) throw new Error(`replay of node ${node}: input ${k} is not enabled`);
      const r = model.step(config, s, input);
      out.push({ input, outputs: r.outputs });
      s = r.state as State;
    }
    const fp = fingerprint(s);
    if (table.hi[node] !== fp[0] || table.lo[node] !== fp[1]) throw new Error(`replay of node ${node} ended in another state (a reducer is not deterministic)`);
    if (last) out.push({ input: last, outputs: model.step(config, s, last).outputs });
    return out;
  };

  const found: Finding[] = [...findings.values()].map((f) => ({ violation: f.violation, trace: traceTo(f.node, f.last) }));
  let graphBytes = 0;
  if (liveness) {
    const complete = stoppedBy === null;
    const expanded = complete ? states : expandedNodes;
    const g = liveGraph(table, states, expanded, edgeLists, covered);
    graphBytes = g.bytes;
    for (const l of livenessViolations(g, complete ? states : expanded)) found.push({ violation: l.violation, trace: traceTo(l.node) });
  }
  const outs: OutcomeFinding[] = [...outcomes.values()].map((x) => ({ outcome: x.outcome, trace: traceTo(x.node, x.last) }));
  return {
    states,
    transitions,
    depth,
    complete: stoppedBy === null,
    stoppedBy,
    findings: sortFindings(found),
    outcomes: sortOutcomes(outs),
    mode: "fingerprint",
    collisionProbability: Math.min(1, (states * (states - 1)) / 2 / 2 ** 64),
    livenessChecked: liveness,
    visitedBytes: table.bytes,
    graphBytes,
    probedSignals: probed,
    queue: { kind: "compact", peakBytes, peakStates, spilledBytes },
  };
};

/**
 * liveness.ts's graph of the first `expanded` nodes' transitions (nodes are numbered level by
 * level, so they are a prefix), from the workers' edge lists, in node order.
 */
const liveGraph = (table: SharedTable, states: number, expanded: number, edgeLists: readonly Int32Array[], covered: readonly Int32Array[]): LiveGraph => {
  const g = new LiveGraph();
  for (let v = 0; v < states; v++) g.addNode(table.queued[v]!, table.waits[v] === 1);
  const count = new Int32Array(expanded + 1);
  for (const l of edgeLists) for (let i = 0; i < l.length; i += 2) if (l[i]! < expanded) count[l[i]! + 1]!++;
  for (let v = 0; v < expanded; v++) count[v + 1]! += count[v]!;
  const to = new Int32Array(count[expanded]!);
  const fill = count.slice(0, expanded);
  for (const l of edgeLists) for (let i = 0; i < l.length; i += 2) if (l[i]! < expanded) to[fill[l[i]!]!++] = l[i + 1]!;
  for (let u = 0; u < expanded; u++) {
    g.expand(u);
    for (let e = count[u]!; e < count[u + 1]!; e++) {
      const t = to[e]!;
      g.edge(u, t < 0 ? ~t : t, t < 0);
    }
  }
  for (const c of covered) for (const v of c) g.cover(v);
  return g;
};

/** `check --workers N`: the report `check` prints, from the parallel search. */
export const runCheckParallel = async (
  o: CheckOptions & { readonly workers: number },
  hooks: Pick<ParallelOptions, "onStart"> & { readonly onProgress?: CheckOptions["onProgress"] } = {},
): Promise<CheckReport> => {
  const { depth, maxStates, workers, onProgress: _p, onStart: _s, mode: _m, bitstateBits: _b, reduceSignals: _r, queue: _q, queueBudgetBytes, symmetry, ...check } = o;
  if (symmetry) {
    const refusal = symmetryRefusal(o);
    if (refusal !== undefined) throw new SymmetryRefused(refusal);
  }
  const t0 = performance.now();
  const r = await exploreParallel(check, {
    maxDepth: depth,
    maxStates,
    workers,
    ...(symmetry ? { symmetry } : {}),
    ...(queueBudgetBytes !== undefined ? { queueBudgetBytes } : {}),
    ...(hooks.onStart ? { onStart: hooks.onStart } : {}),
    ...(hooks.onProgress ? { onProgress: (p) => hooks.onProgress!({ ...p, seconds: (performance.now() - t0) / 1000 }) } : {}),
  });
  const lifted = symmetry ? liftResult(specSystem as unknown as SystemModel<HostConfig, unknown>, checkConfig(o), o.channels, r) : r;
  return checkReport(o, lifted, (performance.now() - t0) / 1000);
};
