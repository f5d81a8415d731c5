/**
 * Ring reader and writer edges, each named by the rule it shows (docs/testing.md: every
 * condition of spec/ring is negated, weakened or moved by mutation testing; these tests notice).
 */
import { describe, expect, it } from "vitest";
import { PROFILE_NAMES } from "../../spec/profiles.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { commitRead, peekAt, readBatch } from "../../spec/ring/reader.js";
import { emptyControl, makeRing, type Ring } from "../../spec/ring/state.js";
import { setPendingSendSize, writeBatch, writePacket } from "../../spec/ring/writer.js";
import { PacketType, type Packet } from "../../spec/wire/packet.js";

const ring = (size: number, control: Partial<Ring["control"]> = {}): Ring => {
  const r = makeRing(size, control);
  if (!r.ok) throw new Error("bad ring");
  return r.value;
};
/** A ring whose data area has `size` bytes, whatever that size is (as a peer could map it). */
const rawRing = (size: number): Ring => ({ control: { ...emptyControl }, data: new Uint8Array(size) });
const inband = (n: number): Packet => ({ type: PacketType.DataInBand, flags: 0, transId: "1", body: { kind: "plain" }, payload: new Uint8Array(n).fill(7) });

describe("RING-GEOM-1: a data area whose size is not a valid ring size", () => {
  for (const size of [0, 56, 100, 4092]) {
    it(`${size} bytes: writer and reader refuse it before touching any index (every profile)`, () => {
      const bad = rawRing(size);
      for (const name of PROFILE_NAMES) {
        const p = RING_PROFILES[name];
        const fault = { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: size };
        const w = writeBatch(bad, [inband(8)], p);
        expect(w.outcomes).toEqual([{ kind: "fault", fault }]);
        expect(w.ring).toBe(bad);
        expect(w.signal).toBe(false);
        expect(peekAt(bad, 0, p)).toEqual({ kind: "fault", fault });
        const r = readBatch(bad, p, 4);
        expect(r.stop).toEqual({ kind: "fault", fault });
        expect(r.ring).toBe(bad);
        expect(commitRead(bad, 0, p)).toEqual({ fault });
      }
    });
  }
  it("64 bytes (the smallest model ring) and 4096 bytes are valid", () => {
    for (const size of [64, 4096]) expect(writePacket(rawRing(size), inband(8), RING_PROFILES.strict).outcome.kind).toBe("written");
  });
});

describe("commitRead (RING-IDX-1, RING-IDX-2, RING-READ-4)", () => {
  const p = RING_PROFILES.strict;
  it("refuses a new read index outside the ring or not 8-aligned, and a corrupt published read index", () => {
    const r = writePacket(ring(128), inband(8), p).ring;
    expect(commitRead(r, 128, p)).toEqual({ fault: { kind: "indexOutOfRange", rule: "RING-IDX-1", field: "readIndex", value: 128, dataSize: 128 } });
    expect(commitRead(r, 12, p)).toEqual({ fault: { kind: "indexMisaligned", rule: "RING-IDX-2", field: "readIndex", value: 12 } });
    const corrupt = { control: { ...r.control, readIndex: 4 }, data: r.data };
    expect(commitRead(corrupt, 0, p)).toEqual({ fault: { kind: "indexMisaligned", rule: "RING-IDX-2", field: "readIndex", value: 4 } });
    const wild = { control: { ...r.control, writeIndex: 200 }, data: r.data };
    expect(commitRead(wild, 0, p)).toEqual({ fault: { kind: "indexOutOfRange", rule: "RING-IDX-1", field: "writeIndex", value: 200, dataSize: 128 } });
  });
  it("publishes the read index and counts the bytes read; committing nothing returns the same ring", () => {
    const r = writePacket(ring(128), inband(8), p).ring;
    const next = r.control.writeIndex;
    const c = commitRead(r, next, p);
    expect("fault" in c).toBe(false);
    if (!("fault" in c)) {
      expect(c.bytesRead).toBe(next);
      expect(c.ring.control.readIndex).toBe(next);
      expect(r.control.readIndex).toBe(0); // the input is not changed
    }
    const none = commitRead(r, 0, p);
    expect("fault" in none ? none : none.ring).toBe(r);
  });
});

describe("typed headers (RING-PKT-5, RING-PKT-6) as the reader decodes them", () => {
  /** A GPA-direct packet written byte by byte: offset8 4 (32-byte header), len8 5, range count at byte 20. */
  const gpaDirectRing = (rangeCount: number): Ring => {
    const r = ring(128);
    const d = r.data.slice();
    const v = new DataView(d.buffer);
    v.setUint16(0, PacketType.DataUsingGpaDirect, true);
    v.setUint16(2, 4, true); // offset8
    v.setUint16(4, 5, true); // len8
    v.setUint32(20, rangeCount, true);
    v.setUint32(24, 4096, true); // byte_count of range 0
    v.setUint32(28, 0, true); // byte_offset
    return { control: { ...r.control, writeIndex: 48 }, data: d };
  };
  it("a GPA-direct header with range count 0 is a fault for profiles that parse typed headers, a packet for the others", () => {
    for (const name of PROFILE_NAMES) {
      const p = RING_PROFILES[name];
      const out = peekAt(gpaDirectRing(0), 0, p);
      if (p.parsesTypedHeaders) expect(out).toEqual({ kind: "fault", fault: { kind: "badRangeCount", rule: "RING-PKT-6", rangeCount: 0, room: 8 } });
      else expect(out.kind).toBe("packet");
    }
  });
  it("a GPA-direct header with one range whose PFN does not fit is a fault (RING-PKT-8) where typed headers are parsed", () => {
    for (const name of PROFILE_NAMES) {
      const p = RING_PROFILES[name];
      const out = peekAt(gpaDirectRing(1), 0, p);
      if (p.parsesTypedHeaders) expect(out).toMatchObject({ kind: "fault", fault: { rule: expect.stringMatching(/^RING-PKT-(6|8)$/) } });
      else expect(out.kind).toBe("packet");
    }
  });
});

describe("reducers return the same ring when nothing changes (the checker compares states by identity)", () => {
  const p = RING_PROFILES.strict;
  it("RING-WRITE-7: setPendingSendSize to the value already there returns the same ring; another value a new one", () => {
    const r = ring(128, { pendingSendSize: 40 });
    expect(setPendingSendSize(r, 40)).toBe(r);
    const s = setPendingSendSize(r, 48);
    expect(s).not.toBe(r);
    expect(s.control.pendingSendSize).toBe(48);
    expect(r.control.pendingSendSize).toBe(40);
  });
  it("an empty batch, or a full ring with no waiting, returns the same ring", () => {
    const r = ring(128);
    expect(writeBatch(r, [], p).ring).toBe(r);
    const full = writePacket(r, inband(96), p).ring;
    const again = writeBatch(full, [inband(96)], p, { waitIfFull: false });
    expect(again.outcomes[0]!.kind).toBe("full");
    expect(again.ring).toBe(full);
    // waiting stores pending_send_sz: a new ring
    expect(writeBatch(full, [inband(96)], p).ring).not.toBe(full);
  });
});
