/**
 * What a post's hypercall status does to the outbox and to the operation that queued it
 * (GUEST-POST-1, GUEST-GPADL-2, GUEST-CLOSE-1, GUEST-GPADL-4); mutation run guest5: survivors
 * in postResult and postFailed of guest.ts.
 */
import { describe, expect, it } from "vitest";
import { guestStep } from "../../spec/guest/guest.js";
import { guestView } from "../../spec/guest/view.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, openChannels, outcome, post1, postAll, type G, bufferTeardownQueued } from "./harness.js";

const H = 0xe1e10;
/** A status Linux does not retry. */
const FAIL = 5;

/** Post the head of `lane` with `status`. */
const postLane = (g: G, lane: number, status: number) => {
  const r = guestStep(g.config, g.state, { kind: "postResult", lane, status });
  g.state = r.state;
  return r.outputs;
};
const queued = (g: G): string[] =>
  g.state.outbox.map((o) => {
    const m = o.message;
    return "gpadl" in m ? `${m.type} 0x${m.gpadl.toString(16)}` : "childRelid" in m ? `${m.type} ${m.childRelid}` : m.type;
  });
const phaseOf = (g: G, relid: number): string | undefined => g.state.channels.find((c) => c.relid === relid)?.phase.name;

describe("GUEST-POST-1: posting by lane", () => {
  it("a post result for one lane posts that lane's head, not the oldest post", () => {
    const g = connected(Version.WIN10, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    driver(g, { kind: "openChannel", relid: 2, sendPages: 1, recvPages: 1 });
    const outs = postLane(g, 2, HvStatus.SUCCESS);
    expect(outs.flatMap((o) => (o.kind === "posted" ? ["childRelid" in o.message ? o.message.childRelid : -1] : []))).toEqual([2]);
    expect(queued(g)).toEqual([`GpadlHeader 0x${H.toString(16)}`]);
  });
  it("a retried post counts its own attempt only", () => {
    const g = connected(Version.WIN10, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    driver(g, { kind: "openChannel", relid: 2, sendPages: 1, recvPages: 1 });
    postLane(g, 1, HvStatus.INSUFFICIENT_MEMORY);
    expect(g.state.outbox.map((o) => o.attempts)).toEqual([1, 0]);
  });
});

describe("GUEST-GPADL-2: a GPADL message that fails to post", () => {
  it("a failed GPADL_HEADER abandons that GPADL's queued bodies and nothing else", () => {
    const g = connected(Version.WIN10, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 20, recvPages: 20 });
    driver(g, { kind: "openChannel", relid: 2, sendPages: 20, recvPages: 20 });
    const h1 = `0x${H.toString(16)}`;
    const h2 = `0x${(H + 1).toString(16)}`;
    expect(queued(g)).toEqual([`GpadlHeader ${h1}`, `GpadlBody ${h1}`, `GpadlHeader ${h2}`, `GpadlBody ${h2}`]);
    expect(outcome(postLane(g, 1, FAIL))).toEqual(["failed GUEST-GPADL-2"]);
    expect(queued(g)).toEqual([`GpadlHeader ${h2}`, `GpadlBody ${h2}`]);
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([H + 1]);
    expect(phaseOf(g, 1)).toBe("offered");
    expect(phaseOf(g, 2)).toBe("creatingRing");
  });
  it("a failed GPADL_BODY sends the channel back to offered", () => {
    const g = connected(Version.WIN10, [1]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 20, recvPages: 20 });
    post1(g);
    expect(outcome(post1(g, FAIL))).toEqual(["failed GUEST-GPADL-2"]);
    expect(phaseOf(g, 1)).toBe("offered");
    expect(g.state.gpadls).toEqual([]);
  });
  it("a GPADL_BODY failing after an early failed GPADL_CREATED dropped its GPADL is only a failure", () => {
    const g = connected(Version.WIN10, [1]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 20, recvPages: 20 });
    post1(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 1 });
    expect(g.state.gpadls).toEqual([]);
    expect(outcome(post1(g, FAIL))).toEqual(["failed GUEST-GPADL-2"]);
    expect(g.state.outbox).toEqual([]);
    expect(phaseOf(g, 1)).toBe("offered");
  });
  it("a failed buffer GPADL_HEADER leaves its open channel open", () => {
    const g = connected(Version.WIN10, [1]);
    openChannels(g, [1]);
    driver(g, { kind: "createGpadl", relid: 1, pages: 1 });
    expect(outcome(post1(g, FAIL))).toEqual(["failed GUEST-GPADL-2"]);
    expect(guestView(g.state).channelsOpen).toEqual([{ relid: 1, gpadl: H }]);
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([H]);
  });
});

describe("GUEST-CLOSE-1: a CLOSECHANNEL that fails to post", () => {
  it("abandons only its own ring's GPADL_TEARDOWN", () => {
    const g = connected(Version.WIN10, [1, 2]);
    openChannels(g, [1, 2]);
    driver(g, { kind: "closeChannel", relid: 1 });
    driver(g, { kind: "closeChannel", relid: 2 });
    expect(queued(g)).toEqual(["CloseChannel 1", `GpadlTeardown 0x${H.toString(16)}`, "CloseChannel 2", `GpadlTeardown 0x${(H + 1).toString(16)}`]);
    expect(outcome(postLane(g, 1, FAIL))).toEqual(["failed GUEST-CLOSE-1"]);
    expect(queued(g)).toEqual(["CloseChannel 2", `GpadlTeardown 0x${(H + 1).toString(16)}`]);
    expect(phaseOf(g, 1)).toBe("offered");
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([H + 1]);
  });
  it("of a channel already rescinded is only a failure; RELID_RELEASED still follows", () => {
    const g = connected(Version.WIN10, [1]);
    openChannels(g, [1]);
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    expect(queued(g)).toEqual(["CloseChannel 1", "RelIdReleased 1"]);
    expect(outcome(post1(g, FAIL))).toEqual(["failed GUEST-CLOSE-1"]);
    expect(queued(g)).toEqual(["RelIdReleased 1"]);
  });
});

describe("GUEST-GPADL-4: a GPADL_TEARDOWN that fails to post", () => {
  it("of a buffer GPADL leaves its open channel open", () => {
    const g = bufferTeardownQueued();
    expect(outcome(post1(g, FAIL))).toEqual(["failed GUEST-GPADL-4"]);
    expect(phaseOf(g, 1)).toBe("opened");
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([H]);
  });
  it("of a buffer GPADL while its channel closes does not end the close", () => {
    const g = bufferTeardownQueued();
    driver(g, { kind: "closeChannel", relid: 1 });
    expect(outcome(post1(g, FAIL))).toEqual(["failed GUEST-GPADL-4"]);
    expect(phaseOf(g, 1)).toBe("closing");
    expect(queued(g)).toEqual(["CloseChannel 1", `GpadlTeardown 0x${H.toString(16)}`]);
  });
  it("of a buffer GPADL the host already reported torn down is only a failure", () => {
    const g = bufferTeardownQueued();
    host(g, { type: "GpadlTorndown", gpadl: H + 1 });
    expect(outcome(post1(g, FAIL))).toEqual(["failed GUEST-GPADL-4"]);
    expect(phaseOf(g, 1)).toBe("opened");
  });
  it("of the ring while its channel closes ends the close", () => {
    const g = connected(Version.WIN10, [1]);
    openChannels(g, [1]);
    driver(g, { kind: "closeChannel", relid: 1 });
    post1(g);
    expect(outcome(post1(g, FAIL))).toEqual(["failed GUEST-GPADL-4"]);
    expect(phaseOf(g, 1)).toBe("offered");
  });
});
