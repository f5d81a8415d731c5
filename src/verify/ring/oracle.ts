/**
 * The oracle: what the spec ring (spec/ring, one profile) prints, exits with and leaves in the
 * image for each step of a session, in the ring CLI's JSON form (docs/verify-ring.md). Every
 * decision is a call into spec/ring (writePacket, writeBatch, readEach, peekEach); this file
 * only sequences the calls the way the CLI contract does and formats their results.
 */
import { RING_PROFILES, type RingProfile } from "../../../spec/ring/profile.js";
import { isValidDataSize, usedBytes } from "../../../spec/ring/decide.js";
import type { RingFault } from "../../../spec/ring/faults.js";
import { peekEach, readEach, type ReadOutcome } from "../../../spec/ring/reader.js";
import { CONTROL_OFFSETS, CONTROL_PAGE_SIZE, makeRing, ringFromImage, ringToImage, type Ring, type RingControl } from "../../../spec/ring/state.js";
import { writeBatch, writePacket, type WriteOutcome } from "../../../spec/ring/writer.js";
import { bytesToHex, hexToBytes } from "../../../spec/wire/hex.js";
import { packetSizes, PacketType, rd16, type DecodedPacket } from "../../../spec/wire/packet.js";
import { packetOfLine, type ControlPatch, type Step } from "./session.js";

export type Json = Record<string, unknown>;

/** Where a written packet lies in the data area (to name the rule of an image difference). */
export interface WrittenExtent {
  readonly start: number;
  /** Descriptor + typed header + payload bytes (RING-WRITE-4); padding and trailer follow (RING-WRITE-5). */
  readonly contentBytes: number;
  readonly total: number;
}

export interface Expected {
  /** Exit code of the implementation's command (null: the verifier performs the step itself). */
  readonly code: number | null;
  /** JSON lines on stdout (show: exactly one). */
  readonly lines: readonly Json[];
  /** The image file after the step (null: no file). */
  readonly image: Uint8Array | null;
  /** Rule IDs whose decision this step compares. */
  readonly rules: readonly string[];
  readonly written: readonly WrittenExtent[];
}

/** The session's state on the spec side: the image file's bytes (null before a successful init). */
export interface OracleState {
  readonly image: Uint8Array | null;
}

export const initialOracleState: OracleState = { image: null };

const controlJson = (c: RingControl): Json => ({ writeIndex: c.writeIndex, readIndex: c.readIndex, interruptMask: c.interruptMask, pendingSendSize: c.pendingSendSize, featureBits: c.featureBits });

/** A fault's fields in the CLI's form (kind → `fault`/`outcome` by the caller; `message` is free text and never compared). */
export const faultFields = (f: RingFault): Json => {
  const { kind: _kind, ...rest } = f;
  return { ...rest };
};

const writeLine = (o: WriteOutcome, before: number, signal: boolean): Json => {
  if (o.kind === "written") return { outcome: "written", signal, writeIndexBefore: o.writeIndexBefore, writeIndexAfter: o.writeIndexAfter, bytes: o.total };
  if (o.kind === "full") return { outcome: "full", signal, writeIndexBefore: before, writeIndexAfter: before, needed: o.needed, available: o.available };
  return { outcome: o.fault.kind, signal, writeIndexBefore: before, writeIndexAfter: before, ...faultFields(o.fault) };
};

export const packetFields = (p: DecodedPacket): Json => {
  const out: Json = { type: p.type, flags: p.flags, transId: p.transId, offset8: p.offset8, len8: p.len8, payload: bytesToHex(p.payload) };
  if (p.body.kind === "gpaDirect") Object.assign(out, { reserved: p.body.reserved, ranges: p.body.ranges.map((r) => ({ byteCount: r.byteCount, byteOffset: r.byteOffset, pfns: [...r.pfns] })) });
  if (p.body.kind === "transferPage")
    Object.assign(out, { transferPageSetId: p.body.transferPageSetId, senderOwnsSet: p.body.senderOwnsSet, reserved: p.body.reserved, ranges: p.body.ranges.map((r) => ({ byteCount: r.byteCount, byteOffset: r.byteOffset })) });
  return out;
};

const stopLine = (o: Exclude<ReadOutcome, { kind: "packet" }>): Json | null =>
  o.kind === "empty" ? null : o.kind === "incomplete" ? { stop: "incomplete", available: o.available } : { fault: o.fault.kind, ...faultFields(o.fault) };

// ---- rule attribution for coverage ------------------------------------------------------------

const STRICT_TYPES: readonly number[] = RING_PROFILES.strict.acceptedTypes ?? [];

/** Rules a reader's decision at `cursor` depended on (the raw descriptor, not the spec's verdict). */
const readerRules = (ring: Ring, cursor: number, o: ReadOutcome, p: RingProfile, rules: Set<string>): void => {
  if (o.kind === "fault") rules.add(o.fault.rule);
  const size = ring.data.length;
  const w = ring.control.writeIndex;
  if (!(w < size && w % 8 === 0 && cursor < size && cursor % 8 === 0)) return;
  const available = usedBytes(w, cursor, size);
  const trailer = p.needsTrailer ? 8 : 0;
  if (available > 0 && available < 16 + trailer) rules.add("RING-PKT-1");
  if (available < 16) return;
  const at = (k: number): number => ring.data[(cursor + k) % size]!;
  const d = Uint8Array.from({ length: 6 }, (_, k) => at(k));
  const type = rd16(d, 0);
  const offset8 = rd16(d, 2);
  const len8 = rd16(d, 4);
  if (offset8 < 2) rules.add("RING-PKT-2");
  if (offset8 > len8) rules.add("RING-PKT-3");
  if (len8 * 8 + trailer > available) {
    rules.add("RING-PKT-4");
    rules.add("RING-READ-6");
  }
  // RING-READ-3 is compared whenever a type outside the data types reaches the reader: refused by
  // profiles with an accepted set, passed on by those without one (linux, dpdk).
  if ((p.acceptedTypes ?? STRICT_TYPES).includes(type) === false || !STRICT_TYPES.includes(type)) rules.add("RING-READ-3");
  if (type === PacketType.DataUsingGpaDirect || type === PacketType.DataUsingTransferPages) for (const r of ["RING-PKT-5", "RING-PKT-6", "RING-PKT-7", "RING-PKT-8"]) rules.add(r);
};

// ---- steps -------------------------------------------------------------------------------

const put32 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
};

/** Apply a patch to an image (a copy): control fields at their offsets, raw bytes into the data area (wrapping). */
export const patchImage = (image: Uint8Array, control: ControlPatch | undefined, at: number | undefined, hex: string | undefined): Uint8Array => {
  const out = image.slice();
  for (const [k, v] of Object.entries(control ?? {}) as [keyof RingControl, number][]) put32(out, CONTROL_OFFSETS[k], v);
  if (at !== undefined && hex !== undefined) {
    const size = out.length - CONTROL_PAGE_SIZE;
    const b = hexToBytes(hex);
    if (b.ok) b.value.forEach((x, i) => (out[CONTROL_PAGE_SIZE + ((at + i) % size)] = x));
  }
  return out;
};

const ringOf = (image: Uint8Array): Ring => {
  const r = ringFromImage(image);
  if (!r.ok) throw new Error("oracle: the session's image has a bad size"); // images are only made by a valid init
  return r.value;
};

/** What the spec does for one step, and the state after it. `file` is the path given to the implementation. */
export const expectStep = (state: OracleState, step: Step, p: RingProfile, file: string): { expected: Expected; state: OracleState } => {
  const rules = new Set<string>();
  const done = (code: number | null, lines: Json[], image: Uint8Array | null, written: WrittenExtent[] = []): { expected: Expected; state: OracleState } => ({
    expected: { code, lines, image, rules: [...rules], written },
    state: { image },
  });
  switch (step.op) {
    case "init": {
      rules.add("RING-GEOM-1");
      const made = makeRing(step.dataSize, step.control ?? {});
      if (!made.ok || !isValidDataSize(step.dataSize)) return done(2, [], null);
      return done(0, [{ file, dataSize: step.dataSize, control: controlJson(made.value.control) }], ringToImage(made.value));
    }
    case "patch":
      return done(null, [], state.image === null ? null : patchImage(state.image, step.control, step.at, step.hex));
    case "write": {
      const image = state.image!;
      let ring = ringOf(image);
      const packets = step.packets.map(packetOfLine);
      const lines: Json[] = [];
      const written: WrittenExtent[] = [];
      const note = (o: WriteOutcome, pendingBefore: number, i: number): void => {
        if (o.kind === "written") {
          for (const r of ["RING-WRITE-1", "RING-WRITE-4", "RING-WRITE-6"]) rules.add(r);
          if (p.writesTrailerAndPadding) rules.add("RING-WRITE-5");
          if (pendingBefore !== 0) rules.add("RING-WRITE-7");
          written.push({ start: o.writeIndexBefore, contentBytes: packetSizes(packets[i]!).headerBytes + packets[i]!.payload.length, total: o.total });
        } else if (o.kind === "full") {
          rules.add("RING-WRITE-1");
          rules.add("RING-WRITE-7");
        } else rules.add(o.fault.rule);
      };
      let failed = 0;
      if (step.batch) {
        const pendingBefore = ring.control.pendingSendSize;
        const b = writeBatch(ring, packets, p);
        let before = b.writeIndexBefore;
        b.outcomes.forEach((o, i) => {
          lines.push(writeLine(o, before, i === b.outcomes.length - 1 ? b.signal : false));
          note(o, pendingBefore, i);
          if (o.kind === "written") before = o.writeIndexAfter;
          else failed++;
        });
        ring = b.ring;
      } else {
        packets.forEach((pk, i) => {
          const before = ring.control.writeIndex;
          const pendingBefore = ring.control.pendingSendSize;
          const w = writePacket(ring, pk, p);
          ring = w.ring;
          lines.push(writeLine(w.outcome, before, w.signal));
          note(w.outcome, pendingBefore, i);
          if (w.outcome.kind !== "written") failed++;
        });
      }
      return done(failed === 0 ? 0 : 1, lines, ringToImage(ring, image.subarray(0, CONTROL_PAGE_SIZE)), written);
    }
    case "read": {
      const image = state.image!;
      const start = ringOf(image);
      const lines: Json[] = [];
      let code = 0;
      // The CLI contract's loop: one commit (and one signal decision) per packet, bounded by the
      // bytes published when the read began (spec/ring readEach).
      const { ring, reads } = readEach(start, p, step.max ?? Number.MAX_SAFE_INTEGER);
      for (const { before, cursor, result: r } of reads) {
        readerRules(before, cursor, r.outcome, p, rules);
        if (r.outcome.kind === "packet") {
          rules.add("RING-READ-2");
          rules.add("RING-READ-4");
          lines.push({ ...packetFields(r.outcome.packet), start: r.outcome.start, next: r.outcome.next, signal: r.signal });
          continue;
        }
        const s = stopLine(r.outcome);
        if (s) lines.push(s);
        if (r.outcome.kind === "fault") code = 1;
      }
      return done(code, lines, ringToImage(ring, image.subarray(0, CONTROL_PAGE_SIZE)));
    }
    case "show": {
      const image = state.image!;
      const ring = ringOf(image);
      const packets: Json[] = [];
      let stop: Json | null = null;
      for (const { cursor, outcome: o } of peekEach(ring, p)) {
        readerRules(ring, cursor, o, p, rules);
        if (o.kind !== "packet") {
          stop = stopLine(o);
          break;
        }
        rules.add("RING-READ-2");
        packets.push({ ...packetFields(o.packet), start: o.start, next: o.next });
      }
      return done(0, [{ dataSize: ring.data.length, control: controlJson(ring.control), packets, ...(stop ? { stop } : {}) }], image);
    }
  }
};
