/**
 * Linux's details (drivers/hv/connection.c, channel.c, channel_mgmt.c, vmbus_drv.c): the
 * kernel's version list (GUEST-VERSION-6), which INITIATE_CONTACT failures are retried
 * (GUEST-VERSION-2, GUEST-POST-1), UNLOAD after a failed post (GUEST-UNLOAD-2), the ignored
 * AVMA/RDV/IMC offers (GUEST-OFFER-5) and MODIFYCHANNEL (GUEST-MODIFY-1/2/3).
 */
import { describe, expect, it } from "vitest";
import { LINUX_KERNEL_VERSIONS } from "../../spec/guest/config.js";
import { LINUX_UNSUPPORTED_DEVICES } from "../../spec/guest/guest.js";
import { guestView } from "../../spec/guest/view.js";
import { HvStatus } from "../../spec/wire/constants.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { connected, driver, guest, host, offer, post1, postAll, rules, types, versionResponse } from "./harness.js";

const requested = (m: Message): number => (m.type === "InitiateContact" ? m.vmbusVersionRequested : -1);

describe("GUEST-VERSION-6: the version list is the kernel's", () => {
  it("mainline starts at 6.0, Debian's 6.1 and 6.12 at 5.3; both end at 2.4", () => {
    expect(LINUX_KERNEL_VERSIONS.mainline[0]).toBe(Version.WIN10_V6_0);
    expect(LINUX_KERNEL_VERSIONS["debian-6.1"][0]).toBe(Version.WIN10_V5_3);
    expect(LINUX_KERNEL_VERSIONS["debian-6.12"]).toEqual(LINUX_KERNEL_VERSIONS["debian-6.1"]);
    expect(LINUX_KERNEL_VERSIONS.mainline.slice(1)).toEqual(LINUX_KERNEL_VERSIONS["debian-6.1"]);
    expect(LINUX_KERNEL_VERSIONS.mainline.at(-1)).toBe(Version.WIN8);
  });
  it("a Debian 6.1 guest against QEMU 7.2 tries 5.3, 5.2, 5.1, 5.0 (refused in the hypercall), then 4.1 and 4.0 — as in the real log", () => {
    const g = guest({ versions: LINUX_KERNEL_VERSIONS["debian-6.1"] });
    for (let i = 0; i < 4; i++) post1(g, HvStatus.INVALID_CONNECTION_ID);
    post1(g);
    host(g, versionResponse(false, 0));
    post1(g);
    host(g, versionResponse(true, 0));
    expect(g.posted.map((p) => [requested(p.message), p.connectionId])).toEqual([
      [0x50003, 4], [0x50002, 4], [0x50001, 4], [0x50000, 4], [0x40001, 1], [0x40000, 1],
    ]);
    expect(guestView(g.state).phase).toBe("connected");
  });
});

describe("GUEST-VERSION-2 / GUEST-POST-1: which INITIATE_CONTACT failures are retried", () => {
  it("INVALID_CONNECTION_ID: the next version at once", () => {
    const g = guest();
    post1(g, HvStatus.INVALID_CONNECTION_ID);
    expect(rules(g.outputs)).toContain("GUEST-VERSION-2");
    expect(requested(g.state.outbox[0]!.message)).toBe(Version.WIN10_V5_3);
  });
  it("INSUFFICIENT_BUFFERS / INSUFFICIENT_MEMORY: the same INITIATE_CONTACT is retried, up to 100 times", () => {
    const g = guest();
    for (let i = 0; i < 100; i++) post1(g, i % 2 ? HvStatus.INSUFFICIENT_MEMORY : HvStatus.INSUFFICIENT_BUFFERS);
    expect(g.posted.every((p) => requested(p.message) === Version.WIN10_V6_0)).toBe(true);
    expect(rules(g.outputs)).not.toContain("GUEST-VERSION-2");
    expect(requested(g.state.outbox[0]!.message)).toBe(Version.WIN10_V6_0);
    post1(g, HvStatus.INSUFFICIENT_BUFFERS); // the 101st failure gives up on this version
    expect(rules(g.outputs)).toContain("GUEST-VERSION-2");
  });
  it("the retry bound is a parameter (the model checker uses 2)", () => {
    const g = guest({ postRetries: 2 });
    for (let i = 0; i < 3; i++) post1(g, HvStatus.INSUFFICIENT_BUFFERS);
    expect(g.posted).toHaveLength(3);
    expect(requested(g.state.outbox[0]!.message)).toBe(Version.WIN10_V5_3);
  });
});

describe("GUEST-UNLOAD-2: a failed UNLOAD post still waits for UNLOAD_RESPONSE", () => {
  it("the guest keeps waiting, and UNLOAD_RESPONSE then completes the unload", () => {
    const g = connected(Version.WIN10);
    driver(g, { kind: "unload" });
    post1(g, HvStatus.INVALID_HYPERCALL_INPUT);
    expect(rules(g.outputs)).toContain("GUEST-UNLOAD-2");
    expect(guestView(g.state).waits).toEqual([{ for: "UnloadResponse" }]);
    host(g, { type: "UnloadResponse" });
    expect(guestView(g.state).phase).toBe("unloaded");
  });
});

describe("GUEST-OFFER-5: AVMA, RDV and IMC offers are ignored", () => {
  it.each(LINUX_UNSUPPORTED_DEVICES)("%s: no channel, nothing posted", (guid) => {
    const g = connected(Version.WIN10, []);
    const before = g.posted.length;
    const out = host(g, { ...offer(5), interfaceType: guid } as Message);
    expect(rules(out)).toEqual(["GUEST-OFFER-5"]);
    expect(guestView(g.state).offeredRelids).toEqual([]);
    postAll(g);
    expect(g.posted).toHaveLength(before);
  });
  it("another interface type is taken", () => {
    const g = connected(Version.WIN10, []);
    host(g, offer(5));
    expect(guestView(g.state).offeredRelids).toEqual([5]);
  });
});

const H = 0xe1e10;
const openedAt = (version: number, relids: readonly number[]) => {
  const g = connected(version, relids);
  relids.forEach((r, i) => {
    driver(g, { kind: "openChannel", relid: r, sendPages: 2, recvPages: 2 });
    postAll(g);
    host(g, { type: "GpadlCreated", childRelid: r, gpadl: H + i, creationStatus: 0 });
    postAll(g);
    host(g, { type: "OpenChannelResult", childRelid: r, openId: r, status: 0 });
  });
  return g;
};

describe("MODIFYCHANNEL (GUEST-MODIFY-1/2/3)", () => {
  it("GUEST-MODIFY-3: no post when the target VP is the current one", () => {
    const g = openedAt(Version.WIN10_V5_3, [1]);
    const before = g.posted.length;
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 0 });
    postAll(g);
    expect(g.posted).toHaveLength(before);
    expect(guestView(g.state).waits).toEqual([]);
  });
  it("GUEST-MODIFY-1: modifies on different channels are in flight together; a second one on the same channel is refused", () => {
    const g = openedAt(Version.WIN10_V5_3, [1, 2]);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    driver(g, { kind: "modifyChannel", relid: 2, targetVp: 1 });
    expect(rules(driver(g, { kind: "modifyChannel", relid: 1, targetVp: 2 }))).toEqual(["GUEST-DRIVER-1"]);
    postAll(g);
    expect(types(g).slice(-2)).toEqual(["ModifyChannel", "ModifyChannel"]);
    expect(guestView(g.state).waits).toEqual([{ for: "ModifyChannelResponse", relid: 1 }, { for: "ModifyChannelResponse", relid: 2 }]);
    host(g, { type: "ModifyChannelResponse", childRelid: 2, status: 0 });
    expect(guestView(g.state).waits).toEqual([{ for: "ModifyChannelResponse", relid: 1 }]);
    expect(g.state.channels.find((c) => c.relid === 2)!.targetVp).toBe(1);
  });
  it("GUEST-MODIFY-2: a non-zero status is an error the driver sees; the target stays", () => {
    const g = openedAt(Version.WIN10_V5_3, [1]);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    postAll(g);
    const out = host(g, { type: "ModifyChannelResponse", childRelid: 1, status: 0x8000ffff });
    expect(out.filter((o) => o.kind === "failed").map((o) => ("rule" in o ? o.rule : ""))).toEqual(["GUEST-MODIFY-2"]);
    expect(g.state.channels[0]!.targetVp).toBe(0);
    expect(guestView(g.state).waits).toEqual([]);
    // The same target can be asked for again (it did not change).
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    postAll(g);
    expect(types(g).at(-1)).toBe("ModifyChannel");
  });
  it("below 5.3 the retarget is done once posted (no response)", () => {
    const g = openedAt(Version.WIN10_V4_1, [1]);
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    postAll(g);
    expect(g.state.channels[0]!.targetVp).toBe(1);
    expect(g.state.modifyPending).toEqual([]);
    const before = g.posted.length;
    driver(g, { kind: "modifyChannel", relid: 1, targetVp: 1 });
    expect(g.posted).toHaveLength(before);
  });
});
