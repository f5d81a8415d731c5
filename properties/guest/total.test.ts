import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import { guestStep, initialGuestState } from "../../spec/guest/guest.js";
import type { GuestInput } from "../../spec/guest/io.js";
import { canonicalKey } from "../../spec/system/canonical.js";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { offer, versionResponse } from "./harness.js";

const u32 = fc.oneof(fc.constantFrom(0, 1, 2, 0xe1e10, 0xffffffff), fc.nat());
const input: fc.Arbitrary<GuestInput> = fc.oneof(
  fc.record({ kind: fc.constant("postResult" as const), lane: fc.constantFrom(0, 1, 2, 7), status: fc.constantFrom(0, 2, 3, 11, 18, 19, 12345) }),
  fc.record({
    kind: fc.constant("driver" as const),
    action: fc.oneof(
      fc.record({ kind: fc.constant("openChannel" as const), relid: u32, sendPages: fc.integer({ min: -1, max: 9000 }), recvPages: fc.integer({ min: -1, max: 40 }) }),
      fc.record({ kind: fc.constant("closeChannel" as const), relid: u32 }),
      fc.record({ kind: fc.constant("createGpadl" as const), relid: u32, pages: fc.integer({ min: -1, max: 100 }) }),
      fc.record({ kind: fc.constant("teardownGpadl" as const), gpadl: u32 }),
      fc.record({ kind: fc.constant("modifyChannel" as const), relid: u32, targetVp: u32 }),
      fc.constant({ kind: "unload" as const }),
    ),
  }),
  fc.constantFrom(versionResponse(true), versionResponse(false), offer(1), offer(2), { type: "RescindChannelOffer" as const, childRelid: 1 }, { type: "UnloadResponse" as const }).map(
    (m): GuestInput => {
      const b = encodeMessage(m);
      return { kind: "hostMessage", payloadSize: b.length, payload: bytesToHex(b) };
    },
  ),
  fc.record({ kind: fc.constant("hostMessage" as const), payloadSize: fc.integer({ min: -5, max: 300 }), payload: fc.oneof(fc.uint8Array({ maxLength: 240 }).map(bytesToHex), fc.string()) }),
);

describe("the guest reducer is total and never mutates its input", () => {
  it("any input sequence: no exception, input states unchanged", () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 60 }), (inputs) => {
        let s = initialGuestState(DEFAULT_GUEST_CONFIG);
        for (const i of inputs) {
          const before = canonicalKey(s);
          const r = guestStep(DEFAULT_GUEST_CONFIG, s, i);
          expect(canonicalKey(s)).toBe(before);
          s = r.state;
        }
      }),
      { numRuns: 300 },
    );
  });
});
