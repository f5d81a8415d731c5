/**
 * QEMU handle_gpadl_header's "rangecount == 1" test on its own (QEMU hw/hyperv/vmbus.c): a
 * two-range header whose first range is page-aligned and as long as QEMU's num_gfns count, so
 * only the range count refuses it (a Stryker survivor of spec/host/qemu/handlers.ts).
 */
import { describe, expect, it } from "vitest";
import type { Message } from "../../spec/wire/messages.js";
import { connected } from "./helpers.js";

describe("GPADL_HEADER with two ranges", () => {
  it("HOST-GPADL-1: refused for its range count alone (first range: offset 0, byte_count = num_gfns pages)", () => {
    const h = connected("qemu");
    // range_buflen 32, rangecount 2: num_gfns = (32 - 16) / 8 = 2, and the first range says 2 pages.
    const m: Message = {
      type: "GpadlHeader", childRelid: 1, gpadl: 3, rangeBufferLength: 32, rangeCount: 2,
      ranges: [{ byteCount: 2 * 4096, byteOffset: 0, pfns: ["4096"] }, { byteCount: 4096, byteOffset: 0, pfns: ["8192"] }],
    };
    h.send(m);
    expect(h.settle()).toEqual([]);
    expect(h.rejections()).toEqual(["HOST-GPADL-1"]);
    expect(h.state.gpadls).toEqual([]);
  });
});
