import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// `npm test` builds dist/ first (pretest).
const CLI = "dist/src/cli/main.js";
const check = (...args: string[]) => spawnSync("node", [CLI, "check", ...args], { encoding: "utf8" });

describe("vmbus-spec check --queue / --queue-budget", () => {
  it("a compact queue under a 1 MiB budget, a live queue and the default give the same verdict and counts", () => {
    const runs = [[], ["--queue", "live"], ["--queue-budget", "1"]].map((extra) => check("--profile", "strict", "--channels", "2", "--rescinds", "1", "--json", ...extra));
    const counts = runs.map((p) => {
      expect(p.status).toBe(0);
      const o = JSON.parse(p.stdout) as { verdict: string; states: number; transitions: number };
      return [o.verdict, o.states, o.transitions];
    });
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
    expect(counts[0]![0]).toBe("no violation");
  });
  it("refuses what does not go together, with one line and exit 2", () => {
    for (const [args, line] of [
      [["--queue", "disk"], /--queue must be compact or live, got 'disk'/],
      [["--queue", "live", "--queue-budget", "4"], /--queue-budget goes with --queue compact/],
      [["--queue-budget", "0"], /--queue-budget/],
      [["--workers", "2", "--queue", "live"], /--queue goes with the single-thread search/],
      [["--swarm", "--seed", "1", "--out", "x.json", "--queue-budget", "8"], /go with the search of one process/],
      [["--max-states", "500000001"], /--max-states must be a whole number from 1 to 500000000/],
    ] as const) {
      const p = check(...args);
      expect(p.status, args.join(" ")).toBe(2);
      expect(p.stderr).toMatch(line);
      expect(p.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
