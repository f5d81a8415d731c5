/**
 * A sharded breadth-first search: shard i of N explores the states whose fingerprint falls in
 * its part (fingerprint mod N = i), in rounds that are the BFS levels of the whole search. In
 * round R a shard expands the states of depth R it owns; a successor another shard owns is
 * sent to it through the exchange directory with its path (the input indices from the initial
 * state, so every finding has its shortest trace) and its binary state encoding (a frontier file,
 * frontier-file.ts). Per round, each shard writes `r<R>/to-<j>-from-<i>.bin` for every other
 * shard j, then `r<R>/done-<i>.json` with how many states it holds and has for the next round
 * and whether its state budget stopped it; it waits for every shard's `done`, reads (then deletes)
 * what was sent to it, checking each state by decoding it (decoding.ts: anything that is not an
 * encoding of this check's states is refused with its path and byte) and by its owner, and goes
 * on until the whole search has nothing left. Files are written to a temporary name and
 * renamed, so a reader never sees half a file. A shard's own frontier is held encoded too, and
 * decoded when expanded: it holds no live states between levels.
 *
 * Liveness (SYS-LIVE-1/-2) needs the whole explored graph and is not checked by a sharded
 * search (the result says so). The shard results are combined by `check merge` (shard-result.ts).
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SystemState } from "../../spec/system/state.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { checkConfig } from "./check.js";
import { DecodingError, stateDecoder } from "./decoding.js";
import { fingerprint64 } from "./encoding.js";
import { FrontierFileError, FrontierWriter, readFrontier, shapeFingerprint, type FrontierRecord } from "./frontier-file.js";
import { deliversReply, livenessFacts } from "./liveness.js";
import { fingerprinter, PathFindings } from "./path-search.js";
import { NODE_COVERED, NODE_EXPANDED, NODE_WAITS, type GraphWriter } from "./shard-graph.js";
import type { SystemModel } from "../../spec/system/system.js";
import { SPEC_SYSTEM_STATE } from "./state-shape.js";
import type { RunCheck } from "./run-file.js";
import { FingerprintTable } from "./visited.js";
import type { ShardBounds, ShardResult } from "./shard-result.js";

export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

export interface ShardOptions {
  readonly check: RunCheck;
  /** The system searched (default: the spec's; tests plant bugs in a host). */
  readonly model?: SystemModel<unknown, unknown>;
  /** Collects this shard's part of the explored graph, for liveness at merge (shard-graph.ts). */
  readonly graph?: GraphWriter;
  readonly bounds: ShardBounds;
  readonly shard: ShardSpec;
  /** The exchange directory every shard of the campaign shares. */
  readonly exchange: string;
  /** How long to wait for the other shards in one round (default 10 min). */
  readonly roundTimeoutMs?: number;
  readonly onRound?: (p: { readonly round: number; readonly states: number; readonly transitions: number }) => void;
  readonly interrupted?: () => boolean;
}

export class ShardError extends Error {}

/** A state this shard stored and has not expanded yet. */
interface Entry {
  readonly path: number[];
  readonly encoded: Uint8Array;
  /** Its fingerprint, and the one of the state it was first reached from. */
  readonly hi: number;
  readonly lo: number;
  readonly parent: readonly [number, number];
  /** What liveness needs of it (only with a graph). */
  readonly queued: number;
  readonly waits: boolean;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const writeAtomic = async (file: string, text: string | Uint8Array): Promise<void> => {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
};

const waitFor = async (file: string, deadline: number, what: string): Promise<Buffer> => {
  for (let pause = 2; ; pause = Math.min(50, pause * 2)) {
    try {
      await stat(file);
      return await readFile(file);
    } catch {
      if (Date.now() > deadline) throw new ShardError(`${what}: ${file} did not appear in time (is every shard of the campaign running, with the same --exchange?)`);
      await sleep(pause);
    }
  }
};

interface Done {
  /** States this shard has for the next level (its own new ones and those it sent). */
  readonly next: number;
  /** Its state budget is spent (or it was interrupted): the campaign stops. */
  readonly stop: boolean;
  /** It holds states at the depth bound: the campaign stops there, not exhaustive. */
  readonly atBound: boolean;
  /** The states of this level it holds (new ones only). */
  readonly held: number;
}

export const runShard = async (o: ShardOptions): Promise<ShardResult> => {
  const { index, count } = o.shard;
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count)) throw new ShardError(`shard ${index}/${count}: the index must be 0..count-1`);
  const model = o.model ?? (specSystem as SystemModel<unknown, unknown>);
  const config = checkConfig({ ...o.check, ...o.bounds });
  const graph = o.graph;
  const { fp, of: fingerprint, encoding } = fingerprinter();
  const { decode } = stateDecoder(SPEC_SYSTEM_STATE);
  const shape = shapeFingerprint(SPEC_SYSTEM_STATE);
  const decodeOwn = (bytes: Uint8Array): SystemState<unknown> => decode(bytes) as SystemState<unknown>;
  const ownerOf = (s: SystemState<unknown>): number => (fingerprint(s)[1]! >>> 0) % count;
  const visited = new FingerprintTable();
  const found = new PathFindings(config, model);
  const timeout = o.roundTimeoutMs ?? 600_000;
  const { depth: maxDepth, maxStates } = o.bounds;
  let full = false;
  /**
   * A state this shard owns, seen for the first time (reached by `path` from the state with
   * fingerprint parent): stored, its invariants checked, and its entry for the next level made.
   * Undefined when the budget is spent.
   */
  const admit = (s: SystemState<unknown>, hi: number, lo: number, parent: readonly [number, number], path: number[], encoded: Uint8Array): Entry | undefined => {
    if (visited.size >= maxStates) {
      full = true;
      return undefined;
    }
    visited.add(hi, lo, -1, -1);
    found.atState(s, path);
    const { queued, waits } = graph ? livenessFacts(model, s) : { queued: 0, waits: false };
    return { path, encoded, hi, lo, parent, queued, waits };
  };
  /** The node record of an entry (shard-graph.ts), once it is known whether it was expanded. */
  const recordNode = (e: Entry, depth: number, flags: number): void =>
    graph?.node(e.hi, e.lo, e.parent[0], e.parent[1], e.path.length ? e.path[e.path.length - 1]! : 0, depth, e.queued, (e.waits ? NODE_WAITS : 0) | flags);
  // A received state must be owned by this shard and, if new here, decode as one of this check's
  // states (the decoder refuses anything else, by path and byte). Decoding is the exact inverse
  // of the encoding, so the state's fingerprint is the fingerprint of the bytes received.
  const received = (rec: FrontierRecord, from: number): SystemState<unknown> | undefined => {
    fingerprint64(rec.encoding, rec.encoding.length, fp);
    if ((fp[1]! >>> 0) % count !== index) throw new ShardError(`shard ${from} sent a state shard ${index} does not own: do the shards run with the same N?`);
    if (visited.find(fp[0]!, fp[1]!) >= 0) return undefined;
    try {
      return decodeOwn(rec.encoding);
    } catch (e) {
      if (e instanceof DecodingError) throw new ShardError(`shard ${from} sent what is not a state of this check (${e.message}): do the shards run the same check and version?`);
      throw e;
    }
  };
  // The states of this round's level that this shard owns (new ones only), encoded.
  let frontier: Entry[] = [];
  const init = model.initial(config) as SystemState<unknown>;
  if (ownerOf(init) === index) {
    const e = admit(init, fp[0]!, fp[1]!, [fp[0]!, fp[1]!], [], encoding().slice()); // the initial state is its own parent
    if (e) frontier.push(e);
  }
  let round = 0;
  let deepest = 0;
  let complete = false;
  let stoppedBy: "depth" | "states" | "interrupted" | null = null;
  for (;;) {
    const dir = join(o.exchange, `r${round}`);
    await mkdir(dir, { recursive: true });
    // A successor sent to its owner: its path and its encoding.
    const outgoing = Array.from({ length: count }, () => new FrontierWriter(shape));
    const next: Entry[] = [];
    // As in one process: the levels below the depth bound are expanded; states at the bound are counted, not expanded.
    const expanding = round < maxDepth;
    let expanded = 0;
    if (expanding) {
      for (; expanded < frontier.length && !full; expanded++) {
        const from = frontier[expanded]!;
        const state = decodeOwn(from.encoded);
        let spent = false;
        const { covered } = found.expand(state, from.path, (succ, k, input) => {
          const owner = ownerOf(succ);
          const [hi, lo] = [fp[0]!, fp[1]!];
          if (owner !== index) outgoing[owner]!.add(from.hi, from.lo, [...from.path, k], encoding());
          else if (visited.find(hi, lo) < 0) {
            const e = admit(succ, hi, lo, [from.hi, from.lo], [...from.path, k], encoding().slice());
            if (!e) {
              spent = true; // this state and the rest of the level stay unexplored
              return false;
            }
            next.push(e);
          }
          graph?.edge(from.hi, from.lo, hi, lo, deliversReply(input, state));
          return true;
        });
        recordNode(from, round, NODE_EXPANDED | (covered || spent ? NODE_COVERED : 0));
      }
    }
    const stop = full || o.interrupted?.() === true;
    for (let j = 0; j < count; j++) if (j !== index) await writeAtomic(join(dir, `to-${j}-from-${index}.bin`), outgoing[j]!.bytes());
    const sent = outgoing.reduce((n, x, j) => (j === index ? n : n + x.count), 0);
    await writeAtomic(join(dir, `done-${index}.json`), JSON.stringify({ next: next.length + sent, stop, atBound: !expanding && frontier.length > 0, held: frontier.length } satisfies Done));
    const deadline = Date.now() + timeout;
    let total = 0;
    let anyStop = false;
    let atBound = false;
    let held = 0;
    for (let j = 0; j < count; j++) {
      const d = JSON.parse((await waitFor(join(dir, `done-${j}.json`), deadline, `round ${round}, shard ${j}`)).toString("utf8")) as Done;
      total += d.next;
      anyStop ||= d.stop;
      atBound ||= d.atBound;
      held += d.held;
    }
    // The depth a single search reports: the deepest level with a state (sent states may all be seen ones).
    if (held > 0) deepest = round;
    o.onRound?.({ round, states: visited.size, transitions: found.transitions });
    const end = anyStop || atBound || total === 0;
    if (end) {
      // What was stored and not expanded: the rest of this level and the next one.
      for (let i = expanded; i < frontier.length; i++) recordNode(frontier[i]!, round, 0);
      for (const e of next) recordNode(e, round + 1, 0);
    }
    if (anyStop) {
      stoppedBy = o.interrupted?.() ? "interrupted" : "states";
      break;
    }
    if (atBound) {
      stoppedBy = "depth";
      break;
    }
    if (total === 0) {
      complete = true;
      break;
    }
    frontier = next;
    for (let j = 0; j < count; j++) {
      if (j === index) continue;
      const file = join(dir, `to-${index}-from-${j}.bin`);
      const bytes = await waitFor(file, deadline, `round ${round}, from shard ${j}`);
      try {
        for (const rec of readFrontier(bytes, shape)) {
          if (full) break;
          const s = received(rec, j);
          const e = s === undefined ? undefined : admit(s, fp[0]!, fp[1]!, [rec.parentHi, rec.parentLo], rec.path, rec.encoding.slice());
          if (e) frontier.push(e);
        }
      } catch (e) {
        if (e instanceof FrontierFileError) throw new ShardError(`shard ${j} sent a frontier file this shard cannot read (${file}: ${e.message})`);
        throw e;
      }
      await rm(file, { force: true }); // only this shard reads it: the directory holds about one round
    }
    round++;
  }
  return {
    format: "vmbus-spec-shard",
    formatVersion: 1,
    check: o.check,
    bounds: o.bounds,
    shard: { index, count },
    states: visited.size,
    transitions: found.transitions,
    depth: deepest,
    complete: complete && stoppedBy === null,
    stoppedBy,
    findings: [...found.findings.values()],
    outcomes: [...found.outcomes.values()],
  };
};
