/**
 * Steps whose bytes depend on the ring's state when they run: "write a packet that fills the
 * ring to exactly 8 free bytes (± one unit)" and "a hostile writer stores a descriptor at the
 * write index and publishes it". The random sessions generate these (so that shrinking keeps
 * their meaning); the runner resolves them against the spec's image into concrete steps, and
 * the concrete steps are what a replay file records.
 */
import { availBytes } from "../../../spec/ring/decide.js";
import { ringFromImage } from "../../../spec/ring/state.js";
import { bytesToHex } from "../../../spec/wire/hex.js";
import type { OracleState } from "./oracle.js";
import type { Step } from "./session.js";

export type SymStep =
  /** A plain packet whose total is avail − 8 + 8 × delta (delta 0: the ring ends exactly full). */
  | { readonly op: "writeFit"; readonly delta: number; readonly batch: boolean; readonly seed: number }
  /** A hostile writer: descriptor (type, offset8, len8) + `tail` bytes at the write index, write index moved by `publish8` × 8 (+ `skew` bytes). */
  | { readonly op: "hostile"; readonly type: number; readonly offset8: number; readonly len8: number; readonly tail: string; readonly publish8: number; readonly skew: number };

export type AnyStep = Step | SymStep;

const le = (v: number, n: number): number[] => Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * i)) & 0xff);

export const payloadHex = (n: number, seed: number): string => bytesToHex(Uint8Array.from({ length: n }, (_, i) => (seed * 31 + i * 7 + 0x5a) & 0xff));

/** The concrete step for `s` in the state `st` (a concrete step is returned as is). */
export const resolveStep = (s: AnyStep, st: OracleState): Step => {
  if (s.op !== "writeFit" && s.op !== "hostile") return s;
  const ring = st.image === null ? null : ringFromImage(st.image);
  const r = ring !== null && ring.ok ? ring.value : null;
  const size = r?.data.length ?? 64;
  const w = r?.control.writeIndex ?? 0;
  const rd = r?.control.readIndex ?? 0;
  const valid = w < size && rd < size && w % 8 === 0 && rd % 8 === 0;
  if (s.op === "writeFit") {
    const avail = valid ? availBytes(w, rd, size) : 32;
    const total = avail - 8 + 8 * s.delta;
    const n = Math.max(0, total - 24);
    return { op: "write", batch: s.batch, packets: [{ type: 6, flags: 0, transId: String(s.seed), payload: payloadHex(n, s.seed) }] };
  }
  const at = valid ? w : 0;
  const bytes = [...le(s.type, 2), ...le(s.offset8, 2), ...le(s.len8, 2), 0, 0, ...le(0x77, 4), 0, 0, 0, 0];
  const hex = bytesToHex(Uint8Array.from(bytes)) + s.tail;
  return { op: "patch", at, hex, control: { writeIndex: (at + s.publish8 * 8 + s.skew) % size } };
};
