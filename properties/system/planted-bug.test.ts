import { describe, expect, it } from "vitest";
import { MODEL_GUEST_CONFIG } from "../../spec/guest/config.js";
import type { HostModel } from "../../spec/system/host-model.js";
import { DEFAULT_DRIVER, type SystemConfig } from "../../spec/system/config.js";
import { specHost } from "../../spec/system/spec-host.js";
import { createSystem } from "../../spec/system/system.js";
import { explore } from "../../src/explore/bfs.js";
import { checkConfig, formatReport, runCheck, runCheckWith } from "../../src/explore/check.js";
import { stubHost, type StubConfig } from "./stub-host.js";
import { droppingHost, spinningHost, stallingHost } from "../support/planted-hosts.js";

const stubConfig = (host: StubConfig): SystemConfig<StubConfig> => ({
  host,
  guest: MODEL_GUEST_CONFIG,
  driver: { ...DEFAULT_DRIVER, channels: host.channels },
  rescinds: 0,
});

describe("the checker finds bugs planted on purpose", () => {
  it("a correct stub host: exhaustive search, no violation", () => {
    const r = explore(createSystem(stubHost), stubConfig({ channels: 2 }), { maxDepth: 500, maxStates: 100_000 });
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it("stub host that answers OPENCHANNEL with success but never opens: SYS-OPEN-1 with a shortest trace", () => {
    const r = explore(createSystem(stubHost), stubConfig({ channels: 1, bug: "forgetOpen" }), { maxDepth: 500, maxStates: 100_000 });
    const f = r.findings.find((x) => x.violation.rule === "SYS-OPEN-1");
    expect(f).toBeDefined();
    // The trace ends with the guest reading the OPENCHANNEL_RESULT that made it believe the channel open.
    expect(f!.trace.at(-1)!.input.kind).toBe("guestReceive");
    expect(f!.trace.some((t) => t.input.kind === "driver" && t.input.action.kind === "openChannel")).toBe(true);
  });

  it("stub host that never answers GPADL_TEARDOWN: deadlock SYS-DEADLOCK-1", () => {
    const r = explore(createSystem(stubHost), stubConfig({ channels: 1, bug: "dropTeardown" }), { maxDepth: 500, maxStates: 100_000 });
    expect(r.findings.map((f) => f.violation)).toEqual([
      { kind: "deadlock", rule: "SYS-DEADLOCK-1", message: expect.stringContaining("GpadlTorndown") },
    ]);
  });

  it("spec host mutated to drop its GPADL_TORNDOWN replies: deadlock found and printed with its trace", async () => {
    // Swallow the reply and pretend it was delivered (the host moves on).
    const mutant = droppingHost("mutant", (m) => m.type === "GpadlTorndown");
    const report = await runCheckWith(createSystem(mutant), { profile: "strict", channels: 1, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false });
    expect(report.violations.map((v) => v.rule)).toContain("SYS-DEADLOCK-1");
    const text = formatReport(report);
    expect(text).toContain("DEADLOCK SYS-DEADLOCK-1");
    expect(text).toContain("sequenceDiagram");
    expect(text).toMatch(/GpadlTeardown \(11\)/);
  });

  it("HostConfig.parameters override: QEMU's version policy with OpenVMM's reply queue still passes (a quirk, not a bug)", async () => {
    const r = await runCheck({ profile: "openvmm", channels: 1, gpadls: 0, depth: 400, maxStates: 50_000, hostile: false, hostParameters: { maxVersion: 0x00040000 } });
    expect(r.violations).toEqual([]);
    expect(r.complete).toBe(true);
  });
});

describe("liveness (SYS-LIVE-1, SYS-LIVE-2) on planted bugs", () => {
  it("a host that livelocks on GPADL_TEARDOWN: SYS-LIVE-1 and SYS-LIVE-2 with shortest traces, no deadlock (in both modes)", async () => {
    for (const mode of ["fingerprint", "exact"] as const) {
      const r = await runCheckWith(createSystem(spinningHost), { profile: "strict", channels: 1, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false, mode });
      const rules = r.violations.map((v) => v.rule).sort();
      expect(rules).toEqual(["SYS-LIVE-1", "SYS-LIVE-2"]);
      for (const v of r.violations) {
        expect(v.kind).toBe("liveness");
        // The shortest trace reaches a state where the guest has posted its GPADL_TEARDOWN (11).
        expect(v.trace.some((t) => t.input === "guestPost" && t.messageType === 11)).toBe(true);
      }
    }
  });

  it("a host that stalls on a hostile UNLOAD: SYS-LIVE-1 (the hostile guest voids the agreement invariants, not this)", async () => {
    const r = await runCheckWith(createSystem(stallingHost), { profile: "strict", channels: 1, gpadls: 0, depth: 100, maxStates: 100_000, hostile: true, hostilePosts: 2 });
    const live = r.violations.filter((v) => v.rule === "SYS-LIVE-1");
    expect(live).toHaveLength(1);
    expect(live[0]!.trace.at(-1)!.input).toBe("hostilePost");
    expect(r.violations.map((v) => v.rule)).not.toContain("SYS-DEADLOCK-1");
  });

  it("the same checks on the real strict host find nothing (exhaustive)", async () => {
    for (const o of [
      { profile: "strict", channels: 1, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false },
      { profile: "strict", channels: 1, gpadls: 0, depth: 100, maxStates: 100_000, hostile: true, hostilePosts: 2 },
    ] as const) {
      const r = await runCheck(o);
      expect(r.complete).toBe(true);
      expect(r.violations).toEqual([]);
    }
  });
});

describe("guest-signal reduction loses no violation on planted bugs", () => {
  type HC = Parameters<typeof specHost.initial>[0];
  type HS = ReturnType<typeof specHost.initial>;
  const strict = { profile: "strict", channels: 2, gpadls: 0, depth: 400, maxStates: 200_000, hostile: false } as const;
  const both = (host: HostModel<HC, HS>) =>
    [true, false].map((reduceSignals) => explore(createSystem(host), checkConfig(strict), { maxDepth: 400, maxStates: 200_000, mode: "exact", reduceSignals }));
  const summary = (r: ReturnType<typeof explore>): string[] => r.findings.map((f) => `${f.violation.rule}:${f.trace.length}`).sort();

  it("a host that fails a signal while a guest message is queued (interleaving-dependent): SYS-SIGNAL-1 found either way, same shortest trace", () => {
    const flaky: HostModel<HC, HS> = {
      ...specHost,
      step: (c, s, i) => {
        const r = specHost.step(c, s, i);
        if (i.kind !== "signalEvent" || s.rxQueue.length === 0) return r;
        return { state: r.state, outputs: r.outputs.map((o) => (o.kind === "hypercallStatus" ? { ...o, status: 4 } : o)) };
      },
    };
    const [reduced, full] = both(flaky);
    expect(summary(reduced!)).toEqual(summary(full!));
    expect(summary(reduced!).some((x) => x.startsWith("SYS-SIGNAL-1:"))).toBe(true);
    expect(reduced!.states).toBeLessThan(full!.states / 2);
    expect(reduced!.probedSignals).toBeGreaterThan(0);
  });

  it("a host whose signal changes its state (closes the channel) is explored in full: SYS-OPEN-1 found either way", () => {
    const closing: HostModel<HC, HS> = {
      ...specHost,
      step: (c, s, i) => {
        const r = specHost.step(c, s, i);
        if (i.kind !== "signalEvent") return r;
        return { state: { ...r.state, channels: r.state.channels.map((ch) => ({ ...ch, state: "init" as const, isOpen: false })) }, outputs: r.outputs };
      },
    };
    const [reduced, full] = both(closing);
    expect(summary(reduced!)).toEqual(summary(full!));
    expect(summary(reduced!).some((x) => x.startsWith("SYS-OPEN-1:"))).toBe(true);
  });
});
