/**
 * The ring at the granularity of single accesses (spec/ring/access.ts, src/ringcheck): every
 * interleaving of one writer and one reader, exhaustively, on small rings. RING-LIVE-1 (lost
 * wake-up) and RING-SAFE-1 (a read of bytes not yet stored) are found where they exist, with
 * their shortest interleavings, and proven absent where they do not.
 */
import { describe, expect, it } from "vitest";
import { accessSuccessors, initialAccessState, type AccessConfig } from "../../spec/ring/access.js";
import { PROFILE_NAMES } from "../../spec/profiles.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { checkRingInterleavings } from "../../src/ringcheck/explore.js";

/** Configurations that make the writer wait for space (several sizes, wrap-around, exact fits). */
const CONFIGS: readonly { dataSize: number; packets: number[] }[] = [
  { dataSize: 64, packets: [24, 24, 24] },
  { dataSize: 64, packets: [32, 24, 40, 24] },
  { dataSize: 128, packets: [40, 40, 40, 40] },
  { dataSize: 96, packets: [48, 24, 56, 24, 48] },
];

describe("ring interleavings", () => {
  for (const profile of ["strict", "linux", "openvmm", "dpdk"] as const)
    it(`${profile}: no lost wake-up and no torn read in any interleaving (RING-LIVE-1, RING-SAFE-1; exhaustive)`, () => {
      for (const c of CONFIGS) {
        const r = checkRingInterleavings({ profile: RING_PROFILES[profile], ...c });
        expect(r.exhaustive).toBe(true);
        expect(r.findings, `${profile} ${JSON.stringify(c)}`).toEqual([]);
        expect(r.states).toBeGreaterThan(1000);
      }
    });

  it("qemu: the drained-ring lost wake-up (QEMU quirk Q13) with its shortest interleaving (RING-LIVE-1)", () => {
    const r = checkRingInterleavings({ profile: RING_PROFILES.qemu, dataSize: 64, packets: [32, 24, 40, 24] });
    expect(r.findings.map((f) => f.rule)).toEqual(["RING-LIVE-1"]);
    const f = r.findings[0]!;
    expect(f.message).toMatch(/the writer sleeps waiting for 40 bytes with 64 free/);
    expect(f.steps).toHaveLength(28);
    const actions = f.steps.map((s) => `${s.side}: ${s.action}`);
    // The writer waits with pending_send_sz set, then the reader drains the ring and, seeing 0
    // bytes free on the empty ring, does not signal it.
    expect(actions).toContain("writer: store pending_send_sz = 40");
    expect(actions.indexOf("writer: store pending_send_sz = 40")).toBeLessThan(actions.indexOf("reader: store read_index = 56"));
    expect(actions.at(-1)).toBe("reader: load write_index = 56 (re-check: still empty: sleep)");
    expect(actions.filter((a) => a.endsWith(": signal the writer"))).toEqual([]);
    // The same interleaving under strict ends with the reader signalling the writer.
    const strict = checkRingInterleavings({ profile: RING_PROFILES.strict, dataSize: 64, packets: [32, 24, 40, 24] });
    expect(strict.findings).toEqual([]);
  });

  it("finds planted bugs: no re-check after unmasking, no re-check after pending_send_sz, publishing before storing", () => {
    const base = { profile: RING_PROFILES.strict, dataSize: 64, packets: [24, 24, 24] };
    const reader = checkRingInterleavings({ ...base, bug: "readerSkipsRecheck" });
    expect(reader.findings.map((f) => f.rule)).toEqual(["RING-LIVE-1"]);
    expect(reader.findings[0]!.message).toMatch(/the reader sleeps with \d+ bytes to read/);
    const writer = checkRingInterleavings({ ...base, bug: "writerSkipsRecheck" });
    expect(writer.findings.map((f) => f.rule)).toEqual(["RING-LIVE-1"]);
    const torn = checkRingInterleavings({ ...base, bug: "writerPublishesFirst" });
    expect(torn.findings.map((f) => f.rule)).toContain("RING-SAFE-1");
    const last = torn.findings.find((f) => f.rule === "RING-SAFE-1")!.steps.at(-1)!;
    expect(last.side).toBe("reader");
    expect(last.action).toMatch(/^read packet \d+$/);
  });

  it("the writer alone signals the sleeping reader exactly once for a batch that starts on an empty ring (RING-WRITE-6)", () => {
    const c: AccessConfig = { profile: RING_PROFILES.strict, dataSize: 64, packets: [24, 24] };
    let s = initialAccessState();
    // Run the writer alone: it publishes the first packet and signals the sleeping reader once.
    const signals: string[] = [];
    for (let i = 0; i < 12; i++) {
      const w = accessSuccessors(c, s).find((n) => n.step.side === "writer");
      if (!w) break;
      if (w.step.action.endsWith("signal the reader")) signals.push(w.step.action);
      s = w.state;
    }
    expect(signals).toHaveLength(1);
    expect(s.readerInterrupt).toBe(true);
  });

  it("a bounded run says so", () => {
    const r = checkRingInterleavings({ profile: RING_PROFILES.strict, dataSize: 96, packets: [48, 24, 56, 24, 48] }, 500);
    expect(r.exhaustive).toBe(false);
    expect(r.states).toBe(500);
  });

  it("the profiles list is covered", () => expect(PROFILE_NAMES).toEqual(["strict", "qemu", "linux", "openvmm", "dpdk"]));
});
