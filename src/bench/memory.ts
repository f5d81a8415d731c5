/**
 * `npm run bench -- memory [--states N] [--json]`: what the one-thread search holds per stored
 * state at scale, without the hours a real search of that size takes. It fills the structures a
 * `check` keeps for every state it stores — the visited set and node table (visited.ts:
 * fingerprint, parent, input) and the liveness graph (liveness.ts: 3 transitions per state, the
 * ratio of qemu with 3 channels × 2 GPADLs) — with N synthetic states, runs the liveness pass
 * over the graph, and reports the bytes of each, the peak RSS and the seconds. The queue is not
 * in it (compact and spilled past `--queue-budget`), nor the interned parts (they grow with the
 * distinct parts, not with the states).
 *
 * The figure it answers: 100 M states (`--states 100000000`, about 6 GB and two minutes) fit a
 * 16 GB machine (docs/scale.md).
 */
import { getInt, parseArgs, UsageError } from "../cli/args.js";
import { LiveGraph, livenessViolations } from "../explore/liveness.js";
import { FingerprintTable } from "../explore/visited.js";

export const USAGE = "usage: npm run bench -- memory [--states N] [--json]   (N from 1000 to 500000000, default 10000000)";

/** Transitions per stored state (qemu, 3 channels × 2 GPADLs: 60.7 M transitions for 20 M states). */
const TRANSITIONS_PER_STATE = 3;

export interface MemoryFigures {
  readonly states: number;
  readonly transitions: number;
  readonly tableBytes: number;
  readonly graphBytes: number;
  readonly bytesPerState: number;
  readonly peakRssBytes: number;
  readonly fillSeconds: number;
  readonly livenessSeconds: number;
}

export const measureMemory = (states: number): MemoryFigures => {
  const table = new FingerprintTable();
  const graph = new LiveGraph();
  let peak = 0;
  const note = (): void => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  // xorshift32: distinct-looking fingerprints, the same every run.
  let x = 0x2545f491;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 0;
  };
  const t0 = performance.now();
  for (let i = 0; i < states; i++) {
    const hi = next();
    const lo = next();
    if (table.find(hi, lo) === -1) table.add(hi, lo, i === 0 ? -1 : i >> 2, i & 7);
    graph.addNode(i & 3, (i & 1) === 0);
    if ((i & 0xfffff) === 0) note();
  }
  // Each state's transitions go to the next level (3u + k) or, past the last state, back to an earlier one.
  let transitions = 0;
  for (let u = 0; u < states; u++) {
    graph.expand(u);
    for (let k = 1; k <= TRANSITIONS_PER_STATE; k++) {
      const v = TRANSITIONS_PER_STATE * u + k;
      graph.edge(u, v < states ? v : (u * 7 + k) % states, k === 2);
      transitions++;
    }
    if ((u & 0xfffff) === 0) note();
  }
  note();
  const t1 = performance.now();
  livenessViolations(graph, states);
  note();
  const t2 = performance.now();
  return {
    states: table.size,
    transitions,
    tableBytes: table.bytes,
    graphBytes: graph.bytes,
    bytesPerState: (table.bytes + graph.bytes) / table.size,
    peakRssBytes: peak,
    fillSeconds: (t1 - t0) / 1000,
    livenessSeconds: (t2 - t1) / 1000,
  };
};

export const main = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "json", kind: "boolean" },
    { name: "states", kind: "string" },
  ]);
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  const states = getInt(a, "states", 1000, 500_000_000) ?? 10_000_000;
  const r = measureMemory(states);
  if (a.booleans.has("json")) {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    return 0;
  }
  const mb = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MB`;
  process.stdout.write(
    [
      `${r.states} stored states, ${r.transitions} transitions (${TRANSITIONS_PER_STATE} per state):`,
      `  visited set and node table ${mb(r.tableBytes)}, liveness graph ${mb(r.graphBytes)}: ${r.bytesPerState.toFixed(1)} bytes per state (arrays grow by doubling)`,
      `  peak RSS ${mb(r.peakRssBytes)}; filled in ${r.fillSeconds.toFixed(1)} s, liveness pass ${r.livenessSeconds.toFixed(1)} s`,
    ].join("\n") + "\n",
  );
  return 0;
};
