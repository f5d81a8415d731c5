/**
 * Byte movement between a caller's buffer and the ring's data area, split in two pieces at the
 * end of the data area (the double-mapping-free copy of DPDK/QEMU). Memory access only:
 * where to split comes from spec/ring/decide.ts `firstPiece`.
 *
 * Copies up to `loopMax` bytes (default WORD_COPY_MAX) run as a loop over 32-bit words (both sides 4-aligned: ring
 * offsets are multiples of 8, and the caller's buffer is viewed once as an Int32Array) — no
 * allocation, no native call. Longer copies use TypedArray.set, which needs a view object for
 * a sub-range: the one allocation JavaScript forces on a memcpy between two typed arrays; it is
 * skipped when the whole source array is the piece. An endpoint created with
 * `{ allocationFree: true }` passes loopMax = Infinity: never a view, at lower bandwidth for
 * large payloads.
 */
import { firstPiece } from "../../spec/ring/decide.js";
import type { MemCopy } from "./wasm-copy.js";

export interface EndpointOptions {
  /** Copy with word loops at every size: no allocation at all, lower bandwidth above ~128 bytes. */
  readonly allocationFree?: boolean;
}

/** From this many bytes, memory.copy (one call into WebAssembly) beats the word loop (measured: already at 32 bytes on Node 20). */
export const MEM_COPY_MIN = 16;

/** Up to this many bytes a word loop beats TypedArray.set + subarray (measured on Node 20). */
export const WORD_COPY_MAX = 128;

/** A Uint8Array with its Int32Array view (null when its byteOffset is not 4-aligned). */
export class Words {
  private last: Uint8Array | null = null;
  private view: Int32Array | null = null;
  of(b: Uint8Array): Int32Array | null {
    if (b !== this.last) {
      this.last = b;
      this.view = (b.byteOffset & 3) === 0 ? new Int32Array(b.buffer, b.byteOffset, b.length >>> 2) : null;
    }
    return this.view;
  }
}

const copy = (dst: Uint8Array, dst32: Int32Array | null, dstOff: number, src: Uint8Array, src32: Int32Array | null, srcOff: number, len: number, loopMax: number): void => {
  if (len <= loopMax) {
    let i = 0;
    if (dst32 !== null && src32 !== null && ((dstOff | srcOff) & 3) === 0) {
      const words = len >>> 2;
      const d = dstOff >>> 2;
      const s = srcOff >>> 2;
      for (let k = 0; k < words; k++) dst32[d + k] = src32[s + k]!;
      i = words << 2;
    }
    for (; i < len; i++) dst[dstOff + i] = src[srcOff + i]!;
    return;
  }
  dst.set(srcOff === 0 && len === src.length ? src : src.subarray(srcOff, srcOff + len), dstOff);
};

/** Copy `len` bytes of `src` from `srcOff` into the ring `data` at `pos`, wrapping once. */
export const copyIntoRing = (data: Uint8Array, data32: Int32Array, pos: number, src: Uint8Array, src32: Int32Array | null, srcOff: number, len: number, loopMax = WORD_COPY_MAX): void => {
  const first = firstPiece(pos, len, data.length);
  copy(data, data32, pos, src, src32, srcOff, first, loopMax);
  if (first < len) copy(data, data32, 0, src, src32, srcOff + first, len - first, loopMax);
};

/** Copy `len` bytes of the ring `data` from `pos` (wrapping once) into `dst` at `dstOff`. */
export const copyOutOfRing = (data: Uint8Array, data32: Int32Array, pos: number, dst: Uint8Array, dst32: Int32Array | null, dstOff: number, len: number, loopMax = WORD_COPY_MAX): void => {
  const first = firstPiece(pos, len, data.length);
  copy(dst, dst32, dstOff, data, data32, pos, first, loopMax);
  if (first < len) copy(dst, dst32, dstOff + first, data, data32, 0, len - first, loopMax);
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

/**
 * Ring copies with memory.copy (wasm-copy.ts) when the caller's bytes lie in the ring's own shared
 * WebAssembly.Memory (an endpoint's staging area): `memBase` is the data area's byte offset in the
 * memory, `callerBase` the caller's bytes' offset. Split at the end of the data area as above.
 */
export const memCopyIntoRing = (cp: MemCopy, memBase: number, size: number, pos: number, callerBase: number, len: number): void => {
  const first = firstPiece(pos, len, size);
  cp(memBase + pos, callerBase, first);
  if (first < len) cp(memBase, callerBase + first, len - first);
};
export const memCopyOutOfRing = (cp: MemCopy, memBase: number, size: number, pos: number, callerBase: number, len: number): void => {
  const first = firstPiece(pos, len, size);
  cp(callerBase, memBase + pos, first);
  if (first < len) cp(callerBase + first, memBase, len - first);
};
