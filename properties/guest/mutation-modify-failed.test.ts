/**
 * GUEST-MODIFY-1: a MODIFYCHANNEL whose post fails clears only its own channel's wait
 * (mutation run guest5: survivor at guest.ts 350).
 */
import { describe, expect, it } from "vitest";
import { guestView } from "../../spec/guest/view.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, postAll, rules } from "./harness.js";

const H = 0xe1e10;

describe("GUEST-MODIFY-1: a failed MODIFYCHANNEL post", () => {
  it("clears its own channel's wait; the other channel's MODIFYCHANNEL is still awaited", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2]);
    [1, 2].forEach((r, i) => {
      driver(g, { kind: "openChannel", relid: r, sendPages: 1, recvPages: 1 });
      postAll(g);
      host(g, { type: "GpadlCreated", childRelid: r, gpadl: H + i, creationStatus: 0 });
      postAll(g);
      host(g, { type: "OpenChannelResult", childRelid: r, openId: r, status: 0 });
    });
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 3 });
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 4 });
    postAll(g, (m) => (m.type === "ModifyChannel" && m.childRelid === 2 ? 2 : 0));
    expect(rules(g.outputs)).toContain("GUEST-MODIFY-1");
    expect(g.state.modifyPending).toEqual([{ relid: 1, targetVp: 3 }]);
    expect(guestView(g.state).waits).toEqual([{ for: "ModifyChannelResponse", relid: 1 }]);
  });
});
