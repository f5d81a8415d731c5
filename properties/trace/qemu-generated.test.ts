/**
 * Every session the spec system produces (spec guest + spec host, profile qemu), printed as a
 * QEMU log, is accepted; the reconstructed session replays to the same lines.
 */
import { describe, expect, it } from "vitest";
import { qemuLogOf, walkSystem } from "../../src/trace/generate.js";
import { canonicalLines, checkQemu, impliedDevices, replayQemu, systemConfig } from "./helpers.js";

describe("QEMU logs of spec sessions", () => {
  it("seeded walks are accepted and their reconstructions replay to the same lines", async () => {
    let nonTrivial = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const cfg = systemConfig({ channels: 1 + (seed % 3), buffers: seed % 2, cycles: 1 + (seed % 2) });
      const lines = qemuLogOf(walkSystem(cfg, seed, 400));
      const v = await checkQemu(lines);
      expect(v.verdict, `seed ${seed}: ${JSON.stringify(v).slice(0, 600)}`).toBe("accepted");
      if (v.verdict !== "accepted") continue;
      expect(replayQemu(v.session!, impliedDevices(lines))).toEqual(canonicalLines(lines));
      if (lines.some((l) => l.startsWith("vmbus_open_channel"))) nonTrivial++;
    }
    expect(nonTrivial).toBeGreaterThan(6);
  });
});
