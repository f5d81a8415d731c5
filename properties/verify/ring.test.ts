/**
 * `vmbus-spec verify ring` on the built binary: the spec's
 * own ring CLI passes in every profile, the independent C ring (docs/examples/ring-c) passes,
 * every gallery bug is caught with its rule ID and the minimal session replays, and an
 * implementation that crashes, hangs, prints garbage or refuses valid calls gets a verdict.
 * Implementation processes are slow to start (node ≈ 0.1–0.2 s each), so the runs are bounded.
 */
import { execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROFILE_NAMES, type ProfileName } from "../../spec/profiles.js";
import { RING_GALLERY } from "../../src/verify/ring/gallery.js";
import { HELP } from "../../src/cli/commands/verify-ring.js";
import { verifyRing } from "../../src/verify/ring/engine.js";
import type { Session } from "../../src/verify/ring/session.js";

const MAIN = resolve("dist/src/cli/main.js");
const RING_C = resolve("docs/examples/ring-c/ring.c");
const dir = mkdtempSync(join(tmpdir(), "vmbus-verify-ring-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
}
const run = async (args: string[], cwd = dir): Promise<Run> =>
  promisify(execFile)(process.execPath, [MAIN, "verify", "ring", ...args], { cwd, encoding: "utf8", maxBuffer: 64 << 20 }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof e.code === "number" ? e.code : -1, out: e.stdout ?? "", err: e.stderr ?? "" }),
  );
const json = (r: Run): Record<string, any> => JSON.parse(r.out) as Record<string, any>;

const compile = (name: string, bug?: string): string => {
  const out = join(dir, name);
  execFileSync("cc", ["-O2", ...(bug ? [`-DBUG_${bug}`] : []), "-o", out, RING_C]);
  return out;
};
const compileAsync = async (name: string, bug?: string): Promise<string> => {
  const out = join(dir, name);
  await promisify(execFile)("cc", ["-O2", ...(bug ? [`-DBUG_${bug}`] : []), "-o", out, RING_C]);
  return out;
};
const script = (name: string, body: string): string => {
  const f = join(dir, name);
  writeFileSync(f, `#!/bin/sh\n${body}\n`);
  chmodSync(f, 0o755);
  return f;
};

let ringC = "";
beforeAll(() => {
  ringC = compile("ring-c");
});

describe("verify ring: conforming implementations", () => {
  // qemu: the first --help example below.
  const OTHERS = PROFILE_NAMES.filter((p) => p !== "qemu");
  // One node process per operation (≈ 0.1–0.2 s each): the rule sessions only; the vectors and
  // random sessions run against the C ring, which starts in milliseconds.
  it(`the spec's own ring CLI passes the rule sessions in ${OTHERS.join(", ")}`, async () => {
    const impl = `${process.execPath} ${MAIN} ring`;
    const runs = await Promise.all(OTHERS.map((p) => run(["--impl", impl, "--profile", p, "--phases", "rules", "--json", "--timeout-ms", "60000"])));
    for (const [i, r] of runs.entries()) {
      expect(r.code, `${OTHERS[i]}: ${r.out}${r.err}`).toBe(0);
      expect(json(r)).toMatchObject({ verdict: "conforming", profile: OTHERS[i] });
    }
  });

  it("the --help examples run", async () => {
    const lines = HELP.split("\n").slice(HELP.split("\n").indexOf("examples:") + 1);
    expect(lines.length).toBe(2);
    const [first, second] = lines.map((l) => l.trim());
    const m = /--impl "([^"]+)" --profile (\w+) --phases (\w+)$/.exec(first!);
    expect(m).not.toBeNull();
    const r1 = await run(["--impl", m![1]!, "--profile", m![2]!, "--phases", m![3]!], resolve("."));
    expect(r1.code, r1.out + r1.err).toBe(0);
    expect(r1.out).toMatch(/CONFORMING/);
    const [build, verify] = second!.split(" && ");
    execFileSync("sh", ["-c", build!.replace("docs/examples/ring-c/ring.c", RING_C)], { cwd: dir });
    // The independent C ring in strict: vectors, rule sessions, random sessions; every observable rule exercised.
    const r2 = await run(verify!.replace(/^vmbus-spec verify ring /, "").split(" "), dir);
    expect(r2.code, r2.out + r2.err).toBe(0);
    expect(r2.out).toMatch(/vectors: \d+ session\(s\), rules: \d+ session\(s\), random: 10 session\(s\)/);
    expect(r2.out).toMatch(/rule coverage: 21\/21 observable rules exercised/);
    expect(r2.out).toMatch(/not observable through the ring CLI: RING-WRITE-2, RING-READ-1, RING-READ-5, RING-LIVE-1, RING-SAFE-1/);
    expect(r2.out).toMatch(/CONFORMING/);
  });
});

/** The engine in this process (the CLI around it is tested above and below): no verifier start-up per run. */
const verifyInProcess = (impl: string, replay: Session | null = null, profile: ProfileName = "strict", sessions = 5) =>
  verifyRing({ impl: [impl], implText: impl, profile, seed: 5, sessions, timeoutMs: 60_000, tmpDir: dir, cwd: dir, replay, stopped: () => false });

describe("verify ring: the independent C ring in the other profiles", () => {
  it("passes the vectors and rule sessions in qemu, linux, openvmm and dpdk, every observable rule exercised", async () => {
    const others = PROFILE_NAMES.filter((p) => p !== "strict");
    const reports = await Promise.all(others.map((p) => verifyInProcess(ringC, null, p, 0)));
    for (const [i, r] of reports.entries()) {
      expect(r.finding?.divergence ?? null, others[i]).toBeNull();
      expect(r.verdict, others[i]).toBe("conforming");
      expect(r.coverage.notExercised, others[i]).toEqual([]);
    }
  });
});

describe("verify ring: the bug gallery", () => {
  it("catches every gallery bug with its rule ID; the minimal session replays against the bug and passes against the correct ring", async () => {
    const impls = await Promise.all(RING_GALLERY.map(({ bug }) => compileAsync(`ring-${bug}`, bug)));
    const reports = await Promise.all(impls.map((impl) => verifyInProcess(impl)));
    for (const [i, { bug, rule }] of RING_GALLERY.entries()) {
      const r = reports[i]!;
      expect(r.verdict, bug).toBe("divergence");
      const f = r.finding!;
      expect(f.divergence.rules, bug).toContain(rule);
      expect(f.steps.length, bug).toBeLessThanOrEqual(6);
      const session = { origin: bug, steps: f.steps };
      const again = await verifyInProcess(impls[i]!, session);
      expect(again.finding?.divergence.rules, `${bug} replayed`).toContain(rule);
      expect((await verifyInProcess(ringC, session)).verdict, `${bug} replayed on the correct ring`).toBe("conforming");
    }
  });

  it("a random-session divergence is shrunk with fast-check and written without overwriting files", async () => {
    const impl = compile("ring-mask", "IGNORE_MASK");
    writeFileSync(join(dir, "verify-ring-strict-9.json"), "keep me\n");
    const r = await run(["--impl", impl, "--phases", "random", "--sessions", "200", "--seed", "9", "--json"]);
    expect(r.code, r.err).toBe(1);
    const j = json(r);
    expect(j.divergence.rules).toContain("RING-WRITE-6");
    expect(j.divergence.origin).toMatch(/random session \(seed 9\)/);
    // init, fill, the peer's interrupt_mask and the write: nothing else is needed.
    expect(j.divergence.steps).toBeLessThanOrEqual(4);
    expect(j.sessionFile).toBe("verify-ring-strict-9-2.json");
    expect(readFileSync(join(dir, "verify-ring-strict-9.json"), "utf8")).toBe("keep me\n");
    expect(existsSync(join(dir, "verify-ring-strict-9-2.json"))).toBe(true);
  });
});

describe("verify ring: verdicts about the implementation itself", () => {
  it("garbage on stdout, unknown fields, crashes and refused calls are verdicts with the session", async () => {
    const garbage = script("garbage.sh", "echo hello");
    const extra = script("extra.sh", `out=$("${ringC}" "$@"); code=$?; printf '%s\\n' "$out" | sed 's/^{/{"extra":1,/'; exit $code`);
    const crash = script("crash.sh", "kill -SEGV $$");
    const refuse = script("refuse.sh", "echo 'no such option' >&2; exit 2");
    const [g, x, c, f, missing] = await Promise.all([
      run(["--impl", garbage, "--sessions", "0", "--json"]),
      run(["--impl", extra, "--sessions", "0", "--json"]),
      run(["--impl", crash, "--sessions", "0", "--json"]),
      run(["--impl", refuse, "--sessions", "0", "--json"]),
      run(["--impl", join(dir, "does-not-exist"), "--sessions", "0", "--json"]),
    ]);
    expect(g.code).toBe(1);
    expect(json(g).divergence).toMatchObject({ kind: "garbage", step: 0, what: expect.stringMatching(/stdout line 1: not JSON/) });
    expect(x.code).toBe(1);
    expect(json(x).divergence).toMatchObject({ kind: "garbage", what: "stdout line 1: Init.extra: unknown field" });
    expect(c.code).toBe(1);
    expect(json(c).divergence).toMatchObject({ kind: "crash", impl: "SIGSEGV" });
    expect(f.code).toBe(2);
    expect(json(f)).toMatchObject({ verdict: "contract-error", divergence: { kind: "contract", stderr: "no such option" } });
    expect(missing.code).toBe(2);
    expect(json(missing).divergence.what).toMatch(/could not be started/);
  });

  it("a hang is killed after the per-step timeout, with everything it started", async () => {
    const hang = script("hang.sh", "sleep 31.25 & sleep 31.5");
    const r = await run(["--impl", hang, "--sessions", "0", "--timeout-ms", "300", "--json"]);
    expect(r.code).toBe(1);
    expect(json(r).divergence).toMatchObject({ kind: "hang", step: 0 });
    const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout;
    expect(ps).not.toMatch(/sleep 31\.(25|5)/);
  });

  it("Ctrl-C prints what was found so far, kills its children and exits 130", async () => {
    const started = join(dir, "slow-started");
    const slow = script("slow.sh", `touch "${started}"; sleep 0.2; exec "${ringC}" "$@"`);
    const child = spawn(process.execPath, [MAIN, "verify", "ring", "--impl", slow, "--sessions", "0"], { cwd: dir });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    // Interrupt once the verifier runs the implementation (its SIGINT handler is installed by then).
    for (let i = 0; i < 600 && !existsSync(started); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code).toBe(130);
    expect(spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout).not.toContain(slow);
    expect(out).toMatch(/INTERRUPTED: no divergence in what ran so far/);
    expect(out).toMatch(/vectors: \d+ session\(s\)/);
  });

  it("usage and file errors", async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(["--impl", ringC, "--profile", "hyperv"])).err).toMatch(/unknown profile 'hyperv'/);
    expect((await run(["--impl", ringC, "--phases", "vectors,fuzz"])).code).toBe(2);
    expect((await run(["--impl", "'unterminated"])).err).toMatch(/unterminated ' quote/);
    writeFileSync(join(dir, "exists.json"), "{}");
    const ex = await run(["--impl", ringC, "--out", join(dir, "exists.json")]);
    expect(ex.code).toBe(3);
    expect(ex.err).toMatch(/exists\.json exists \(give --force/);
    expect((await run(["--impl", ringC, "--replay", join(dir, "nope.json")])).code).toBe(3);
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ contract: 1, kind: "vmbus-spec ring session", profile: "strict", origin: "x", steps: [{ op: "init", dataSize: 128 }, { op: "read", bogus: 1 }] }));
    const bad = await run(["--impl", ringC, "--replay", join(dir, "bad.json")]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/Session\.steps\[1\]\.bogus: unknown field/);
    writeFileSync(join(dir, "notjson.json"), "{");
    expect((await run(["--impl", ringC, "--replay", join(dir, "notjson.json")])).err).toMatch(/not JSON/);
  });
});
