/**
 * The composed system's transport (spec/system/system.ts) step by step, against a host that
 * records what it is told and answers what the test says: when each input is enabled, what each
 * step hands the host and the guest, the slot and its PENDING flag (SYS-SLOT-1), hypercall
 * statuses (SYS-HCALL-1), signals (SYS-SIGNAL-1), the SynIC (HOST-RUN-6), crash and kdump, and
 * the hostile guest's arming and budget.
 */
import { describe, expect, it } from "vitest";
import { initialGuestState } from "../../spec/guest/guest.js";
import type { GuestChannel, GuestState } from "../../spec/guest/state.js";
import type { HostInput, HostOutput } from "../../spec/host/interface.js";
import type { HostileStart, SystemConfig } from "../../spec/system/config.js";
import { INITIAL_DRIVER } from "../../spec/system/driver.js";
import type { HostModel, HostView } from "../../spec/system/host-model.js";
import type { HostileCatalogueEntry } from "../../spec/system/hostile.js";
import type { SystemInput } from "../../spec/system/inputs.js";
import type { SystemOutput } from "../../spec/system/outputs.js";
import type { PostedMessage, SystemState } from "../../spec/system/state.js";
import { createSystem, liveIds, reachedStart } from "../../spec/system/system.js";
import { checkConfig } from "../../src/explore/check.js";

interface FakeConfig {
  readonly runnable: boolean;
  /** The host's outputs for an input (default: status 0 for hypercalls, nothing else). */
  readonly answer?: (i: HostInput) => readonly HostOutput[];
}
interface FakeHost {
  readonly log: readonly HostInput[];
  readonly view: HostView;
}
const VIEW: HostView = { connected: true, version: 0x00050000, offeredRelids: [1, 3], openChannels: [{ relid: 1, gpadl: 0xe1e10 }], gpadls: [], messageInFlight: false, queuedIncoming: 0 };
const hypercalls = (i: HostInput): readonly HostOutput[] => (i.kind === "postMessage" || i.kind === "signalEvent" ? [{ kind: "hypercallStatus", status: 0 }] : []);
const fake: HostModel<FakeConfig, FakeHost> = {
  name: "fake",
  initial: () => ({ log: [], view: VIEW }),
  step: (c, s, i) => ({ state: { ...s, log: [...s.log, i] }, outputs: (c.answer ?? hypercalls)(i) }),
  runnable: (c) => c.runnable,
  view: (s) => s.view,
  invariants: () => [],
};
const sys = createSystem(fake);
const base = checkConfig({ profile: "strict", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: false });
const cfg = (o: Partial<SystemConfig<FakeConfig>> & { host?: FakeConfig } = {}): SystemConfig<FakeConfig> => ({ ...base, host: { runnable: false }, ...o });
const CATALOGUE: readonly HostileCatalogueEntry[] = [
  { label: "UNLOAD", connectionId: 1, payloadSize: 8, payload: "1000000000000000" },
  { label: "RESUME", connectionId: 4, payloadSize: 8, payload: "1d00000000000000" },
];
const hostileCfg = (start: HostileStart, o: { posts?: number; live?: boolean; synic?: boolean } = {}) =>
  cfg({ hostile: { catalogue: CATALOGUE, live: o.live ?? false, posts: o.posts ?? 2, start, synic: o.synic ?? false } });

const channel = (relid: number, phase: GuestChannel["phase"]): GuestChannel => ({
  relid,
  interfaceType: "00000000-0000-0000-0000-000000000000",
  interfaceInstance: "00000000-0000-0000-0000-000000000000",
  subChannelIndex: 0,
  signalConnectionId: 0x2000 + relid,
  targetVp: 0,
  phase,
});
const connected = (g: Partial<GuestState> = {}): GuestState => ({
  ...initialGuestState(base.guest),
  phase: "connected",
  version: 0x00050000,
  messageConnectionId: 4,
  outbox: [],
  channels: [channel(1, { name: "opened", gpadl: 0xe1e10 }), channel(3, { name: "offered" })],
  ...g,
});
const msg = (type: number, tag = 0): PostedMessage => ({
  kind: "postMessage",
  message: { type: "AllOffersDelivered" },
  bytes: type.toString(16).padStart(2, "0") + "000000" + tag.toString(16).padStart(8, "0"),
  payloadSize: 8,
  targetVp: 0,
  sint: 2,
});
const state = (o: Partial<SystemState<FakeHost>> = {}, view: Partial<HostView> = {}): SystemState<FakeHost> => ({
  ...sys.initial(cfg()),
  guest: connected(),
  host: { log: [], view: { ...VIEW, ...view } },
  ...o,
});
const kinds = (e: readonly SystemInput[]) => e.map((x) => x.kind);
const events = (outs: readonly SystemOutput[]) => outs.flatMap((o) => (o.source === "transport" ? [o.event] : []));
const SYNIC_ON = { messagePage: true, sintMasked: false };
const SYNIC_CRASHED = { messagePage: false, sintMasked: true };

describe("initial", () => {
  it("a well-behaved guest, an empty transport, SynIC on, no crash; with a hostile guest from boot: no guest, armed", () => {
    const s = sys.initial(cfg());
    expect(s).toEqual({ guest: initialGuestState(base.guest), host: { log: [], view: VIEW }, slot: null, inFlight: [], driver: INITIAL_DRIVER, rescinded: [], hostile: { armed: false, posts: 0 }, synic: SYNIC_ON, crash: "none" });
    expect(sys.initial(hostileCfg("boot"))).toMatchObject({ guest: null, hostile: { armed: true, posts: 0 } });
    expect(sys.initial(hostileCfg("connected"))).toMatchObject({ guest: initialGuestState(base.guest), hostile: { armed: false, posts: 0 } });
  });
});

describe("enabled", () => {
  it("the fresh guest posts INITIATE_CONTACT on lane 0; hostRun only while the host is runnable", () => {
    expect(sys.enabled(cfg(), sys.initial(cfg()))).toEqual([{ kind: "guestPost", lane: 0 }]);
    expect(sys.enabled(cfg({ host: { runnable: true } }), sys.initial(cfg()))).toEqual([{ kind: "guestPost", lane: 0 }, { kind: "hostRun" }]);
  });

  it("a connected guest: driver actions and the signal of its opened channel (SYS-SIGNAL-1), once per open", () => {
    const s = state({ driver: { ...INITIAL_DRIVER, opened: [1] } });
    const e = sys.enabled(cfg(), s);
    expect(e.filter((x) => x.kind === "guestSignal")).toEqual([{ kind: "guestSignal", relid: 1 }]);
    expect(e.some((x) => x.kind === "driver")).toBe(true);
    expect(sys.enabled(cfg(), { ...s, driver: { ...s.driver, signalled: [1] } }).some((x) => x.kind === "guestSignal")).toBe(false);
  });

  it("deliver: a host message in flight and no PENDING flag on the slot", () => {
    const slot = (pending: boolean) => ({ payloadSize: 8, payload: "0400000000000000", pending });
    const has = (s: SystemState<FakeHost>) => kinds(sys.enabled(cfg(), s)).includes("deliver");
    expect(has(state({ inFlight: [msg(4)] }))).toBe(true);
    expect(has(state({ inFlight: [msg(4)], slot: slot(false) }))).toBe(true);
    expect(has(state({ inFlight: [msg(4)], slot: slot(true) }))).toBe(false);
    expect(has(state({ inFlight: [] }))).toBe(false);
  });

  it("guestReceive (HOST-RUN-6): a full slot, the message page enabled, the SINT unmasked, the guest not crashed", () => {
    const slot = { payloadSize: 8, payload: "0400000000000000", pending: false };
    const has = (o: Partial<SystemState<FakeHost>>) => kinds(sys.enabled(cfg(), state({ slot, ...o }))).includes("guestReceive");
    expect(has({})).toBe(true);
    expect(has({ slot: null })).toBe(false);
    expect(has({ synic: { messagePage: false, sintMasked: false } })).toBe(false);
    expect(has({ synic: { messagePage: true, sintMasked: true } })).toBe(false);
    expect(has({ crash: "crashed" })).toBe(false);
    expect(has({ crash: "rebooted" })).toBe(true);
    // With no well-behaved guest (hostile from boot) the slot is still read.
    expect(has({ guest: null })).toBe(true);
  });

  it("rescind: each offered relid not yet rescinded, while fewer rescinds than configured happened", () => {
    const r = (s: SystemState<FakeHost>, rescinds: number) => sys.enabled(cfg({ rescinds }), s).filter((x) => x.kind === "rescind");
    expect(r(state(), 0)).toEqual([]);
    expect(r(state(), 1)).toEqual([{ kind: "rescind", relid: 1 }, { kind: "rescind", relid: 3 }]);
    expect(r(state({ rescinded: [1] }), 2)).toEqual([{ kind: "rescind", relid: 3 }]);
    expect(r(state({ rescinded: [1] }), 1)).toEqual([]);
  });

  it("guestCrash: the script allows it, the guest is connected, has not crashed, and no hostile guest is armed", () => {
    const crash = cfg({ driver: { ...base.driver, crash: true } });
    const has = (c: SystemConfig<FakeConfig>, o: Partial<SystemState<FakeHost>>) => kinds(sys.enabled(c, state(o))).includes("guestCrash");
    expect(has(crash, {})).toBe(true);
    expect(has(cfg(), {})).toBe(false);
    expect(has(crash, { crash: "rebooted" })).toBe(false);
    expect(has(crash, { guest: connected({ phase: "disconnecting" }) })).toBe(false);
    expect(has(crash, { hostile: { armed: true, posts: 0 } })).toBe(false);
  });

  it("a crashed guest: only the kdump kernel's boot (and the host's own work)", () => {
    const s = state({ crash: "crashed", guest: initialGuestState(base.guest), driver: { ...INITIAL_DRIVER, opened: [1] } });
    expect(sys.enabled(cfg(), s)).toEqual([{ kind: "kdumpBoot" }]);
    expect(sys.enabled(cfg({ host: { runnable: true } }), s)).toEqual([{ kind: "kdumpBoot" }, { kind: "hostRun" }]);
  });

  it("hostile posts: armed and within budget; every catalogue entry, live ones with `live`, SynIC changes with `synic`", () => {
    const armed = (posts: number) => state({ guest: null, hostile: { armed: true, posts } });
    const hp = (c: SystemConfig<FakeConfig>, s: SystemState<FakeHost>) => sys.enabled(c, s).filter((x) => x.kind === "hostilePost" || x.kind === "hostileSynic");
    expect(hp(hostileCfg("boot"), armed(1))).toEqual(CATALOGUE.map((e) => ({ kind: "hostilePost", ...e })));
    expect(hp(hostileCfg("boot"), armed(2))).toEqual([]);
    expect(hp(hostileCfg("boot"), state({ hostile: { armed: false, posts: 0 } }))).toEqual([]);
    const live = hp(hostileCfg("boot", { live: true }), armed(0)).slice(CATALOGUE.length);
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((x) => x.kind === "hostilePost" && x.label.startsWith("live "))).toBe(true);
    // Only the SynIC actions that change something.
    expect(hp(hostileCfg("boot", { synic: true }), armed(0)).slice(CATALOGUE.length)).toEqual([
      { kind: "hostileSynic", action: "disableMessagePage" },
      { kind: "hostileSynic", action: "maskSint" },
    ]);
    const off = { ...armed(0), synic: SYNIC_CRASHED };
    expect(hp(hostileCfg("boot", { synic: true }), off).slice(CATALOGUE.length)).toEqual([
      { kind: "hostileSynic", action: "enableMessagePage" },
      { kind: "hostileSynic", action: "unmaskSint" },
    ]);
  });

  it("mixed mode: once armed, the driver script stops (the guest still posts what it queued)", () => {
    const s = state({ hostile: { armed: true, posts: 0 }, driver: { ...INITIAL_DRIVER, opened: [1] } });
    const e = sys.enabled(hostileCfg("connected"), s);
    expect(e.some((x) => x.kind === "driver")).toBe(false);
    expect(sys.enabled(hostileCfg("connected"), { ...s, hostile: { armed: false, posts: 0 } }).some((x) => x.kind === "driver")).toBe(true);
  });
});

describe("step: deliver (SYS-SLOT-1, HOST-RUN-6)", () => {
  it("into a free slot: delivered, the host told so", () => {
    const r = sys.step(cfg(), state({ inFlight: [msg(4, 7), msg(4, 8)] }), { kind: "deliver" });
    expect(events(r.outputs)).toEqual([{ kind: "delivered", messageType: 4, payloadSize: 8, payload: msg(4, 7).bytes }]);
    expect(r.state.slot).toEqual({ payloadSize: 8, payload: msg(4, 7).bytes, pending: false });
    expect(r.state.inFlight).toEqual([msg(4, 8)]);
    expect(r.state.host.log).toEqual([{ kind: "deliveryResult", result: "delivered" }]);
  });

  it("into a full slot: PENDING set, the message stays in flight, the host is not told", () => {
    const slot = { payloadSize: 8, payload: "0100000000000000", pending: false };
    const r = sys.step(cfg(), state({ inFlight: [msg(4)], slot }), { kind: "deliver" });
    expect(events(r.outputs)).toEqual([{ kind: "slotBusy", messageType: 4 }]);
    expect(r.state.slot).toEqual({ ...slot, pending: true });
    expect(r.state.inFlight).toEqual([msg(4)]);
    expect(r.state.host.log).toEqual([]);
    // PENDING already set: nothing happens.
    const again = sys.step(cfg(), r.state, { kind: "deliver" });
    expect(again.outputs).toEqual([]);
    expect(again.state).toEqual(r.state);
  });

  it("with the message page disabled: -ENXIO, a fatal delivery result, the message gone", () => {
    const r = sys.step(cfg(), state({ inFlight: [msg(4), msg(10)], synic: { messagePage: false, sintMasked: false } }), { kind: "deliver" });
    expect(events(r.outputs)).toEqual([{ kind: "deliveryFailed", messageType: 4, status: -6 }]);
    expect(r.state.inFlight).toEqual([msg(10)]);
    expect(r.state.slot).toBeNull();
    expect(r.state.host.log).toEqual([{ kind: "deliveryResult", result: "fatal" }]);
  });

  it("nothing in flight: nothing happens", () => {
    const s = state();
    const r = sys.step(cfg(), s, { kind: "deliver" });
    expect(r).toEqual({ state: s, outputs: [] });
  });
});

describe("step: guestReceive", () => {
  it("the guest handles the slot's message (a type-30 message is dropped under GUEST-MSG-1), the slot is freed without EOM", () => {
    const r = sys.step(cfg(), state({ slot: { payloadSize: 8, payload: "1e00000000000000", pending: false }, inFlight: [msg(4)] }), { kind: "guestReceive" });
    expect(r.outputs.some((o) => o.source === "guest" && o.output.kind === "dropped" && o.output.rule === "GUEST-MSG-1")).toBe(true);
    expect(events(r.outputs)).toEqual([{ kind: "slotFreed", eom: false }]);
    expect(r.state.slot).toBeNull();
    expect(r.state.inFlight).toEqual([msg(4)]);
    expect(r.state.host.log).toEqual([]);
  });

  it("PENDING: EOM, the waiting message goes back to the host as slotBusy, and what the host re-posts goes first", () => {
    const repost = msg(4, 0x99);
    const c = cfg({ host: { runnable: false, answer: (i) => (i.kind === "deliveryResult" ? [repost] : []) } });
    const r = sys.step(c, state({ slot: { payloadSize: 8, payload: "0100000000000000", pending: true }, inFlight: [msg(4, 1), msg(4, 2)] }), { kind: "guestReceive" });
    expect(events(r.outputs)).toEqual([{ kind: "slotFreed", eom: true }]);
    expect(r.state.host.log).toEqual([{ kind: "deliveryResult", result: "slotBusy" }]);
    expect(r.state.inFlight).toEqual([repost, msg(4, 2)]);
    expect(r.state.slot).toBeNull();
  });

  it("without a well-behaved guest the slot is freed all the same; an empty slot: nothing happens", () => {
    const r = sys.step(cfg(), state({ guest: null, slot: { payloadSize: 8, payload: "0400000000000000", pending: false } }), { kind: "guestReceive" });
    expect(r.state.guest).toBeNull();
    expect(r.state.slot).toBeNull();
    const s = state();
    expect(sys.step(cfg(), s, { kind: "guestReceive" })).toEqual({ state: s, outputs: [] });
  });
});

describe("step: posts (SYS-HCALL-1)", () => {
  it("guestPost: the lane's head goes to the host as a VMBus HvPostMessage; its status goes back to the guest", () => {
    const s = sys.initial(cfg());
    const r = sys.step(cfg(), s, { kind: "guestPost", lane: 0 });
    const sent = r.state.host.log[0]!;
    const head = s.guest!.outbox[0]!;
    expect(sent).toMatchObject({ kind: "postMessage", connectionId: head.connectionId, messageType: 1 });
    expect(sent.kind === "postMessage" && sent.payloadSize * 2).toBe(sent.kind === "postMessage" && sent.payload.length);
    expect(events(r.outputs)).toEqual([{ kind: "post", connectionId: head.connectionId, messageType: 14, payloadSize: sent.kind === "postMessage" ? sent.payloadSize : -1, payload: sent.kind === "postMessage" ? sent.payload : "", status: 0 }]);
    expect(r.state.guest!.outbox).toEqual([]);
  });

  it("a host that does not answer the hypercall: INVALID_HYPERCALL_INPUT (3), which the guest sees", () => {
    const c = cfg({ host: { runnable: false, answer: () => [] } });
    const r = sys.step(c, sys.initial(c), { kind: "guestPost", lane: 0 });
    expect(events(r.outputs).map((e) => e.kind === "post" && e.status)).toEqual([3]);
    // A refused INITIATE_CONTACT stays in the outbox (the guest retries).
    expect(r.state.guest!.outbox.length).toBe(1);
    const busy = cfg({ host: { runnable: false, answer: () => [{ kind: "hypercallStatus", status: 19 }] } });
    expect(events(sys.step(busy, sys.initial(busy), { kind: "guestPost", lane: 0 }).outputs).map((e) => e.kind === "post" && e.status)).toEqual([19]);
  });

  it("guestPost on an empty lane, or without a guest: nothing happens", () => {
    const s = state();
    expect(sys.step(cfg(), s, { kind: "guestPost", lane: 0 })).toEqual({ state: s, outputs: [] });
    const n = state({ guest: null });
    expect(sys.step(cfg(), n, { kind: "guestPost", lane: 0 })).toEqual({ state: n, outputs: [] });
  });

  it("hostilePost: its bytes as given, counted against the budget; the event names the bytes' message type", () => {
    const s = state({ guest: null, hostile: { armed: true, posts: 1 } });
    const r = sys.step(hostileCfg("boot"), s, { kind: "hostilePost", ...CATALOGUE[1]! });
    expect(r.state.host.log).toEqual([{ kind: "postMessage", connectionId: 4, messageType: 1, payloadSize: 8, payload: "1d00000000000000" }]);
    expect(events(r.outputs)).toEqual([{ kind: "post", connectionId: 4, messageType: 29, payloadSize: 8, payload: "1d00000000000000", status: 0 }]);
    expect(r.state.hostile).toEqual({ armed: true, posts: 2 });
    const odd = sys.step(hostileCfg("boot"), s, { kind: "hostilePost", label: "odd", connectionId: 1, payloadSize: 1, payload: "zz" });
    expect(events(odd.outputs).map((e) => e.kind === "post" && e.messageType)).toEqual([0]);
  });
});

describe("step: signals, rescinds, host runs, driver actions", () => {
  it("guestSignal (SYS-SIGNAL-1): HvSignalEvent on the offer's connection id, flag 0; status and whether the host has it open", () => {
    const r = sys.step(cfg(), state(), { kind: "guestSignal", relid: 1 });
    expect(r.state.host.log).toEqual([{ kind: "signalEvent", connectionId: 0x2001, flagNumber: 0 }]);
    expect(events(r.outputs)).toEqual([{ kind: "signal", relid: 1, connectionId: 0x2001, status: 0, hostOpen: true }]);
    expect(r.state.driver.signalled).toEqual([1]);
    const closed = sys.step(cfg({ host: { runnable: false, answer: () => [] } }), state(), { kind: "guestSignal", relid: 3 });
    expect(events(closed.outputs)).toEqual([{ kind: "signal", relid: 3, connectionId: 0x2003, status: 3, hostOpen: false }]);
    const s = state();
    expect(sys.step(cfg(), s, { kind: "guestSignal", relid: 2 })).toEqual({ state: s, outputs: [] });
  });

  it("rescind: the host is told, the relid recorded (sorted)", () => {
    const r1 = sys.step(cfg({ rescinds: 2 }), state(), { kind: "rescind", relid: 3 });
    const r2 = sys.step(cfg({ rescinds: 2 }), r1.state, { kind: "rescind", relid: 1 });
    expect(r2.state.rescinded).toEqual([1, 3]);
    expect(r2.state.host.log).toEqual([{ kind: "rescindChannel", relid: 3 }, { kind: "rescindChannel", relid: 1 }]);
  });

  it("hostRun: the host runs once; what it posts goes in flight after what is there, its outputs are reported", () => {
    const c = cfg({ host: { runnable: true, answer: (i) => (i.kind === "run" ? [msg(4, 2)] : []) } });
    const r = sys.step(c, state({ inFlight: [msg(4, 1)] }), { kind: "hostRun" });
    expect(r.state.host.log).toEqual([{ kind: "run" }]);
    expect(r.state.inFlight).toEqual([msg(4, 1), msg(4, 2)]);
    expect(r.outputs).toEqual([{ source: "host", output: msg(4, 2) }]);
  });

  it("driver: the guest acts and the driver progress records it; without a guest nothing happens", () => {
    const r = sys.step(cfg(), state(), { kind: "driver", action: { kind: "closeChannel", relid: 1 } });
    expect(r.state.driver.closed).toEqual([1]);
    expect(r.state.guest!.channels.find((c) => c.relid === 1)!.phase.name).not.toBe("opened");
    const n = state({ guest: null });
    expect(sys.step(cfg(), n, { kind: "driver", action: { kind: "closeChannel", relid: 1 } })).toEqual({ state: n, outputs: [] });
  });
});

describe("step: crash, kdump, the hostile SynIC", () => {
  const crashCfg = cfg({ driver: { ...base.driver, crash: true } });
  it("guestCrash from 3.0: UNLOAD on the guest's message connection, the slot drained with EOM, SynIC off; the guest starts afresh", () => {
    const c = cfg({ driver: { ...base.driver, crash: true }, host: { runnable: false, answer: (i) => (i.kind === "postMessage" ? [{ kind: "hypercallStatus", status: 0 }] : i.kind === "deliveryResult" ? [msg(4, 5)] : []) } });
    const s = state({ guest: connected({ version: 0x00030000 }), driver: { ...INITIAL_DRIVER, opened: [1] }, slot: { payloadSize: 8, payload: "0100000000000000", pending: true }, inFlight: [msg(4, 1), msg(4, 2)] });
    const r = sys.step(c, s, { kind: "guestCrash" });
    expect(events(r.outputs)).toEqual([
      { kind: "post", connectionId: 4, messageType: 16, payloadSize: 8, payload: "1000000000000000", status: 0 },
      { kind: "slotFreed", eom: true },
      { kind: "synic", ...SYNIC_CRASHED },
    ]);
    expect(r.state.host.log).toEqual([
      { kind: "postMessage", connectionId: 4, messageType: 1, payloadSize: 8, payload: "1000000000000000" },
      { kind: "deliveryResult", result: "slotBusy" },
    ]);
    expect(r.state.inFlight).toEqual([msg(4, 2), msg(4, 5)]);
    expect(r.state).toMatchObject({ guest: initialGuestState(base.guest), driver: INITIAL_DRIVER, synic: SYNIC_CRASHED, crash: "crashed", slot: null });
  });

  it("guestCrash below 3.0: no UNLOAD; a slot without PENDING is freed without EOM; an empty slot is left alone", () => {
    const r = sys.step(crashCfg, state({ guest: connected({ version: 0x00020004 }), slot: { payloadSize: 8, payload: "0100000000000000", pending: false } }), { kind: "guestCrash" });
    expect(events(r.outputs)).toEqual([{ kind: "slotFreed", eom: false }, { kind: "synic", ...SYNIC_CRASHED }]);
    expect(r.state.host.log).toEqual([]);
    const e = sys.step(crashCfg, state({ guest: connected({ version: 0x00020004 }) }), { kind: "guestCrash" });
    expect(events(e.outputs)).toEqual([{ kind: "synic", ...SYNIC_CRASHED }]);
  });

  it("guestCrash when already crashed or rebooted, or without a guest: nothing happens", () => {
    for (const s of [state({ crash: "crashed" }), state({ crash: "rebooted" }), state({ guest: null })]) expect(sys.step(crashCfg, s, { kind: "guestCrash" })).toEqual({ state: s, outputs: [] });
  });

  it("kdumpBoot: SynIC on again, the crash is over; only after a crash", () => {
    const r = sys.step(crashCfg, state({ crash: "crashed", synic: SYNIC_CRASHED }), { kind: "kdumpBoot" });
    expect(events(r.outputs)).toEqual([{ kind: "synic", ...SYNIC_ON }]);
    expect(r.state).toMatchObject({ synic: SYNIC_ON, crash: "rebooted" });
    const s = state();
    expect(sys.step(crashCfg, s, { kind: "kdumpBoot" })).toEqual({ state: s, outputs: [] });
  });

  it("hostileSynic: each action sets its one field, reports the SynIC, and counts against the budget", () => {
    const c = hostileCfg("boot", { synic: true });
    const s = state({ guest: null, hostile: { armed: true, posts: 0 } });
    const run = (action: "disableMessagePage" | "enableMessagePage" | "maskSint" | "unmaskSint", synic = SYNIC_ON) => sys.step(c, { ...s, synic }, { kind: "hostileSynic", action });
    expect(run("disableMessagePage").state.synic).toEqual({ messagePage: false, sintMasked: false });
    expect(run("maskSint").state.synic).toEqual({ messagePage: true, sintMasked: true });
    expect(run("enableMessagePage", SYNIC_CRASHED).state.synic).toEqual({ messagePage: true, sintMasked: true });
    expect(run("unmaskSint", SYNIC_CRASHED).state.synic).toEqual({ messagePage: false, sintMasked: false });
    expect(events(run("maskSint").outputs)).toEqual([{ kind: "synic", messagePage: true, sintMasked: true }]);
    expect(run("maskSint").state.hostile).toEqual({ armed: true, posts: 1 });
  });
});

describe("the hostile guest's start point (mixed mode)", () => {
  const g0 = initialGuestState(base.guest);
  it("reachedStart: boot at once; connected; open (a channel opened); closed (a closed channel offered again, its CLOSECHANNEL posted)", () => {
    const s = (o: Partial<SystemState<FakeHost>>) => state(o);
    expect(reachedStart("boot", s({ guest: null }))).toBe(true);
    expect(reachedStart("connected", s({ guest: g0 }))).toBe(false);
    expect(reachedStart("connected", s({ guest: null }))).toBe(false);
    expect(reachedStart("connected", s({}))).toBe(true);
    expect(reachedStart("open", s({}))).toBe(true);
    expect(reachedStart("open", s({ guest: null }))).toBe(false);
    expect(reachedStart("open", s({ guest: connected({ channels: [channel(1, { name: "opening", gpadl: 1, sendPages: 2 })] }) }))).toBe(false);
    const offered = connected({ channels: [channel(1, { name: "offered" })] });
    expect(reachedStart("closed", s({ guest: offered, driver: { ...INITIAL_DRIVER, closed: [1] } }))).toBe(true);
    expect(reachedStart("closed", s({ guest: offered, driver: { ...INITIAL_DRIVER, closed: [2] } }))).toBe(false);
    expect(reachedStart("closed", s({ guest: offered }))).toBe(false);
    expect(reachedStart("closed", s({ guest: null, driver: { ...INITIAL_DRIVER, closed: [1] } }))).toBe(false);
    expect(reachedStart("closed", s({ guest: connected(), driver: { ...INITIAL_DRIVER, closed: [1] } }))).toBe(false);
    const queued = { ...offered, outbox: [{ lane: 1, connectionId: 1, message: { type: "CloseChannel" as const, childRelid: 1 }, attempts: 0 }] };
    expect(reachedStart("closed", s({ guest: queued, driver: { ...INITIAL_DRIVER, closed: [1] } }))).toBe(false);
    const otherQueued = { ...offered, outbox: [{ lane: 0, connectionId: 1, message: { type: "Unload" as const }, attempts: 0 }] };
    expect(reachedStart("closed", s({ guest: otherQueued, driver: { ...INITIAL_DRIVER, closed: [1] } }))).toBe(true);
  });

  it("a step arms the hostile guest once the start is reached, and it stays armed; without a hostile guest nothing is armed", () => {
    const c = hostileCfg("connected");
    const r = sys.step(c, state({ guest: connected(), hostile: { armed: false, posts: 0 } }), { kind: "hostRun" });
    expect(r.state.hostile).toEqual({ armed: true, posts: 0 });
    const later = sys.step(c, { ...r.state, guest: g0 }, { kind: "hostRun" });
    expect(later.state.hostile.armed).toBe(true);
    expect(sys.step(c, state({ guest: g0 }), { kind: "hostRun" }).state.hostile.armed).toBe(false);
    expect(sys.step(cfg(), state(), { kind: "hostRun" }).state.hostile.armed).toBe(false);
  });

  it("liveIds: the relids offered or open on the host (sorted, once each) and its GPADLs", () => {
    const v: HostView = { ...VIEW, offeredRelids: [5, 2], openChannels: [{ relid: 7, gpadl: 9 }, { relid: 2, gpadl: 8 }], gpadls: [{ id: 9, childRelid: 7, complete: true, state: "alive" }] };
    expect(liveIds(v)).toEqual({ relids: [2, 5, 7], gpadls: [{ id: 9, childRelid: 7 }] });
    expect(liveIds({ ...v, offeredRelids: [10, 9] , openChannels: [] }).relids).toEqual([9, 10]);
  });
});
