/**
 * Bitstate ("supertrace") mode: a fixed table of bits instead of stored fingerprints. With a
 * large table it explores what fingerprint mode explores; with a tiny one it omits states (and
 * says so) but never reports a violation that a replay does not reproduce; it is never called
 * exhaustive.
 */
import { describe, expect, it } from "vitest";
import { MODEL_GUEST_CONFIG } from "../../spec/guest/config.js";
import { DEFAULT_DRIVER, type SystemConfig } from "../../spec/system/config.js";
import { createSystem } from "../../spec/system/system.js";
import { explore } from "../../src/explore/bfs.js";
import { formatReport, runCheck, verdictOf } from "../../src/explore/check.js";
import { BitstateTable } from "../../src/explore/visited.js";
import { stubHost, type StubConfig } from "../system/stub-host.js";

const stubConfig = (host: StubConfig): SystemConfig<StubConfig> => ({ host, guest: MODEL_GUEST_CONFIG, driver: { ...DEFAULT_DRIVER, channels: host.channels }, rescinds: 0 });
const qemu2 = { profile: "qemu", channels: 2, gpadls: 0, depth: 400, maxStates: 200_000, hostile: false, ringPages: 2 } as const;

describe("bitstate mode", () => {
  it("with 2^24 bits: the same states, transitions and findings as fingerprint mode (qemu, 2 channels)", async () => {
    const fp = await runCheck({ ...qemu2, mode: "fingerprint" });
    const bs = await runCheck({ ...qemu2, mode: "bitstate", bitstateBits: 24 });
    expect(fp.complete).toBe(true);
    expect({ states: bs.states, transitions: bs.transitions, outcomes: bs.outcomes.map((o) => o.rule) }).toEqual({ states: fp.states, transitions: fp.transitions, outcomes: fp.outcomes.map((o) => o.rule) });
    expect(bs.violations.map((v) => v.rule)).toEqual(fp.violations.filter((v) => !v.rule.startsWith("SYS-LIVE")).map((v) => v.rule));
    expect(bs.bitstate).toMatchObject({ log2Bits: 24, hashes: 3 });
    expect(bs.livenessChecked).toBe(false);
    // complete, but never exhaustive: unexplored states may have been taken as seen
    expect(bs.complete).toBe(true);
    expect(verdictOf(bs)).toBe("bounded: not exhaustive");
    expect(formatReport(bs)).toContain("(search complete; bitstate: not exhaustive)");
    expect(formatReport(bs)).toMatch(/bitstate mode: 2\^24-bit table, 3 hashes, \d+ bits per state; probability that a new state was taken as seen ≈ [\d.]+e-\d+/);
    expect(bs.collisionProbability!).toBeLessThan(1e-6);
  });

  it("with a tiny table it omits states, says how likely an omission was, and its findings still replay", async () => {
    const fp = await runCheck({ ...qemu2, mode: "fingerprint" });
    const bs = await runCheck({ ...qemu2, mode: "bitstate", bitstateBits: 10 });
    expect(bs.states).toBeLessThan(fp.states);
    expect(bs.collisionProbability!).toBeGreaterThan(0.1);
    expect(bs.bitstate!.hashFactor).toBeLessThan(10);
  });

  it("finds a planted bug (stub host that forgets to open: SYS-OPEN-1)", () => {
    const r = explore(createSystem(stubHost), stubConfig({ channels: 1, bug: "forgetOpen" }), { maxDepth: 500, maxStates: 100_000, mode: "bitstate", bitstateBits: 20 });
    expect(r.findings.map((f) => f.violation.rule)).toContain("SYS-OPEN-1");
    expect(r.livenessChecked).toBe(false);
  });

  it("the table: a state is seen only once all its bits are set; size bounds are checked", () => {
    const t = new BitstateTable(16, 3);
    const seen = (hi: number, lo: number): boolean => (t.prepare(hi, lo), t.seen());
    expect(seen(0x1234, 0x5678)).toBe(false);
    t.add(-1, -1);
    expect(seen(0x1234, 0x5678)).toBe(true);
    // fingerprints one bit apart, in either half, are other states
    for (let b = 0; b < 32; b++) {
      expect(seen(0x1234 ^ (1 << b), 0x5678)).toBe(false);
      expect(seen(0x1234, 0x5678 ^ (1 << b))).toBe(false);
    }
    expect(t.size).toBe(1);
    expect(t.hashFactor).toBe(65536);
    expect(t.omissionProbability).toBeCloseTo((1 - Math.exp(-3 / 65536)) ** 3, 15);
    expect(() => new BitstateTable(9)).toThrow(RangeError);
    expect(() => new BitstateTable(33)).toThrow(RangeError);
    const wide = new BitstateTable(20);
    wide.prepare(-1, -1);
    expect(wide.seen()).toBe(false);
  });
});
