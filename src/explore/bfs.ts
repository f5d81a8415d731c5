/**
 * Breadth-first exploration of a system model from its initial state: every reachable state
 * (deduplicated) up to a depth and a state budget; every invariant checked in every state;
 * deadlocks (SYS-DEADLOCK-1) found in states with nothing enabled; liveness (SYS-LIVE-1, -2)
 * by backward reachability over the explored graph (liveness.ts). Violations are deduplicated
 * by (kind, rule); BFS order makes the first trace found a shortest one.
 *
 * Two modes of deduplication:
 * - "fingerprint" (default): a 64-bit fingerprint of the state's compact binary encoding
 *   (encoding.ts, driven by the state description in state-shape.ts) in a typed-array table
 *   (visited.ts); the probability that a state was missed is reported (`collisionProbability`).
 * - "exact": the full canonical form (spec/system/canonical.ts) of every state.
 * Either way, a trace is kept as parent node + input index (typed arrays) and replayed through
 * the reducers when reported; the replay must end in the recorded state.
 */
import { canonicalKey } from "../../spec/system/canonical.js";
import type { SystemConfig } from "../../spec/system/config.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import { checkInvariants, deadlock, stepViolations } from "../../spec/system/invariants.js";
import type { SystemOutput, Violation } from "../../spec/system/outputs.js";
import type { SystemState } from "../../spec/system/state.js";
import type { HostView } from "../../spec/system/host-model.js";
import type { SystemModel } from "../../spec/system/system.js";
import { outcomeKey, stepOutcomes, type Outcome } from "../../spec/system/outcomes.js";
import { stateDecoder } from "./decoding.js";
import { fingerprint64, stateEncoder, type StateEncoder } from "./encoding.js";
import { Interner } from "./intern.js";
import { KeptParts } from "./kept-parts.js";
import { StateQueue } from "./queue.js";
import { deliversReply, livenessFacts, livenessViolations, LiveGraph } from "./liveness.js";
import type { Shape } from "./shape.js";
import { ANY_SYSTEM_STATE } from "./state-shape.js";
import { BitstateTable, FingerprintTable, type IntVec } from "./visited.js";

export type ExploreMode = "fingerprint" | "exact" | "bitstate";

export interface ExploreOptions {
  readonly maxDepth: number;
  readonly maxStates: number;
  /** Default "fingerprint". */
  readonly mode?: ExploreMode;
  /** Description of the state type (default: any host state as strict plain data). */
  readonly shape?: Shape;
  /** Check SYS-LIVE-1/-2 (default true; not in bitstate mode): keeps the explored graph (4 bytes per transition). */
  readonly liveness?: boolean;
  /** Bitstate mode: the table has 2^bitstateBits bits (default 27: 16 MiB). */
  readonly bitstateBits?: number;
  /**
   * Guest-signal reduction (default true): a guest signal whose step changes nothing but the
   * driver's bookkeeping of signals (same guest, host, slot and in-flight messages) is probed
   * (its step is checked for findings) instead of branched on. Sound because nothing but
   * `signallable` reads that bookkeeping (spec/system/driver.ts): a state that differs only in
   * it has the same future, and the probe runs in every state where the signal is enabled.
   * A signal that changes anything else is explored as an ordinary transition.
   */
  readonly reduceSignals?: boolean;
  /**
   * How the states waiting to be expanded are held: "compact" (default) as their binary encoding
   * in a queue of typed chunks (queue.ts), decoded when expanded; "live" as objects.
   */
  readonly queue?: "compact" | "live";
  /** Compact queue: bytes of chunks kept in memory before full chunks spill to a temporary file (default: no limit). */
  readonly queueBudgetBytes?: number;
  /** Called now and then with the counts so far (for a progress line). */
  readonly onProgress?: (p: { readonly states: number; readonly transitions: number; readonly depth: number }) => void;
}

export interface TraceStep {
  readonly input: SystemInput;
  readonly outputs: readonly SystemOutput[];
}

export interface Finding {
  readonly violation: Violation;
  readonly trace: readonly TraceStep[];
}

/** A protocol outcome (not a violation) with its shortest trace. */
export interface OutcomeFinding {
  readonly outcome: Outcome;
  readonly trace: readonly TraceStep[];
}

export type StopReason = "depth" | "states" | "interrupted";

export interface ExploreResult {
  readonly states: number;
  readonly transitions: number;
  /** Deepest level reached. */
  readonly depth: number;
  /** True when every reachable state was explored (no bound was hit). */
  readonly complete: boolean;
  /** Why the search stopped early (null: complete). */
  readonly stoppedBy: StopReason | null;
  readonly findings: readonly Finding[];
  /** Protocol outcomes (host rejections, QEMU quirks), deduplicated by rule and row, shortest trace each. */
  readonly outcomes: readonly OutcomeFinding[];
  readonly mode: ExploreMode;
  /**
   * Probability that a state was missed: through a 64-bit fingerprint collision (fingerprint
   * mode), or, in bitstate mode, that a new state was taken as seen (0 in exact mode).
   */
  readonly collisionProbability: number;
  /** Bitstate mode: table size, hashes per state and bits per stored state (SPIN's hash factor). */
  readonly bitstate?: { readonly log2Bits: number; readonly hashes: number; readonly hashFactor: number };
  /** Whether SYS-LIVE-1/-2 were checked (not with `liveness: false`, nor in bitstate mode). */
  readonly livenessChecked: boolean;
  /** Bytes held by the visited set and trace bookkeeping; and by the liveness graph. */
  readonly visitedBytes: number;
  readonly graphBytes: number;
  /** Guest signals probed instead of branched on (reduceSignals). */
  readonly probedSignals: number;
  /** The queue of states waiting to be expanded: how they were held, most bytes in memory (compact only), most states, bytes spilled to disk. */
  readonly queue: { readonly kind: "compact" | "live"; readonly peakBytes: number; readonly peakStates: number; readonly spilledBytes: number };
}

/** Re-run a path of inputs from the initial state, collecting each step's outputs. */
export const replayPath = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, inputs: readonly SystemInput[]): TraceStep[] => {
  let s = model.initial(config);
  const out: TraceStep[] = [];
  for (const input of inputs) {
    const r = model.step(config, s, input);
    out.push({ input, outputs: r.outputs });
    s = r.state;
  }
  return out;
};

/** `find` of a bitstate visited set: the state was seen, but it has no node (no id to point to). */
const SEEN = -2;

/** The visited set of one mode: node of a state (-1: new; SEEN: seen, no node), and adding one. */
interface Visited<HS> {
  /** Node table (parent node and input index per node) and the bytes held. */
  readonly table: { readonly size: number; readonly bytes: number; readonly parent: IntVec; readonly input: IntVec };
  /** Prepare `state` (encode + fingerprint, or its canonical key); then find / add use it. */
  key(state: SystemState<HS>): void;
  find(): number;
  add(parent: number, input: number): number;
  /** After `key(s)`: is s the state of `node` (as far as this mode can tell)? */
  is(node: number): boolean;
  missProbability(): number;
}

const fingerprintVisited = <HS>(encoder: StateEncoder): Visited<HS> => {
  const table = new FingerprintTable();
  const fp = new Int32Array(2);
  return {
    table,
    key: (s) => {
      encoder.encode(s);
      fingerprint64(encoder.writer.buf, encoder.writer.pos, fp);
    },
    find: () => table.find(fp[0]!, fp[1]!),
    add: (parent, input) => table.add(fp[0]!, fp[1]!, parent, input),
    is: (node) => table.find(fp[0]!, fp[1]!) === node,
    missProbability: () => table.collisionProbability,
  };
};

const bitstateVisited = <HS>(encoder: StateEncoder, log2Bits: number): Visited<HS> & { readonly bits: BitstateTable } => {
  const table = new BitstateTable(log2Bits);
  const fp = new Int32Array(2);
  return {
    table,
    bits: table,
    key: (s) => {
      encoder.encode(s);
      fingerprint64(encoder.writer.buf, encoder.writer.pos, fp);
      table.prepare(fp[0]!, fp[1]!);
    },
    find: () => (table.seen() ? SEEN : -1),
    add: (parent, input) => table.add(parent, input),
    is: () => table.seen(),
    missProbability: () => table.omissionProbability,
  };
};

const exactVisited = <HS>(): Visited<HS> => {
  const table = new FingerprintTable();
  const nodes = new Map<string, number>();
  let k = "";
  return {
    table,
    key: (s) => {
      k = canonicalKey(s);
    },
    find: () => nodes.get(k) ?? -1,
    add: (parent, input) => {
      // The node table keeps parent and input; its fingerprint columns hold the node id.
      const id = table.add(nodes.size, 0, parent, input);
      nodes.set(k, id);
      return id;
    },
    is: (node) => nodes.get(k) === node,
    missProbability: () => 0,
  };
};

/** The states of one breadth-first level, in order, with their node ids. */
interface Level<HS> {
  readonly length: number;
  push(state: SystemState<HS>, node: number): void;
  shift(): { readonly state: SystemState<HS>; readonly node: number } | null;
  /** Bytes held in memory now (0 for live objects: not measured), and bytes ever spilled to disk. */
  readonly memoryBytes: number;
  readonly spilledBytes: number;
  close(): void;
}

const liveLevel = <HS>(): Level<HS> => {
  const items: { state: SystemState<HS>; node: number }[] = [];
  let index = 0;
  return {
    get length() {
      return items.length - index;
    },
    push: (state, node) => void items.push({ state, node }),
    shift: () => {
      if (index >= items.length) return null;
      const it = items[index++]!;
      if (index === items.length) {
        items.length = 0;
        index = 0;
      }
      return it;
    },
    memoryBytes: 0,
    spilledBytes: 0,
    close: () => {},
  };
};

/** A level held as encoded states (queue.ts); one encoder and decoder for both levels. */
const compactLevel = <HS>(encoder: StateEncoder, decode: (buf: Uint8Array, start: number, end: number) => unknown, budgetBytes?: number): Level<HS> => {
  const q = new StateQueue(budgetBytes === undefined ? {} : { budgetBytes });
  return {
    get length() {
      return q.length;
    },
    push: (state, node) => {
      // The visited set has usually just encoded this state with the same encoder.
      if (encoder.last() !== state) encoder.encode(state);
      q.push(encoder.writer.buf, encoder.writer.pos, node);
    },
    shift: () => {
      const r = q.shift();
      return r ? { state: decode(r.buf, r.start, r.end) as SystemState<HS>, node: r.node } : null;
    },
    get memoryBytes() {
      return q.memoryBytes;
    },
    get spilledBytes() {
      return q.spilledBytes;
    },
    close: () => q.close(),
  };
};

/** What one state's expansion reports (expandState). */
export interface ExpandSink<HS> {
  violation(v: Violation, input: SystemInput, k: number): void;
  outcome(o: Outcome, input: SystemInput, k: number): void;
  /** A host defect: the real host crashed in this step, nothing follows it. */
  crashed(): void;
  /** A successor to deduplicate (input `k` of `enabled(state)`); false stops the expansion. */
  successor(next: SystemState<HS>, k: number, input: SystemInput): boolean;
}

/**
 * Every step from `state`: each enabled input's step is checked for findings (violations,
 * outcomes) and its successor handed to the sink, except a step that crashed the host
 * (a defect) and, with `reduceSignals`, a guest signal that changes nothing but the driver's
 * bookkeeping of signals (probed: checked for findings, not branched on). `branching` counts
 * the successors that matter for deadlock detection. One definition for every search
 * (breadth-first, sharded).
 */
export const expandState = <HC, HS>(
  model: SystemModel<HC, HS>,
  config: SystemConfig<HC>,
  state: SystemState<HS>,
  reduceSignals: boolean,
  sink: ExpandSink<HS>,
): { readonly transitions: number; readonly probed: number; readonly branching: number } => {
  const inputs = model.enabled(config, state);
  if (inputs.length > 0xffff) throw new Error(`${inputs.length} inputs enabled in one state: more than the trace bookkeeping holds`);
  let branching = inputs.length;
  let transitions = 0;
  let probed = 0;
  let pre: HostView | undefined;
  const before = (): HostView => (pre ??= model.host.view(state.host));
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k]!;
    const r = model.step(config, state, input);
    transitions++;
    let defect = false;
    for (const v of stepViolations(r.outputs, r.state.hostile.posts === 0)) {
      sink.violation(v, input, k);
      if (v.kind === "defect") defect = true;
    }
    for (const o of stepOutcomes(r.outputs, before, () => model.host.view(r.state.host))) sink.outcome(o, input, k);
    if (defect) {
      sink.crashed();
      continue;
    }
    if (input.kind === "guestSignal" && reduceSignals && r.state.host === state.host && r.state.guest === state.guest && r.state.slot === state.slot && r.state.inFlight === state.inFlight) {
      probed++;
      branching--;
      continue;
    }
    if (!sink.successor(r.state, k, input)) break;
  }
  return { transitions, probed, branching };
};

/**
 * An exploration in progress: `run(deadline)` explores until the deadline (ms, performance.now)
 * or the end; `result()` replays and reports what was found so far. `explore` runs it to the
 * end in one go; `exploreAsync` yields to the event loop between slices (progress, Ctrl-C).
 */
export class Exploration<HC, HS> {
  private readonly visited: Visited<HS>;
  private readonly found = new Map<string, { violation: Violation; node: number; last?: SystemInput }>();
  private readonly outcomes = new Map<string, { outcome: Outcome; node: number; last: SystemInput }>();
  private readonly graph: LiveGraph | null;
  private frontier: Level<HS>;
  private next: Level<HS>;
  private peakQueueBytes = 0;
  private peakQueued = 0;
  private spilledQueueBytes = 0;
  private transitions = 0;
  private depth = 0;
  private stoppedBy: StopReason | null = null;
  private done = false;
  private lastProgress = 0;
  private probed = 0;
  private readonly reduceSignals: boolean;

  constructor(
    private readonly model: SystemModel<HC, HS>,
    private readonly config: SystemConfig<HC>,
    private readonly opts: ExploreOptions,
  ) {
    const mode = opts.mode ?? "fingerprint";
    // One encoding for this search, with the parts states share interned (intern.ts): injective,
    // so its fingerprints name states as well as the full encoding's, and it is what the queue
    // stores. (Shards and swarm runs fingerprint the full encoding: ids are local to a process.)
    const shape = opts.shape ?? ANY_SYSTEM_STATE;
    const interner = new Interner();
    // The parts of the state being expanded, noted as it is decoded from the queue (kept-parts.ts).
    const kept = opts.queue === "live" ? undefined : new KeptParts();
    const encoder = stateEncoder(shape, interner, kept);
    this.visited = mode === "exact" ? exactVisited<HS>() : mode === "bitstate" ? bitstateVisited<HS>(encoder, opts.bitstateBits ?? 27) : fingerprintVisited<HS>(encoder);
    // Bitstate mode keeps no node for a state it takes as seen, so the explored graph cannot be built.
    this.graph = opts.liveness === false || mode === "bitstate" ? null : new LiveGraph();
    this.reduceSignals = opts.reduceSignals ?? true;
    if (opts.queue === "live") {
      this.frontier = liveLevel();
      this.next = liveLevel();
    } else {
      const { decode } = stateDecoder(shape, interner, kept);
      this.frontier = compactLevel(encoder, decode, opts.queueBudgetBytes);
      this.next = compactLevel(encoder, decode, opts.queueBudgetBytes);
    }
    const init = model.initial(config);
    this.visited.key(init);
    this.visited.add(-1, -1);
    this.noteState(init);
    for (const v of checkInvariants(model.host, config, init)) this.report(v, 0);
    this.frontier.push(init, 0);
  }

  get states(): number {
    return this.visited.table.size;
  }

  /** Interrupt: stop at the next slice; `result()` reports what was found so far. */
  interrupt(): void {
    if (!this.done) {
      this.done = true;
      this.stoppedBy = "interrupted";
    }
  }

  private report(v: Violation, node: number, last?: SystemInput): void {
    const k = `${v.kind}/${v.rule}`;
    if (!this.found.has(k)) this.found.set(k, last ? { violation: v, node, last } : { violation: v, node });
  }

  /** Liveness bookkeeping for a new state: its host queue length and whether the guest waits. */
  private noteState(s: SystemState<HS>): void {
    if (!this.graph) return;
    const { queued, waits } = livenessFacts(this.model, s);
    this.graph.addNode(queued, waits);
  }

  /** Explore until `deadline` (performance.now() ms) or the end; true when finished. */
  run(deadline = Infinity): boolean {
    const { model, config, opts, visited, graph } = this;
    while (!this.done) {
      if (this.frontier.length === 0) {
        this.noteQueue();
        const empty = this.frontier;
        this.frontier = this.next;
        this.next = empty;
        if (this.frontier.length === 0) {
          this.done = true;
          break;
        }
        this.depth++;
        if (this.depth >= opts.maxDepth) {
          this.stop("depth");
          break;
        }
      }
      const { state, node } = this.frontier.shift()!;
      graph?.expand(node);
      const e = expandState(model, config, state, this.reduceSignals, {
        violation: (v, input) => this.report(v, node, input),
        outcome: (o, input) => {
          const key = outcomeKey(o);
          if (!this.outcomes.has(key)) this.outcomes.set(key, { outcome: o, node, last: input });
        },
        crashed: () => graph?.cover(node),
        successor: (next, k, input) => {
          visited.key(next);
          let id = visited.find();
          if (id === -1) {
            if (visited.table.size >= opts.maxStates) {
              // This state and the rest of the frontier stay unexplored.
              graph?.cover(node);
              this.stop("states");
              return false;
            }
            id = visited.add(node, k);
            this.noteState(next);
            for (const v of checkInvariants(model.host, config, next)) this.report(v, id);
            this.next.push(next, id);
          }
          graph?.edge(node, id, deliversReply(input, state));
          return true;
        },
      });
      this.transitions += e.transitions;
      this.probed += e.probed;
      // Nothing else can happen (probed signals change nothing that matters): the guest's waits are a deadlock.
      if (this.stoppedBy === null) {
        const dl = deadlock(state, e.branching);
        if (dl) {
          this.report(dl, node);
          graph?.cover(node);
        }
      }
      if ((this.frontier.length & 255) === 0) {
        this.noteQueue();
        const now = performance.now();
        if (now - this.lastProgress > 200) {
          this.lastProgress = now;
          opts.onProgress?.({ states: visited.table.size, transitions: this.transitions, depth: this.depth + 1 });
        }
        if (now >= deadline) return false;
      }
    }
    return true;
  }

  private stop(why: StopReason): void {
    this.done = true;
    this.stoppedBy = why;
  }

  private noteQueue(): void {
    const held = this.frontier.memoryBytes + this.next.memoryBytes;
    if (held > this.peakQueueBytes) this.peakQueueBytes = held;
    const queued = this.frontier.length + this.next.length;
    if (queued > this.peakQueued) this.peakQueued = queued;
  }

  /** Release the queue's memory and spill files (result() does it; call it when abandoning a run). */
  close(): void {
    this.noteQueue();
    this.spilledQueueBytes = this.frontier.spilledBytes + this.next.spilledBytes;
    this.frontier.close();
    this.next.close();
  }

  /** The input indices from the initial state to `node`. */
  private pathTo(node: number): number[] {
    const t = this.visited.table;
    const path: number[] = [];
    for (let n = node; n > 0; n = t.parent.a[n]!) path.push(t.input.a[n]!);
    return path.reverse();
  }

  /** Replay a node's path through the reducers (checking that it ends in the recorded state), then `last`. */
  private traceTo(node: number, last?: SystemInput): TraceStep[] {
    const { model, config } = this;
    let s = model.initial(config);
    const out: TraceStep[] = [];
    for (const k of this.pathTo(node)) {
      const input = model.enabled(config, s)[k];
      if (!input) throw new Error(`replay of node ${node}: input ${k} is not enabled`);
      const r = model.step(config, s, input);
      out.push({ input, outputs: r.outputs });
      s = r.state;
    }
    this.visited.key(s);
    if (!this.visited.is(node)) throw new Error(`replay of node ${node} ended in another state (a reducer is not deterministic)`);
    if (last) out.push({ input: last, outputs: model.step(config, s, last).outputs });
    return out;
  }

  result(): ExploreResult {
    this.close();
    const findings: Finding[] = [...this.found.values()].map((f) => ({ violation: f.violation, trace: this.traceTo(f.node, f.last) }));
    if (this.graph) {
      const frontierStart = this.stoppedBy === null ? this.states : this.graph.expanded;
      for (const l of livenessViolations(this.graph, frontierStart)) findings.push({ violation: l.violation, trace: this.traceTo(l.node) });
    }
    const outs: OutcomeFinding[] = [...this.outcomes.values()].map((o) => ({ outcome: o.outcome, trace: this.traceTo(o.node, o.last) }));
    const mode = this.opts.mode ?? "fingerprint";
    return {
      states: this.states,
      transitions: this.transitions,
      depth: this.depth,
      complete: this.stoppedBy === null,
      stoppedBy: this.stoppedBy,
      findings: sortFindings(findings),
      outcomes: sortOutcomes(outs),
      mode,
      collisionProbability: this.visited.missProbability(),
      ...("bits" in this.visited ? { bitstate: bitstateInfo(this.visited.bits as BitstateTable) } : {}),
      livenessChecked: this.graph !== null,
      visitedBytes: this.visited.table.bytes,
      graphBytes: this.graph?.bytes ?? 0,
      probedSignals: this.probed,
      queue: { kind: this.opts.queue ?? "compact", peakBytes: this.peakQueueBytes, peakStates: this.peakQueued, spilledBytes: this.spilledQueueBytes },
    };
  }
}

/** The order findings are reported in: shortest trace first. */
export const sortFindings = (f: Finding[]): Finding[] => f.sort((a, b) => a.trace.length - b.trace.length);

/** The order outcomes are reported in: by QEMU quirk row, then shortest trace, then rule. */
export const sortOutcomes = (o: OutcomeFinding[]): OutcomeFinding[] =>
  o.sort((a, b) => (a.outcome.row ?? 99) - (b.outcome.row ?? 99) || a.trace.length - b.trace.length || a.outcome.rule.localeCompare(b.outcome.rule));

const bitstateInfo = (t: BitstateTable) => ({ log2Bits: t.log2Bits, hashes: t.hashes, hashFactor: t.hashFactor });

export const explore = <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, opts: ExploreOptions): ExploreResult => {
  const e = new Exploration(model, config, opts);
  e.run();
  return e.result();
};

/**
 * Explore in slices of ~50 ms, yielding to the event loop between them (signals, progress).
 * `onStart` receives the exploration (to interrupt it on Ctrl-C).
 */
export const exploreAsync = async <HC, HS>(model: SystemModel<HC, HS>, config: SystemConfig<HC>, opts: ExploreOptions, onStart?: (e: Exploration<HC, HS>) => void): Promise<ExploreResult> => {
  const e = new Exploration(model, config, opts);
  onStart?.(e);
  while (!e.run(performance.now() + 50)) await new Promise<void>((resolve) => setImmediate(resolve));
  return e.result();
};
