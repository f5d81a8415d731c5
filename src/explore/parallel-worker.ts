/**
 * A worker thread of `check --workers N` (parallel.ts): for each level it is asked to expand,
 * it claims chunks of encoded states until none is left, expands each state with bfs.ts's
 * expandState (the one definition of a step every search uses), adds each successor to the
 * shared table (shared-table.ts) and keeps the states it was first to add, encoded, for the next
 * level. Findings are reported with the node their trace ends in; the main thread replays them.
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkInvariants, deadlock } from "../../spec/system/invariants.js";
import { outcomeKey } from "../../spec/system/outcomes.js";
import type { Violation } from "../../spec/system/outputs.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import type { SystemState } from "../../spec/system/state.js";
import { expandState } from "./bfs.js";
import { checkConfig } from "./check.js";
import { stateDecoder } from "./decoding.js";
import { fingerprint64, stateEncoder } from "./encoding.js";
import { ChunkWriter, forEachRecord } from "./level-chunks.js";
import { KeptParts } from "./kept-parts.js";
import { SharedInterner, SharedPartsFull } from "./shared-interner.js";
import { deliversReply, livenessFacts } from "./liveness.js";
import type { LevelDone, LevelRequest, NodeFinding, NodeOutcome, WorkerFailed, WorkerInit } from "./parallel-messages.js";
import { loadSystem } from "./parallel-system.js";
import { symmetricSystem } from "./symmetry.js";
import { Control, FULL, SharedTable, STOP_BUDGET } from "./shared-table.js";
import { ANY_SYSTEM_STATE, SPEC_SYSTEM_STATE } from "./state-shape.js";
import { IntVec } from "./visited.js";

const init = workerData as WorkerInit;
const loaded = await loadSystem(init.system);
const model = init.symmetry ? symmetricSystem(loaded, init.check.channels) : loaded;
const config = checkConfig({ ...init.check, depth: 0, maxStates: 0 });
const shape = init.system ? ANY_SYSTEM_STATE : SPEC_SYSTEM_STATE;
const table = new SharedTable(init.table);
const control = table.control;
// States are encoded with the interner every thread shares (shared-interner.ts): one thread's compact
// encoding, ids agreed on by all; the guest, the host and their arrays are copied from the state
// being expanded when a step keeps them (kept-parts.ts).
const parts = new SharedInterner(init.parts, shape);
const kept = new KeptParts();
const encoder = stateEncoder(shape, parts, kept);
const { decode } = stateDecoder(shape, parts, kept);
const fp = new Int32Array(2);
const reported = new Set<string>();

// Past its share of the queue budget, the level this worker writes goes to its spill files (level-chunks.ts).
const next = new ChunkWriter({
  ...(init.budgetBytes !== undefined ? { budgetBytes: init.budgetBytes } : {}),
  ...(init.pageBytes !== undefined ? { pageBytes: init.pageBytes } : {}),
});

const expandLevel = (req: LevelRequest): LevelDone => {
  const edges = new IntVec();
  const covered = new IntVec();
  const findings: NodeFinding[] = [];
  const outcomes: NodeOutcome[] = [];
  const report = (v: Violation, node: number, length: number, last?: SystemInput): void => {
    const key = `${v.kind}/${v.rule}`;
    if (reported.has(key)) return;
    reported.add(key);
    findings.push(last ? { key, violation: v, node, last, length } : { key, violation: v, node, length });
  };
  let transitions = 0;
  let probed = 0;
  const depth = req.depth;
  next.startLevel();
  for (;;) {
    if (Atomics.load(control, Control.Stop) !== 0) break;
    const c = Atomics.add(control, Control.Cursor, 1);
    if (c >= req.chunks.length) break;
    forEachRecord(req.chunks[c]!, (node, bytes, start, end) => {
      if (Atomics.load(control, Control.Stop) !== 0) return false;
      const state = decode(bytes, start, end) as SystemState<unknown>;
      let full = false;
      const e = expandState(model, config, state, true, {
        violation: (v, input) => report(v, node, depth + 1, input),
        outcome: (o, input) => {
          const key = `outcome/${outcomeKey(o)}`;
          if (reported.has(key)) return;
          reported.add(key);
          outcomes.push({ key, outcome: o, node, last: input, length: depth + 1 });
        },
        crashed: () => covered.push(node),
        successor: (s, k, input) => {
          encoder.encode(s);
          fingerprint64(encoder.writer.buf, encoder.writer.pos, fp);
          let id = table.insert(fp[0]!, fp[1]!, node, k);
          if (id === FULL) {
            // This state and the rest of the level stay unexplored (as one thread does at its budget).
            covered.push(node);
            Atomics.compareExchange(control, Control.Stop, 0, STOP_BUDGET);
            full = true;
            return false;
          }
          if (id >= 0) {
            if (init.liveness) {
              const f = livenessFacts(model, s);
              table.queued[id] = Math.min(f.queued, 255);
              table.waits[id] = f.waits ? 1 : 0;
            }
            for (const v of checkInvariants(model.host, config, s)) report(v, id, depth + 1);
            next.push(id, encoder.writer.buf, encoder.writer.pos);
          } else id = -2 - id;
          if (init.liveness) {
            edges.push(node);
            edges.push(deliversReply(input, state) ? ~id : id);
          }
          return true;
        },
      });
      transitions += e.transitions;
      probed += e.probed;
      if (!full) {
        const dl = deadlock(state, e.branching);
        if (dl) {
          report(dl, node, depth);
          covered.push(node);
        }
      }
      return true;
    });
  }
  const nextStates = next.states;
  const nextBytes = next.heldBytes;
  const spilledBytes = next.spilledBytes;
  return {
    type: "done",
    next: next.take(),
    nextStates,
    nextBytes,
    spilledBytes,
    edges: edges.a.slice(0, edges.n),
    covered: covered.a.slice(0, covered.n),
    findings,
    outcomes,
    transitions,
    probed,
  };
};

parentPort!.on("message", (req: LevelRequest) => {
  try {
    const done = expandLevel(req);
    parentPort!.postMessage(done, [done.edges.buffer as ArrayBuffer, done.covered.buffer as ArrayBuffer]);
  } catch (e) {
    const failed: WorkerFailed = { type: "error", message: e instanceof Error ? e.message : String(e), ...(e instanceof SharedPartsFull ? { full: true } : {}) };
    parentPort!.postMessage(failed);
  }
});
