/**
 * The system's guestSignal and guestCrash steps (spec/system/system.ts) on hand-built states:
 * HvSignalEvent on a channel the host has not open is answered with the host's status
 * (HOST-SIG-3 INVALID_CONNECTION_ID, SYS-HCALL-1) and reported as not open on the host
 * (SYS-SIGNAL-1 judges only signals to open channels); the step is total without a guest; and a
 * crashing guest posts UNLOAD only from version 3.0 (Linux vmbus_initiate_unload).
 */
import { describe, expect, it } from "vitest";
import { initialGuestState } from "../../spec/guest/guest.js";
import type { GuestChannel, GuestState } from "../../spec/guest/state.js";
import type { SystemOutput } from "../../spec/system/outputs.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { Version } from "../../spec/wire/versions.js";
import { checkConfig } from "../../src/explore/check.js";

const config = checkConfig({ profile: "strict", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: false });
const s0 = specSystem.initial(config);
const channel: GuestChannel = {
  relid: 1,
  interfaceType: "00000000-0000-0000-0000-000000000001",
  interfaceInstance: "00000000-0000-0000-0000-000000000002",
  subChannelIndex: 0,
  signalConnectionId: 0x2001,
  targetVp: 0,
  phase: { name: "opened", gpadl: 0xe1e10 },
};
const connected = (version: number): GuestState => ({ ...initialGuestState(config.guest), phase: "connected", version, messageConnectionId: 1, channels: [channel] });
const transport = (outs: readonly SystemOutput[]) => outs.flatMap((o) => (o.source === "transport" ? [o.event] : []));

describe("guestSignal (SYS-HCALL-1, SYS-SIGNAL-1)", () => {
  it("a signal to a channel the host has not open: HOST-SIG-3, INVALID_CONNECTION_ID, hostOpen false", () => {
    const r = specSystem.step(config, { ...s0, guest: connected(Version.WIN10_V5) }, { kind: "guestSignal", relid: 1 });
    expect(r.outputs.some((o) => o.source === "host" && o.output.kind === "rejected" && o.output.rule === "HOST-SIG-3")).toBe(true);
    expect(transport(r.outputs)).toEqual([{ kind: "signal", relid: 1, connectionId: 0x2001, status: HvStatus.INVALID_CONNECTION_ID, hostOpen: false }]);
  });

  it("without a guest (hostile guest from boot) the step changes nothing", () => {
    const hostile = checkConfig({ profile: "qemu", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: true, hostilePosts: 1 });
    const s = specSystem.initial(hostile);
    expect(s.guest).toBeNull();
    expect(specSystem.step(hostile, s, { kind: "guestSignal", relid: 1 })).toEqual({ state: s, outputs: [] });
  });
});

describe("guestCrash", () => {
  it("UNLOAD is posted on crash from 3.0 (WIN8_1), not by a guest connected at 2.4", () => {
    const posts = (version: number) => transport(specSystem.step(config, { ...s0, guest: connected(version) }, { kind: "guestCrash" }).outputs).filter((e) => e.kind === "post");
    expect(posts(Version.WIN8)).toEqual([]);
    expect(posts(Version.WIN8_1)).toMatchObject([{ kind: "post", messageType: 16 }]);
  });
});
