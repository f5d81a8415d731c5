/** Host rules no other test named, each at its boundary. */
import { describe, expect, it } from "vitest";
import { checkHostInvariants } from "../../spec/host/host.js";
import { connected, createGpadl, openMsg, rawPost } from "./helpers.js";

describe("host rules named one by one", () => {
  it("HOST-OPENVMM-PARSE-2: a message shorter than its structure is dropped without a reply; a longer one is taken", () => {
    const h = connected("openvmm", 0x50003);
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    h.settle();
    // CLOSECHANNEL is 12 bytes: 10 do not parse.
    h.step(rawPost("07000000000000000100", 10));
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toContain("HOST-OPENVMM-PARSE-2");
    expect(h.state.channels.find((c) => c.relid === 1)?.isOpen).toBe(true);
    // 16 bytes (4 trailing) parse: the channel closes.
    h.step(rawPost("070000000000000001000000ffffffff", 16));
    h.settle();
    expect(h.state.channels.find((c) => c.relid === 1)?.isOpen).toBe(false);
    expect(h.rejections().filter((r) => r === "HOST-OPENVMM-PARSE-2")).toHaveLength(1);
  });

  it("HOST-INV-8: an open channel that is rescinded breaks the invariant; the same state unrescinded does not", () => {
    const h = connected("strict", 0x50003);
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    h.settle();
    expect(checkHostInvariants(h.cfg, h.state)).toEqual([]);
    const bad = { ...h.state, channels: h.state.channels.map((c) => (c.relid === 1 ? { ...c, rescinded: true } : c)) };
    expect(checkHostInvariants(h.cfg, bad).map((v) => v.rule)).toContain("HOST-INV-8");
  });
});
