/**
 * QEMU's host (spec/host/qemu/handlers.ts, replies.ts, engine.ts) at the points its narrowed
 * mutation run left unobserved: HOST-GPADL-1 (one page-aligned range only), HOST-GPADL-12 for a
 * torn-down GPADL still held by an open channel, which GPADL each state runner picks, the state
 * after each completion, the status vmbus_msg_cb traces, and a run nobody scheduled (HOST-RUN-5).
 */
import { describe, expect, it } from "vitest";
import { encodeMessage } from "../../spec/wire/codec.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import type { Message } from "../../spec/wire/messages.js";
import { Version } from "../../spec/wire/versions.js";
import { Harness, config, connected, createGpadl, gpadlMessages, initiate, openMsg, rawPost, answer } from "./helpers.js";


describe("qemu GPADLs", () => {
  it("HOST-GPADL-1: two ranges, a byte offset, or a byte count that is not num_gfns pages: dropped, nothing stored", () => {
    const h = connected("qemu", Version.WIN10);
    const pfns = ["4096", "4097"];
    for (const m of [
      { type: "GpadlHeader", childRelid: 1, gpadl: 7, rangeBufferLength: 48, rangeCount: 2, ranges: [{ byteCount: 4096, byteOffset: 0, pfns: ["4096"] }, { byteCount: 4096, byteOffset: 0, pfns: ["4097"] }] },
      { type: "GpadlHeader", childRelid: 1, gpadl: 7, rangeBufferLength: 24, rangeCount: 1, ranges: [{ byteCount: 8192 - 16, byteOffset: 16, pfns }] },
      { type: "GpadlHeader", childRelid: 1, gpadl: 7, rangeBufferLength: 24, rangeCount: 1, ranges: [{ byteCount: 8000, byteOffset: 0, pfns }] },
    ] as Message[]) {
      expect(answer(h, m)).toEqual({ posted: [], rejected: ["HOST-GPADL-1"] });
    }
    expect(h.state.gpadls).toEqual([]);
    expect(h.state.bus).toBe("listen");
  });

  it("HOST-GPADL-3: a header's GPADL is stored with its PFNs, no header copy and no bodies", () => {
    const h = connected("qemu", Version.WIN10);
    h.send(gpadlMessages(1, 7, 40)[0]!);
    h.settle();
    const g = h.state.gpadls.find((x) => x.id === 7)!;
    expect({ expected: g.expected, pfns: g.data.length, header: g.header, bodies: g.bodies, state: g.state }).toEqual({ expected: 40, pfns: 26, header: null, bodies: [], state: "init" });
  });

  it("HOST-GPADL-4: GPADL_CREATED names the GPADL that was just completed, also when an older one is still incomplete", () => {
    const h = connected("qemu", Version.WIN10);
    const a = gpadlMessages(1, 7, 40);
    h.send(a[0]!); // incomplete: waits for its body
    expect(createGpadl(h, 1, 8, 4)).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 8, creationStatus: 0 }]);
    expect(answer(h, a[1]!).posted).toEqual([{ type: "GpadlCreated", childRelid: 1, gpadl: 7, creationStatus: 0 }]);
    expect(h.state.gpadls.map((g) => [g.id, g.state])).toEqual([
      [8, "alive"],
      [7, "alive"],
    ]);
  });

  it("HOST-GPADL-12: tearing down a GPADL that is torn down but still held by an open channel is dropped; the bus is back in LISTEN after each teardown", () => {
    const h = connected("qemu", Version.WIN10);
    createGpadl(h, 1, 7, 4);
    h.send(openMsg(1, 7, 2));
    h.settle();
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 7 }).posted).toEqual([{ type: "GpadlTorndown", gpadl: 7 }]);
    expect(h.state.bus).toBe("listen");
    expect(h.state.gpadls.find((g) => g.id === 7)?.state).toBe("torndown"); // the open channel still holds it
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 7 })).toEqual({ posted: [], rejected: ["HOST-GPADL-12"] });
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 99 })).toEqual({ posted: [], rejected: ["HOST-GPADL-12"] });
  });
});

describe("qemu state runner", () => {
  it("the monitor pages of INITIATE_CONTACT are recorded", () => {
    const h = new Harness(config("qemu"));
    h.send({ ...initiate(Version.WIN10), monitorPage1: "20480", monitorPage2: "24576" } as Message);
    h.settle();
    expect([h.state.monitorPage1, h.state.monitorPage2]).toEqual(["20480", "24576"]);
  });

  it("HOST-OFFER-1, HOST-OPEN-5: all offers sent once the last offer's ALLOFFERS_DELIVERED completes; a failed open leaves the channel in INIT without the ring notification", () => {
    const h = connected("qemu", Version.WIN10);
    expect(h.state.allOffersSent).toBe(true);
    expect(h.state.bus).toBe("listen");
    createGpadl(h, 1, 7, 4);
    const from = h.log.length;
    h.send(openMsg(1, 7, 1)); // HOST-OPEN-3: a 1-page ring
    const posted = h.settle();
    expect(posted).toEqual([{ type: "OpenChannelResult", childRelid: 1, openId: 1, status: 1 }]);
    expect(h.state.channels.find((c) => c.relid === 1)).toMatchObject({ state: "init", isOpen: false });
    expect(h.log.slice(from).filter((o) => o.kind === "deviceNotify")).toEqual([]);
    expect(h.state.bus).toBe("listen");
  });

  it("HOST-UNLOAD-1: UNLOAD's completion returns the bus to LISTEN", () => {
    const h = connected("qemu", Version.WIN10);
    expect(answer(h, { type: "Unload" }).posted).toEqual([{ type: "UnloadResponse" }]);
    expect(h.state.bus).toBe("listen");
    expect(h.state.connected).toBe(false);
  });

  it("HOST-RUN-6: vmbus_msg_cb traces the delivery status: 0, -EAGAIN for a busy slot", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(Version.WIN10));
    for (let i = 0; i < 5 && !h.state.inFlight; i++) h.step({ kind: "run" });
    expect(h.state.inFlight).not.toBeNull();
    h.step({ kind: "deliveryResult", result: "slotBusy" });
    for (let i = 0; i < 5 && !h.state.inFlight; i++) h.step({ kind: "run" });
    h.step({ kind: "deliveryResult", result: "delivered" });
    expect(h.traces().filter((t) => t.startsWith("vmbus_msg_cb"))).toEqual(["vmbus_msg_cb message status -11", "vmbus_msg_cb message status 0"]);
  });

  it("HOST-RUN-5: a run nobody scheduled is refused and changes nothing", () => {
    const h = connected("qemu", Version.WIN10);
    const before = h.state;
    h.step({ kind: "run" });
    expect(h.state.rxQueue).toEqual(before.rxQueue);
    expect(h.state.bus).toBe("listen");
    expect(h.rejections()).toEqual(["HOST-RUN-5"]);
    // and a raw post still gets processed afterwards
    h.step(rawPost(bytesToHex(encodeMessage({ type: "RequestOffers" })), 8));
    h.settle();
    expect(h.state.offersRequested || h.state.allOffersSent).toBe(true);
  });
});
