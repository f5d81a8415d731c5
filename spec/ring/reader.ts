/**
 * The ring reader as reducers (reader validation): peek at a private cursor,
 * iterate a batch in place, copy out, commit the read index once and decide whether to signal
 * the writer; interrupt_mask around a batch with the re-check (reader-side masking).
 * Every peer-controlled field is validated first; outcomes are data, never exceptions.
 */
import { decodeBody, rdU64, readDescriptorFields, type DecodedPacket, type PacketBody } from "../wire/packet.js";
import { readWrapped } from "./bytes.js";
import {
  advance,
  checkAvailable,
  checkDescriptor,
  checkIndex,
  checksTypedHeader,
  effectiveLen8,
  effectiveOffset8,
  isValidDataSize,
  PEEK_EMPTY,
  PEEK_INCOMPLETE,
  PEEK_OK,
  readerShouldSignal,
  usedBytes,
} from "./decide.js";
import type { RingFault } from "./faults.js";
import type { RingProfile } from "./profile.js";
import type { Ring } from "./state.js";

export type ReadOutcome =
  | { readonly kind: "packet"; readonly packet: DecodedPacket; readonly start: number; readonly next: number }
  | { readonly kind: "empty" }
  | { readonly kind: "incomplete"; readonly available: number }
  | { readonly kind: "fault"; readonly fault: RingFault };

const PLAIN: PacketBody = { kind: "plain" };

/** Validate what a reader reads from shared memory before using it. */
export const checkReaderView = (ring: Ring, cursor: number): RingFault | null => {
  const size = ring.data.length;
  if (!isValidDataSize(size)) return { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: size };
  return checkIndex("writeIndex", ring.control.writeIndex, size) ?? checkIndex("readIndex", cursor, size);
};

/** Look at the packet at `cursor` without moving any index. */
export const peekAt = (ring: Ring, cursor: number, p: RingProfile): ReadOutcome => {
  const bad = checkReaderView(ring, cursor);
  if (bad) return { kind: "fault", fault: bad };
  const size = ring.data.length;
  const available = usedBytes(ring.control.writeIndex, cursor, size);
  const a = checkAvailable(p, available);
  if (typeof a !== "number") return { kind: "fault", fault: a };
  if (a === PEEK_EMPTY) return { kind: "empty" };
  if (a === PEEK_INCOMPLETE) return { kind: "incomplete", available };
  const d = readDescriptorFields(readWrapped(ring.data, cursor, 16));
  const len8 = effectiveLen8(p, d.len8, available);
  const offset8 = effectiveOffset8(p, d.offset8, len8);
  const c = checkDescriptor(p, d.type, offset8, len8, available);
  if (typeof c !== "number") return { kind: "fault", fault: c };
  if (c !== PEEK_OK) return { kind: "incomplete", available };
  const bytes = readWrapped(ring.data, cursor, len8 * 8);
  let body: PacketBody = PLAIN;
  if (checksTypedHeader(p, d.type)) {
    const b = decodeBody(bytes, d.type, offset8 * 8);
    if (!b.ok) return { kind: "fault", fault: b.error };
    body = b.value;
  }
  const packet: DecodedPacket = {
    type: d.type,
    offset8,
    len8,
    flags: d.flags,
    transId: rdU64(bytes, 8),
    body,
    payload: bytes.slice(offset8 * 8),
  };
  return { kind: "packet", packet, start: cursor, next: advance(cursor, len8 * 8 + 8, size) };
};

export interface CommitResult {
  readonly ring: Ring;
  readonly bytesRead: number;
  /** The reader's decision to signal the writer (RING-READ-4). */
  readonly signal: boolean;
}

/** Publish `newReadIndex` and take the writer-wakeup decision of . */
export const commitRead = (ring: Ring, newReadIndex: number, p: RingProfile): CommitResult | { readonly fault: RingFault } => {
  const size = ring.data.length;
  const bad = checkReaderView(ring, newReadIndex) ?? checkIndex("readIndex", ring.control.readIndex, size);
  if (bad) return { fault: bad };
  return publishRead(ring, newReadIndex, p);
};

/** commitRead without the checks, for a caller whose indices are already valid (readBatch). */
const publishRead = (ring: Ring, newReadIndex: number, p: RingProfile): CommitResult => {
  const size = ring.data.length;
  const c = ring.control;
  const bytesRead = usedBytes(newReadIndex, c.readIndex, size);
  const out = bytesRead === 0 ? ring : { control: { ...c, readIndex: newReadIndex }, data: ring.data };
  const signal = readerShouldSignal(p, bytesRead, newReadIndex, c.writeIndex, c.pendingSendSize, c.interruptMask, c.featureBits, size);
  return { ring: out, bytesRead, signal };
};

export interface ReadResult {
  readonly ring: Ring;
  readonly outcome: ReadOutcome;
  readonly signal: boolean;
}

/** Read one packet: peek at the read index, commit past it (copying API of ). */
export const readPacket = (ring: Ring, p: RingProfile): ReadResult => {
  const b = readBatch(ring, p, 1);
  // A batch of at most one ends with that packet or with a stop reason, never with neither.
  return { ring: b.ring, outcome: b.packets[0] ?? b.stop!, signal: b.signal };
};

export interface BatchReadResult {
  readonly ring: Ring;
  readonly packets: readonly Extract<ReadOutcome, { kind: "packet" }>[];
  /** Why the batch ended (null: `max` packets were read). */
  readonly stop: Exclude<ReadOutcome, { kind: "packet" }> | null;
  readonly signal: boolean;
}

/**
 * Iterate up to `max` packets from the read index with a private cursor, then commit once.
 * Bounded: stops after consuming the bytes that were available at the start (a Linux-style
 * clamping reader can be led past the write index by a broken writer; it stops there too).
 */
export const readBatch = (ring: Ring, p: RingProfile, max: number): BatchReadResult => {
  const start = ring.control.readIndex;
  const bad = checkReaderView(ring, start);
  if (bad) return { ring, packets: [], stop: { kind: "fault", fault: bad }, signal: false };
  const size = ring.data.length;
  const budget = usedBytes(ring.control.writeIndex, start, size);
  const packets: Extract<ReadOutcome, { kind: "packet" }>[] = [];
  let cursor = start;
  let consumed = 0;
  let stop: BatchReadResult["stop"] = null;
  while (packets.length < max) {
    if (consumed >= budget) {
      stop = { kind: "empty" };
      break;
    }
    const o = peekAt(ring, cursor, p);
    if (o.kind !== "packet") {
      stop = o;
      break;
    }
    packets.push(o);
    consumed += o.packet.len8 * 8 + 8;
    cursor = o.next;
  }
  // The cursor is valid here: it started at the checked read index and moved by whole packets
  // of at most the published bytes (< size, multiples of 8), so commitRead's checks cannot fail.
  // With no packet read, publishRead returns the same ring and no signal (nothing was consumed).
  const c = publishRead(ring, cursor, p);
  return { ring: c.ring, packets, stop, signal: c.signal };
};

/** hv_begin_read: mask the writer's interrupts while draining a batch. */
export const beginRead = (ring: Ring): Ring =>
  ring.control.interruptMask === 1 ? ring : { control: { ...ring.control, interruptMask: 1 }, data: ring.data };

export type EndReadRecheck = { readonly kind: "empty" } | { readonly kind: "pending"; readonly bytes: number } | { readonly kind: "fault"; readonly fault: RingFault };

/**
 * hv_end_read: unmask, then re-check (RING-READ-5): data that arrived while masked came
 * without a signal, so a non-zero result means "poll again", never "sleep".
 */
export const endRead = (ring: Ring): { readonly ring: Ring; readonly recheck: EndReadRecheck } => {
  const out = ring.control.interruptMask === 0 ? ring : { control: { ...ring.control, interruptMask: 0 }, data: ring.data };
  const bad = checkReaderView(ring, ring.control.readIndex);
  if (bad) return { ring: out, recheck: { kind: "fault", fault: bad } };
  const bytes = usedBytes(ring.control.writeIndex, ring.control.readIndex, ring.data.length);
  return { ring: out, recheck: bytes === 0 ? { kind: "empty" } : { kind: "pending", bytes } };
};

/** One read of `readEach`: the ring before it, the read index it started at, and what it did. */
export interface EachRead {
  readonly before: Ring;
  readonly cursor: number;
  readonly result: ReadResult;
}

/**
 * Read packet after packet, committing each (one commit and one signal decision per packet),
 * up to `max`, stopping at the first outcome that is not a packet (it is the last read) or once
 * the bytes published when the read began are consumed: a clamping reader misled past the write
 * index by a broken writer must not cycle round the ring for ever (each packet consumes ≥ 24).
 */
export const readEach = (ring: Ring, p: RingProfile, max: number): { readonly ring: Ring; readonly reads: readonly EachRead[] } => {
  const budget = usedBytes(ring.control.writeIndex, ring.control.readIndex, ring.data.length);
  const reads: EachRead[] = [];
  let cur = ring;
  let consumed = 0;
  for (let n = 0; n < max; n++) {
    const result = readPacket(cur, p);
    reads.push({ before: cur, cursor: cur.control.readIndex, result });
    cur = result.ring;
    if (result.outcome.kind !== "packet") break;
    consumed += result.outcome.packet.len8 * 8 + 8;
    if (consumed >= budget) break;
  }
  return { ring: cur, reads };
};

/** Peek at packet after packet from the read index without moving it (the same bound as readEach); the last outcome may be a stop. */
export const peekEach = (ring: Ring, p: RingProfile): readonly { readonly cursor: number; readonly outcome: ReadOutcome }[] => {
  const budget = usedBytes(ring.control.writeIndex, ring.control.readIndex, ring.data.length);
  const out: { cursor: number; outcome: ReadOutcome }[] = [];
  let cursor = ring.control.readIndex;
  let consumed = 0;
  for (;;) {
    const outcome = peekAt(ring, cursor, p);
    out.push({ cursor, outcome });
    if (outcome.kind !== "packet") break;
    consumed += outcome.packet.len8 * 8 + 8;
    cursor = outcome.next;
    if (consumed >= budget) break;
  }
  return out;
};
