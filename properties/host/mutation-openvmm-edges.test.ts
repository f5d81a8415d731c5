/**
 * Edges of the openvmm host's connection, KVM hypercalls, sending, offers and release
 * (OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs:2150-2760, :3238, :3937, :3975 and
 * vm/hv1/hv1_hypercall imp.rs, hv1_emulator message_queues.rs at microsoft/openvmm 1488a37b).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { Harness, config, gpadlMessages, initiate, openWithRings } from "./helpers.js";
import { connect } from "./openvmm-harness.js";

const types = (h: Harness) => h.settle().map((m) => m.type);

describe("openvmm connection, hypercall, send, offer and release edges", () => {
  it("HOST-OPENVMM-CONNECT-4: a supported version below 2.4 is accepted (version_supported 1)", () => {
    const h = new Harness(config("openvmm"));
    h.send(initiate(0x10001));
    expect(h.settle()).toMatchObject([{ type: "VersionResponse", versionSupported: 1, connectionState: 0 }]);
    expect(h.state.connected).toBe(true);
  });

  it("HOST-OPENVMM-CONNECT-1: below 5.0 the multiclient port does not read a SINT (the interrupt page's bytes are not one)", () => {
    const h = new Harness(config("openvmm"));
    h.send({ type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: 0x40000, targetVcpu: 0, interruptPage: "771", monitorPage1: "0", monitorPage2: "0" }, 4);
    expect([types(h), h.rejections(), h.state.connected]).toEqual([["VersionResponse"], [], true]);
  });

  it("HOST-OPENVMM-HC-1: a post of payload size 0 is taken (and dropped by the parser, HOST-OPENVMM-PARSE-2)", () => {
    const h = connect();
    expect(h.step({ kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 0, payload: "03000000" })).toMatchObject([{ kind: "hypercallStatus", status: HvStatus.SUCCESS }]);
  });

  it("HOST-OPENVMM-HC-2: the KVM backend's checks also serve a host without the OpenVMM state (strict with hypercallBackend kvm)", () => {
    const h = new Harness(config("strict", { parameters: { hypercallBackend: "kvm" } }));
    h.send(initiate(0x40000));
    h.settle();
    h.send({ type: "RequestOffers" });
    h.settle();
    openWithRings(h, [[1, 9]]);
    h.log.length = 0;
    expect(h.step({ kind: "signalEvent", connectionId: 0x2001, flagNumber: 3 })).toEqual([{ kind: "deviceNotify", relid: 1, reason: "guestSignal" }, { kind: "hypercallStatus", status: HvStatus.SUCCESS }]);
    expect(h.step({ kind: "signalEvent", connectionId: 0x2002, flagNumber: 0 })).toMatchObject([{ kind: "rejected", rule: "HOST-OPENVMM-HC-2" }, { kind: "hypercallStatus", status: HvStatus.INVALID_CONNECTION_ID }]);
  });

  it("HOST-OPENVMM-SEND-2: while disconnected replies are posted at once (not paused)", () => {
    const h = new Harness(config("openvmm"));
    h.send(initiate(0x12345));
    expect(h.step({ kind: "run" }).filter((o) => o.kind === "postMessage")).toHaveLength(1);
    expect(h.state.outQueue).toEqual([]);
  });

  it("HOST-OPENVMM-DEFECT-4, HOST-OPENVMM-CRASHED-1: after the SINT panic later posts are dropped", () => {
    const h = connect(0x50000);
    h.send({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x50000, targetVcpu: 0, msgSint: 16, msgVtl: 0, featureFlags: 0, monitorPage1: "0", monitorPage2: "0" }, 4);
    h.settle();
    h.send({ type: "Unload" });
    h.settle();
    expect([h.defects(), h.rejections()]).toEqual([["HOST-OPENVMM-DEFECT-4"], ["HOST-OPENVMM-CONNECT-3", "HOST-OPENVMM-CRASHED-1"]]);
  });

  it("HOST-OPENVMM-OFFER-2: with confidential channels and GPA pinning negotiated the offer keeps those channel flags", () => {
    const dev = { ...DEFAULT_DEVICES[0]!, subChannels: 0, channelFlags: 0x000e };
    const h = new Harness(config("openvmm", { devices: [dev], parameters: { supportedFeatures: 0x10 | 0x80 } }));
    h.send({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x60000, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0x90, monitorPage1: "0", monitorPage2: "0" });
    h.send({ type: "RequestOffers" });
    expect(h.settle().flatMap((m) => (m.type === "OfferChannel" ? [m.channelFlags] : []))).toEqual([0x000e]);
  });

  it("HOST-OPENVMM-RELID-1: releasing a closed channel is not affected by another, revoked channel or its incomplete GPADL", () => {
    const h = connect();
    const [header, ...bodies] = gpadlMessages(2, 7, 40);
    h.send(header!);
    h.step({ kind: "rescindChannel", relid: 2 });
    h.send({ type: "RelIdReleased", childRelid: 1 });
    h.settle();
    for (const b of bodies) h.send(b);
    expect(h.settle().map((m) => m.type)).toContain("GpadlCreated");
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    // Channel 1 (released, not revoked) and the third channel are offered; the revoked one is gone.
    expect(h.settle().flatMap((m) => (m.type === "OfferChannel" ? [m.childRelid] : []))).toEqual([1, 2]);
  });
});
