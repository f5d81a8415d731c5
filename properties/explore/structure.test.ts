/**
 * `npm run bench -- structure` (src/bench/structure.ts) measures the room for a reduction or a
 * cache (docs/scale.md "Per-core speed"): its counts are consistent with each other and with
 * the search, and bad options are usage errors.
 */
import { describe, expect, it } from "vitest";
import { main, measureStructure } from "../../src/bench/structure.js";
import { UsageError } from "../../src/cli/args.js";
import { runCheck } from "../../src/explore/check.js";

describe("bench structure", () => {
  const o = { profile: "strict" as const, channels: 1, gpadls: 0, states: 100_000, pairStates: 50 };
  const r = measureStructure(o);

  it("walks the whole full-interleaving space of a small configuration, like check --all-signal-interleavings", async () => {
    const c = await runCheck({ profile: "strict", channels: 1, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false, reduceSignals: false });
    expect(r.states).toBe(c.states);
  });

  it("its counts are consistent: distinct components and new pairs bounded by what was walked, commuting pairs by pairs", () => {
    expect(r.distinctHosts).toBeGreaterThan(1);
    expect(r.distinctHosts).toBeLessThanOrEqual(r.states);
    expect(r.distinctGuests).toBeLessThanOrEqual(r.states);
    expect(r.hostStepsNew).toBeLessThanOrEqual(r.hostSteps);
    expect(r.guestStepsNew).toBeLessThanOrEqual(r.guestSteps);
    expect(r.pairStates).toBe(50);
    expect(r.commuting).toBeLessThanOrEqual(r.pairs);
    const rows = Object.values(r.byKinds);
    expect(rows.reduce((n, [, p]) => n + p, 0)).toBe(r.pairs);
    expect(rows.reduce((n, [c]) => n + c, 0)).toBe(r.commuting);
    // A driver action and a host run touch different components: they always commute.
    const [c, n] = r.byKinds["driver+hostRun"] ?? [0, 0];
    expect(n).toBeGreaterThan(0);
    expect(c).toBe(n);
  });

  it("the bound on a partial-order reduction: invisible steps and candidate states are counted among the steps and states there are", () => {
    expect(r.invisibleSteps).toBeLessThanOrEqual(r.steps);
    expect(Object.values(r.invisibleByKind).reduce((n, [, k]) => n + k, 0)).toBe(r.steps);
    expect(Object.values(r.invisibleByKind).reduce((n, [i]) => n + i, 0)).toBe(r.invisibleSteps);
    expect(r.statesWithAmpleCandidate).toBeLessThanOrEqual(r.statesWithChoice);
    expect(r.prunableSuccessors).toBeLessThan(r.successorsWithChoice);
    // Connecting moves the guest's phase and version, which the invariants read: some steps are visible.
    expect(r.invisibleSteps).toBeLessThan(r.steps);
    // A post only queues a message at the host (nothing the invariants read): invisible.
    const [inv, posts] = r.invisibleByKind["guestPost"] ?? [0, 0];
    expect(posts).toBeGreaterThan(0);
    expect(inv).toBe(posts);
  });

  it("bad options are usage errors", async () => {
    await expect(main(["--profile", "hyperv"])).rejects.toThrow(UsageError);
    await expect(main(["--states", "0"])).rejects.toThrow(UsageError);
    await expect(main(["extra"])).rejects.toThrow(UsageError);
  });
});
