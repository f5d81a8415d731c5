/**
 * QEMU's send_teardown_gpadl / complete_teardown_gpadl pick "the GPADL in the list that is
 * TEARINGDOWN" (QEMU hw/hyperv/vmbus.c), not merely the first GPADL of the list: with a newer
 * GPADL listed first (create_gpadl inserts at the head), tearing down the older one must answer
 * and release the older one. Conditions a Stryker run of spec/host/qemu/replies.ts showed no test
 * could tell apart.
 */
import { describe, expect, it } from "vitest";
import { answer, connected, createGpadl } from "./helpers.js";

describe("GPADL_TORNDOWN names the GPADL being torn down (QEMU send_teardown_gpadl)", () => {
  it("HOST-GPADL-6: tearing down the older of two ALIVE GPADLs answers and frees the older one; the newer one, listed first, stays ALIVE", () => {
    const h = connected("qemu");
    createGpadl(h, 1, 7, 4);
    createGpadl(h, 1, 8, 4); // listed before 7
    expect(h.state.gpadls.map((g) => g.id)).toEqual([8, 7]);
    expect(answer(h, { type: "GpadlTeardown", childRelid: 1, gpadl: 7 })).toEqual({ posted: [{ type: "GpadlTorndown", gpadl: 7 }], rejected: [] });
    expect(h.traces().filter((t) => t.startsWith("vmbus_gpadl_torndown"))).toEqual(["vmbus_gpadl_torndown gpadl #7"]);
    expect(h.state.gpadls.map((g) => [g.id, g.state, g.refcount])).toEqual([[8, "alive", 1]]);
    expect(h.state.bus).toBe("listen");
  });
});
