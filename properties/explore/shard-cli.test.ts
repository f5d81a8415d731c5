/** A sharded campaign through the CLI: shard processes, `check merge`, `check --workers`. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "vmbus-shard-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("check --shard / check merge / check --workers (CLI)", () => {
  it("through the CLI: three shard processes and check merge print what check prints (exit 1: QEMU defects)", async () => {
    const main = resolve("dist/src/cli/main.js");
    spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
    const args = ["check", "--profile", "qemu", "--hostile", "--hostile-posts", "2"];
    const ex = join(dir, "cli");
    const codes = await Promise.all(
      [0, 1, 2].map(
        (i) =>
          new Promise<number | null>((done) => {
            const p = spawn(process.execPath, [main, ...args, "--shard", `${i}/3`, "--exchange", ex, "--out", join(dir, `cli-${i}.json`)], { stdio: "ignore" });
            p.on("close", done);
          }),
      ),
    );
    expect(codes).toEqual([0, 0, 0]);
    const merged = spawnSync(process.execPath, [main, "check", "merge", "--json", ...[0, 1, 2].map((i) => join(dir, `cli-${i}.json`))], { encoding: "utf8" });
    const single = spawnSync(process.execPath, [main, ...args, "--json"], { encoding: "utf8" });
    expect(merged.status).toBe(1);
    expect(single.status).toBe(1);
    const m = JSON.parse(merged.stdout);
    const s = JSON.parse(single.stdout);
    expect({ states: m.states, transitions: m.transitions, complete: m.complete, verdict: m.verdict }).toEqual({ states: s.states, transitions: s.transitions, complete: s.complete, verdict: s.verdict });
    const key = (v: { kind: string; rule: string; trace: unknown[] }) => `${v.kind}/${v.rule}/${v.trace.length}`;
    expect(m.violations.map(key).sort()).toEqual(s.violations.map(key).sort());
    // liveness over the shards' graph files (cli-i.json.graph), as one process checks it
    expect(m.livenessChecked).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith(".graph")).sort()).toEqual(["cli-0.json.graph", "cli-1.json.graph", "cli-2.json.graph"]);
    const files = [0, 1, 2].map((i) => join(dir, `cli-${i}.json`));
    renameSync(`${files[1]}.graph`, join(dir, "moved.graph"));
    const lost = spawnSync(process.execPath, [main, "check", "merge", ...files], { encoding: "utf8" });
    expect({ code: lost.status, err: lost.stderr }).toEqual({ code: 3, err: expect.stringMatching(/^vmbus-spec check: .*cli-1\.json\.graph: .*\n$/) });
    renameSync(join(dir, "moved.graph"), `${files[1]}.graph`);
    // a result without a graph (an older shard): merged, and liveness said to be unchecked
    const old = JSON.parse(readFileSync(files[2]!, "utf8"));
    delete old.graph;
    writeFileSync(join(dir, "old-2.json"), JSON.stringify(old));
    const noGraph = spawnSync(process.execPath, [main, "check", "merge", files[0]!, files[1]!, join(dir, "old-2.json")], { encoding: "utf8" });
    expect(noGraph.status).toBe(1);
    expect(noGraph.stdout).toMatch(/liveness \(SYS-LIVE-1\/-2\): not checked \(.*old-2\.json has no graph file\)/);
    const again = spawnSync(process.execPath, [main, ...args, "--shard", "0/3", "--exchange", ex, "--out", join(dir, "cli-0.json")], { encoding: "utf8" });
    expect({ code: again.status, err: again.stderr }).toEqual({ code: 3, err: expect.stringMatching(/cli-0\.json: exists: not overwritten/) });
    const bad = spawnSync(process.execPath, [main, "check", "merge", join(dir, "cli-0.json"), join(dir, "cli-0.json")], { encoding: "utf8" });
    expect({ code: bad.status, err: bad.stderr }).toEqual({ code: 2, err: expect.stringMatching(/^vmbus-spec check: .*shard 0 again/) });
    expect(spawnSync(process.execPath, [main, "check", "--shard", "3/3", "--exchange", ex, "--out", join(dir, "x.json")]).status).toBe(2);
    // --workers: the same search in worker threads of one process, sharing one visited set (liveness checked)
    const w = spawnSync(process.execPath, [main, ...args, "--workers", "2", "--json"], { encoding: "utf8" });
    expect(w.status).toBe(1);
    const wj = JSON.parse(w.stdout);
    const rules = (r: { violations: { rule: string; trace: unknown[] }[] }) => r.violations.map((v) => `${v.rule}:${v.trace.length}`).sort();
    expect({ states: wj.states, transitions: wj.transitions, workers: wj.workers, liveness: wj.livenessChecked, violations: rules(wj) }).toEqual({ states: s.states, transitions: s.transitions, workers: 2, liveness: undefined, violations: rules(s) });
  });
});
