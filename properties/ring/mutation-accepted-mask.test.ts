/**
 * RING-READ-3 (spec/ring/decide.ts readerChecksOf): only types 0..31 enter the accepted-type bit
 * set; any other listed value (≥ 32, or a negative one a caller may put in a profile) is looked
 * up in the list, so it cannot set a bit by JavaScript's shift count wrapping (1 << 32 is 1,
 * 1 << -1 is bit 31).
 */
import { describe, expect, it } from "vitest";
import { checkDescriptor, PEEK_OK, readerChecksOf } from "../../spec/ring/decide.js";
import { RING_PROFILES, type RingProfile } from "../../spec/ring/profile.js";

const only = (types: number[]): RingProfile => ({ ...RING_PROFILES.strict, parsesTypedHeaders: false, acceptedTypes: types });

describe("RING-READ-3: the bit set holds types 0..31 only", () => {
  it("a listed -1 sets no bit: type 31 is still refused", () => {
    expect(readerChecksOf(only([-1])).acceptedMask).toBe(0);
    expect(checkDescriptor(only([-1]), 31, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 31 });
  });
  it("listed 33 and 64 set no bit: types 1 and 0 are refused, 33 and 64 accepted", () => {
    expect(readerChecksOf(only([33, 64])).acceptedMask).toBe(0);
    expect(checkDescriptor(only([33, 64]), 1, 2, 4, 64)).toEqual({ kind: "unexpectedPacketType", rule: "RING-READ-3", type: 1 });
    expect(checkDescriptor(only([33, 64]), 33, 2, 4, 64)).toBe(PEEK_OK);
  });
});
