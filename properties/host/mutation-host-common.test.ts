/**
 * The shared host machinery (spec/host/common.ts) seen from outside: the VP range check every
 * profile uses, device resets (vmbus_dev_reset: channel closes, then one reset per device) and
 * GPADL reference counting across a reset.
 */
import { describe, expect, it } from "vitest";
import type { Message } from "../../spec/wire/messages.js";
import { answer, connected, createGpadl, openMsg, openWithRings } from "./helpers.js";

const openResult = (posted: Message[]): number | undefined => {
  const r = posted.find((m) => m.type === "OpenChannelResult");
  return r && r.type === "OpenChannelResult" ? r.status : undefined;
};

describe("vpExists: VPs 0..vcpuCount-1", () => {
  it("HOST-OPEN-6: strict opens on the last VP and refuses VP vcpuCount", () => {
    const h = connected("strict"); // vcpuCount 2
    createGpadl(h, 1, 7, 4);
    createGpadl(h, 2, 8, 4);
    createGpadl(h, 3, 9, 4);
    expect(openResult(answer(h, openMsg(1, 7, 2, 1)).posted)).toBe(0);
    for (const vp of [2, 3]) {
      const r = answer(h, openMsg(vp, vp + 6, 2, vp));
      expect(openResult(r.posted)).toBe(0x8000ffff);
      expect(r.rejected).toEqual(["HOST-OPEN-6"]);
    }
  });
});

describe("HOST-RESET-1: device resets", () => {
  it.each(["qemu", "strict"] as const)("%s: open channels are closed, then each device is reset once on its primary channel; every GPADL is freed", (profile) => {
    const h = connected(profile);
    openWithRings(h, [[2, 7], [3, 8]]);
    createGpadl(h, 1, 9, 4); // created, not used
    const out = h.step({ kind: "reset" }).filter((o) => o.kind === "deviceNotify");
    expect(out).toEqual([
      { kind: "deviceNotify", relid: 2, reason: "closed" },
      { kind: "deviceNotify", relid: 1, reason: "reset" },
      { kind: "deviceNotify", relid: 3, reason: "closed" },
      { kind: "deviceNotify", relid: 3, reason: "reset" },
    ]);
    expect(h.state.gpadls).toEqual([]);
    expect(h.state.channels.map((ch) => [ch.relid, ch.state, ch.isOpen])).toEqual([[1, "init", false], [2, "init", false], [3, "init", false]]);
    // a second reset finds nothing open
    expect(h.step({ kind: "reset" }).filter((o) => o.kind === "deviceNotify").map((o) => o.kind === "deviceNotify" && o.reason)).toEqual(["reset", "reset"]);
  });
});
