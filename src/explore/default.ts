/**
 * The default check (`npm start`): small configurations of the strict and qemu profiles, with
 * the well-behaved Linux-like guest, with the hostile guest from boot, and in mixed mode (the
 * Linux-like guest opens a channel, then hostile posts), each with what it must find.
 */
import { runCheck, formatReport, type CheckOptions, type CheckReport } from "./check.js";

export interface DefaultCheck {
  readonly name: string;
  readonly options: CheckOptions;
  /** Rules that must be found (hostile qemu: QEMU defects #1–#3 of fact sheet §12.2). */
  readonly mustFind: readonly string[];
  /** §12.2 rows (profile qemu) the check must exhibit as protocol outcomes (not violations). */
  readonly mustExhibit?: readonly number[];
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
    name: "qemu: Linux-like guest crashes into kdump once (must find the stall HOST-QEMU-DEFECT-9, DEFECT-2, and the kdump kernel's deadlock)",
    options: { profile: "qemu", channels: 1, gpadls: 0, depth: 400, maxStates: 200_000, hostile: false, crash: true },
    mustFind: ["HOST-QEMU-DEFECT-9", "HOST-QEMU-DEFECT-2", "SYS-DEADLOCK-1"],
    allowOthers: false,
  },
  {
    name: "strict: Linux-like guest crashes into kdump once",
    options: { profile: "strict", channels: 1, gpadls: 0, depth: 400, maxStates: 200_000, hostile: false, crash: true },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "strict: hostile guest from boot, 2 posts at any time",
    options: { profile: "strict", channels: 1, gpadls: 0, depth: 100, maxStates: 200_000, hostile: true, hostilePosts: 2 },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "qemu: hostile guest from boot, 2 posts at any time (must find QEMU defects #2, #3, quirks #10, #11)",
    options: { profile: "qemu", channels: 1, gpadls: 0, depth: 100, maxStates: 200_000, hostile: true, hostilePosts: 2 },
    mustFind: ["HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3"],
    mustExhibit: [10, 11],
    allowOthers: true,
  },
  {
    name: "strict: Linux-like guest opens 1 of 2 channels, then 2 hostile posts (live relids and GPADL ids)",
    options: { profile: "strict", channels: 1, offers: 2, gpadls: 0, depth: 400, maxStates: 200_000, hostile: true, hostileStart: "open", hostilePosts: 2 },
    mustFind: [],
    allowOthers: false,
  },
  {
    name: "qemu: Linux-like guest opens 1 of 2 channels, then 2 hostile posts (must find QEMU defects #1-#3, quirks #5, #10-#12)",
    options: { profile: "qemu", channels: 1, offers: 2, gpadls: 0, depth: 400, maxStates: 200_000, hostile: true, hostileStart: "open", hostilePosts: 2 },
    mustFind: ["HOST-QEMU-DEFECT-1", "HOST-QEMU-DEFECT-2", "HOST-QEMU-DEFECT-3"],
    // GPADL id reuse, drops while UNLOAD is answered, device reset by CLOSECHANNEL, OPEN on a torn-down GPADL.
    mustExhibit: [5, 10, 11, 12],
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
  const rows = new Set(report.outcomes.map((o) => o.row));
  const missing = [...c.mustFind.filter((r) => !found.has(r)), ...(c.mustExhibit ?? []).filter((n) => !rows.has(n)).map((n) => `§12.2 #${n}`)];
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
      ...(opts.progress ? { onProgress: (p) => process.stderr.write(`\r${c.options.profile}${c.options.hostile ? ` hostile (${c.options.hostileStart ?? "boot"})` : ""}: ${p.states} states, depth ${p.depth}, ${p.seconds.toFixed(1)} s `) } : {}),
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
