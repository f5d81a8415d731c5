/**
 * A sharded breadth-first search: shard i of N explores the states whose fingerprint falls in
 * its part (fingerprint mod N = i), in rounds that are the BFS levels of the whole search. In
 * round R a shard expands the states of depth R it owns; a successor another shard owns is
 * sent to it through the exchange directory with its path (the input indices from the initial
 * state), in the form exchange.ts defines (the state's plain JSON form by default), so every
 * finding has its shortest trace. Per round, each shard writes `r<R>/to-<j>-from-<i>.json` for
 * every other shard j, then `r<R>/done-<i>.json` with how many states it has for the next round,
 * how many new states it saw and whether its state budget stopped it; it waits for every shard's
 * `done`, reads (then deletes) what was sent to it, and goes on until the whole search has
 * nothing left. Files are written to a temporary name and renamed, so a reader never sees half
 * a file.
 *
 * Liveness (SYS-LIVE-1/-2) needs the whole explored graph and is not checked by a sharded
 * search (the result says so). The shard results are combined by `check merge` (shard-result.ts).
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SystemState } from "../../spec/system/state.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { checkConfig } from "./check.js";
import { EncodingError } from "./encoding.js";
import { ExchangeError, jsonStateExchange, pathExchange, type FrontierEntry } from "./exchange.js";
import { fingerprinter, PathError, PathFindings } from "./path-search.js";
import type { RunCheck } from "./run-file.js";
import { FingerprintTable } from "./visited.js";
import type { ShardBounds, ShardResult } from "./shard-result.js";

export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

export interface ShardOptions {
  readonly check: RunCheck;
  readonly bounds: ShardBounds;
  readonly shard: ShardSpec;
  /** The exchange directory every shard of the campaign shares. */
  readonly exchange: string;
  /** How long to wait for the other shards in one round (default 10 min). */
  readonly roundTimeoutMs?: number;
  readonly onRound?: (p: { readonly round: number; readonly states: number; readonly transitions: number }) => void;
  readonly interrupted?: () => boolean;
  /** How successors travel to their owner (exchange.ts): as states (default) or as paths to replay. */
  readonly send?: "states" | "paths";
}

export class ShardError extends Error {}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const writeAtomic = async (file: string, text: string): Promise<void> => {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
};

const waitFor = async (file: string, deadline: number, what: string): Promise<string> => {
  for (let pause = 2; ; pause = Math.min(50, pause * 2)) {
    try {
      await stat(file);
      return await readFile(file, "utf8");
    } catch {
      if (Date.now() > deadline) throw new ShardError(`${what}: ${file} did not appear in time (is every shard of the campaign running, with the same --exchange?)`);
      await sleep(pause);
    }
  }
};

interface Done {
  readonly next: number;
  /** States this shard saw for the first time in the round. */
  readonly fresh: number;
  readonly stop: boolean;
}

export const runShard = async (o: ShardOptions): Promise<ShardResult> => {
  const { index, count } = o.shard;
  if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 0 && index < count)) throw new ShardError(`shard ${index}/${count}: the index must be 0..count-1`);
  const config = checkConfig({ ...o.check, ...o.bounds });
  const { fp, of: fingerprint } = fingerprinter();
  const ownerOf = (s: SystemState<unknown>): number => (fingerprint(s)[1]! >>> 0) % count;
  const exchange = o.send === "paths" ? pathExchange(config) : jsonStateExchange;
  // A received entry must be a state of this check's shape (the encoder refuses anything else,
  // naming its path) that this shard owns.
  const receive = (wire: unknown, from: number): FrontierEntry => {
    let e: FrontierEntry;
    try {
      e = exchange.decode(wire);
      if (ownerOf(e.state) === index) return e;
    } catch (err) {
      if (err instanceof PathError) throw new ShardError(`a received path does not replay: the shards do not run the same check (${err.message})`);
      if (!(err instanceof EncodingError) && !(err instanceof ExchangeError)) throw err;
      throw new ShardError(`shard ${from} sent what is not a state of this check (${err.message}): do the shards run the same check and version?`);
    }
    throw new ShardError(`shard ${from} sent a state shard ${index} does not own: do the shards run with the same N?`);
  };
  const visited = new FingerprintTable();
  const found = new PathFindings(config);
  const timeout = o.roundTimeoutMs ?? 600_000;
  let frontier: FrontierEntry[] = [];
  const init = specSystem.initial(config) as SystemState<unknown>;
  if (ownerOf(init) === index) frontier.push({ state: init, path: [] });
  let round = 0;
  // The deepest round in which some shard saw a new state: the depth a single search reports.
  let deepest = 0;
  let complete = false;
  let stoppedBy: "depth" | "states" | "interrupted" | null = null;
  for (;;) {
    const dir = join(o.exchange, `r${round}`);
    await mkdir(dir, { recursive: true });
    const outgoing: unknown[][] = Array.from({ length: count }, () => []);
    const next: FrontierEntry[] = [];
    let stop = false;
    const before = visited.size;
    for (const { state: s, path } of frontier) {
      ownerOf(s);
      if (visited.find(fp[0]!, fp[1]!) >= 0) continue;
      if (visited.size >= o.bounds.maxStates) {
        stop = true;
        break;
      }
      visited.add(fp[0]!, fp[1]!, -1, -1);
      found.atState(s, path);
      // As the single search: states at the depth bound are checked, not expanded.
      if (round >= o.bounds.depth) continue;
      found.expand(s, path, (succ, k) => {
        const owner = ownerOf(succ);
        const e = { state: succ, path: [...path, k] };
        if (owner === index) next.push(e);
        else outgoing[owner]!.push(exchange.encode(e));
      });
    }
    if (o.interrupted?.()) stop = true;
    for (let j = 0; j < count; j++) if (j !== index) await writeAtomic(join(dir, `to-${j}-from-${index}.json`), JSON.stringify(outgoing[j]));
    const sent = outgoing.reduce((n, x) => n + x.length, 0);
    await writeAtomic(join(dir, `done-${index}.json`), JSON.stringify({ next: next.length + sent, fresh: visited.size - before, stop } satisfies Done));
    const deadline = Date.now() + timeout;
    let total = 0;
    let fresh = 0;
    let anyStop = false;
    for (let j = 0; j < count; j++) {
      const d = JSON.parse(await waitFor(join(dir, `done-${j}.json`), deadline, `round ${round}, shard ${j}`)) as Done;
      total += d.next;
      fresh += d.fresh;
      anyStop ||= d.stop;
    }
    if (fresh > 0) deepest = round;
    o.onRound?.({ round, states: visited.size, transitions: found.transitions });
    if (anyStop) {
      stoppedBy = o.interrupted?.() ? "interrupted" : "states";
      break;
    }
    if (round >= o.bounds.depth && fresh > 0) {
      stoppedBy = "depth";
      break;
    }
    if (total === 0 || round >= o.bounds.depth) {
      complete = true;
      break;
    }
    frontier = next;
    for (let j = 0; j < count; j++) {
      if (j === index) continue;
      const file = join(dir, `to-${index}-from-${j}.json`);
      for (const wire of JSON.parse(await waitFor(file, deadline, `round ${round}, from shard ${j}`)) as unknown[]) frontier.push(receive(wire, j));
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
