import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MIN_PAYLOAD_LEN } from "../../spec/guest/validate.js";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, host, hostRaw, offer, rules } from "./harness.js";

const hdr = (type: number, len: number): string => {
  const b = new Uint8Array(len);
  new DataView(b.buffer).setUint32(0, type, true);
  return bytesToHex(b);
};

describe("validation of host messages (GUEST-MSG-*)", () => {
  it("msgtype ≥ 25 is dropped (GUEST-MSG-1)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 25, max: 0xffffffff }), (t) => {
        const g = connected(Version.WIN10);
        const before = g.state;
        expect(rules(hostRaw(g, 16, hdr(t, 16)))).toEqual(["GUEST-MSG-1"]);
        expect(g.state).toBe(before);
      }),
      { numRuns: 30 },
    );
  });

  it("payload_size > 240 is dropped (GUEST-MSG-2)", () => {
    const g = connected(Version.WIN10);
    expect(rules(hostRaw(g, 241, hdr(17, 8)))).toEqual(["GUEST-MSG-2"]);
  });

  it("types without a host-to-guest handler are dropped (GUEST-MSG-3)", () => {
    for (const t of [0, 3, 5, 7, 8, 9, 11, 13, 14, 16, 18, 19, 20, 21, 22, 23]) {
      const g = connected(Version.WIN10);
      expect(rules(hostRaw(g, 240, hdr(t, 240)))).toEqual(["GUEST-MSG-3"]);
    }
  });

  it("each type shorter than its min_payload_len is dropped (GUEST-MSG-4)", () => {
    for (const [type, min] of Object.entries(MIN_PAYLOAD_LEN)) {
      if (min === 0) continue;
      const g = connected(Version.WIN10);
      const before = g.state;
      expect(rules(hostRaw(g, min - 1, hdr(Number(type), min - 1)))).toEqual(["GUEST-MSG-4"]);
      expect(g.state).toBe(before);
    }
  });

  it("exactly min_payload_len passes the length check", () => {
    const g = connected(Version.WIN10);
    expect(rules(host(g, { type: "GpadlTorndown", gpadl: 5 }, 12))).toEqual(["GUEST-MATCH-1"]);
  });

  it("QEMU's 200-byte OFFERCHANNEL (196 + 4 padding) is accepted", () => {
    const g = connected(Version.WIN10, []);
    const bytes = new Uint8Array(200);
    bytes.set(encodeMessage(offer(3)));
    hostRaw(g, 200, bytesToHex(bytes));
    expect(g.state.channels.map((c) => c.relid)).toEqual([3]);
  });

  it("offers: relid ≥ 2048 not mapped (GUEST-OFFER-1), sub-channel index 0 dropped (GUEST-OFFER-2), duplicate relid dropped (GUEST-OFFER-3)", () => {
    const g = connected(Version.WIN10, [1]);
    expect(rules(host(g, offer(2048)))).toEqual(["GUEST-OFFER-1"]);
    expect(rules(host(g, offer(2, 1, 0)))).toEqual(["GUEST-OFFER-2"]);
    expect(rules(host(g, offer(1, 7)))).toEqual(["GUEST-OFFER-3"]);
    host(g, offer(2, 1, 1));
    expect(g.state.channels.map((c) => c.relid)).toEqual([1, 2]);
  });

  it("unknown relids and unmatched replies are ignored (GUEST-MATCH-1)", () => {
    const g = connected(Version.WIN10);
    const before = g.state;
    for (const m of [
      { type: "OpenChannelResult", childRelid: 77, openId: 77, status: 0 },
      { type: "GpadlCreated", childRelid: 77, gpadl: 1, creationStatus: 0 },
      { type: "GpadlTorndown", gpadl: 1 },
    ] as const)
      expect(rules(host(g, m))).toEqual(["GUEST-MATCH-1"]);
    expect(g.state).toBe(before);
    const g53 = connected(Version.WIN10_V5_3);
    expect(rules(host(g53, { type: "ModifyChannelResponse", childRelid: 77, status: 0 }))).toEqual(["GUEST-MATCH-1"]);
  });

  it("a type the negotiated version does not have does not decode (GUEST-MSG-5): MODIFYCHANNEL_RESPONSE at 4.0", () => {
    const g = connected(Version.WIN10);
    expect(rules(host(g, { type: "ModifyChannelResponse", childRelid: 1, status: 0 }))).toEqual(["GUEST-MSG-5"]);
  });

  it("any byte string is handled without an exception (total)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 240 }), fc.integer({ min: 0, max: 300 }), (bytes, size) => {
        const g = connected(Version.WIN10_V5_3);
        hostRaw(g, size, bytesToHex(bytes));
      }),
      { numRuns: 300 },
    );
  });
});
