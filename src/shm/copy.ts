/**
 * Byte movement between a caller's buffer and the ring's data area, split in two pieces at the
 * end of the data area (§8.4: the double-mapping-free copy of DPDK/QEMU). Memory access only:
 * where to split comes from spec/ring/decide.ts `firstPiece`.
 *
 * Short copies use a plain loop (no allocation, and cheaper than a native call for a few
 * bytes); longer ones use TypedArray.set, which needs a view object for a sub-range — the one
 * allocation JavaScript forces on a memcpy between two typed arrays. It is skipped when the
 * whole source array is the piece.
 */
import { firstPiece } from "../../spec/ring/decide.js";

/** Below this many bytes a JS loop beats TypedArray.set + subarray (measured on Node 20). */
export const LOOP_COPY_MAX = 48;

const copy = (dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff: number, len: number): void => {
  if (len <= LOOP_COPY_MAX) {
    for (let i = 0; i < len; i++) dst[dstOff + i] = src[srcOff + i]!;
    return;
  }
  dst.set(srcOff === 0 && len === src.length ? src : src.subarray(srcOff, srcOff + len), dstOff);
};

/** Copy `len` bytes of `src` from `srcOff` into the ring `data` at `pos`, wrapping once. */
export const copyIntoRing = (data: Uint8Array, pos: number, src: Uint8Array, srcOff: number, len: number): void => {
  const first = firstPiece(pos, len, data.length);
  copy(data, pos, src, srcOff, first);
  if (first < len) copy(data, 0, src, srcOff + first, len - first);
};

/** Copy `len` bytes of the ring `data` from `pos` (wrapping once) into `dst` at `dstOff`. */
export const copyOutOfRing = (data: Uint8Array, pos: number, dst: Uint8Array, dstOff: number, len: number): void => {
  const first = firstPiece(pos, len, data.length);
  copy(dst, dstOff, data, pos, first);
  if (first < len) copy(dst, dstOff + first, data, 0, len - first);
};

/** Zero `len` bytes of the ring from `pos`, wrapping. */
export const zeroRing = (data: Uint8Array, pos: number, len: number): void => {
  const n = data.length;
  for (let i = 0; i < len; i++) {
    let k = pos + i;
    if (k >= n) k -= n;
    data[k] = 0;
  }
};
