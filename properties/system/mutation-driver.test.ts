/**
 * The guest's drivers as a script (spec/system/driver.ts) on hand-built guest states: which
 * driver actions are enabled (open up to `cycles` times, buffers, MODIFYCHANNEL from 4.1, close
 * — never a sub-channel alone, GUEST-CLOSE-2 —, buffer teardown after close, UNLOAD when idle),
 * which channels may be signalled (SYS-SIGNAL-1), and the bookkeeping of each step.
 */
import { describe, expect, it } from "vitest";
import type { DriverAction } from "../../spec/guest/io.js";
import { initialGuestState } from "../../spec/guest/guest.js";
import type { ChannelPhase, GuestChannel, GuestGpadl, GuestState } from "../../spec/guest/state.js";
import { DEFAULT_DRIVER, type DriverScript } from "../../spec/system/config.js";
import { enabledDriverActions, INITIAL_DRIVER, MODIFY_TARGET_VP, recordDriverAction, recordSignal, signallable } from "../../spec/system/driver.js";
import type { DriverProgress } from "../../spec/system/state.js";
import { Version } from "../../spec/wire/versions.js";
import { checkConfig } from "../../src/explore/check.js";
import { connectedGuest, guestChannel, guestGpadl } from "../support/guest-states.js";

const base = checkConfig({ profile: "strict", channels: 1, gpadls: 0, depth: 0, maxStates: 0, hostile: false });
const GUID_A = "00000000-0000-0000-0000-00000000000a";
const channel = (relid: number, phase: ChannelPhase, sub = 0, instance = GUID_A): GuestChannel => guestChannel(relid, phase, sub, instance);
const OPENED: ChannelPhase = { name: "opened", gpadl: 0xe1e10 };
const OFFERED: ChannelPhase = { name: "offered" };
const gpadl = guestGpadl;
const guest = (g: Partial<GuestState> = {}): GuestState =>
  connectedGuest(base.guest, { channels: [channel(1, OPENED, 0, GUID_A), channel(2, OFFERED, 0, "00000000-0000-0000-0000-00000000000b")], gpadls: [gpadl(0xe1e10, 1, "ring", "created")], ...g });
const script = (o: Partial<DriverScript> = {}): DriverScript => ({ ...DEFAULT_DRIVER, channels: 2, ...o });
const progress = (o: Partial<DriverProgress> = {}): DriverProgress => ({ ...INITIAL_DRIVER, opened: [1], ...o });
const actions = (s: DriverScript, p: DriverProgress, g: GuestState) => enabledDriverActions(s, p, g);
const ofKind = (xs: readonly DriverAction[], kind: DriverAction["kind"]) => xs.filter((x) => x.kind === kind);

describe("enabledDriverActions", () => {
  it("open: only a channel in phase offered, whatever the count of opens so far", () => {
    // Channel 1 is open although the bookkeeping counts no open of it (a hand-built state): no second OPENCHANNEL.
    expect(ofKind(actions(script({ cycles: 2 }), progress({ opened: [] }), guest({ channels: [channel(1, OPENED)] })), "openChannel")).toEqual([]);
  });

  it("nothing unless the guest is connected and UNLOAD was not asked for", () => {
    expect(actions(script(), progress(), guest()).length).toBeGreaterThan(0);
    for (const phase of ["connecting", "disconnecting", "unloaded", "failed"] as const) expect(actions(script(), progress(), guest({ phase }))).toEqual([]);
    expect(actions(script(), progress({ unloadRequested: true }), guest())).toEqual([]);
  });

  it("open: each offered channel among the first `channels`, with the script's ring pages, up to `cycles` times", () => {
    const s = script({ ringPages: { send: 3, recv: 5 }, close: false, signal: false });
    expect(ofKind(actions(s, progress(), guest()), "openChannel")).toEqual([{ kind: "openChannel", relid: 2, sendPages: 3, recvPages: 5 }]);
    // Only the first channel is a target with channels: 1.
    expect(ofKind(actions({ ...s, channels: 1 }, progress({ opened: [] }), guest({ channels: [channel(1, OFFERED), channel(2, OFFERED)] })), "openChannel")).toEqual([
      { kind: "openChannel", relid: 1, sendPages: 3, recvPages: 5 },
    ]);
    // Opened (and closed) once: a second open only with cycles 2.
    const again = guest({ channels: [channel(1, OFFERED)], gpadls: [] });
    expect(ofKind(actions(s, progress({ opened: [1], closed: [1] }), again), "openChannel")).toEqual([]);
    expect(ofKind(actions({ ...s, cycles: 2 }, progress({ opened: [1], closed: [1] }), again), "openChannel")).toHaveLength(1);
    expect(ofKind(actions({ ...s, cycles: 2 }, progress({ opened: [1, 1], closed: [1, 1] }), again), "openChannel")).toEqual([]);
  });

  it("buffers: a GPADL on an opened channel while fewer than `buffers` were made and none of its own is being created", () => {
    const s = script({ buffers: 2, bufferPages: 7, close: false });
    expect(ofKind(actions(s, progress(), guest()), "createGpadl")).toEqual([{ kind: "createGpadl", relid: 1, pages: 7 }]);
    expect(ofKind(actions(s, progress({ buffers: [{ relid: 1, made: 1 }] }), guest()), "createGpadl")).toHaveLength(1);
    expect(ofKind(actions(s, progress({ buffers: [{ relid: 1, made: 2 }] }), guest()), "createGpadl")).toEqual([]);
    // Another channel's count does not count for this one.
    expect(ofKind(actions(s, progress({ buffers: [{ relid: 2, made: 2 }] }), guest()), "createGpadl")).toHaveLength(1);
    const creating = (relid: number) => guest({ gpadls: [gpadl(0xe1e10, 1, "ring", "created"), gpadl(0xe1e11, relid, "buffer", "creating")] });
    expect(ofKind(actions(s, progress(), creating(1)), "createGpadl")).toEqual([]);
    expect(ofKind(actions(s, progress(), creating(2)), "createGpadl")).toHaveLength(1);
    expect(ofKind(actions(script({ close: false }), progress(), guest()), "createGpadl")).toEqual([]);
  });

  it("MODIFYCHANNEL: once per channel, none pending for it, from version 4.1 (WIN10_V4_1), to MODIFY_TARGET_VP", () => {
    const s = script({ modify: true, close: false });
    const mods = (p: DriverProgress, g: GuestState) => ofKind(actions(s, p, g), "modifyChannel");
    expect(MODIFY_TARGET_VP).toBe(1);
    expect(mods(progress(), guest())).toEqual([{ kind: "modifyChannel", relid: 1, targetVp: 1 }]);
    expect(mods(progress(), guest({ version: Version.WIN10_V4_1 }))).toHaveLength(1);
    expect(mods(progress(), guest({ version: Version.WIN10 }))).toEqual([]);
    expect(mods(progress(), guest({ version: null }))).toEqual([]);
    expect(mods(progress({ modified: [1] }), guest())).toEqual([]);
    expect(mods(progress({ modified: [2] }), guest())).toHaveLength(1);
    expect(mods(progress(), guest({ modifyPending: [{ relid: 1, targetVp: 1 }] }))).toEqual([]);
    expect(mods(progress(), guest({ modifyPending: [{ relid: 2, targetVp: 1 }] }))).toHaveLength(1);
    expect(ofKind(actions(script({ modify: false }), progress(), guest()), "modifyChannel")).toEqual([]);
  });

  it("close: an opened channel closed fewer times than opened, no GPADL of its own being created, not a sub-channel (GUEST-CLOSE-2)", () => {
    const closes = (s: DriverScript, p: DriverProgress, g: GuestState) => ofKind(actions(s, p, g), "closeChannel");
    expect(closes(script(), progress(), guest())).toEqual([{ kind: "closeChannel", relid: 1 }]);
    expect(closes(script({ close: false }), progress(), guest())).toEqual([]);
    expect(closes(script(), progress({ closed: [1] }), guest())).toEqual([]);
    expect(closes(script(), progress({ opened: [1, 1], closed: [1] }), guest())).toHaveLength(1);
    expect(closes(script(), progress(), guest({ gpadls: [gpadl(0xe1e11, 1, "buffer", "creating")] }))).toEqual([]);
    expect(closes(script(), progress(), guest({ gpadls: [gpadl(0xe1e11, 2, "buffer", "creating")] }))).toHaveLength(1);
    // A sub-channel (index 1 of channel 1's device) is opened but never closed alone; its primary is.
    const sub = guest({ channels: [channel(1, OPENED, 0), channel(2, OPENED, 1)] });
    expect(closes(script(), progress({ opened: [1, 2] }), sub)).toEqual([{ kind: "closeChannel", relid: 1 }]);
    // A channel with a sub-channel index but no primary offered is closed like a primary.
    const orphan = guest({ channels: [channel(1, OPENED, 0, GUID_A), channel(2, OPENED, 1, "00000000-0000-0000-0000-00000000000b")] });
    expect(closes(script(), progress({ opened: [1, 2] }), orphan)).toHaveLength(2);
  });

  it("buffer teardown: each created buffer GPADL of a channel offered again after its close (netvsc order)", () => {
    const g = guest({
      channels: [channel(1, OFFERED), channel(2, OFFERED)],
      gpadls: [gpadl(0xe1e11, 1, "buffer", "created"), gpadl(0xe1e12, 1, "ring", "created"), gpadl(0xe1e13, 1, "buffer", "tearingDown"), gpadl(0xe1e14, 2, "buffer", "created"), gpadl(0xe1e15, 1, "buffer", "created")],
    });
    const tear = (p: DriverProgress, gs: GuestState) => ofKind(actions(script({ cycles: 1 }), p, gs), "teardownGpadl");
    expect(tear(progress({ closed: [1] }), g)).toEqual([
      { kind: "teardownGpadl", gpadl: 0xe1e11 },
      { kind: "teardownGpadl", gpadl: 0xe1e15 },
    ]);
    expect(tear(progress({ closed: [] }), g)).toEqual([]);
    // Still open: nothing torn down yet.
    expect(tear(progress({ opened: [1, 1], closed: [1] }), guest({ gpadls: [gpadl(0xe1e11, 1, "buffer", "created")] }))).toEqual([]);
  });

  it("UNLOAD: only when every offer arrived, nothing is queued or awaited, no GPADL exists and every channel is offered", () => {
    const idle = guest({ channels: [channel(1, OFFERED), channel(2, OFFERED)], gpadls: [] });
    const unload = (g: GuestState, s = script()) => ofKind(actions(s, progress({ opened: [1], closed: [1] }), g), "unload");
    expect(unload(idle)).toEqual([{ kind: "unload" }]);
    expect(unload(idle, script({ unload: false }))).toEqual([]);
    expect(unload({ ...idle, allOffersDelivered: false })).toEqual([]);
    expect(unload({ ...idle, outbox: [{ lane: 0, connectionId: 4, message: { type: "RequestOffers" }, attempts: 0 }] })).toEqual([]);
    // From 5.3 a MODIFYCHANNEL awaits its response (guestWaits).
    expect(unload({ ...idle, version: Version.WIN10_V5_3 })).toHaveLength(1);
    expect(unload({ ...idle, version: Version.WIN10_V5_3, modifyPending: [{ relid: 1, targetVp: 1 }] })).toEqual([]);
    expect(unload({ ...idle, gpadls: [gpadl(0xe1e11, 1, "buffer", "created")] })).toEqual([]);
    expect(unload({ ...idle, channels: [channel(1, OFFERED), channel(2, OPENED)] })).toEqual([]);
    expect(unload({ ...idle, channels: [channel(1, { name: "closing", gpadl: 0xe1e10 }), channel(2, OFFERED)] })).toEqual([]);
  });
});

describe("signallable (SYS-SIGNAL-1)", () => {
  it("opened channels signalled fewer times than opened, only when the script signals and the guest is connected", () => {
    const g = guest({ channels: [channel(1, OPENED), channel(2, OPENED), channel(3, OFFERED)] });
    expect(signallable(script(), progress({ opened: [1, 2, 3] }), g)).toEqual([1, 2]);
    expect(signallable(script(), progress({ opened: [1, 2, 3], signalled: [2] }), g)).toEqual([1]);
    expect(signallable(script(), progress({ opened: [1, 1, 2], signalled: [1, 2] }), g)).toEqual([1]);
    expect(signallable(script({ signal: false }), progress({ opened: [1, 2] }), g)).toEqual([]);
    expect(signallable(script(), progress({ opened: [1, 2] }), { ...g, phase: "disconnecting" })).toEqual([]);
  });
});

describe("recordDriverAction / recordSignal", () => {
  it("open, close and signal add one sorted entry per time; modify once; teardown changes nothing; unload marks the request", () => {
    const p = progress({ opened: [3], closed: [3], signalled: [3] });
    expect(recordDriverAction(p, { kind: "openChannel", relid: 1, sendPages: 2, recvPages: 2 }).opened).toEqual([1, 3]);
    expect(recordDriverAction(p, { kind: "openChannel", relid: 3, sendPages: 2, recvPages: 2 }).opened).toEqual([3, 3]);
    expect(recordDriverAction(p, { kind: "openChannel", relid: 10, sendPages: 2, recvPages: 2 }).opened).toEqual([3, 10]);
    expect(recordDriverAction(p, { kind: "closeChannel", relid: 2 }).closed).toEqual([2, 3]);
    expect(recordSignal(p, 12).signalled).toEqual([3, 12]);
    expect(recordSignal(p, 3)).toEqual({ ...p, signalled: [3, 3] });
    const m = recordDriverAction(p, { kind: "modifyChannel", relid: 5, targetVp: 1 });
    expect(m).toEqual({ ...p, modified: [5] });
    expect(recordDriverAction(m, { kind: "modifyChannel", relid: 5, targetVp: 1 }).modified).toEqual([5]);
    expect(recordDriverAction(m, { kind: "modifyChannel", relid: 4, targetVp: 1 }).modified).toEqual([4, 5]);
    expect(recordDriverAction(p, { kind: "teardownGpadl", gpadl: 0xe1e11 })).toBe(p);
    expect(recordDriverAction(p, { kind: "unload" })).toEqual({ ...p, unloadRequested: true });
  });

  it("createGpadl counts buffers per relid, kept sorted by relid", () => {
    let p = progress();
    p = recordDriverAction(p, { kind: "createGpadl", relid: 10, pages: 1 });
    p = recordDriverAction(p, { kind: "createGpadl", relid: 3, pages: 1 });
    p = recordDriverAction(p, { kind: "createGpadl", relid: 7, pages: 1 });
    expect(p.buffers.map((b) => b.relid)).toEqual([3, 7, 10]);
    p = recordDriverAction(p, { kind: "createGpadl", relid: 10, pages: 1 });
    expect(p.buffers).toEqual([
      { relid: 3, made: 1 },
      { relid: 7, made: 1 },
      { relid: 10, made: 2 },
    ]);
    expect(p.opened).toEqual([1]);
  });

  it("INITIAL_DRIVER: nothing done yet", () => {
    expect(INITIAL_DRIVER).toEqual({ opened: [], modified: [], closed: [], signalled: [], buffers: [], unloadRequested: false });
  });
});
