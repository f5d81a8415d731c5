/**
 * QEMU's scheduling of its deferred work (QEMU hw/hyperv/vmbus.c vmbus_resched and its callers)
 * and what it exposes: HOST-RUN-5, HOST-QEMU-DEFECT-7/8 (machine reset with a staged message),
 * HOST-QEMU-DEFECT-9 (stall after a fatal delivery), HOST-OFFER-9 (no hotplug) and both outcomes
 * of HOST-QEMU-DEFECT-3 (hugeGpadlAllocation).
 */
import { describe, expect, it } from "vitest";
import { hostRunnable, hostView } from "../../spec/host/host.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import type { HostOutput } from "../../spec/host/interface.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { bytesToHex } from "../../spec/wire/hex.js";
import { Harness, config, connected, initiate } from "./helpers.js";

const rejected = (out: readonly HostOutput[]): string[] => out.flatMap((o) => (o.kind === "rejected" ? [o.rule] : []));
const defects = (out: readonly HostOutput[]): string[] => out.flatMap((o) => (o.kind === "defect" ? [o.rule] : []));

describe("HOST-RUN-5: a run happens only when QEMU scheduled one", () => {
  it("no run is scheduled at boot: a run input is rejected and changes nothing", () => {
    const h = new Harness(config("qemu"));
    expect(hostRunnable(h.cfg, h.state)).toBe(false);
    const before = h.state;
    expect(rejected(h.step({ kind: "run" }))).toEqual(["HOST-RUN-5"]);
    expect(h.state).toEqual(before);
  });
  it("a post onto an empty queue schedules one run; a post onto a non-empty queue schedules none", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    expect(h.state.runPending).toBe(true);
    h.send({ type: "RequestOffers" });
    expect(h.state.runPending).toBe(true);
  });
  it("process_message reschedules after each message; a run in flight consumes its bottom half without rescheduling", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    h.step({ kind: "run" }); // INITIATE_CONTACT processed → HANDSHAKE, resched
    expect(h.state.runPending).toBe(true);
    h.step({ kind: "run" }); // VERSION_RESPONSE posted: no resched (vmbus_msg_cb will)
    expect(h.state.runPending).toBe(false);
    expect(h.state.inFlight?.message.type).toBe("VersionResponse");
    h.send({ type: "RequestOffers" }); // queue was empty → scheduled
    h.step({ kind: "run" }); // msg_in_progress: nothing, no resched
    expect(h.state.runPending).toBe(false);
    expect(h.state.rxQueue).toHaveLength(1);
    h.step({ kind: "deliveryResult", result: "delivered" }); // vmbus_msg_cb `out:` reschedules
    expect(h.state.runPending).toBe(true);
    expect(h.settle().map((m) => m.type)).toEqual(["OfferChannel", "OfferChannel", "OfferChannel", "AllOffersDelivered"]);
    expect(hostRunnable(h.cfg, h.state)).toBe(false);
  });
  it("slot busy reschedules (HOST-RUN-2); a fatal delivery does not", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    h.step({ kind: "run" });
    h.step({ kind: "run" });
    h.step({ kind: "deliveryResult", result: "slotBusy" });
    expect(h.state.runPending).toBe(true);
    h.step({ kind: "run" });
    expect(h.state.inFlight?.message.type).toBe("VersionResponse");
    h.step({ kind: "deliveryResult", result: "fatal" });
    expect(h.state.runPending).toBe(false);
    expect(h.rejections()).toContain("HOST-RUN-3");
  });
});

describe("HOST-QEMU-DEFECT-9: a fatal delivery with messages queued stalls QEMU for good", () => {
  const stalled = (): Harness => {
    const h = connected("qemu");
    h.send({ type: "Unload" });
    h.step({ kind: "run" }); // → UNLOAD
    h.step({ kind: "run" }); // UNLOAD_RESPONSE staged
    expect(h.state.inFlight?.message.type).toBe("UnloadResponse");
    // The guest (a kdump kernel) posts INITIATE_CONTACT: queue empty → a run is scheduled, and
    // it runs while UNLOAD_RESPONSE is still in flight, so it is used up.
    h.send(initiate(0x40000));
    h.step({ kind: "run" });
    expect(h.state.runPending).toBe(false);
    // The guest disabled its SynIC message page: cpu_post_msg fails with -ENXIO.
    h.step({ kind: "deliveryResult", result: "fatal" });
    return h;
  };
  it("is reported on the step that leaves queued messages with no run scheduled", () => {
    const h = stalled();
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-9"]);
    expect(h.state.rxQueue).toHaveLength(1);
    expect(hostRunnable(h.cfg, h.state)).toBe(false);
  });
  it("nothing the guest posts is ever processed again: the queue fills and posts fail with INSUFFICIENT_BUFFERS", () => {
    const h = stalled();
    const statuses = Array.from({ length: 16 }, () => h.send(initiate(0x40000)));
    expect(statuses.slice(0, 15).every((s) => s === HvStatus.SUCCESS)).toBe(true);
    expect(statuses[15]).toBe(HvStatus.INSUFFICIENT_BUFFERS);
    expect(hostRunnable(h.cfg, h.state)).toBe(false);
    h.step({ kind: "reset" }); // a machine reset does not reschedule either
    expect(hostRunnable(h.cfg, h.state)).toBe(false);
    expect(hostView(h.state).connected).toBe(false);
  });
  it("with the queue empty at the fatal failure the next post schedules a run: no stall", () => {
    const h = connected("qemu");
    h.send({ type: "Unload" });
    h.settle(2);
    h.step({ kind: "deliveryResult", result: "fatal" });
    expect(h.defects()).toEqual([]);
    h.send(initiate(0x40000));
    expect(h.settle().map((m) => m.type)).toEqual(["VersionResponse"]);
  });
});

describe("HOST-QEMU-DEFECT-7/8: machine reset while a host message is staged", () => {
  it("the reset is a defect (synic_reset finds the route still referenced); the message's completion still comes and is a defect too", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    h.step({ kind: "run" });
    h.step({ kind: "run" });
    expect(defects(h.step({ kind: "reset" }))).toEqual(["HOST-QEMU-DEFECT-7"]);
    expect(h.state.staleDeliveries).toBe(1);
    expect(defects(h.step({ kind: "deliveryResult", result: "delivered" }))).toEqual(["HOST-QEMU-DEFECT-8"]);
    expect(h.state.staleDeliveries).toBe(0);
    // With nothing staged a delivery result is an environment error (HOST-RUN-4).
    expect(rejected(h.step({ kind: "deliveryResult", result: "delivered" }))).toEqual(["HOST-RUN-4"]);
  });
  it("a reset with nothing staged is no defect", () => {
    const h = connected("qemu");
    expect(defects(h.step({ kind: "reset" }))).toEqual([]);
    expect(h.state.staleDeliveries).toBe(0);
  });
});

describe("HOST-OFFER-9: no hotplug under qemu", () => {
  it("deviceAdded is refused and no channel appears", () => {
    const h = connected("qemu");
    const before = h.state.channels.length;
    const out = h.step({ kind: "deviceAdded", device: { ...DEFAULT_DEVICES[1]!, name: "hot", interfaceInstance: "00000000-0000-0000-0000-0000000000ff" } });
    expect(rejected(out)).toEqual(["HOST-OFFER-9"]);
    expect(h.state.channels).toHaveLength(before);
    expect(h.settle()).toEqual([]);
  });
  it("strict offers a hot-added device at once (HOST-OFFER-7)", () => {
    const h = connected("strict");
    h.step({ kind: "deviceAdded", device: { ...DEFAULT_DEVICES[1]!, name: "hot", interfaceInstance: "00000000-0000-0000-0000-0000000000ff" } });
    expect(h.settle().map((m) => m.type)).toEqual(["OfferChannel"]);
  });
});

/** GPADL_HEADER with rangecount 1, range_buflen 4 (< 8) and byte_count 0xFFFFF000, no PFNs. */
const hugeHeader = (relid: number, id: number): string => {
  const b = new Uint8Array(28);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 8, true);
  dv.setUint32(8, relid, true);
  dv.setUint32(12, id, true);
  dv.setUint16(16, 4, true);
  dv.setUint16(18, 1, true);
  dv.setUint32(20, 0xfffff000, true);
  return bytesToHex(b);
};
const raw = (hex: string) => ({ kind: "postMessage" as const, connectionId: 1, messageType: 1, payloadSize: hex.length / 2, payload: hex });

describe("HOST-QEMU-DEFECT-3: both outcomes of the 32 GiB allocation", () => {
  it("aborts (default): defect, nothing listed", () => {
    const h = connected("qemu");
    h.step(raw(hugeHeader(1, 9)));
    expect(h.settle()).toEqual([]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-3"]);
    expect(hostView(h.state).gpadls).toEqual([]);
  });
  it("succeeds: the GPADL is listed and never completes; reusing its id is ignored; GPADL_TEARDOWN is answered", () => {
    const h = connected("qemu", 0x40000, { parameters: { hugeGpadlAllocation: "succeeds" } });
    h.step(raw(hugeHeader(1, 9)));
    expect(h.settle()).toEqual([]);
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-3"]);
    expect(hostView(h.state).gpadls).toEqual([{ id: 9, childRelid: 1, complete: false, state: "init" }]);
    h.send({ type: "GpadlBody", msgNumber: 0, gpadl: 9, pfns: ["1", "2"] });
    expect(h.settle()).toEqual([]);
    expect(hostView(h.state).gpadls[0]?.complete).toBe(false);
    h.step(raw(hugeHeader(1, 9)));
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toContain("HOST-GPADL-2");
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 9 });
    expect(h.settle().map((m) => m.type)).toEqual(["GpadlTorndown"]);
    expect(hostView(h.state).gpadls).toEqual([]);
  });
});
