/**
 * The default check (`npm start`): small configurations of the strict and qemu profiles, with
 * the well-behaved Linux-like guest and with the hostile guest, each with what it must find.
 */
import { runCheck, formatReport, type CheckOptions, type CheckReport } from "./check.js";

export interface DefaultCheck {
  readonly name: string;
  readonly options: CheckOptions;
  /** Rules that must be found (hostile qemu: QEMU defects #1–#3 of fact sheet §12.2). */
  readonly mustFind: readonly string[];
  /** Whether other findings are acceptable (true only where the host is known to be defective). */
  readonly allowOthers: boolean;
}

export const DEFAULT_CHECKS: readonly DefaultCheck[] = [
  {
    name: "strict: Linux-like guest, 2 channels, 1 rescind",
    options: { profile: "strict", channels: 2, gpadls: 0, depth: 400, maxStates: 200_000, hostile: false, rescinds: 1, ringPages: 2 },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "strict: Linux-like guest, 2 channels (20-page rings: header + body), MODIFYCHANNEL",
    options: { profile: "strict", channels: 2, gpadls: 0, depth: 400, maxStates: 200_000, hostile: false, modify: true, ringPages: 20 },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "strict: Linux-like guest, 1 channel opened twice, 1 buffer GPADL, MODIFYCHANNEL, 1 rescind",
    options: { profile: "strict", channels: 1, gpadls: 1, depth: 400, maxStates: 200_000, hostile: false, rescinds: 1, modify: true, cycles: 2, ringPages: 20 },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "qemu: Linux-like guest, 2 channels (20-page rings: header + body)",
    options: { profile: "qemu", channels: 2, gpadls: 0, depth: 400, maxStates: 200_000, hostile: false, ringPages: 20 },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "qemu: Linux-like guest, 1 channel opened, closed and re-opened, 1 buffer GPADL",
    options: { profile: "qemu", channels: 1, gpadls: 1, depth: 400, maxStates: 200_000, hostile: false, cycles: 2, ringPages: 20 },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "strict: hostile guest, depth 12",
    options: { profile: "strict", channels: 1, gpadls: 0, depth: 12, maxStates: 200_000, hostile: true },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "qemu: hostile guest, depth 16 (must find QEMU defects #1-#3)",
    options: { profile: "qemu", channels: 1, gpadls: 0, depth: 16, maxStates: 200_000, hostile: true },
    mustFind: ["HOST-QEMU-DEFECT-1", "HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3"],
    allowOthers: true,
  },
];

export interface DefaultCheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly missing: readonly string[];
  readonly unexpected: readonly string[];
  readonly report: CheckReport;
}

export const judge = (c: DefaultCheck, report: CheckReport): DefaultCheckResult => {
  const found = new Set(report.violations.map((v) => v.rule));
  const missing = c.mustFind.filter((r) => !found.has(r));
  const unexpected = c.allowOthers ? [] : report.violations.map((v) => v.rule).filter((r) => !c.mustFind.includes(r));
  return { name: c.name, ok: missing.length === 0 && unexpected.length === 0, missing, unexpected, report };
};

/**
 * Run every default check. `progress` writes a progress line to stderr (callers pass
 * `process.stderr.isTTY`); `json` prints one JSON object instead of text.
 */
export const runDefaultCheck = async (opts: { readonly json: boolean; readonly progress: boolean }): Promise<{ readonly ok: boolean; readonly reports: readonly DefaultCheckResult[] }> => {
  const results: DefaultCheckResult[] = [];
  for (const c of DEFAULT_CHECKS) {
    const report = await runCheck({
      ...c.options,
      ...(opts.progress ? { onProgress: (p) => process.stderr.write(`\r${c.options.profile}${c.options.hostile ? " hostile" : ""}: ${p.states} states, depth ${p.depth}, ${p.seconds.toFixed(1)} s `) } : {}),
    });
    if (opts.progress) process.stderr.write("\r\x1b[K");
    const r = judge(c, report);
    results.push(r);
    if (!opts.json) {
      process.stdout.write(`== ${c.name}: ${r.ok ? "OK" : "FAILED"}${r.missing.length ? ` (missing ${r.missing.join(", ")})` : ""}${r.unexpected.length ? ` (unexpected ${r.unexpected.join(", ")})` : ""}\n`);
      process.stdout.write(formatReport(report));
    }
  }
  const ok = results.every((r) => r.ok);
  if (opts.json) {
    const checks = results.map(({ report: { runs: _runs, ...report }, ...r }) => ({ ...r, report }));
    process.stdout.write(`${JSON.stringify({ ok, checks })}\n`);
  }
  return { ok, reports: results };
};
