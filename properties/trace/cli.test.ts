/** `vmbus-spec trace` through the built CLI: verdicts, exit codes, --script replay, hostile input. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { interruptAfter } from "../support/interrupt.js";
import { qemuBenchLog } from "../../src/bench/trace.js";
import { qemuLogOf, walkSystem } from "../../src/trace/generate.js";
import { linuxTraceFileOf } from "../../src/trace/linux/format.js";
import { systemConfig } from "./helpers.js";

const MAIN = resolve("dist/src/cli/main.js");
const REAL = resolve("properties/trace/fixtures/qemu-7.2-linux-6.1-boot.log");
let dir = "";

beforeAll(() => {
  spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { encoding: "utf8" });
  if (!existsSync(MAIN)) throw new Error("build produced no dist/src/cli/main.js");
  dir = mkdtempSync(join(tmpdir(), "vmbus-trace-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[], input?: string | Buffer) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", ...(input === undefined ? {} : { input }) });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const file = (name: string, content: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const realLines = (): string[] => readFileSync(REAL, "utf8").split("\n").filter((l) => l !== "");

describe("vmbus-spec trace (QEMU)", () => {
  it("the --help example (docs/examples/trace: the real log) is accepted (exit 0)", () => {
    const r = run(["trace", "docs/examples/trace/qemu-7.2-linux-6.1-boot.log"]);
    expect(r).toMatchObject({ code: 0, out: "accepted: 38 events, 8 guest messages reconstructed\n" });
  });

  it("reads stdin, prints JSON, and reports a rejection with its line, the expectation and the rules (exit 1)", () => {
    const lines = realLines();
    lines[3] = lines[3]!.replace("type 15", "type 16");
    const r = run(["trace", "--json", "-"], lines.join("\n") + "\n");
    expect(r.code).toBe(1);
    const v = JSON.parse(r.out);
    expect(v).toMatchObject({ verdict: "rejected", lineNo: 4, line: lines[3] });
    expect(v.rules).toContain("HOST-CONNECT-2");
    const text = run(["trace", "-"], lines.join("\n") + "\n");
    expect(text.out).toContain(`rejected at line 4: ${lines[3]}`);
    expect(text.out).toContain("vmbus_post_msg type 15 size 12");
  });

  it("--script writes a host script that replays to the log's lines; an existing file needs --force (exit 3)", () => {
    const script = join(dir, "session.jsonl");
    expect(run(["trace", "--script", script, REAL]).code).toBe(0);
    const replay = spawnSync(process.execPath, [MAIN, "host", "--profile", "qemu", "--devices", "none", "--vcpus", "1", "--trace", "qemu"], { input: readFileSync(script), encoding: "utf8" });
    expect(replay.stdout.trimEnd().split("\n").map((l) => l.trimEnd())).toEqual(realLines().map((l) => l.replace(/^\d+@\d+\.\d+:/, "").trimEnd()));
    const again = run(["trace", "--script", script, REAL]);
    expect(again.code).toBe(3);
    expect(again.err).toMatch(/^vmbus-spec trace: .*session\.jsonl: exists: not overwritten \(use --force/);
    expect(run(["trace", "--script", script, "--force", REAL]).code).toBe(0);
  });

  it("--script of a log with offers writes the devices too, and the pair replays to the log", () => {
    const lines = qemuLogOf(walkSystem(systemConfig({ channels: 1, buffers: 0 }), 4, 200));
    expect(lines.some((l) => l.startsWith("vmbus_send_offer"))).toBe(true);
    const script = join(dir, "offers.jsonl");
    expect(run(["trace", "--script", script, file("offers.log", lines.join("\n") + "\n")]).code).toBe(0);
    const replay = spawnSync(process.execPath, [MAIN, "host", "--profile", "qemu", "--devices", `${script}.devices.json`, "--vcpus", "1", "--trace", "qemu"], { input: readFileSync(script), encoding: "utf8" });
    expect(replay.stdout.trimEnd().split("\n").map((l) => l.trimEnd())).toEqual(lines.map((l) => l.trimEnd()));
  });

  it("--mermaid prints the reconstructed session", () => {
    const r = run(["trace", "--mermaid", REAL]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("sequenceDiagram");
    expect(r.out).toContain("G->>H: InitiateContact (14) v4.0");
    expect(r.out).toContain("H-->>G: UnloadResponse");
  });

  it("bad input gets one clear line and exit 2; a missing file exit 3; bad options exit 2", () => {
    const bin = file("garbage.bin", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 0xff, 0xfe, 10, 0, 0]));
    expect(run(["trace", bin])).toMatchObject({ code: 2, err: expect.stringMatching(/line 1: binary data/) });
    const trunc = file("trunc.log", realLines().slice(0, 3).join("\n") + "\n114@1795845745.186467:vmbus_recv_message type 14 si");
    expect(run(["trace", trunc])).toMatchObject({ code: 2, err: expect.stringMatching(/line 4: vmbus_recv_message: expected 'type %s size %s'.*truncated line/) });
    const absurd = file("absurd.log", "vmbus_recv_message type 99999999999999999999 size 40\n");
    expect(run(["trace", absurd])).toMatchObject({ code: 2, err: expect.stringMatching(/line 1: vmbus_recv_message: argument 1: .* 32-bit/) });
    const long = file("long.log", "vmbus_recv_message type 14 size 40" + " x".repeat(5000) + "\n");
    expect(run(["trace", long])).toMatchObject({ code: 2, err: expect.stringMatching(/line 1: a vmbus trace line longer than 4096 bytes/) });
    expect(run(["trace", join(dir, "missing.log")])).toMatchObject({ code: 3, err: expect.stringMatching(/^vmbus-spec trace: .*missing\.log: no such file/) });
    expect(run(["trace", "--profile", "strict", REAL]).code).toBe(2);
    expect(run(["trace"]).code).toBe(2);
  });

  it("a log from a pipe (not a regular file) is spooled and checked like a file; --devices FILE errors are exit 3 / 2", () => {
    const r = spawnSync("bash", ["-c", `"${process.execPath}" "${MAIN}" trace <(cat "${REAL}")`], { encoding: "utf8" });
    expect({ code: r.status, out: r.stdout }).toEqual({ code: 0, out: "accepted: 38 events, 8 guest messages reconstructed\n" });
    expect(run(["trace", "--devices", join(dir, "no-devices.json"), REAL])).toMatchObject({ code: 3, err: expect.stringMatching(/^vmbus-spec trace: .*no-devices\.json: no such file/) });
    expect(run(["trace", "--devices", file("bad-devices.json", '[{"name":"x","bogus":1}]'), REAL])).toMatchObject({ code: 2, err: expect.stringMatching(/^vmbus-spec trace: --devices .*bad-devices\.json: devices\[0\]/) });
  });

  it("extra fields of a newer QEMU and unknown vmbus events are reported once and skipped", () => {
    const lines = realLines().flatMap((l) => [l.replace("vmbus_msg_cb message status 0", "vmbus_msg_cb message status 0 flags 0x1"), "9@1.0:vmbus_future_event foo 1"]);
    const r = run(["trace", file("newer.log", lines.join("\n") + "\n")]);
    expect(r.code).toBe(0);
    expect(r.err.match(/unknown event vmbus_future_event/g)).toHaveLength(1);
    expect(r.err.match(/extra text 'flags 0x1'/g)).toHaveLength(1);
  });
});

describe("vmbus-spec trace: Ctrl-C", () => {
  it("SIGINT stops a long check with exit 130 and says how far it got", async () => {
    const log = file("long-session.log", qemuBenchLog(100_000).join("\n") + "\n");
    const r = await interruptAfter([MAIN, "trace", log]);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/^vmbus-spec trace: interrupted at line \d+: \d+ events checked, no rejection so far\n$/);
  }, 60_000);
});

describe("vmbus-spec trace --role guest (Linux tracefs)", () => {
  it("a spec guest session's tracefs file is accepted; a wrong open id is rejected at its line", () => {
    const lines = linuxTraceFileOf(walkSystem(systemConfig({ channels: 1, buffers: 0 }), 5, 300));
    const log = file("linux.trace", lines.join("\n") + "\n");
    const ok = run(["trace", "--role", "guest", log]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^accepted: \d+ events, \d+ host messages received\n$/);
    const i = lines.findIndex((l) => l.includes("vmbus_open: "));
    expect(i).toBeGreaterThan(0);
    const bad = [...lines];
    bad[i] = bad[i]!.replace(/openid (\d+)/, (_, n) => `openid ${Number(n) + 7}`);
    const r = run(["trace", "--role", "guest", "--json", file("linux-bad.trace", bad.join("\n") + "\n")]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ verdict: "rejected", lineNo: i + 1 });
    expect(run(["trace", "--role", "guest", "--script", join(dir, "x"), log]).code).toBe(2);
  });
});
