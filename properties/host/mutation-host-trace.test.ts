/**
 * formatQemuTrace (spec/host/trace.ts) on argument values QEMU's log backend never sees but a
 * trace output read back from a file can carry (HOST-RUN-3 trace lines): each argument kind's
 * fallback, and a missing argument.
 */
import { describe, expect, it } from "vitest";
import { formatQemuTrace, trace } from "../../spec/host/trace.js";

describe("HOST-RUN-3: QEMU trace arguments outside their C types", () => {
  it("u64 (%PRIx64): a decimal string in hex, a value that is no integer as 0", () => {
    expect(formatQemuTrace(trace("vmbus_initiate_contact", 4, 0, 0, "255", "x", 1.5))).toBe("vmbus_initiate_contact version 4.0 target vp 0 mon pages 0xff,0x0 int page 0x0");
  });

  it("%d: a numeric string is read as a number, a non-finite value prints 0, u16 keeps the low 16 bits", () => {
    expect(formatQemuTrace(trace("vmbus_gpadl_body", "4294967295"))).toBe("vmbus_gpadl_body gpadl #-1");
    expect(formatQemuTrace(trace("vmbus_gpadl_body", "abc"))).toBe("vmbus_gpadl_body gpadl #0");
    expect(formatQemuTrace(trace("vmbus_gpadl_body", Number.POSITIVE_INFINITY))).toBe("vmbus_gpadl_body gpadl #0");
    expect(formatQemuTrace(trace("vmbus_gpadl_header", 1, -1))).toBe("vmbus_gpadl_header gpadl #1 gfns 65535");
    expect(formatQemuTrace(trace("vmbus_gpadl_header", 1, "abc"))).toBe("vmbus_gpadl_header gpadl #1 gfns 0");
  });

  it("the device pointer (%p) prints as given; a missing argument prints nothing", () => {
    expect(formatQemuTrace(trace("vmbus_send_offer", 3, "storvsc"))).toBe("vmbus_send_offer channel #3 dev storvsc");
    expect(formatQemuTrace(trace("vmbus_send_offer", 3, 12))).toBe("vmbus_send_offer channel #3 dev 12");
    expect(formatQemuTrace(trace("vmbus_channel_open", 3))).toBe("vmbus_channel_open channel #3 status ");
  });
});
