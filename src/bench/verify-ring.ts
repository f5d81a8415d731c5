#!/usr/bin/env node
/**
 * `node dist/src/bench/verify-ring.js [--sessions N] [--repeat N] [--json]`
 *
 * How fast `verify ring` drives an implementation, and how fast it finds each gallery bug:
 *  - steps/s against the independent C ring (docs/examples/ring-c, compiled with cc) over all
 *    three phases, and against the spec's own ring CLI (node dist/src/cli/main.js ring) over the
 *    rule sessions;
 *  - the baseline in the same run: bare process starts of the same two commands (`show` on a
 *    small image, no verifier work), i.e. the ceiling the one-process-per-operation interface
 *    allows;
 *  - per gallery bug (-DBUG_* builds of the C ring): time to the first diverging step, steps in
 *    the minimal session, total time with shrinking.
 * Each rate is the best of --repeat runs (other processes share the cores). Not a test.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { getInt, parseArgs, UsageError } from "../cli/args.js";
import { verifyRing, type VerifyRingReport } from "../verify/ring/engine.js";
import { RING_GALLERY } from "../verify/ring/gallery.js";

const spawnOnce = (cmd: readonly string[]): Promise<void> =>
  new Promise((res) => {
    const c = spawn(cmd[0]!, cmd.slice(1), { stdio: ["pipe", "pipe", "pipe"], detached: true });
    c.stdout.resume();
    c.stderr.resume();
    c.stdin.on("error", () => undefined);
    c.stdin.end();
    c.on("close", () => res());
  });

/** Bare process starts per second (the interface's ceiling). */
const spawnRate = async (cmd: readonly string[], n: number): Promise<number> => {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await spawnOnce(cmd);
  return n / ((performance.now() - t0) / 1000);
};

const verify = (impl: string[], tmp: string, o: { sessions: number; phases: ("vectors" | "rules" | "random")[]; seed: number }): Promise<VerifyRingReport> =>
  verifyRing({ impl, implText: impl.join(" "), profile: "strict", seed: o.seed, sessions: o.sessions, timeoutMs: 60_000, tmpDir: tmp, cwd: process.cwd(), replay: null, phases: o.phases, stopped: () => false });

const best = async (n: number, f: () => Promise<number>): Promise<number> => {
  let b = 0;
  for (let i = 0; i < n; i++) b = Math.max(b, await f());
  return b;
};

/** The bench (a dispatcher calls this; run directly, the file runs it on process.argv). */
export const benchVerifyRing = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "sessions", kind: "string" },
    { name: "repeat", kind: "string" },
    { name: "json", kind: "boolean" },
  ]);
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  const sessions = getInt(a, "sessions", 0, 100_000) ?? 100;
  const repeat = getInt(a, "repeat", 1, 20) ?? 3;
  const json = a.booleans.has("json");
  const tmp = mkdtempSync(join(tmpdir(), "vmbus-bench-verify-ring-"));
  const log = (s: string): void => {
    if (!json) process.stderr.write(s + "\n");
  };
  try {
    const src = resolve("docs/examples/ring-c/ring.c");
    const cc = (name: string, bug?: string): string => {
      const out = join(tmp, name);
      execFileSync("cc", ["-O2", ...(bug ? [`-DBUG_${bug}`] : []), "-o", out, src]);
      return out;
    };
    const ringC = cc("ring");
    const nodeRing = [process.execPath, resolve("dist/src/cli/main.js"), "ring"];
    const img = join(tmp, "bench.img");
    execFileSync(ringC, ["init", "--file", img, "--data-size", "4096"]);

    log("baseline: bare process starts …");
    const spawnC = await best(repeat, () => spawnRate([ringC, "show", "--file", img], 200));
    const spawnNode = await best(repeat, () => spawnRate([...nodeRing, "show", "--file", img], 20));

    log(`verify ring against the C ring (${sessions} random sessions) …`);
    let cRun: VerifyRingReport | null = null;
    const cRate = await best(repeat, async () => {
      const r = await verify([ringC], tmp, { sessions, phases: ["vectors", "rules", "random"], seed: 1 });
      if (r.verdict !== "conforming") throw new Error(`the C ring did not conform: ${r.finding?.divergence.what}`);
      cRun = r;
      return r.processes / (r.elapsedMs / 1000);
    });
    log("verify ring against the spec's ring CLI (rule sessions) …");
    let nodeRun: VerifyRingReport | null = null;
    const nodeRate = await best(Math.min(repeat, 2), async () => {
      const r = await verify(nodeRing, tmp, { sessions: 0, phases: ["rules"], seed: 1 });
      if (r.verdict !== "conforming") throw new Error(`the spec CLI did not conform: ${r.finding?.divergence.what}`);
      nodeRun = r;
      return r.processes / (r.elapsedMs / 1000);
    });

    const gallery: Record<string, unknown>[] = [];
    for (const g of RING_GALLERY) {
      log(`gallery ${g.bug} …`);
      const impl = cc(`ring-${g.bug}`, g.bug);
      const t0 = performance.now();
      const r = await verify([impl], tmp, { sessions, phases: ["vectors", "rules", "random"], seed: 1 });
      const f = r.finding;
      gallery.push({
        bug: g.bug,
        expectedRule: g.rule,
        detected: f !== null && f.divergence.rules.includes(g.rule),
        rules: f?.divergence.rules ?? [],
        origin: f?.origin ?? null,
        minimalSteps: f?.steps.length ?? null,
        firstDetectionMs: f ? Math.round(f.detectedAfterMs) : null,
        totalMs: Math.round(performance.now() - t0),
        processes: r.processes,
      });
    }
    const c = cRun as VerifyRingReport | null;
    const n = nodeRun as VerifyRingReport | null;
    const result = {
      bench: "verify-ring",
      loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
      repeat,
      baseline: { cProcessStartsPerSecond: Math.round(spawnC), nodeProcessStartsPerSecond: Math.round(spawnNode * 10) / 10 },
      cRing: { stepsPerSecond: Math.round(cRate), processes: c?.processes ?? 0, sessions: c?.phases.reduce((s, p) => s + p.sessions, 0) ?? 0, ofCeiling: Math.round((cRate / spawnC) * 100) / 100 },
      specCli: { stepsPerSecond: Math.round(nodeRate * 10) / 10, processes: n?.processes ?? 0, ofCeiling: Math.round((nodeRate / spawnNode) * 100) / 100 },
      gallery,
    };
    if (json) process.stdout.write(JSON.stringify(result) + "\n");
    else {
      const out: string[] = [];
      out.push(`load average ${result.loadavg.join(" ")}; best of ${repeat}`);
      out.push(`C ring:        ${result.cRing.stepsPerSecond} steps/s (${result.cRing.processes} processes, ${result.cRing.sessions} sessions); bare process starts ${result.baseline.cProcessStartsPerSecond}/s → ${result.cRing.ofCeiling} of the ceiling`);
      out.push(`spec ring CLI: ${result.specCli.stepsPerSecond} steps/s (${result.specCli.processes} processes); bare process starts ${result.baseline.nodeProcessStartsPerSecond}/s → ${result.specCli.ofCeiling} of the ceiling`);
      out.push("gallery (bug, expected rule, detected, steps in the minimal session, first detection, total with shrinking):");
      for (const g of gallery) out.push(`  ${String(g.bug).padEnd(24)} ${String(g.expectedRule).padEnd(13)} ${g.detected ? "yes" : "NO "}  ${String(g.minimalSteps).padStart(2)} steps  ${String(g.firstDetectionMs).padStart(6)} ms  ${String(g.totalMs).padStart(6)} ms  (${g.origin})`);
      process.stdout.write(out.join("\n") + "\n");
    }
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
};

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  benchVerifyRing(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`vmbus-spec bench verify-ring: ${e instanceof UsageError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 70;
    },
  );
}
