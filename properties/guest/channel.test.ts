import { describe, expect, it } from "vitest";
import { guestView } from "../../spec/guest/view.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, post1, postAll, rules, types } from "./harness.js";

const H = 0xe1e10;

/** Open relid 1 (2 + 3 pages) through to OPENED. */
const opened = () => {
  const g = connected(Version.WIN10);
  driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 3 });
  postAll(g);
  host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 0 });
  postAll(g);
  host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 });
  return g;
};

describe("guest open / close / teardown (GUEST-OPEN-*, GUEST-CLOSE-1, GUEST-GPADL-4)", () => {
  it("GUEST-OPEN-1: OPENCHANNEL only after GPADL_CREATED, with openid = relid and downstream offset = send pages", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 3 });
    postAll(g);
    expect(types(g)).not.toContain("OpenChannel");
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 0 });
    postAll(g);
    expect(g.posted.at(-1)!.message).toMatchObject({ type: "OpenChannel", childRelid: 1, openId: 1, ringBufferGpadlHandle: H, downstreamRingBufferPageOffset: 2 });
    host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 });
    expect(guestView(g.state).channelsOpen).toEqual([{ relid: 1, gpadl: H }]);
  });

  it("close posts CLOSECHANNEL, then GPADL_TEARDOWN, and waits for GPADL_TORNDOWN", () => {
    const g = opened();
    driver(g, { kind: "closeChannel", relid: 1 });
    expect(guestView(g.state).channelsOpen).toEqual([]);
    postAll(g);
    expect(types(g).slice(-2)).toEqual(["CloseChannel", "GpadlTeardown"]);
    expect(guestView(g.state).waits).toEqual([{ for: "GpadlTorndown", gpadl: H }]);
    host(g, { type: "GpadlTorndown", gpadl: H });
    expect(g.state.gpadls).toEqual([]);
    expect(g.state.channels[0]!.phase).toEqual({ name: "offered" });
  });

  it("a failed CLOSECHANNEL post leaks the GPADL: no GPADL_TEARDOWN is posted", () => {
    const g = opened();
    driver(g, { kind: "closeChannel", relid: 1 });
    post1(g, HvStatus.INVALID_HYPERCALL_INPUT);
    expect(rules(g.outputs)).toContain("GUEST-CLOSE-1");
    expect(g.state.outbox).toEqual([]);
    expect(g.state.gpadls).toEqual([]);
  });

  it("OPENCHANNEL_RESULT with non-zero status tears the ring GPADL down (GUEST-OPEN-2)", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 0 });
    postAll(g);
    host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 1 });
    expect(rules(g.outputs)).toContain("GUEST-OPEN-2");
    postAll(g);
    expect(types(g).at(-1)).toBe("GpadlTeardown");
    host(g, { type: "GpadlTorndown", gpadl: H });
    expect(g.state.channels[0]!.phase).toEqual({ name: "offered" });
  });

  it("OPENCHANNEL_RESULT must match (relid, openid)", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 0 });
    postAll(g);
    expect(rules(host(g, { type: "OpenChannelResult", childRelid: 1, openId: 7, status: 0 }))).toEqual(["GUEST-MATCH-1"]);
    expect(rules(host(g, { type: "OpenChannelResult", childRelid: 9, openId: 9, status: 0 }))).toEqual(["GUEST-MATCH-1"]);
    expect(guestView(g.state).channelsOpen).toEqual([]);
  });

  it("driver actions in the wrong state are refused without a state change (GUEST-DRIVER-1)", () => {
    const g = connected(Version.WIN10);
    const before = g.state;
    expect(rules(driver(g, { kind: "closeChannel", relid: 1 }))).toEqual(["GUEST-DRIVER-1"]);
    expect(rules(driver(g, { kind: "openChannel", relid: 5, sendPages: 2, recvPages: 2 }))).toEqual(["GUEST-DRIVER-1"]);
    expect(rules(driver(g, { kind: "teardownGpadl", gpadl: H }))).toEqual(["GUEST-DRIVER-1"]);
    expect(g.state).toBe(before);
  });

  it("retryable post statuses are retried 100 times as in Linux, then the operation fails (GUEST-POST-1)", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 });
    for (let i = 0; i < 100; i++) post1(g, i % 2 ? HvStatus.INSUFFICIENT_BUFFERS : HvStatus.INSUFFICIENT_MEMORY);
    expect(g.state.outbox).toHaveLength(1);
    post1(g, HvStatus.INSUFFICIENT_BUFFERS);
    expect(g.state.outbox).toHaveLength(0);
    expect(g.state.gpadls).toEqual([]);
    expect(g.state.channels[0]!.phase).toEqual({ name: "offered" });
  });
});

describe("MODIFYCHANNEL (GUEST-MODIFY-1)", () => {
  it("refused below 4.1", () => {
    const g = opened();
    expect(rules(driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 }))).toEqual(["GUEST-MODIFY-1"]);
    expect(g.state.outbox).toEqual([]);
  });
  it("4.1: posted, no wait; 5.3: posted and the response awaited", () => {
    for (const [v, waits] of [[Version.WIN10_V4_1, 0], [Version.WIN10_V5_3, 1]] as const) {
      const g = connected(v);
      driver(g, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 });
      postAll(g);
      host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 0 });
      postAll(g);
      host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 });
      driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
      postAll(g);
      expect(types(g).at(-1)).toBe("ModifyChannel");
      expect(guestView(g.state).waits).toHaveLength(waits);
      if (waits) {
        expect(rules(driver(g, { kind: "modifyChannel", relid: 1, targetVp: 0 }))).toEqual(["GUEST-DRIVER-1"]);
        host(g, { type: "ModifyChannelResponse", childRelid: 1, status: 0 });
        expect(guestView(g.state).waits).toHaveLength(0);
      }
    }
  });
});
