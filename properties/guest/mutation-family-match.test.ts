/**
 * Which channels belong together (GUEST-CLOSE-2: same interface type AND instance, sub_channel_index
 * ≠ 0) and which channel a completed MODIFYCHANNEL retargets (GUEST-MODIFY-1): field by field
 * (mutation run guest5: survivors at guest.ts 105, 107, 156–161).
 */
import { describe, expect, it } from "vitest";
import { Version } from "../../spec/wire/versions.js";
import type { Message } from "../../spec/wire/messages.js";
import { connected, driver, guest, host, offer, postAll, rules, versionResponse, type G } from "./harness.js";

const H = 0xe1e10;
const OTHER_TYPE = "f8615163-df3e-46c5-913f-f2d2f965ed0e";
const open = (g: G, r: number, handle: number): void => {
  driver(g, { kind: "openChannel", relid: r, sendPages: 1, recvPages: 1 });
  postAll(g);
  host(g, { type: "GpadlCreated", childRelid: r, gpadl: handle, creationStatus: 0 });
  postAll(g);
  host(g, { type: "OpenChannelResult", childRelid: r, openId: r, status: 0 });
};

describe("GUEST-CLOSE-2: a sub-channel's primary has the same type and instance", () => {
  it("sub-channels of another instance or type are neither refused alone nor closed with the primary", () => {
    const g = guest({ versions: [Version.WIN10] });
    postAll(g);
    host(g, versionResponse(true, 1));
    postAll(g);
    const otherType: Message = { ...(offer(5, 9, 1) as Extract<Message, { type: "OfferChannel" }>), interfaceType: OTHER_TYPE, interfaceInstance: (offer(1, 1) as Extract<Message, { type: "OfferChannel" }>).interfaceInstance };
    for (const m of [offer(1, 1, 0), offer(2, 1, 1), offer(4, 4, 1), otherType]) host(g, m);
    [1, 2, 4, 5].forEach((r, i) => open(g, r, H + i));
    g.posted.length = 0;
    // 4 (another instance) and 5 (another type) have no primary: each closes alone.
    expect(rules(driver(g, { kind: "closeChannel", relid: 4 }))).toEqual([]);
    postAll(g);
    expect(g.posted.map((p) => p.message.type)).toEqual(["CloseChannel", "GpadlTeardown"]);
    g.posted.length = 0;
    expect(rules(driver(g, { kind: "closeChannel", relid: 5 }))).toEqual([]);
    postAll(g);
    expect(g.posted.map((p) => p.message.type)).toEqual(["CloseChannel", "GpadlTeardown"]);
    g.posted.length = 0;
    // 2 is 1's sub-channel: refused alone, closed first with 1 (and only 2).
    expect(rules(driver(g, { kind: "closeChannel", relid: 2 }))).toEqual(["GUEST-CLOSE-2"]);
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    expect(g.posted.map((p) => [p.message.type, "childRelid" in p.message ? p.message.childRelid : -1])).toEqual([["CloseChannel", 2], ["GpadlTeardown", 2]]);
    expect(g.state.channels.find((c) => c.relid === 1)?.phase).toEqual({ name: "closingSubChannels", gpadl: H, pending: [2] });
  });
});

describe("GUEST-MODIFY-1: a MODIFYCHANNEL posted below 5.3 retargets its own channel only", () => {
  it("two channels retargeted to different VPs each get their own", () => {
    const g = connected(Version.WIN10_V4_1, [1, 2]);
    open(g, 1, H);
    open(g, 2, H + 1);
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 3 });
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 5 });
    postAll(g);
    expect(g.state.channels.map((c) => [c.relid, c.targetVp])).toEqual([[1, 5], [2, 3]]);
    expect(g.state.modifyPending).toEqual([]);
  });
});
