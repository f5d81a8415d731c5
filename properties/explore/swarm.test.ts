/**
 * Swarm mode (check --swarm --seed S, check merge): a run whose bounds cut nothing visits the
 * single-process search's states and finds its findings; runs with small budgets and different
 * seeds go different ways (their union is larger than any one); the merge says a swarm is not
 * exhaustive, keeps each finding's shortest trace and estimates the distinct states covered.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interruptAfter } from "../support/interrupt.js";
import { fingerprint64 } from "../../src/explore/encoding.js";
import { checkConfig, runCheck } from "../../src/explore/check.js";
import { mergedReport } from "../../src/explore/merge-report.js";
import { replayIndices } from "../../src/explore/path-search.js";
import { StateSketch } from "../../src/explore/sketch.js";
import { runSwarm } from "../../src/explore/swarm.js";
import { decodeSwarmResult, mergeSwarm, type SwarmResult } from "../../src/explore/swarm-result.js";

const dir = mkdtempSync(join(tmpdir(), "vmbus-swarm-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STRICT = { profile: "strict", channels: 1, gpadls: 0, rescinds: 1, hostile: false } as const;
const QEMU_HOSTILE = { profile: "qemu", channels: 1, gpadls: 0, hostile: true, hostilePosts: 2 } as const;
const named = (rs: readonly SwarmResult[]) => rs.map((result) => ({ name: `seed-${result.seed}.json`, result }));
const rules = (xs: readonly { rule: string; kind?: string }[]) => xs.map((x) => `${x.kind ?? "outcome"}/${x.rule}`).sort();

describe("HyperLogLog sketch of fingerprints", () => {
  const fps = (from: number, to: number) => {
    const out: [number, number][] = [];
    const buf = new Uint8Array(4);
    const fp = new Int32Array(2);
    for (let i = from; i < to; i++) {
      new DataView(buf.buffer).setUint32(0, i);
      fingerprint64(buf, 4, fp);
      out.push([fp[0]!, fp[1]!]);
    }
    return out;
  };
  it("estimates distinct counts within 5 %, a union as the union, and survives its base64 form", () => {
    const a = new StateSketch();
    const b = new StateSketch();
    for (const [hi, lo] of fps(0, 30_000)) a.add(hi, lo);
    for (const [hi, lo] of fps(20_000, 60_000)) b.add(hi, lo);
    for (const [hi, lo] of fps(0, 1_000)) a.add(hi, lo); // seen again: no change
    expect(Math.abs(a.estimate() - 30_000) / 30_000).toBeLessThan(0.05);
    expect(Math.abs(a.union(b).estimate() - 60_000) / 60_000).toBeLessThan(0.05);
    const back = StateSketch.fromBase64(a.toBase64());
    expect(back instanceof StateSketch && back.estimate()).toBe(a.estimate());
    expect(new StateSketch().estimate()).toBe(0);
    expect(StateSketch.fromBase64("AAAA")).toMatch(/not a base64 sketch/);
    expect(StateSketch.fromBase64(Buffer.alloc(4096, 40).toString("base64"))).toMatch(/above 33/);
  });
});

describe("swarm search (check --swarm --seed S)", () => {
  let qemu: SwarmResult[] = [];
  beforeAll(async () => {
    spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"]); // the CLI tests run dist/
    qemu = await Promise.all([1, 2].map((seed) => runSwarm({ check: QEMU_HOSTILE, bounds: { depth: 100, maxStates: 200_000 }, seed })));
  });

  it("a run no bound cuts visits exactly the single-process states, deterministically per seed", async () => {
    const single = await runCheck({ ...STRICT, depth: 400, maxStates: 200_000 });
    expect(single.complete).toBe(true);
    const r = await runSwarm({ check: STRICT, bounds: { depth: 400, maxStates: 200_000 }, seed: 7 });
    expect({ states: r.states, exhausted: r.exhausted, stoppedBy: r.stoppedBy }).toEqual({ states: single.states, exhausted: true, stoppedBy: null });
    expect(rules(r.findings)).toEqual(rules(single.violations.filter((v) => v.kind !== "liveness")));
    expect(await runSwarm({ check: STRICT, bounds: { depth: 400, maxStates: 200_000 }, seed: 7 })).toEqual(r);
    const est = (StateSketch.fromBase64(r.sketch) as StateSketch).estimate();
    expect(Math.abs(est - single.states) / single.states).toBeLessThan(0.1);
    expect(decodeSwarmResult(JSON.parse(JSON.stringify(r)), "r.json")).toEqual({ ok: true, value: r });
  });

  it("finds the QEMU defects of the hostile check, each trace replaying, never shorter than breadth-first's", async () => {
    const single = await runCheck({ ...QEMU_HOSTILE, depth: 100, maxStates: 200_000 });
    const bfsLength = new Map(single.violations.map((v) => [`${v.kind}/${v.rule}`, v.trace.length]));
    const config = checkConfig({ ...QEMU_HOSTILE, depth: 100, maxStates: 200_000 });
    for (const r of qemu) {
      expect({ states: r.states, exhausted: r.exhausted }).toEqual({ states: single.states, exhausted: true });
      expect(rules(r.findings)).toEqual(rules(single.violations.filter((v) => v.kind !== "liveness")));
      for (const f of r.findings) {
        expect(() => replayIndices(config, f.path)).not.toThrow();
        expect(f.path.length).toBeGreaterThanOrEqual(bfsLength.get(`${f.kind}/${f.rule}`)!);
      }
    }
    const m = mergeSwarm(named(qemu));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect({ complete: m.value.complete, stoppedBy: m.value.stoppedBy, visits: m.value.visits, runs: m.value.runs.length }).toEqual({ complete: false, stoppedBy: null, visits: 2 * single.states, runs: 2 });
    expect(Math.abs(m.value.states - single.states) / single.states).toBeLessThan(0.1);
    for (const f of m.value.findings) expect(f.path.length).toBe(Math.min(...qemu.map((r) => r.findings.find((g) => g.rule === f.rule)!.path.length)));
    const report = mergedReport(m.value);
    expect(report.complete).toBe(false);
    expect(rules(report.violations)).toEqual(rules(single.violations.filter((v) => v.kind !== "liveness")));
  });

  it("small budgets with different seeds go different ways: the union covers more than any run", async () => {
    const runs = await Promise.all([1, 2, 3, 4].map((seed) => runSwarm({ check: QEMU_HOSTILE, bounds: { depth: 100, maxStates: 300 }, seed })));
    expect(runs.map((r) => [r.states, r.stoppedBy, r.exhausted])).toEqual(runs.map(() => [300, "states", false]));
    const m = mergeSwarm(named(runs));
    expect(m.ok && { covered: m.value.states > 450, stoppedBy: m.value.stoppedBy }).toEqual({ covered: true, stoppedBy: "states" });
  });

  it("Ctrl-C: the run stops, says so and keeps what it found (in process, and exit 130 with the file written)", async () => {
    const r = await runSwarm({ check: QEMU_HOSTILE, bounds: { depth: 100, maxStates: 200_000 }, seed: 5, interrupted: () => true });
    expect({ states: r.states, stoppedBy: r.stoppedBy, exhausted: r.exhausted }).toEqual({ states: expect.any(Number), stoppedBy: "interrupted", exhausted: false });
    expect(r.states).toBeLessThan(1024);
    const main = resolve("dist/src/cli/main.js");
    const out = join(dir, "interrupted.json");
    const ri = await interruptAfter([main, "check", "--profile", "qemu", "--channels", "3", "--gpadls", "2", "--swarm", "--seed", "9", "--max-states", "5000000", "--out", out, "--force"], [1500, 4000, 10_000]);
    const [code, text] = [ri.code, ri.stdout];
    expect({ code, text }).toEqual({ code: 130, text: expect.stringMatching(/^swarm seed 9: \d+ states, .* stopped by Ctrl-C; wrote /) });
    const d = decodeSwarmResult(JSON.parse(readFileSync(out, "utf8")), out);
    expect(d.ok && d.value.stoppedBy).toBe("interrupted");
  });

  it("merge refuses another configuration, the same run twice and a bad sketch; the codec is closed", () => {
    const [a, b] = named(qemu) as [{ name: string; result: SwarmResult }, { name: string; result: SwarmResult }];
    expect(mergeSwarm([a, { name: "other.json", result: { ...b.result, check: { ...b.result.check, channels: 2 } } }])).toEqual({ ok: false, error: expect.stringMatching(/^other\.json: a different check configuration/) });
    expect(mergeSwarm([a, { ...a, name: "again.json" }])).toEqual({ ok: false, error: expect.stringMatching(/^again\.json: the same run again \(seed 1/) });
    // the same seed with another budget is another run
    expect(mergeSwarm([a, { name: "b.json", result: { ...a.result, bounds: { depth: 50, maxStates: 1000 } } }]).ok).toBe(true);
    expect(decodeSwarmResult({ ...a.result, extra: 1 }, "x.json")).toEqual({ ok: false, error: expect.stringMatching(/^x\.json: swarm\.extra/) });
    expect(decodeSwarmResult({ ...a.result, sketch: "AAAA" }, "x.json")).toEqual({ ok: false, error: "x.json: swarm.sketch: not a base64 sketch of 4096 registers" });
    expect(decodeSwarmResult({ ...a.result, seed: -1 }, "x.json").ok).toBe(false);
  });

  it("through the CLI: two runs and check merge (exit 1: QEMU defects; not exhaustive); shards and swarm runs do not mix", () => {
    const main = resolve("dist/src/cli/main.js");
    const args = ["check", "--profile", "qemu", "--hostile", "--hostile-posts", "2", "--max-states", "400", "--swarm"];
    const out = (s: number) => join(dir, `cli-${s}.json`);
    for (const s of [3, 4]) {
      const r = spawnSync(process.execPath, [main, ...args, "--seed", String(s), "--out", out(s)], { encoding: "utf8" });
      expect({ code: r.status, out: r.stdout }).toEqual({ code: 0, out: expect.stringMatching(new RegExp(`^swarm seed ${s}: 400 states, \\d+ transitions, \\d+ finding\\(s\\), stopped by the --max-states bound; wrote `)) });
    }
    const merged = spawnSync(process.execPath, [main, "check", "merge", "--json", out(3), out(4)], { encoding: "utf8" });
    expect(merged.status).toBe(1);
    const m = JSON.parse(merged.stdout);
    expect({ verdict: m.verdict, complete: m.complete, exhaustive: m.swarm.exhaustive, seeds: m.swarm.runs.map((r: { seed: number }) => r.seed), visits: m.swarm.visits }).toEqual({ verdict: "violation", complete: false, exhaustive: false, seeds: [3, 4], visits: 800 });
    const text = spawnSync(process.execPath, [main, "check", "merge", out(3), out(4)], { encoding: "utf8" });
    expect(text.stdout).toMatch(/swarm of 2 run\(s\) \(seeds 3, 4\): about \d+ distinct states .* a swarm is never exhaustive/);
    const again = spawnSync(process.execPath, [main, ...args, "--seed", "3", "--out", out(3)], { encoding: "utf8" });
    expect({ code: again.status, err: again.stderr }).toEqual({ code: 3, err: expect.stringMatching(/cli-3\.json: exists: not overwritten/) });
    const shard = join(dir, "shard.json");
    expect(spawnSync(process.execPath, [main, "check", "--profile", "qemu", "--hostile", "--hostile-posts", "2", "--shard", "0/1", "--exchange", join(dir, "ex"), "--out", shard]).status).toBe(0);
    const mixed = spawnSync(process.execPath, [main, "check", "merge", out(3), shard], { encoding: "utf8" });
    expect({ code: mixed.status, err: mixed.stderr }).toEqual({ code: 2, err: expect.stringMatching(/^vmbus-spec check: .*cli-3\.json is a swarm run and .*shard\.json a shard: merge one campaign at a time/) });
    const bad = join(dir, "bad.json");
    writeFileSync(bad, readFileSync(out(3), "utf8").replace('"seed":3', '"seed":"3"'));
    expect(spawnSync(process.execPath, [main, "check", "merge", bad], { encoding: "utf8" }).stderr).toMatch(/^vmbus-spec check: .*bad\.json: swarm\.seed/);
    for (const usage of [["--swarm", "--out", join(dir, "y.json")], ["--swarm", "--seed", "1"], ["--swarm", "--seed", "1", "--out", join(dir, "y.json"), "--mode", "exact"], ["--seed", "1"], ["--swarm", "--seed", "-1", "--out", join(dir, "y.json")]])
      expect(spawnSync(process.execPath, [main, "check", ...usage]).status).toBe(2);
  });
});
