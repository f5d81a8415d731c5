/**
 * HOST-RESET-1 for the whole host state: a bus reset (spec/host/common.ts busReset, deinit)
 * returns every connection field to its boot value (spec/host/host.ts initialHostState), keeps
 * relids and, in QEMU only, the incoming queue. Stryker showed single fields of the boot state and
 * of vmbus_deinit that no scenario looked at.
 */
import { describe, expect, it } from "vitest";
import { hostStep, initialHostState } from "../../spec/host/host.js";
import type { HostState } from "../../spec/host/state.js";
import type { Message } from "../../spec/wire/messages.js";
import { Harness, config, connected, initiate, openWithRings, post } from "./helpers.js";

/** The state without the per-channel open parameters a reset leaves behind (openId, targetVp, ring GPADL, send offset). */
const shape = (s: HostState) => ({
  ...s,
  channels: s.channels.map((ch) => ({ relid: ch.relid, device: ch.device, sub: ch.subChannelIndex, offer: ch.offerState, state: ch.state, isOpen: ch.isOpen, rescinded: ch.rescinded, modify: ch.modifyPending })),
});

describe("HOST-RESET-1: a bus reset returns the host to its boot state", () => {
  it("the boot state: LISTEN, version 0, no VP, no pages, nothing queued or in flight (strict)", () => {
    const s = initialHostState(config("strict"));
    expect({ ...s, channels: [], devices: [] }).toEqual({
      model: "outgoingQueue", listening: [1, 4], bus: "listen", version: 0, connected: false, targetVp: 0xffffffff, sintRoute: false, interruptPage: "0",
      monitorPage1: "0", monitorPage2: "0", features: 0, msgConnId: 0, rxQueue: [], inFlight: null, outQueue: [],
      devices: [], channels: [], gpadls: [], offersRequested: false, allOffersSent: false, paused: false, runPending: false, staleDeliveries: 0,
    });
    expect(s.channels.map((ch) => [ch.relid, ch.device, ch.subChannelIndex, ch.offerState, ch.state, ch.isOpen, ch.openId, ch.targetVp, ch.ringGpadl, ch.sendOffset, ch.rescinded, ch.modifyPending])).toEqual([
      [1, 0, 0, "init", "init", false, 0, 0, 0, 0, false, false],
      [2, 0, 1, "init", "init", false, 0, 0, 0, 0, false, false],
      [3, 1, 0, "init", "init", false, 0, 0, 0, 0, false, false],
    ]);
  });

  it("strict at 6.0, paused, with features, a channel open and a message queued: reset gives the boot state back (relids kept, queue dropped)", () => {
    const h = new Harness(config("strict"));
    const boot = initialHostState(h.cfg);
    h.send({ ...initiate(0x60000), featureFlags: 0x21 } as Message, 4);
    h.settle();
    h.send({ type: "RequestOffers" });
    h.settle();
    openWithRings(h, [[1, 7]]);
    h.send({ type: "Pause" });
    h.settle();
    h.step(post({ type: "RequestOffers" })); // queued, not yet run
    expect(h.state.connected && h.state.paused && h.state.rxQueue.length === 1 && h.state.msgConnId === 1 && h.state.features === 0x21).toBe(true);
    h.step({ kind: "reset" });
    expect(shape(h.state)).toEqual(shape({ ...boot, monitorPage1: h.state.monitorPage1, monitorPage2: h.state.monitorPage2 }));
    expect(h.state.interruptPage).toBe("0");
  });

  it("qemu at 1.1: the interrupt page is forgotten, so a later shared-event signal (connection id 2) notifies no device", () => {
    const h = connected("qemu", 0x10001);
    openWithRings(h, [[1, 7]]);
    expect(h.state.interruptPage).toBe("12288");
    const signal = { kind: "signalEvent", connectionId: 2, flagNumber: 0, interruptPageBits: [1] } as const;
    expect(h.step(signal).filter((o) => o.kind === "deviceNotify")).toEqual([{ kind: "deviceNotify", relid: 1, reason: "guestSignal" }]);
    h.step({ kind: "reset" });
    expect(h.state.interruptPage).toBe("0");
    expect(h.step(signal).filter((o) => o.kind === "deviceNotify")).toEqual([]);
  });

  it("qemu keeps its incoming queue across the reset; strict drops it", () => {
    for (const [profile, kept] of [["qemu", 1], ["strict", 0]] as const) {
      const h = new Harness(config(profile));
      h.step(post(initiate(0x40000)));
      expect(h.state.rxQueue.length).toBe(1);
      const r = hostStep(h.cfg, h.state, { kind: "reset" });
      expect(r.state.rxQueue.length).toBe(kept);
      expect(r.state.bus).toBe("listen");
    }
  });
});
