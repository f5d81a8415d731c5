import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEFAULT_CHECKS, judge } from "../../src/explore/default.js";
import { runCheck } from "../../src/explore/check.js";

describe("default check configurations (npm start)", () => {
  for (const c of DEFAULT_CHECKS.filter((x) => !x.options.hostile && x.mustFind.length === 0)) {
    it(`${c.name}: exhaustive and clean`, async () => {
      const r = await runCheck(c.options);
      expect(r.complete).toBe(true);
      expect(r.violations).toEqual([]);
    });
  }
  for (const c of DEFAULT_CHECKS.filter((x) => !x.options.hostile && x.mustFind.length > 0)) {
    it(`${c.name}: exhaustive, finds exactly what it must`, async () => {
      const r = await runCheck(c.options);
      expect(r.complete).toBe(true);
      expect(judge(c, r)).toMatchObject({ ok: true, missing: [], unexpected: [] });
    });
  }
});

// `npm test` builds dist/ first (pretest); a missing CLI is a failure, not a skip.
const CLI = "dist/src/cli/main.js";
describe("vmbus-spec check (built CLI)", () => {
  it("--json prints one object; exit 0 when clean", () => {
    const p = spawnSync("node", [CLI, "check", "--profile", "qemu", "--channels", "1", "--json"], { encoding: "utf8" });
    expect(p.status).toBe(0);
    const o = JSON.parse(p.stdout) as Record<string, unknown>;
    for (const k of ["states", "transitions", "depth", "seconds", "statesPerSecond", "violations"]) expect(o).toHaveProperty(k);
    expect(o.violations).toEqual([]);
  });

  it("exit 1 with violations, each {kind, rule, message, trace[{input, messageType, hex}]}", () => {
    const p = spawnSync("node", [CLI, "check", "--profile", "qemu", "--hostile", "--depth", "7", "--json"], { encoding: "utf8" });
    expect(p.status).toBe(1);
    const o = JSON.parse(p.stdout) as { violations: { kind: string; rule: string; message: string; trace: { input: string; messageType?: number; hex?: string }[] }[] };
    expect(o.violations.map((v) => v.rule)).toContain("HOST-QEMU-DEFECT-2");
    for (const v of o.violations) {
      expect(v.kind).toBe("defect");
      expect(v.message).not.toContain("\n");
      const post = v.trace.find((s) => s.input === "hostilePost")!;
      expect(typeof post.messageType).toBe("number");
      expect(post.hex).toMatch(/^([0-9a-f]{2})*$/);
    }
  });

  it("bad arguments exit 2", () => {
    const p = spawnSync("node", [CLI, "check", "--profile", "bogus"], { encoding: "utf8" });
    expect(p.status).toBe(2);
  });
});
