#!/usr/bin/env node
/**
 * `npm run bench -- verify [--sessions N] [--json] [--update-docs]` (or node dist/src/bench/verify.js):
 * implementation steps per second that `verify host` drives over stdio (the Python example host
 * and the spec's own `host --serve`) and in process (the spec's line server, no pipe), same
 * sessions, same run; then the time to first detection and the minimal-session size of every
 * gallery bug with the command's defaults. --update-docs writes the gallery table into
 * docs/verify.md. Not a test: numbers depend on the machine and its load (reported).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { getInt, parseArgs, UsageError } from "../cli/args.js";
import { GALLERY, PYTHON_HOST, type GalleryBug } from "../verify/gallery.js";
import { verifyGuest } from "../verify/guest-verify.js";
import { createHostServer } from "../verify/host-server.js";
import { verifyHost } from "../verify/host-verify.js";
import { inProcessChild } from "../verify/in-process.js";

interface Throughput {
  readonly target: string;
  readonly transport: "stdio" | "in-process";
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
}

interface Detection {
  readonly id: string;
  readonly role: string;
  readonly bug: string;
  readonly source: string;
  readonly detected: boolean;
  readonly verdict: string;
  readonly rules: readonly string[];
  readonly expectedRule: string;
  readonly minimalSteps: number | null;
  readonly secondsToDetection: number | null;
}

const throughput = async (sessions: number): Promise<Throughput[]> => {
  const base = { profile: "qemu" as const, seed: 1, sessions, depth: 24, timeoutMs: 10_000, explore: false };
  const rows: Throughput[] = [];
  const add = (target: string, transport: Throughput["transport"], r: { steps: number; seconds: number; stepsPerSecond: number; result: string }): void => {
    if (r.result !== "conforming") throw new Error(`bench verify: ${target} did not conform (${r.result})`);
    rows.push({ target, transport, steps: r.steps, seconds: r.seconds, stepsPerSecond: r.stepsPerSecond });
  };
  add("python-host (docs/examples/python-host)", "stdio", await verifyHost({ ...base, command: PYTHON_HOST }));
  add("spec (vmbus-spec host --serve)", "stdio", await verifyHost({ ...base, command: "node dist/src/cli/main.js host --serve" }));
  add("spec (line server)", "in-process", await verifyHost({ ...base, command: "(in process)", spawn: () => inProcessChild(createHostServer()) }));
  return rows;
};

const detect = async (b: GalleryBug): Promise<Detection> => {
  let at: number | null = null;
  const onFirstVerdict = (s: number): void => void (at ??= s);
  const r =
    b.role === "host"
      ? await verifyHost({ command: b.command, profile: b.profile, seed: 1, sessions: 100, depth: 24, timeoutMs: 5000, onFirstVerdict })
      : await verifyGuest({ command: b.command, profile: b.profile, seed: 1, sessions: 100, depth: 24, timeoutMs: 5000, anyGuest: b.anyGuest ?? false, onFirstVerdict });
  const v = r.verdict;
  const minimal = v === null ? null : "inputs" in v.minimal ? (v.minimal as { readonly inputs: readonly unknown[] }).inputs.length : (v.minimal as { readonly actions: readonly unknown[] }).actions.length;
  return {
    id: b.id,
    role: b.role,
    bug: b.bug,
    source: b.source,
    detected: v !== null && v.kind === b.kind && v.rules.includes(b.rule),
    verdict: r.result,
    rules: v?.rules ?? [],
    expectedRule: b.rule,
    minimalSteps: minimal,
    secondsToDetection: at === null ? null : Math.round(at * 1000) / 1000,
  };
};

export const galleryTable = (rows: readonly Detection[], load: string): string =>
  [
    `Measured by \`npm run bench -- verify\` (load average ${load}; defaults: seed 1, 100 random sessions; steps = inputs of the minimal session, driver actions in the guest role).`,
    "",
    "| bug | role | upstream source | detected | verdict (rule) | steps in minimal session | time to detection |",
    "|-----|------|-----------------|----------|----------------|--------------------------|-------------------|",
    ...rows.map((r) => `| ${r.bug} (\`${r.id}\`) | ${r.role} | ${r.source} | ${r.detected ? "yes" : "**no**"} | ${r.verdict} (${r.expectedRule}) | ${r.minimalSteps ?? "–"} | ${r.secondsToDetection === null ? "–" : `${r.secondsToDetection.toFixed(2)} s`} |`),
  ].join("\n");

/** The benchmark; resolves to its exit code (a dispatcher `npm run bench -- verify` calls this). */
export const runVerifyBench = async (argv: readonly string[]): Promise<number> => {
  let sessions: number;
  let json: boolean;
  let updateDocs: boolean;
  try {
    const a = parseArgs(argv, [
      { name: "sessions", kind: "string" },
      { name: "json", kind: "boolean" },
      { name: "update-docs", kind: "boolean" },
    ]);
    sessions = getInt(a, "sessions", 1, 1_000_000) ?? 1000;
    json = a.booleans.has("json");
    updateDocs = a.booleans.has("update-docs");
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`vmbus-spec bench verify: ${e.message}\nusage: npm run bench -- verify [--sessions N] [--json] [--update-docs]\n`);
      return 2;
    }
    throw e;
  }
  const load = loadavg().map((x) => x.toFixed(2)).join(" ");
  const progress = (m: string): void => void (!json && process.stderr.isTTY && process.stderr.write(`\r\x1b[K${m}`));
  progress("throughput …");
  const rows = await throughput(sessions);
  const detections: Detection[] = [];
  for (const b of GALLERY) {
    progress(`detection: ${b.id} …`);
    detections.push(await detect(b));
  }
  progress("");
  const python = rows[0]!.stepsPerSecond;
  const inProc = rows[2]!.stepsPerSecond;
  if (json) process.stdout.write(JSON.stringify({ bench: "verify", loadavg: load, throughput: rows, stdioOverInProcess: Math.round((python / inProc) * 1000) / 1000, gallery: detections }, null, 1) + "\n");
  else {
    process.stdout.write(`verify throughput (profile qemu, ${sessions} random sessions + vectors; load average ${load}):\n`);
    for (const r of rows) process.stdout.write(`  ${r.target.padEnd(42)} ${r.transport.padEnd(10)} ${String(r.steps).padStart(7)} steps ${r.seconds.toFixed(2).padStart(7)} s ${String(r.stepsPerSecond).padStart(8)} steps/s\n`);
    process.stdout.write(`  python over stdio / spec in process: ${(python / inProc).toFixed(3)}\n\n${galleryTable(detections, load)}\n`);
  }
  if (updateDocs) {
    const file = "docs/verify.md";
    const text = readFileSync(file, "utf8");
    const begin = "<!-- gallery:begin -->";
    const end = "<!-- gallery:end -->";
    const i = text.indexOf(begin);
    const j = text.indexOf(end);
    if (i < 0 || j < i) {
      process.stderr.write(`vmbus-spec bench verify: ${file}: gallery markers missing\n`);
      return 3;
    }
    writeFileSync(file, `${text.slice(0, i + begin.length)}\n${galleryTable(detections, load)}\n${text.slice(j)}`);
  }
  return detections.every((d) => d.detected) ? 0 : 1;
};

// Run when executed directly (node dist/src/bench/verify.js), not when imported by a dispatcher.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  runVerifyBench(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`vmbus-spec bench verify: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);
