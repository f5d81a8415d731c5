/**
 * The reading endpoint of a shared-memory ring. Every decision (available bytes, descriptor
 * validation, Linux clamp, typed-header validation, signal) is a call into
 * spec/ring/decide.ts / spec/wire/packet.ts; this file only performs the memory accesses, with
 * the ordering of (rows quoted as [A]..[D]).
 *
 * Fast path: `readInto` copies one packet's payload (or the whole packet) into the caller's
 * buffer at a private cursor and fills the reusable `info` — no allocation for payloads up to
 * LOOP_COPY_MAX bytes, one view object above; `commit` publishes read_index ONCE per batch.
 * General path: `readBatch` / `readPacket` return the model's outcome objects.
 */
import {
  advance,
  checkAvailableWith,
  checkDescriptorWith,
  checkIndex,
  checksTypedHeader,
  checksTypedHeaderWith,
  effectiveLen8With,
  effectiveOffset8With,
  PEEK_EMPTY,
  PEEK_INCOMPLETE,
  readerChecksOf,
  readerShouldSignal,
  type ReaderChecks,
  usedBytes,
} from "../../spec/ring/decide.js";
import type { RingFault } from "../../spec/ring/faults.js";
import type { RingProfile } from "../../spec/ring/profile.js";
import type { BatchReadResult, EndReadRecheck, ReadOutcome } from "../../spec/ring/reader.js";
import { CONTROL_PAGE_SIZE } from "../../spec/ring/state.js";
import { checkTypedHeader, decodeBody, type DecodedPacket, type PacketBody } from "../../spec/wire/packet.js";
import { copyOutOfRing, MEM_COPY_MIN, memCopyOutOfRing, type EndpointOptions, Words } from "./copy.js";
import { FEATURES, MASK, PENDING, R, READER_BELL, W, WRITER_BELL, type ShmRingHandle } from "./handle.js";
import { ShmEndpoint } from "./endpoint.js";

export const READ_EMPTY = -1;
export const READ_INCOMPLETE = -2;
export const READ_FAULT = -3;
/** The caller's buffer is too small; `info.len8` etc. describe the packet (nothing consumed). */
export const READ_NO_ROOM = -4;

export const DATA_OK = 0;
export const DATA_TIMEOUT = 1;
/** Timed out although a packet was present and no signal came: a lost wake-up. */
export const DATA_LOST_WAKEUP = 2;

/** The descriptor of the packet last returned by readInto (reused, never reallocated). */
export class PacketInfo {
  type = 0;
  flags = 0;
  offset8 = 0;
  len8 = 0;
  transIdLo = 0;
  transIdHi = 0;
  /** Ring offset of the packet and of the one after it. */
  start = 0;
  next = 0;
  /** Bytes available at the cursor when the packet was read (INCOMPLETE reports it too). */
  available = 0;
}

const PLAIN: PacketBody = { kind: "plain" };
const transIdString = (lo: number, hi: number): string => (hi === 0 ? String(lo) : String((BigInt(hi) << 32n) | BigInt(lo)));

export class ShmConsumer extends ShmEndpoint {
  readonly info = new PacketInfo();
  /** The fault of the last READ_FAULT result. */
  fault: RingFault | null = null;
  private open = false;
  private batchStart = 0;
  private cursor = 0;
  private w = 0;
  /** Bytes published beyond batchStart as last seen, and bytes consumed since (bounds a clamping reader). */
  private budget = 0;
  private consumed = 0;

  private scratch: Uint8Array;
  private readonly dstWords = new Words();
  /** The profile's per-packet reader checks, resolved once (decide.ts readerChecksOf). */
  private readonly checks: ReaderChecks;
  signals = 0;
  commits = 0;

  constructor(handle: ShmRingHandle, profile: RingProfile, options: EndpointOptions = {}) {
    super(handle, profile, "consumer", options);
    this.checks = readerChecksOf(profile);
    // readBatch copies whole packets into scratch: the staging area when it can hold any packet.
    this.scratch = this.stagingArea !== null && this.stagingArea.length >= handle.dataSize ? this.stagingArea.subarray(0, handle.dataSize) : new Uint8Array(handle.dataSize);
  }


  private begin(): boolean {
    const r = Atomics.load(this.ctl, R) >>> 0; // own field; re-read so a test can play a confused reader
    const w = Atomics.load(this.ctl, W) >>> 0; // [B]/[C] consumer: read write_index (acquire) before the packet
    const bad = checkIndex("writeIndex", w, this.size) ?? checkIndex("readIndex", r, this.size);
    if (bad) {
      this.fault = bad;
      return false;
    }
    this.batchStart = r;
    this.cursor = r;
    this.w = w;
    this.budget = usedBytes(w, r, this.size);
    this.consumed = 0;
    this.open = true;
    return true;
  }

  /** Re-load write_index when the cursor has caught up (streaming). */
  private refresh(): boolean {
    const w = Atomics.load(this.ctl, W) >>> 0; // [B] consumer: read write_index (acquire)
    if (w === this.w) return true;
    const bad = checkIndex("writeIndex", w, this.size);
    if (bad) {
      this.fault = bad;
      return false;
    }
    this.budget += usedBytes(w, this.w, this.size);
    this.w = w;
    return true;
  }

  /**
   * Read the packet at the private cursor into `dst[dstOff..]`: its payload (bytes
   * offset8×8 .. len8×8, padding included) or, with `whole`, the whole packet (descriptor with
   * the effective offset8/len8). Returns the number of bytes copied, or READ_EMPTY,
   * READ_INCOMPLETE, READ_FAULT (`fault`), READ_NO_ROOM. Set `refresh` false to read only what
   * was published when the batch began (the model's snapshot semantics).
   */
  readInto(dst: Uint8Array, dstOff = 0, whole = false, refresh = true): number {
    if (!this.open && !this.begin()) return READ_FAULT;
    if (this.consumed >= this.budget) {
      // Past the write index (a clamping reader led on by a broken writer): stop, as the model does.
      if (this.consumed > this.budget || !refresh) return READ_EMPTY;
      if (!this.refresh()) return READ_FAULT;
      if (this.consumed >= this.budget) return READ_EMPTY;
    }
    const size = this.size;
    const cursor = this.cursor;
    const available = usedBytes(this.w, cursor, size);
    const info = this.info;
    info.available = available;
    const k = this.checks;
    const a = checkAvailableWith(k, available);
    if (typeof a !== "number") return this.faulted(a);
    if (a === PEEK_EMPTY) return READ_EMPTY;
    if (a === PEEK_INCOMPLETE) return READ_INCOMPLETE;
    const d32 = this.d32;
    let i = cursor >> 2;
    const v0 = d32[i]!;
    const v1 = d32[i + 1]!;
    const type = v0 & 0xffff;
    const len8 = effectiveLen8With(k, v1 & 0xffff, available);
    const offset8 = effectiveOffset8With(k, v0 >>> 16, len8);
    const c = checkDescriptorWith(k, type, offset8, len8, available);
    if (typeof c !== "number") return this.faulted(c);
    if (c === PEEK_INCOMPLETE) return READ_INCOMPLETE;
    if (checksTypedHeaderWith(k, type)) {
      const bad = this.typedHeaderFault(cursor, type, offset8);
      if (bad) return this.faulted(bad);
    }
    const from = whole ? 0 : offset8 * 8;
    const n = len8 * 8 - from;
    let pos = cursor + 8;
    if (pos >= size) pos -= size;
    i = pos >> 2;
    info.type = type;
    info.flags = v1 >>> 16;
    info.offset8 = offset8;
    info.len8 = len8;
    info.transIdLo = d32[i]! >>> 0;
    info.transIdHi = d32[i + 1]! >>> 0;
    info.start = cursor;
    if (dst.length - dstOff < n) return READ_NO_ROOM;
    if (this.cp !== null && n >= MEM_COPY_MIN && this.memBase(dst) >= 0) memCopyOutOfRing(this.cp, CONTROL_PAGE_SIZE, size, advance(cursor, from, size), this.lastBase + dstOff, n);
    else copyOutOfRing(this.data, d32, advance(cursor, from, size), dst, this.dstWords.of(dst), dstOff, n, this.loopMax);
    if (whole) {
      // The copy carries the values the reader acted on (Linux patches its private copy likewise).
      dst[dstOff + 2] = offset8 & 0xff;
      dst[dstOff + 3] = offset8 >>> 8;
      dst[dstOff + 4] = len8 & 0xff;
      dst[dstOff + 5] = len8 >>> 8;
    }
    const step = len8 * 8 + 8; // RING-READ-2: skip the trailer
    this.cursor = advance(cursor, step, size);
    this.consumed += step;
    info.next = this.cursor;
    return n;
  }

  /**
   * RING-PKT-5..8 on the packet at `cursor`. A separate method so readInto has no closure: a
   * closure over readInto's locals made V8 allocate a context on every call (≈ 6% of the
   * reader's time in garbage collection).
   */
  private typedHeaderFault(cursor: number, type: number, offset8: number): RingFault | null {
    const d32 = this.d32;
    const size = this.size;
    return checkTypedHeader((o) => d32[advance(cursor, o, size) >> 2]! >>> 0, type, offset8 * 8);
  }

  private faulted(f: RingFault): number {
    this.fault = f;
    return READ_FAULT;
  }

  /**
   * Publish the read index ONCE for the batch, then the writer-wakeup decision of
   * (RING-READ-4) on pending_send_sz, interrupt_mask, feature_bits and write_index loaded
   * after the store. Returns whether the writer was signalled.
   */
  commit(): boolean {
    if (!this.open) return false;
    this.open = false;
    const size = this.size;
    const bytesRead = usedBytes(this.cursor, this.batchStart, size);
    if (bytesRead === 0) return false;
    Atomics.store(this.ctl, R, this.cursor); // [D] consumer: write read_index after reading the packets
    this.commits++;
    const pending = Atomics.load(this.ctl, PENDING) >>> 0; // [A] consumer: read pending_send_sz after the store
    const mask = Atomics.load(this.ctl, MASK) >>> 0;
    const features = Atomics.load(this.ctl, FEATURES) >>> 0;
    const w = Atomics.load(this.ctl, W) >>> 0; // [D] then read write_index
    if (!readerShouldSignal(this.profile, bytesRead, this.cursor, w, pending, mask, features, size)) return false;
    this.signals++;
    Atomics.add(this.bell, WRITER_BELL, 1);
    Atomics.notify(this.bell, WRITER_BELL);
    return true;
  }

  /** hv_begin_read: set interrupt_mask for the batch. */
  beginRead(): void {
    Atomics.store(this.ctl, MASK, 1);
  }

  /** hv_end_read: clear interrupt_mask, then re-check for data (RING-READ-5). */
  endRead(): EndReadRecheck {
    Atomics.store(this.ctl, MASK, 0); // full barrier before the re-check (seq-cst)
    const w = Atomics.load(this.ctl, W) >>> 0;
    const r = Atomics.load(this.ctl, R) >>> 0;
    const bad = checkIndex("writeIndex", w, this.size) ?? checkIndex("readIndex", r, this.size);
    if (bad) return { kind: "fault", fault: bad };
    const bytes = usedBytes(w, r, this.size);
    return bytes === 0 ? { kind: "empty" } : { kind: "pending", bytes };
  }

  /**
   * Sleep until the writer signals (bounded by `timeoutMs`): commit first, read the doorbell,
   * re-check the ring, then Atomics.wait. Returns DATA_OK, DATA_TIMEOUT or DATA_LOST_WAKEUP.
   */
  waitForData(timeoutMs: number): number {
    this.commit();
    const seen = Atomics.load(this.bell, READER_BELL);
    if (Atomics.load(this.ctl, W) !== Atomics.load(this.ctl, R)) return DATA_OK;
    const res = Atomics.wait(this.bell, READER_BELL, seen, timeoutMs);
    if (res !== "timed-out") return DATA_OK;
    if (Atomics.load(this.ctl, W) === Atomics.load(this.ctl, R)) return DATA_TIMEOUT;
    return Atomics.load(this.bell, READER_BELL) === seen ? DATA_LOST_WAKEUP : DATA_OK;
  }

  /** Model-shaped batch read (same outcomes as spec/ring/reader.ts readBatch). */
  readBatch(max: number): Omit<BatchReadResult, "ring"> {
    const packets: Extract<ReadOutcome, { kind: "packet" }>[] = [];
    let stop: BatchReadResult["stop"] = null;
    if (!this.open && !this.begin()) return { packets, stop: { kind: "fault", fault: this.fault! }, signal: false };
    while (packets.length < max) {
      const n = this.readInto(this.scratch, 0, true, false);
      if (n === READ_EMPTY) stop = { kind: "empty" };
      else if (n === READ_INCOMPLETE) stop = { kind: "incomplete", available: this.info.available };
      else if (n === READ_FAULT) stop = { kind: "fault", fault: this.fault! };
      if (n < 0) break;
      const info = this.info;
      let body: PacketBody = PLAIN;
      if (checksTypedHeader(this.profile, info.type)) {
        const b = decodeBody(this.scratch, info.type, info.offset8 * 8);
        if (b.ok) body = b.value; // already validated by readInto
      }
      const packet: DecodedPacket = {
        type: info.type,
        offset8: info.offset8,
        len8: info.len8,
        flags: info.flags,
        transId: transIdString(info.transIdLo, info.transIdHi),
        body,
        payload: this.scratch.slice(info.offset8 * 8, info.len8 * 8),
      };
      packets.push({ kind: "packet", packet, start: info.start, next: info.next });
    }
    const signal = this.commit();
    return { packets, stop, signal };
  }

  readPacket(): { readonly outcome: ReadOutcome; readonly signal: boolean } {
    const b = this.readBatch(1);
    return { outcome: b.packets[0] ?? b.stop ?? { kind: "empty" }, signal: b.signal };
  }
}
