#!/usr/bin/env node
/**
 * `node dist/src/bench/trace.js [--lines N] [--repeat N] [--json]` — how fast `vmbus-spec trace`
 * checks a long log, against a baseline in the same run: reading and parsing the same file
 * without checking (the I/O + parse floor). Logs are spec sessions (src/trace/generate.ts)
 * printed as QEMU's log (sessions repeated back to back: each ends with UNLOAD, after which
 * QEMU's bus is reset) and as Linux's tracefs file (one long session of open/close cycles).
 * Reports lines/s, the ratio to the baseline and the live heap along the run (bounded memory:
 * it stays flat). Not a test.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getInt, parseArgs, UsageError } from "../cli/args.js";
import { DEFAULT_GUEST_CONFIG } from "../../spec/guest/config.js";
import { DEFAULT_DEVICES } from "../../spec/host/devices.js";
import { DEFAULT_DRIVER } from "../../spec/system/config.js";
import { qemuLogOf, walkSystem } from "../trace/generate.js";
import { readLines } from "../trace/lines.js";
import { checkLinuxLog } from "../trace/linux/check.js";
import { parseLinuxLine } from "../trace/linux/events.js";
import { linuxTraceFileOf } from "../trace/linux/format.js";
import { checkQemuLog } from "../trace/qemu/check.js";
import { parseQemuLine } from "../trace/qemu/line.js";
import { prescanQemu } from "../trace/qemu/prescan.js";

const USAGE = "usage: node dist/src/bench/trace.js [--lines N] [--repeat N] [--json]";

const config = (cycles: number) => ({
  host: { profile: "qemu" as const, devices: DEFAULT_DEVICES, vcpuCount: 2 },
  guest: DEFAULT_GUEST_CONFIG,
  driver: { ...DEFAULT_DRIVER, channels: 3, buffers: 1, cycles },
  rescinds: 0,
});

/** QEMU: one complete session (ends with UNLOAD) repeated to `lines` lines, with QEMU's PID@time prefix. */
export const qemuBenchLog = (lines: number): string[] => {
  const one = qemuLogOf(walkSystem(config(2), 7, 100_000));
  const out: string[] = [];
  // Whole sessions only: a log cut in the middle of a step is (rightly) rejected at its end.
  for (let i = 0; out.length < lines || i % one.length !== 0; i++)
    out.push(`${i % 2 ? 109 : 114}@${1795845745 + Math.floor(i / 1000)}.${String(i % 1000000).padStart(6, "0")}:${one[i % one.length]}`);
  return out;
};

/** Linux: one long session of open/close cycles on three channels. */
export const linuxBenchLog = (lines: number): string[] => {
  const cycles = Math.max(1, Math.ceil(lines / 40));
  return linuxTraceFileOf(walkSystem(config(cycles), 7, lines * 4)).slice(0, lines);
};

const time = async (f: () => Promise<unknown>, repeat: number): Promise<{ seconds: number }> => {
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const t0 = process.hrtime.bigint();
    await f();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { seconds: best };
};

/**
 * Live heap (after a full GC) at every progress checkpoint of one extra run: flat when memory
 * is bounded. Needs node --expose-gc; null without it.
 */
const liveHeap = async (f: (progress: () => void) => Promise<unknown>): Promise<{ firstMB: number; maxMB: number } | null> => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  const samples: number[] = [];
  await f(() => {
    gc();
    samples.push(process.memoryUsage().heapUsed / 1048576);
  });
  if (samples.length === 0) return null;
  return { firstMB: Number(samples[0]!.toFixed(1)), maxMB: Number(Math.max(...samples).toFixed(1)) };
};

const parseOnly = async (path: string, parse: (t: string) => unknown): Promise<number> => {
  let n = 0;
  for await (const l of readLines(path)) {
    parse(l.text);
    n++;
  }
  return n;
};

export const main = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "lines", kind: "string" },
    { name: "repeat", kind: "string" },
    { name: "json", kind: "boolean" },
  ]);
  const lines = getInt(a, "lines", 100, 10_000_000) ?? 100_000;
  const repeat = getInt(a, "repeat", 1, 20) ?? 3;
  const json = a.booleans.has("json");
  const dir = mkdtempSync(join(tmpdir(), "vmbus-spec-bench-trace-"));
  try {
    const rows: Record<string, unknown>[] = [];
    for (const role of ["qemu", "linux"] as const) {
      const log = role === "qemu" ? qemuBenchLog(lines) : linuxBenchLog(lines);
      const path = join(dir, `${role}.log`);
      writeFileSync(path, log.join("\n") + "\n");
      let verdict = "";
      const once = async (progress?: () => void): Promise<void> => {
        if (role === "qemu") {
          const implied = await prescanQemu(path);
          const config = { profile: "qemu" as const, devices: implied.devices, vcpuCount: implied.vcpus };
          verdict = (await checkQemuLog(path, { config, resets: true, compareDevices: true, keepHistory: false, ...(progress ? { progress } : {}) })).verdict;
        } else verdict = (await checkLinuxLog(path, progress ? { progress } : {})).verdict;
      };
      const check = await time(() => once(), repeat);
      const heap = await liveHeap((p) => once(p));
      const base = await time(() => parseOnly(path, role === "qemu" ? parseQemuLine : parseLinuxLine), repeat);
      const row = {
        bench: "trace",
        role,
        lines: log.length,
        verdict,
        seconds: Number(check.seconds.toFixed(3)),
        linesPerSecond: Math.round(log.length / check.seconds),
        baselineParseOnlyLinesPerSecond: Math.round(log.length / base.seconds),
        ratioToParseOnly: Number((base.seconds / check.seconds).toFixed(3)),
        liveHeapFirstCheckpointMB: heap?.firstMB ?? null,
        liveHeapMaxMB: heap?.maxMB ?? null,
      };
      rows.push(row);
      if (json) process.stdout.write(JSON.stringify(row) + "\n");
    }
    if (!json)
      for (const r of rows)
        process.stdout.write(
          `trace ${String(r.role).padEnd(5)} ${r.lines} lines: ${r.verdict} in ${r.seconds} s (${r.linesPerSecond} lines/s; parse-only baseline ${r.baselineParseOnlyLinesPerSecond} lines/s, ratio ${r.ratioToParseOnly}; live heap ${r.liveHeapFirstCheckpointMB ?? "?"} MB at 4096 lines, max ${r.liveHeapMaxMB ?? "?"} MB; run with node --expose-gc)\n`,
        );
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

if (process.argv[1]?.endsWith("bench/trace.js")) {
  main(process.argv.slice(2)).then(
    (c) => (process.exitCode = c),
    (e: unknown) => {
      process.stderr.write(e instanceof UsageError ? `${USAGE}\n${e.message}\n` : `bench trace: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 70;
    },
  );
}
