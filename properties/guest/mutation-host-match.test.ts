/**
 * Host messages matched to exactly what the guest waits for, and driver actions refused in the
 * wrong channel state (GUEST-MATCH-1, GUEST-MODIFY-2, GUEST-CLOSE-1, GUEST-OFFER-1,
 * GUEST-DRIVER-1); mutation run guest5: survivors in hostMessage and driverAction of guest.ts.
 */
import { describe, expect, it } from "vitest";
import { guestView } from "../../spec/guest/view.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, offer, openChannels, outcome, postAll, versionResponse, bufferTeardownQueued } from "./harness.js";

const H = 0xe1e10;

describe("GUEST-MATCH-1: replies nobody waits for", () => {
  it("a VERSION_RESPONSE when connected and waiting for nothing is ignored", () => {
    const g = connected(Version.WIN10, []);
    expect(guestView(g.state).waits).toEqual([]);
    expect(outcome(host(g, versionResponse(true)))).toEqual(["ignored GUEST-MATCH-1"]);
    expect(g.state.phase).toBe("connected");
  });
  it("a MODIFYCHANNEL_RESPONSE for a channel that waits for another reply is ignored", () => {
    const g = connected(Version.WIN10_V5_3, [1]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 0 });
    postAll(g);
    expect(guestView(g.state).waits).toEqual([{ for: "OpenChannelResult", relid: 1 }]);
    expect(outcome(host(g, { type: "ModifyChannelResponse", childRelid: 1, status: 0 }))).toEqual(["ignored GUEST-MATCH-1"]);
  });
  it("a MODIFYCHANNEL_RESPONSE for another channel than the one waiting is ignored", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2]);
    openChannels(g, [1, 2]);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    postAll(g);
    expect(outcome(host(g, { type: "ModifyChannelResponse", childRelid: 2, status: 0 }))).toEqual(["ignored GUEST-MATCH-1"]);
    expect(g.state.modifyPending).toEqual([{ relid: 1, targetVp: 1 }]);
  });
});

describe("GUEST-MODIFY-2: a failed MODIFYCHANNEL_RESPONSE", () => {
  it("ends only its own channel's wait; the channel keeps its VP", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2]);
    openChannels(g, [1, 2]);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 2 });
    postAll(g);
    expect(outcome(host(g, { type: "ModifyChannelResponse", childRelid: 1, status: 1 }))).toEqual(["failed GUEST-MODIFY-2"]);
    expect(g.state.modifyPending).toEqual([{ relid: 2, targetVp: 2 }]);
    expect(g.state.channels.map((c) => c.targetVp)).toEqual([0, 0]);
  });
});

describe("GUEST-CLOSE-1: only the ring's GPADL_TORNDOWN ends a close", () => {
  const withBuffer = () => {
    const g = bufferTeardownQueued();
    return g;
  };
  it("a buffer GPADL torn down leaves its open channel open", () => {
    const g = withBuffer();
    postAll(g);
    expect(outcome(host(g, { type: "GpadlTorndown", gpadl: H + 1 }))).toEqual([]);
    expect(guestView(g.state).channelsOpen).toEqual([{ relid: 1, gpadl: H }]);
  });
  it("a buffer GPADL torn down while its channel closes does not end the close", () => {
    const g = withBuffer();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    expect(outcome(host(g, { type: "GpadlTorndown", gpadl: H + 1 }))).toEqual([]);
    expect(g.state.channels[0]?.phase.name).toBe("closing");
    expect(outcome(host(g, { type: "GpadlTorndown", gpadl: H }))).toEqual(["event"]);
    expect(g.state.channels[0]?.phase.name).toBe("offered");
  });
});

describe("GUEST-OFFER-1: the offer's connection id", () => {
  it("a pre-Windows 7 offer carries none: the channel signals with 0", () => {
    const g = connected(Version.WS2008, []);
    const { connectionId: _, ...rest } = offer(1) as Extract<Message, { type: "OfferChannel"; form: "win7" }>;
    // Linux min_payload_len is 196 for an offer: the 192-byte form arrives zero-padded.
    expect(outcome(host(g, { ...rest, form: "preWin7" }, 196))).toEqual(["event"]);
    expect(g.state.channels.map((c) => c.signalConnectionId)).toEqual([0]);
  });
});

describe("GUEST-DRIVER-1: actions on a channel in the wrong state", () => {
  it("openChannel of a channel already open is refused", () => {
    const g = connected(Version.WIN10, [1]);
    openChannels(g, [1]);
    expect(outcome(driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 }))).toEqual(["refused GUEST-DRIVER-1"]);
    expect(g.state.outbox).toEqual([]);
  });
  it("createGpadl for an unknown channel or one not open is refused", () => {
    const g = connected(Version.WIN10, [1]);
    expect(outcome(driver(g, { kind: "createGpadl", relid: 7, pages: 1 }))).toEqual(["refused GUEST-DRIVER-1"]);
    expect(outcome(driver(g, { kind: "createGpadl", relid: 1, pages: 1 }))).toEqual(["refused GUEST-DRIVER-1"]);
    expect(g.state.gpadls).toEqual([]);
    expect(g.state.outbox).toEqual([]);
  });
});
