/**
 * Linux hyperv tracefs logs printed from the spec's own guest (src/trace/linux/format.ts) are
 * accepted; hand-mutated ones are rejected at the line the Linux-like guest could not have printed.
 */
import { describe, expect, it } from "vitest";
import { walkSystem } from "../../src/trace/generate.js";
import { linesOf } from "../../src/trace/lines.js";
import { checkLinuxLines } from "../../src/trace/linux/check.js";
import { linuxTraceFileOf } from "../../src/trace/linux/format.js";
import { systemConfig } from "./helpers.js";

const check = (lines: readonly string[]) => checkLinuxLines(linesOf(lines));

describe("Linux tracefs logs of spec sessions", () => {
  it("seeded walks are accepted", async () => {
    let opened = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const cfg = systemConfig({ channels: 1 + (seed % 3), buffers: seed % 2, cycles: 1 + (seed % 2), modify: seed % 4 === 0 });
      const lines = linuxTraceFileOf(walkSystem(cfg, seed, 400));
      const v = await check(lines);
      expect(v.verdict, `seed ${seed}: ${JSON.stringify(v).slice(0, 800)}\n${lines.join("\n")}`).toBe("accepted");
      if (lines.some((l) => l.includes("vmbus_open: "))) opened++;
    }
    expect(opened).toBeGreaterThan(6);
  });
});
