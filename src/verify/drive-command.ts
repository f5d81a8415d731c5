/**
 * What `verify host` and `verify guest` do around a verification: Ctrl-C kills the
 * implementation and reports what was found so far (exit 130), a contract error is one line
 * (exit 2), progress on a terminal only, and the minimal session of a verdict is written to
 * --out or to a free name (never over an existing file). Exit codes: docs/verify.md.
 */
import { existsSync } from "node:fs";
import { FileError, fileReason, writeFileAtomic } from "../cli/files.js";
import type { Child } from "./child.js";
import { ContractError } from "./connection.js";

export interface DriveHooks {
  readonly interrupted: () => boolean;
  readonly onChild: (c: Child) => void;
  readonly onProgress?: (sessions: number, steps: number) => void;
}

export interface DrivenReport {
  readonly result: string;
  readonly verdict: unknown;
}

export interface DriveOptions<R extends DrivenReport> {
  readonly role: "host" | "guest";
  readonly profile: string;
  readonly json: boolean;
  /** --out (checked by the caller before the run: it does not exist, or --force). */
  readonly out: string | undefined;
  readonly run: (hooks: DriveHooks) => Promise<R>;
  /** The session file of a verdict. */
  readonly sessionFile: (verdict: NonNullable<R["verdict"]>) => string;
  readonly format: (report: R, file: string | undefined) => string;
}

const freeName = (base: string): string => {
  if (!existsSync(base)) return base;
  const stem = base.replace(/\.json$/, "");
  for (let i = 1; ; i++) if (!existsSync(`${stem}-${i}.json`)) return `${stem}-${i}.json`;
};

export const driveVerifyCommand = async <R extends DrivenReport>(o: DriveOptions<R>): Promise<number> => {
  const tty = !o.json && process.stderr.isTTY === true;
  let child: Child | undefined;
  let stop = false;
  const onSigint = (): void => {
    stop = true;
    child?.kill();
  };
  process.on("SIGINT", onSigint);
  let report: R;
  try {
    report = await o.run({
      interrupted: () => stop,
      onChild: (c) => (child = c),
      ...(tty ? { onProgress: (d: number, s: number) => process.stderr.write(`\rverify ${o.role}: ${d} session(s), ${s} steps`) } : {}),
    });
  } catch (e) {
    if (e instanceof ContractError && stop) {
      // Ctrl-C killed the implementation before its hello: an interruption, not a contract error.
      if (tty) process.stderr.write("\r\x1b[K");
      process.stdout.write(o.json ? `${JSON.stringify({ role: o.role, profile: o.profile, result: "interrupted", sessions: 0, steps: 0, verdict: null, file: null })}\n` : `verify ${o.role}: INTERRUPTED before the implementation's hello; no session was checked\n`);
      return 130;
    }
    if (e instanceof ContractError) {
      if (tty) process.stderr.write("\n");
      process.stderr.write(`vmbus-spec verify: contract error: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
  if (tty) process.stderr.write("\r\x1b[K");
  let file: string | undefined;
  const verdict = report.verdict as R["verdict"];
  if (verdict) {
    file = o.out ?? freeName(`vmbus-verify-${o.role}-${o.profile}.json`);
    try {
      await writeFileAtomic(file, o.sessionFile(verdict as NonNullable<R["verdict"]>));
    } catch (e) {
      process.stderr.write(`vmbus-spec verify: ${e instanceof FileError ? e.message : `${file}: ${fileReason(e)}`}\n`);
      file = undefined;
    }
  }
  process.stdout.write(o.json ? JSON.stringify({ ...report, file: file ?? null }, null, 1) + "\n" : o.format(report, file));
  if (report.result === "interrupted") return 130;
  return verdict ? 1 : 0;
};
