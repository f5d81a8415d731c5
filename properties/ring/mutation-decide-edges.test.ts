/**
 * Reader decisions of spec/ring/decide.ts exactly at their boundaries (issue 13): a descriptor
 * with exactly its trailer published (RING-PKT-1), a length that overruns the published bytes by
 * exactly its trailer (RING-PKT-4 / RING-READ-6), a library profile's odd buffer bound (Linux
 * clamp), types 0 and 32 (RING-READ-3), and QEMU's wake-up decision with nothing read, nothing
 * pending or the feature bit clear (RING-READ-4).
 */
import { describe, expect, it } from "vitest";
import { checkAvailable, checkDescriptor, effectiveLen8, PEEK_INCOMPLETE, PEEK_OK, readerShouldSignal } from "../../spec/ring/decide.js";
import { RING_PROFILES, type RingProfile } from "../../spec/ring/profile.js";
import { PacketType } from "../../spec/wire/packet.js";

const { strict, linux, qemu } = RING_PROFILES;

describe("RING-PKT-1: exactly a descriptor and its trailer published is enough to read", () => {
  it("strict needs 24 bytes (16 + trailer), linux 16; one word fewer is too short", () => {
    expect(checkAvailable(strict, 24)).toBe(PEEK_OK);
    expect(checkAvailable(strict, 16)).toEqual({ kind: "tooShort", rule: "RING-PKT-1", available: 16 });
    expect(checkAvailable(linux, 16)).toBe(PEEK_OK);
  });
});

describe("RING-PKT-4 / RING-READ-6: a length counts its trailer against the published bytes", () => {
  it("96 bytes published: len8 11 (88 + 8) fits, len8 12 (96 + 8) does not — a fault for strict, incomplete for qemu", () => {
    expect(checkDescriptor(strict, PacketType.DataInBand, 2, 11, 96)).toBe(PEEK_OK);
    expect(checkDescriptor(strict, PacketType.DataInBand, 2, 12, 96)).toEqual({ kind: "len8BeyondData", rule: "RING-PKT-4", len8: 12, available: 96 });
    expect(checkDescriptor(qemu, PacketType.DataInBand, 2, 12, 96)).toBe(PEEK_INCOMPLETE);
  });
  it("a clamping profile with a buffer bound that is not a multiple of 8 clamps down to a whole word", () => {
    const odd: RingProfile = { ...linux, readerBufferSize: 100 };
    expect(effectiveLen8(odd, 600, 8192)).toBe(12);
  });
});

describe("RING-READ-3: types 0 and 32 are told apart", () => {
  it("a list of [32] accepts 32 and refuses 0; a list of [0] accepts 0 and refuses 32", () => {
    const only = (t: number): RingProfile => ({ ...strict, parsesTypedHeaders: false, acceptedTypes: [t] });
    expect(checkDescriptor(only(32), 32, 2, 4, 64)).toBe(PEEK_OK);
    expect(checkDescriptor(only(32), 0, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 0 });
    expect(checkDescriptor(only(0), 0, 2, 4, 64)).toBe(PEEK_OK);
    expect(checkDescriptor(only(0), 32, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 32 });
  });
});

describe("RING-READ-4: QEMU's reader decision where it does not signal", () => {
  // 128-byte ring, writer at 96: a read of 24 bytes ending at 24 leaves 56 free.
  it("nothing read: no signal, even with the feature bit clear (QEMU forces a signal only after a read)", () => {
    expect(readerShouldSignal(qemu, 0, 24, 96, 40, 0, 0, 128)).toBe(false);
    expect(readerShouldSignal(qemu, 24, 24, 96, 40, 0, 0, 128)).toBe(true);
  });
  it("nothing pending on a ring the read drained (free space 0 there): no signal", () => {
    expect(readerShouldSignal(qemu, 24, 96, 96, 0, 0, 1, 128)).toBe(false);
  });
  it("the mask suppresses QEMU's signal and not strict's", () => {
    expect(readerShouldSignal(qemu, 24, 24, 96, 40, 0, 1, 128)).toBe(true);
    expect(readerShouldSignal(qemu, 24, 24, 96, 40, 1, 1, 128)).toBe(false);
    expect(readerShouldSignal(strict, 24, 24, 96, 40, 1, 1, 128)).toBe(true);
    expect(readerShouldSignal(strict, 24, 24, 96, 40, 0, 0, 128)).toBe(false);
  });
});
