import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

// The README and --help examples (verify's included) run in properties/cli/examples.test.ts.
const CLI = "dist/src/cli/main.js";

describe("verify examples", () => {
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
