/**
 * QEMU's send_create_gpadl / complete_create_gpadl pick "the first GPADL in the list that is
 * complete and still INIT" (QEMU hw/hyperv/vmbus.c): conditions a Stryker run of
 * spec/host/qemu/replies.ts showed no test could tell apart.
 */
import { describe, expect, it } from "vitest";
import { connected, createGpadl, gpadlMessages } from "./helpers.js";

describe("GPADL_CREATED names the GPADL that just completed (QEMU send_create_gpadl)", () => {
  it("HOST-GPADL-4: with an incomplete INIT GPADL and an ALIVE one listed before it, the completed one is answered and made ALIVE", () => {
    const h = connected("qemu");
    const d = gpadlMessages(1, 5, 40); // header + one body
    h.send(d[0]!);
    h.settle();
    createGpadl(h, 1, 6, 4); // complete at once: ALIVE, listed before 5
    h.send(gpadlMessages(1, 7, 40)[0]!); // incomplete INIT, listed first
    h.settle();
    h.send(d[1]!);
    const posted = h.settle();
    expect(posted.filter((m) => m.type === "GpadlCreated").map((m) => (m as { gpadl: number }).gpadl)).toEqual([5]);
    expect(h.state.gpadls.map((g) => [g.id, g.state])).toEqual([[7, "init"], [6, "alive"], [5, "alive"]]);
  });
});
