/**
 * The ring writer's bytes and batch bookkeeping (issue 13): the trailer (RING-WRITE-5), zero
 * padding, QEMU's unwritten padding/trailer, pending_send_sz on a full ring (RING-WRITE-7),
 * one publication per batch (RING-WRITE-6).
 */
import { describe, expect, it } from "vitest";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { makeRing, type Ring } from "../../spec/ring/state.js";
import { writeBatch, writePacket } from "../../spec/ring/writer.js";
import { PacketType, type Packet } from "../../spec/wire/packet.js";

const ring = (size: number, control: Partial<Ring["control"]> = {}): Ring => {
  const r = makeRing(size, control);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};
const inband = (n: number): Packet => ({ type: PacketType.DataInBand, flags: 0, transId: "1", body: { kind: "plain" }, payload: new Uint8Array(n).fill(7) });

describe("RING-WRITE-5: trailer and padding", () => {
  it("strict writes zero padding and the start index in the trailer's high word, wrapping at the end of the data area", () => {
    const start = 0x1238; // an index whose bytes are all distinct
    const r = ring(0x2000, { writeIndex: start, readIndex: start });
    const w = writePacket(r, inband(3), RING_PROFILES.strict);
    expect(w.outcome).toEqual({ kind: "written", writeIndexBefore: start, writeIndexAfter: start + 32, total: 32 });
    const d = w.ring.data;
    expect([...d.subarray(start + 16, start + 24)]).toEqual([7, 7, 7, 0, 0, 0, 0, 0]);
    expect([...d.subarray(start + 24, start + 32)]).toEqual([0, 0, 0, 0, 0x38, 0x12, 0, 0]);
  });
  it("qemu leaves padding and trailer as they were (the stale bytes stay)", () => {
    const r0 = ring(128);
    const stale: Ring = { control: r0.control, data: new Uint8Array(128).fill(0xaa) };
    const d = writePacket(stale, inband(3), RING_PROFILES.qemu).ring.data;
    expect([...d.subarray(16, 19)]).toEqual([7, 7, 7]);
    expect([...d.subarray(19, 32)]).toEqual(new Array(13).fill(0xaa));
  });
});

describe("RING-WRITE-6 / RING-WRITE-7: a batch", () => {
  const p = RING_PROFILES.strict;
  it("publishes the write index once after all packets; the signal is taken once (the ring was empty)", () => {
    const b = writeBatch(ring(256), [inband(8), inband(8)], p);
    expect(b.outcomes.map((o) => o.kind)).toEqual(["written", "written"]);
    expect(b.writeIndexBefore).toBe(0);
    expect(b.writeIndexAfter).toBe(64);
    expect(b.ring.control.writeIndex).toBe(64);
    expect(b.signal).toBe(true);
    expect(writeBatch(ring(256), [], p).signal).toBe(false);
  });
  it("a packet that does not fit stores pending_send_sz (waiting by default), later packets are still tried; one written clears it", () => {
    const r = ring(128, { writeIndex: 64, readIndex: 0 });
    const b = writeBatch(r, [inband(40), inband(8)], p);
    expect(b.outcomes).toEqual([
      { kind: "full", needed: 64, available: 64 },
      { kind: "written", writeIndexBefore: 64, writeIndexAfter: 96, total: 32 },
    ]);
    expect(b.ring.control.pendingSendSize).toBe(0);
    const waiting = writeBatch(r, [inband(40)], p);
    expect(waiting.ring.control.pendingSendSize).toBe(65);
    expect(waiting.ring.control.writeIndex).toBe(64);
    expect(waiting.signal).toBe(false);
    expect(writeBatch(r, [inband(40)], p, { waitIfFull: false }).ring.control.pendingSendSize).toBe(0);
  });
  it("RING-WRITE-3: a packet over the limit is a fault naming the total and the limit", () => {
    const b = writeBatch(ring(64), [inband(64)], p);
    expect(b.outcomes).toEqual([{ kind: "fault", fault: { kind: "packetTooLarge", rule: "RING-WRITE-3", total: 88, limit: 56 } }]);
  });
});

describe("what a writer validates and leaves alone", () => {
  const p = RING_PROFILES.strict;
  it("RING-IDX-1/2: a corrupt write index or read index is a fault naming that field, whichever is bad", () => {
    const r = ring(128);
    const badW: Ring = { control: { ...r.control, writeIndex: 12 }, data: r.data };
    expect(writePacket(badW, inband(8), p).outcome).toEqual({ kind: "fault", fault: { kind: "indexMisaligned", rule: "RING-IDX-2", field: "writeIndex", value: 12 } });
    const badR: Ring = { control: { ...r.control, readIndex: 128 }, data: r.data };
    expect(writePacket(badR, inband(8), p).outcome).toEqual({ kind: "fault", fault: { kind: "indexOutOfRange", rule: "RING-IDX-1", field: "readIndex", value: 128, dataSize: 128 } });
  });
  it("the input ring's data area is never written (the writer works on a copy)", () => {
    const r = ring(128);
    const w = writePacket(r, inband(8), p);
    expect(w.ring.data).not.toBe(r.data);
    expect(r.data.every((b) => b === 0)).toBe(true);
  });
});
