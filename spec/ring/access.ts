/**
 * The ring at the granularity of single shared-memory accesses (docs/ring-interleavings.md):
 * one writer and one reader, each a small program whose every step performs at most one load
 * or store of the shared control fields (write_index, read_index, interrupt_mask,
 * pending_send_sz) or of the packet data, or raises / consumes an interrupt. An interleaving of
 * their steps is a run; the model checker (src/ringcheck) explores all of them under
 * sequential consistency.
 *
 * Every decision — does the packet fit, what pending_send_sz to store, must the writer or the
 * reader signal — is the one definition in decide.ts, called with the profile; this file only
 * says WHEN each side reads what (the order of accesses of Linux drivers/hv/ring_buffer.c
 * hv_ringbuffer_write / hv_signal_on_write / hv_pkt_iter_close, hv_begin_read / hv_end_read,
 * and of the shm adapter src/shm).
 *
 * Sleeping: a writer whose packet does not fit stores pending_send_sz, re-reads read_index and,
 * if it still does not fit, sleeps until the reader signals it. A reader that finds the ring
 * empty unmasks interrupts (interrupt_mask = 0), re-reads write_index and, if still empty,
 * sleeps until the writer signals it; woken, it masks them again while it reads (hv_begin_read).
 */
import { advance, availBytes, pendingSendSizeFor, usedBytes, readerShouldSignal, writerShouldSignal, writeVerdict, WRITE_FITS, WRITE_TOO_LARGE } from "./decide.js";
import type { RingProfile } from "./profile.js";

/** Deliberate defects, for showing that the checker finds what it should (tests, docs). */
export type PlantedBug =
  /** The reader sleeps right after unmasking, without re-reading write_index (breaks RING-READ-5). */
  | "readerSkipsRecheck"
  /** The writer publishes write_index before it stores the packet data (breaks RING-WRITE-2). */
  | "writerPublishesFirst"
  /** The writer sleeps right after storing pending_send_sz, without re-reading read_index (breaks RING-WRITE-7). */
  | "writerSkipsRecheck";

export interface AccessConfig {
  readonly profile: RingProfile;
  /** Data area size in bytes (a multiple of 8). */
  readonly dataSize: number;
  /** The totals (len8 × 8 + 8) of the packets the writer sends, in order. */
  readonly packets: readonly number[];
  readonly bug?: PlantedBug;
}

export type WriterPc = "loadR" | "storeData" | "publish" | "loadMask" | "loadR2" | "clearPending" | "storePending" | "recheckR" | "asleep" | "done";
export type ReaderPc = "loadW" | "readData" | "commit" | "loadPending" | "loadW2" | "unmask" | "recheckW" | "mask" | "asleep";

export interface AccessState {
  // ---- shared memory ----
  readonly writeIndex: number;
  readonly readIndex: number;
  readonly interruptMask: number;
  readonly pendingSendSize: number;
  /** Packets whose bytes (descriptor, payload, trailer) the writer has stored. */
  readonly dataStored: number;
  /** An interrupt raised for the reader (writer's HvSignalEvent) and not yet taken. */
  readonly readerInterrupt: boolean;
  /** An interrupt raised for the writer (reader's signal) and not yet taken. */
  readonly writerInterrupt: boolean;
  // ---- writer registers ----
  readonly wPc: WriterPc;
  /** The packet being written. */
  readonly wPacket: number;
  readonly wReadIndex: number;
  readonly wOldWrite: number;
  readonly wMask: number;
  /** The writer stored pending_send_sz for this packet (and must clear it once written). */
  readonly wWaited: boolean;
  // ---- reader registers ----
  readonly rPc: ReaderPc;
  /** Packets read so far. */
  readonly rPacket: number;
  readonly rWriteIndex: number;
  readonly rPending: number;
  /** Bytes of the packet just consumed (for the reader's signal decision). */
  readonly rBytesRead: number;
}

/** One step of one side, as the checker reports it. */
export interface AccessStep {
  readonly side: "writer" | "reader";
  /** What the step did, in the protocol's words ("store write_index = 40", "sleep"). */
  readonly action: string;
}

/** A safety violation a step exposed (RING-SAFE-1). */
export interface AccessViolation {
  readonly rule: "RING-SAFE-1";
  readonly message: string;
}

export interface AccessSuccessor {
  readonly step: AccessStep;
  readonly state: AccessState;
  readonly violation?: AccessViolation;
}

/** Both sides start idle: the writer about to send its first packet, the reader asleep with interrupts unmasked. */
export const initialAccessState = (): AccessState => ({
  writeIndex: 0,
  readIndex: 0,
  interruptMask: 0,
  pendingSendSize: 0,
  dataStored: 0,
  readerInterrupt: false,
  writerInterrupt: false,
  wPc: "loadR",
  wPacket: 0,
  wReadIndex: 0,
  wOldWrite: 0,
  wMask: 0,
  wWaited: false,
  rPc: "asleep",
  rPacket: 0,
  rWriteIndex: 0,
  rPending: 0,
  rBytesRead: 0,
});

const fits = (c: AccessConfig, w: number, r: number, total: number): boolean => writeVerdict(c.profile, total, availBytes(w, r, c.dataSize), c.dataSize) === WRITE_FITS;

/** A configuration error (a packet that can never fit): the checker refuses it up front. */
export const accessConfigProblem = (c: AccessConfig): string | null => {
  if (c.dataSize % 8 !== 0 || c.dataSize < 64) return `data size ${c.dataSize} is not a multiple of 8 of at least 64`;
  for (const t of c.packets) {
    if (t % 8 !== 0 || t < 24) return `packet total ${t} is not a multiple of 8 of at least 24 (16-byte descriptor + trailer)`;
    if (writeVerdict(c.profile, t, c.dataSize, c.dataSize) === WRITE_TOO_LARGE) return `packet total ${t} can never fit a ${c.dataSize}-byte ring`;
  }
  return null;
};

const writerStep = (c: AccessConfig, s: AccessState): AccessSuccessor | null => {
  const total = c.packets[s.wPacket]!;
  const W = (action: string, next: Partial<AccessState>): AccessSuccessor => ({ step: { side: "writer", action }, state: { ...s, ...next } });
  const nextPacket = (extra: Partial<AccessState>): Partial<AccessState> => ({ ...extra, wPacket: s.wPacket + 1, wWaited: false, wPc: s.wPacket + 1 < c.packets.length ? "loadR" : "done" });
  switch (s.wPc) {
    case "loadR": {
      const ok = fits(c, s.writeIndex, s.readIndex, total);
      const dataFirst = c.bug !== "writerPublishesFirst";
      return W(`load read_index = ${s.readIndex} (packet ${s.wPacket} of ${total} bytes ${ok ? "fits" : "does not fit"})`, {
        wReadIndex: s.readIndex,
        wPc: ok ? (dataFirst ? "storeData" : "publish") : "storePending",
      });
    }
    case "storeData":
      return W(`store the ${total} bytes of packet ${s.wPacket}`, {
        dataStored: s.wPacket + 1,
        wPc: c.bug === "writerPublishesFirst" ? "loadMask" : "publish",
      });
    case "publish": {
      const w = advance(s.writeIndex, total, c.dataSize);
      return W(`store write_index = ${w}`, { writeIndex: w, wOldWrite: s.writeIndex, wPc: c.bug === "writerPublishesFirst" ? "storeData" : "loadMask" });
    }
    case "loadMask":
      return W(`load interrupt_mask = ${s.interruptMask}`, { wMask: s.interruptMask, wPc: "loadR2" });
    case "loadR2": {
      // RING-WRITE-6: the signal decision, on what was read after publishing.
      const signal = writerShouldSignal(c.profile, s.wOldWrite, s.writeIndex, s.readIndex, s.wMask, total, c.dataSize);
      const after = s.wWaited ? { wPc: "clearPending" as const } : nextPacket({});
      return W(`load read_index = ${s.readIndex}${signal ? ": signal the reader" : ": no signal"}`, { wReadIndex: s.readIndex, ...(signal ? { readerInterrupt: true } : {}), ...after });
    }
    case "clearPending":
      return W("store pending_send_sz = 0", nextPacket({ pendingSendSize: 0 }));
    case "storePending": {
      const p = pendingSendSizeFor(c.profile, total);
      return W(`store pending_send_sz = ${p}`, { pendingSendSize: p, wWaited: true, wPc: c.bug === "writerSkipsRecheck" ? "asleep" : "recheckR" });
    }
    case "recheckR": {
      const ok = fits(c, s.writeIndex, s.readIndex, total);
      return W(`load read_index = ${s.readIndex} (re-check: ${ok ? "fits now" : "still full: sleep"})`, { wReadIndex: s.readIndex, wPc: ok ? (c.bug === "writerPublishesFirst" ? "publish" : "storeData") : "asleep" });
    }
    case "asleep":
      return s.writerInterrupt ? W("woken by the reader's signal", { writerInterrupt: false, wPc: "loadR" }) : null;
    case "done":
      return null;
  }
};

const readerStep = (c: AccessConfig, s: AccessState): AccessSuccessor | null => {
  const R = (action: string, next: Partial<AccessState>, violation?: AccessViolation): AccessSuccessor => ({ step: { side: "reader", action }, state: { ...s, ...next }, ...(violation ? { violation } : {}) });
  switch (s.rPc) {
    case "loadW": {
      const empty = s.writeIndex === s.readIndex;
      return R(`load write_index = ${s.writeIndex}${empty ? " (empty)" : ""}`, { rWriteIndex: s.writeIndex, rPc: empty ? "unmask" : "readData" });
    }
    case "readData": {
      // Past the last packet too (a writer that published without storing): dataStored ≤ packets.
      const torn = s.dataStored <= s.rPacket;
      return R(
        `read packet ${s.rPacket}`,
        { rPc: "commit" },
        torn ? { rule: "RING-SAFE-1", message: `the reader read packet ${s.rPacket} before the writer stored its bytes (write_index ${s.writeIndex} was published first)` } : undefined,
      );
    }
    case "commit": {
      const total = c.packets[s.rPacket] ?? 8;
      const r = advance(s.readIndex, total, c.dataSize);
      return R(`store read_index = ${r}`, { readIndex: r, rPacket: s.rPacket + 1, rBytesRead: total, rPc: "loadPending" });
    }
    case "loadPending":
      return R(`load pending_send_sz = ${s.pendingSendSize}`, { rPending: s.pendingSendSize, rPc: "loadW2" });
    case "loadW2": {
      // RING-READ-4: the signal decision, on what was read after committing.
      const signal = readerShouldSignal(c.profile, s.rBytesRead, s.readIndex, s.writeIndex, s.rPending, s.interruptMask, 1, c.dataSize);
      return R(`load write_index = ${s.writeIndex}${signal ? ": signal the writer" : ": no signal"}`, { rWriteIndex: s.writeIndex, ...(signal ? { writerInterrupt: true } : {}), rPc: "loadW" });
    }
    case "unmask":
      return R("store interrupt_mask = 0", { interruptMask: 0, rPc: c.bug === "readerSkipsRecheck" ? "asleep" : "recheckW" });
    case "recheckW": {
      const empty = s.writeIndex === s.readIndex;
      return R(`load write_index = ${s.writeIndex} (re-check: ${empty ? "still empty: sleep" : "data arrived"})`, { rWriteIndex: s.writeIndex, rPc: empty ? "asleep" : "mask" });
    }
    case "mask":
      return R("store interrupt_mask = 1", { interruptMask: 1, rPc: "loadW" });
    case "asleep":
      return s.readerInterrupt ? R("woken by the writer's signal", { readerInterrupt: false, rPc: "mask" }) : null;
  }
};

/** Every step either side can take next (at most one each: each side is sequential). */
export const accessSuccessors = (c: AccessConfig, s: AccessState): readonly AccessSuccessor[] => {
  const out: AccessSuccessor[] = [];
  const w = writerStep(c, s);
  if (w) out.push(w);
  const r = readerStep(c, s);
  if (r) out.push(r);
  return out;
};

/** Every packet was written and read. */
export const accessFinished = (c: AccessConfig, s: AccessState): boolean => s.wPc === "done" && s.rPacket === c.packets.length;

/**
 * RING-LIVE-1: a state where neither side can move and the run is not finished is a lost
 * wake-up: a side sleeps although the other has given it work (packets to read, or space for
 * its packet) and will never signal it. Returns who is stuck and why, or null.
 */
export const lostWakeUp = (c: AccessConfig, s: AccessState): string | null => {
  if (accessFinished(c, s) || accessSuccessors(c, s).length > 0) return null;
  const parts: string[] = [];
  if (s.rPc === "asleep" && s.writeIndex !== s.readIndex) parts.push(`the reader sleeps with ${usedBytes(s.writeIndex, s.readIndex, c.dataSize)} bytes to read`);
  if (s.wPc === "asleep")
    parts.push(`the writer sleeps waiting for ${c.packets[s.wPacket]} bytes with ${availBytes(s.writeIndex, s.readIndex, c.dataSize)} free (pending_send_sz ${s.pendingSendSize})`);
  if (parts.length === 0) parts.push("both sides sleep with work left");
  return parts.join("; ");
};

/** A canonical key of a state (field order fixed). */
export const accessKey = (s: AccessState): string =>
  [s.writeIndex, s.readIndex, s.interruptMask, s.pendingSendSize, s.dataStored, +s.readerInterrupt, +s.writerInterrupt, s.wPc, s.wPacket, s.wReadIndex, s.wOldWrite, s.wMask, +s.wWaited, s.rPc, s.rPacket, s.rWriteIndex, s.rPending, s.rBytesRead].join(",");
