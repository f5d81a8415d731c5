/**
 * A rescind abandons exactly the rescinded channel's unposted work and state, and a family's
 * close goes on only for the sub-channel it waits for (GUEST-RESCIND-1/2/3, GUEST-CLOSE-2);
 * mutation run guest5: survivors in rescind, closeNextSubChannel and subChannelClosed of guest.ts.
 */
import { describe, expect, it } from "vitest";
import { Version } from "../../spec/wire/versions.js";
import { FAMILY_RING, connected, driver, familyPosts, host, offer, openChannels, openedFamily, post1, postAll, type G } from "./harness.js";

const queued = (g: G): string[] =>
  g.state.outbox.map((o) => {
    const m = o.message;
    return "gpadl" in m ? `${m.type} ${m.gpadl - FAMILY_RING}` : "childRelid" in m ? `${m.type} ${m.childRelid}` : m.type;
  });
const phaseOf = (g: G, relid: number): string | undefined => g.state.channels.find((c) => c.relid === relid)?.phase.name;
const handles = (g: G): number[] => g.state.gpadls.map((x) => x.handle - FAMILY_RING);
const rescind = (g: G, relid: number) => host(g, { type: "RescindChannelOffer", childRelid: relid });

/** Primary 1 with sub-channels 2 and 3 offered at `version`; none opened. */
const family = (version = Version.WIN10): G => {
  const g = connected(version, []);
  host(g, offer(1, 1, 0));
  host(g, offer(2, 1, 1));
  host(g, offer(3, 1, 2));
  return g;
};

describe("GUEST-RESCIND-1: what a rescind takes out of the outbox", () => {
  it("every kind of unposted work of the rescinded channel goes; other channels' work stays", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2, 3, 4, 5]);
    openChannels(g, [1, 2, 3, 4]); // rings 0..3
    driver(g, { kind: "createGpadl", relid: 1, pages: 1 }); // 4
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: FAMILY_RING + 4, creationStatus: 0 });
    driver(g, { kind: "openChannel", relid: 5, sendPages: 1, recvPages: 1 }); // ring 5
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 5, gpadl: FAMILY_RING + 5, creationStatus: 0 });
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    driver(g, { kind: "teardownGpadl", gpadl: FAMILY_RING + 4 });
    driver(g, { kind: "createGpadl", relid: 1, pages: 40 }); // 6
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 1 });
    driver(g, { kind: "closeChannel", relid: 3 });
    driver(g, { kind: "createGpadl", relid: 4, pages: 40 }); // 7
    const others = ["OpenChannel 5", "ModifyChannel 2", "CloseChannel 3", "GpadlTeardown 2", "GpadlHeader 7", "GpadlBody 7"];
    expect(queued(g)).toEqual(["OpenChannel 5", "ModifyChannel 1", "GpadlTeardown 4", "GpadlHeader 6", "GpadlBody 6", ...others.slice(1)]);
    rescind(g, 1);
    expect(queued(g)).toEqual([...others, "CloseChannel 1", "RelIdReleased 1"]);
    expect(g.state.channels.map((c) => c.relid)).toEqual([2, 3, 4, 5]);
    expect(handles(g)).toEqual([1, 2, 3, 5, 7]);
    expect(g.state.modifyPending).toEqual([{ relid: 2, targetVp: 1 }]);
    rescind(g, 5);
    expect(queued(g)).toEqual([...others.slice(1), "CloseChannel 1", "RelIdReleased 1", "RelIdReleased 5"]);
    expect(handles(g)).toEqual([1, 2, 3, 7]);
  });
  it("an offered channel rescinded is only released (no CLOSECHANNEL)", () => {
    const g = connected(Version.WIN10, [1]);
    rescind(g, 1);
    expect(queued(g)).toEqual(["RelIdReleased 1"]);
  });
  it("a channel rescinded with its CLOSECHANNEL still queued keeps that post and drops its teardown", () => {
    const g = connected(Version.WIN10, [1, 2]);
    openChannels(g, [1]);
    driver(g, { kind: "closeChannel", relid: 1 });
    expect(queued(g)).toEqual(["CloseChannel 1", "GpadlTeardown 0"]);
    rescind(g, 1);
    expect(queued(g)).toEqual(["CloseChannel 1", "RelIdReleased 1"]);
  });
  it("a closing channel rescinded is released and its close abandoned", () => {
    const g = connected(Version.WIN10, [1]);
    openChannels(g, [1]);
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    rescind(g, 1);
    expect(queued(g)).toEqual(["RelIdReleased 1"]);
    expect(g.state.channels).toEqual([]);
    expect(g.state.gpadls).toEqual([]);
  });
});

describe("GUEST-RESCIND-3 / GUEST-RESCIND-2: what a rescind in a family keeps", () => {
  it("an open sub-channel rescinded forgets only its own GPADLs and MODIFYCHANNEL wait", () => {
    const g = openedFamily(Version.WIN10_V5_3);
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 1 });
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    postAll(g);
    rescind(g, 2);
    expect(phaseOf(g, 2)).toBe("rescindedOpen");
    expect(g.state.modifyPending).toEqual([{ relid: 1, targetVp: 1 }]);
    expect(handles(g)).toEqual([0, 2]);
  });
  it("an open primary rescinded forgets only its own MODIFYCHANNEL wait while its sub-channels close", () => {
    const g = openedFamily(Version.WIN10_V5_3);
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 1 });
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    postAll(g);
    rescind(g, 1);
    expect(g.state.modifyPending).toEqual([{ relid: 2, targetVp: 1 }]);
    expect(handles(g)).toEqual([1, 2]);
  });
  it("the rescinded primary's release drops its own state only: a sub-channel's buffer GPADL stays", () => {
    const g = openedFamily();
    driver(g, { kind: "createGpadl", relid: 2, pages: 1 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 2, gpadl: FAMILY_RING + 3, creationStatus: 0 });
    g.posted.length = 0;
    rescind(g, 1);
    postAll(g);
    host(g, { type: "GpadlTorndown", gpadl: FAMILY_RING + 1 });
    postAll(g);
    host(g, { type: "GpadlTorndown", gpadl: FAMILY_RING + 2 });
    postAll(g);
    expect(familyPosts(g)).toEqual(["CloseChannel 2", "GpadlTeardown 0xe1e11", "CloseChannel 3", "GpadlTeardown 0xe1e12", "CloseChannel 1", "RelIdReleased 1"]);
    expect(g.state.channels.map((c) => c.relid)).toEqual([2, 3]);
    expect(handles(g)).toEqual([3]);
  });
  it("GUEST-CLOSE-2: a primary never opened, rescinded, leaves its open sub-channel alone", () => {
    const g = family();
    openChannels(g, [2]);
    rescind(g, 1);
    expect(queued(g)).toEqual(["RelIdReleased 1"]);
    expect(phaseOf(g, 2)).toBe("opened");
  });
});

describe("GUEST-CLOSE-2: a sub-channel whose open failed is not part of its primary's close", () => {
  /** Family with 1 and 2 opened and 3's OPENCHANNEL refused (3 closing, its teardown posted). */
  const failedSub = (): G => {
    const g = family();
    openChannels(g, [1, 2]);
    driver(g, { kind: "openChannel", relid: 3, sendPages: 1, recvPages: 1 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 3, gpadl: FAMILY_RING + 2, creationStatus: 0 });
    postAll(g);
    host(g, { type: "OpenChannelResult", childRelid: 3, openId: 3, status: 1 });
    postAll(g);
    expect(phaseOf(g, 3)).toBe("closing");
    return g;
  };
  it("its GPADL_TORNDOWN while the primary is open ends only its own close", () => {
    const g = failedSub();
    host(g, { type: "GpadlTorndown", gpadl: FAMILY_RING + 2 });
    expect(phaseOf(g, 3)).toBe("offered");
    expect(phaseOf(g, 1)).toBe("opened");
    expect(g.state.outbox).toEqual([]);
  });
  it("GUEST-RESCIND-1: rescinded while the primary is open, it is released in its own lane", () => {
    const g = failedSub();
    rescind(g, 3);
    expect(queued(g)).toEqual(["RelIdReleased 3"]);
    expect(g.state.outbox[0]?.lane).toBe(3);
    expect(phaseOf(g, 1)).toBe("opened");
  });
  it("its GPADL_TORNDOWN while the primary waits for another sub-channel does not move the primary's close on", () => {
    const g = failedSub();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    host(g, { type: "GpadlTorndown", gpadl: FAMILY_RING + 2 });
    expect(g.state.channels.find((c) => c.relid === 1)?.phase).toMatchObject({ name: "closingSubChannels", pending: [2] });
    expect(g.state.outbox).toEqual([]);
  });
  it("GUEST-RESCIND-3: rescinded while the primary waits for another sub-channel, it does not move the close on", () => {
    const g = failedSub();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    rescind(g, 3);
    expect(queued(g)).toEqual(["RelIdReleased 3"]);
    expect(g.state.channels.find((c) => c.relid === 1)?.phase).toMatchObject({ name: "closingSubChannels", pending: [2] });
  });
});

describe("GUEST-CLOSE-2: a pending sub-channel that changed before its turn", () => {
  const closingWithThreeGone = (reoffer: boolean): G => {
    const g = openedFamily();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    rescind(g, 3);
    rescind(g, 3); // a second rescind releases it at once
    if (reoffer) host(g, offer(3, 1, 2));
    postAll(g);
    g.posted.length = 0;
    host(g, { type: "GpadlTorndown", gpadl: FAMILY_RING + 1 });
    postAll(g);
    return g;
  };
  it("one released meanwhile is skipped", () => {
    expect(familyPosts(closingWithThreeGone(false))).toEqual(["CloseChannel 1", "GpadlTeardown 0xe1e10"]);
  });
  it("one offered again meanwhile (not open) is skipped", () => {
    const g = closingWithThreeGone(true);
    expect(familyPosts(g)).toEqual(["CloseChannel 1", "GpadlTeardown 0xe1e10"]);
    expect(phaseOf(g, 3)).toBe("offered");
  });
});
