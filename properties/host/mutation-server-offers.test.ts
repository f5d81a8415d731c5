/**
 * Offers, rescinds, relid release and the outgoing queue of the strict host
 * (spec/host/server/offers.ts, engine.ts): HOST-OFFER-4/-5/-7, HOST-RESCIND-1/-2, HOST-DEV-1 and
 * HOST-RUN-1..-4, each at the point where the answer changes.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import type { HostConfig } from "../../spec/host/host.js";
import { FeatureFlag } from "../../spec/wire/constants.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { Harness, config, connected, createGpadl, initiate, openMsg, modifyProcessed } from "./helpers.js";

const one = (extra: Partial<HostConfig> = {}) => config("strict", { devices: [{ ...DEFAULT_DEVICES[0]!, subChannels: 0, channelFlags: 0x000e }], ...extra });
const offers = (ms: readonly Message[]) => ms.filter((m): m is Extract<Message, { type: "OfferChannel" }> => m.type === "OfferChannel");

describe("strict offers (spec/host/server/offers.ts)", () => {
  it("HOST-OFFER-4: the win7 form from 1.1 (connection id 0x2000 | relid, interrupt flags 1, monitor id 0xFF), the pre-win7 form at 0.13", () => {
    const h = new Harness(one());
    h.send(initiate(Version.WIN7));
    h.settle();
    h.send({ type: "RequestOffers" });
    const [o] = offers(h.settle());
    expect(o).toMatchObject({ form: "win7", childRelid: 1, connectionId: 0x2001, interruptFlags: 1, monitorId: 0xff, monitorFlags: 0, subChannelIndex: 0, reserved1: "0", reserved2: "0", mmioMegabytesOptional: 0 });
    expect(o!.interfaceType).toBe(DEFAULT_DEVICES[0]!.interfaceType);
    expect(o!.interfaceInstance).toBe(DEFAULT_DEVICES[0]!.interfaceInstance);
    expect(o!.userDefined).toBe("00".repeat(120));
    const old = new Harness(one());
    old.send(initiate(Version.WS2008));
    old.settle();
    old.send({ type: "RequestOffers" });
    const [p] = offers(old.settle());
    expect(p!.form).toBe("preWin7");
    expect("connectionId" in p!).toBe(false);
  });

  it("HOST-OFFER-4: the confidential bits (0x6) go out only with CONFIDENTIAL_CHANNELS negotiated, the pinning bit (0x8) only with GPA_PINNING", () => {
    const flagsWith = (featureFlags: number) => {
      const h = new Harness(one({ parameters: { supportedFeatures: 0xff } }));
      h.send({ ...initiate(Version.WIN10_V6_0), featureFlags } as Message, 4);
      h.settle();
      h.send({ type: "RequestOffers" });
      return offers(h.settle())[0]!.channelFlags;
    };
    expect(flagsWith(0)).toBe(0);
    expect(flagsWith(FeatureFlag.CONFIDENTIAL_CHANNELS)).toBe(0x6);
    expect(flagsWith(FeatureFlag.GPA_PINNING)).toBe(0x8);
    expect(flagsWith(FeatureFlag.CONFIDENTIAL_CHANNELS | FeatureFlag.GPA_PINNING)).toBe(0xe);
  });

  it("HOST-OFFER-5: a second REQUESTOFFERS is refused and answered with ALLOFFERS_DELIVERED only", () => {
    const h = connected("strict", Version.WIN10);
    h.send({ type: "RequestOffers" });
    expect(h.settle()).toEqual([{ type: "AllOffersDelivered" }]);
    expect(h.rejections()).toEqual(["HOST-OFFER-5"]);
    expect(h.state.allOffersSent).toBe(true);
  });

  it("HOST-OFFER-7: a device added after the offers were requested is offered at once; before, with the others", () => {
    const dev = { ...DEFAULT_DEVICES[0]!, name: "late", interfaceInstance: "5a0b7a8e-0000-4000-8000-0000000000aa", subChannels: 0 };
    const h = connected("strict", Version.WIN10);
    const n = h.state.channels.length;
    h.step({ kind: "deviceAdded", device: dev });
    const o = offers(h.settle());
    expect(o.map((x) => x.interfaceInstance)).toEqual([dev.interfaceInstance]);
    expect(h.state.channels).toHaveLength(n + 1);
    const early = new Harness(config("strict"));
    early.step({ kind: "deviceAdded", device: dev });
    early.send(initiate(Version.WIN10));
    expect(offers(early.settle())).toEqual([]);
    early.send({ type: "RequestOffers" });
    expect(offers(early.settle()).map((x) => x.interfaceInstance)).toContain(dev.interfaceInstance);
  });

  it("HOST-RESCIND-1: an offered channel is rescinded (its resources closed); one never offered just disappears; HOST-DEV-1 for a second rescind", () => {
    const h = connected("strict", Version.WIN10);
    createGpadl(h, 1, 7, 4);
    h.send(openMsg(1, 7, 2));
    h.settle();
    h.step({ kind: "rescindChannel", relid: 1 });
    expect(h.settle()).toEqual([{ type: "RescindChannelOffer", childRelid: 1 }]);
    expect(h.state.channels.find((c) => c.relid === 1)).toMatchObject({ rescinded: true, isOpen: false, state: "init" });
    h.step({ kind: "rescindChannel", relid: 1 });
    expect(h.rejections()).toEqual(["HOST-DEV-1"]);
    // not yet offered: removed without a message
    const quiet = new Harness(config("strict"));
    quiet.send(initiate(Version.WIN10));
    quiet.settle();
    quiet.step({ kind: "rescindChannel", relid: 1 });
    expect(quiet.settle()).toEqual([]);
    expect(quiet.state.channels.some((c) => c.relid === 1)).toBe(false);
  });

  it("HOST-RESCIND-2: RELID_RELEASED frees a rescinded relid; for a live or unknown relid it is refused", () => {
    const h = connected("strict", Version.WIN10);
    h.send({ type: "RelIdReleased", childRelid: 1 });
    h.send({ type: "RelIdReleased", childRelid: 99 });
    h.settle();
    expect(h.rejections()).toEqual(["HOST-RESCIND-2", "HOST-RESCIND-2"]);
    expect(h.state.channels.some((c) => c.relid === 1)).toBe(true);
    h.step({ kind: "rescindChannel", relid: 1 });
    h.settle();
    h.send({ type: "RelIdReleased", childRelid: 1 });
    h.settle();
    expect(h.rejections()).toHaveLength(2);
    expect(h.state.channels.some((c) => c.relid === 1)).toBe(false);
  });
});

describe("strict outgoing queue (spec/host/server/engine.ts)", () => {
  it("HOST-RUN-1: a run posts the queue's head before it processes another incoming message", () => {
    const h = new Harness(config("strict"));
    h.send(initiate(Version.WIN10));
    h.send({ type: "RequestOffers" });
    const first = h.step({ kind: "run" });
    expect(first.filter((o) => o.kind === "postMessage")).toEqual([]); // processed INITIATE_CONTACT
    expect(h.state.outQueue).toHaveLength(1);
    expect(h.state.rxQueue).toHaveLength(1);
    h.step({ kind: "deliveryResult", result: "delivered" });
    const second = h.step({ kind: "run" }); // posts VERSION_RESPONSE, REQUESTOFFERS still queued
    expect(second.flatMap((o) => (o.kind === "postMessage" ? [o.message.type] : []))).toEqual(["VersionResponse"]);
    expect(h.state.rxQueue).toHaveLength(1);
    expect(h.state.allOffersSent).toBe(false);
    h.step({ kind: "deliveryResult", result: "delivered" });
    h.settle();
    expect(h.state.allOffersSent).toBe(true); // set when ALLOFFERS_DELIVERED is posted
  });

  it("HOST-RUN-2/-3/-4: a busy slot puts the message back at the head; a fatal failure resets the bus; a result with nothing in flight is refused", () => {
    const h = new Harness(config("strict"));
    h.step({ kind: "deliveryResult", result: "delivered" });
    expect(h.rejections()).toEqual(["HOST-RUN-4"]);
    h.send(initiate(Version.WIN10));
    h.step({ kind: "run" });
    h.step({ kind: "run" });
    expect(h.state.inFlight?.message.type).toBe("VersionResponse");
    h.step({ kind: "deliveryResult", result: "slotBusy" });
    expect(h.state.inFlight).toBeNull();
    expect(h.state.outQueue.map((m) => m.message.type)).toEqual(["VersionResponse"]);
    h.step({ kind: "run" });
    h.step({ kind: "deliveryResult", result: "fatal" });
    expect(h.rejections()).toEqual(["HOST-RUN-4", "HOST-RUN-3"]);
    expect(h.state.connected).toBe(false);
  });

  it("a delivered MODIFYCHANNEL_RESPONSE ends the modify in flight (HOST-MODIFY-3 no longer applies)", () => {
    const h = modifyProcessed();
    h.step({ kind: "run" });
    expect(h.state.inFlight?.message.type).toBe("ModifyChannelResponse");
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(true);
    h.step({ kind: "deliveryResult", result: "slotBusy" });
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(true);
    h.step({ kind: "run" });
    h.step({ kind: "deliveryResult", result: "delivered" });
    expect(h.state.channels.find((c) => c.relid === 1)?.modifyPending).toBe(false);
  });
});
