/**
 * The guest's state is kept in a canonical order (channels by relid, MODIFYCHANNEL waits by
 * relid) and each step announces exactly the waits it began (mutation testing: a sort comparator
 * or the wait diff changed).
 */
import { describe, expect, it } from "vitest";
import { Limits } from "../../spec/wire/constants.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, host, offer, postAll } from "./harness.js";

const H0 = Limits.LINUX_FIRST_GPADL_HANDLE;

describe("canonical order of the guest's state", () => {
  it("GUEST-OFFER-3: offers arriving out of order are kept by relid", () => {
    const g = connected(Version.WIN10_V5_3, [9, 2, 5]);
    expect(g.state.channels.map((c) => c.relid)).toEqual([2, 5, 9]);
  });
  it("GUEST-MODIFY-2: outstanding MODIFYCHANNELs are kept by relid", () => {
    const g = connected(Version.WIN10_V5_3, [1, 2]);
    for (const r of [2, 1]) {
      driver(g, { kind: "openChannel", relid: r, sendPages: 1, recvPages: 1 });
      postAll(g);
      const h = g.state.gpadls.find((x) => x.relid === r)!.handle;
      host(g, { type: "GpadlCreated", childRelid: r, gpadl: h, creationStatus: 0 });
      postAll(g);
      host(g, { type: "OpenChannelResult", childRelid: r, openId: r, status: 0 });
    }
    expect(g.state.gpadls.map((x) => [x.handle, x.relid])).toEqual([[H0, 2], [H0 + 1, 1]]);
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 3 });
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 4 });
    expect(g.state.modifyPending).toEqual([{ relid: 1, targetVp: 4 }, { relid: 2, targetVp: 3 }]);
  });
});

describe("wait announcements", () => {
  it("a step announces only the waits it began", () => {
    const g = connected(Version.WIN10_V5_3, [1]);
    driver(g, { kind: "openChannel", relid: 1, sendPages: 1, recvPages: 1 });
    const before = g.outputs.length;
    postAll(g);
    const waits = g.outputs.slice(before).filter((o) => o.kind === "wait");
    expect(waits).toEqual([{ kind: "wait", wait: { for: "GpadlCreated", relid: 1, gpadl: H0 } }]);
    const again = host(g, { type: "GpadlCreated", childRelid: 1, gpadl: H0 + 7, creationStatus: 0 });
    expect(again.filter((o) => o.kind === "wait")).toEqual([]);
  });
});
