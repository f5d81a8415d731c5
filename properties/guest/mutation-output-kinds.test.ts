/**
 * The kind (and rule) of every output a guest step reports: event, failed, refused, dropped.
 * The `what`/`reason` prose is free; the kind and the rule ID are the contract
 * (mutation run guest5: survivors on the output objects of guest.ts).
 */
import { describe, expect, it } from "vitest";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, guest, host, hostRaw, offer, openChannels, openedFamily, outcome, post1, postAll, versionResponse } from "./harness.js";

describe("output kinds of version negotiation", () => {
  it("GUEST-VERSION-1: an accepted VERSION_RESPONSE is one event", () => {
    const g = guest({ versions: [Version.WIN10] });
    postAll(g);
    expect(outcome(host(g, versionResponse(true)))).toEqual(["event"]);
  });
  it("GUEST-VERSION-2: a refused version with another candidate left is one event", () => {
    const g = guest({ versions: [Version.WIN10, Version.WIN8_1] });
    postAll(g);
    expect(outcome(host(g, versionResponse(false)))).toEqual(["event"]);
  });
  it("GUEST-VERSION-5: the last version refused is an event then a failure", () => {
    const g = guest({ versions: [Version.WIN10] });
    postAll(g);
    expect(outcome(host(g, versionResponse(false)))).toEqual(["event", "failed GUEST-VERSION-5"]);
  });
  it("GUEST-MSG-5: a payload that is not hex is dropped", () => {
    const g = guest({ versions: [Version.WIN10] });
    expect(outcome(hostRaw(g, 16, "zz"))).toEqual(["dropped GUEST-MSG-5"]);
  });
});

describe("output kinds of driver actions", () => {
  it("GUEST-DRIVER-1: an action the state does not allow is refused", () => {
    const g = connected(Version.WIN10);
    expect(outcome(driver(g, { kind: "openChannel", relid: 9, sendPages: 1, recvPages: 1 }))).toEqual(["refused GUEST-DRIVER-1"]);
  });
  it("GUEST-CLOSE-2: closing a sub-channel by itself is refused with its own rule", () => {
    const g = openedFamily();
    expect(outcome(driver(g, { kind: "closeChannel", relid: 2 }))).toEqual(["refused GUEST-CLOSE-2"]);
  });
  it("GUEST-MODIFY-1: MODIFYCHANNEL below 4.1 is a failure", () => {
    const g = connected(Version.WIN10);
    openChannels(g, [1]);
    expect(outcome(driver(g, { kind: "modifyChannel", relid: 1, targetVp: 2 }))).toEqual(["failed GUEST-MODIFY-1"]);
  });
  it("GUEST-MODIFY-3: an unchanged target VP is one event and nothing queued", () => {
    const g = connected(Version.WIN10_V5_3);
    openChannels(g, [1]);
    expect(outcome(driver(g, { kind: "modifyChannel", relid: 1, targetVp: g.config.connectVp }))).toEqual(["event"]);
    expect(g.state.outbox).toEqual([]);
  });
  it("GUEST-UNLOAD-1: unload below 3.0 is one event and leaves nothing open", () => {
    const g = connected(Version.WIN8, [1, 2]);
    openChannels(g, [1]);
    expect(outcome(driver(g, { kind: "unload" }))).toEqual(["event"]);
    expect(g.state).toMatchObject({ phase: "unloaded", channels: [], gpadls: [], outbox: [], modifyPending: [] });
    expect(g.state.channels).toEqual([]);
    expect(g.state.gpadls).toEqual([]);
  });
});

describe("output kinds of post failures", () => {
  it("GUEST-POST-1: a failed REQUESTOFFERS post is a failure", () => {
    const g = guest({ versions: [Version.WIN10] });
    postAll(g);
    host(g, versionResponse(true));
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["RequestOffers"]);
    expect(outcome(post1(g, 5))).toEqual(["failed GUEST-POST-1"]);
    expect(g.state.phase).toBe("connected");
  });
  it("GUEST-POST-1: a failed RELID_RELEASED post is a failure", () => {
    const g = connected(Version.WIN10, [1]);
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["RelIdReleased"]);
    expect(outcome(post1(g, 5))).toEqual(["failed GUEST-POST-1"]);
    expect(g.state.outbox).toEqual([]);
  });
});

describe("output kinds of host messages", () => {
  it("GUEST-OFFER-1: an accepted offer is one event", () => {
    const g = connected(Version.WIN10, []);
    expect(outcome(host(g, offer(4)))).toEqual(["event"]);
  });
  it("GUEST-GPADL-3: a GPADL_CREATED with a failed status is a failure", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    postAll(g);
    expect(outcome(host(g, { type: "GpadlCreated", childRelid: 1, gpadl: 0xe1e10, creationStatus: 1 }))).toEqual(["failed GUEST-GPADL-3"]);
  });
  it("GUEST-OPEN-2: an open that succeeds is one event; one that fails is a failure", () => {
    const g = connected(Version.WIN10, [1, 2]);
    for (const r of [1, 2]) {
      driver(g, { kind: "openChannel", relid: r, sendPages: 1, recvPages: 1 });
      postAll(g);
      host(g, { type: "GpadlCreated", childRelid: r, gpadl: 0xe1e10 + r - 1, creationStatus: 0 });
      postAll(g);
    }
    expect(outcome(host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 }))).toEqual(["event"]);
    expect(outcome(host(g, { type: "OpenChannelResult", childRelid: 2, openId: 2, status: 1 }))).toEqual(["failed GUEST-OPEN-2"]);
  });
  it("GUEST-CLOSE-1: the GPADL_TORNDOWN that ends a close is one event", () => {
    const g = connected(Version.WIN10);
    openChannels(g, [1]);
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    expect(outcome(host(g, { type: "GpadlTorndown", gpadl: 0xe1e10 }))).toEqual(["event"]);
  });
  it("GUEST-UNLOAD-2: UNLOAD_RESPONSE after UNLOAD is one event and leaves nothing open", () => {
    const g = connected(Version.WIN10, [1, 2]);
    openChannels(g, [1]);
    driver(g, { kind: "unload" });
    postAll(g);
    expect(host(g, { type: "UnloadResponse" }).filter((o) => o.kind !== "wait")).toEqual([{ kind: "event", what: "unloaded" }]);
    expect(g.state.channels).toEqual([]);
    expect(g.state.gpadls).toEqual([]);
  });
});

describe("output kinds of rescinds", () => {
  it("GUEST-RESCIND-1: rescinding a channel is one event", () => {
    const g = connected(Version.WIN10, [1]);
    expect(outcome(host(g, { type: "RescindChannelOffer", childRelid: 1 }))).toEqual(["event"]);
  });
  it("GUEST-RESCIND-3: an open sub-channel rescinded is one event", () => {
    const g = openedFamily();
    expect(outcome(host(g, { type: "RescindChannelOffer", childRelid: 2 }))).toEqual(["event"]);
  });
  it("GUEST-RESCIND-3: the sub-channel the primary's close waits for, rescinded, is one event", () => {
    const g = openedFamily();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    expect(outcome(host(g, { type: "RescindChannelOffer", childRelid: 2 }))).toEqual(["event"]);
  });
  it("GUEST-RESCIND-2: a primary rescinded while closing its sub-channels is one event", () => {
    const g = openedFamily();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    expect(outcome(host(g, { type: "RescindChannelOffer", childRelid: 1 }))).toEqual(["event"]);
  });
  it("GUEST-CLOSE-2: an open primary with open sub-channels rescinded is one event", () => {
    const g = openedFamily();
    expect(outcome(host(g, { type: "RescindChannelOffer", childRelid: 1 }))).toEqual(["event"]);
  });
});
