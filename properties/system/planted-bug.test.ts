import { describe, expect, it } from "vitest";
import { MODEL_GUEST_CONFIG } from "../../spec/guest/config.js";
import type { HostModel } from "../../spec/system/host-model.js";
import { DEFAULT_DRIVER, type SystemConfig } from "../../spec/system/config.js";
import { specHost } from "../../spec/system/spec-host.js";
import { createSystem } from "../../spec/system/system.js";
import { explore } from "../../src/explore/bfs.js";
import { formatReport, runCheck, runCheckWith } from "../../src/explore/check.js";
import { stubHost, type StubConfig } from "./stub-host.js";

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
    const mutant: HostModel<Parameters<typeof specHost.initial>[0], ReturnType<typeof specHost.initial>> = {
      ...specHost,
      name: "mutant",
      step: (c, s, i) => {
        const r = specHost.step(c, s, i);
        // Swallow the reply and pretend it was delivered (the host moves on).
        const drop = r.outputs.find((o) => o.kind === "postMessage" && o.message.type === "GpadlTorndown");
        if (!drop) return r;
        const delivered = specHost.step(c, r.state, { kind: "deliveryResult", result: "delivered" });
        return { state: delivered.state, outputs: r.outputs.filter((o) => o !== drop) };
      },
    };
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
