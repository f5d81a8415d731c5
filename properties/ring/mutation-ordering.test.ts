/**
 * The ring's memory-ordering table (spec/ring/ordering.ts) as the rules it implements (issue 13):
 * QEMU hw/hyperv/vmbus.c's barrier pairing [A]–[D] plus hv_end_read's re-check, one row per
 * access of the writer and the reader, in program order. docs/ring.md prints this table.
 */
import { describe, expect, it } from "vitest";
import { RING_ORDERING } from "../../spec/ring/ordering.js";

const rows = (side: "writer" | "reader") => RING_ORDERING.filter((o) => o.side === side);

describe("RING-WRITE-2 / RING-READ-1 / RING-READ-5: the ordering table", () => {
  it("lists the writer's four steps, then the reader's four, each with its barrier row", () => {
    expect(RING_ORDERING.map((o) => o.side)).toEqual(["writer", "writer", "writer", "writer", "reader", "reader", "reader", "reader"]);
    expect(rows("writer").map((o) => o.row)).toEqual(["[C]", "[C] → [D]", "[B]", "[A]"]);
    expect(rows("reader").map((o) => o.row)).toEqual(["[B]/[C]", "[D]", "[A]", "(hv_end_read)"]);
  });
  it("RING-WRITE-2: the writer stores the packet with plain stores, then publishes write_index with Atomics.store, then loads", () => {
    const [copy, publish, decide, pending] = rows("writer");
    expect(copy!.access).toBe("plain stores");
    expect(publish!.access).toBe("Atomics.store");
    expect(decide!.access).toBe("Atomics.load after the store");
    expect(pending!.access).toBe("Atomics.store, Atomics.load");
  });
  it("RING-READ-1 / RING-READ-5: the reader acquires write_index, publishes read_index with Atomics.store, unmasks then re-checks", () => {
    const [load, publish, decide, unmask] = rows("reader");
    expect(load!.access).toBe("Atomics.load (acquire), plain loads");
    expect(publish!.access).toBe("Atomics.store");
    expect(decide!.access).toBe("Atomics.load after the store");
    expect(unmask!.access).toBe("Atomics.store, Atomics.load");
  });
  it("every step says what it does and why (the docs table has no empty cell)", () => {
    for (const o of RING_ORDERING) {
      expect(o.step.length).toBeGreaterThan(0);
      expect(o.why.length).toBeGreaterThan(0);
    }
  });
});
