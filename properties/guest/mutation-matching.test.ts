/**
 * What the guest does with a host message that matches, or almost matches, what it waits for
 * (GUEST-MATCH-1), and with each failed post (mutation testing: every field of each match, and
 * the state each failure leaves).
 */
import { describe, expect, it } from "vitest";
import { HvStatus, Limits } from "../../spec/wire/constants.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, post1, postAll, rules, types, versionResponse, type G } from "./harness.js";

const H0 = Limits.LINUX_FIRST_GPADL_HANDLE;
const phase = (g: G, relid: number) => g.state.channels.find((c) => c.relid === relid)?.phase;
const gpadl = (g: G, handle: number) => g.state.gpadls.find((x) => x.handle === handle);
const queued = (g: G) => g.state.outbox.map((o) => o.message.type);

/** Channel 1 with its ring GPADL (handle H0) created and OPENCHANNEL queued or posted. */
const opening = (version: number = Version.WIN10_V5_3): G => {
  const g = connected(version, [1]);
  driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
  postAll(g);
  host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0, creationStatus: 0 });
  return g;
};
const opened = (version: number = Version.WIN10_V5_3): G => {
  const g = opening(version);
  postAll(g);
  host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 });
  return g;
};

describe("GUEST-MATCH-1: a host message must match what is waited for in every field", () => {
  it("GPADL_CREATED for another relid, or twice, matches nothing", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    postAll(g);
    expect(rules(host(g, { type: "GpadlCreated", childRelid: 2, gpadl: H0, creationStatus: 0 }))).toEqual(["GUEST-MATCH-1"]);
    expect(rules(host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0 + 1, creationStatus: 0 }))).toEqual(["GUEST-MATCH-1"]);
    expect(gpadl(g, H0)?.state).toBe("creating");
    expect(rules(host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0, creationStatus: 0 }))).toEqual([]);
    expect(gpadl(g, H0)?.state).toBe("created");
    expect(phase(g, 1)).toEqual({ name: "opening", gpadl: H0, sendPages: 1 });
    expect(queued(g)).toEqual(["OpenChannel"]);
    expect(rules(host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0, creationStatus: 0 }))).toEqual(["GUEST-MATCH-1"]);
    expect(queued(g)).toEqual(["OpenChannel"]);
  });
  it("OPENCHANNEL_RESULT with another open_id, or for a channel not opening, matches nothing", () => {
    const g = opening();
    postAll(g);
    expect(rules(host(g, { type: "OpenChannelResult", childRelid: 1, openId: 2, status: 0 }))).toEqual(["GUEST-MATCH-1"]);
    expect(phase(g, 1)?.name).toBe("opening");
    expect(rules(host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 }))).toEqual([]);
    expect(phase(g, 1)).toEqual({ name: "opened", gpadl: H0 });
    expect(rules(host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 }))).toEqual(["GUEST-MATCH-1"]);
  });
  it("GPADL_TORNDOWN of a GPADL not being torn down matches nothing", () => {
    const g = opened();
    expect(rules(host(g, { type: "GpadlTorndown", gpadl: H0 }))).toEqual(["GUEST-MATCH-1"]);
    expect(gpadl(g, H0)?.state).toBe("created");
  });
  it("MODIFYCHANNEL_RESPONSE for another channel matches nothing", () => {
    const g = opened();
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 2 });
    postAll(g);
    expect(rules(host(g, { type: "ModifyChannelResponse", childRelid: 2, status: 0 }))).toEqual(["GUEST-MATCH-1"]);
    expect(g.state.modifyPending).toEqual([{ relid: 1, targetVp: 2 }]);
  });
  it("UNLOAD_RESPONSE without UNLOAD, and VERSION_RESPONSE once connected, match nothing", () => {
    const g = opened();
    expect(rules(host(g, { type: "UnloadResponse" }))).toEqual(["GUEST-MATCH-1"]);
    expect(g.state.phase).toBe("connected");
    expect(rules(host(g, versionResponse(true, 1)))).toEqual(["GUEST-MATCH-1"]);
    expect(g.state.channels.length).toBe(1);
  });
});

describe("host answers that report a failure", () => {
  it("GUEST-GPADL-3: a buffer GPADL refused is dropped and its channel stays open", () => {
    const g = opened();
    driver(g, { kind: "createGpadl", relid: 1, pages: 2 });
    postAll(g);
    expect(rules(host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0 + 1, creationStatus: 1 }))).toEqual(["GUEST-GPADL-3"]);
    expect(gpadl(g, H0 + 1)).toBeUndefined();
    expect(phase(g, 1)).toEqual({ name: "opened", gpadl: H0 });
  });
  it("GUEST-GPADL-3: a ring GPADL refused sends the channel back to offered", () => {
    const g = connected(Version.WIN10_V5_3, [1]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    postAll(g);
    expect(rules(host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0, creationStatus: 5 }))).toEqual(["GUEST-GPADL-3"]);
    expect(phase(g, 1)).toEqual({ name: "offered" });
    expect(g.state.gpadls).toEqual([]);
  });
  it("a buffer GPADL created posts nothing and leaves the channel open", () => {
    const g = opened();
    driver(g, { kind: "createGpadl", relid: 1, pages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0 + 1, creationStatus: 0 });
    expect(gpadl(g, H0 + 1)).toMatchObject({ state: "created", purpose: "buffer", relid: 1, pages: 2 });
    expect(queued(g)).toEqual([]);
    expect(phase(g, 1)).toEqual({ name: "opened", gpadl: H0 });
    driver(g, { kind: "teardownGpadl", gpadl: H0 + 1 });
    postAll(g);
    const outs = host(g, { type: "GpadlTorndown", gpadl: H0 + 1 });
    expect(outs.filter((o) => o.kind === "event")).toEqual([]);
    expect(gpadl(g, H0 + 1)).toBeUndefined();
    expect(phase(g, 1)).toEqual({ name: "opened", gpadl: H0 });
  });
  it("GUEST-OPEN-2: an open refused tears its ring down, then the channel is offered again", () => {
    const g = opening();
    postAll(g);
    expect(rules(host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 1 }))).toEqual(["GUEST-OPEN-2"]);
    expect(phase(g, 1)).toEqual({ name: "closing", gpadl: H0 });
    expect(queued(g)).toEqual(["GpadlTeardown"]);
    expect(gpadl(g, H0)?.state).toBe("tearingDown");
    postAll(g);
    host(g, { type: "GpadlTorndown", gpadl: H0 });
    expect(phase(g, 1)).toEqual({ name: "offered" });
    expect(g.state.gpadls).toEqual([]);
  });
  it("GUEST-MODIFY-2: a refused MODIFYCHANNEL clears the wait and keeps the old VP", () => {
    const g = opened();
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 2 });
    postAll(g);
    expect(rules(host(g, { type: "ModifyChannelResponse", childRelid: 1, status: 1 }))).toEqual(["GUEST-MODIFY-2"]);
    expect(g.state.modifyPending).toEqual([]);
    expect(g.state.channels[0]!.targetVp).toBe(0);
  });
});

describe("failed posts", () => {
  const fail = HvStatus.INVALID_ALIGNMENT;
  it("GUEST-OPEN-1: OPENCHANNEL not posted: the ring is torn down", () => {
    const g = opening();
    expect(rules(post1(g, fail))).toEqual(["GUEST-OPEN-1"]);
    expect(phase(g, 1)).toEqual({ name: "closing", gpadl: H0 });
    expect(queued(g)).toEqual(["GpadlTeardown"]);
  });
  it("GUEST-CLOSE-1: CLOSECHANNEL not posted: its teardown is dropped and the channel is offered", () => {
    const g = opened();
    driver(g, { kind: "closeChannel", relid: 1 });
    expect(queued(g)).toEqual(["CloseChannel", "GpadlTeardown"]);
    expect(rules(post1(g, fail))).toEqual(["GUEST-CLOSE-1"]);
    expect(queued(g)).toEqual([]);
    expect(g.state.gpadls).toEqual([]);
    expect(phase(g, 1)).toEqual({ name: "offered" });
  });
  it("GUEST-GPADL-4: the ring's GPADL_TEARDOWN not posted ends the close; a buffer's leaves the channel open", () => {
    const g = opened();
    driver(g, { kind: "createGpadl", relid: 1, pages: 1 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0 + 1, creationStatus: 0 });
    driver(g, { kind: "teardownGpadl", gpadl: H0 + 1 });
    expect(rules(post1(g, fail))).toEqual(["GUEST-GPADL-4"]);
    expect(gpadl(g, H0 + 1)).toBeUndefined();
    expect(phase(g, 1)).toEqual({ name: "opened", gpadl: H0 });
    driver(g, { kind: "closeChannel", relid: 1 });
    post1(g);
    expect(rules(post1(g, fail))).toEqual(["GUEST-GPADL-4"]);
    expect(phase(g, 1)).toEqual({ name: "offered" });
    expect(g.state.gpadls).toEqual([]);
  });
  it("GUEST-MODIFY-1: MODIFYCHANNEL not posted clears the wait", () => {
    const g = opened();
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 2 });
    expect(rules(post1(g, fail))).toEqual(["GUEST-MODIFY-1"]);
    expect(g.state.modifyPending).toEqual([]);
    expect(g.state.channels[0]!.targetVp).toBe(0);
  });
  it("GUEST-POST-1: RELID_RELEASED not posted is reported and changes nothing else", () => {
    const g = opened();
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    expect(queued(g)).toEqual(["CloseChannel", "RelIdReleased"]);
    post1(g);
    const before = g.state;
    expect(rules(post1(g, fail))).toEqual(["GUEST-POST-1"]);
    expect(g.state).toEqual({ ...before, outbox: [] });
    expect(types(g).slice(-2)).toEqual(["CloseChannel", "RelIdReleased"]);
  });
});

describe("GUEST-DRIVER-1 / GUEST-MODIFY-1: what the driver may ask", () => {
  it("teardownGpadl refuses a ring GPADL and a buffer GPADL still being created", () => {
    const g = opened();
    expect(rules(driver(g, { kind: "teardownGpadl", gpadl: H0 }))).toEqual(["GUEST-DRIVER-1"]);
    driver(g, { kind: "createGpadl", relid: 1, pages: 1 });
    expect(rules(driver(g, { kind: "teardownGpadl", gpadl: H0 + 1 }))).toEqual(["GUEST-DRIVER-1"]);
  });
  it("modifyChannel: refused below 4.1 (GUEST-MODIFY-1), for a channel not open, or with one outstanding", () => {
    expect(rules(driver(opened(Version.WIN10), { kind: "modifyChannel", relid: 1, targetVp: 1 }))).toEqual(["GUEST-MODIFY-1"]);
    const g = opening();
    expect(rules(driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 }))).toEqual(["GUEST-DRIVER-1"]);
    const o = opened();
    expect(rules(driver(o, { kind: "modifyChannel", relid: 1, targetVp: 1 }))).toEqual([]);
    expect(rules(driver(o, { kind: "modifyChannel", relid: 1, targetVp: 2 }))).toEqual(["GUEST-DRIVER-1"]);
    expect(queued(o)).toEqual(["ModifyChannel"]);
  });
});
