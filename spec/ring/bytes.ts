/**
 * Byte access to a ring's data area with wrap-around (the "two-piece copy" of no double
 * mapping). Pure helpers over a Uint8Array; `writeWrapped` mutates only the copy its caller owns.
 */
import { firstPiece } from "./decide.js";

/** Copy `len` bytes starting at ring offset `at` (wrapping once) into a new array. */
export const readWrapped = (data: Uint8Array, at: number, len: number): Uint8Array => {
  const out = new Uint8Array(len);
  const first = firstPiece(at, len, data.length);
  out.set(data.subarray(at, at + first), 0);
  if (first < len) out.set(data.subarray(0, len - first), first);
  return out;
};

/** Write `src` at ring offset `at`, wrapping once. `data` must be the caller's private copy. */
export const writeWrapped = (data: Uint8Array, at: number, src: Uint8Array): void => {
  const first = firstPiece(at, src.length, data.length);
  data.set(first === src.length ? src : src.subarray(0, first), at);
  if (first < src.length) data.set(src.subarray(first), 0);
};
