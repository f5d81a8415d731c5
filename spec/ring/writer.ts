/**
 * The ring writer as reducers ("How writers set P"). A write encodes the
 * packet (descriptor, typed header, payload, zero padding, trailer = start << 32), places it
 * at the write index wrapping at the end of the data area, publishes the new write index once
 * per batch and decides whether to signal the reader. Input rings are never mutated.
 */
import { encodePacketInto, packetSizes, TRAILER_SIZE, type Packet } from "../wire/packet.js";
import { writeWrapped } from "./bytes.js";
import {
  advance,
  availBytes,
  checkIndex,
  isValidDataSize,
  maxPacketTotal,
  packetTotal,
  pendingSendSizeFor,
  WRITE_FITS,
  WRITE_FULL,
  writeVerdict,
  writerShouldSignal,
} from "./decide.js";
import type { RingFault } from "./faults.js";
import type { RingProfile } from "./profile.js";
import type { Ring } from "./state.js";

export type WriteOutcome =
  | { readonly kind: "written"; readonly writeIndexBefore: number; readonly writeIndexAfter: number; readonly total: number }
  | { readonly kind: "full"; readonly needed: number; readonly available: number }
  | { readonly kind: "fault"; readonly fault: RingFault };

export interface WriteOptions {
  /** On `full`, store pending_send_sz (RING-WRITE-7) as a writer that will wait for space. Default true. */
  readonly waitIfFull?: boolean;
}

export interface BatchWriteResult {
  readonly ring: Ring;
  readonly outcomes: readonly WriteOutcome[];
  /** The writer's decision to signal the reader after the single publication (RING-WRITE-6). */
  readonly signal: boolean;
  readonly writeIndexBefore: number;
  readonly writeIndexAfter: number;
}

export interface WriteResult {
  readonly ring: Ring;
  readonly outcome: WriteOutcome;
  readonly signal: boolean;
}

/** Validate what a writer reads from shared memory before using it (RING-GEOM-1, RING-IDX-*). */
export const checkWriterView = (ring: Ring): RingFault | null => {
  const size = ring.data.length;
  if (!isValidDataSize(size)) return { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: size };
  return checkIndex("writeIndex", ring.control.writeIndex, size) ?? checkIndex("readIndex", ring.control.readIndex, size);
};

/**
 * Write `packets` as one batch: each packet goes at the private write cursor if it fits
 * (`full` otherwise; later packets are still tried), the write index is published once, and
 * the signal decision is taken once for the whole batch.
 */
export const writeBatch = (ring: Ring, packets: readonly Packet[], p: RingProfile, opts: WriteOptions = {}): BatchWriteResult => {
  const w = ring.control.writeIndex;
  const bad = checkWriterView(ring);
  if (bad) return { ring, outcomes: packets.map(() => ({ kind: "fault", fault: bad })), signal: false, writeIndexBefore: w, writeIndexAfter: w };
  const size = ring.data.length;
  const r = ring.control.readIndex;
  const wait = opts.waitIfFull ?? true;
  let data: Uint8Array | null = null;
  let cursor = w;
  let pending = ring.control.pendingSendSize;
  const outcomes: WriteOutcome[] = [];
  for (const packet of packets) {
    const s = packetSizes(packet);
    const total = packetTotal(s.len8);
    const avail = availBytes(cursor, r, size);
    const verdict = writeVerdict(p, total, avail, size);
    if (verdict === WRITE_FULL) {
      outcomes.push({ kind: "full", needed: total, available: avail });
      if (wait) pending = pendingSendSizeFor(p, total);
      continue;
    }
    if (verdict !== WRITE_FITS) {
      outcomes.push({ kind: "fault", fault: { kind: "packetTooLarge", rule: "RING-WRITE-3", total, limit: maxPacketTotal(p, size) } });
      continue;
    }
    data ??= ring.data.slice();
    const bytes = new Uint8Array(total);
    encodePacketInto(packet, s, bytes, 0);
    // Trailer (RING-WRITE-5): u64 start << 32, i.e. the start index in the high word.
    const t = total - TRAILER_SIZE;
    bytes[t + 4] = cursor & 0xff;
    bytes[t + 5] = (cursor >>> 8) & 0xff;
    bytes[t + 6] = (cursor >>> 16) & 0xff;
    bytes[t + 7] = (cursor >>> 24) & 0xff;
    // QEMU writes only descriptor, header and payload, leaving padding and trailer stale (QEMU quirk Q14).
    writeWrapped(data, cursor, p.writesTrailerAndPadding ? bytes : bytes.subarray(0, s.headerBytes + packet.payload.length));
    const next = advance(cursor, total, size);
    outcomes.push({ kind: "written", writeIndexBefore: cursor, writeIndexAfter: next, total });
    cursor = next;
    pending = 0;
  }
  const written = (cursor - w + size) % size;
  const control = { ...ring.control, writeIndex: cursor, pendingSendSize: pending };
  const changed = data !== null || pending !== ring.control.pendingSendSize;
  const out: Ring = changed ? { control, data: data ?? ring.data } : ring;
  const signal = writerShouldSignal(p, w, cursor, r, ring.control.interruptMask, written, size);
  return { ring: out, outcomes, signal, writeIndexBefore: w, writeIndexAfter: cursor };
};

/** Write one packet (a batch of one). */
export const writePacket = (ring: Ring, packet: Packet, p: RingProfile, opts: WriteOptions = {}): WriteResult => {
  const b = writeBatch(ring, [packet], p, opts);
  return { ring: b.ring, outcome: b.outcomes[0]!, signal: b.signal };
};

/** A writer that waits stores pending_send_sz; one that stops waiting clears it (RING-WRITE-7). */
export const setPendingSendSize = (ring: Ring, value: number): Ring =>
  ring.control.pendingSendSize === value ? ring : { control: { ...ring.control, pendingSendSize: value >>> 0 }, data: ring.data };
