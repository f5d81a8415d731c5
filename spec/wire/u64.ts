/** U64 (decimal string) helpers, total. */
import type { U64 } from "./primitives.js";

export const U64_MAX = (1n << 64n) - 1n;
const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;

/** True for a canonical decimal string in 0..2^64-1. */
export const isU64 = (s: unknown): s is U64 => typeof s === "string" && DECIMAL.test(s) && BigInt(s) <= U64_MAX;

/** The bigint of a U64; a malformed string gives 0n (callers validate first). */
export const u64Value = (s: U64): bigint => (isU64(s) ? BigInt(s) : 0n);
