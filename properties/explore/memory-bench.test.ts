/**
 * `npm run bench -- memory` (src/bench/memory.ts): fills the one-thread search's per-state
 * structures with N states and reports what they hold (docs/scale.md: 100 M states in 16 GB).
 */
import { describe, expect, it, vi } from "vitest";
import { main, measureMemory } from "../../src/bench/memory.js";
import { UsageError } from "../../src/cli/args.js";

describe("bench memory", () => {
  it("stores every state it is asked for, with 3 transitions each, and counts the bytes of the arrays that hold them", () => {
    const r = measureMemory(50_000);
    expect(r.states).toBe(50_000);
    expect(r.transitions).toBe(150_000);
    // Fingerprint (8) + parent (4) + input (4) + a slot (4), and 3 edges (12) + 6 per node, before doubling slack.
    expect(r.bytesPerState).toBeGreaterThanOrEqual(38);
    expect(r.bytesPerState).toBeLessThan(2 * 60);
    expect(r.tableBytes + r.graphBytes).toBe(Math.round(r.bytesPerState * r.states));
    expect(r.peakRssBytes).toBeGreaterThan(r.tableBytes);
  });

  it("prints JSON with --json, and refuses a count out of range as a usage error", async () => {
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await main(["--states", "1000", "--json"])).toBe(0);
      const out = JSON.parse(String(write.mock.calls[0]![0])) as Record<string, number>;
      expect(out.states).toBe(1000);
      expect(Object.keys(out).sort()).toEqual(["bytesPerState", "fillSeconds", "graphBytes", "livenessSeconds", "peakRssBytes", "states", "tableBytes", "transitions"]);
    } finally {
      write.mockRestore();
    }
    await expect(main(["--states", "999"])).rejects.toThrow(UsageError);
    await expect(main(["extra"])).rejects.toThrow(UsageError);
  });
});
