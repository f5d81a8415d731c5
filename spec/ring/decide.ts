/**
 * The ring's decisions as small pure functions over numbers (indices, sizes, flags). Both the
 * pure model (writer.ts, reader.ts) and the shared-memory adapter (src/shm) call exactly these,
 * so the two cannot disagree on a rule; the adapter only performs the memory accesses.
 * Nothing here allocates on the success path.
 */
import { match } from "ts-pattern";
import { PacketType, TRAILER_SIZE, DESCRIPTOR_SIZE } from "../wire/packet.js";
import type { RingFault, IndexField } from "./faults.js";
import type { AbsoluteLimit, FeatureBitEffect, MaskEffect, ReaderBound, ReaderFree, RingProfile, TruncatedPacket, WriterSignal } from "./profile.js";

// Branching on a profile parameter: decisions taken once per wait use ts-pattern's exhaustive
// match; those on the shm adapter's hot path (every packet, publish or commit) use a Record
// keyed by the parameter's union — exhaustive at compile time too, and allocation-free. Each
// rule is written once; the shm adapter and the pure model call the same functions.

/** Model geometry (RING-GEOM-1): any multiple of 8 of at least 64 bytes. */
export const MIN_MODEL_DATA_SIZE = 64;
export const isValidDataSize = (size: number): boolean =>
  Number.isSafeInteger(size) && size >= MIN_MODEL_DATA_SIZE && size % 8 === 0 && size <= 0x7fff_fff8;

/** Bytes written but not yet read (bytes_to_read). Indices must be valid (< size). */
export const usedBytes = (w: number, r: number, size: number): number => (w >= r ? w - r : size - r + w);
/** avail = size − used; size when the ring is empty (bytes_to_write). */
export const availBytes = (w: number, r: number, size: number): number => size - usedBytes(w, r, size);
/** index + n modulo the data size (n ≤ size). */
export const advance = (index: number, n: number, size: number): number => {
  const x = index + n;
  return x >= size ? x - size : x;
};
/** Two-piece copy (wrap-around, DPDK drivers/bus/vmbus/vmbus_bufring.c/QEMU style): bytes that fit before the end of the data area. */
export const firstPiece = (index: number, len: number, size: number): number => (index + len <= size ? len : size - index);

/** RING-IDX-1/2: a peer-controlled index is validated before use. */
export const checkIndex = (field: IndexField, value: number, size: number): RingFault | null => {
  if (!(value >= 0 && value < size)) return { kind: "indexOutOfRange", rule: "RING-IDX-1", field, value, dataSize: size };
  if (value % 8 !== 0) return { kind: "indexMisaligned", rule: "RING-IDX-2", field, value };
  return null;
};

/** Bytes a packet with len8 occupies in the ring (len8×8 + trailer). */
export const packetTotal = (len8: number): number => len8 * 8 + TRAILER_SIZE;

/** RING-WRITE-3/4: the largest total a writer accepts at all. */
const LIMIT: Record<AbsoluteLimit, (size: number) => number> = {
  sizeMinus8: (size) => size - 8,
  // total < size − 8 with 8-aligned totals
  belowSizeMinus8: (size) => size - 16,
};
export const maxPacketTotal = (p: RingProfile, size: number): number => Math.min(LIMIT[p.absoluteLimit](size), 0xffff * 8 + TRAILER_SIZE);

export const WRITE_FITS = 0;
export const WRITE_FULL = 1;
export const WRITE_TOO_LARGE = 2;
export type WriteVerdict = typeof WRITE_FITS | typeof WRITE_FULL | typeof WRITE_TOO_LARGE;

/** RING-WRITE-1 (exactly-full rule, every profile: keep ≥ 8 bytes free) and RING-WRITE-3. */
export const writeVerdict = (p: RingProfile, total: number, avail: number, size: number): WriteVerdict =>
  writeVerdictWithin(total, avail, maxPacketTotal(p, size));

/** RING-WRITE-7: pending_send_sz a writer stores while it waits for `total` bytes. */
export const pendingSendSizeFor = (p: RingProfile, total: number): number =>
  match(p.pendingValue)
    .with("total", () => total)
    .with("roundUp8", () => (total + 7) & ~7)
    .with("totalPlus1", () => total + 1)
    .exhaustive();

// ---- signal decisions ----------------------------------------------------------------------
// Each profile parameter is looked up in a Record keyed by its union: exhaustive at compile time
// like a ts-pattern match, and allocation-free, because the shm adapter calls these at every
// publish / commit (a ts-pattern matcher allocated ≈ 70 / 300 ns per call there).

const WRITER_SIGNAL: Record<WriterSignal, (oldW: number, newW: number, r: number, written: number, size: number) => boolean> = {
  wasEmpty: (oldW, _newW, r) => r === oldW,
  unreadAtMostWritten: (_oldW, newW, r, written, size) => usedBytes(newW, r, size) <= written,
};
/**
 * RING-WRITE-6: after publishing newW (the write index before the batch was oldW,
 * `written` bytes were added), with `r` and `mask` read AFTER the publication.
 */
export const writerShouldSignal = (p: RingProfile, oldW: number, newW: number, r: number, mask: number, written: number, size: number): boolean => {
  if (mask !== 0 || written === 0) return false;
  return WRITER_SIGNAL[p.writerSignal](oldW, newW, r, written, size);
};

const MASK_SUPPRESSES: Record<MaskEffect, boolean> = { suppress: true, ignore: false };
/** With the feature bit clear: 0 = never signal, 1 = always signal, 2 = decide on P as usual. */
const FEATURE_CLEAR_OUTCOME: Record<FeatureBitEffect, number> = { suppress: 0, force: 1, ignore: 2 };
const READER_FREE: Record<ReaderFree, (avail: number, w: number, newR: number) => number> = {
  avail: (avail) => avail,
  availMinus8: (avail) => avail - 8,
  zeroWhenEmpty: (avail, w, newR) => (w === newR ? 0 : avail),
};
const READER_BOUND: Record<ReaderBound, (B: number, P: number, A: number) => boolean> = {
  beforeAtMostBelowAfter: (B, P, A) => B <= P && P < A,
  beforeBelowAtMostAfter: (B, P, A) => B < P && P <= A,
};
/**
 * RING-READ-4: after committing a read index newR that consumed `bytesRead` bytes,
 * with the writer's `w`, the ring's pending_send_sz, interrupt_mask and feature_bits read
 * after the commit.
 */
export const readerShouldSignal = (
  p: RingProfile,
  bytesRead: number,
  newR: number,
  w: number,
  pending: number,
  mask: number,
  featureBits: number,
  size: number,
): boolean => {
  if (bytesRead === 0) return false;
  if (mask !== 0 && MASK_SUPPRESSES[p.interruptMask]) return false;
  if ((featureBits & 1) === 0) {
    const o = FEATURE_CLEAR_OUTCOME[p.featureBitClear];
    if (o !== 2) return o === 1;
  }
  const P = p.pendingRoundedDown ? pending - (pending % 8) : pending;
  if (P === 0) return false;
  const A = READER_FREE[p.readerFree](availBytes(w, newR, size), w, newR);
  return READER_BOUND[p.readerBound](A - bytesRead, P, A);
};

/**
 * RING-WRITE-1/3 with the limit computed once per endpoint (maxPacketTotal depends only on the
 * profile and the ring size); writeVerdict is this with the limit computed per call.
 */
export const writeVerdictWithin = (total: number, avail: number, limit: number): WriteVerdict => {
  if (total > limit) return WRITE_TOO_LARGE;
  return total <= avail - 8 ? WRITE_FITS : WRITE_FULL;
};

// ---- reader: descriptor checks -----------------------------------------------------------

/** What a reader does when fewer bytes than a descriptor (+ trailer) are published. */
const SHORT_IS_FAULT: Record<TruncatedPacket, boolean> = { fault: true, incomplete: false, clamp: false };
/** What a reader does when len8 × 8 (+ trailer) exceeds what is published (clamp profiles never get here). */
const LONG_IS_INCOMPLETE: Record<TruncatedPacket, boolean> = { fault: false, incomplete: true, clamp: false };
const CLAMPS: Record<TruncatedPacket, boolean> = { fault: false, incomplete: false, clamp: true };
const OFFSET_FAULTS: Record<RingProfile["badOffset"], boolean> = { fault: true, clamp: false };

export const PEEK_OK = 0;
export const PEEK_EMPTY = 1;
export const PEEK_INCOMPLETE = 2;

// ---- reader: per-packet checks with the profile// ---- reader: per-packet checks with the profile's parameters resolved once -----------------
// readerChecksOf resolves a profile's reader parameters once (the shm adapter does it once per
// endpoint: a per-packet lookup cost ≈ 12 ns of a ≈ 35 ns read); the *With functions are the
// rules over the resolved values, and the profile-level functions at the end apply them.

export interface ReaderChecks {
  /** Bytes a descriptor (+ trailer, if required) needs before it is read. */
  readonly minAvailable: number;
  readonly shortIsFault: boolean;
  readonly longIsIncomplete: boolean;
  readonly clamps: boolean;
  readonly offsetFaults: boolean;
  /** Trailer bytes that must be published with a packet (0 or TRAILER_SIZE). */
  readonly trailer: number;
  /** Linux's private buffer bound for the clamp (Infinity = none). */
  readonly bufferLimit: number;
  /** Accepted packet types as a bit set over types 0..31; -1 (all bits) with `anyType`. */
  readonly acceptedMask: number;
  /** The accepted types themselves (for types ≥ 32, which the bit set cannot hold). */
  readonly acceptedList: readonly number[];
  readonly anyType: boolean;
  readonly parsesTypedHeaders: boolean;
}

export const readerChecksOf = (p: RingProfile): ReaderChecks => ({
  minAvailable: p.needsTrailer ? DESCRIPTOR_SIZE + TRAILER_SIZE : DESCRIPTOR_SIZE,
  shortIsFault: SHORT_IS_FAULT[p.truncatedPacket],
  longIsIncomplete: LONG_IS_INCOMPLETE[p.truncatedPacket],
  clamps: CLAMPS[p.truncatedPacket],
  offsetFaults: OFFSET_FAULTS[p.badOffset],
  trailer: p.needsTrailer ? TRAILER_SIZE : 0,
  bufferLimit: p.readerBufferSize === null ? Infinity : p.readerBufferSize,
  acceptedMask: p.acceptedTypes === null ? -1 : p.acceptedTypes.reduce((m, t) => (t >= 0 && t < 32 ? m | (1 << t) : m), 0),
  acceptedList: p.acceptedTypes ?? [],
  anyType: p.acceptedTypes === null,
  parsesTypedHeaders: p.parsesTypedHeaders,
});

/** checkAvailable over resolved checks. */
export const checkAvailableWith = (k: ReaderChecks, available: number): number | RingFault => {
  if (available === 0) return PEEK_EMPTY;
  if (available >= k.minAvailable) return PEEK_OK;
  if (k.shortIsFault) return { kind: "tooShort", rule: "RING-PKT-1", available };
  return PEEK_INCOMPLETE;
};

/** effectiveLen8 over resolved checks (Linux clamp, clampedLength). */
export const effectiveLen8With = (k: ReaderChecks, len8: number, available: number): number => {
  if (!k.clamps) return len8;
  const limit = Math.min(available, k.bufferLimit);
  const len = len8 * 8;
  return (len < DESCRIPTOR_SIZE || len > limit ? limit - (limit % 8) : len) / 8;
};

/** effectiveOffset8 over resolved checks. */
export const effectiveOffset8With = (k: ReaderChecks, offset8: number, len8: number): number =>
  !k.offsetFaults && (offset8 < 2 || offset8 > len8) ? 2 : offset8;

/** checkDescriptor over resolved checks. */
export const checkDescriptorWith = (k: ReaderChecks, type: number, offset8: number, len8: number, available: number): number | RingFault => {
  if (k.offsetFaults) {
    if (offset8 < 2) return { kind: "offset8TooSmall", rule: "RING-PKT-2", offset8 };
    if (offset8 > len8) return { kind: "offset8BeyondLen8", rule: "RING-PKT-3", offset8, len8 };
  }
  if (len8 * 8 + k.trailer > available) {
    if (k.longIsIncomplete) return PEEK_INCOMPLETE;
    return { kind: "len8BeyondData", rule: "RING-PKT-4", len8, available };
  }
  if (!k.anyType && !(type >= 0 && type < 32 ? ((k.acceptedMask >>> type) & 1) === 1 : k.acceptedList.includes(type))) return { kind: "unexpectedPacketType", rule: "RING-READ-3", type };
  return PEEK_OK;
};

/** checksTypedHeader over resolved checks. */
export const checksTypedHeaderWith = (k: ReaderChecks, type: number): boolean =>
  k.parsesTypedHeaders && (type === PacketType.DataUsingGpaDirect || type === PacketType.DataUsingTransferPages);

// ---- the same checks over a profile (the pure model resolves per call) ----------------------

/**
 * Before reading a descriptor at the cursor: `available` = bytes published beyond it.
 * Returns PEEK_OK, PEEK_EMPTY, PEEK_INCOMPLETE or a fault (RING-PKT-1 / RING-READ-6).
 */
export const checkAvailable = (p: RingProfile, available: number): number | RingFault => checkAvailableWith(readerChecksOf(p), available);

/**
 * Effective (len8, offset8) for a reader: unchanged for `fault`/`incomplete` profiles; Linux's
 * clamp (hv_pkt_iter_first: len to [16, min(available, buffer)], offset to 16 when < 16 or
 * > len) otherwise.
 */
export const effectiveLen8 = (p: RingProfile, len8: number, available: number): number => effectiveLen8With(readerChecksOf(p), len8, available);
export const effectiveOffset8 = (p: RingProfile, offset8: number, len8: number): number => effectiveOffset8With(readerChecksOf(p), offset8, len8);

/**
 * RING-PKT-2..4, RING-READ-3, RING-READ-6: check a descriptor's type/offset8/len8 against the
 * bytes available. For `clamp` profiles call with the clamped values (effectiveLen8/Offset8):
 * they always pass. Returns PEEK_OK, PEEK_INCOMPLETE or a fault.
 */
export const checkDescriptor = (p: RingProfile, type: number, offset8: number, len8: number, available: number): number | RingFault =>
  checkDescriptorWith(readerChecksOf(p), type, offset8, len8, available);

/** Whether the profile's reader validates this packet's typed header (RING-PKT-5..8). */
export const checksTypedHeader = (p: RingProfile, type: number): boolean => checksTypedHeaderWith(readerChecksOf(p), type);
