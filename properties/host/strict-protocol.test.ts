/** The `strict` profile speaks the whole protocol; rows where `openvmm` (spec/host/openvmm) answers differently are compared here too. */
import { describe, expect, it } from "vitest";
import { HvStatus } from "../../spec/wire/constants.js";
import { hostView } from "../../spec/host/host.js";
import { HOST_PROFILES } from "../../spec/host/profiles.js";
import type { DeviceSpec } from "../../spec/host/interface.js";
import { Harness, config, connected, createGpadl, gpadlMessages, initiate, openMsg } from "./helpers.js";

const VERSIONS = [0x0d, 0x10001, 0x20004, 0x30000, 0x40000, 0x40001, 0x50000, 0x50001, 0x50002, 0x50003, 0x60000];

describe("strict connection", () => {
  it.each(VERSIONS)("accepts version 0x%s with the right response form (HOST-CONNECT-3, HOST-CONNECT-4)", (v) => {
    const h = new Harness(config("strict"));
    expect(h.send(initiate(v), v >= 0x50000 ? 4 : 1)).toBe(HvStatus.SUCCESS);
    const [r] = h.settle();
    expect(r).toMatchObject({ type: "VersionResponse", versionSupported: 1, connectionState: 0, msgConnId: v >= 0x50000 ? 1 : v, form: v >= 0x60000 ? "copper" : "v1" });
    expect(hostView(h.state)).toMatchObject({ connected: true, version: v });
  });

  it("refuses versions not in the list and above the maximum (planted cap) (HOST-CONNECT-3)", () => {
    const h = new Harness(config("strict"));
    h.send(initiate(0x40002));
    expect(h.settle()).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 }]);
    const capped = new Harness(config("strict", { parameters: { maxVersion: 0x50003 } }));
    capped.send(initiate(0x60000), 4);
    expect(capped.settle()).toMatchObject([{ versionSupported: 0 }]);
  });

  it("negotiates features = supported ∧ requested at 6.0 (HOST-CONNECT-5)", () => {
    const h = new Harness(config("strict"));
    h.send({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x60000, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0x10 | 0x04 | 0x20, monitorPage1: "0", monitorPage2: "0" }, 4);
    expect(h.settle()).toEqual([{ type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: 0, msgConnId: 1, supportedFeatures: 0x24 }]);
    expect(h.state.features).toBe(0x24);
  });

  it("answers a bad msg_sint as unsupported and one monitor page as connection_state 2 (HOST-CONNECT-7, HOST-CONNECT-6)", () => {
    const h = new Harness(config("strict"));
    h.send({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x50000, targetVcpu: 0, msgSint: 3, msgVtl: 0, featureFlags: 0, monitorPage1: "0", monitorPage2: "0" }, 4);
    h.send({ type: "InitiateContact", form: "interruptPage", vmbusVersionRequested: 0x40000, targetVcpu: 0, interruptPage: "0", monitorPage1: "4096", monitorPage2: "0" });
    expect(h.settle()).toMatchObject([{ versionSupported: 0 }, { versionSupported: 1, connectionState: 2 }]);
    expect(h.log.filter((o) => o.kind === "postMessage").map((o) => o.kind === "postMessage" && o.sint)).toEqual([3, 2]);
    expect(hostView(h.state).connected).toBe(false);
  });

  it("UNLOAD then reconnect: offers again from scratch (HOST-UNLOAD-1, HOST-OFFER-1)", () => {
    const h = connected("strict", 0x50003);
    h.send({ type: "Unload" });
    expect(h.settle()).toEqual([{ type: "UnloadResponse" }]);
    h.send(initiate(0x50003), 4);
    h.send({ type: "RequestOffers" });
    expect(h.settle().map((m) => m.type)).toEqual(["VersionResponse", "OfferChannel", "OfferChannel", "OfferChannel", "AllOffersDelivered"]);
  });
});

describe("strict offers, rescind, reoffer", () => {
  it("second REQUESTOFFERS: strict answers ALLOFFERS_DELIVERED, openvmm drops it (HOST-OFFER-5)", () => {
    const s = connected("strict");
    s.send({ type: "RequestOffers" });
    expect(s.settle()).toEqual([{ type: "AllOffersDelivered" }]);
    const o = connected("openvmm");
    o.send({ type: "RequestOffers" });
    expect(o.settle()).toEqual([]);
    // OpenVMM channels.rs:2709 OffersAlreadySent (1488a37b).
    expect(o.rejections()).toEqual(["HOST-OPENVMM-OFFER-3"]);
  });

  it("openvmm assigns relids in interface-id order, at REQUESTOFFERS (HOST-OFFER-6, HOST-OPENVMM-OFFER-1)", () => {
    // OpenVMM channels.rs:2700-2760 (1488a37b): no channel id before REQUESTOFFERS.
    const o = new Harness(config("openvmm"));
    expect(o.state.channels).toEqual([]);
    o.send(initiate(0x40000));
    o.send({ type: "RequestOffers" });
    o.settle();
    expect(o.state.channels.map((c) => [c.relid, o.state.devices[c.device]!.name]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
      [1, "storvsc"],
      [2, "netvsc"],
      [3, "netvsc"],
    ]);
  });

  it("rescind → RESCIND_CHANNELOFFER, channel closed; RELID_RELEASED frees the relid; re-added device is offered again (HOST-RESCIND-1, HOST-RESCIND-2, HOST-OFFER-7)", () => {
    const h = connected("strict");
    createGpadl(h, 3, 7, 8);
    h.send(openMsg(3, 7, 4));
    h.settle();
    h.step({ kind: "rescindChannel", relid: 3 });
    expect(h.settle()).toEqual([{ type: "RescindChannelOffer", childRelid: 3 }]);
    expect(hostView(h.state).openChannels).toEqual([]);
    h.send(openMsg(3, 7, 4));
    h.settle();
    expect(h.rejections()).toContain("HOST-OPEN-1");
    h.send({ type: "GpadlTeardown", childRelid: 3, gpadl: 7 });
    h.send({ type: "RelIdReleased", childRelid: 3 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 7 }]);
    expect(h.state.channels.map((c) => c.relid)).toEqual([1, 2]);
    const dev: DeviceSpec = { ...h.state.devices[1]! };
    h.step({ kind: "deviceAdded", device: dev });
    expect(h.settle()).toMatchObject([{ type: "OfferChannel", childRelid: 3, connectionId: 0x2003 }]);
  });
});

describe("strict GPADLs", () => {
  it("multi-range GPADL is created; a ring needs one page-aligned range (HOST-GPADL-4, HOST-OPEN-7)", () => {
    const h = connected("strict");
    h.send({ type: "GpadlHeader", childRelid: 1, gpadl: 3, rangeBufferLength: 40, rangeCount: 2, ranges: [{ byteCount: 100, byteOffset: 16, pfns: ["5"] }, { byteCount: 8192, byteOffset: 0, pfns: ["6", "7"] }] });
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 3, creationStatus: 0 }]);
    h.send(openMsg(1, 3, 1));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0x8000ffff }]);
    expect(h.rejections()).toEqual(["HOST-OPEN-7"]);
  });

  it("GPADL for an unoffered relid fails; teardown of an incomplete GPADL: strict allows, openvmm rejects (HOST-GPADL-10, HOST-GPADL-8)", () => {
    const h = connected("strict");
    for (const m of gpadlMessages(40, 5, 2)) h.send(m);
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 40, gpadl: 5, creationStatus: 0x8000ffff }]);
    for (const profile of ["strict", "openvmm"] as const) {
      const g = connected(profile);
      g.send(gpadlMessages(1, 6, 40)[0]!);
      g.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 6 });
      expect(g.settle()).toEqual(profile === "strict" ? [{ type: "GpadlTorndown", gpadl: 6 }] : []);
    }
  });

  it("1-page rings: openvmm opens, strict refuses (HOST-OPEN-3)", () => {
    for (const [profile, status] of [["strict", 0x8000ffff], ["openvmm", 0]] as const) {
      const h = connected(profile);
      const relid = profile === "openvmm" ? 2 : 1;
      createGpadl(h, relid, 7, 2);
      h.send(openMsg(relid, 7, 1));
      expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: relid, openId: relid, status }]);
    }
  });
});

describe("strict newer messages", () => {
  it("MODIFYCHANNEL: no response at 5.2, response at 5.3 (failure for a closed channel) (HOST-MODIFY-1, HOST-MODIFY-2)", () => {
    const a = connected("strict", 0x50002);
    createGpadl(a, 1, 7, 8);
    a.send(openMsg(1, 7, 4));
    a.settle();
    a.send({ type: "ModifyChannel", childRelid: 1, targetVp: 1 });
    expect(a.settle()).toEqual([]);
    expect(a.state.channels[0]!.targetVp).toBe(1);
    const b = connected("strict", 0x50003);
    b.send({ type: "ModifyChannel", childRelid: 1, targetVp: 1 });
    expect(b.settle()).toEqual([{ type: "ModifyChannelResponse", childRelid: 1, status: 0x8000ffff }]);
  });

  it("TL_CONNECT_REQUEST both forms → TL_CONNECT_RESULT refused (HOST-TL-1)", () => {
    const h = connected("strict", 0x50002, {});
    const ep = "00000000-0000-0000-0000-000000000001";
    const svc = "00000000-0000-0000-0000-000000000002";
    h.send({ type: "TlConnectRequest", form: "v1", guestEndpointId: ep, hostServiceId: svc });
    h.send({ type: "TlConnectRequest", form: "silo", guestEndpointId: ep, hostServiceId: svc, siloId: svc });
    expect(h.settle()).toEqual([
      { type: "TlConnectResult", endpointId: ep, serviceId: svc, status: 0xc0000236 },
      { type: "TlConnectResult", endpointId: ep, serviceId: svc, status: 0xc0000236 },
    ]);
  });

  it("reserved channels: OPEN_RESERVED dropped, CLOSE_RESERVED answered on the named VP/SINT (HOST-RESERVED-1)", () => {
    const h = connected("strict");
    h.send({ type: "OpenReservedChannel", channelId: 5, targetVp: 0, targetSint: 2, ringBufferGpadl: 1, downstreamPageOffset: 2 });
    h.send({ type: "CloseReservedChannel", channelId: 5, targetVp: 1, targetSint: 3 });
    expect(h.settle()).toEqual([{ type: "CloseReservedResponse", channelId: 5 }]);
    expect(h.log.find((o) => o.kind === "postMessage" && o.message.type === "CloseReservedResponse")).toMatchObject({ targetVp: 1, sint: 3 });
  });

  it("MODIFY_CONNECTION and PAUSE/RESUME with the 6.0 features; PAUSE holds later messages until RESUME (HOST-MODCONN-1, HOST-PAUSE-1)", () => {
    const h = new Harness(config("strict"));
    h.send({ type: "InitiateContact", form: "msgSint", vmbusVersionRequested: 0x60000, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0x24, monitorPage1: "0", monitorPage2: "0" }, 4);
    h.settle();
    h.send({ type: "ModifyConnection", parentToChildMonitorPageGpa: "4096", childToParentMonitorPageGpa: "8192" });
    expect(h.settle()).toEqual([{ type: "ModifyConnectionResponse", connectionState: 0 }]);
    h.send({ type: "Pause" });
    h.send({ type: "RequestOffers" });
    expect(h.settle()).toEqual([{ type: "PauseResponse" }]);
    h.send({ type: "Resume" });
    expect(h.settle().map((m) => m.type)).toEqual(["OfferChannel", "OfferChannel", "OfferChannel", "AllOffersDelivered"]);
  });

  it("without the feature, PAUSE is InvalidMessageType", () => {
    const h = connected("strict", 0x60000);
    h.send({ type: "Pause" });
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-MSG-4"]);
  });
});

describe("s in strict: the protocol's answers", () => {
  it("open, close, reopen on the same GPADL; CLOSECHANNEL has no reply (HOST-CLOSE-1, HOST-OPEN-5)", () => {
    const h = connected("strict");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0 }]);
    h.send(openMsg(1, 7, 4));
    expect(h.settle()).toEqual([]);
    h.send({ type: "CloseChannel", childRelid: 1 });
    expect(h.settle()).toEqual([]);
    h.send(openMsg(1, 7, 4, 1, 9));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 9, status: 0 }]);
    expect(h.rejections()).toEqual(["HOST-OPEN-1"]);
  });

  it("GPADL_TEARDOWN naming the wrong relid is dropped; a ring GPADL of another channel fails the open", () => {
    const h = connected("strict");
    createGpadl(h, 1, 7, 8);
    h.send({ type: "GpadlTeardown", childRelid: 2, gpadl: 7 });
    h.send(openMsg(2, 7, 4));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 2, openId: 2, status: 0x8000ffff }]);
    expect(h.rejections()).toEqual(["HOST-GPADL-12", "HOST-OPEN-7"]);
  });

  it("INITIATE_CONTACT while connected resets like QEMU (HOST-CONNECT-1)", () => {
    const h = connected("strict");
    createGpadl(h, 1, 7, 8);
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    expect(h.settle().map((m) => m.type)).toEqual(["VersionResponse", "OfferChannel", "OfferChannel", "OfferChannel", "AllOffersDelivered"]);
    expect(hostView(h.state).gpadls).toEqual([]);
  });
});

describe("parameters plant bugs", () => {
  it("qemu with maxVersion 3.0 refuses 4.0; with a 2-entry queue the third post gets INSUFFICIENT_BUFFERS", () => {
    const h = new Harness(config("qemu", { parameters: { maxVersion: 0x30000, incomingQueueCapacity: 2 } }));
    h.send(initiate(0x40000));
    expect(h.settle()).toMatchObject([{ type: "VersionResponse", versionSupported: 0 }]);
    expect([h.send({ type: "RequestOffers" }), h.send({ type: "RequestOffers" }), h.send({ type: "RequestOffers" })]).toEqual([0, 0, HvStatus.INSUFFICIENT_BUFFERS]);
  });
});

it("every profile difference is a named parameter", () => {
  const keys = Object.keys(HOST_PROFILES.qemu).sort();
  expect(Object.keys(HOST_PROFILES.strict).sort()).toEqual(keys);
  expect(Object.keys(HOST_PROFILES.openvmm).sort()).toEqual(keys);
});

describe("strict: the remaining rules, one test each", () => {
  const status = (out: readonly { kind: string }[]): number | undefined => (out.find((o) => o.kind === "hypercallStatus") as { status: number } | undefined)?.status;

  it("HOST-SIG-1, HOST-SIG-2, HOST-SIG-3, HOST-HC-7: HvSignalEvent and malformed HvPostMessage", () => {
    const h = connected("strict");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    h.settle();
    expect(status(h.step({ kind: "signalEvent", connectionId: 0x2001, flagNumber: 1 }))).toBe(HvStatus.INVALID_PORT_ID);
    expect(status(h.step({ kind: "signalEvent", connectionId: 0x1002001, flagNumber: 0 }))).toBe(HvStatus.INVALID_HYPERCALL_INPUT);
    expect(status(h.step({ kind: "signalEvent", connectionId: 0x2002, flagNumber: 0 }))).toBe(HvStatus.INVALID_CONNECTION_ID);
    expect(status(h.step({ kind: "signalEvent", connectionId: 0x2001, flagNumber: 0 }))).toBe(HvStatus.SUCCESS);
    expect(status(h.step({ kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 8, payload: "zz" }))).toBe(HvStatus.INVALID_HYPERCALL_INPUT);
    expect(h.rejections()).toEqual(["HOST-SIG-1", "HOST-SIG-2", "HOST-SIG-3", "HOST-HC-7"]);
  });

  it("HOST-RUN-1, HOST-RUN-2: one reply in flight; a busy slot makes the next run post it again", () => {
    const h = connected("strict");
    h.step({ kind: "rescindChannel", relid: 1 });
    h.step({ kind: "rescindChannel", relid: 2 });
    const first = h.step({ kind: "run" }).filter((o) => o.kind === "postMessage");
    expect(first).toHaveLength(1);
    expect(h.step({ kind: "run" }).filter((o) => o.kind === "postMessage")).toEqual([]);
    h.step({ kind: "deliveryResult", result: "slotBusy" });
    expect(h.step({ kind: "run" }).filter((o) => o.kind === "postMessage")).toEqual(first);
  });

  it("HOST-CONNECT-8: a target VP naming no processor is answered on VP 0 with connection_state 2", () => {
    const h = new Harness(config("strict"));
    h.send(initiate(0x40000, 9));
    expect(h.settle()).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 2, msgConnId: 0 }]);
    expect(h.log.find((o) => o.kind === "postMessage")).toMatchObject({ targetVp: 0 });
    expect(h.rejections()).toEqual(["HOST-CONNECT-8"]);
  });

  it("HOST-OFFER-2, HOST-OFFER-4: relids at realize; 196-byte offers (190 at 0.13) with connection id 0x2000 | relid", () => {
    const h = new Harness(config("strict"));
    expect(h.state.channels.map((c) => c.relid)).toEqual([1, 2, 3]);
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    h.settle();
    const offers = h.log.flatMap((o) => (o.kind === "postMessage" && o.message.type === "OfferChannel" ? [o] : []));
    expect(offers.map((o) => o.payloadSize)).toEqual([196, 196, 196]);
    expect(offers.map((o) => o.message.type === "OfferChannel" && o.message.form === "win7" && o.message.connectionId)).toEqual([0x2001, 0x2002, 0x2003]);
    const old = new Harness(config("strict"));
    old.send(initiate(0xd));
    old.send({ type: "RequestOffers" });
    old.settle();
    expect(old.log.flatMap((o) => (o.kind === "postMessage" && o.message.type === "OfferChannel" ? [o.payloadSize] : []))).toEqual([190, 190, 190]);
  });

  it("HOST-OFFER-8, HOST-DEV-1, HOST-IN-1: no spare relid, unknown relid, unknown input", () => {
    const h = connected("strict");
    h.step({ kind: "deviceAdded", device: { ...h.state.devices[0]!, subChannels: 2047 } });
    h.step({ kind: "rescindChannel", relid: 99 });
    h.step({ kind: "bogus" } as never);
    expect(h.rejections()).toEqual(["HOST-OFFER-8", "HOST-DEV-1", "HOST-IN-1"]);
  });

  it("HOST-GPADL-6, HOST-GPADL-9: an unused GPADL's teardown is answered and frees it; byte_count 0 fails the GPADL", () => {
    const h = connected("strict");
    createGpadl(h, 1, 7, 2);
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 7 });
    expect(h.settle()).toEqual([{ type: "GpadlTorndown", gpadl: 7 }]);
    expect(h.state.gpadls).toEqual([]);
    h.send({ type: "GpadlHeader", childRelid: 1, gpadl: 8, rangeBufferLength: 16, rangeCount: 1, ranges: [{ byteCount: 0, byteOffset: 0, pfns: ["5"] }] });
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 8, creationStatus: 0x8000ffff }]);
    expect(h.rejections()).toEqual(["HOST-GPADL-9"]);
  });

  it("HOST-OPEN-6: OPENCHANNEL naming a VP that does not exist fails", () => {
    const h = connected("strict");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4, 5));
    expect(h.settle()).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 0x8000ffff }]);
    expect(h.rejections()).toEqual(["HOST-OPEN-6"]);
  });

  it("HOST-RESET-1: a machine reset closes every channel, forgets the version; relids survive", () => {
    const h = connected("strict");
    createGpadl(h, 1, 7, 8);
    h.send(openMsg(1, 7, 4));
    h.settle();
    h.step({ kind: "reset" });
    expect(hostView(h.state)).toMatchObject({ connected: false, openChannels: [], gpadls: [] });
    expect(h.state.channels.map((c) => c.relid)).toEqual([1, 2, 3]);
  });
});
