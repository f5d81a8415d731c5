/** The messages between `check --workers N`'s main thread (parallel.ts) and its workers (parallel-worker.ts). */
import type { HostConfig } from "../../spec/host/host.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import type { Outcome } from "../../spec/system/outcomes.js";
import type { Violation } from "../../spec/system/outputs.js";
import type { Chunk } from "./level-chunks.js";
import type { RunCheck } from "./run-file.js";
import type { SharedInternerBuffers } from "./shared-interner.js";
import type { SharedTableBuffers } from "./shared-table.js";

/** What a worker is started with (workerData). */
export interface WorkerInit {
  readonly check: RunCheck & { readonly hostParameters?: HostConfig["parameters"] };
  readonly table: SharedTableBuffers;
  /** The interner every thread shares (strings and memo parts by id). */
  readonly parts: SharedInternerBuffers;
  /** Keep the transitions for the liveness graph. */
  readonly liveness: boolean;
  /** Another system than the spec's (parallel.ts SystemModule). */
  readonly system?: SystemModule;
  /** Channel symmetry (symmetry.ts): every thread explores the same quotient. */
  readonly symmetry?: boolean;
  /** This worker's share of the queue budget: bytes of the level it writes kept in memory before pages go to disk (default: no limit). */
  readonly budgetBytes?: number;
  /** Bytes per page of the levels it writes (default level-chunks.ts PAGE_BYTES). */
  readonly pageBytes?: number;
}

/**
 * A system model to search instead of the spec's, by the ES module (file URL) that exports it:
 * functions do not cross threads, so every worker imports it. Tests plant bugs this way.
 */
export interface SystemModule {
  readonly url: string;
  /** The export's name (default "system"). */
  readonly name?: string;
}

/** Expand the states of level `depth` (the chunks, claimed through the table's cursor). */
export interface LevelRequest {
  readonly type: "level";
  readonly depth: number;
  readonly chunks: readonly Chunk[];
}

/** A finding, or an outcome, with the node its trace ends in, the last input after it, and the trace's length. */
export interface NodeFinding {
  readonly key: string;
  readonly violation: Violation;
  readonly node: number;
  readonly last?: SystemInput;
  readonly length: number;
}
export interface NodeOutcome {
  readonly key: string;
  readonly outcome: Outcome;
  readonly node: number;
  readonly last: SystemInput;
  readonly length: number;
}

/** A worker's share of one level. */
export interface LevelDone {
  readonly type: "done";
  /** The new states it stored, for the next level. */
  readonly next: readonly Chunk[];
  readonly nextStates: number;
  /** Bytes of those states held in memory, and written to the worker's spill file. */
  readonly nextBytes: number;
  readonly spilledBytes: number;
  /** Transitions as (from, to) pairs; `to` is `~id` when the step delivered a host message to the guest (liveness.ts). */
  readonly edges: Int32Array;
  /** Nodes that progress by a way liveness leaves to other rules: a crash, a deadlock, a successor not stored (budget). */
  readonly covered: Int32Array;
  /** Findings and outcomes of keys it had not reported before. */
  readonly findings: readonly NodeFinding[];
  readonly outcomes: readonly NodeOutcome[];
  readonly transitions: number;
  readonly probed: number;
}

export interface WorkerFailed {
  readonly type: "error";
  /** The shared store of interned parts is full (shared-interner.ts): a limit, not a bug. */
  readonly full?: boolean;
  readonly message: string;
}
