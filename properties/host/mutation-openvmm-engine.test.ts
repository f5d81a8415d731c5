/**
 * The openvmm host's server loop and KVM backend (OpenVMM vm/devices/vmbus/vmbus_server/src/lib.rs
 * ServerTask, channels.rs:3650 handle_synic_message, :3909-3975 MessageSender, vm/hv1/hv1_hypercall
 * imp.rs, vmm_core/virt/src/synic.rs, hv1_emulator message_queues.rs at microsoft/openvmm 1488a37b):
 * hypercall checks, pause, the dispatch of the remaining messages, the host inputs, and the shared
 * state the model exposes.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { hostRunnable } from "../../spec/host/host.js";
import type { HostInput, HostOutput } from "../../spec/host/interface.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { encodeMessage } from "../../spec/wire/codec.js";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, gpadlMessages, initiate, openMsg, rawPost } from "./helpers.js";

const V60 = 0x60000;
const ic = (version: number, featureFlags = 0): Message => ({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: version, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags, monitorPage1: "0", monitorPage2: "0" });
const connect = (version = 0x40000, features = 0): Harness => {
  const h = new Harness(config("openvmm"));
  h.send(version >= 0x50000 ? ic(version, features) : initiate(version));
  h.send({ type: "RequestOffers" });
  h.settle();
  h.log.length = 0;
  return h;
};
const status = (out: readonly HostOutput[]): number => (out.find((o) => o.kind === "hypercallStatus") as { status: number }).status;
const raw = (m: Message, size?: number) => {
  const b = encodeMessage(m);
  return rawPost(bytesToHex(b), size ?? b.length);
};

describe("openvmm KVM hypercalls (HOST-OPENVMM-HC-1/-2, HOST-HC-7, HOST-OPENVMM-CRASHED-1)", () => {
  it("HOST-HC-7: malformed inputs get HV_STATUS_INVALID_HYPERCALL_INPUT", () => {
    const h = new Harness(config("openvmm"));
    const bad: HostInput[] = [
      { kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 8, payload: 5 as unknown as string },
      { kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 8, payload: "zz" },
      { kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 1.5, payload: "03000000" },
      { kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: -1, payload: "03000000" },
      { kind: "postMessage", connectionId: 1.5, messageType: 1, payloadSize: 8, payload: "03000000" },
      { kind: "signalEvent", connectionId: 1.5, flagNumber: 0 },
      { kind: "signalEvent", connectionId: 1, flagNumber: 0.5 },
      { kind: "signalEvent", connectionId: -1, flagNumber: 0 },
      { kind: "signalEvent", connectionId: 1, flagNumber: -1 },
    ];
    for (const i of bad) expect([i, status(h.step(i))]).toEqual([i, HvStatus.INVALID_HYPERCALL_INPUT]);
    expect(h.rejections()).toEqual(Array(bad.length).fill("HOST-HC-7"));
    expect(h.state.rxQueue).toEqual([]);
  });

  it("HOST-OPENVMM-HC-1, HOST-OPENVMM-HC-2: 240 bytes are taken, 241 are not; the whole 32-bit connection id names the port (1 and 4)", () => {
    const h = new Harness(config("openvmm"));
    const p = (connectionId: number, payloadSize: number): number => status(h.step({ kind: "postMessage", connectionId, messageType: 1, payloadSize, payload: "03000000" }));
    expect([p(1, 240), p(1, 241), p(4, 8), p(2, 8), p(0x100000001, 8), p(-0xffffffff, 8)]).toEqual([0, 5, 0, HvStatus.INVALID_CONNECTION_ID, 0, 0]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-HC-1", "HOST-OPENVMM-HC-2"]);
    expect(h.state.rxQueue.map((m) => [m.connectionId, m.payloadSize])).toEqual([[1, 240], [4, 8], [1, 8], [1, 8]]);
  });

  it("HOST-OPENVMM-HC-2: HvSignalEvent reaches the open channel's device; a closed channel has no port", () => {
    const h = connect();
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    h.send(openMsg(1, 9, 2));
    h.settle();
    const out = h.step({ kind: "signalEvent", connectionId: 0x2001, flagNumber: 7 });
    expect(out).toEqual([{ kind: "deviceNotify", relid: 1, reason: "guestSignal" }, { kind: "hypercallStatus", status: 0 }]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.settle();
    expect(status(h.step({ kind: "signalEvent", connectionId: 0x2001, flagNumber: 7 }))).toBe(HvStatus.INVALID_CONNECTION_ID);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-HC-2"]);
  });

  it("HOST-OPENVMM-CRASHED-1: after a panic posts succeed and are dropped, nothing runs, queued messages stay unprocessed", () => {
    const h = connect();
    h.send({ type: "RequestOffers" });
    h.step(raw({ type: "GpadlTorndown", gpadl: 1 }));
    h.send({ type: "Unload" });
    h.settle();
    expect(h.defects()).toEqual(["HOST-OPENVMM-DEFECT-1"]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-OFFER-3"]);
    expect(h.state.rxQueue).toHaveLength(1);
    expect(h.send({ type: "Unload" })).toBe(0);
    expect(h.step({ kind: "run" }).filter((o) => o.kind !== "rejected")).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-OPENVMM-OFFER-3", "HOST-OPENVMM-CRASHED-1"]);
    expect(h.state.connected).toBe(true);
  });
});

describe("openvmm server loop (HOST-OPENVMM-PAUSE-1, -SEND-1/-2, -TL-1, -MODCONN-1, -PARSE-2/-3)", () => {
  it("HOST-OPENVMM-PAUSE-1: UNLOAD, INITIATE_CONTACT (both forms) and RESUME end the pause", () => {
    const enders: readonly (readonly [string, HostInput, string])[] = [
      ["Unload", raw({ type: "Unload" }), "UnloadResponse"],
      ["InitiateContact", raw(ic(V60, 0x20)), "VersionResponse"],
      ["InitiateContact2", raw({ type: "InitiateContact", form: "clientId", vmbusVersionRequested: V60, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0x28, monitorPage1: "0", monitorPage2: "0", clientId: "00000000-0000-0000-0000-000000000001" } as Message), "VersionResponse"],
      ["Resume", raw({ type: "Resume" }), ""],
    ];
    for (const [what, input, reply] of enders) {
      const h = connect(V60, 0x20);
      h.send({ type: "Pause" });
      expect(h.settle()).toEqual([{ type: "PauseResponse" }]);
      expect(h.state.paused).toBe(true);
      h.step(input);
      expect([what, h.settle().map((m) => m.type)]).toEqual([what, reply ? [reply] : []]);
      expect([what, h.state.paused, h.rejections()]).toEqual([what, false, []]);
    }
  });

  it("HOST-OPENVMM-PARSE-4: the 56-byte INITIATE_CONTACT with the client-id feature connects with it", () => {
    const h = new Harness(config("openvmm"));
    h.step(raw({ type: "InitiateContact", form: "clientId", vmbusVersionRequested: V60, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0x8, monitorPage1: "0", monitorPage2: "0", clientId: "00000000-0000-0000-0000-000000000001" } as Message));
    expect(h.settle()).toEqual([{ type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: 0, msgConnId: 1, supportedFeatures: 0x8 }]);
  });

  it("HOST-OPENVMM-SEND-2: paused replies wait and are posted in order once resumed; nothing is processed while they wait", () => {
    const h = connect(V60, 0x20);
    h.send({ type: "Pause" });
    h.settle();
    h.step({ kind: "rescindChannel", relid: 1 });
    h.step({ kind: "rescindChannel", relid: 2 });
    expect(h.state.outQueue.map((m) => m.message)).toEqual([{ type: "RescindChannelOffer", childRelid: 1 }, { type: "RescindChannelOffer", childRelid: 2 }]);
    h.send({ type: "Resume" });
    h.send({ type: "RelIdReleased", childRelid: 1 });
    h.step({ kind: "run" }); // RESUME
    expect(h.state.rxQueue).toHaveLength(1);
    const flushed = h.step({ kind: "run" }).flatMap((o) => (o.kind === "postMessage" ? [o.message] : []));
    expect(flushed).toEqual([{ type: "RescindChannelOffer", childRelid: 1 }, { type: "RescindChannelOffer", childRelid: 2 }]);
    expect(h.state.rxQueue).toHaveLength(1); // the flush was the whole step
    expect(h.state.outQueue).toEqual([]);
  });

  it("HOST-OPENVMM-SEND-1: a busy slot redelivers the head first; delivery results with nothing in flight or unknown are refused", () => {
    const h = new Harness(config("openvmm"));
    expect(h.step({ kind: "deliveryResult", result: "delivered" })).toMatchObject([{ kind: "rejected", rule: "HOST-RUN-4" }]);
    h.send(initiate(0x40000));
    h.step({ kind: "run" });
    h.send({ type: "RequestOffers" });
    h.step({ kind: "run" });
    const head = h.state.inFlight!;
    expect(head.message.type).toBe("VersionResponse");
    expect(h.step({ kind: "deliveryResult", result: "slotBusy" })).toEqual([head]);
    expect(h.step({ kind: "deliveryResult", result: "lost" as "delivered" })).toMatchObject([{ kind: "rejected", rule: "HOST-IN-1" }]);
    h.step({ kind: "deliveryResult", result: "delivered" });
    expect(h.state.inFlight?.message.type).toBe("OfferChannel");
  });

  it("HOST-OPENVMM-TL-1: TL_CONNECT_RESULT from 4.1 only; the 56-byte form from 5.2 is refused the same way", () => {
    const req = { type: "TlConnectRequest", form: "v1", guestEndpointId: "00000000-0000-0000-0000-00000000000a", hostServiceId: "00000000-0000-0000-0000-00000000000b" } as const;
    const res = { type: "TlConnectResult", endpointId: req.guestEndpointId, serviceId: req.hostServiceId, status: 0xc0000236 };
    const at = (version: number, size: number) => {
      const h = connect(version);
      const b = new Uint8Array(size);
      b.set(encodeMessage(req));
      h.step(rawPost(bytesToHex(b), size));
      return [h.settle(), h.rejections()];
    };
    expect(at(0x40000, 40)).toEqual([[], ["HOST-OPENVMM-TL-1"]]);
    expect(at(0x40001, 40)).toEqual([[res], ["HOST-OPENVMM-TL-1"]]);
    expect(at(0x50002, 56)).toEqual([[res], ["HOST-OPENVMM-TL-1"]]);
  });

  it("HOST-OPENVMM-MODCONN-1: both monitor pages are replaced, zero pages included", () => {
    const h = connect(V60, 0x4);
    h.send({ type: "ModifyConnection", parentToChildMonitorPageGpa: "4096", childToParentMonitorPageGpa: "8192" });
    h.settle();
    expect([h.state.monitorPage1, h.state.monitorPage2]).toEqual(["4096", "8192"]);
    h.send({ type: "ModifyConnection", parentToChildMonitorPageGpa: "0", childToParentMonitorPageGpa: "0" });
    expect(h.settle()).toEqual([{ type: "ModifyConnectionResponse", connectionState: 0 }]);
    expect([h.state.monitorPage1, h.state.monitorPage2, h.defects()]).toEqual(["0", "0", []]);
    h.send({ type: "ModifyConnection", parentToChildMonitorPageGpa: "0", childToParentMonitorPageGpa: "8192" });
    expect(h.settle()).toEqual([]);
    expect(h.defects()).toEqual(["HOST-OPENVMM-DEFECT-3"]);
  });

  it("HOST-OPENVMM-PARSE-2, HOST-OPENVMM-PARSE-3: only payload_size bytes are parsed; OpenChannel2's conditions need 6.0 and feature 0x1 or 0x2", () => {
    const h = connect();
    const close = encodeMessage({ type: "CloseChannel", childRelid: 1 });
    h.step(rawPost(bytesToHex(close), 11));
    h.settle();
    expect(h.rejections()).toEqual(["HOST-OPENVMM-PARSE-2"]);
    const short = (version: number, features: number) => {
      const g = connect(version, features);
      g.step(raw(openMsg(1, 9, 2), 147));
      g.step(raw({ type: "CloseChannel", childRelid: 1 }, 11));
      g.settle();
      return g.rejections();
    };
    expect(short(V60, 0x2)).toEqual(["HOST-OPENVMM-PARSE-3", "HOST-OPENVMM-PARSE-2"]);
    expect(short(V60, 0x1)).toEqual(["HOST-OPENVMM-PARSE-3", "HOST-OPENVMM-PARSE-2"]);
    expect(short(V60, 0x4)).toEqual(["HOST-OPENVMM-PARSE-2", "HOST-OPENVMM-PARSE-2"]);
    expect(short(0x50003, 0)).toEqual(["HOST-OPENVMM-PARSE-2", "HOST-OPENVMM-PARSE-2"]);
  });
});

describe("openvmm host inputs and the shared state (HOST-OFFER-8, HOST-DEV-1, HOST-SIG-4, HOST-IN-1)", () => {
  it("HOST-OFFER-8: sub-channels count toward 2047 channel ids; no device is added beyond them", () => {
    const big = { ...DEFAULT_DEVICES[1]!, subChannels: 5000 };
    const h = new Harness(config("openvmm", { devices: [big] }));
    expect(h.step({ kind: "deviceAdded", device: DEFAULT_DEVICES[0]! })).toMatchObject([{ kind: "rejected", rule: "HOST-OFFER-8" }]);
    expect(h.state.devices).toHaveLength(1);
    const few = new Harness(config("openvmm", { devices: [{ ...big, subChannels: 2045 }] }));
    expect(few.step({ kind: "deviceAdded", device: DEFAULT_DEVICES[0]! })).toEqual([]);
    expect(few.step({ kind: "deviceAdded", device: DEFAULT_DEVICES[0]! })).toMatchObject([{ kind: "rejected", rule: "HOST-OFFER-8" }]);
    expect(few.state.devices).toHaveLength(2);
    // A sub-channel count that is not a whole non-negative number means none.
    for (const subChannels of [Number.NaN, -3, 1.9]) {
      const g = new Harness(config("openvmm", { devices: [{ ...big, subChannels }] }));
      g.send(initiate(0x40000));
      g.send({ type: "RequestOffers" });
      g.settle();
      expect([subChannels, g.state.channels.map((c) => c.subChannelIndex)]).toEqual([subChannels, subChannels === 1.9 ? [0, 1] : [0]]);
    }
  });

  it("HOST-OPENVMM-SEND-2, HOST-OPENVMM-CRASHED-1: the server is runnable with a message waiting, or pending replies while not paused; never after a panic", () => {
    const h = connect(V60, 0x20);
    expect([hostRunnable(h.cfg, h.state), h.step({ kind: "run" })]).toEqual([false, []]);
    h.send({ type: "Pause" });
    h.settle();
    h.step({ kind: "rescindChannel", relid: 1 });
    expect([h.state.outQueue.length, hostRunnable(h.cfg, h.state)]).toEqual([1, false]);
    h.send({ type: "Resume" });
    h.step({ kind: "run" });
    expect([h.state.rxQueue.length, hostRunnable(h.cfg, h.state)]).toEqual([0, true]);
    h.settle();
    h.step(raw({ type: "PauseResponse" }));
    expect(hostRunnable(h.cfg, h.state)).toBe(true);
    h.step({ kind: "run" });
    h.step(raw({ type: "Resume" }));
    expect([h.defects(), h.state.rxQueue.length, hostRunnable(h.cfg, h.state)]).toEqual([["HOST-OPENVMM-DEFECT-1"], 0, false]);
  });

  it("HOST-IN-1, HOST-DEV-1, HOST-SIG-4: malformed inputs, rescinding no or a revoked channel, signalling a closed one", () => {
    const h = connect();
    const rules = (i: HostInput) => h.step(i).flatMap((o) => (o.kind === "rejected" ? [o.rule] : []));
    expect(rules({ kind: "deviceAdded", device: null } as unknown as HostInput)).toEqual(["HOST-IN-1"]);
    expect(rules({ kind: "deviceAdded", device: "netvsc" } as unknown as HostInput)).toEqual(["HOST-IN-1"]);
    expect(h.state.devices).toHaveLength(2);
    expect(rules({ kind: "nonsense" } as unknown as HostInput)).toEqual(["HOST-IN-1"]);
    expect(rules(null as unknown as HostInput)).toEqual(["HOST-IN-1"]);
    expect(rules({ kind: "rescindChannel", relid: 0 })).toEqual(["HOST-DEV-1"]);
    expect(rules({ kind: "rescindChannel", relid: 9 })).toEqual(["HOST-DEV-1"]);
    expect(rules({ kind: "rescindChannel", relid: 1 })).toEqual(["HOST-OPENVMM-RESCIND-1"]);
    expect(rules({ kind: "rescindChannel", relid: 1 })).toEqual(["HOST-DEV-1"]);
    expect(rules({ kind: "deviceSignal", relid: 2 })).toEqual(["HOST-SIG-4"]);
    expect(h.state.channels.find((c) => c.relid === 1)?.rescinded).toBe(true);
    expect(h.state.channels.find((c) => c.relid === 2)?.rescinded).toBe(false);
  });

  it("HOST-OPENVMM-RESCIND-1: revoking an open channel closes it at the device and forgets its parameters", () => {
    const h = connect(0x50003);
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    h.send(openMsg(1, 9, 2, 1));
    h.settle();
    const out = h.step({ kind: "rescindChannel", relid: 1 });
    expect(out.filter((o) => o.kind !== "rejected")).toMatchObject([{ kind: "deviceNotify", relid: 1, reason: "closed" }, { kind: "postMessage", message: { type: "RescindChannelOffer", childRelid: 1 } }]);
    expect(h.state.channels.find((c) => c.relid === 1)).toMatchObject({ isOpen: false, state: "init", targetVp: 0xffffffff, openId: 0, ringGpadl: 0, sendOffset: 0, rescinded: true, modifyPending: false });
  });

  it("HOST-OPENVMM-RESERVED-3: a VM reset releases reserved channels too and clears every queue", () => {
    const h = connect(V60, 0x20);
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.send({ type: "Pause" });
    h.settle();
    h.step({ kind: "rescindChannel", relid: 2 });
    h.send({ type: "RequestOffers" });
    h.step({ kind: "reset" });
    expect([h.state.channels, h.state.gpadls, h.state.outQueue, h.state.rxQueue, h.state.inFlight, h.state.connected]).toEqual([[], [], [], [], null, false]);
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    // The reserved channel is offered again; the revoked one is gone.
    expect(h.settle().flatMap((m) => (m.type === "OfferChannel" ? [m.childRelid] : []))).toEqual([1, 2]);
  });

  it("the shared state: channels, GPADLs with their refcount, connection fields", () => {
    const h = connect(0x50003);
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    for (const m of gpadlMessages(2, 9, 2)) h.send(m);
    h.step(rawPost("08000000" + "00000000" + "03000000" + "0b000000" + "1800" + "0100" + "0040000000000000", 28)); // 1 of 3 values
    h.send(openMsg(1, 9, 2, 1, 0x55));
    h.settle();
    expect(h.state.channels.find((c) => c.relid === 1)).toEqual({ relid: 1, device: expect.any(Number), subChannelIndex: 0, offerState: "sent", state: "open", isOpen: true, openId: 0x55, targetVp: 1, ringGpadl: 9, sendOffset: 2, rescinded: false, modifyPending: false });
    const pfns = (n: number) => Array.from({ length: n }, (_, i) => String(0x1000 + i));
    expect(h.state.gpadls).toEqual([
      { id: 9, childRelid: 1, expected: 5, data: [String(4 * 4096), ...pfns(4)], rangeCount: 1, state: "alive", refcount: 2, header: null, bodies: [] },
      // refcount as HOST-INV-4 counts it: one per open channel whose ring has this id (channel 1's).
      { id: 9, childRelid: 2, expected: 3, data: [String(2 * 4096), ...pfns(2)], rangeCount: 1, state: "alive", refcount: 2, header: null, bodies: [] },
      { id: 11, childRelid: 3, expected: 3, data: [String(0x4000)], rangeCount: 1, state: "init", refcount: 1, header: null, bodies: [] },
    ]);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 9 });
    h.settle();
    expect(h.state.gpadls.find((g) => g.childRelid === 1)).toMatchObject({ id: 9, state: "tearingdown", refcount: 2 });
    expect([h.state.connected, h.state.version, h.state.features, h.state.paused, h.state.offersRequested, h.state.allOffersSent, h.state.msgConnId, h.state.model]).toEqual([true, 0x50003, 0, false, true, true, 1, "synicQueue"]);
    const f = connect(V60, 0x21);
    expect([f.state.features, f.state.msgConnId]).toEqual([0x21, 1]);
    const old = connect(0x40001);
    expect([old.state.msgConnId, old.state.interruptPage]).toEqual([0, "0"]);
    const none = new Harness(config("openvmm"));
    expect([none.state.connected, none.state.version, none.state.features, none.state.paused, none.state.offersRequested, none.state.allOffersSent, none.state.inFlight, none.state.interruptPage]).toEqual([false, 0, 0, false, false, false, null, "0"]);
  });
});
