/**
 * Sub-channels (Linux drivers/hv/channel.c vmbus_close → vmbus_disconnect_ring): a primary's close
 * closes its open sub-channels first, one at a time (GUEST-CLOSE-2); a sub-channel is never
 * closed alone; an open sub-channel the host rescinds is closed and released only when its
 * primary closes (GUEST-RESCIND-3).
 */
import { describe, expect, it } from "vitest";
import { guestView } from "../../spec/guest/view.js";
import { Version } from "../../spec/wire/versions.js";
import type { Message } from "../../spec/wire/messages.js";
import { driver, guest, host, offer, postAll, rules, versionResponse, type G, FAMILY_RING, familyPosts, openedFamily } from "./harness.js";

const H = FAMILY_RING;
const sent = familyPosts;

describe("GUEST-CLOSE-2: closing a primary closes its sub-channels first", () => {
  it("each sub-channel: CLOSECHANNEL, GPADL_TEARDOWN, wait for GPADL_TORNDOWN; then the primary", () => {
    const g = openedFamily();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    expect(sent(g)).toEqual(["CloseChannel 2", "GpadlTeardown 0xe1e11"]);
    expect(guestView(g.state).waits).toEqual([{ for: "GpadlTorndown", gpadl: H + 1 }]);
    host(g, { type: "GpadlTorndown", gpadl: H + 1 });
    postAll(g);
    expect(sent(g).slice(2)).toEqual(["CloseChannel 3", "GpadlTeardown 0xe1e12"]);
    host(g, { type: "GpadlTorndown", gpadl: H + 2 });
    postAll(g);
    expect(sent(g).slice(4)).toEqual(["CloseChannel 1", "GpadlTeardown 0xe1e10"]);
    host(g, { type: "GpadlTorndown", gpadl: H });
    expect(g.state.channels.map((c) => c.phase.name)).toEqual(["offered", "offered", "offered"]);
    expect(guestView(g.state).waits).toEqual([]);
  });
  it("a sub-channel cannot be closed alone: refused, nothing posted", () => {
    const g = openedFamily();
    const before = g.state;
    expect(rules(driver(g, { kind: "closeChannel", relid: 2 }))).toEqual(["GUEST-CLOSE-2"]);
    postAll(g);
    expect(g.posted).toEqual([]);
    expect(g.state).toBe(before);
  });
});

describe("GUEST-RESCIND-3: an open sub-channel rescinded", () => {
  it("posts nothing until its primary closes; then CLOSECHANNEL and RELID_RELEASED, no teardown", () => {
    const g = openedFamily();
    host(g, { type: "RescindChannelOffer", childRelid: 3 });
    postAll(g);
    expect(g.posted).toEqual([]);
    expect(guestView(g.state).channelsOpen.map((c) => c.relid)).toEqual([1, 2]);
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    host(g, { type: "GpadlTorndown", gpadl: H + 1 });
    postAll(g);
    expect(sent(g)).toEqual(["CloseChannel 2", "GpadlTeardown 0xe1e11", "CloseChannel 3", "RelIdReleased 3", "CloseChannel 1", "GpadlTeardown 0xe1e10"]);
    expect(g.state.channels.map((c) => c.relid)).toEqual([1, 2]);
  });
  it("an offered (not open) sub-channel is released at once (GUEST-RESCIND-2)", () => {
    const g = guest({ versions: [Version.WIN10] });
    postAll(g);
    host(g, versionResponse(true, 1));
    postAll(g);
    host(g, offer(1, 1, 0));
    host(g, offer(2, 1, 1));
    g.posted.length = 0;
    host(g, { type: "RescindChannelOffer", childRelid: 2 });
    postAll(g);
    expect(sent(g)).toEqual(["RelIdReleased 2"]);
  });
});

describe("GUEST-CLOSE-2 / GUEST-RESCIND-2: a rescinded primary with open sub-channels", () => {
  it("closes its sub-channels first, then CLOSECHANNEL and RELID_RELEASED for itself (no teardown of its ring)", () => {
    const g = openedFamily();
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    postAll(g);
    expect(sent(g)).toEqual(["CloseChannel 2", "GpadlTeardown 0xe1e11"]);
    host(g, { type: "GpadlTorndown", gpadl: H + 1 });
    postAll(g);
    host(g, { type: "GpadlTorndown", gpadl: H + 2 });
    postAll(g);
    expect(sent(g)).toEqual(["CloseChannel 2", "GpadlTeardown 0xe1e11", "CloseChannel 3", "GpadlTeardown 0xe1e12", "CloseChannel 1", "RelIdReleased 1"]);
    expect(g.state.channels.map((c) => c.relid)).toEqual([2, 3]);
    expect(guestView(g.state).waits).toEqual([]);
    expect(g.state.gpadls).toEqual([]);
  });
});
