/**
 * The allocation-free signal decisions and the once-per-endpoint write limit used by the shm
 * adapter (spec/ring/decide.ts) are the same rules as the model's writerShouldSignal /
 * readerShouldSignal / writeVerdict: identical results on every profile for random inputs,
 * including the boundary values the inequalities turn on.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROFILE_NAMES } from "../../spec/profiles.js";
import {
  checkAvailable,
  checkAvailableWith,
  checkDescriptor,
  checkDescriptorWith,
  checksTypedHeader,
  checksTypedHeaderWith,
  effectiveLen8,
  effectiveLen8With,
  effectiveOffset8,
  effectiveOffset8With,
  maxPacketTotal,
  readerChecksOf,
  readerShouldSignal,
  readerSignalsAfterCommit,
  writerShouldSignal,
  writerSignalsAfterPublish,
  writeVerdict,
  writeVerdictWithin,
} from "../../spec/ring/decide.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";

const profile = fc.constantFrom(...PROFILE_NAMES).map((n) => RING_PROFILES[n]);
/** A ring size and indices inside it (multiples of 8), with small sizes so boundaries are hit. */
const geometry = fc.integer({ min: 8, max: 64 }).chain((k) =>
  fc.record({ size: fc.constant(k * 8), a: fc.nat(k - 1).map((x) => x * 8), b: fc.nat(k - 1).map((x) => x * 8) }),
);

describe("allocation-free decisions == model decisions", () => {
  it("writerSignalsAfterPublish == writerShouldSignal (RING-WRITE-6)", () => {
    fc.assert(
      fc.property(profile, geometry, fc.nat(63), fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 600 }), (p, { size, a, b }, rSeed, mask, written) => {
        const r = (rSeed * 8) % size;
        expect(writerSignalsAfterPublish(p, a, b, r, mask, written, size)).toBe(writerShouldSignal(p, a, b, r, mask, written, size));
        expect(writerSignalsAfterPublish(p, a, b, a, mask, written, size)).toBe(writerShouldSignal(p, a, b, a, mask, written, size));
      }),
      { numRuns: 3000 },
    );
  });
  it("readerSignalsAfterCommit == readerShouldSignal (RING-READ-4)", () => {
    fc.assert(
      fc.property(profile, geometry, fc.integer({ min: 0, max: 520 }), fc.integer({ min: 0, max: 530 }), fc.constantFrom(0, 1, 5), fc.constantFrom(0, 1, 2, 3), (p, { size, a, b }, bytesRead, pending, mask, features) => {
        expect(readerSignalsAfterCommit(p, bytesRead, a, b, pending, mask, features, size)).toBe(readerShouldSignal(p, bytesRead, a, b, pending, mask, features, size));
        // empty ring after the commit (QEMU's zeroWhenEmpty) and P exactly at the bounds
        const A = size;
        for (const P of [A - bytesRead, A - bytesRead + 1, A - 1, A, A + 1, pending]) {
          expect(readerSignalsAfterCommit(p, bytesRead, a, a, P, mask, features, size)).toBe(readerShouldSignal(p, bytesRead, a, a, P, mask, features, size));
        }
      }),
      { numRuns: 3000 },
    );
  });
  it("writeVerdictWithin(total, avail, maxPacketTotal) == writeVerdict (RING-WRITE-1/3)", () => {
    fc.assert(
      fc.property(profile, geometry, fc.integer({ min: 0, max: 700 }), (p, { size, a }, total) => {
        const avail = size - a;
        expect(writeVerdictWithin(total, avail, maxPacketTotal(p, size))).toBe(writeVerdict(p, total, avail, size));
      }),
      { numRuns: 3000 },
    );
  });
  it("reader checks over readerChecksOf == checkAvailable / effectiveLen8 / effectiveOffset8 / checkDescriptor / checksTypedHeader", () => {
    const u16 = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0xffff }));
    fc.assert(
      fc.property(profile, u16, u16, u16, fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 9000 })), (p, type, offset8, len8, available) => {
        const k = readerChecksOf(p);
        expect(checkAvailableWith(k, available)).toEqual(checkAvailable(p, available));
        const l = effectiveLen8(p, len8, available);
        expect(effectiveLen8With(k, len8, available)).toBe(l);
        const o = effectiveOffset8(p, offset8, l);
        expect(effectiveOffset8With(k, offset8, l)).toBe(o);
        expect(checkDescriptorWith(k, type, o, l, available)).toEqual(checkDescriptor(p, type, o, l, available));
        expect(checkDescriptorWith(k, type, offset8, len8, available)).toEqual(checkDescriptor(p, type, offset8, len8, available));
        expect(checksTypedHeaderWith(k, type)).toBe(checksTypedHeader(p, type));
      }),
      { numRuns: 20000 },
    );
  });
});
