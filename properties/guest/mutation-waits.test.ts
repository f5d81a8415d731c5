/**
 * A reply is awaited from the moment its request is posted, not while it is still queued, and only
 * for the request that was posted (spec/guest/view.ts guestWaits; GUEST-VERSION-1, GUEST-GPADL-2,
 * GUEST-OPEN-1, GUEST-CLOSE-1, GUEST-MODIFY-1, GUEST-UNLOAD-1); mutation run guest6-small:
 * survivors in guestWaits' "still queued" tests and guestView's GPADL filter.
 */
import { describe, expect, it } from "vitest";
import { guestStep } from "../../spec/guest/guest.js";
import type { GuestOutput } from "../../spec/guest/io.js";
import { guestView } from "../../spec/guest/view.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, guest, host, openChannels, post1, postAll, versionResponse, type G } from "./harness.js";

const H = 0xe1e10;
const waits = (g: G) => guestView(g.state).waits;
const announced = (outs: readonly GuestOutput[]) => outs.flatMap((o) => (o.kind === "wait" ? [o.wait] : []));
/** Post the head of `lane` successfully; the outputs of that step. */
const postLane = (g: G, lane: number): readonly GuestOutput[] => {
  const r = guestStep(g.config, g.state, { kind: "postResult", lane, status: 0 });
  g.state = r.state;
  return r.outputs;
};

describe("GUEST-VERSION-1: VERSION_RESPONSE is awaited once INITIATE_CONTACT is posted", () => {
  it("not while queued, then for the candidate posted, and again for the next candidate", () => {
    const g = guest({ versions: [Version.WIN10_V5_3, Version.WIN10_V5_2] });
    expect(waits(g)).toEqual([]);
    expect(announced(post1(g))).toEqual([{ for: "VersionResponse", version: Version.WIN10_V5_3 }]);
    host(g, versionResponse(false));
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["InitiateContact"]);
    expect(waits(g)).toEqual([]);
    expect(announced(post1(g))).toEqual([{ for: "VersionResponse", version: Version.WIN10_V5_2 }]);
    host(g, versionResponse(true));
    expect(waits(g)).toEqual([]);
    expect(guestView(g.state).pendingPosts).toBe(1); // REQUESTOFFERS
  });
});

describe("GUEST-GPADL-2: GPADL_CREATED is awaited once the last GPADL message is posted", () => {
  it("not after the GPADL_HEADER while a GPADL_BODY of the same GPADL is queued", () => {
    const g = connected(Version.WIN10, [1]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 20, recvPages: 20 }); // 40 PFNs: header + 1 body
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["GpadlHeader", "GpadlBody"]);
    expect(waits(g)).toEqual([]);
    expect(announced(post1(g))).toEqual([]);
    expect(waits(g)).toEqual([]);
    expect(announced(post1(g))).toEqual([{ for: "GpadlCreated", relid: 1, gpadl: H }]);
    expect(guestView(g.state).gpadlsCreated).toEqual([]);
  });
  it("per GPADL: another channel's queued GPADL_HEADER does not hold back this one's wait", () => {
    const g = connected(Version.WIN10, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    driver(g, { kind: "openChannel", relid: 2, sendPages: 1, recvPages: 1 });
    expect(announced(postLane(g, 2))).toEqual([{ for: "GpadlCreated", relid: 2, gpadl: H + 1 }]);
    expect(waits(g)).toEqual([{ for: "GpadlCreated", relid: 2, gpadl: H + 1 }]);
  });
});

describe("GUEST-OPEN-1: OPENCHANNEL_RESULT is awaited once OPENCHANNEL is posted", () => {
  it("per channel: channel 1's queued OPENCHANNEL does not hold back channel 2's wait", () => {
    const g = connected(Version.WIN10, [1, 2]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    driver(g, { kind: "openChannel", relid: 2, sendPages: 1, recvPages: 1 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H, creationStatus: 0 });
    host(g, { type: "GpadlCreated", childRelid: 2, gpadl: H + 1, creationStatus: 0 });
    expect(waits(g)).toEqual([]);
    expect(guestView(g.state).gpadlsCreated).toEqual([{ handle: H, relid: 1 }, { handle: H + 1, relid: 2 }]);
    expect(announced(postLane(g, 2))).toEqual([{ for: "OpenChannelResult", relid: 2 }]);
    expect(announced(postLane(g, 1))).toEqual([{ for: "OpenChannelResult", relid: 1 }]);
  });
});

describe("GUEST-CLOSE-1: GPADL_TORNDOWN is awaited once GPADL_TEARDOWN is posted", () => {
  it("not while CLOSECHANNEL or the teardown is queued; per GPADL", () => {
    const g = connected(Version.WIN10, [1, 2]);
    openChannels(g, [1, 2]);
    driver(g, { kind: "closeChannel", relid: 1 });
    driver(g, { kind: "closeChannel", relid: 2 });
    expect(guestView(g.state).gpadlsCreated).toEqual([]);
    expect(guestView(g.state).channelsOpen).toEqual([]);
    expect(waits(g)).toEqual([]);
    expect(announced(postLane(g, 2))).toEqual([]); // CLOSECHANNEL 2
    expect(announced(postLane(g, 2))).toEqual([{ for: "GpadlTorndown", gpadl: H + 1 }]);
    expect(waits(g)).toEqual([{ for: "GpadlTorndown", gpadl: H + 1 }]);
  });
});

describe("GUEST-MODIFY-1: MODIFYCHANNEL_RESPONSE is awaited from 5.3, once MODIFYCHANNEL is posted", () => {
  it("at exactly 5.3, per channel", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2]);
    openChannels(g, [1, 2]);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 1 });
    expect(waits(g)).toEqual([]);
    expect(announced(postLane(g, 2))).toEqual([{ for: "ModifyChannelResponse", relid: 2 }]);
    expect(waits(g)).toEqual([{ for: "ModifyChannelResponse", relid: 2 }]);
  });
  it("the wait stays while a later post of the same channel (a buffer GPADL_HEADER) is queued", () => {
    const g = connected(Version.WIN10_V5_3, [1]);
    openChannels(g, [1]);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    postAll(g);
    driver(g, { kind: "createGpadl", relid: 1, pages: 1 });
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["GpadlHeader"]);
    expect(waits(g)).toEqual([{ for: "ModifyChannelResponse", relid: 1 }]);
  });
  it("below 5.3 nothing is awaited, posted or not", () => {
    const g = connected(Version.WIN10_V5_2, [1]);
    openChannels(g, [1]);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    expect(waits(g)).toEqual([]);
    expect(announced(post1(g))).toEqual([]);
    expect(g.state.modifyPending).toEqual([]);
  });
});

describe("GUEST-UNLOAD-1: UNLOAD_RESPONSE is awaited once UNLOAD is posted", () => {
  it("not while UNLOAD is queued", () => {
    const g = connected(Version.WIN10, []);
    driver(g, { kind: "unload" });
    expect(g.state.phase).toBe("disconnecting");
    expect(waits(g)).toEqual([]);
    expect(announced(post1(g))).toEqual([{ for: "UnloadResponse" }]);
  });
  it("awaited once UNLOAD is posted even while a channel's lane still holds posts", () => {
    const g = connected(Version.WIN10, [1]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    driver(g, { kind: "unload" });
    expect(announced(postLane(g, 0))).toEqual([{ for: "UnloadResponse" }]);
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["GpadlHeader"]);
    expect(waits(g)).toEqual([{ for: "UnloadResponse" }]);
  });
});
