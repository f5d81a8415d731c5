import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HOST_PROFILE_NAMES } from "../../spec/host/profiles.js";
import { verifyHost } from "../../src/verify/host-verify.js";

// `npm test` builds dist/ first (pretest); the spec serves over real stdio.
const CLI = "dist/src/cli/main.js";
const SERVE = `node ${CLI} host --serve`;
const PY = "python3 docs/examples/python-host/vmbus_host.py";
const FIX = "properties/verify/fixtures";
const verify = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync("node", [CLI, "verify", ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
const tmp = (): string => mkdtempSync(join(tmpdir(), "vmbus-verify-"));

describe("verify host: the spec against itself", () => {
  for (const profile of HOST_PROFILE_NAMES) {
    it(`${profile}: vectors, explorer sessions and random sessions all conform`, async () => {
      const r = await verifyHost({ command: SERVE, profile, seed: 7, sessions: 20, depth: 24, timeoutMs: 10_000 });
      expect(r.result).toBe("conforming");
      expect(r.verdict).toBeNull();
      expect(r.sessions).toBeGreaterThan(50);
      // The explorer sessions reach the profile's rules: most are exercised.
      expect(r.coverage.exercised.length).toBeGreaterThan(30);
      // A hypercall rule of the profile's backend: QEMU's hyperv.c checks, or OpenVMM's KVM backend.
      expect(r.coverage.exercised).toContain(profile === "openvmm" ? "HOST-OPENVMM-HC-1" : "HOST-HC-1");
    }, 60_000);
  }
});

describe("verify host: the independent Python host (docs/examples/python-host)", () => {
  it("passes verify host --profile qemu (CLI, --json)", () => {
    const dir = tmp();
    const p = verify(["host", "--impl", PY, "--profile", "qemu", "--sessions", "60", "--json", "--out", join(dir, "min.json")]);
    expect(p.stderr).toBe("");
    expect(p.status).toBe(0);
    const o = JSON.parse(p.stdout) as { result: string; implementation: string; coverage: { exercised: string[] }; verdict: unknown; file: unknown };
    expect(o.result).toBe("conforming");
    expect(o.implementation).toBe("python-host");
    expect(o.verdict).toBeNull();
    expect(o.file).toBeNull();
    expect(o.coverage.exercised).toEqual(expect.arrayContaining(["HOST-QEMU-DEFECT-1", "HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3", "HOST-GPADL-4"]));
    expect(existsSync(join(dir, "min.json"))).toBe(false);
  }, 60_000);
});

describe("verify host: verdicts about the implementation", () => {
  it("divergence: prints step, observed line, what the spec allows, rule IDs; writes a replayable minimal session", () => {
    const dir = tmp();
    const out = join(dir, "min.json");
    const p = verify(["host", "--impl", PY, "--profile", "qemu", "--sessions", "20", "--out", out], { VMBUS_BUG: "no-size-align" });
    expect(p.status).toBe(1);
    expect(p.stdout).toMatch(/DIVERGENCE in session "vector qemu\//);
    expect(p.stdout).toMatch(/the implementation did: line \d+: \{"kind":"postMessage","bytes":"0f00000000000000[0-9a-f]{8}","payloadSize":12,/);
    expect(p.stdout).toMatch(/the spec allows:\n {4}postMessage VersionResponse payloadSize 16 targetVp 0 sint 2 bytes 0f00000000000000[0-9a-f]{16} {2}\[HOST-CONNECT-2\]/);
    expect(p.stdout).toMatch(/rules: HOST-CONNECT-2/);
    const file = JSON.parse(readFileSync(out, "utf8")) as { kind: string; session: { inputs: unknown[] } };
    expect(file.kind).toBe("vmbus-verify-session");
    expect(file.session.inputs).toHaveLength(1);
    // --replay re-runs exactly that session: same verdict; the correct host passes it.
    const again = verify(["host", "--impl", PY, "--replay", out, "--json", "--out", join(dir, "again.json")], { VMBUS_BUG: "no-size-align" });
    expect(again.status).toBe(1);
    expect((JSON.parse(again.stdout) as { verdict: { rules: string[] }; sessions: number }).verdict.rules).toContain("HOST-CONNECT-2");
    expect(verify(["host", "--impl", PY, "--replay", out, "--json"]).status).toBe(0);
    // An existing --out is never overwritten without --force (exit 3 before anything runs).
    const clash = verify(["host", "--impl", PY, "--profile", "qemu", "--out", out]);
    expect(clash.status).toBe(3);
    expect(clash.stderr).toMatch(/^vmbus-spec verify: .*min\.json: exists/);
  }, 60_000);

  it("wrong contract version: contract error, exit 2", () => {
    const p = verify(["host", "--impl", `python3 ${FIX}/wrong-contract.py`, "--profile", "qemu"]);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/contract error: line 1: contract 2, the verifier speaks contract 1/);
  });

  it("garbage: an unknown field is named with its line and path", async () => {
    const r = await verifyHost({ command: `python3 ${FIX}/garbage.py`, profile: "qemu", seed: 1, sessions: 0, depth: 1, timeoutMs: 5000, explore: false });
    expect(r.result).toBe("garbage");
    expect(r.verdict?.observed).toMatch(/^line 2: idle\.extra: unknown field/);
  }, 30_000);

  it("hang: no idle within the per-step timeout", async () => {
    const r = await verifyHost({ command: `python3 ${FIX}/silent.py`, profile: "qemu", seed: 1, sessions: 0, depth: 1, timeoutMs: 150, explore: false });
    expect(r.result).toBe("hang");
    expect(r.verdict?.observed).toBe("no idle within 150 ms");
    expect(r.verdict?.step).toBe(-1);
  }, 30_000);

  it("usage errors exit 2 with one line; a bad replay file names the field", () => {
    expect(verify(["nope", "--impl", "x"]).stderr).toMatch(/^vmbus-spec verify: unknown role 'nope'/);
    const dir = tmp();
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ formatVersion: 1, kind: "vmbus-verify-session", role: "host", profile: "qemu", contract: 1, session: { source: "x", vcpus: 1, devices: [], inputs: [], more: 1 }, verdict: null }));
    const p = verify(["host", "--impl", PY, "--replay", bad]);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/session\.more: unknown field/);
    expect(verify(["host", "--impl", PY, "--replay", join(dir, "missing.json")]).status).toBe(3);
  });
});
