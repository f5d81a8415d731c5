/**
 * The edges of QEMU's HvPostMessage / HvSignalEvent checks (spec/host/hypercall.ts): each bound
 * exactly at and past its limit, and every malformed field of the input (HOST-HC-7).
 */
import { describe, expect, it } from "vitest";
import type { HostInput } from "../../spec/host/interface.js";
import { HvStatus } from "../../spec/wire/constants.js";
import { Harness, config, connected, openWithRings, rawPost } from "./helpers.js";

const status = (h: Harness, input: HostInput): number | undefined => {
  const o = h.step(input).find((x) => x.kind === "hypercallStatus");
  return o && o.kind === "hypercallStatus" ? o.status : undefined;
};
/** A 16-byte VMBus message of type `type` (little-endian u32 at offset 0). */
const typed = (type: number): string => type.toString(16).padStart(2, "0") + "00".repeat(15);

describe("HvPostMessage bounds", () => {
  it("HOST-HC-2, HOST-HC-4: payload_size 8 and 240 pass, 7 and 241 fail", () => {
    const h = new Harness(config("strict"));
    expect([8, 240, 7, 241].map((n) => status(h, rawPost(typed(3), n)))).toEqual([HvStatus.SUCCESS, HvStatus.SUCCESS, HvStatus.INVALID_HYPERCALL_INPUT, HvStatus.INVALID_HYPERCALL_INPUT]);
    expect(h.rejections()).toEqual(["HOST-HC-4", "HOST-HC-2"]);
    expect(status(h, rawPost(typed(3), 0))).toBe(HvStatus.INVALID_HYPERCALL_INPUT); // 0 is a size, too short
    expect(h.rejections().at(-1)).toBe("HOST-HC-4");
    expect(h.state.rxQueue.map((q) => q.payloadSize)).toEqual([8, 240]);
  });

  it("HOST-HC-7: a payload of exactly 240 bytes is the whole area; 241 bytes are malformed", () => {
    const h = new Harness(config("strict"));
    expect(status(h, rawPost(typed(3) + "00".repeat(224), 240))).toBe(HvStatus.SUCCESS);
    expect(status(h, rawPost(typed(3) + "00".repeat(225), 240))).toBe(HvStatus.INVALID_HYPERCALL_INPUT);
    expect(h.rejections()).toEqual(["HOST-HC-7"]);
    expect(h.state.rxQueue[0]!.payload).toBe(typed(3) + "00".repeat(224));
  });

  it("HOST-HC-5: qemu passes type 17 and refuses type 18 (VMBUS_MSG_COUNT)", () => {
    const h = new Harness(config("qemu"));
    expect(status(h, rawPost(typed(17), 16))).toBe(HvStatus.SUCCESS);
    expect(status(h, rawPost(typed(18), 16))).toBe(HvStatus.INVALID_HYPERCALL_INPUT);
    expect(h.rejections()).toEqual(["HOST-HC-5"]);
  });

  it("HOST-HC-6: the 16th message is queued, the 17th refused with INSUFFICIENT_BUFFERS", () => {
    const h = new Harness(config("strict"));
    const st = Array.from({ length: 17 }, () => status(h, rawPost(typed(3), 8)));
    expect(st.slice(0, 16).every((s) => s === HvStatus.SUCCESS)).toBe(true);
    expect(st[16]).toBe(HvStatus.INSUFFICIENT_BUFFERS);
    expect(h.rejections()).toEqual(["HOST-HC-6"]);
  });

  it("HOST-HC-7: a fractional or negative size, a fractional connection id or type, a payload that is no string", () => {
    const h = new Harness(config("strict"));
    const ok = { kind: "postMessage", connectionId: 1, messageType: 1, payloadSize: 8, payload: typed(3) } as const;
    const bad = [{ payloadSize: 8.5 }, { payloadSize: -1 }, { connectionId: 1.5 }, { messageType: 1.5 }, { payload: 3 }];
    for (const b of bad) expect(status(h, { ...ok, ...b } as HostInput)).toBe(HvStatus.INVALID_HYPERCALL_INPUT);
    expect(h.rejections()).toEqual(Array(bad.length).fill("HOST-HC-7"));
    expect(h.state.rxQueue).toEqual([]);
  });
});

describe("HvSignalEvent", () => {
  it("HOST-HC-7: a fractional or negative connection id or flag number", () => {
    const h = new Harness(config("strict"));
    for (const [connectionId, flagNumber] of [[1.5, 0], [0x2001, 0.5], [-1, 0], [0x2001, -1]])
      expect(status(h, { kind: "signalEvent", connectionId: connectionId!, flagNumber: flagNumber! })).toBe(HvStatus.INVALID_HYPERCALL_INPUT);
    expect(h.rejections()).toEqual(["HOST-HC-7", "HOST-HC-7", "HOST-HC-7", "HOST-HC-7"]);
  });

  it("HOST-SIG-2: connection id 0xFFFFFF is inside the low 24 bits (no handler), 0x1000000 is not", () => {
    const h = new Harness(config("strict"));
    expect(status(h, { kind: "signalEvent", connectionId: 0xffffff, flagNumber: 0 })).toBe(HvStatus.INVALID_CONNECTION_ID);
    expect(status(h, { kind: "signalEvent", connectionId: 0x1000000, flagNumber: 0 })).toBe(HvStatus.INVALID_HYPERCALL_INPUT);
    expect(status(h, { kind: "signalEvent", connectionId: 0, flagNumber: 0 })).toBe(HvStatus.INVALID_CONNECTION_ID); // 0 is an id, with no handler
    expect(h.rejections()).toEqual(["HOST-SIG-3", "HOST-SIG-2", "HOST-SIG-3"]);
  });

  it("HOST-SIG-3: the shared event (connection id 2) notifies only open channels whose bit is set, and only with an interrupt page", () => {
    const h = connected("qemu", 0x10001);
    openWithRings(h, [[1, 7]]);
    const notified = (bits: unknown) =>
      h.step({ kind: "signalEvent", connectionId: 2, flagNumber: 0, interruptPageBits: bits } as HostInput).flatMap((o) => (o.kind === "deviceNotify" ? [o.relid] : []));
    expect(notified([1, 2, 3])).toEqual([1]); // 2 and 3 are not open
    expect(notified([2])).toEqual([]);
    expect(notified("1")).toEqual([]); // not a list
    const late = connected("qemu", 0x40000); // 4.0: no interrupt page
    openWithRings(late, [[1, 7]]);
    expect(late.step({ kind: "signalEvent", connectionId: 2, flagNumber: 0, interruptPageBits: [1] })).toEqual([
      { kind: "trace", event: "vmbus_signal_event", args: [] },
      { kind: "hypercallStatus", status: HvStatus.SUCCESS },
    ]);
  });
});
