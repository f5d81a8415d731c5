/**
 * The guest reducer's bounds and comparisons, each at its edge (mutation testing: a `<` made `<=`,
 * a version test moved by one, a case-folding dropped). Each test names the rule whose condition
 * it pins.
 */
import { describe, expect, it } from "vitest";
import { guestLaneHead, guestPostable, LINUX_UNSUPPORTED_DEVICES, MAX_GPADL_PAGES } from "../../spec/guest/guest.js";
import { guestView } from "../../spec/guest/view.js";
import { HvStatus, Limits } from "../../spec/wire/constants.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, guest, host, offer, post1, postAll, rules, types, versionResponse, GUID_TYPE } from "./harness.js";

const opened = (version: number, relids: readonly number[] = [1]) => {
  const g = connected(version, relids);
  for (const r of relids) {
    driver(g, { kind: "openChannel", relid: r, sendPages: 2, recvPages: 2 });
    postAll(g);
    const h = g.state.gpadls.find((x) => x.relid === r)!.handle;
    host(g, { type: "GpadlCreated", childRelid: r, gpadl: h, creationStatus: 0 });
    postAll(g);
    host(g, { type: "OpenChannelResult", childRelid: r, openId: r, status: 0 });
  }
  return g;
};
const phaseOf = (g: ReturnType<typeof guest>, relid: number) => g.state.channels.find((c) => c.relid === relid)?.phase.name;

describe("GUEST-OFFER-1/2/5: which offers the guest keeps", () => {
  it("GUEST-OFFER-1: relid 2047 is kept, 2048 is not", () => {
    const g = connected(Version.WIN10_V5_3, []);
    expect(rules(host(g, offer(Limits.LINUX_MAX_CHANNEL_RELIDS - 1)))).toEqual([]);
    expect(rules(host(g, offer(Limits.LINUX_MAX_CHANNEL_RELIDS)))).toEqual(["GUEST-OFFER-1"]);
    expect(g.state.channels.map((c) => c.relid)).toEqual([2047]);
  });
  it("GUEST-OFFER-5: an unsupported device is ignored however its GUID is cased", () => {
    const g = connected(Version.WIN10_V5_3, []);
    const o = offer(3) as Extract<Message, { type: "OfferChannel" }>;
    expect(rules(host(g, { ...o, interfaceType: LINUX_UNSUPPORTED_DEVICES[1]!.toUpperCase() }))).toEqual(["GUEST-OFFER-5"]);
    expect(g.state.channels).toEqual([]);
  });
  it("GUEST-OFFER-2: index 0 with a sibling is refused; index 1 with it, or index 0 of another instance or type, is kept", () => {
    const g = connected(Version.WIN10_V5_3, [1]);
    expect(rules(host(g, offer(2, 1, 0)))).toEqual(["GUEST-OFFER-2"]);
    expect(rules(host(g, offer(3, 1, 1)))).toEqual([]);
    expect(rules(host(g, offer(4, 4, 0)))).toEqual([]);
    const o = offer(5, 1, 0) as Extract<Message, { type: "OfferChannel" }>;
    expect(rules(host(g, { ...o, interfaceType: "aaaaaaaa-04a1-4d29-b605-72e2ffb1dc7f" }))).toEqual([]);
    expect(g.state.channels.map((c) => [c.relid, c.subChannelIndex])).toEqual([[1, 0], [3, 1], [4, 0], [5, 0]]);
  });
  it("a kept offer records its signal connection id, its type and instance, and targets connectVp", () => {
    const g = connected(Version.WIN10_V5_3, [], { connectVp: 3 });
    host(g, offer(7, 9, 0));
    const c = g.state.channels[0]!;
    expect(c).toMatchObject({ relid: 7, signalConnectionId: 16 + 7, targetVp: 3, interfaceType: GUID_TYPE, subChannelIndex: 0, phase: { name: "offered" } });
    expect(c.interfaceInstance).toBe("00000000-0000-0000-0000-000000000009");
  });
  it("ALLOFFERS_DELIVERED counts only when connected", () => {
    const g = guest({ versions: [Version.WIN10_V5_3] });
    host(g, { type: "AllOffersDelivered" });
    expect(g.state.allOffersDelivered).toBe(false);
    const c = connected(Version.WIN10_V5_3, []);
    expect(c.state.allOffersDelivered).toBe(true);
  });
});

describe("GUEST-VERSION-4: the message connection id", () => {
  it("at 5.0 the host's msg_conn_id is used, at 4.1 it is 1", () => {
    for (const [v, want] of [[Version.WIN10_V5, 9], [Version.WIN10_V4_1, 1]] as const) {
      const g = guest({ versions: [v] });
      postAll(g);
      host(g, versionResponse(true, 9));
      expect(g.state.messageConnectionId).toBe(want);
      expect(g.state.version).toBe(v);
      expect(g.state.outbox.map((o) => [o.connectionId, o.message.type])).toEqual([[want, "RequestOffers"]]);
    }
  });
});

describe("GUEST-DRIVER-1: ring and buffer sizes at their bounds", () => {
  it("openChannel takes 1..MAX_GPADL_PAGES pages in all", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2, 3, 4]);
    expect(rules(driver(g, { kind: "openChannel", relid: 1, sendPages: 0, recvPages: 2 }))).toEqual(["GUEST-DRIVER-1"]);
    expect(rules(driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 0 }))).toEqual(["GUEST-DRIVER-1"]);
    expect(rules(driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: MAX_GPADL_PAGES }))).toEqual(["GUEST-DRIVER-1"]);
    expect(rules(driver(g, { kind: "openChannel", relid: 2, sendPages: 1, recvPages: MAX_GPADL_PAGES - 1 }))).toEqual([]);
    expect(rules(driver(g, { kind: "openChannel", relid: 3, sendPages: 1, recvPages: 1 }))).toEqual([]);
    expect(g.state.gpadls.map((x) => [x.relid, x.pages, x.purpose, x.state])).toEqual([[2, MAX_GPADL_PAGES, "ring", "creating"], [3, 2, "ring", "creating"]]);
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([Limits.LINUX_FIRST_GPADL_HANDLE, Limits.LINUX_FIRST_GPADL_HANDLE + 1]);
    expect(phaseOf(g, 1)).toBe("offered");
    expect(g.state.channels.find((c) => c.relid === 3)!.phase).toEqual({ name: "creatingRing", gpadl: Limits.LINUX_FIRST_GPADL_HANDLE + 1, sendPages: 1 });
  });
  it("createGpadl takes 1..MAX_GPADL_PAGES pages", () => {
    const g = opened(Version.WIN10_V5_3);
    expect(rules(driver(g, { kind: "createGpadl", relid: 1, pages: 0 }))).toEqual(["GUEST-DRIVER-1"]);
    expect(rules(driver(g, { kind: "createGpadl", relid: 1, pages: MAX_GPADL_PAGES + 1 }))).toEqual(["GUEST-DRIVER-1"]);
    expect(rules(driver(g, { kind: "createGpadl", relid: 1, pages: MAX_GPADL_PAGES }))).toEqual([]);
    expect(rules(driver(g, { kind: "createGpadl", relid: 1, pages: 1 }))).toEqual([]);
    expect(g.state.gpadls.filter((x) => x.purpose === "buffer").map((x) => x.pages)).toEqual([MAX_GPADL_PAGES, 1]);
  });
});

describe("GUEST-MODIFY-1 / GUEST-UNLOAD-1: version thresholds", () => {
  it("GUEST-MODIFY-1: MODIFYCHANNEL is posted at exactly 4.1 and done once posted below 5.3", () => {
    const g = opened(Version.WIN10_V4_1);
    expect(rules(driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 }))).toEqual([]);
    postAll(g);
    expect(types(g).at(-1)).toBe("ModifyChannel");
    expect(g.state.channels[0]!.targetVp).toBe(1);
    expect(g.state.modifyPending).toEqual([]);
  });
  it("GUEST-MODIFY-2: at 5.3 the retarget waits for MODIFYCHANNEL_RESPONSE", () => {
    const g = opened(Version.WIN10_V5_3);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    postAll(g);
    expect(g.state.channels[0]!.targetVp).toBe(0);
    expect(g.state.modifyPending).toEqual([{ relid: 1, targetVp: 1 }]);
    host(g, { type: "ModifyChannelResponse", childRelid: 1, status: 0 });
    expect(g.state.channels[0]!.targetVp).toBe(1);
    expect(g.state.modifyPending).toEqual([]);
  });
  it("GUEST-UNLOAD-1: UNLOAD is posted at exactly 3.0, not at 2.4", () => {
    const g = connected(Version.WIN8_1, []);
    driver(g, { kind: "unload" });
    expect(guestView(g.state).phase).toBe("disconnecting");
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["Unload"]);
    const old = connected(Version.WIN8, []);
    driver(old, { kind: "unload" });
    expect(old.state.phase).toBe("unloaded");
    expect(old.state.outbox).toEqual([]);
  });
});

describe("GUEST-POST-1: how many times a post is retried", () => {
  it("a retryable status is retried postRetries times, then the post fails", () => {
    for (const status of [HvStatus.INSUFFICIENT_MEMORY, HvStatus.INSUFFICIENT_BUFFERS]) {
      const g = connected(Version.WIN10_V5_3, [1], { postRetries: 2 });
      driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
      post1(g, status);
      post1(g, status);
      expect(g.state.outbox[0]!.attempts).toBe(2);
      expect(phaseOf(g, 1)).toBe("creatingRing");
      expect(rules(post1(g, status))).toEqual(["GUEST-GPADL-2"]);
      expect(phaseOf(g, 1)).toBe("offered");
      expect(g.state.gpadls).toEqual([]);
    }
  });
  it("a status that is not retryable fails the post at once", () => {
    const g = connected(Version.WIN10_V5_3, [1], { postRetries: 5 });
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    expect(rules(post1(g, HvStatus.INVALID_ALIGNMENT))).toEqual(["GUEST-GPADL-2"]);
  });
  it("INVALID_CONNECTION_ID is retried for a post other than INITIATE_CONTACT", () => {
    const g = connected(Version.WIN10_V5_3, [1], { postRetries: 1 });
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    expect(rules(post1(g, HvStatus.INVALID_CONNECTION_ID))).toEqual([]);
    expect(g.state.outbox[0]!.attempts).toBe(1);
  });
});

describe("lanes", () => {
  it("guestLaneHead is the oldest post of that lane; guestPostable one head per lane", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    driver(g, { kind: "openChannel", relid: 2, sendPages: 1, recvPages: 1 });
    expect(guestLaneHead(g.state, 2)?.message).toMatchObject({ type: "GpadlHeader", childRelid: 2 });
    expect(guestLaneHead(g.state, 7)).toBeUndefined();
    expect(guestPostable(g.config, g.state).map((o) => o.lane)).toEqual([1, 2]);
    expect(guestPostable({ ...g.config, parallelLanes: false }, g.state).map((o) => o.lane)).toEqual([1]);
  });
});
