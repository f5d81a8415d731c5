/**
 * The system's hypercall glue (spec/system/system.ts) where the host says more than the status:
 * a post the host rejects carries the status the host answered (SYS-HCALL-1), not the first of
 * its outputs; and mixed mode's "closed" start point counts a channel closed and offered again
 * although other channels are still open.
 */
import { describe, expect, it } from "vitest";
import { initialGuestState } from "../../spec/guest/guest.js";
import type { GuestChannel } from "../../spec/guest/state.js";
import { hostileCatalogue } from "../../spec/system/hostile.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { reachedStart } from "../../spec/system/system.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { checkConfig } from "../../src/explore/check.js";
import { guestChannel } from "../support/guest-states.js";

describe("SYS-HCALL-1: the post's status is the host's hypercall status", () => {
  it("a post to an unknown connection is rejected (HOST-HC-3) and answered INVALID_CONNECTION_ID", () => {
    const config = checkConfig({ profile: "qemu", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true, hostilePosts: 1 });
    const e = hostileCatalogue({ knownRelid: 1, lengths: false }).find((x) => x.connectionId === 0x7777)!;
    const r = specSystem.step(config, specSystem.initial(config), { kind: "hostilePost", ...e });
    const host = r.outputs.flatMap((o) => (o.source === "host" ? [o.output.kind] : []));
    expect(host.indexOf("rejected")).toBeLessThan(host.indexOf("hypercallStatus"));
    const post = r.outputs.find((o) => o.source === "transport" && o.event.kind === "post");
    expect(post).toMatchObject({ event: { kind: "post", connectionId: 0x7777, status: HvStatus.INVALID_CONNECTION_ID } });
  });
});

describe("mixed mode start point 'closed'", () => {
  it("reached when one closed channel is offered again while another is still open", () => {
    const config = checkConfig({ profile: "strict", channels: 2, gpadls: 0, depth: 0, maxStates: 0, hostile: false });
    const s0 = specSystem.initial(config);
    const ch = guestChannel;
    const guest = { ...initialGuestState(config.guest), phase: "connected" as const, channels: [ch(1, { name: "offered" }), ch(2, { name: "opened", gpadl: 0xe1e10 })] };
    const s = { ...s0, guest, driver: { ...s0.driver, opened: [1, 2], closed: [1] } };
    expect(reachedStart("closed", s)).toBe(true);
    expect(reachedStart("closed", { ...s, driver: { ...s.driver, closed: [] } })).toBe(false);
  });
});
