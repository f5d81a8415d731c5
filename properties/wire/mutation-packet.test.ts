/**
 * decodePacket / encodePacket (spec/wire/packet.ts) at each boundary of each ring packet rule
 * (RING-PKT-1..8), the byte offsets of every field, and the trailer.
 */
import { describe, expect, it } from "vitest";
import { rawPacket } from "../support/packet-bytes.js";
import {
  checkDescriptorLengths,
  decodePacket,
  describePacketError,
  encodePacket,
  encodeTrailer,
  type Packet,
  packetSizes,
  PacketType,
  rdU64,
  trailerValue,
  u64Words,
} from "../../spec/wire/packet.js";

const raw = rawPacket;
const kind = (b: Uint8Array): string => {
  const d = decodePacket(b);
  return d.ok ? "ok" : `${d.error.kind} ${d.error.rule}`;
};

describe("ring packets (mutation)", () => {
  it("RING-PKT-1..4: descriptor lengths at their boundaries", () => {
    expect(decodePacket(new Uint8Array(15))).toEqual({ ok: false, error: { kind: "tooShort", rule: "RING-PKT-1", available: 15 } });
    expect(kind(raw(6, 2, 2))).toBe("ok");
    expect(decodePacket(raw(6, 1, 2))).toEqual({ ok: false, error: { kind: "offset8TooSmall", rule: "RING-PKT-2", offset8: 1 } });
    expect(decodePacket(raw(6, 3, 2, [], 24))).toEqual({ ok: false, error: { kind: "offset8BeyondLen8", rule: "RING-PKT-3", offset8: 3, len8: 2 } });
    expect(kind(raw(6, 3, 3))).toBe("ok");
    expect(decodePacket(raw(6, 2, 3, [], 23))).toEqual({ ok: false, error: { kind: "len8BeyondData", rule: "RING-PKT-4", len8: 3, available: 23 } });
    expect(kind(raw(6, 2, 3, [], 24))).toBe("ok");
    expect(checkDescriptorLengths(2, 2, 16)).toBeNull();
  });

  it("descriptor fields, payload with padding, and bytes after len8 ignored", () => {
    const b = raw(6, 2, 4, [0x04030201, 0x08070605, 0x0c0b0a09], 40);
    new DataView(b.buffer).setUint16(6, 0x8001, true);
    new DataView(b.buffer).setUint32(8, 5, true);
    new DataView(b.buffer).setUint32(12, 1, true);
    const d = decodePacket(b);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.value).toMatchObject({ type: 6, offset8: 2, len8: 4, flags: 0x8001, transId: String(2 ** 32 + 5), body: { kind: "plain" } });
    expect([...d.value.payload]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 0, 0, 0]);
    expect(rdU64(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), 0)).toBe("4294967295");
  });

  it("RING-PKT-5: GPA-direct and transfer-page packets need offset8 ≥ 3", () => {
    for (const t of [PacketType.DataUsingGpaDirect, PacketType.DataUsingTransferPages]) {
      expect(decodePacket(raw(t, 2, 2))).toEqual({ ok: false, error: { kind: "typedHeaderBeyondOffset8", rule: "RING-PKT-5", type: t, offset8: 2 } });
    }
    expect(kind(raw(PacketType.DataUsingTransferPages, 3, 3, [0, 0]))).toBe("ok");
    expect(kind(raw(PacketType.DataUsingGpaDirect - 1, 2, 2))).toBe("ok");
    expect(kind(raw(PacketType.DataUsingGpaDirect + 1, 2, 2))).toBe("ok");
  });

  it("RING-PKT-6: transfer-page range count fits the header; GPA-direct needs 1..room/16 ranges", () => {
    const tp = PacketType.DataUsingTransferPages;
    expect(decodePacket(raw(tp, 4, 4, [0, 2]))).toEqual({ ok: false, error: { kind: "badRangeCount", rule: "RING-PKT-6", rangeCount: 2, room: 8 } });
    const one = decodePacket(raw(tp, 4, 4, [0x00010007, 1, 100, 200]));
    expect(one.ok && one.value.body).toEqual({ kind: "transferPage", transferPageSetId: 7, senderOwnsSet: 1, reserved: 0, ranges: [{ byteCount: 100, byteOffset: 200 }] });
    const withReserved = decodePacket(raw(tp, 3, 3, [0x02000000, 0]));
    expect(withReserved.ok && withReserved.value.body).toMatchObject({ senderOwnsSet: 0, reserved: 2 });
    const gd = PacketType.DataUsingGpaDirect;
    expect(decodePacket(raw(gd, 5, 5, [0, 0]))).toEqual({ ok: false, error: { kind: "badRangeCount", rule: "RING-PKT-6", rangeCount: 0, room: 16 } });
    expect(decodePacket(raw(gd, 5, 5, [0, 2]))).toEqual({ ok: false, error: { kind: "badRangeCount", rule: "RING-PKT-6", rangeCount: 2, room: 16 } });
    const g = decodePacket(raw(gd, 5, 5, [9, 1, 10, 20, 33, 1]));
    expect(g.ok && g.value.body).toEqual({ kind: "gpaDirect", reserved: 9, ranges: [{ byteCount: 10, byteOffset: 20, pfns: [String(2 ** 32 + 33)] }] });
  });

  it("RING-PKT-7 / RING-PKT-8: each GPA range is non-empty, starts in its page, and its PFNs fit", () => {
    const gd = PacketType.DataUsingGpaDirect;
    expect(decodePacket(raw(gd, 5, 5, [0, 1, 0, 0]))).toEqual({ ok: false, error: { kind: "gpaRangeEmpty", rule: "RING-PKT-7", index: 0 } });
    expect(decodePacket(raw(gd, 5, 5, [0, 1, 1, 4096]))).toEqual({ ok: false, error: { kind: "gpaRangeOffsetTooLarge", rule: "RING-PKT-7", index: 0, byteOffset: 4096 } });
    expect(kind(raw(gd, 5, 5, [0, 1, 1, 4095]))).toBe("ok");
    // 2 bytes at 4095 span two pages: 16 more bytes than the header has
    expect(decodePacket(raw(gd, 5, 5, [0, 1, 2, 4095]))).toEqual({ ok: false, error: { kind: "gpaRangePfnsBeyondHeader", rule: "RING-PKT-8", index: 0, pfnCount: 2, room: 8 } });
    expect(kind(raw(gd, 6, 6, [0, 1, 2, 4095]))).toBe("ok");
    // two ranges: the second's PFNs do not fit (8 bytes left for 2 PFNs)
    expect(decodePacket(raw(gd, 7, 7, [0, 2, 4096, 0, 1, 0, 8192, 0]))).toEqual({
      ok: false,
      error: { kind: "gpaRangePfnsBeyondHeader", rule: "RING-PKT-8", index: 1, pfnCount: 2, room: 8 },
    });
    const two = decodePacket(raw(gd, 7, 7, [0, 2, 4096, 0, 1, 0, 1, 0, 2, 0]));
    expect(two.ok && two.value.body).toEqual({ kind: "gpaDirect", reserved: 0, ranges: [{ byteCount: 4096, byteOffset: 0, pfns: ["1"] }, { byteCount: 1, byteOffset: 0, pfns: ["2"] }] });
    // the range header itself beyond offset8 (room for 16 per range, but the first range used it all)
    expect(decodePacket(raw(gd, 9, 9, [0, 3, 5 * 4096, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0]))).toEqual({
      ok: false,
      error: { kind: "gpaRangePfnsBeyondHeader", rule: "RING-PKT-8", index: 1, pfnCount: 0, room: 0 },
    });
  });

  it("encodePacket: sizes, every field's offset, zero padding; decode ∘ encode = identity", () => {
    const p: Packet = {
      type: PacketType.DataUsingGpaDirect,
      flags: 1,
      transId: "18446744073709551615",
      body: { kind: "gpaDirect", reserved: 0x11223344, ranges: [{ byteCount: 4097, byteOffset: 0, pfns: ["1", "4294967296"] }] },
      payload: new Uint8Array([1, 2, 3]),
    };
    expect(packetSizes(p)).toEqual({ headerBytes: 48, offset8: 6, len8: 7 });
    const b = encodePacket(p);
    expect(b.length).toBe(56);
    expect([...b.subarray(0, 24)]).toEqual([9, 0, 6, 0, 7, 0, 1, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0x44, 0x33, 0x22, 0x11, 1, 0, 0, 0]);
    expect([...b.subarray(24, 56)]).toEqual([1, 16, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0]);
    const d = decodePacket(b);
    expect(d.ok && d.value.body).toEqual(p.body);
    const t: Packet = { type: 7, flags: 0, transId: "3", body: { kind: "transferPage", transferPageSetId: 0x1234, senderOwnsSet: 0x101, reserved: 0x1ff, ranges: [{ byteCount: 5, byteOffset: 6 }] }, payload: new Uint8Array(8) };
    expect(packetSizes(t)).toEqual({ headerBytes: 32, offset8: 4, len8: 5 });
    expect([...encodePacket(t).subarray(16, 32)]).toEqual([0x34, 0x12, 1, 0xff, 1, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0]);
    expect(packetSizes({ ...t, body: { kind: "plain" }, payload: new Uint8Array(9) })).toEqual({ headerBytes: 16, offset8: 2, len8: 4 });
    // the padding is zeroed even over a dirty buffer region
    expect([...encodePacket({ ...t, body: { kind: "plain" }, payload: new Uint8Array([7]) }).subarray(16)]).toEqual([7, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("u64 words and the trailer", () => {
    expect(u64Words("18446744073709551615")).toEqual([0xffffffff, 0xffffffff]);
    expect(u64Words("4294967296")).toEqual([0, 1]);
    expect(u64Words("x1")).toEqual([0, 0]);
    expect(u64Words("1x")).toEqual([0, 0]);
    expect(u64Words("")).toEqual([0, 0]);
    expect(u64Words("123456789012345678901")).toEqual([0, 0]);
    expect(trailerValue(3)).toBe(String(3n << 32n));
    expect(trailerValue(-1)).toBe(String(0xffffffffn << 32n));
    expect([...encodeTrailer(0x01020304)]).toEqual([0, 0, 0, 0, 4, 3, 2, 1]);
  });

  it("describePacketError names the rule", () => {
    const d = decodePacket(raw(6, 1, 2));
    expect(!d.ok && describePacketError(d.error)).toMatch(/\[RING-PKT-2\]$/);
  });
});
