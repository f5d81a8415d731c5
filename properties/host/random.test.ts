/**
 * Random input sequences (valid, out-of-order and malformed messages, device events, delivery
 * results) in every profile: the reducer never throws, never mutates its input, keeps its
 * invariants, `hostRunnable` says exactly when `run` does something, and every posted message's
 * bytes decode (wire layer) back to the same message.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../spec/wire/codec.js";
import { hexToBytes } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { checkHostInvariants, hostRunnable, hostStep, initialHostState, type HostConfig } from "../../spec/host/host.js";
import type { HostInput } from "../../spec/host/interface.js";
import { gpadlMessages, initiate, openMsg, post } from "./helpers.js";

const relid = fc.integer({ min: 0, max: 5 });
const gpadlId = fc.integer({ min: 1, max: 4 });
const version = fc.constantFrom(0x0d, 0x10001, 0x20004, 0x30000, 0x40000, 0x40001, 0x50000, 0x50003, 0x60000, 0x10005, 0);
const guid = fc.constantFrom("00000000-0000-0000-0000-000000000001", "f8615163-df3e-46c5-913f-f2d2f965ed0e");

const message: fc.Arbitrary<readonly Message[]> = fc.oneof(
  fc.tuple(version, fc.integer({ min: 0, max: 3 })).map(([v, vp]) => [initiate(v, vp)]),
  fc.constant([{ type: "RequestOffers" } as Message]),
  fc.tuple(relid, gpadlId, fc.integer({ min: 0, max: 40 })).map(([r, g, p]) => (p === 0 ? [] : gpadlMessages(r, g, p))),
  fc.tuple(relid, gpadlId, fc.integer({ min: 0, max: 40 })).map(([r, g, p]) => (p === 0 ? [] : gpadlMessages(r, g, p).slice(0, 1))),
  fc.tuple(gpadlId, fc.integer({ min: 0, max: 3 })).map(([g, n]) => [{ type: "GpadlBody", msgNumber: 0, gpadl: g, pfns: Array.from({ length: n }, (_, i) => String(i + 1)) } as Message]),
  fc.tuple(relid, gpadlId).map(([r, g]) => [{ type: "GpadlTeardown", childRelid: r, gpadl: g } as Message]),
  fc.tuple(relid, gpadlId, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 3 })).map(([r, g, o, vp]) => [openMsg(r, g, o, vp === 3 ? 0xffffffff : vp)]),
  relid.map((r) => [{ type: "CloseChannel", childRelid: r } as Message]),
  relid.map((r) => [{ type: "RelIdReleased", childRelid: r } as Message]),
  fc.constant([{ type: "Unload" } as Message]),
  fc.tuple(relid, fc.integer({ min: 0, max: 3 })).map(([r, vp]) => [{ type: "ModifyChannel", childRelid: r, targetVp: vp } as Message]),
  fc.tuple(guid, guid).map(([a, b]) => [{ type: "TlConnectRequest", form: "v1", guestEndpointId: a, hostServiceId: b } as Message]),
  fc.constantFrom<Message[]>([{ type: "Pause" }], [{ type: "Resume" }], [{ type: "ModifyConnection", parentToChildMonitorPageGpa: "4096", childToParentMonitorPageGpa: "8192" }]),
  fc.constant([{ type: "CloseReservedChannel", channelId: 1, targetVp: 0, targetSint: 2 } as Message]),
);

const guestPosts: fc.Arbitrary<readonly HostInput[]> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(message, fc.constantFrom(1, 1, 1, 4)).map(([ms, conn]) => ms.map((m) => post(m, conn))) },
  // malformed: truncated payload sizes, random bytes, odd SynIC types
  {
    weight: 2,
    arbitrary: fc.tuple(message, fc.integer({ min: 0, max: 60 })).map(([ms, cut]) => ms.slice(0, 1).map((m) => {
      const p = post(m) as Extract<HostInput, { kind: "postMessage" }>;
      return { ...p, payloadSize: Math.max(0, p.payloadSize - cut) };
    })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 32 }), fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.integer({ min: 0, max: 250 }), fc.constantFrom(1, 1, 2))
      .map(([type, rest, size, mt]) => {
        const b = new Uint8Array(4 + rest.length);
        b[0] = type;
        b.set(rest, 4);
        return [{ kind: "postMessage", connectionId: 1, messageType: mt, payloadSize: size, payload: Buffer.from(b).toString("hex") } as HostInput];
      }),
  },
);

const settle: HostInput[] = Array.from({ length: 4 }, () => [{ kind: "run" } as HostInput, { kind: "deliveryResult", result: "delivered" } as HostInput]).flat();

/** A well-formed open: GPADL, settle, OPENCHANNEL, settle (so random runs reach open channels). */
const openFlow: fc.Arbitrary<readonly HostInput[]> = fc
  .tuple(fc.integer({ min: 1, max: 3 }), gpadlId, fc.integer({ min: 4, max: 40 }), fc.integer({ min: 0, max: 1 }))
  .map(([r, g, pages, vp]) => [...gpadlMessages(r, g, pages).map((m) => post(m)), ...settle, ...settle, post(openMsg(r, g, 2, vp)), ...settle]);

const input: fc.Arbitrary<readonly HostInput[]> = fc.oneof(
  { weight: 3, arbitrary: openFlow },
  { weight: 5, arbitrary: guestPosts },
  { weight: 8, arbitrary: fc.constant([{ kind: "run" } as HostInput]) },
  { weight: 6, arbitrary: fc.constantFrom<HostInput[]>([{ kind: "deliveryResult", result: "delivered" }], [{ kind: "deliveryResult", result: "delivered" }], [{ kind: "deliveryResult", result: "slotBusy" }]) },
  { weight: 1, arbitrary: fc.constantFrom<HostInput[]>([{ kind: "deliveryResult", result: "fatal" }], [{ kind: "reset" }]) },
  { weight: 1, arbitrary: relid.map((r) => [{ kind: "rescindChannel", relid: r } as HostInput]) },
  { weight: 1, arbitrary: relid.map((r) => [{ kind: "deviceSignal", relid: r } as HostInput]) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0, max: 0x2010 }), fc.integer({ min: 0, max: 1 })).map(([c, f]) => [{ kind: "signalEvent", connectionId: c, flagNumber: f } as HostInput]) },
  { weight: 1, arbitrary: fc.constant([{ kind: "deviceAdded", device: { ...DEFAULT_DEVICES[1]!, name: "hot", interfaceInstance: "00000000-0000-0000-0000-0000000000ff" } } as HostInput]) },
);

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === "object") {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
};

const runScenario = (cfg: HostConfig, inputs: readonly HostInput[]): void => {
  let s = initialHostState(cfg);
  let allDelivered = false;
  for (const i of inputs) {
    const runnable = hostRunnable(cfg, s);
    const before = JSON.stringify(s);
    deepFreeze(s);
    const r = hostStep(cfg, s, i);
    expect(JSON.stringify(s)).toBe(before); // inputs never mutated
    if (i.kind === "run" && cfg.profile === "qemu") {
      // HOST-RUN-5: a run with no vmbus_run scheduled is rejected and changes nothing; a
      // scheduled one is consumed.
      if (!runnable) expect(r.outputs.map((o) => (o.kind === "rejected" ? o.rule : o.kind))).toEqual(["HOST-RUN-5"]);
      if (!runnable) expect(JSON.stringify(r.state)).toBe(before);
      else expect(r.outputs.some((o) => o.kind === "rejected" && o.rule === "HOST-RUN-5")).toBe(false);
    } else if (i.kind === "run") {
      const changed = r.outputs.length > 0 || JSON.stringify(r.state) !== before;
      expect(changed).toBe(runnable);
    }
    // HOST-QEMU-DEFECT-5: no input reaches QEMU's g_assert_not_reached() in send_* / complete_*.
    expect(r.outputs.filter((o) => o.kind === "defect" && o.rule === "HOST-QEMU-DEFECT-5")).toEqual([]);
    for (const o of r.outputs) {
      if (o.kind === "trace" && o.event === "vmbus_process_incoming_message" && o.args[0] === 3) allDelivered = false;
      if (o.kind !== "postMessage") continue;
      if (cfg.profile === "qemu") {
        expect(allDelivered && o.message.type === "OfferChannel").toBe(false); // HOST-INV-6 on the output sequence
        if (o.message.type === "AllOffersDelivered") allDelivered = true;
      }
      const bytes = hexToBytes(o.bytes);
      expect(bytes.ok && bytes.value.length).toBe(o.payloadSize);
      // HOST-OPENVMM-OFFER-2: OpenVMM sends the 196-byte offer at every version, 0.13 included, so
      // its offers decode by size, not by the negotiated version.
      const bySize = cfg.profile === "qemu" || r.state.version === 0 || (cfg.profile === "openvmm" && o.message.type === "OfferChannel");
      const ctx = bySize ? { direction: "host-to-guest" as const } : { direction: "host-to-guest" as const, version: r.state.version, features: r.state.features };
      const d = decodeMessage(bytes.ok ? bytes.value : new Uint8Array(), ctx);
      expect(d.ok ? d.value.message : d.error).toEqual(o.message);
    }
    if (cfg.profile === "qemu") expect(r.outputs.filter((o) => o.kind === "postMessage").length).toBeLessThanOrEqual(1);
    expect(checkHostInvariants(cfg, r.state)).toEqual([]);
    s = r.state;
  }
};

describe("random host input sequences", () => {
  // Regression (found by this property): CLOSE_RESERVED_CHANNEL at 0.13 was answered with a
  // CLOSE_RESERVED_RESPONSE, a message that does not exist below 4.0.
  it("regression seed -1451126471: openvmm, CLOSE_RESERVED_CHANNEL below 4.0", () => {
    const cfg: HostConfig = { profile: "openvmm", devices: DEFAULT_DEVICES, vcpuCount: 2 };
    const boot: HostInput[] = [post(initiate(0x40000)), { kind: "run" }, { kind: "run" }, { kind: "deliveryResult", result: "delivered" }, post({ type: "RequestOffers" })];
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 120 }), (chunks) => runScenario(cfg, [...boot, ...chunks.flat()])),
      { seed: -1451126471, path: "147:3:1:3:10:10:10:10:10", endOnFailure: true, numRuns: 300 },
    );
  });

  // Regression (found by this property in CI): a guest reconnecting at 0.13 got OpenVMM's
  // 196-byte offers, which the oracle decoded as 0.13's 190-byte form (HOST-OPENVMM-OFFER-2).
  it("regression seed 1580011054: openvmm, reconnect at 0.13 keeps the 196-byte offer (HOST-OPENVMM-OFFER-2)", () => {
    const cfg: HostConfig = { profile: "openvmm", devices: DEFAULT_DEVICES, vcpuCount: 2 };
    const boot: HostInput[] = [post(initiate(0x40000)), { kind: "run" }, { kind: "run" }, { kind: "deliveryResult", result: "delivered" }, post({ type: "RequestOffers" })];
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 120 }), (chunks) => runScenario(cfg, [...boot, ...chunks.flat()])),
      { seed: 1580011054, path: "204:2:0:1:5:7:8:8:8", endOnFailure: true, numRuns: 300 },
    );
  });

  for (const profile of ["qemu", "strict", "openvmm"] as const) {
    it(`${profile}: total, invariant-preserving, bytes round-trip`, () => {
      const cfg: HostConfig = { profile, devices: DEFAULT_DEVICES, vcpuCount: 2 };
      fc.assert(
        fc.property(fc.array(input, { minLength: 1, maxLength: 80 }), (chunks) => runScenario(cfg, chunks.flat())),
        { numRuns: 150 },
      );
    });
    it(`${profile}: a connected guest drives long sequences`, () => {
      const cfg: HostConfig = { profile, devices: DEFAULT_DEVICES, vcpuCount: 2 };
      const boot: HostInput[] = [post(initiate(0x40000)), { kind: "run" }, { kind: "run" }, { kind: "deliveryResult", result: "delivered" }, post({ type: "RequestOffers" })];
      fc.assert(
        fc.property(fc.array(input, { minLength: 1, maxLength: 120 }), (chunks) => runScenario(cfg, [...boot, ...chunks.flat()])),
        { numRuns: 300 },
      );
    });
  }
});
