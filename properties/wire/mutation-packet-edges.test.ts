/**
 * The exported building blocks of spec/wire/packet.ts that the ring reader and writer call
 * directly (not only through decodePacket / encodePacket): checkTypedHeader for a packet type
 * without a typed header, the exact end of a GPA range header (RING-PKT-7 before RING-PKT-8),
 * and encodePacketInto's zero padding over a dirty ring region.
 */
import { describe, expect, it } from "vitest";
import { checkTypedHeader, decodePacket, encodePacketInto, type Packet, packetSizes, PacketType, rd32 } from "../../spec/wire/packet.js";
import { rawPacket } from "../support/packet-bytes.js";

const raw = rawPacket;

describe("ring packet building blocks (mutation)", () => {
  it("RING-PKT-5: checkTypedHeader passes every type that has no typed header, whatever offset8 says", () => {
    const zeros = (): number => 0;
    for (const t of [PacketType.DataInBand, PacketType.Completion, PacketType.DataUsingGpadl, 0xffff]) {
      expect(checkTypedHeader(zeros, t, 16)).toBeNull();
    }
    expect(checkTypedHeader(zeros, PacketType.DataUsingGpaDirect, 16)).toEqual({ kind: "typedHeaderBeyondOffset8", rule: "RING-PKT-5", type: PacketType.DataUsingGpaDirect, offset8: 2 });
  });

  it("RING-PKT-7: a range header that ends exactly at offset8×8 is read (an empty range is RING-PKT-7, not RING-PKT-8)", () => {
    const gd = PacketType.DataUsingGpaDirect;
    // 2 ranges, room 32: range 0 spans 2 pages (24 bytes), range 1's header fills the last 8 bytes
    const words = [0, 2, 4097, 0, 1, 0, 2, 0, 0, 0];
    expect(decodePacket(raw(gd, 7, 7, words))).toEqual({ ok: false, error: { kind: "gpaRangeEmpty", rule: "RING-PKT-7", index: 1 } });
    const w2 = [0, 2, 4097, 0, 1, 0, 2, 0, 5, 4096];
    expect(decodePacket(raw(gd, 7, 7, w2))).toEqual({ ok: false, error: { kind: "gpaRangeOffsetTooLarge", rule: "RING-PKT-7", index: 1, byteOffset: 4096 } });
    const w3 = [0, 2, 4097, 0, 1, 0, 2, 0, 5, 0];
    expect(decodePacket(raw(gd, 7, 7, w3))).toEqual({ ok: false, error: { kind: "gpaRangePfnsBeyondHeader", rule: "RING-PKT-8", index: 1, pfnCount: 1, room: 0 } });
    const b = raw(gd, 7, 7, w3);
    expect(checkTypedHeader((o) => rd32(b, o), gd, 56)).toEqual({ kind: "gpaRangePfnsBeyondHeader", rule: "RING-PKT-8", index: 1, pfnCount: 1, room: 0 });
  });

  it("encodePacketInto zeroes the padding over a dirty region, at offset 0 and further in", () => {
    const p: Packet = { type: PacketType.DataInBand, flags: 0, transId: "7", body: { kind: "plain" }, payload: new Uint8Array([1, 2, 3]) };
    const s = packetSizes(p);
    expect(s).toEqual({ headerBytes: 16, offset8: 2, len8: 3 });
    const exact = new Uint8Array(24).fill(0xff);
    encodePacketInto(p, s, exact, 0);
    expect([...exact.subarray(16)]).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
    const ring = new Uint8Array(64).fill(0xee);
    encodePacketInto(p, s, ring, 32);
    expect([...ring.subarray(32, 56)]).toEqual([6, 0, 2, 0, 3, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0]);
    expect([...ring.subarray(0, 32)].every((x) => x === 0xee) && [...ring.subarray(56)].every((x) => x === 0xee)).toBe(true);
  });
});
