/**
 * The writing endpoint of a shared-memory ring. Every decision (space, wrap split, signal,
 * pending_send_sz value, index validation) is a call into spec/ring/decide.ts; this file only
 * performs the memory accesses, with the ordering of (rows quoted as [A]..[D]).
 *
 * JavaScript's Atomics are sequentially consistent: an Atomics.store publishes every earlier
 * plain store to a thread whose Atomics.load observes it (release/acquire), and a store
 * followed by a load is a full barrier. Packet bytes are plain stores.
 *
 * Fast path: `tryWrite` (plain packets, no allocation) + one `publish` per batch (one
 * Atomics.store of write_index). General path: `writeBatch` / `writePacket` (any packet,
 * model-shaped outcomes), built on the same reservation code.
 */
import {
  advance,
  availBytes,
  checkIndex,
  maxPacketTotal,
  packetTotal,
  pendingSendSizeFor,
  usedBytes,
  WRITE_FITS,
  WRITE_FULL,
  writeVerdictWithin,
  writerShouldSignal,
} from "../../spec/ring/decide.js";
import type { RingFault } from "../../spec/ring/faults.js";
import type { RingProfile } from "../../spec/ring/profile.js";
import { CONTROL_PAGE_SIZE } from "../../spec/ring/state.js";
import type { BatchWriteResult, WriteOptions, WriteOutcome } from "../../spec/ring/writer.js";
import { encodePacketInto, packetSizes, u64Words, type Packet } from "../../spec/wire/packet.js";
import { copyIntoRing, MEM_COPY_MIN, memCopyIntoRing, type EndpointOptions, Words, zeroRing } from "./copy.js";
import { MASK, PENDING, R, READER_BELL, W, WRITER_BELL, type ShmRingHandle } from "./handle.js";
import { ShmEndpoint } from "./endpoint.js";

/** tryWrite results (WRITE_FITS / WRITE_FULL from decide.ts, plus these). */
export const WRITE_TOO_LARGE_FAULT = 2;
export const WRITE_FAULT = 3;

export const SPACE_OK = 0;
export const SPACE_TIMEOUT = 1;
/** Timed out although space was available and no signal came: a lost wake-up. */
export const SPACE_LOST_WAKEUP = 2;


export class ShmProducer extends ShmEndpoint {
  private open = false;
  private batchStart = 0;
  private cursor = 0;
  private r = 0;
  /** A packet was written since pending_send_sz was last stored: clear it at publication. */
  private clearPending = false;
  private scratch: Uint8Array = new Uint8Array(0);
  private readonly srcWords = new Words();
  /** Largest packet total the profile accepts on this ring (maxPacketTotal, computed once). */
  private readonly limit: number;
  /** The fault of the last WRITE_FAULT / WRITE_TOO_LARGE_FAULT result. */
  fault: RingFault | null = null;
  /** After WRITE_FULL: bytes needed and bytes available. */
  lastNeeded = 0;
  lastAvailable = 0;
  /** After WRITE_FITS: bytes the packet took (len8 × 8 + 8). */
  lastTotal = 0;
  /** Counters (signals sent to the reader, waits for space, batches published). */
  signals = 0;
  waits = 0;
  batches = 0;

  constructor(handle: ShmRingHandle, profile: RingProfile, options: EndpointOptions = {}) {
    super(handle, profile, "producer", options);
    this.limit = maxPacketTotal(profile, handle.dataSize);
  }


  /** Open a batch: load both indices and validate them (RING-IDX-1/2). */
  private begin(): boolean {
    const w = Atomics.load(this.ctl, W) >>> 0; // own field; re-read so a test can play a confused writer
    const r = Atomics.load(this.ctl, R) >>> 0; // [B] producer: read read_index
    const bad = checkIndex("writeIndex", w, this.size) ?? checkIndex("readIndex", r, this.size);
    if (bad) {
      this.fault = bad;
      return false;
    }
    this.batchStart = w;
    this.cursor = w;
    this.r = r;
    this.open = true;
    return true;
  }

  /** Space check for `total` bytes at the private cursor; re-reads read_index once when full. */
  private reserve(total: number): number {
    let avail = availBytes(this.cursor, this.r, this.size);
    let v = writeVerdictWithin(total, avail, this.limit);
    if (v === WRITE_FULL) {
      const r = Atomics.load(this.ctl, R) >>> 0; // [B] producer: read read_index
      if (r !== this.r) {
        const bad = checkIndex("readIndex", r, this.size);
        if (bad) {
          this.fault = bad;
          return WRITE_FAULT;
        }
        this.r = r;
        avail = availBytes(this.cursor, r, this.size);
        v = writeVerdictWithin(total, avail, this.limit);
      }
    }
    if (v === WRITE_FULL) {
      this.lastNeeded = total;
      this.lastAvailable = avail;
      return WRITE_FULL;
    }
    if (v !== WRITE_FITS) {
      this.fault = { kind: "packetTooLarge", rule: "RING-WRITE-3", total, limit: this.limit };
      return WRITE_TOO_LARGE_FAULT;
    }
    return WRITE_FITS;
  }

  /** Trailer (RING-WRITE-5) at the end of the packet, then move the private cursor. */
  private finish(start: number, len8: number, total: number): void {
    if (this.profile.writesTrailerAndPadding) {
      const t = advance(start, len8 * 8, this.size) >> 2;
      this.d32[t] = 0;
      this.d32[t + 1] = start;
    }
    this.cursor = advance(start, total, this.size);
    this.lastTotal = total;
    this.clearPending = true;
  }

  /**
   * Write a plain packet (no typed header: offset8 = 2) of `len` payload bytes from
   * `payload[off..]` at the private cursor, without publishing. Returns WRITE_FITS (written),
   * WRITE_FULL, WRITE_TOO_LARGE_FAULT or WRITE_FAULT (see `fault`).
   */
  tryWrite(type: number, flags: number, transIdLo: number, transIdHi: number, payload: Uint8Array, off = 0, len = payload.length - off): number {
    if (!this.open && !this.begin()) return WRITE_FAULT;
    const len8 = 2 + ((len + 7) >>> 3);
    const total = len8 * 8 + 8;
    const v = this.reserve(total);
    if (v !== WRITE_FITS) return v;
    const size = this.size;
    const d32 = this.d32;
    const start = this.cursor;
    // Descriptor (RING-WRITE-4) as two 8-byte halves; an 8-aligned half never straddles the end.
    let i = start >> 2;
    d32[i] = (type & 0xffff) | (2 << 16);
    d32[i + 1] = len8 | ((flags & 0xffff) << 16);
    let pos = start + 8;
    if (pos >= size) pos -= size;
    i = pos >> 2;
    d32[i] = transIdLo;
    d32[i + 1] = transIdHi;
    pos += 8;
    if (pos >= size) pos -= size;
    // memory.copy only within the caller's view (it would copy any bytes of the memory).
    if (this.cp !== null && len >= MEM_COPY_MIN && off + len <= payload.length && this.memBase(payload) >= 0) memCopyIntoRing(this.cp, CONTROL_PAGE_SIZE, size, pos, this.lastBase + off, len);
    else copyIntoRing(this.data, d32, pos, payload, this.srcWords.of(payload), off, len, this.loopMax);
    const pad = (len8 - 2) * 8 - len;
    if (pad > 0 && this.profile.writesTrailerAndPadding) zeroRing(this.data, advance(pos, len, size), pad);
    this.finish(start, len8, total);
    return WRITE_FITS;
  }

  /** Write any packet (typed headers included) at the private cursor, without publishing. */
  tryWritePacket(packet: Packet): number {
    if (packet.body.kind === "plain") {
      const [lo, hi] = u64Words(packet.transId);
      return this.tryWrite(packet.type, packet.flags, lo, hi, packet.payload);
    }
    if (!this.open && !this.begin()) return WRITE_FAULT;
    const s = packetSizes(packet);
    const total = packetTotal(s.len8);
    const v = this.reserve(total);
    if (v !== WRITE_FITS) return v;
    if (this.scratch.length < s.len8 * 8) this.scratch = new Uint8Array(s.len8 * 8);
    encodePacketInto(packet, s, this.scratch, 0);
    const n = this.profile.writesTrailerAndPadding ? s.len8 * 8 : s.headerBytes + packet.payload.length;
    const start = this.cursor;
    copyIntoRing(this.data, this.d32, start, this.scratch, this.srcWords.of(this.scratch), 0, n);
    this.finish(start, s.len8, total);
    return WRITE_FITS;
  }

  /**
   * Publish the batch: ONE Atomics.store of write_index, then the signal decision of
   * (RING-WRITE-6) on interrupt_mask and read_index loaded after the store. Returns whether
   * the reader was signalled.
   */
  publish(): boolean {
    if (!this.open) return false;
    this.open = false;
    const size = this.size;
    const written = usedBytes(this.cursor, this.batchStart, size);
    if (written > 0) {
      Atomics.store(this.ctl, W, this.cursor); // [C] packet written -> [D] write write_index (release)
      this.batches++;
    }
    // RING-WRITE-7: a writer that has written clears the pending_send_sz it set while waiting.
    if (this.clearPending && Atomics.load(this.ctl, PENDING) !== 0) Atomics.store(this.ctl, PENDING, 0);
    this.clearPending = false;
    if (written === 0) return false;
    // Store then loads: seq-cst gives the full barrier Linux puts between them.
    const mask = Atomics.load(this.ctl, MASK);
    const r = Atomics.load(this.ctl, R) >>> 0;
    if (!writerShouldSignal(this.profile, this.batchStart, this.cursor, r, mask, written, size)) return false;
    this.signals++;
    Atomics.add(this.bell, READER_BELL, 1); // HvSignalEvent / SINT
    Atomics.notify(this.bell, READER_BELL);
    return true;
  }

  /** Store pending_send_sz for a packet of `total` bytes (RING-WRITE-7). */
  setPending(total: number): void {
    Atomics.store(this.ctl, PENDING, pendingSendSizeFor(this.profile, total)); // [A] producer: write pending_send_sz (full barrier)
    this.clearPending = false;
  }

  /**
   * Wait until a packet of `total` bytes fits ([A]): publish what is pending,
   * store pending_send_sz, re-read read_index, then sleep on the writer doorbell (bounded by
   * `timeoutMs`). Returns SPACE_OK, SPACE_TIMEOUT or SPACE_LOST_WAKEUP.
   */
  waitForSpace(total: number, timeoutMs: number): number {
    this.publish();
    this.setPending(total);
    this.waits++;
    for (;;) {
      const seen = Atomics.load(this.bell, WRITER_BELL);
      if (this.fitsNow(total)) {
        Atomics.store(this.ctl, PENDING, 0);
        return SPACE_OK;
      }
      const res = Atomics.wait(this.bell, WRITER_BELL, seen, timeoutMs);
      if (res === "timed-out") {
        if (!this.fitsNow(total)) return SPACE_TIMEOUT;
        return Atomics.load(this.bell, WRITER_BELL) === seen ? SPACE_LOST_WAKEUP : SPACE_OK;
      }
    }
  }

  private fitsNow(total: number): boolean {
    const r = Atomics.load(this.ctl, R) >>> 0; // [A] after pending_send_sz: re-read read_index
    const w = Atomics.load(this.ctl, W) >>> 0;
    if (checkIndex("readIndex", r, this.size) !== null) return false;
    return writeVerdictWithin(total, availBytes(w, r, this.size), this.limit) === WRITE_FITS;
  }

  /** Model-shaped batch write (same outcomes as spec/ring/writer.ts writeBatch). */
  writeBatch(packets: readonly Packet[], opts: WriteOptions = {}): Omit<BatchWriteResult, "ring"> {
    const wait = opts.waitIfFull ?? true;
    const before = Atomics.load(this.ctl, W) >>> 0;
    if (!this.open && !this.begin()) {
      const f = this.fault!;
      return { outcomes: packets.map(() => ({ kind: "fault", fault: f }) as const), signal: false, writeIndexBefore: before, writeIndexAfter: before };
    }
    const outcomes: WriteOutcome[] = [];
    for (const packet of packets) {
      const start = this.cursor;
      const v = this.tryWritePacket(packet);
      if (v === WRITE_FITS) outcomes.push({ kind: "written", writeIndexBefore: start, writeIndexAfter: this.cursor, total: this.lastTotal });
      else if (v === WRITE_FULL) {
        outcomes.push({ kind: "full", needed: this.lastNeeded, available: this.lastAvailable });
        if (wait) this.setPending(this.lastNeeded);
      } else outcomes.push({ kind: "fault", fault: this.fault! });
    }
    const after = this.cursor;
    const signal = this.publish();
    return { outcomes, signal, writeIndexBefore: before, writeIndexAfter: after };
  }

  writePacket(packet: Packet, opts: WriteOptions = {}): { readonly outcome: WriteOutcome; readonly signal: boolean } {
    const b = this.writeBatch([packet], opts);
    return { outcome: b.outcomes[0]!, signal: b.signal };
  }
}
