/**
 * GPADL references and vmbus_deinit (spec/host/common.ts putGpadl, deinit) seen from outside:
 * freeing one GPADL leaves the others, the queue model forgets rescinded channels on reset, and
 * strict emits no QEMU trace.
 */
import { describe, expect, it } from "vitest";
import { connected, createGpadl, openWithRings } from "./helpers.js";

describe("HOST-RESET-1 and GPADL references", () => {
  it("HOST-GPADL-7: tearing down one GPADL frees it alone (strict)", () => {
    const h = connected("strict");
    openWithRings(h, [[1, 7]]);
    createGpadl(h, 2, 8, 4);
    h.send({ type: "GpadlTeardown", childRelid: 2, gpadl: 8 });
    h.settle();
    expect(h.state.gpadls.map((g) => [g.id, g.refcount])).toEqual([[7, 2]]);
  });

  it("HOST-RESCIND-2: a bus reset drops a rescinded channel in the queue model; the others keep their relids", () => {
    const h = connected("strict");
    h.step({ kind: "rescindChannel", relid: 3 });
    h.settle();
    h.step({ kind: "reset" });
    expect(h.state.channels.map((ch) => [ch.relid, ch.offerState])).toEqual([[1, "init"], [2, "init"]]);
  });

  it("HOST-RUN-3: only qemu traces; a strict session emits no trace output", () => {
    const h = connected("strict");
    openWithRings(h, [[1, 7]]);
    expect(h.log.filter((o) => o.kind === "trace")).toEqual([]);
  });
});
