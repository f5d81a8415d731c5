/**
 * `vmbus-spec verify ring`: drive a ring implementation that speaks the ring CLI's interface
 * (docs/verify-ring.md, contract 1) and compare it step by step with the spec ring.
 * `verifyRingCommand` is what `vmbus-spec verify ring …` calls; `verify-ring` registers it as a
 * command of its own until then.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { getInt, getString, parseArgs, UsageError } from "../args.js";
import { isProfileName, type ProfileName } from "../../../spec/profiles.js";
import { verifyRing, type VerifyRingReport } from "../../verify/ring/engine.js";
import { killAll, splitCommand } from "../../verify/ring/process.js";
import { formatText, reportJson, sessionFileOf } from "../../verify/ring/report.js";
import { decodeSessionFile, type Session } from "../../verify/ring/session.js";

export const HELP = `usage: vmbus-spec verify ring --impl "<command>" [--profile P] [--seed S] [--sessions N]
                         [--phases LIST] [--timeout-ms T] [--out FILE] [--force] [--json]
       vmbus-spec verify ring --impl "<command>" --replay FILE [--timeout-ms T] [--json]

Checks a ring-buffer implementation against the spec ring (docs/verify-ring.md, contract 1).
The implementation is a command with the interface of \`vmbus-spec ring\`: the verifier runs
"<command> init|write|read|show --file F …" once per operation, in a temp directory of its
own, and compares every stdout line, exit code and the image file byte for byte with what
the spec does under profile P. Sessions, in this order: the ring conformance vectors the CLI
can express, sessions aimed at each RING rule, then --sessions seeded random sessions
(fast-check: writes of random sizes and types, wrap at every position, exactly-full rings,
pending_send_sz, interrupt_mask, feature bits, hostile descriptors written by the verifier).
The first divergence is shrunk to a minimal session, printed with the step, its input, what
the spec does, what the implementation did and the rule IDs, and written to a file that
--replay re-runs.

  --impl "<command>"  the implementation (split into words like a shell, no expansion)
  --profile P         strict (default), qemu, linux, openvmm, dpdk
  --seed S            seed of the random sessions (default: from the clock; printed)
  --sessions N        random sessions (default 100; 0 = vectors and rule sessions only)
  --phases LIST       which of vectors,rules,random to run (default all three, in that order)
  --timeout-ms T      per-operation timeout (default 10000): a slower operation is a hang
  --out FILE          where the minimal session goes (default verify-ring-<profile>-<seed>.json,
                      never overwriting an existing file)
  --force             let --out overwrite an existing file
  --replay FILE       run only the session in FILE (its profile is used)
  --json              one JSON object on stdout (schema in docs/verify-ring.md), no progress

Exit: 0 conforming, 1 divergence (also a crash, hang or garbage output), 2 usage or contract
error (the implementation cannot be started or refuses a valid invocation), 3 file error,
130 interrupted (what was found so far is printed).

examples:
  vmbus-spec verify ring --impl "node dist/src/cli/main.js ring" --profile qemu --phases rules
  cc -O2 -o ring docs/examples/ring-c/ring.c && vmbus-spec verify ring --impl ./ring --sessions 10 --seed 1`;

const exists = (f: string): Promise<boolean> => stat(f).then(() => true, () => false);

class FileError extends Error {}

const loadReplay = async (path: string): Promise<{ session: Session; profile: ProfileName }> => {
  const text = await readFile(path, "utf8").catch((e: Error) => {
    throw new FileError(`cannot read ${path}: ${e.message}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not JSON: ${(e as Error).message}`);
  }
  const d = decodeSessionFile(json);
  if (!d.ok) throw new UsageError(`${path}: not a ring session file: ${d.errors.join("; ")}`);
  return { session: { origin: `replay ${path}`, steps: d.value.steps }, profile: d.value.profile };
};

/** Create `base.json`, else `base-2.json`, … (exclusive create: an existing file is never touched). */
const writeFresh = async (base: string, text: string): Promise<string> => {
  for (let i = 1; ; i++) {
    const f = i === 1 ? `${base}.json` : `${base}-${i}.json`;
    try {
      await writeFile(f, text, { flag: "wx" });
      return f;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || i >= 1000) throw new Error(`cannot write ${f}: ${(e as Error).message}`);
    }
  }
};

export const verifyRingCommand = async (argv: readonly string[]): Promise<number> => {
  const a = parseArgs(argv, [
    { name: "impl", kind: "string" },
    { name: "profile", kind: "string" },
    { name: "seed", kind: "string" },
    { name: "sessions", kind: "string" },
    { name: "replay", kind: "string" },
    { name: "out", kind: "string" },
    { name: "force", kind: "boolean" },
    { name: "timeout-ms", kind: "string" },
    { name: "json", kind: "boolean" },
    { name: "phases", kind: "string" },
  ]);
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  const implText = getString(a, "impl");
  if (implText === undefined) throw new UsageError('--impl "<command>" is required');
  let impl: string[];
  try {
    impl = splitCommand(implText);
  } catch (e) {
    throw new UsageError(`--impl: ${(e as Error).message}`);
  }
  if (impl.length === 0) throw new UsageError("--impl is empty");
  const profileText = getString(a, "profile");
  if (profileText !== undefined && !isProfileName(profileText)) throw new UsageError(`unknown profile '${profileText}' (strict, qemu, linux, openvmm, dpdk)`);
  const seed = getInt(a, "seed", 0, 0x7fff_ffff) ?? Math.floor(Date.now() % 0x7fff_ffff);
  const sessions = getInt(a, "sessions", 0, 1_000_000) ?? 100;
  const timeoutMs = getInt(a, "timeout-ms", 1, 3_600_000) ?? 10_000;
  const phaseList = (getString(a, "phases") ?? "vectors,rules,random").split(",").map((s) => s.trim());
  for (const p of phaseList) if (p !== "vectors" && p !== "rules" && p !== "random") throw new UsageError(`--phases takes vectors, rules and random separated by commas, got '${p}'`);
  const phases = phaseList as ("vectors" | "rules" | "random")[];
  const json = a.booleans.has("json");
  const force = a.booleans.has("force");
  const out = getString(a, "out");
  const replayPath = getString(a, "replay");
  const fail = (msg: string, code: number): number => {
    process.stderr.write(`vmbus-spec verify ring: ${msg}\n`);
    return code;
  };
  let replay: Session | null = null;
  let profile: ProfileName = (profileText as ProfileName | undefined) ?? "strict";
  if (replayPath !== undefined) {
    if (a.strings.has("sessions") || a.strings.has("seed") || a.strings.has("phases")) throw new UsageError("--replay runs one session: --sessions, --seed and --phases do not apply");
    try {
      const r = await loadReplay(replayPath);
      if (profileText !== undefined && profileText !== r.profile) throw new UsageError(`--profile ${profileText} differs from the session file's profile ${r.profile}`);
      replay = r.session;
      profile = r.profile;
    } catch (e) {
      if (e instanceof FileError) return fail(e.message, 3);
      throw e;
    }
  }
  if (out !== undefined && !force && (await exists(out))) return fail(`${out} exists (give --force to overwrite it)`, 3);

  const tmp = await mkdtemp(join(tmpdir(), "vmbus-verify-ring-")).catch((e: Error) => {
    throw new FileError(`cannot create a temp directory: ${e.message}`);
  }).catch((e: Error) => e);
  if (tmp instanceof Error) return fail(tmp.message, 3);

  let stopped = false;
  const onSigint = (): void => {
    if (stopped) process.exit(130);
    stopped = true;
    killAll();
  };
  process.on("SIGINT", onSigint);
  const tty = !json && process.stderr.isTTY === true;
  let lastDraw = 0;
  let report: VerifyRingReport;
  try {
    report = await verifyRing({
      impl,
      implText,
      profile,
      seed,
      sessions,
      timeoutMs,
      tmpDir: tmp,
      cwd: process.cwd(),
      replay,
      phases,
      stopped: () => stopped,
      onProgress: tty
        ? (p) => {
            const now = performance.now();
            if (now - lastDraw < 100 && p.done !== p.total) return;
            lastDraw = now;
            process.stderr.write(`\r\x1b[Kverify ring: ${p.phase} ${p.done}/${p.total} · ${p.processes} processes · ${(p.processes / Math.max(p.elapsedMs / 1000, 1e-3)).toFixed(0)} steps/s`);
          }
        : undefined,
    });
  } finally {
    process.off("SIGINT", onSigint);
    killAll();
    if (tty) process.stderr.write("\r\x1b[K");
    await rm(tmp, { recursive: true, force: true });
  }

  let sessionFile: string | null = null;
  let fileError: string | null = null;
  const f = report.finding;
  if (f && f.divergence.kind !== "contract" && (replay === null || out !== undefined)) {
    const text = JSON.stringify(sessionFileOf(report, f), null, 1) + "\n";
    try {
      if (out !== undefined) {
        await writeFile(resolve(out), text, { flag: force ? "w" : "wx" }).catch((e: Error) => {
          throw new Error(`cannot write ${out}: ${e.message}`);
        });
        sessionFile = out;
      } else sessionFile = await writeFresh(`verify-ring-${profile}-${report.seed ?? "session"}`, text);
    } catch (e) {
      fileError = (e as Error).message;
    }
  }
  process.stdout.write((json ? JSON.stringify(reportJson(report, sessionFile)) : formatText(report, sessionFile)) + "\n");
  if (fileError) return fail(fileError, 3);
  return report.verdict === "conforming" ? 0 : report.verdict === "divergence" ? 1 : report.verdict === "contract-error" ? 2 : 130;
};
