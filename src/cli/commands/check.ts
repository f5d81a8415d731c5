import { getInt, getString, parseArgs, UsageError } from "../args.js";
import type { Command } from "../command.js";
import { HOST_PROFILE_NAMES, type HostProfileName } from "../../../spec/host/profiles.js";
import { readFile } from "node:fs/promises";
import { checkConfig, formatReport, reportJson, runCheck, verdictOf, type CheckReport } from "../../explore/check.js";
import { candidateVersions, DEFAULT_GUEST_CONFIG } from "../../../spec/guest/config.js";
import { formatVersion } from "../../../spec/wire/versions.js";
import { FileError, prepareOutput, writeAtomically } from "../files.js";
import { mergeCommand, runShardCommand, runSwarmCommand } from "./check-campaign.js";
import { runCheckParallel } from "../../explore/parallel.js";
import { SharedMemoryError } from "../../explore/shared-table.js";
import { decodeRunFile, runFile } from "../../explore/run-file.js";
import { replayRun } from "../../../spec/system/run.js";
import { parseVersion } from "../../../spec/wire/versions.js";
import { specSystem } from "../../../spec/system/spec-host.js";
import type { HostileStart } from "../../../spec/system/config.js";
import { symmetryRefusal } from "../../explore/symmetry.js";

const replayFile = async (path: string): Promise<number> => {
  const fail = (code: number, line: string): number => {
    process.stderr.write(`vmbus-spec check: ${line}\n`);
    return code;
  };
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    return fail(3, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(2, `${path}: not JSON: ${(e as Error).message}`);
  }
  const f = decodeRunFile(json);
  if (!f.ok) return fail(2, `${path}: not a run file:\n${f.errors.map((e) => `  ${e}`).join("\n")}`);
  const r = replayRun(specSystem, checkConfig({ ...f.value.check, depth: 0, maxStates: 0 }), f.value.steps);
  if (r.ok) {
    process.stdout.write(`replayed ${r.steps} step${r.steps === 1 ? "" : "s"}: every message byte reproduced\n`);
    return 0;
  }
  process.stdout.write(`replay differs at step ${r.step}: ${r.reason}\n`);
  return 1;
};

/** Progress: a rewritten line on a terminal, a line every 5 s when stderr is a pipe or file; nothing with --json. */
export const progressReporter = (json: boolean, label = ""): ((p: { readonly states: number; readonly transitions: number; readonly depth: number; readonly seconds: number }) => void) | undefined => {
  if (json) return undefined;
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return (p) => {
    const line = `${label}${p.states} states, ${p.transitions} transitions, depth ${p.depth}, ${p.seconds.toFixed(1)} s`;
    if (tty) process.stderr.write(`\r${line} `);
    else if (p.seconds - last >= 5) {
      last = p.seconds;
      process.stderr.write(`${line}\n`);
    }
  };
};

/**
 * Run a check; Ctrl-C interrupts the exploration, which then reports what it found so far.
 * `run` starts the search and hands over what interrupts it (default: one thread).
 */
export const runInterruptible = async (
  o: Parameters<typeof runCheck>[0],
  run: (onStart: (search: { interrupt(): void }) => void) => Promise<CheckReport> = (onStart) => runCheck({ ...o, onStart }),
): Promise<{ readonly report: CheckReport; readonly interrupted: boolean }> => {
  let running: { interrupt(): void } | undefined;
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    running?.interrupt();
  };
  process.on("SIGINT", onSigint);
  try {
    const report = await run((e) => (running = e));
    return { report, interrupted };
  } finally {
    process.off("SIGINT", onSigint);
  }
};

export const command: Command = {
  name: "check",
  summary: "model-check guest + host + transport (breadth-first), report violations with shortest traces",
  help: `usage: vmbus-spec check [--profile P] [--channels N] [--offers N] [--gpadls N] [--depth D] [--max-states S]
                        [--rescinds R] [--modify] [--ring-pages K] [--cycles C] [--max-version M.m]
                        [--hostile] [--hostile-after connected|open|closed] [--hostile-posts N]
                        [--hostile-synic] [--crash] [--symmetry] [--outcomes] [--json] [--write-run FILE]
                        [--mode fingerprint|exact|bitstate] [--bitstate-bits B]
                        [--shard i/N --exchange DIR --out FILE [--round-timeout S]]
                        [--swarm --seed S --out FILE]
       vmbus-spec check --replay FILE
       vmbus-spec check merge [--json] [--fail-incomplete] FILE...

Explores every interleaving of the Linux-like guest, the host (profile P: strict (default),
qemu, openvmm) and the SynIC transport from boot, breadth-first, deduplicating equal states.
Every reachable state is checked against the host, guest and system invariants; a state where
the guest waits for a reply and nothing can happen is a deadlock (SYS-DEADLOCK-1).

  --channels N    devices the host offers (one channel each) that the guest opens (default 1)
  --offers N      devices the host offers (default: --channels); the guest opens the first
                  --channels of them, the others stay unopened (targets for hostile posts)
  --gpadls N      extra buffer GPADLs the guest creates on each opened channel (default 0)
  --depth D       maximum depth (default 400; 16 with --hostile from boot)
  --max-states S  state budget (default 200000, at most 500000000); a stored state costs about
                  40-60 bytes (fingerprint, trace bookkeeping, liveness graph); --workers reserves
                  its shared table for S states when it starts
  --rescinds R    RESCIND device events per run (default 0)
  --cycles C      open and close each channel C times (default 1)
  --max-version V the guest's max_version (e.g. 5.0): newer versions are not tried
  --modify        drivers also send MODIFYCHANNEL (≥ 4.1)
  --ring-pages K  pages per ring direction (default 2; 14+ makes the ring GPADL need a GPADL_BODY)
  --hostile       replace the guest by one posting any message type with boundary field values
                  and lengths, whenever the hypercall can be made (also while the host's queue is
                  non-empty or a reply is in flight; a full queue answers INSUFFICIENT_BUFFERS)
  --hostile-after P
                  mixed mode (implies --hostile): the Linux-like guest runs its driver script up
                  to point P, where the script stops (the guest still posts what it queued, reads
                  and signals); from every state from then on the hostile guest may inject posts,
                  including ones naming the live relids and GPADL ids of that state. P: connected
                  (the guest is connected), open (a channel is open with its ring GPADL), closed
                  (a channel was closed again). E.g. --channels 1 --offers 2 --hostile-after open
                  --hostile-posts 2 reaches QEMU quirk Q12. Once a hostile post is made, the guest-host
                  agreement invariants (SYS-OPEN-1, -GPADL-1, -VERSION-1, -UNLOAD-1, -HOSTMSG-1,
                  -SIGNAL-1, -DEADLOCK-1) no longer apply; host invariants and defects still do
  --hostile-posts N
                  budget of hostile posts per run (default from boot: 3 for qemu, which reaches
                  HOST-QEMU-DEFECT-1 (INITIATE_CONTACT, GPADL_HEADER, GPADL_BODY), 2 otherwise;
                  mixed: 1);
                  the state space grows about 50-fold per post (every post may land while
                  others are still queued)
  --hostile-synic the hostile guest may also disable/enable its SynIC message page and mask/unmask
                  the VMBus SINT (each counts as a hostile post): deliveries then fail (-ENXIO)
                  or are never read
  --crash         the Linux-like guest's kernel may crash once into kdump (UNLOAD posted, slot
                  drained, SynIC disabled; then a fresh kernel connects). E.g. --profile qemu
                  --crash finds QEMU's stall HOST-QEMU-DEFECT-9
  --mode M        fingerprint (default): 64-bit fingerprints of a compact state encoding, the
                  probability of a missed state printed with the result; exact: full canonical
                  states (slower, more memory, no chance of a miss); bitstate: SPIN's supertrace,
                  3 bits per state in a fixed table, for spaces too large to store (never
                  exhaustive: the verdict is at best "bounded: not exhaustive"; no liveness)
  --bitstate-bits B
                  bitstate table of 2^B bits (default 27: 16 MiB; 10..32), e.g.
                  $ vmbus-spec check --profile strict --mode bitstate --bitstate-bits 20
  --queue Q       how the states waiting to be expanded are held: compact (default): their binary
                  encoding, with the parts states share (messages, GPADLs, strings) stored once,
                  about 150-350 bytes per queued state; live: as objects (about 1.5 KB each)
  --queue-budget MB
                  compact queue: past MB mebibytes in memory, full chunks of the queue go to an
                  unlinked temporary file and are read back in order (default: no limit); with
                  --workers, each worker keeps its share of MB of the level it writes, e.g.
                  $ vmbus-spec check --profile strict --queue-budget 64
  --all-signal-interleavings
                  branch on every guest HvSignalEvent as its own step (default: a signal that
                  changes nothing but the driver's record of signals is checked in every state
                  where it is enabled, without multiplying the states by its interleavings)
  --symmetry      channel symmetry: once the guest holds every offer, a state and the same state
                  with its channels permuted (relids, GUIDs, connection ids, GPADLs, messages) are
                  explored once; up to N! fewer states for N channels (qemu and strict; not with
                  a hostile guest, rescinds, --crash or unopened offers; one process). Traces
                  are lifted back to real runs, e.g.
                  $ vmbus-spec check --profile qemu --channels 2 --gpadls 1 --symmetry
  --fail-incomplete
                  exit 4 when a bound (--depth, --max-states) stopped the search before every
                  reachable state was explored, or in bitstate mode (default: exit 0, verdict
                  "bounded: not exhaustive")
  --outcomes      also print the shortest trace of every protocol outcome
  --json          print one JSON object: verdict ("violation", "no violation", "bounded: not
                  exhaustive", "interrupted"), states, transitions, depth, complete, stoppedBy,
                  mode, collisionProbability, [bitstate, livenessChecked], seconds, statesPerSecond,
                  violations [{kind, rule, message, trace}], outcomes [{rule, row, message, trace}]

  --write-run F   write the shortest trace of the first violation as a run file (JSON: the
                  check options, every input, and the bytes of every message); F's directory
                  must exist and F must not, unless --force (checked before the search starts)
  --replay F      replay a run file: exit 0 when every input is enabled and reproduces the
                  recorded message bytes exactly, 1 otherwise (names the first differing step)
  --shard i/N     one shard of a campaign across processes or machines (docs/scale.md): this
                  process explores the states whose fingerprint falls in part i of N, exchanging
                  the others through --exchange DIR (a directory every shard shares), and writes
                  its result to --out FILE (an existing file needs --force); --round-timeout S
                  bounds the wait for the other shards in one BFS level (default 600).
                  \`vmbus-spec check merge FILE...\` combines the results (--help there).
                  --max-states bounds each shard; --depth bounds the levels of the whole search.
                  $ for i in 0 1; do vmbus-spec check --shard $i/2 --exchange ex --out shard-$i.json & done; wait
                  $ vmbus-spec check merge shard-0.json shard-1.json
  --swarm         one run of a swarm (docs/scale.md): a depth-first search whose successor
                  order is shuffled from --seed S (0..4294967295), bounded by --depth and
                  --max-states, never exhaustive; writes its result to --out FILE for
                  \`check merge\`, which unites the runs of different seeds and budgets
                  $ vmbus-spec check --profile qemu --hostile --hostile-posts 2 --max-states 400 --swarm --seed 1 --out swarm-1.json
                  $ vmbus-spec check --profile qemu --hostile --hostile-posts 2 --max-states 400 --swarm --seed 2 --out swarm-2.json
                  $ vmbus-spec check merge swarm-1.json swarm-2.json
  --workers N     the same breadth-first search on N worker threads of this process, sharing one
                  visited set (fingerprint mode; the same states, findings and shortest trace
                  lengths as one thread), e.g.
                  $ vmbus-spec check --profile qemu --hostile --workers 2

For each violation (deduplicated by kind and rule) the shortest trace is printed as text and as
a Mermaid sequence diagram. Violations are invariant breaks, deadlocks and host defects
(HOST-QEMU-DEFECT-*: the real host crashes). Inputs the host rejects or drops by rule (e.g.
HOST-HC-6 INSUFFICIENT_BUFFERS, HOST-UNLOAD-1 drops) and QEMU quirks the spec models as
accepted behaviour (QEMU quirk Q11 device reset, #12 open on a torn-down GPADL) are protocol
outcomes, listed with their QEMU quirk (profile qemu) and shortest trace length, never
violations. Liveness is checked in every mode: SYS-LIVE-1 (a guest message waits in the host's
queue and nothing ever gets a queued message processed again, also with a hostile guest) and
SYS-LIVE-2 (the Linux-like guest waits for a reply that no continuation ever delivers), by
backward reachability over the explored graph. Ctrl-C stops the search and prints what was
found so far. Exit status: 0 no violation, 1 violation found, 2 usage error, 3 file error,
4 bounded search with --fail-incomplete, 130 interrupted.`,
  run: async (argv) => {
    if (argv[0] === "merge") return mergeCommand(argv.slice(1));
    const a = parseArgs(argv, [
      { name: "profile", kind: "string" },
      { name: "channels", kind: "string" },
      { name: "offers", kind: "string" },
      { name: "gpadls", kind: "string" },
      { name: "depth", kind: "string" },
      { name: "max-states", kind: "string" },
      { name: "rescinds", kind: "string" },
      { name: "ring-pages", kind: "string" },
      { name: "cycles", kind: "string" },
      { name: "max-version", kind: "string" },
      { name: "modify", kind: "boolean" },
      { name: "hostile", kind: "boolean" },
      { name: "hostile-after", kind: "string" },
      { name: "hostile-posts", kind: "string" },
      { name: "hostile-synic", kind: "boolean" },
      { name: "crash", kind: "boolean" },
      { name: "outcomes", kind: "boolean" },
      { name: "json", kind: "boolean" },
      { name: "write-run", kind: "string" },
      { name: "force", kind: "boolean" },
      { name: "replay", kind: "string" },
      { name: "mode", kind: "string" },
      { name: "bitstate-bits", kind: "string" },
      { name: "queue", kind: "string" },
      { name: "queue-budget", kind: "string" },
      { name: "fail-incomplete", kind: "boolean" },
      { name: "all-signal-interleavings", kind: "boolean" },
      { name: "symmetry", kind: "boolean" },
      { name: "shard", kind: "string" },
      { name: "exchange", kind: "string" },
      { name: "out", kind: "string" },
      { name: "round-timeout", kind: "string" },
      { name: "swarm", kind: "boolean" },
      { name: "seed", kind: "string" },
      { name: "workers", kind: "string" },
    ]);
    const extra = a.positionals[0];
    if (extra !== undefined)
      throw new UsageError(`unexpected argument '${extra}'${(HOST_PROFILE_NAMES as readonly string[]).includes(extra) ? ` (did you mean --profile ${extra}?)` : ""}`);
    const replay = getString(a, "replay");
    if (replay !== undefined) return replayFile(replay);
    const profile = getString(a, "profile") ?? "strict";
    if (!(HOST_PROFILE_NAMES as readonly string[]).includes(profile)) throw new UsageError(`--profile must be one of ${HOST_PROFILE_NAMES.join(", ")}, got '${profile}'`);
    const after = getString(a, "hostile-after");
    if (after !== undefined && !["connected", "open", "closed"].includes(after)) throw new UsageError(`--hostile-after must be one of connected, open, closed, got '${after}'`);
    const hostileStart = (after ?? "boot") as HostileStart;
    const hostile = a.booleans.has("hostile") || after !== undefined;
    const posts = getInt(a, "hostile-posts", 1, 64);
    if (posts !== undefined && !hostile) throw new UsageError("--hostile-posts needs --hostile or --hostile-after (the Linux-like guest makes no hostile posts)");
    const channels = getInt(a, "channels", 0, 16) ?? 1;
    const offers = getInt(a, "offers", 0, 16);
    if (offers !== undefined && offers < channels) throw new UsageError(`--offers ${offers} is fewer than --channels ${channels}: the guest opens the first --channels of the offered channels`);
    const mv = getString(a, "max-version");
    const maxVersion = mv === undefined ? undefined : parseVersion(mv);
    if (mv !== undefined && maxVersion === undefined) throw new UsageError(`--max-version must look like 5.0, got '${mv}'`);
    if (maxVersion !== undefined && (!hostile || hostileStart !== "boot")) {
      const tried = candidateVersions({ ...DEFAULT_GUEST_CONFIG, maxVersion });
      const all = candidateVersions({ ...DEFAULT_GUEST_CONFIG, maxVersion: 0xffffffff });
      if (tried.length === 0) throw new UsageError(`--max-version ${mv} is older than every version the guest tries (oldest ${formatVersion(Math.min(...all))}): the check would be vacuous`);
    }
    const mode = getString(a, "mode") ?? "fingerprint";
    if (mode !== "fingerprint" && mode !== "exact" && mode !== "bitstate") throw new UsageError(`--mode must be fingerprint, exact or bitstate, got '${mode}'`);
    const bitstateBits = getInt(a, "bitstate-bits", 10, 32);
    if (bitstateBits !== undefined && mode !== "bitstate") throw new UsageError("--bitstate-bits goes with --mode bitstate");
    const queue = getString(a, "queue") ?? "compact";
    if (queue !== "compact" && queue !== "live") throw new UsageError(`--queue must be compact or live, got '${queue}'`);
    const budgetMb = getInt(a, "queue-budget", 1, 1 << 20);
    if (budgetMb !== undefined && queue !== "compact") throw new UsageError("--queue-budget goes with --queue compact");
    const json = a.booleans.has("json");
    const options = {
      profile: profile as HostProfileName,
      channels,
      ...(offers === undefined ? {} : { offers }),
      gpadls: getInt(a, "gpadls", 0, 8) ?? 0,
      depth: getInt(a, "depth", 1, 100_000) ?? (hostile && hostileStart === "boot" ? 16 : 400),
      // The node table and the liveness graph grow as needed (40-60 bytes per state): 500 M states need 20-30 GB.
      maxStates: getInt(a, "max-states", 1, 500_000_000) ?? 200_000,
      rescinds: getInt(a, "rescinds", 0, 16) ?? 0,
      ringPages: getInt(a, "ring-pages", 1, 4095) ?? 2,
      cycles: getInt(a, "cycles", 1, 16) ?? 1,
      ...(maxVersion === undefined ? {} : { maxVersion }),
      modify: a.booleans.has("modify"),
      hostile,
      ...(hostile ? { hostileStart, ...(posts === undefined ? {} : { hostilePosts: posts }) } : {}),
      ...(hostile && a.booleans.has("hostile-synic") ? { hostileSynic: true } : {}),
      ...(a.booleans.has("crash") ? { crash: true } : {}),
    };
    const symmetry = a.booleans.has("symmetry");
    if (symmetry) {
      const refusal = symmetryRefusal(options);
      if (refusal !== undefined) throw new UsageError(refusal);
      if (a.strings.has("shard") || a.booleans.has("swarm")) throw new UsageError("--symmetry goes with the search of one process, one thread or --workers (not yet with --shard or --swarm)");
    }
    const shard = getString(a, "shard");
    const workersGiven = (getInt(a, "workers", 1, 256) ?? 1) > 1;
    if ((shard !== undefined || a.booleans.has("swarm")) && (a.strings.has("queue") || a.strings.has("queue-budget")))
      throw new UsageError("--queue and --queue-budget go with the search of one process (shards and swarm runs keep their own frontier)");
    if (workersGiven && a.strings.has("queue")) throw new UsageError("--queue goes with the single-thread search (workers hold their levels as encodings, compact; --queue-budget applies)");
    if (shard !== undefined || a.booleans.has("swarm")) {
      if (mode !== "fingerprint" || a.strings.has("write-run") || a.booleans.has("all-signal-interleavings")) throw new UsageError("--shard and --swarm run in fingerprint mode, with the guest-signal reduction and no --write-run (check merge prints the traces)");
      const { depth, maxStates, ...check } = options;
      if (shard === undefined) return runSwarmCommand({ check, bounds: { depth, maxStates }, seed: getInt(a, "seed", 0, 0xffffffff), out: getString(a, "out"), force: a.booleans.has("force"), json, exchange: getString(a, "exchange") });
      if (a.strings.has("seed")) throw new UsageError("--seed goes with --swarm");
      return runShardCommand({
        check,
        bounds: { depth, maxStates },
        shard,
        exchange: getString(a, "exchange"),
        out: getString(a, "out"),
        force: a.booleans.has("force"),
        json,
        roundTimeoutSeconds: getInt(a, "round-timeout", 1, 86_400) ?? 600,
      });
    }
    if (a.strings.has("exchange") || a.strings.has("out") || a.strings.has("round-timeout") || a.strings.has("seed")) throw new UsageError("--exchange, --out and --round-timeout go with --shard, --seed and --out with --swarm");
    const workers = getInt(a, "workers", 1, 256);
    if (workers !== undefined && workers > 1) {
      if (mode !== "fingerprint" || a.strings.has("write-run") || a.booleans.has("all-signal-interleavings")) throw new UsageError("--workers runs in fingerprint mode, with the guest-signal reduction and no --write-run");
      const progress = progressReporter(json, `${workers} workers: `);
      let run: Awaited<ReturnType<typeof runInterruptible>>;
      try {
        const budget = budgetMb !== undefined ? { queueBudgetBytes: budgetMb * 2 ** 20 } : {};
        run = await runInterruptible(options, (onStart) => runCheckParallel({ ...options, workers, ...budget, ...(symmetry ? { symmetry } : {}) }, { onStart, ...(progress ? { onProgress: progress } : {}) }));
      } catch (e) {
        if (!(e instanceof SharedMemoryError)) throw e;
        process.stderr.write(`vmbus-spec check: --workers: ${e.message}\n`);
        return 3;
      }
      const { report, interrupted } = run;
      if (progress && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
      process.stdout.write(json ? `${JSON.stringify({ ...reportJson(report), workers })}\n` : `${formatReport(report, { outcomeTraces: a.booleans.has("outcomes") })}  ${workers} worker threads sharing one visited set\n`);
      if (interrupted) return 130;
      if (report.violations.length > 0) return 1;
      return verdictOf(report) !== "no violation" && a.booleans.has("fail-incomplete") ? 4 : 0;
    }
    // An output path is checked before the long work, not after it.
    const out = getString(a, "write-run");
    if (out !== undefined) {
      try {
        await prepareOutput(out, a.booleans.has("force"));
      } catch (e) {
        if (e instanceof FileError) {
          process.stderr.write(`vmbus-spec check: ${e.message}\n`);
          return 3;
        }
        throw e;
      }
    }
    const progress = progressReporter(json);
    const { report, interrupted } = await runInterruptible({ ...options, mode, ...(bitstateBits !== undefined ? { bitstateBits } : {}), queue, ...(budgetMb !== undefined ? { queueBudgetBytes: budgetMb * 2 ** 20 } : {}), reduceSignals: !a.booleans.has("all-signal-interleavings"), ...(symmetry ? { symmetry } : {}), ...(progress ? { onProgress: progress } : {}) });
    if (progress && process.stderr.isTTY) process.stderr.write("\r\x1b[K");
    if (json) process.stdout.write(`${JSON.stringify(reportJson(report))}\n`);
    else process.stdout.write(formatReport(report, { outcomeTraces: a.booleans.has("outcomes") }));
    if (interrupted) return 130;
    const first = report.runs[0];
    if (out !== undefined) {
      if (!first) process.stderr.write(`vmbus-spec check: no violation found: ${out} not written\n`);
      else {
        const { onProgress: _p, depth: _d, maxStates: _m, ...check } = { ...options, onProgress: undefined };
        try {
          await writeAtomically(out, `${JSON.stringify(runFile(check, first), null, 1)}\n`, a.booleans.has("force"));
        } catch (e) {
          if (e instanceof FileError) {
            process.stderr.write(`vmbus-spec check: ${e.message}\n`);
            return 3;
          }
          throw e;
        }
        process.stderr.write(`wrote ${out} (${first.length} step${first.length === 1 ? "" : "s"}: ${report.violations[0]!.rule})\n`);
      }
    }
    if (report.violations.length > 0) return 1;
    return verdictOf(report) !== "no violation" && a.booleans.has("fail-incomplete") ? 4 : 0;
  },
};
