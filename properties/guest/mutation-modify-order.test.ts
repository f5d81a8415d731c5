/**
 * GUEST-MODIFY-1: below 5.3 a retarget is done when ITS MODIFYCHANNEL is posted, not when an
 * earlier post of the same channel goes (mutation run guest5: survivor at guest.ts 300).
 */
import { describe, expect, it } from "vitest";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, post1, postAll } from "./harness.js";

describe("GUEST-MODIFY-1: the retarget waits for its own post", () => {
  it("a GPADL_HEADER queued before the MODIFYCHANNEL does not complete it", () => {
    const g = connected(Version.WIN10_V4_1, [1]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: 1, gpadl: 0xe1e10, creationStatus: 0 });
    postAll(g);
    host(g, { type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 });
    driver(g, { kind: "createGpadl", relid: 1, pages: 1 });
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 7 });
    expect(g.state.outbox.map((o) => o.message.type)).toEqual(["GpadlHeader", "ModifyChannel"]);
    post1(g);
    expect(g.state.channels[0]?.targetVp).toBe(0);
    expect(g.state.modifyPending).toEqual([{ relid: 1, targetVp: 7 }]);
    post1(g);
    expect(g.state.channels[0]?.targetVp).toBe(7);
    expect(g.state.modifyPending).toEqual([]);
  });
});
