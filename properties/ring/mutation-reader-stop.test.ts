/**
 * Why a reader stops (issue 13): a ring of invalid size stops a batch with the RING-GEOM-1 fault
 * itself, not with "empty", even when its indices say nothing is published; a negative type is
 * never accepted through the bit set of types below 32 (RING-READ-3).
 */
import { describe, expect, it } from "vitest";
import { checkDescriptor, PEEK_OK } from "../../spec/ring/decide.js";
import { RING_PROFILES, type RingProfile } from "../../spec/ring/profile.js";
import { readBatch, readPacket } from "../../spec/ring/reader.js";
import { emptyControl, type Ring } from "../../spec/ring/state.js";

describe("RING-GEOM-1: a reader of a ring of invalid size stops with the fault", () => {
  it("a 60-byte data area, indices at 0: the batch and a single read both end with badDataSize", () => {
    const bad: Ring = { control: emptyControl, data: new Uint8Array(60) };
    const fault = { kind: "fault", fault: { kind: "badDataSize", rule: "RING-GEOM-1", dataSize: 60 } };
    const b = readBatch(bad, RING_PROFILES.strict, 3);
    expect(b.stop).toEqual(fault);
    expect(b.ring).toBe(bad);
    expect(readPacket(bad, RING_PROFILES.strict).outcome).toEqual(fault);
  });
});

describe("RING-READ-3: negative types", () => {
  it("a list with type 31 does not accept type -1 (-1 >>> is a shift by 31 in 32-bit arithmetic)", () => {
    const p: RingProfile = { ...RING_PROFILES.strict, parsesTypedHeaders: false, acceptedTypes: [31] };
    expect(checkDescriptor(p, -1, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: -1 });
    expect(checkDescriptor(p, 31, 2, 4, 64)).toBe(PEEK_OK);
  });
  it("a list with type -1 does not accept type 31 (1 << -1 is bit 31)", () => {
    const p: RingProfile = { ...RING_PROFILES.strict, parsesTypedHeaders: false, acceptedTypes: [-1] };
    expect(checkDescriptor(p, 31, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 31 });
    expect(checkDescriptor(p, -1, 2, 4, 64)).toBe(PEEK_OK);
  });
});
