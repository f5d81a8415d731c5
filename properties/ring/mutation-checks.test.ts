/**
 * The reader's resolved checks and the writer's pending_send_sz value (spec/ring/decide.ts), called
 * directly with each profile (issue 13): the values the shm adapter and the pure model share.
 */
import { describe, expect, it } from "vitest";
import { checkAvailable, checkDescriptor, effectiveLen8, PEEK_INCOMPLETE, PEEK_OK, pendingSendSizeFor, readerChecksOf } from "../../spec/ring/decide.js";
import { RING_PROFILES, type RingProfile } from "../../spec/ring/profile.js";
import { PacketType } from "../../spec/wire/packet.js";

const strict = RING_PROFILES.strict;

describe("RING-WRITE-7: the pending_send_sz a waiting writer stores for a packet of `total` bytes", () => {
  it("total (QEMU, Linux, DPDK), rounded up to 8 (OpenVMM), total + 1 (strict)", () => {
    for (const total of [21, 24]) {
      expect(pendingSendSizeFor(RING_PROFILES.qemu, total)).toBe(total);
      expect(pendingSendSizeFor(RING_PROFILES.linux, total)).toBe(total);
      expect(pendingSendSizeFor(RING_PROFILES.openvmm, total)).toBe(24);
      expect(pendingSendSizeFor(strict, total)).toBe(total + 1);
    }
  });
});

describe("RING-READ-3: the accepted-type set as resolved once per endpoint", () => {
  it("a profile that accepts any type has every bit set and an empty list; a listed profile has exactly its bits", () => {
    expect(readerChecksOf(RING_PROFILES.linux)).toMatchObject({ anyType: true, acceptedMask: -1, acceptedList: [] });
    const k = readerChecksOf(strict);
    expect(k.anyType).toBe(false);
    expect(k.acceptedMask).toBe((1 << 6) | (1 << 7) | (1 << 9) | (1 << 11));
    expect(k.acceptedList).toEqual([6, 7, 9, 11]);
  });
  it("a negative type is looked up in the list, never in the bit set (type -1 must not ride on type 31)", () => {
    const p: RingProfile = { ...strict, parsesTypedHeaders: false, acceptedTypes: [31] };
    expect(checkDescriptor(p, 31, 2, 4, 64)).toBe(PEEK_OK);
    expect(checkDescriptor(p, -1, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: -1 });
    expect(checkDescriptor({ ...p, acceptedTypes: [32] }, 32, 2, 4, 64)).toBe(PEEK_OK);
    expect(checkDescriptor({ ...p, acceptedTypes: [32] }, 0, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 0 });
  });
});

describe("RING-PKT-1 / RING-PKT-4 / RING-READ-6: bytes a descriptor and a packet need", () => {
  it("strict needs descriptor + trailer (24 bytes) before it reads a descriptor; 16 is a fault", () => {
    expect(checkAvailable(strict, 24)).toBe(PEEK_OK);
    expect(checkAvailable(strict, 16)).toEqual({ kind: "tooShort", rule: "RING-PKT-1", available: 16 });
  });
  it("a packet needs len8 × 8 plus the trailer where the profile requires it", () => {
    expect(checkDescriptor(strict, PacketType.DataInBand, 2, 3, 32)).toBe(PEEK_OK);
    expect(checkDescriptor(strict, PacketType.DataInBand, 2, 3, 24)).toEqual({ kind: "len8BeyondData", rule: "RING-PKT-4", len8: 3, available: 24 });
    expect(checkDescriptor(RING_PROFILES.dpdk, PacketType.DataInBand, 2, 3, 24)).toBe(PEEK_INCOMPLETE);
    expect(checkDescriptor(RING_PROFILES.dpdk, PacketType.DataInBand, 2, 3, 32)).toBe(PEEK_OK);
  });
  it("Linux clamps a length beyond the bytes available down to a multiple of 8", () => {
    expect(effectiveLen8(RING_PROFILES.linux, 100, 30)).toBe(3);
    expect(effectiveLen8(RING_PROFILES.linux, 3, 30)).toBe(3);
  });
});
