/**
 * checkHostInvariants (spec/host/invariants.ts) at the edges its bounds draw: the last state that
 * is fine next to the first that is not, per rule, and the openvmm keying of GPADLs by
 * (id, channel) (HOST-OPENVMM-GPADL-1). qemu-rules.test.ts shows each rule fires at all.
 */
import { describe, expect, it } from "vitest";
import { checkHostInvariants, type HostConfig, type HostState } from "../../spec/host/host.js";
import { config, connected, createGpadl, openMsg } from "./helpers.js";

const rules = (cfg: HostConfig, s: HostState): string[] => [...new Set(checkHostInvariants(cfg, s).map((v) => v.rule))];
/** A host of `profile` with relid 1 open on GPADL 7 and GPADL 8 created on relid 2. */
const open = (profile: "qemu" | "strict"): HostState => {
  const h = connected(profile);
  createGpadl(h, 1, 7, 8);
  createGpadl(h, 2, 8, 4);
  h.send(openMsg(1, 7, 4));
  h.settle();
  expect(checkHostInvariants(h.cfg, h.state)).toEqual([]);
  return h.state;
};

describe("host invariants at their bounds", () => {
  it("HOST-INV-1: GPADL ids repeat only across channels under openvmm, never under strict", () => {
    const s = open("strict");
    const twin = { ...s, gpadls: [...s.gpadls, { ...s.gpadls.find((g) => g.id === 8)!, childRelid: 3 }] };
    expect(rules(config("strict"), twin)).toContain("HOST-INV-1");
    expect(rules(config("openvmm"), twin)).not.toContain("HOST-INV-1");
    const same = { ...s, gpadls: [...s.gpadls, s.gpadls.find((g) => g.id === 8)!] };
    expect(rules(config("openvmm"), same)).toContain("HOST-INV-1");
  });

  it("HOST-INV-2: relids 1 and 2047 are in range; 0 and a fraction are not", () => {
    const s = open("strict");
    const third = (relid: number) => ({ ...s, channels: s.channels.map((c) => (c.relid === 3 ? { ...c, relid } : c)) });
    expect(rules(config("strict"), third(2047))).toEqual([]);
    expect(rules(config("strict"), third(0))).toEqual(["HOST-INV-2"]);
    expect(rules(config("strict"), third(2.5))).toEqual(["HOST-INV-2"]);
  });

  it("HOST-INV-3: under openvmm the ring GPADL must be the channel's own; strict only needs the id", () => {
    const s = open("strict");
    const moved = { ...s, gpadls: s.gpadls.map((g) => (g.id === 7 ? { ...g, childRelid: 2 } : g)) };
    expect(rules(config("strict"), moved)).toEqual([]);
    expect(rules(config("openvmm"), moved)).toContain("HOST-INV-3");
    const exact = { ...s, gpadls: s.gpadls.map((g) => (g.id === 7 ? { ...g, expected: g.data.length } : g)) };
    expect(rules(config("strict"), exact)).toEqual([]);
  });

  it("HOST-INV-4: a torn-down GPADL with no user and refcount 0 is still reported (held with a zero count)", () => {
    const s = open("strict");
    const dead = { ...s, gpadls: s.gpadls.map((g) => (g.id === 8 ? { ...g, state: "torndown" as const, refcount: 0 } : g)) };
    expect(rules(config("strict"), dead)).toEqual(["HOST-INV-4"]);
    const held = { ...s, gpadls: s.gpadls.map((g) => (g.id === 8 ? { ...g, state: "torndown" as const } : g)) };
    expect(rules(config("strict"), held)).toEqual(["HOST-INV-4"]); // refcount 1, expected 0
  });

  it("HOST-INV-5: one channel SENDING and one OPENING in OPEN_CHANNEL are fine; a message in flight outside LISTEN too", () => {
    const s = open("qemu");
    const cfg = config("qemu");
    const posted = { kind: "postMessage" as const, message: { type: "AllOffersDelivered" as const }, bytes: "0400000000000000", payloadSize: 8, targetVp: 0, sint: 2 };
    const one = (patch: object) => s.channels.map((c) => (c.relid === 2 ? { ...c, ...patch } : c));
    expect(rules(cfg, { ...s, allOffersSent: false, bus: "offer", channels: one({ offerState: "sending" }) })).toEqual([]);
    expect(rules(cfg, { ...s, bus: "openChannel", channels: one({ state: "opening" }) })).toEqual([]);
    expect(rules(cfg, { ...s, bus: "openChannel", inFlight: posted })).toEqual([]);
    expect(rules(cfg, { ...s, bus: "openChannel", channels: s.channels.map((c) => (c.relid !== 1 ? { ...c, state: "opening" as const } : c)) })).toEqual(["HOST-INV-5"]);
  });

  it("HOST-INV-6: qemu — SENDING after ALLOFFERS_DELIVERED; strict — a connected host that requested offers with one still unoffered", () => {
    const q = open("qemu");
    const sending = q.channels.map((c) => (c.relid === 2 ? { ...c, offerState: "sending" as const } : c));
    expect(rules(config("qemu"), { ...q, bus: "offer", channels: sending })).toEqual(["HOST-INV-6"]);
    const s = open("strict");
    const unoffered = s.channels.map((c) => (c.relid === 3 ? { ...c, offerState: "init" as const } : c));
    expect(rules(config("strict"), { ...s, channels: unoffered })).toEqual(["HOST-INV-6"]);
    expect(rules(config("strict"), { ...s, channels: unoffered, offersRequested: false })).toEqual([]);
    expect(rules(config("strict"), { ...s, channels: unoffered, allOffersSent: false })).toEqual([]);
    expect(rules(config("strict"), { ...s, channels: unoffered, connected: false })).toEqual([]);
    expect(rules(config("strict"), { ...s, channels: s.channels.map((c) => (c.relid === 3 ? { ...c, offerState: "init" as const, rescinded: true } : c)) })).toEqual([]);
  });

  it("HOST-INV-8: an open channel that was never offered (strict); qemu does not check it", () => {
    const s = open("strict");
    const bad = { ...s, channels: s.channels.map((c) => (c.relid === 1 ? { ...c, offerState: "sending" as const } : c)) };
    expect(rules(config("strict"), bad)).toEqual(["HOST-INV-8"]);
    const q = open("qemu");
    expect(rules(config("qemu"), { ...q, channels: q.channels.map((c) => (c.relid === 1 ? { ...c, rescinded: true } : c)) })).toEqual([]);
  });

  it("HOST-INV-7: a queue exactly at capacity is fine", () => {
    const s = open("strict");
    const q = { connectionId: 1, payloadSize: 8, payload: "0300000000000000" };
    expect(rules(config("strict"), { ...s, rxQueue: Array.from({ length: 16 }, () => q) })).toEqual([]);
  });
});
