import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The README and --help examples (verify's included) run in properties/cli/examples.test.ts.
const CLI = "dist/src/cli/main.js";

describe("verify examples", () => {
  it("Ctrl-C: the child is killed, what was found so far is printed, exit 130", async () => {
    const token = `silent-${process.pid}-${Date.now()}`;
    const p = spawn("node", [CLI, "verify", "host", "--impl", `python3 properties/verify/fixtures/silent.py ${token}`, "--profile", "qemu", "--timeout-ms", "60000"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    // Ctrl-C once the implementation (python3 … token) runs, found in /proc, however loaded the machine is.
    const running = (): boolean =>
      readdirSync("/proc").some((d) => {
        try {
          if (!/^\d+$/.test(d)) return false;
          const argv = readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0");
          return argv[0]!.endsWith("python3") && argv.includes(token);
        } catch {
          return false;
        }
      });
    for (let i = 0; i < 400 && !running(); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    p.kill("SIGINT");
    const code = await new Promise<number | null>((r) => p.on("exit", (c) => r(c)));
    expect(code).toBe(130);
    expect(out).toMatch(/INTERRUPTED/);
  }, 30_000);
});
