/**
 * The msgtype the guest reads is the slot's first u32, little-endian, bytes the host did not write
 * reading as zero (spec/guest/validate.ts peekMessageType; GUEST-MSG-1, GUEST-MSG-3, GUEST-MSG-4);
 * mutation run guest6-small: survivors in peekMessageType's arithmetic. Deterministic values that
 * the random GUEST-MSG-1 property of validation.test.ts only hits by chance.
 */
import { describe, expect, it } from "vitest";
import { peekMessageType } from "../../spec/guest/validate.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, guest, host, hostRaw, offer, outcome } from "./harness.js";

describe("GUEST-MSG-1: the msgtype is the whole first u32", () => {
  it("0x101 (a handled type in its low byte) is ≥ 25 and dropped", () => {
    const g = connected(Version.WIN10, []);
    expect(outcome(hostRaw(g, 16, "01010000" + "00".repeat(12)))).toEqual(["dropped GUEST-MSG-1"]);
    expect(outcome(hostRaw(g, 16, "0a000001" + "00".repeat(12)))).toEqual(["dropped GUEST-MSG-1"]);
  });
  it("little-endian, each byte weighted by 256", () => {
    expect(peekMessageType(Uint8Array.of(1, 2, 3, 4, 9))).toBe(0x04030201);
    expect(peekMessageType(Uint8Array.of(0, 0, 0, 1))).toBe(0x01000000);
  });
});

describe("GUEST-MSG-4 / GUEST-MSG-3: bytes past what the host wrote read as zero", () => {
  it("a one-byte payload 01 is OFFERCHANNEL (type 1), too short for it", () => {
    const g = connected(Version.WIN10, []);
    expect(peekMessageType(Uint8Array.of(1))).toBe(1);
    expect(outcome(hostRaw(g, 4, "01"))).toEqual(["dropped GUEST-MSG-4"]);
  });
  it("an empty payload is type 0, which has no handler", () => {
    const g = connected(Version.WIN10, []);
    expect(peekMessageType(new Uint8Array(0))).toBe(0);
    expect(outcome(hostRaw(g, 16, ""))).toEqual(["dropped GUEST-MSG-3"]);
  });
});

describe("GUEST-OFFER-4: host messages to a guest that never requested a version decode without one", () => {
  it("no candidate version (max_version below the list): an OFFERCHANNEL decodes and is ignored, not dropped as undecodable", () => {
    const g = guest({ maxVersion: 1 });
    expect(g.state.phase).toBe("failed");
    expect(outcome(host(g, offer(1)))).toEqual(["ignored GUEST-OFFER-4"]);
    expect(g.state.channels).toEqual([]);
  });
  it("while connecting, the requested version decodes it: an OFFERCHANNEL is ignored", () => {
    const g = guest();
    expect(outcome(host(g, offer(1)))).toEqual(["ignored GUEST-OFFER-4"]);
  });
});
