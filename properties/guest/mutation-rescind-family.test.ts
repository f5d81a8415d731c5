/**
 * Rescinds that meet a primary's close (GUEST-RESCIND-2, GUEST-RESCIND-3, GUEST-CLOSE-2): paths the
 * earlier guest tests never reached (mutation run guest5: no coverage at guest.ts 517–534).
 */
import { describe, expect, it } from "vitest";
import { guestView } from "../../spec/guest/view.js";
import { Version } from "../../spec/wire/versions.js";
import type { Message } from "../../spec/wire/messages.js";
import { driver, guest, host, offer, postAll, versionResponse, type G, FAMILY_RING, familyPosts, openedFamily } from "./harness.js";

const H = FAMILY_RING;
const sent = familyPosts;

describe("GUEST-RESCIND-2/3 during a primary's close", () => {
  it("GUEST-RESCIND-3: the sub-channel whose GPADL_TORNDOWN the close waits for is rescinded: released, the close goes on", () => {
    const g = openedFamily();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    expect(sent(g)).toEqual(["CloseChannel 2", "GpadlTeardown 0xe1e11"]);
    host(g, { type: "RescindChannelOffer", childRelid: 2 });
    postAll(g);
    expect(sent(g).slice(2)).toEqual(["RelIdReleased 2", "CloseChannel 3", "GpadlTeardown 0xe1e12"]);
    expect(g.state.channels.map((c) => c.relid)).toEqual([1, 3]);
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([H, H + 2]);
    expect(guestView(g.state).waits).toEqual([{ for: "GpadlTorndown", gpadl: H + 2 }]);
  });

  it("GUEST-RESCIND-2: the primary rescinded while closing its sub-channels ends without its own teardown", () => {
    const g = openedFamily();
    driver(g, { kind: "closeChannel", relid: 1 });
    postAll(g);
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([H + 1, H + 2]);
    host(g, { type: "GpadlTorndown", gpadl: H + 1 });
    postAll(g);
    host(g, { type: "GpadlTorndown", gpadl: H + 2 });
    postAll(g);
    expect(sent(g)).toEqual(["CloseChannel 2", "GpadlTeardown 0xe1e11", "CloseChannel 3", "GpadlTeardown 0xe1e12", "CloseChannel 1", "RelIdReleased 1"]);
    expect(g.state.channels.map((c) => [c.relid, c.phase.name])).toEqual([[2, "offered"], [3, "offered"]]);
    expect(g.state.gpadls).toEqual([]);
  });

  it("GUEST-RESCIND-2: an open primary rescinded closes its open and rescinded-open sub-channels first", () => {
    const g = openedFamily();
    host(g, { type: "RescindChannelOffer", childRelid: 3 });
    expect(g.state.channels.find((c) => c.relid === 3)?.phase.name).toBe("rescindedOpen");
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([H, H + 1]);
    host(g, { type: "RescindChannelOffer", childRelid: 1 });
    postAll(g);
    expect(sent(g)).toEqual(["CloseChannel 2", "GpadlTeardown 0xe1e11"]);
    expect(g.state.gpadls.map((x) => x.handle)).toEqual([H + 1]);
    host(g, { type: "GpadlTorndown", gpadl: H + 1 });
    postAll(g);
    expect(sent(g).slice(2)).toEqual(["CloseChannel 3", "RelIdReleased 3", "CloseChannel 1", "RelIdReleased 1"]);
    expect(g.state.channels.map((c) => [c.relid, c.phase.name])).toEqual([[2, "offered"]]);
    expect(g.state.gpadls).toEqual([]);
  });
});
