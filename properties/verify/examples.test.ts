import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The verify examples of README.md and of `verify --help` / `guest --help`, executed as written
// (`npx vmbus-spec` / `vmbus-spec` run the built CLI).
const CLI = "dist/src/cli/main.js";
const run = (line: string) => {
  const args = line.replace(/^(npx )?vmbus-spec /, "").match(/"[^"]*"|\S+/g)!.map((x) => x.replace(/^"|"$/g, "").replace(/\bvmbus-spec\b/, `node ${CLI}`));
  return spawnSync("node", [CLI, ...args], { encoding: "utf8", timeout: 60_000 });
};

describe("verify examples", () => {
  it("README: verify host against the Python example conforms", () => {
    const line = readFileSync("README.md", "utf8").split("\n").find((l) => l.startsWith("npx vmbus-spec verify "));
    expect(line).toBeDefined();
    const p = run(line!.split("   #")[0]!.trim());
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/CONFORMING/);
  }, 60_000);

  for (const cmd of ["verify", "guest"]) {
    it(`${cmd} --help: its example conforms`, () => {
      const help = spawnSync("node", [CLI, cmd, "--help"], { encoding: "utf8" }).stdout;
      const line = help.split("\n").find((l) => l.trim().startsWith("vmbus-spec verify "));
      expect(line).toBeDefined();
      const p = run(line!.trim());
      expect(p.status).toBe(0);
      expect(p.stdout).toMatch(/CONFORMING/);
    }, 60_000);
  }

  it("Ctrl-C: the child is killed, what was found so far is printed, exit 130", async () => {
    const p = spawn("node", [CLI, "verify", "host", "--impl", "python3 properties/verify/fixtures/silent.py", "--profile", "qemu", "--timeout-ms", "60000"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    await new Promise((r) => setTimeout(r, 2500));
    p.kill("SIGINT");
    const code = await new Promise<number | null>((r) => p.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(out).toMatch(/INTERRUPTED/);
  }, 30_000);
});
