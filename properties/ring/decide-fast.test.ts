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
  maxPacketTotal,
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
});
