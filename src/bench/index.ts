/**
 * The benchmarks `npm run bench -- <name>` runs (src/bench/main.ts): name -> loader, each in
 * its own file. Add one line per benchmark; the first is the default.
 */
export interface Benchmark {
  /** One line for `npm run bench -- --help`. */
  readonly summary: string;
  /** Full usage, printed by `npm run bench -- <name> --help`. */
  readonly usage: string;
  readonly run: (argv: readonly string[]) => Promise<number>;
}

export const BENCHMARKS: Readonly<Record<string, () => Promise<Benchmark>>> = {
  ring: async () => {
    const m = await import("./ring.js");
    return { summary: "shared-memory ring between two threads vs postMessage, ringbuf.js and the copy limit", usage: m.USAGE, run: m.run };
  },
  check: async () => ({
    summary: "the model checker: states/s, transitions/s, bytes per state and peak memory per configuration, today's designs against the baseline explorer",
    usage: "usage: npm run bench -- check [--json] [--configs i,j,…] [--designs baseline,exact,fingerprint,reduced,symmetric,live-queue,bitstate,workers-1,workers-2] [--max-states N]",
    run: (await import("./check.js")).main,
  }),
  verify: async () => ({
    summary: "verify host over stdio: steps/s against the Python host, the spec's host --serve and in process; time to detect each gallery bug",
    usage: "usage: npm run bench -- verify [--sessions N] [--json] [--update-docs]",
    run: (await import("./verify.js")).runVerifyBench,
  }),
  trace: async () => ({
    summary: "trace: lines/s checking generated 100,000-line QEMU and Linux logs, against parsing alone; live heap",
    usage: "usage: npm run bench -- trace [--lines N] [--repeat N] [--json]   (node --expose-gc for heap figures)",
    run: (await import("./trace.js")).main,
  }),
  structure: async () => {
    const m = await import("./structure.js");
    return { summary: "room for a reduction or a cache before building it: distinct host/guest states, repeated component steps, commuting step pairs", usage: m.USAGE, run: m.main };
  },
  reductions: async () => {
    const m = await import("./reductions.js");
    return { summary: "what each candidate state-space reduction would buy: GPADL-handle and channel symmetry (checked to be automorphisms), host-run-first partial order", usage: m.USAGE, run: m.main };
  },
  memory: async () => {
    const m = await import("./memory.js");
    return { summary: "bytes per stored state at scale: the visited set, node table and liveness graph filled with N states (100 M fit 16 GB)", usage: m.USAGE, run: m.main };
  },
  "verify-ring": async () => ({
    summary: "verify ring: steps/s against the C ring and the spec's ring CLI; time to detect each ring gallery bug",
    usage: "usage: npm run bench -- verify-ring [--sessions N] [--repeat N] [--json]",
    run: (await import("./verify-ring.js")).benchVerifyRing,
  }),
};
