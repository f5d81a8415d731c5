/**
 * `npm run bench -- check [--json] [--configs i,j,…] [--designs baseline,exact,fingerprint,reduced,symmetric,live-queue,bitstate,workers-1,workers-2] [--max-states N]`
 *
 * The model checker's speed and memory on a fixed set of configurations: the default checks
 * of src/explore/default.ts, `--profile qemu --channels 3 --gpadls 2` (bounded by
 * --max-states, default 100000) and `--profile qemu --channels 3` (exhaustive). Each configuration runs under each design in its own child
 * process (so peak memory is that run's alone):
 * - baseline: the checker before the scale work (src/bench/check-baseline.ts: canonical JSON
 *   keys, SHA-1 in a Set of strings), the ratio's denominator, in the same run;
 * - exact: the current explorer deduplicating full canonical states;
 * - fingerprint: the current explorer with binary encodings and 64-bit fingerprints, every guest
 *   signal interleaving explored (the baseline's state space: states/s compare like for like);
 * - reduced: fingerprint with the guest-signal reduction (the default of `check`): fewer states,
 *   so the figure that compares is the time to the same verdict ("time ×", exhaustive runs);
 *   its breadth-first queue holds encoded states (queue.ts, the default);
 * - symmetric: reduced, with channel symmetry (`check --symmetry`, src/explore/symmetry.ts),
 *   on the configurations it applies to (2+ channels, all opened, no hostile guest, rescind or
 *   crash): one state per permutation of the channels; compare "time ×";
 * - live-queue: reduced, with the queue holding live state objects (what the compact queue saves
 *   in peak RSS and costs in time: decoding every state it expands);
 * - bitstate: reduced, with a 2^27-bit supertrace table instead of stored fingerprints (no
 *   liveness graph): the bytes per state of a search that stores almost nothing;
 * - workers-1, workers-2: reduced, as `check --workers N` runs it (src/explore/parallel.ts:
 *   worker threads on one shared fingerprint table and one shared interner, levels of compact
 *   encodings in shared memory),
 *   with 1 and 2 worker threads: what a worker costs against one thread (workers-1 / reduced,
 *   per CPU second) and what a second one gains (states per wall second).
 * Reported per run: states, transitions, states and transitions per CPU second (user + system
 * time of the run: other engineers' processes share these cores), wall seconds, bytes per stored state
 * (visited set + trace bookkeeping; the liveness graph apart), peak RSS, and whether the
 * findings equal the baseline's. Not a test: figures depend on the machine and its load.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { getString, parseArgs, UsageError } from "../cli/args.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { explore, type ExploreResult } from "../explore/bfs.js";
import { exploreParallel } from "../explore/parallel.js";
import { checkConfig, type CheckOptions } from "../explore/check.js";
import { DEFAULT_CHECKS } from "../explore/default.js";
import { SPEC_SYSTEM_STATE } from "../explore/state-shape.js";
import { exploreBaseline } from "./check-baseline.js";
import { symmetricSystem, symmetryRefusal } from "../explore/symmetry.js";

const DESIGNS = ["baseline", "exact", "fingerprint", "reduced", "symmetric", "live-queue", "bitstate", "workers-1", "workers-2"] as const;
type Design = (typeof DESIGNS)[number];

export interface BenchConfig {
  readonly name: string;
  readonly options: CheckOptions;
}

export const benchConfigs = (maxStates: number): readonly BenchConfig[] => [
  ...DEFAULT_CHECKS.map((c) => ({ name: c.name, options: c.options })),
  { name: `qemu: Linux-like guest, 3 channels × 2 buffer GPADLs (bounded at ${maxStates} states)`, options: { profile: "qemu", channels: 3, gpadls: 2, depth: 400, maxStates, hostile: false } },
  { name: "qemu: Linux-like guest, 3 channels (exhaustive: the gain of channel symmetry)", options: { profile: "qemu", channels: 3, gpadls: 0, depth: 400, maxStates: 2_000_000, hostile: false } },
];

interface Measurement {
  readonly states: number;
  readonly transitions: number;
  /** CPU seconds of the run (user + system): the rates use these, robust to other processes sharing the cores. */
  readonly seconds: number;
  readonly wallSeconds: number;
  readonly complete: boolean;
  readonly findings: readonly string[];
  readonly visitedBytes: number;
  readonly graphBytes: number;
  readonly peakRssBytes: number;
  readonly collisionProbability: number;
  /** Most bytes the compact queue held in memory (0 for live objects: not measured). */
  readonly queuePeakBytes: number;
  readonly queuePeakStates: number;
}

/** One run in this process (the child side). */
const measure = async (c: BenchConfig, design: Design): Promise<Measurement> => {
  const config = checkConfig(c.options);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const cpu = (): number => {
    const u = process.cpuUsage(c0);
    return (u.user + u.system) / 1e6;
  };
  if (design === "baseline") {
    const r = exploreBaseline(specSystem, config, { maxDepth: c.options.depth, maxStates: c.options.maxStates });
    const seconds = cpu();
    const wallSeconds = (performance.now() - t0) / 1000;
    // Its visited set: a Set of base64 SHA-1 strings, measured by building one of the same size.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const h0 = process.memoryUsage().heapUsed;
    const probe = 200_000;
    const set = new Set<string>();
    for (let i = 0; i < probe; i++) set.add(createHash("sha1").update(String(i)).digest("base64"));
    gc?.();
    // Per entry of the Set, plus the parent number[] and the via pointer per node.
    const visitedBytes = Math.max(0, ((process.memoryUsage().heapUsed - h0) / probe + 12) * r.states);
    return { states: r.states, transitions: r.transitions, seconds, wallSeconds, complete: r.complete, findings: r.findings.map((f) => `${f.violation.rule}:${f.trace.length}`).sort(), visitedBytes: set.size ? visitedBytes : 0, graphBytes: 0, peakRssBytes: process.resourceUsage().maxRSS * 1024, collisionProbability: 0, queuePeakBytes: 0, queuePeakStates: 0 };
  }
  if (design === "workers-1" || design === "workers-2") {
    const { depth, maxStates, ...check } = c.options;
    const r = await exploreParallel(check, { maxDepth: depth, maxStates, workers: design === "workers-1" ? 1 : 2 });
    const seconds = cpu();
    return measurement(r, seconds, (performance.now() - t0) / 1000);
  }
  // symmetric: the reduced design with channel symmetry (symmetry.ts), where it applies.
  const r = explore(design === "symmetric" ? symmetricSystem(specSystem, c.options.channels) : specSystem, config, {
    maxDepth: c.options.depth,
    maxStates: c.options.maxStates,
    mode: design === "exact" ? "exact" : design === "bitstate" ? "bitstate" : "fingerprint",
    shape: SPEC_SYSTEM_STATE,
    reduceSignals: design === "reduced" || design === "symmetric" || design === "live-queue" || design === "bitstate",
    queue: design === "live-queue" ? "live" : "compact",
  });
  return measurement(r, cpu(), (performance.now() - t0) / 1000);
};

/** What a run of the current explorer (one thread or workers) measured. */
const measurement = (r: ExploreResult, seconds: number, wallSeconds: number): Measurement => ({
  states: r.states,
  transitions: r.transitions,
  seconds,
  wallSeconds,
  complete: r.complete,
  findings: r.findings.filter((f) => f.violation.kind !== "liveness").map((f) => `${f.violation.rule}:${f.trace.length}`).sort(),
  visitedBytes: r.visitedBytes,
  graphBytes: r.graphBytes,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  collisionProbability: r.collisionProbability,
  queuePeakBytes: r.queue.peakBytes,
  queuePeakStates: r.queue.peakStates,
});

const USAGE = "usage: npm run bench -- check [--json] [--configs i,j,…] [--designs baseline,exact,fingerprint,reduced,symmetric,live-queue,bitstate,workers-1,workers-2] [--max-states N]";

export const main = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "json", kind: "boolean" },
    { name: "configs", kind: "string" },
    { name: "designs", kind: "string" },
    { name: "max-states", kind: "string" },
  ]);
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'\n${USAGE}`);
  const ms = getString(a, "max-states") ?? "100000";
  if (!/^\d+$/.test(ms) || Number(ms) < 1 || Number(ms) > 500_000_000) throw new UsageError(`--max-states must be a whole number from 1 to 500000000, got '${ms}'`);
  const configs = benchConfigs(Number(ms));
  const ci = getString(a, "configs");
  const chosen = ci === undefined ? configs.map((_, i) => i) : ci.split(",").map((s) => {
    if (!/^\d+$/.test(s) || Number(s) >= configs.length) throw new UsageError(`--configs takes indices 0..${configs.length - 1} separated by commas, got '${s}'`);
    return Number(s);
  });
  const designs = (getString(a, "designs") ?? DESIGNS.join(",")).split(",").map((d) => {
    if (!(DESIGNS as readonly string[]).includes(d)) throw new UsageError(`--designs takes ${DESIGNS.join(", ")} separated by commas, got '${d}'`);
    return d as Design;
  });
  const json = a.booleans.has("json");
  const self = fileURLToPath(import.meta.url);
  const rows: Record<string, unknown>[] = [];
  for (const i of chosen) {
    const c = configs[i]!;
    const runs: Partial<Record<Design, Measurement>> = {};
    for (const d of designs) {
      if (d === "symmetric" && symmetryRefusal(c.options) !== undefined) continue;
      if (!json && process.stderr.isTTY) process.stderr.write(`\r\x1b[K[${i}] ${c.name.slice(0, 60)}: ${d}…`);
      const p = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=4096", self, "--child", String(i), d, ms], { encoding: "utf8", maxBuffer: 1 << 24 });
      if (p.status !== 0) throw new Error(`bench child [${i}] ${d} failed: ${p.stderr}`);
      runs[d] = JSON.parse(p.stdout) as Measurement;
    }
    const base = runs.baseline;
    const row = {
      index: i,
      name: c.name,
      loadAverage: loadavg()[0]!,
      designs: Object.fromEntries(
        Object.entries(runs).map(([d, m]) => [
          d,
          {
            ...m,
            statesPerSecond: Math.round(m.states / m.seconds),
            statesPerWallSecond: Math.round(m.states / m.wallSeconds),
            transitionsPerSecond: Math.round(m.transitions / m.seconds),
            bytesPerState: Math.round((m.visitedBytes / Math.max(1, m.states)) * 10) / 10,
            graphBytesPerState: Math.round((m.graphBytes / Math.max(1, m.states)) * 10) / 10,
            speedup: base ? Math.round((m.states / m.seconds / (base.states / base.seconds)) * 100) / 100 : null,
            timeSpeedup: base && base.complete && m.complete ? Math.round((base.seconds / m.seconds) * 100) / 100 : null,
            // Bounded runs stop at a slightly different transition (the baseline stops as soon as it holds the budget).
            sameAsBaseline: base ? (d === "reduced" || d === "symmetric" || d === "live-queue" || d === "bitstate" || d.startsWith("workers") || (m.states === base.states && (m.transitions === base.transitions || !m.complete))) && JSON.stringify(m.findings) === JSON.stringify(base.findings) : null,
          },
        ]),
      ),
    };
    rows.push(row);
    if (json) process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  if (!json) {
    if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    const head = ["#", "design", "states", "complete", "states/CPU-s", "states/wall-s", "trans/CPU-s", "×baseline", "time ×", "B/state", "graph B/state", "peak RSS MB", "queue B/state", "P(miss)", "same"];
    const body: string[][] = [];
    for (const r of rows) {
      for (const [d, m] of Object.entries(r.designs as Record<string, Record<string, number | boolean | null>>)) {
        body.push([String(r.index), d, String(m.states), m.complete ? "yes" : "no", String(m.statesPerSecond), String(m.statesPerWallSecond), String(m.transitionsPerSecond), m.speedup === null ? "–" : `${m.speedup}×`, m.timeSpeedup === null ? "–" : `${m.timeSpeedup}×`, String(m.bytesPerState), String(m.graphBytesPerState), ((m.peakRssBytes as number) / 2 ** 20).toFixed(0), d === "live-queue" || d === "baseline" || !m.queuePeakStates ? "–" : ((m.queuePeakBytes as number) / (m.queuePeakStates as number)).toFixed(0), (m.collisionProbability as number).toExponential(1), m.sameAsBaseline === null ? "–" : m.sameAsBaseline ? "yes" : "NO"]);
      }
    }
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]): string => "| " + cells.map((x, i) => x.padStart(widths[i]!)).join(" | ") + " |";
    process.stdout.write(rows.map((r) => `[${String(r.index)}] ${String(r.name)}`).join("\n") + "\n\n");
    process.stdout.write([line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...body.map(line)].join("\n") + "\n");
    process.stdout.write(`load average ${loadavg()[0]!.toFixed(2)}; "same": states, transitions and findings (rule:trace length) equal the baseline's (reduced, bitstate, workers: findings only); "time ×": baseline CPU time / this design's, both exhaustive\n`);
  }
  return 0;
};

// Child side: `node check.js --child <config index> <design> <max states>` prints one Measurement.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "--child") {
  const [i, d, ms] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(await measure(benchConfigs(Number(ms))[Number(i)]!, d as Design)));
}
