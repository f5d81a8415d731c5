/** QEMU trace formatting (hw/hyperv/trace-events format strings) and that all 17 events are emitted. */
import { describe, expect, it } from "vitest";
import { formatQemuTrace, QEMU_TRACE_EVENT_NAMES, trace } from "../../spec/host/trace.js";
import { connected, createGpadl, openMsg } from "./helpers.js";

describe("formatQemuTrace", () => {
  it("prints %d of a uint32_t as a signed int, truncates num_gfns to 16 bits, prints u64 in hex", () => {
    expect(formatQemuTrace(trace("vmbus_open_channel", 1, 7, 0xffffffff))).toBe("vmbus_open_channel channel #1 gpadl #7 target vp -1");
    expect(formatQemuTrace(trace("vmbus_gpadl_header", 9, 0x12345))).toBe("vmbus_gpadl_header gpadl #9 gfns 9029");
    expect(formatQemuTrace(trace("vmbus_initiate_contact", 4, 0, 0, "4096", "18446744073709551615", "0"))).toBe(
      "vmbus_initiate_contact version 4.0 target vp 0 mon pages 0x1000,0xffffffffffffffff int page 0x0",
    );
    expect(formatQemuTrace(trace("vmbus_signal_event"))).toBe("vmbus_signal_event "); // empty format: the trailing space stays
    expect(formatQemuTrace(trace("vmbus_terminate_offers"))).toBe("vmbus_terminate_offers ");
    expect(formatQemuTrace(trace("vmbus_msg_cb", -11))).toBe("vmbus_msg_cb message status -11");
    expect(formatQemuTrace(trace("not_an_event", 1))).toBeUndefined();
    expect(formatQemuTrace({ kind: "hypercallStatus", status: 0 })).toBeUndefined();
  });

  it("a qemu session emits every one of QEMU's 17 VMBus trace events", () => {
    expect(QEMU_TRACE_EVENT_NAMES).toHaveLength(17);
    const h = connected("qemu");
    createGpadl(h, 1, 7, 40);
    h.send(openMsg(1, 7, 20));
    h.settle();
    h.step({ kind: "signalEvent", connectionId: 2, flagNumber: 0 });
    h.step({ kind: "deviceSignal", relid: 1 });
    h.send({ type: "CloseChannel", childRelid: 1 });
    h.send({ type: "GpadlTeardown", childRelid: 1, gpadl: 7 });
    h.settle();
    const seen = new Set(h.log.flatMap((o) => (o.kind === "trace" ? [o.event] : [])));
    expect([...QEMU_TRACE_EVENT_NAMES].filter((e) => !seen.has(e))).toEqual([]);
  });
});
