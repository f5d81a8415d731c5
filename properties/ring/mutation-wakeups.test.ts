/**
 * Survivors of ring6-final-a (issue 13): the reader's signal with nothing read under QEMU's
 * forced signal (RING-READ-4), negative accepted types (RING-READ-3), and the exact lost-wake-up
 * report of a writer stuck alone (RING-LIVE-1).
 */
import { describe, expect, it } from "vitest";
import { initialAccessState, lostWakeUp, type AccessConfig, type AccessState } from "../../spec/ring/access.js";
import { checkDescriptor, PEEK_OK, readerShouldSignal } from "../../spec/ring/decide.js";
import { RING_PROFILES, type RingProfile } from "../../spec/ring/profile.js";

describe("RING-READ-4: nothing read, no signal, even where a clear feature bit forces it (qemu)", () => {
  it("qemu with feature bit 0 signals after a read, never after reading nothing", () => {
    const qemu = RING_PROFILES.qemu;
    expect(readerShouldSignal(qemu, 32, 64, 96, 40, 0, 0, 256)).toBe(true);
    expect(readerShouldSignal(qemu, 0, 64, 96, 40, 0, 0, 256)).toBe(false);
  });
});

describe("RING-READ-3: a negative accepted type sets no bit of the 0..31 set", () => {
  it("acceptedTypes [-1] accepts -1 only, not type 31", () => {
    const p: RingProfile = { ...RING_PROFILES.strict, parsesTypedHeaders: false, acceptedTypes: [-1] };
    expect(checkDescriptor(p, -1, 2, 4, 64)).toBe(PEEK_OK);
    expect(checkDescriptor(p, 31, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 31 });
  });
});

describe("RING-LIVE-1: a writer stuck alone is reported alone", () => {
  it("names only the writer, with its packet, the free bytes and pending_send_sz", () => {
    const c: AccessConfig = { profile: RING_PROFILES.strict, dataSize: 64, packets: [48, 48] };
    const s: AccessState = { ...initialAccessState(), wPc: "asleep", wPacket: 1, dataStored: 1, writeIndex: 48, readIndex: 48, rPacket: 1, rPc: "asleep", pendingSendSize: 49 };
    expect(lostWakeUp(c, s)).toBe("the writer sleeps waiting for 48 bytes with 64 free (pending_send_sz 49)");
  });
});
