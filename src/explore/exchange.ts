/**
 * How a sharded search sends a state to the shard that owns it: one small interface, so that
 * the binary state decoder (bytes -> state, from the same shape description as the encoder)
 * replaces the JSON form with one change here.
 *
 * Every entry carries the state's path (input indices from the initial state): findings keep
 * it as their trace. The state itself travels as its plain JSON form (system states are plain
 * data: strings, finite numbers, booleans, null, arrays and objects; the encoder refuses
 * anything else, so JSON cannot merge two of them), which costs one parse; replaying the path
 * instead costs one reducer step per level (`pathExchange`, kept for tests and as the fallback
 * when states could not travel).
 */
import type { SystemState } from "../../spec/system/state.js";
import type { checkConfig } from "./check.js";
import { replayIndices } from "./path-search.js";

type State = SystemState<unknown>;

/** An exchange entry that is not one. */
export class ExchangeError extends Error {}

export interface FrontierEntry {
  readonly state: State;
  readonly path: readonly number[];
}

export interface FrontierExchange {
  /** The JSON value written to the exchange file for one successor. */
  encode(e: FrontierEntry): unknown;
  /** The entry back (throws PathError or a decode error on what is not one). */
  decode(wire: unknown): FrontierEntry;
}

/** States as their plain JSON form, with their paths. */
export const jsonStateExchange: FrontierExchange = {
  encode: (e) => ({ p: e.path, s: e.state }),
  decode: (wire) => {
    const w = wire as { p?: unknown; s?: unknown } | null;
    if (!w || !Array.isArray(w.p) || !w.p.every((k) => Number.isInteger(k) && k >= 0) || typeof w.s !== "object" || w.s === null) throw new ExchangeError("an exchange entry is not {p: path, s: state}");
    return { path: w.p as number[], state: w.s as State };
  },
};

/** Paths only: the receiver replays each through the reducers. */
export const pathExchange = (config: ReturnType<typeof checkConfig>): FrontierExchange => ({
  encode: (e) => e.path,
  decode: (wire) => {
    if (!Array.isArray(wire)) throw new ExchangeError("an exchange entry is not a path");
    return { path: wire as number[], state: replayIndices(config, wire as number[]).state };
  },
});
