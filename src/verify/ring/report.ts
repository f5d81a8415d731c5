/** Rendering a `verify ring` report: the text form for people and the `--json` form (docs/verify-ring.md). */
import { ruleById } from "../../../spec/rules/catalogue.js";
import type { Finding, VerifyRingReport } from "./engine.js";
import { divergenceJson } from "./runner.js";
import { describeStep, RING_CONTRACT_VERSION, type SessionFile, type Step } from "./session.js";

const IMAGE = "<image>";

/** The command line and stdin of a step as the implementation received them (the file path shortened). */
export const stepInput = (s: Step, profile: string): string => {
  switch (s.op) {
    case "init":
      return `init --file ${IMAGE} --data-size ${s.dataSize}${Object.entries(s.control ?? {}).map(([k, v]) => ` --${k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())} ${v}`).join("")}`;
    case "write":
      return `write --file ${IMAGE} --profile ${profile}${s.batch ? " --batch" : ""}  with stdin:\n${s.packets.map((p) => "      " + JSON.stringify(p)).join("\n")}`;
    case "read":
      return `read --file ${IMAGE} --profile ${profile}${s.max !== undefined ? ` --max ${s.max}` : ""}`;
    case "show":
      return `show --file ${IMAGE} --profile ${profile}`;
    case "patch":
      return describeStep(s);
  }
};

export const sessionFileOf = (r: VerifyRingReport, f: Finding): SessionFile => ({ contract: RING_CONTRACT_VERSION, kind: "vmbus-spec ring session", profile: r.profile, origin: f.origin, steps: f.steps });

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

export const formatText = (r: VerifyRingReport, sessionFile: string | null): string => {
  const out: string[] = [];
  const secs = r.elapsedMs / 1000;
  out.push(`verify ring (contract ${r.contract}): impl ${JSON.stringify(r.impl)}, profile ${r.profile}${r.seed === null ? "" : `, seed ${r.seed}`}`);
  out.push(
    `${r.phases.map((p) => `${p.name}: ${p.sessions} session(s)`).join(", ")}; ${r.processes} implementation processes in ${secs.toFixed(1)} s (${(r.processes / Math.max(secs, 1e-3)).toFixed(0)} steps/s)`,
  );
  if (r.skippedVectors.length > 0) out.push(`vectors the CLI cannot express (commit at a chosen index, a writer that will not wait, a peek at a cursor): ${r.skippedVectors.length}`);
  const c = r.coverage;
  out.push(`rule coverage: ${c.exercised.length}/${c.exercised.length + c.notExercised.length} observable rules exercised`);
  out.push(`  exercised: ${c.exercised.join(", ") || "none"}`);
  if (c.notExercised.length > 0) out.push(`  not exercised: ${c.notExercised.join(", ")}`);
  out.push(`  not observable through the ring CLI: ${c.notObservable.join(", ")}`);
  const f = r.finding;
  if (!f) {
    out.push(r.verdict === "interrupted" ? "INTERRUPTED: no divergence in what ran so far" : "CONFORMING: the implementation did what the spec does at every step");
    return out.join("\n");
  }
  const d = f.divergence;
  const head = (r.verdict === "interrupted" ? "INTERRUPTED after finding a " : "") + (f.divergence.kind === "contract" ? "CONTRACT ERROR" : `DIVERGENCE (${d.kind})`);
  out.push(`${head} at step ${d.stepIndex} of a ${f.steps.length}-step session (from ${f.origin}; ${f.foundSteps} steps as found, ${f.shrinkRuns} shrink runs; detected after ${(f.detectedAfterMs / 1000).toFixed(2)} s)`);
  out.push(`  step:  ${describeStep(d.step)}`);
  out.push(`  input: ${stepInput(d.step, r.profile)}`);
  out.push(`  what:  ${d.what}`);
  out.push(`  spec:  ${show(d.spec)}`);
  out.push(`  impl:  ${show(d.impl)}`);
  if (d.rules.length > 0) for (const id of d.rules) out.push(`  rule:  ${id} — ${ruleById(id)?.sentence ?? ""}`);
  else out.push("  rule:  (none: the implementation did not speak the contract)");
  if (d.stderr) out.push(`  stderr: ${d.stderr}`);
  out.push("  session:");
  f.steps.forEach((s, i) => out.push(`    ${String(i).padStart(2)} ${describeStep(s)}`));
  if (sessionFile) out.push(`  ${r.verdict === "interrupted" ? "session (shrinking may have been cut short)" : "minimal session"} written to ${sessionFile} (re-run it with --replay ${sessionFile})`);
  return out.join("\n");
};

export const reportJson = (r: VerifyRingReport, sessionFile: string | null): Record<string, unknown> => ({
  contract: r.contract,
  command: "verify ring",
  profile: r.profile,
  impl: r.impl,
  seed: r.seed,
  verdict: r.verdict,
  phases: r.phases,
  processes: r.processes,
  elapsedMs: Math.round(r.elapsedMs),
  coverage: r.coverage,
  skippedVectors: r.skippedVectors,
  divergence: r.finding
    ? {
        origin: r.finding.origin,
        ...divergenceJson(r.finding.divergence),
        session: r.finding.steps,
        steps: r.finding.steps.length,
        foundSteps: r.finding.foundSteps,
        shrinkRuns: r.finding.shrinkRuns,
        detectedAfterMs: Math.round(r.finding.detectedAfterMs),
      }
    : null,
  sessionFile,
});
