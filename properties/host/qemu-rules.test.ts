/**
 * Rules of the qemu profile (and of every profile) that no other test names: the malformed
 * hypercall input (HOST-HC-7), malformed inputs (HOST-IN-1), relid exhaustion (HOST-OFFER-8),
 * inputs naming no channel (HOST-DEV-1), the u32 ring split (HOST-QEMU-DEFECT-6), and each
 * state invariant (HOST-INV-1..5, -7), broken on purpose.
 */
import { describe, expect, it } from "vitest";
import { checkHostInvariants, hostStep, initialHostState, type HostConfig, type HostState } from "../../spec/host/host.js";
import type { HostInput } from "../../spec/host/interface.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { Harness, config, connected, createGpadl, openMsg } from "./helpers.js";

describe("HOST-HC-7: a post whose payload is not hex of at most 240 bytes", () => {
  it.each(["qemu", "strict"] as const)("%s: INVALID_HYPERCALL_INPUT, nothing queued", (profile) => {
    const h = new Harness(config(profile));
    for (const payload of ["zz", "0".repeat(481 * 2), "123"]) {
      expect(h.step({ kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 8, payload })).toContainEqual({ kind: "hypercallStatus", status: HvStatus.INVALID_HYPERCALL_INPUT });
    }
    expect(h.rejections()).toEqual(["HOST-HC-7", "HOST-HC-7", "HOST-HC-7"]);
    expect(h.state.rxQueue).toEqual([]);
  });
});

describe("HOST-IN-1: inputs without the HostInput shape", () => {
  it.each(["qemu", "strict"] as const)("%s: rejected, state unchanged", (profile) => {
    const cfg = config(profile);
    const s = initialHostState(cfg);
    for (const bad of [{ kind: "nope" }, { kind: "deliveryResult", result: "maybe" }, { kind: "deviceAdded", device: null }] as unknown as HostInput[]) {
      const r = hostStep(cfg, s, bad);
      expect(r.outputs.map((o) => (o.kind === "rejected" ? o.rule : o.kind))).toEqual(["HOST-IN-1"]);
      expect(r.state).toEqual(s);
    }
  });
});

describe("HOST-OFFER-8: a device whose channels cannot all get a relid is not realized", () => {
  const huge = { ...DEFAULT_DEVICES[1]!, name: "huge", subChannels: 2047 };
  it("qemu: at boot it has no channel; the others keep theirs", () => {
    const cfg: HostConfig = { profile: "qemu", devices: [DEFAULT_DEVICES[0]!, huge], vcpuCount: 1 };
    const s = initialHostState(cfg);
    expect(s.devices.map((d) => d.name)).toEqual([DEFAULT_DEVICES[0]!.name]);
  });
  it("strict: a hot-added one is rejected", () => {
    const h = connected("strict");
    h.step({ kind: "deviceAdded", device: huge });
    expect(h.rejections()).toEqual(["HOST-OFFER-8"]);
  });
});

describe("HOST-DEV-1: a device event naming no channel", () => {
  it("strict: rescinding an unknown relid is rejected", () => {
    const h = connected("strict");
    h.step({ kind: "rescindChannel", relid: 99 });
    expect(h.rejections()).toEqual(["HOST-DEV-1"]);
  });
});

describe("HOST-QEMU-DEFECT-6: the ring split check in u32", () => {
  it("downstream offset 0xFFFFFFFF passes QEMU's check: defect, the open fails with status 1", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 0xffffffff));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 1 }]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-6"]);
  });
});

describe("each host invariant names itself when broken", () => {
  const open = (): { cfg: HostConfig; s: HostState } => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    h.settle();
    expect(checkHostInvariants(h.cfg, h.state)).toEqual([]);
    return { cfg: h.cfg, s: h.state };
  };
  const rules = (cfg: HostConfig, s: HostState): string[] => [...new Set(checkHostInvariants(cfg, s).map((v) => v.rule))];
  it("HOST-INV-1: duplicate GPADL ids", () => {
    const { cfg, s } = open();
    expect(rules(cfg, { ...s, gpadls: [...s.gpadls, { ...s.gpadls[0]!, refcount: 0 }] })).toContain("HOST-INV-1");
  });
  it("HOST-INV-2: duplicate or out-of-range relids, a channel of no device", () => {
    const { cfg, s } = open();
    expect(rules(cfg, { ...s, channels: [...s.channels, { ...s.channels[1]!, relid: 1 }] })).toContain("HOST-INV-2");
    const others = s.channels.filter((c) => c.relid !== 3);
    const third = s.channels.find((c) => c.relid === 3)!;
    expect(rules(cfg, { ...s, channels: [...others, { ...third, relid: 2048 }] })).toEqual(["HOST-INV-2"]);
    expect(rules(cfg, { ...s, channels: [...others, { ...third, device: 9 }] })).toEqual(["HOST-INV-2"]);
  });
  it("HOST-INV-3: an open channel whose ring GPADL is gone or incomplete", () => {
    const { cfg, s } = open();
    expect(rules(cfg, { ...s, gpadls: [] })).toContain("HOST-INV-3");
    expect(rules(cfg, { ...s, gpadls: s.gpadls.map((g) => ({ ...g, expected: g.expected + 1 })) })).toContain("HOST-INV-3");
  });
  it("HOST-INV-4: a reference count that is not creation + users", () => {
    const { cfg, s } = open();
    expect(s.gpadls[0]!.refcount).toBe(2);
    expect(rules(cfg, { ...s, gpadls: s.gpadls.map((g) => ({ ...g, refcount: 1 })) })).toEqual(["HOST-INV-4"]);
  });
  it("HOST-INV-5: qemu's bus-state invariants", () => {
    const { cfg, s } = open();
    const posted = { kind: "postMessage" as const, message: { type: "AllOffersDelivered" as const }, bytes: "0400000000000000", payloadSize: 8, targetVp: 0, sint: 2 };
    expect(rules(cfg, { ...s, inFlight: posted })).toEqual(["HOST-INV-5"]);
    expect(rules(cfg, { ...s, channels: s.channels.map((c) => ({ ...c, offerState: "sending" as const })) })).toContain("HOST-INV-5");
    expect(rules(cfg, { ...s, channels: s.channels.map((c) => (c.relid === 2 ? { ...c, state: "opening" as const } : c)) })).toEqual(["HOST-INV-5"]);
  });
  it("HOST-INV-7: the incoming queue over its capacity", () => {
    const { cfg, s } = open();
    const q = { connectionId: 1, payloadSize: 8, payload: "0300000000000000" };
    expect(rules(cfg, { ...s, rxQueue: Array.from({ length: 17 }, () => q) })).toEqual(["HOST-INV-7"]);
  });
});
