/**
 * The openvmm host's connection handling as OpenVMM vm/devices/vmbus/vmbus_server/src/channels.rs
 * does it at microsoft/openvmm 1488a37b (:2150-2760 handle_initiate_contact,
 * send_version_response, request_disconnect, handle_unload, handle_request_offers, send_offer):
 * which fields of INITIATE_CONTACT are read from which version, the VERSION_RESPONSE forms,
 * the offers' order, ids and contents.
 */
import { describe, expect, it } from "vitest";
import type { DeviceSpec, HostOutput } from "../../spec/host/interface.js";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, gpadlMessages, initiate, openMsg } from "./helpers.js";

const ic = (version: number, extra: Partial<{ targetVcpu: number; featureFlags: number; monitorPage1: string; monitorPage2: string }> = {}): Message => ({
  type: "InitiateContact", form: "msgSint", vmbusVersionRequested: version, targetVcpu: 0, msgSint: 2, msgVtl: 0, featureFlags: 0, monitorPage1: "0", monitorPage2: "0", ...extra,
});
const posts = (out: readonly HostOutput[]) => out.flatMap((o) => (o.kind === "postMessage" ? [{ vp: o.targetVp, message: o.message }] : []));
const offers = (ms: readonly Message[]) => ms.flatMap((m) => (m.type === "OfferChannel" ? [m] : []));
const dev = (name: string, interfaceType: string, interfaceInstance: string, subChannels = 0, channelFlags = 0): DeviceSpec => ({ name, interfaceType, interfaceInstance, subChannels, channelFlags, mmioMegabytes: 4, openResult: "ok" });

describe("openvmm INITIATE_CONTACT (HOST-OPENVMM-CONNECT-4/-5)", () => {
  it("HOST-OPENVMM-CONNECT-4: the VERSION_RESPONSE form by version: the version below 5.0, the child connection id from 5.0, Copper with features at 6.0", () => {
    const answer = (m: Message) => {
      const h = new Harness(config("openvmm"));
      h.send(m);
      return [h.settle(), h.state.connected, h.state.version, h.state.msgConnId] as const;
    };
    expect(answer(initiate(0x30000))).toEqual([[{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 0x30000 }], true, 0x30000, 0]);
    expect(answer(ic(0x50000))).toEqual([[{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 1 }], true, 0x50000, 1]);
    // Every feature but client_id (which needs the 56-byte form) is asked for: the supported ones are given.
    expect(answer(ic(0x60000, { featureFlags: 0xfffffff7 }))).toEqual([[{ type: "VersionResponse", form: "copper", versionSupported: 1, connectionState: 0, msgConnId: 1, supportedFeatures: 0x27 }], true, 0x60000, 1]);
    expect(answer(ic(0x50003, { featureFlags: 0x20 }))[0]).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 1 }]);
  });

  it("HOST-OPENVMM-CONNECT-4: one monitor page fails with connection_state 2 from 2.4 and the all-zero reply below; an unknown version gets the zero reply", () => {
    const zero = { type: "VersionResponse", form: "v1", versionSupported: 0, connectionState: 0, msgConnId: 0 };
    const one = (version: number, port = 1) => {
      const h = new Harness(config("openvmm"));
      const m = version >= 0x50000 ? ic(version, { monitorPage1: "4096" }) : { ...(initiate(version) as Extract<Message, { type: "InitiateContact" }>), monitorPage2: "0" };
      h.send(m as Message, port);
      return [h.settle(), h.state.connected, h.rejections()] as const;
    };
    expect(one(0x10001)).toEqual([[zero], false, ["HOST-OPENVMM-CONNECT-4"]]);
    expect(one(0x20004)).toEqual([[{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 2, msgConnId: 0x20004 }], false, ["HOST-OPENVMM-CONNECT-4"]]);
    expect(one(0x50000)).toEqual([[{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 2, msgConnId: 1 }], false, ["HOST-OPENVMM-CONNECT-4"]]);
    for (const version of [0x30001, 0x70000, 0]) {
      const h = new Harness(config("openvmm"));
      h.send(ic(version));
      expect([version, h.settle(), h.rejections()]).toEqual([version, [zero], ["HOST-OPENVMM-CONNECT-4"]]);
    }
    const capped = new Harness(config("openvmm", { parameters: { maxVersion: 0x50003 } }));
    capped.send(ic(0x60000));
    expect(capped.settle()).toEqual([zero]);
  });

  it("HOST-OPENVMM-CONNECT-5: the target VP is read from 3.0; the interrupt page is kept below 2.4", () => {
    const vpOf = (version: number) => {
      const h = new Harness(config("openvmm"));
      h.send(initiate(version, 1));
      h.step({ kind: "run" });
      return [posts(h.log)[0]?.vp, h.state.targetVp, h.state.interruptPage] as const;
    };
    expect(vpOf(0x20004)).toEqual([0, 0, "0"]);
    expect(vpOf(0x30000)).toEqual([1, 1, "0"]);
    expect(vpOf(0x10001)).toEqual([0, 0, "12288"]);
    expect(vpOf(0xd)).toEqual([0, 0, "12288"]);
  });

  it("HOST-OPENVMM-GPADL-6: the disconnect forgets incomplete GPADLs: their ids start again on the next connection", () => {
    const h = new Harness(config("openvmm"));
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    const header = (relid: number) => ({ kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 28, payload: "08000000" + "00000000" + `0${relid}000000` + "05000000" + "1800" + "0100" + "0020000000000000" }) as const;
    h.step(header(1));
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    h.step(header(2));
    h.settle();
    h.log.length = 0;
    h.send({ type: "GpadlBody", msgNumber: 0, gpadl: 5, pfns: ["1", "2"] });
    expect(h.settle()).toEqual([{ type: "GpadlCreated", childRelid: 2, gpadl: 5, creationStatus: 0 }]);
    expect(h.rejections()).toEqual([]);
  });

  it("HOST-OPENVMM-CONNECT-4: a new INITIATE_CONTACT disconnects first: open channels close, GPADLs and ids go", () => {
    const h = new Harness(config("openvmm"));
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    h.send(openMsg(1, 9, 2));
    h.settle();
    h.log.length = 0;
    h.send(initiate(0x40000));
    expect(h.settle()).toEqual([{ type: "VersionResponse", form: "v1", versionSupported: 1, connectionState: 0, msgConnId: 0x40000 }]);
    expect(h.log.flatMap((o) => (o.kind === "deviceNotify" ? [`${o.relid} ${o.reason}`] : []))).toEqual(["1 closed"]);
    expect([h.state.channels, h.state.gpadls, h.state.offersRequested]).toEqual([[], [], false]);
  });
});

describe("openvmm REQUESTOFFERS and OFFERCHANNEL (HOST-OPENVMM-OFFER-1/-2, HOST-OPENVMM-RESERVED-3)", () => {
  it("HOST-OPENVMM-OFFER-1: offers sorted by interface id, then instance id, then sub-channel, ids from 1", () => {
    const devices = [
      dev("b", "22222222-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000b"),
      dev("a", "22222222-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000a", 0, 0x0100),
      dev("c", "11111111-0000-0000-0000-000000000000", "00000000-0000-0000-0000-00000000000c", 2, 0x000f),
    ];
    const h = new Harness(config("openvmm", { devices }));
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    const ms = h.settle();
    expect(ms.at(-1)).toEqual({ type: "AllOffersDelivered" });
    expect(offers(ms).map((o) => [o.childRelid, o.interfaceInstance.slice(-1), o.subChannelIndex, o.form === "win7" ? o.connectionId : -1, o.channelFlags])).toEqual([
      [1, "c", 0, 0x2001, 0x0001],
      [2, "c", 1, 0x2002, 0x0001],
      [3, "c", 2, 0x2003, 0x0001],
      [4, "a", 0, 0x2004, 0x0100],
      [5, "b", 0, 0x2005, 0],
    ]);
    // HOST-OPENVMM-OFFER-2: the fixed fields of send_offer.
    expect(offers(ms)[0]).toMatchObject({ form: "win7", interfaceType: "11111111-0000-0000-0000-000000000000", mmioMegabytes: 4, mmioMegabytesOptional: 0, monitorId: 0xff, monitorFlags: 0, interruptFlags: 1, reserved1: "0", reserved2: "0", userDefined: "00".repeat(120) });
    expect(h.state.allOffersSent).toBe(true);
  });

  it("HOST-OPENVMM-OFFER-1: a device added after the offers gets the first free id and is offered at once; before them it waits", () => {
    const h = new Harness(config("openvmm"));
    const extra = dev("x", "33333333-0000-0000-0000-000000000000", "00000000-0000-0000-0000-0000000000ff");
    h.send(initiate(0x40000));
    h.settle();
    expect(h.step({ kind: "deviceAdded", device: extra }).some((o) => o.kind === "postMessage")).toBe(false);
    h.send({ type: "RequestOffers" });
    expect(offers(h.settle()).map((o) => o.childRelid)).toEqual([1, 2, 3, 4]);
    h.send({ type: "RelIdReleased", childRelid: 2 });
    h.settle();
    const added = posts(h.step({ kind: "deviceAdded", device: { ...extra, name: "y" } }));
    expect(added.map((p) => p.message)).toMatchObject([{ type: "OfferChannel", childRelid: 2, connectionId: 0x2002 }]);
  });

  it("HOST-OPENVMM-RESERVED-3: a reserved channel keeps its id over a reconnect and is not offered again", () => {
    const h = new Harness(config("openvmm"));
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    for (const m of gpadlMessages(1, 9, 4)) h.send(m);
    h.send({ type: "OpenReservedChannel", channelId: 1, targetVp: 0, targetSint: 2, ringBufferGpadl: 9, downstreamPageOffset: 2 });
    h.settle();
    h.send(initiate(0x40000));
    h.send({ type: "RequestOffers" });
    expect(offers(h.settle()).map((o) => o.childRelid)).toEqual([2, 3]);
    expect(h.state.channels.map((c) => [c.relid, c.isOpen]).sort()).toEqual([[1, true], [2, false], [3, false]]);
  });

  it("HOST-OPENVMM-UNLOAD-1: UNLOAD keeps the pending messages and sends UNLOAD_COMPLETE after them", () => {
    const h = new Harness(config("openvmm"));
    h.send(ic(0x60000, { featureFlags: 0x20 }));
    h.send({ type: "RequestOffers" });
    h.send({ type: "Pause" });
    h.settle();
    h.step({ kind: "rescindChannel", relid: 3 });
    h.send({ type: "Unload" });
    expect(h.settle().map((m) => m.type)).toEqual(["RescindChannelOffer", "UnloadResponse"]);
    expect([h.state.connected, h.state.paused, h.state.channels]).toEqual([false, false, []]);
  });
});
