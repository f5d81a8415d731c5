/** `vmbus-spec verify guest …` (options parsed by src/cli/commands/verify.ts). */
import { readFileSync } from "node:fs";
import type { HostProfileName } from "../../spec/host/profiles.js";
import { CONTRACT_VERSION } from "./contract.js";
import { guestSessionFileText, parseGuestSessionFile, type GuestSession } from "./guest-contract.js";
import { verifyGuest, type GuestVerifyReport } from "./guest-verify.js";
import { driveVerifyCommand } from "./drive-command.js";

export interface GuestCommandOptions {
  readonly impl: string;
  readonly profile: string;
  readonly profileGiven: boolean;
  readonly seed: number;
  readonly sessions: number;
  readonly depth: number;
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly out: string | undefined;
  readonly force: boolean;
  readonly anyGuest: boolean;
  readonly replayFile: string | undefined;
}


export const formatGuestReport = (r: GuestVerifyReport, file: string | undefined): string => {
  const head = `verify guest: ${r.implementation}, host profile ${r.profile}${r.anyGuest ? " (--any-guest)" : ""}, contract ${r.contract}, seed ${r.seed}\n  ${r.sessions} session(s) passed, ${r.steps} steps, ${r.seconds.toFixed(2)} s, ${r.stepsPerSecond} steps/s\n  host rules the guest's sessions exercised: ${r.coverage.exercised.join(" ") || "(none)"}\n`;
  if (!r.verdict) return `${head}  ${r.result === "interrupted" ? "INTERRUPTED (no divergence so far)" : "CONFORMING"}\n`;
  const v = r.verdict;
  return (
    `${head}\n${v.kind.toUpperCase()}${v.inconclusive ? " (INCONCLUSIVE)" : ""} in session "${v.session}", minimal session ${v.minimal.actions.length} driver action(s) after ${v.shrinkTests} shrink test(s):\n` +
    v.minimal.actions.map((a, i) => `    ${i}. ${JSON.stringify(a)}\n`).join("") +
    `  after: ${JSON.stringify(v.input)}\n  the implementation did: ${v.observed}\n${v.detail ? `  ${v.detail}\n` : ""}  the spec allows:\n` +
    (v.expected.length ? v.expected.map((e) => `    ${e.description}${e.rules.length ? `  [${e.rules.join(", ")}]` : ""}\n`).join("") : "    (nothing)\n") +
    `  rules: ${v.rules.join(", ") || "(none)"}\n` +
    (file ? `  minimal session written to ${file} (re-run: --replay ${file})\n` : "")
  );
};

export const verifyGuestCommand = async (o: GuestCommandOptions): Promise<number> => {
  let replay: GuestSession[] | undefined;
  let profile = o.profile as HostProfileName;
  if (o.replayFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(o.replayFile, "utf8");
    } catch (e) {
      process.stderr.write(`vmbus-spec verify: ${o.replayFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
      return 3;
    }
    const f = parseGuestSessionFile(text, o.replayFile);
    if (!f.ok) {
      process.stderr.write(`vmbus-spec verify: ${f.error}\n`);
      return 2;
    }
    replay = [f.session];
    if (!o.profileGiven) profile = f.profile;
  }
  return driveVerifyCommand<GuestVerifyReport>({
    role: "guest",
    profile,
    json: o.json,
    out: o.out,
    run: (hooks) =>
      verifyGuest({ command: o.impl, profile, seed: o.seed, sessions: o.sessions, depth: o.depth, timeoutMs: o.timeoutMs, anyGuest: o.anyGuest, ...(replay ? { replay } : {}), ...hooks }),
    sessionFile: (v) => guestSessionFileText(profile, CONTRACT_VERSION, v.minimal, { ...v, minimal: undefined }),
    format: formatGuestReport,
  });
};
