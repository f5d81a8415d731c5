/**
 * `npm run bench -- reductions` (src/bench/reductions.ts) measures what each candidate
 * reduction would buy: its walks agree with the search, its quotients are no larger than the
 * space, its automorphism checks tell a symmetric profile from one that is not, and bad options
 * are usage errors.
 */
import { describe, expect, it } from "vitest";
import { main, measureReductions } from "../../src/bench/reductions.js";
import { UsageError } from "../../src/cli/args.js";
import { runCheck } from "../../src/explore/check.js";

describe("bench reductions", () => {
  const r = measureReductions({ profile: "qemu", channels: 2, gpadls: 0, states: 100_000, checkStates: 100_000 });

  it("the plain walk is the whole full-interleaving space, as check --all-signal-interleavings explores it", async () => {
    const c = await runCheck({ profile: "qemu", channels: 2, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false, reduceSignals: false });
    expect(r.plain.complete).toBe(true);
    expect(r.plain.states).toBe(c.states);
    expect(r.checkedStates).toBe(r.plain.states);
  });

  it("every quotient is complete and no larger than the space; channel symmetry about halves 2 channels and is an automorphism after the offers", () => {
    for (const w of [r.handles, r.channels, r.channelsAndHandles, r.hostRunFirst]) {
      expect(w.complete).toBe(true);
      expect(w.states).toBeLessThanOrEqual(r.plain.states);
      // Symmetries and this partial order keep the depth of every state: the walks end at the same level.
      expect(w.depth).toBe(r.plain.depth);
    }
    expect(r.channelFailures).toBe(0);
    expect(r.firstChannelFailureDepth).toBe(-1);
    expect(r.plain.states / r.channels.states).toBeGreaterThan(1.8);
    expect(r.channelsAndHandles.states).toBeLessThanOrEqual(r.channels.states);
    expect(r.hostRunFirst.prunedStates).toBeGreaterThan(0);
  });

  it("openvmm's channels are not renamed by relid: the check of automorphisms fails there", () => {
    const o = measureReductions({ profile: "openvmm", channels: 2, gpadls: 0, states: 3_000, checkStates: 400 });
    expect(o.channelFailures).toBeGreaterThan(0);
    expect(o.firstChannelFailureDepth).toBeGreaterThan(0);
  });

  it("bad options are usage errors", async () => {
    await expect(main(["--profile", "hyperv"])).rejects.toThrow(UsageError);
    await expect(main(["--channels", "9"])).rejects.toThrow(UsageError);
    await expect(main(["--states", "0"])).rejects.toThrow(UsageError);
    await expect(main(["extra"])).rejects.toThrow(UsageError);
  });
});
