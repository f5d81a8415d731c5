/**
 * The SYS-* invariants and step findings (spec/system/invariants.ts) on hand-built states and
 * outputs: each rule's condition, its boundary and the guards that switch it off. A host model
 * whose state is its view lets a test say exactly what the host believes.
 */
import { describe, expect, it } from "vitest";
import type { GuestChannel, GuestGpadl, GuestState } from "../../spec/guest/state.js";
import type { HostModel, HostView } from "../../spec/system/host-model.js";
import { checkInvariants, deadlock, stepViolations } from "../../spec/system/invariants.js";
import type { SystemOutput } from "../../spec/system/outputs.js";
import type { SystemState } from "../../spec/system/state.js";
import { INITIAL_DRIVER } from "../../spec/system/driver.js";
import { checkConfig } from "../../src/explore/check.js";
import type { SystemConfig } from "../../spec/system/config.js";

interface FakeHost {
  readonly view: HostView;
  readonly invariants: readonly { readonly rule: string; readonly message: string }[];
}
const fake: HostModel<null, FakeHost> = {
  name: "fake",
  initial: () => ({ view: hostView(), invariants: [] }),
  step: (_c, s) => ({ state: s, outputs: [] }),
  runnable: () => false,
  view: (s) => s.view,
  invariants: (_c, s) => s.invariants,
};
const hostView = (v: Partial<HostView> = {}): HostView => ({
  connected: true,
  version: 0x00050000,
  offeredRelids: [1],
  openChannels: [{ relid: 1, gpadl: 0xe1e10 }],
  gpadls: [{ id: 0xe1e10, childRelid: 1, complete: true, state: "alive" }],
  messageInFlight: false,
  queuedIncoming: 0,
  ...v,
});
const base = checkConfig({ profile: "strict", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: false });
const config: SystemConfig<null> = { ...base, host: null };

const channel = (relid: number, phase: GuestChannel["phase"]): GuestChannel => ({
  relid,
  interfaceType: "00000000-0000-0000-0000-000000000000",
  interfaceInstance: "00000000-0000-0000-0000-000000000000",
  subChannelIndex: 0,
  signalConnectionId: 0x10000 + relid,
  targetVp: 0,
  phase,
});
const gpadl = (handle: number, relid: number, state: GuestGpadl["state"] = "created"): GuestGpadl => ({ handle, relid, purpose: "ring", pages: 4, state });
const guest = (g: Partial<GuestState> = {}): GuestState => ({
  phase: "connected",
  candidate: 0,
  requestedVersion: 0x00050000,
  version: 0x00050000,
  messageConnectionId: 1,
  allOffersDelivered: true,
  channels: [channel(1, { name: "opened", gpadl: 0xe1e10 })],
  gpadls: [gpadl(0xe1e10, 1)],
  nextGpadl: 0xe1e11,
  outbox: [],
  modifyPending: [],
  ...g,
});
const state = (o: { guest?: GuestState | null; host?: Partial<HostView>; hostInv?: FakeHost["invariants"]; slot?: SystemState<FakeHost>["slot"]; posts?: number; rescinded?: number[]; unloadRequested?: boolean } = {}): SystemState<FakeHost> => ({
  guest: o.guest === undefined ? guest() : o.guest,
  host: { view: hostView(o.host), invariants: o.hostInv ?? [] },
  slot: o.slot ?? null,
  inFlight: [],
  driver: { ...INITIAL_DRIVER, unloadRequested: o.unloadRequested ?? false },
  rescinded: o.rescinded ?? [],
  hostile: { armed: false, posts: o.posts ?? 0 },
  synic: { messagePage: true, sintMasked: false },
  crash: "none",
});
const rules = (s: SystemState<FakeHost>): string[] => checkInvariants(fake, config, s).map((v) => v.rule);

describe("checkInvariants", () => {
  it("an agreeing guest and host: no violation", () => {
    expect(checkInvariants(fake, config, state())).toEqual([]);
  });

  it("the host's own invariants are reported under their rule IDs, as invariant violations", () => {
    expect(checkInvariants(fake, config, state({ hostInv: [{ rule: "HOST-X-1", message: "m" }] }))).toEqual([{ kind: "invariant", rule: "HOST-X-1", message: "m" }]);
  });

  it("SYS-SLOT-1: a slot over 240 bytes, by its size or by its bytes; 240 is fine", () => {
    const slot = (size: number, bytes: number) => ({ payloadSize: size, payload: "00".repeat(bytes), pending: false });
    expect(rules(state({ slot: slot(240, 240) }))).toEqual([]);
    expect(rules(state({ slot: slot(241, 240) }))).toEqual(["SYS-SLOT-1"]);
    expect(rules(state({ slot: slot(240, 241) }))).toEqual(["SYS-SLOT-1"]);
    expect(checkInvariants(fake, config, state({ slot: slot(241, 240) }))[0]!.kind).toBe("invariant");
  });

  it("SYS-SLOT-1 holds with a hostile guest too (posts > 0, or no well-behaved guest)", () => {
    const slot = { payloadSize: 241, payload: "00", pending: false };
    expect(rules(state({ slot, posts: 1 }))).toEqual(["SYS-SLOT-1"]);
    expect(rules(state({ slot, guest: null }))).toEqual(["SYS-SLOT-1"]);
  });

  it("SYS-OPEN-1: the guest believes a channel open that the host has closed or opened on another GPADL", () => {
    expect(rules(state({ host: { openChannels: [] } }))).toEqual(["SYS-OPEN-1"]);
    expect(rules(state({ host: { openChannels: [{ relid: 1, gpadl: 0xe1e11 }] } }))).toEqual(["SYS-OPEN-1"]);
    expect(rules(state({ host: { openChannels: [{ relid: 2, gpadl: 0xe1e10 }] } }))).toEqual(["SYS-OPEN-1"]);
    // Not a channel the guest believes open: no claim.
    expect(rules(state({ guest: guest({ channels: [channel(1, { name: "closing", gpadl: 0xe1e10 })] }), host: { openChannels: [] } }))).toEqual([]);
  });

  it("SYS-OPEN-1 / SYS-GPADL-1 do not bind a rescinded channel, nor one the host no longer offers", () => {
    const host = { openChannels: [], gpadls: [] };
    expect(rules(state({ host }))).toEqual(["SYS-OPEN-1", "SYS-GPADL-1"]);
    expect(rules(state({ host, rescinded: [1] }))).toEqual([]);
    expect(rules(state({ host: { ...host, offeredRelids: [2] } }))).toEqual([]);
    expect(rules(state({ host, rescinded: [2] }))).toEqual(["SYS-OPEN-1", "SYS-GPADL-1"]);
  });

  it("SYS-GPADL-1: the guest believes a GPADL created that the host lacks or has incomplete", () => {
    expect(rules(state({ host: { gpadls: [] } }))).toEqual(["SYS-GPADL-1"]);
    expect(rules(state({ host: { gpadls: [{ id: 0xe1e10, childRelid: 1, complete: false, state: "alive" }] } }))).toEqual(["SYS-GPADL-1"]);
    expect(rules(state({ host: { gpadls: [{ id: 0xe1e99, childRelid: 1, complete: true, state: "alive" }] } }))).toEqual(["SYS-GPADL-1"]);
    // A GPADL the guest is still creating: no claim.
    expect(rules(state({ guest: guest({ gpadls: [gpadl(0xe1e10, 1, "creating")] }), host: { gpadls: [] } }))).toEqual([]);
  });

  it("SYS-VERSION-1: a connected guest and a host not connected, or at another version", () => {
    expect(rules(state({ host: { connected: false } }))).toEqual(["SYS-VERSION-1"]);
    expect(rules(state({ host: { version: 0x00040000 } }))).toEqual(["SYS-VERSION-1"]);
    expect(rules(state({ host: { version: undefined } }))).toEqual(["SYS-VERSION-1"]);
    // Only while the guest is connected.
    const connecting = guest({ phase: "connecting", version: null, channels: [], gpadls: [] });
    expect(rules(state({ guest: connecting, host: { connected: false, openChannels: [], gpadls: [] } }))).toEqual([]);
    const disconnecting = guest({ phase: "disconnecting", channels: [], gpadls: [] });
    expect(rules(state({ guest: disconnecting, host: { version: 0x00040000 } }))).toEqual([]);
  });

  it("the agreement invariants are off once a hostile guest has posted, and without a well-behaved guest", () => {
    const host = { connected: false, openChannels: [], gpadls: [] };
    expect(rules(state({ host }))).toEqual(["SYS-OPEN-1", "SYS-GPADL-1", "SYS-VERSION-1"]);
    expect(rules(state({ host, posts: 1 }))).toEqual([]);
    expect(rules(state({ host, guest: null }))).toEqual([]);
  });

  it("SYS-UNLOAD-1: after an UNLOAD it asked for (version ≥ 3.0), the host keeps an open channel or a live GPADL", () => {
    const unloaded = guest({ phase: "unloaded", version: 0x00030000, channels: [], gpadls: [] });
    const s = (host: Partial<HostView>, o: { g?: GuestState; unloadRequested?: boolean } = {}) =>
      rules(state({ guest: o.g ?? unloaded, host, unloadRequested: o.unloadRequested ?? true }));
    expect(s({ openChannels: [], gpadls: [] })).toEqual([]);
    expect(s({ openChannels: [], gpadls: [{ id: 1, childRelid: 1, complete: true, state: "torndown" }] })).toEqual([]);
    expect(s({ openChannels: [], gpadls: [{ id: 1, childRelid: 1, complete: true, state: "alive" }] })).toEqual(["SYS-UNLOAD-1"]);
    expect(s({ openChannels: [{ relid: 1, gpadl: 1 }], gpadls: [] })).toEqual(["SYS-UNLOAD-1"]);
    // Not asked for, before 3.0 (no UNLOAD_RESPONSE), or not unloaded: no claim.
    expect(s({}, { unloadRequested: false })).toEqual([]);
    expect(s({}, { g: { ...unloaded, version: 0x0002000f } })).toEqual([]);
    expect(s({}, { g: { ...unloaded, version: null } })).toEqual([]);
    expect(s({ connected: false }, { g: { ...unloaded, phase: "failed" } })).toEqual([]);
  });
});

const post = (status: number): SystemOutput => ({ source: "transport", event: { kind: "post", connectionId: 1, messageType: 16, payloadSize: 8, payload: "1000000000000000", status } });
const hcall = (status = 0): SystemOutput => ({ source: "host", output: { kind: "hypercallStatus", status } as never });
const signal = (status: number, hostOpen: boolean): SystemOutput => ({ source: "transport", event: { kind: "signal", relid: 1, connectionId: 0x10001, status, hostOpen } });

describe("stepViolations", () => {
  it("SYS-HCALL-1: every post and signal gets exactly one hypercall status", () => {
    expect(stepViolations([])).toEqual([]);
    expect(stepViolations([hcall(), post(0)])).toEqual([]);
    expect(stepViolations([hcall(), signal(0, true)])).toEqual([]);
    expect(stepViolations([post(0)]).map((v) => [v.kind, v.rule])).toEqual([["invariant", "SYS-HCALL-1"]]);
    expect(stepViolations([signal(0, false)]).map((v) => v.rule)).toEqual(["SYS-HCALL-1"]);
    expect(stepViolations([hcall()]).map((v) => v.rule)).toEqual(["SYS-HCALL-1"]);
    expect(stepViolations([hcall(), hcall(), post(0)]).map((v) => v.rule)).toEqual(["SYS-HCALL-1"]);
    // Other transport events are not hypercalls.
    expect(stepViolations([{ source: "transport", event: { kind: "slotFreed", eom: true } }])).toEqual([]);
  });

  it("SYS-SIGNAL-1: a failed HvSignalEvent on a channel the host has open, under the guest's contract only", () => {
    expect(stepViolations([hcall(), signal(0x13, true)]).map((v) => [v.kind, v.rule])).toEqual([["invariant", "SYS-SIGNAL-1"]]);
    expect(stepViolations([hcall(), signal(0x13, false)])).toEqual([]);
    expect(stepViolations([hcall(), signal(0, true)])).toEqual([]);
    expect(stepViolations([hcall(), signal(0x13, true)], false)).toEqual([]);
    // A failed post is not a signal.
    expect(stepViolations([hcall(), post(0x13)])).toEqual([]);
  });

  it("SYS-HOSTMSG-1: a host message the guest drops is a finding under the guest's rule, under the guest's contract only", () => {
    const dropped: SystemOutput = { source: "guest", output: { kind: "dropped", rule: "GUEST-MSG-1", reason: "r" } as never };
    expect(stepViolations([dropped])).toEqual([{ kind: "invariant", rule: "GUEST-MSG-1", message: expect.any(String) }]);
    expect(stepViolations([dropped], false)).toEqual([]);
  });

  it("a host defect is a finding of kind defect with its rule and description, whatever the contract", () => {
    const defect: SystemOutput = { source: "host", output: { kind: "defect", rule: "HOST-QEMU-DEFECT-2", description: "d" } as never };
    const want = [{ kind: "defect", rule: "HOST-QEMU-DEFECT-2", message: "d" }];
    expect(stepViolations([defect])).toEqual(want);
    expect(stepViolations([defect], false)).toEqual(want);
    // A guest output or a transport event of another kind is not a defect.
    expect(stepViolations([{ source: "guest", output: { kind: "defect", rule: "X", description: "d" } as never }])).toEqual([]);
  });
});

describe("deadlock", () => {
  const waiting = guest({ phase: "connecting", version: null, channels: [], gpadls: [] });
  it("SYS-DEADLOCK-1: a waiting guest and nothing enabled", () => {
    const d = deadlock(state({ guest: waiting }), 0);
    expect(d).toMatchObject({ kind: "deadlock", rule: "SYS-DEADLOCK-1" });
    expect(d!.message).toContain("VersionResponse");
  });
  it("no deadlock while something is enabled, the guest waits for nothing, a hostile guest posted, or no well-behaved guest", () => {
    expect(deadlock(state({ guest: waiting }), 1)).toBeUndefined();
    expect(deadlock(state(), 0)).toBeUndefined();
    expect(deadlock(state({ guest: waiting, posts: 1 }), 0)).toBeUndefined();
    expect(deadlock(state({ guest: null }), 0)).toBeUndefined();
  });
});

describe("the findings' messages say what each side believes", () => {
  const msgs = (s: SystemState<FakeHost>) => checkInvariants(fake, config, s).map((v) => v.message);
  it("SYS-OPEN-1: the host's GPADL, or that it has the channel closed", () => {
    expect(msgs(state({ host: { openChannels: [{ relid: 1, gpadl: 0xe1e11 }] } }))[0]).toMatch(/channel 1 .*GPADL 925200.*uses GPADL 925201/);
    expect(msgs(state({ host: { openChannels: [] } }))[0]).toMatch(/has it closed/);
  });
  it("SYS-GPADL-1: incomplete, or missing", () => {
    expect(msgs(state({ host: { gpadls: [{ id: 0xe1e10, childRelid: 1, complete: false, state: "alive" }] } }))[0]).toMatch(/0xe1e10.*has it incomplete/);
    expect(msgs(state({ host: { gpadls: [] } }))[0]).toMatch(/0xe1e10.*does not have it/);
  });
  it("SYS-VERSION-1: the host's version, or that it is not connected", () => {
    expect(msgs(state({ host: { version: 0x00040000 } }))[0]).toMatch(/at 5\.0; host at 4\.0/);
    expect(msgs(state({ host: { connected: true, version: undefined } }))[0]).toMatch(/host at 0\.0/);
    expect(msgs(state({ host: { connected: false } }))[0]).toMatch(/not connected/);
  });
  it("SYS-UNLOAD-1: how many channels and GPADLs the host keeps", () => {
    const unloaded = guest({ phase: "unloaded", version: 0x00030000, channels: [], gpadls: [] });
    const m = msgs(state({ guest: unloaded, unloadRequested: true, host: { openChannels: [{ relid: 1, gpadl: 1 }, { relid: 2, gpadl: 2 }], gpadls: [] } }));
    expect(m[0]).toMatch(/2 open channel\(s\) and 0 GPADL/);
  });
  it("SYS-HCALL-1, SYS-SIGNAL-1, SYS-DEADLOCK-1", () => {
    expect(stepViolations([post(0), post(0), hcall()])[0]!.message).toMatch(/2 post\(s\) got 1 hypercall/);
    expect(stepViolations([hcall(), signal(0x13, true)])[0]!.message).toMatch(/connection id 65537 .*channel 1.*status 19/);
    const waiting = guest({ phase: "connecting", version: null, channels: [], gpadls: [] });
    expect(deadlock(state({ guest: { ...waiting, gpadls: [gpadl(5, 1, "creating")] } }), 0)!.message).toMatch(/VersionResponse, GpadlCreated/);
  });
});
