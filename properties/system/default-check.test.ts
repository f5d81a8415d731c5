import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { interruptAfter } from "../support/interrupt.js";
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
    const p = spawnSync("node", [CLI, "check", "--profile", "qemu", "--hostile", "--hostile-posts", "2", "--depth", "7", "--json"], { encoding: "utf8" });
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

  const check = (...args: string[]) => spawnSync("node", [CLI, "check", ...args], { encoding: "utf8" });
  const usage = (p: ReturnType<typeof check>, text: RegExp): void => {
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/^vmbus-spec check: /);
    expect(p.stderr).toMatch(text);
  };

  it("a positional profile is refused, not silently run as strict", () => usage(check("qemu"), /unexpected argument 'qemu' \(did you mean --profile qemu\?\)/));
  it("--offers fewer than --channels is refused, not ignored", () => usage(check("--channels", "2", "--offers", "1"), /--offers 1 is fewer than --channels 2/));
  it("--offers more than --channels offers the extra devices", () => {
    const p = check("--channels", "1", "--offers", "2", "--json");
    const q = check("--channels", "1", "--json");
    expect(p.status).toBe(0);
    expect((JSON.parse(p.stdout) as { states: number }).states).toBeGreaterThan((JSON.parse(q.stdout) as { states: number }).states);
  });
  it("--max-version older than every version the guest tries is refused (the check would be vacuous)", () => usage(check("--max-version", "0.0"), /--max-version 0\.0 is older than every version/));
  it("--hostile-posts without --hostile is refused", () => usage(check("--hostile-posts", "2"), /--hostile-posts needs --hostile/));

  it("a bounded run says so (text and --json), exits 0, or 4 with --fail-incomplete", () => {
    const t = check("--channels", "2", "--max-states", "100");
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/bounded: not exhaustive, stopped by the --max-states bound/);
    expect(t.stdout).toMatch(/no violation found so far \(bounded: not exhaustive\)/);
    expect(t.stdout).toMatch(/probability that a state was missed ≤ \d/);
    const j = check("--channels", "2", "--max-states", "100", "--json", "--fail-incomplete");
    expect(j.status).toBe(4);
    expect(JSON.parse(j.stdout)).toMatchObject({ verdict: "bounded: not exhaustive", complete: false, stoppedBy: "states", mode: "fingerprint" });
    const x = check("--json", "--mode", "exact", "--fail-incomplete");
    expect(x.status).toBe(0);
    expect(JSON.parse(x.stdout)).toMatchObject({ verdict: "no violation", complete: true, mode: "exact", collisionProbability: 0 });
  });

  it("--write-run: a missing directory is a file error before the search; an existing file is not overwritten without --force; nothing found is said", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmbus-check-"));
    const p = check("--profile", "qemu", "--channels", "3", "--gpadls", "2", "--max-states", "2000000", "--write-run", join(dir, "nodir", "x", "run.json"));
    expect(p.status).toBe(3);
    expect(p.stderr).toMatch(/^vmbus-spec check: .*nodir\/x\/run\.json: cannot write: directory .*nodir\/x: no such file or directory\n$/);
    expect(p.stdout).toBe(""); // refused before the search: no report, not after 2 M states
    const existing = join(dir, "keep.json");
    writeFileSync(existing, "mine\n");
    const q = check("--write-run", existing);
    expect(q.status).toBe(3);
    expect(q.stderr).toMatch(/keep\.json: exists: not overwritten \(use --force/);
    expect(readFileSync(existing, "utf8")).toBe("mine\n");
    const none = join(dir, "none.json");
    const r = check("--write-run", none);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/no violation found: .*none\.json not written/);
    expect(existsSync(none)).toBe(false);
    const run = join(dir, "run.json");
    const w = check("--profile", "qemu", "--hostile", "--hostile-posts", "2", "--depth", "4", "--write-run", run);
    expect(w.status).toBe(1);
    expect(w.stderr).toMatch(/wrote .*run\.json \(3 steps: HOST-QEMU-DEFECT-2\)/);
    const rp = check("--replay", run);
    expect(rp.status).toBe(0);
    expect(rp.stdout).toMatch(/replayed 3 steps/);
  });

  it("--replay errors carry the prefix: unreadable file 3, not JSON 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmbus-check-"));
    const p = check("--replay", join(dir, "missing.json"));
    expect(p.status).toBe(3);
    expect(p.stderr).toMatch(/^vmbus-spec check: cannot read .*missing\.json: ENOENT/);
    writeFileSync(join(dir, "bad.json"), "{");
    const q = check("--replay", join(dir, "bad.json"));
    expect(q.status).toBe(2);
    expect(q.stderr).toMatch(/^vmbus-spec check: .*bad\.json: not JSON/);
  });

  it("Ctrl-C prints the statistics and findings so far, then exits 130", async () => {
    const r = await interruptAfter([CLI, "check", "--profile", "qemu", "--channels", "3", "--gpadls", "2", "--max-states", "5000000"]);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/\d+ states, \d+ transitions, depth \d+ \(bounded: not exhaustive, stopped by Ctrl-C\)/);
    expect(r.stdout).toMatch(/no violation found so far \(interrupted\)/);
  });
});
