/**
 * HOST-QEMU-DEFECT-9 is reported only when QEMU would still be running: a step that already hit
 * a defect (QEMU crashed there) is not also reported as a stall (spec/host/qemu/engine.ts
 * qemuStallCheck), a condition a Stryker run showed no test could tell apart.
 */
import { describe, expect, it } from "vitest";
import { Harness, config, initiate } from "./helpers.js";

describe("HOST-QEMU-DEFECT-9 after a crash", () => {
  it("HOST-QEMU-DEFECT-2: the VERSION_RESPONSE posted through a NULL SINT route with a message queued is the crash alone, not also a stall", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000, 0xffffffff)); // no SINT route
    h.step({ kind: "run" }); // process_message: HANDSHAKE, resched
    h.send({ type: "RequestOffers" }); // queued behind the handshake
    h.step({ kind: "run" }); // send_handshake: NULL route
    expect(h.defects()).toEqual(["HOST-QEMU-DEFECT-2"]);
    expect(h.state.rxQueue.length).toBe(1);
    expect(h.state.runPending).toBe(false);
  });

  it("HOST-QEMU-DEFECT-9: a reply in flight with a message queued is no stall (the delivery callback reschedules)", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    h.step({ kind: "run" });
    h.send({ type: "RequestOffers" });
    h.step({ kind: "run" }); // VERSION_RESPONSE in flight, REQUESTOFFERS queued, no run scheduled
    expect(h.state.inFlight).not.toBeNull();
    expect(h.defects()).toEqual([]);
  });

  it("HOST-RUN-3: a fatal delivery is traced with status -ENXIO (-6), a busy slot with -EAGAIN (-11)", () => {
    const h = new Harness(config("qemu"));
    h.send(initiate(0x40000));
    h.step({ kind: "run" });
    h.step({ kind: "run" });
    h.step({ kind: "deliveryResult", result: "slotBusy" });
    h.step({ kind: "run" });
    h.step({ kind: "deliveryResult", result: "fatal" });
    expect(h.traces().filter((t) => t.startsWith("vmbus_msg_cb"))).toEqual(["vmbus_msg_cb message status -11", "vmbus_msg_cb message status -6"]);
  });
});
