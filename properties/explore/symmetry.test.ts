/**
 * Channel symmetry (`check --symmetry`, src/explore/symmetry.ts): the permutations it relies on
 * are automorphisms of the profiles it is offered for, its canonical form is one state per
 * orbit, it loses no finding (planted bugs and the default checks with 2 channels give the same
 * rules, trace lengths and outcomes), and its traces are real runs.
 */
import { describe, expect, it } from "vitest";
import { canonicalKey } from "../../spec/system/canonical.js";
import { checkInvariants, deadlock, stepViolations } from "../../spec/system/invariants.js";
import type { HostModel } from "../../spec/system/host-model.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { SystemState } from "../../spec/system/state.js";
import { createSystem, type SystemModel } from "../../spec/system/system.js";
import type { HostConfig } from "../../spec/host/host.js";
import { DEFAULT_CHECKS } from "../../src/explore/default.js";
import { checkConfig, runCheck, runCheckWith, type CheckOptions, type CheckReport } from "../../src/explore/check.js";
import { channelSignatures, relidPermutations, relidRenaming, renameValue, type Renaming } from "../../src/explore/renaming.js";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type * as Parallel from "../../src/explore/parallel.js";
import { channelCanonicalizer, SymmetryRefused, symmetryRefusal, SYMMETRIC_PROFILES } from "../../src/explore/symmetry.js";
import { droppingHost, spinningHost } from "../support/planted-hosts.js";

type Model = SystemModel<HostConfig, unknown>;
type State = SystemState<unknown>;
const spec = specSystem as unknown as Model;

const options = (profile: CheckOptions["profile"], channels: number, gpadls: number, maxStates = 1_000_000): CheckOptions => ({ profile, channels, gpadls, depth: 400, maxStates, hostile: false });

/** The reachable states of the full interleaving, breadth-first, at most `max`. */
const reachable = (model: Model, o: CheckOptions, max: number): State[] => {
  const config = checkConfig(o);
  const first = model.initial(config);
  const seen = new Set([canonicalKey(first)]);
  const out = [first];
  for (let i = 0; i < out.length && out.length < max; i++)
    for (const input of model.enabled(config, out[i]!)) {
      const t = model.step(config, out[i]!, input).state;
      const k = canonicalKey(t);
      if (!seen.has(k) && out.length < max) (seen.add(k), out.push(t));
    }
  return out;
};

const rename = (s: State, r: Renaming): State => {
  const t = renameValue(s, r) as State | undefined;
  expect(t).toBeDefined();
  return t!;
};

/**
 * States where some permutation does not commute with the steps: succ(π(s)) ≠ π(succ(s)), each
 * successor with the rules its step reports (findings must not depend on the names), or where
 * the invariants judge π(s) otherwise than s.
 */
const automorphismFailures = (model: Model, o: CheckOptions, states: readonly State[]): State[] => {
  const config = checkConfig(o);
  const perms = relidPermutations(o.channels).slice(1).map((p) => relidRenaming(p));
  const rules = (vs: readonly { readonly rule: string }[]): string => vs.map((v) => v.rule).sort().join(",");
  const succ = (s: State, after: (t: State) => State): Set<string> =>
    new Set(
      model.enabled(config, s).map((i) => {
        const r = model.step(config, s, i);
        return `${canonicalKey(after(r.state))}|${rules(stepViolations(r.outputs))}|${rules(checkInvariants(model.host, config, r.state))}`;
      }),
    );
  return states.filter((s) =>
    perms.some((p) => {
      const a = succ(s, (t) => rename(t, p));
      const b = succ(rename(s, p), (t) => t);
      return a.size !== b.size || [...a].some((x) => !b.has(x));
    }),
  );
};

const summary = (r: CheckReport) => ({
  violations: r.violations.map((v) => `${v.kind} ${v.rule} ${v.trace.length}`).sort(),
  outcomes: r.outcomes.map((x) => `${x.rule} ${x.row} ${x.trace.length}`).sort(),
});

const offered = (s: State): boolean => s.guest !== null && s.guest.allOffersDelivered;

describe("channel symmetry: the permutations are automorphisms where they are used", () => {
  it("every permutation of 2 channels commutes with the steps of qemu and strict on every reachable state once the guest has every offer (exhaustive)", () => {
    for (const profile of SYMMETRIC_PROFILES) {
      const o = options(profile, 2, 0);
      const states = reachable(spec, o, 100_000);
      const after = states.filter(offered);
      expect(after.length).toBeGreaterThan(1_000);
      expect(automorphismFailures(spec, o, after)).toEqual([]);
    }
  });

  it("with 3 channels too (the first 800 states after the offers, every permutation)", () => {
    const o = options("qemu", 3, 0);
    const after = reachable(spec, o, 6_000).filter(offered).slice(0, 800);
    expect(after.length).toBe(800);
    expect(automorphismFailures(spec, o, after)).toEqual([]);
  });

  it("before the guest has every offer they are not: the host offers in relid order, so the canonical form leaves those states alone", () => {
    const o = options("qemu", 3, 0);
    const before = reachable(spec, o, 3_000).filter((s) => !offered(s));
    expect(automorphismFailures(spec, o, before).length).toBeGreaterThan(0);
    const c = channelCanonicalizer<unknown>(3);
    for (const s of before) expect(c(s)).toBe(s);
  });

  it("a host that treats one relid differently is not symmetric, and the check of automorphisms says so", () => {
    // Planted: the host never answers OPENCHANNEL for relid 2.
    const unfair = droppingHost("unfair", (m) => m.type === "OpenChannelResult" && m.childRelid === 2);
    const model = createSystem(unfair) as unknown as Model;
    const o = options("strict", 2, 0);
    const after = reachable(model, o, 100_000).filter(offered);
    expect(automorphismFailures(model, o, after).length).toBeGreaterThan(0);
  });

  it("openvmm names its channels by offer and channel ids, which the renaming does not cover: --symmetry refuses it", () => {
    const o = options("openvmm", 2, 0);
    const after = reachable(spec, o, 2_000).filter(offered);
    expect(automorphismFailures(spec, o, after).length).toBeGreaterThan(0);
    expect(symmetryRefusal(o)).toMatch(/not available for the openvmm profile/);
  });
});

describe("channel symmetry: one state per orbit", () => {
  it("a renaming is a group action: renaming back gives the state again, and renamed states keep their signatures per channel", () => {
    const o = options("qemu", 3, 1);
    const perms = relidPermutations(3).map((p) => relidRenaming(p));
    for (const s of reachable(spec, o, 3_000).filter(offered).slice(0, 200)) {
      const sig = channelSignatures(s, 3);
      for (const p of perms) {
        const t = rename(s, p);
        const back = rename(t, relidRenaming(new Map([...p.relid].map(([a, b]) => [b, a] as const))));
        expect(canonicalKey(back)).toBe(canonicalKey(s));
        const sigT = channelSignatures(t, 3);
        for (const [from, to] of p.relid) expect(sigT[to]).toBe(sig[from]);
      }
    }
  });

  it("a channel's signature does not depend on the order of its records' keys (a decoded record and a reducer's may differ there)", () => {
    const o = options("qemu", 2, 1);
    for (const s of reachable(spec, o, 2_000).filter(offered).slice(0, 100)) {
      const reversed = JSON.parse(JSON.stringify(s), (_, v: unknown) =>
        v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).reverse()) : v,
      ) as State;
      expect(channelSignatures(reversed, 2)).toEqual(channelSignatures(s, 2));
    }
  });

  it("every permutation of a state has the same canonical form, and the form is one of them", () => {
    for (const [channels, gpadls] of [
      [2, 1],
      [3, 0],
    ] as const) {
      const o = options("qemu", channels, gpadls);
      const c = channelCanonicalizer<unknown>(channels);
      const perms = relidPermutations(channels).map((p) => relidRenaming(p));
      const states = reachable(spec, o, 4_000).filter(offered);
      expect(states.length).toBeGreaterThan(1_000);
      for (const s of states.filter((_, i) => i % 4 === 0)) {
        const form = canonicalKey(c(s));
        const images = perms.map((p) => rename(s, p));
        expect(images.map((x) => canonicalKey(x))).toContain(form);
        for (const x of images) expect(canonicalKey(c(x))).toBe(form);
      }
    }
  });

  it("check --symmetry explores as many states as there are orbits (every permutation tried): about half for 2 channels", async () => {
    for (const [channels, gpadls] of [[2, 0]] as const) {
      const o = options("qemu", channels, gpadls);
      const perms = relidPermutations(channels).map((p) => relidRenaming(p));
      const config = checkConfig(o);
      // The orbits, counted the slow way: a state's key is the least key of its permutations.
      const orbitKey = (s: State): string => (offered(s) ? perms.map((p) => canonicalKey(rename(s, p))).sort()[0]! : canonicalKey(s));
      const first = spec.initial(config);
      const seen = new Set([orbitKey(first)]);
      let level = [first];
      while (level.length > 0) {
        const next: State[] = [];
        for (const s of level)
          for (const i of spec.enabled(config, s)) {
            const t = spec.step(config, s, i).state;
            const k = orbitKey(t);
            if (!seen.has(k)) (seen.add(k), next.push(t));
          }
        level = next;
        if (seen.size > 60_000) break;
      }
      expect(level.length).toBe(0);
      const sym = await runCheck({ ...o, symmetry: true, reduceSignals: false, mode: "exact" });
      const plain = await runCheck({ ...o, reduceSignals: false, mode: "exact" });
      expect(sym.complete).toBe(true);
      expect(sym.states).toBe(seen.size);
      expect(sym.depth).toBe(plain.depth);
      expect(plain.states / sym.states).toBeGreaterThan(1.8);
    }
  }, 120_000);

  it("with --workers the threads explore the same quotient: the same states, transitions and findings as one thread", async () => {
    const o = options("qemu", 3, 0);
    const one = await runCheck({ ...o, symmetry: true });
    // Worker threads load JavaScript: this runs dist/ (`npm test` builds it first: pretest).
    const P = (await import(pathToFileURL(resolve("dist/src/explore/parallel.js")).href)) as typeof Parallel;
    const two = await P.runCheckParallel({ ...o, symmetry: true, workers: 2 });
    expect([two.states, two.transitions, two.depth, two.complete]).toEqual([one.states, one.transitions, one.depth, one.complete]);
    expect(summary(two)).toEqual(summary(one));
  }, 60_000);

  it("about a sixth for 3 channels (qemu, 3 channels, exhaustive both ways, the same verdict and depth)", async () => {
    const o = options("qemu", 3, 0);
    const plain = await runCheck(o);
    const sym = await runCheck({ ...o, symmetry: true });
    expect(plain.complete && sym.complete).toBe(true);
    expect(summary(sym)).toEqual(summary(plain));
    expect(sym.depth).toBe(plain.depth);
    expect(plain.states / sym.states).toBeGreaterThan(5);
  }, 60_000);
});


/** Planted: a spec host that drops its GPADL_TORNDOWN replies (the guest waits forever: SYS-DEADLOCK-1). */
const dropTorndown = droppingHost("drop-torndown", (m) => m.type === "GpadlTorndown");

describe("channel symmetry loses no finding", () => {
  it("the default checks it applies to give the same violations, trace lengths and outcomes with and without it", async () => {
    const eligible = DEFAULT_CHECKS.filter((c) => symmetryRefusal(c.options) === undefined);
    expect(eligible.length).toBeGreaterThanOrEqual(2);
    for (const c of eligible) {
      const plain = await runCheck(c.options);
      const sym = await runCheck({ ...c.options, symmetry: true });
      expect(sym.complete).toBe(plain.complete);
      expect(summary(sym)).toEqual(summary(plain));
      expect(sym.states).toBeLessThan(plain.states);
    }
  }, 120_000);

  it("planted bugs with 2 channels: a host that drops GPADL_TORNDOWN (deadlock) and one that livelocks on GPADL_TEARDOWN (liveness) are found the same way", async () => {
    for (const host of [dropTorndown, spinningHost] as const) {
      const model = createSystem(host as HostModel<HostConfig, unknown>);
      const o = { ...options("strict", 2, 1), maxStates: 200_000 };
      const plain = await runCheckWith(model, o);
      const sym = await runCheckWith(model, { ...o, symmetry: true });
      expect(plain.violations.length).toBeGreaterThan(0);
      expect(summary(sym)).toEqual(summary(plain));
    }
  }, 60_000);

  it("a reported trace is a real run: its inputs are enabled one after another and end in the deadlock", async () => {
    const model = createSystem(dropTorndown as HostModel<HostConfig, unknown>);
    const o = options("strict", 2, 1, 200_000);
    const r = await runCheckWith(model, { ...o, symmetry: true });
    const i = r.violations.findIndex((v) => v.rule === "SYS-DEADLOCK-1");
    expect(i).toBeGreaterThanOrEqual(0);
    const config = checkConfig(o);
    let s = model.initial(config);
    for (const step of r.runs[i]!) {
      expect(model.enabled(config, s).map((x) => canonicalKey(x))).toContain(canonicalKey(step.input));
      s = model.step(config, s, step.input).state;
    }
    expect(deadlock(s, model.enabled(config, s).length)?.rule).toBe("SYS-DEADLOCK-1");
  });

  it("where it is not shown sound it is refused, with the reason", async () => {
    expect(symmetryRefusal({ ...options("qemu", 2, 0), hostile: true })).toMatch(/hostile/);
    expect(symmetryRefusal({ ...options("qemu", 2, 0), rescinds: 1 })).toMatch(/rescinds/);
    expect(symmetryRefusal({ ...options("qemu", 2, 0), crash: true })).toMatch(/crash/);
    expect(symmetryRefusal({ ...options("qemu", 2, 0), offers: 3 })).toMatch(/offers/);
    expect(symmetryRefusal(options("qemu", 1, 0))).toMatch(/at least 2/);
    expect(symmetryRefusal(options("qemu", 2, 0))).toBeUndefined();
    await expect(runCheck({ ...options("openvmm", 2, 0), symmetry: true })).rejects.toThrow(SymmetryRefused);
  });

  it("the CLI refuses it in one line with exit 2 (docs/cli.md)", () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [resolve("dist/src/cli/main.js"), "check", ...args], { encoding: "utf8" });
    for (const [args, line] of [
      [["--profile", "openvmm", "--channels", "2", "--symmetry"], /--symmetry is not available for the openvmm profile/],
      [["--profile", "qemu", "--channels", "2", "--rescinds", "1", "--symmetry"], /--rescinds/],
      [["--profile", "qemu", "--channels", "2", "--symmetry", "--swarm", "--seed", "1", "--out", "x.json"], /not yet with --shard or --swarm/],
    ] as const) {
      const r = cli(...args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(line);
    }
  });
});
