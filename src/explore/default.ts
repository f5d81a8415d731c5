/**
 * The default check (`npm start`): small configurations of the strict and qemu profiles, with
 * the well-behaved Linux-like guest, with the hostile guest from boot, and in mixed mode (the
 * Linux-like guest opens a channel, then hostile posts), each with what it must find.
 */
import { runCheck, formatReport, steps, type CheckOptions, type CheckReport } from "./check.js";

export interface DefaultCheck {
  readonly name: string;
  readonly options: CheckOptions;
  /** Rules that must be found (hostile qemu: QEMU defects #1–QEMU quirk Q3). */
  readonly mustFind: readonly string[];
  /** QEMU quirks (profile qemu) the check must exhibit as protocol outcomes (not violations). */
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
  const missing = [...c.mustFind.filter((r) => !found.has(r)), ...(c.mustExhibit ?? []).filter((n) => !rows.has(n)).map((n) => `QEMU quirk Q${n}`)];
  const unexpected = c.allowOthers ? [] : report.violations.map((v) => v.rule).filter((r) => !c.mustFind.includes(r));
  return { name: c.name, ok: missing.length === 0 && unexpected.length === 0, missing, unexpected, report };
};

export type ProgressFactory = (label: string) => ((p: { readonly states: number; readonly transitions: number; readonly depth: number; readonly seconds: number }) => void) | undefined;

const cell = (x: string, w: number): string => (x.length > w ? `${x.slice(0, w - 1)}…` : x.padEnd(w));

/** The summary table `npm start` prints first: what was checked, how far, and what was found. */
export const summaryTable = (results: readonly DefaultCheckResult[]): string => {
  const head = ["#", "check", "states", "search", "states/s", "found", "expectation"];
  const rows = results.map((r, i) => {
    const found = [...new Set(r.report.violations.map((v) => v.rule))];
    return [
      String(i + 1),
      r.name,
      String(r.report.states),
      r.report.complete ? "exhaustive" : "bounded",
      String(r.report.statesPerSecond),
      found.length === 0 ? "nothing" : found.join(", "),
      r.ok ? "met" : `FAILED${r.missing.length ? ` (missing ${r.missing.join(", ")})` : ""}${r.unexpected.length ? ` (unexpected ${r.unexpected.join(", ")})` : ""}`,
    ];
  });
  const widths = head.map((h, i) => Math.min(i === 1 ? 60 : 80, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (cells: readonly string[]): string => cells.map((c, i) => cell(c, widths[i]!)).join("  ").trimEnd();
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n") + "\n";
};

/**
 * Run every default check. `progress` makes a progress callback per check (or none); `json`
 * prints one JSON object instead of text. Text: a summary table first, then per check with
 * findings the path of the file holding its full report (traces, Mermaid diagrams), written by
 * `writeTraces` (the caller decides where; the terminal output stays short).
 */
export const runDefaultCheck = async (opts: {
  readonly json: boolean;
  readonly progress?: ProgressFactory;
  readonly writeTraces?: (index: number, c: DefaultCheck, text: string) => Promise<string>;
  readonly onStart?: CheckOptions["onStart"];
}): Promise<{ readonly ok: boolean; readonly reports: readonly DefaultCheckResult[]; readonly interrupted: boolean }> => {
  const results: DefaultCheckResult[] = [];
  let interrupted = false;
  for (const [i, c] of DEFAULT_CHECKS.entries()) {
    const onProgress = opts.progress?.(`[${i + 1}/${DEFAULT_CHECKS.length}] ${c.options.profile}${c.options.hostile ? ` hostile (${c.options.hostileStart ?? "boot"})` : ""}: `);
    const report = await runCheck({ ...c.options, ...(onProgress ? { onProgress } : {}), ...(opts.onStart ? { onStart: opts.onStart } : {}) });
    results.push(judge(c, report));
    if (report.stoppedBy === "interrupted") {
      interrupted = true;
      break;
    }
  }
  const ok = !interrupted && results.every((r) => r.ok);
  if (opts.json) {
    const checks = results.map(({ report: { runs: _runs, ...report }, ...r }) => ({ ...r, report }));
    process.stdout.write(`${JSON.stringify({ ok, interrupted, checks })}\n`);
  } else {
    process.stdout.write(summaryTable(results));
    for (const [i, r] of results.entries()) {
      const text = formatReport(r.report);
      if (r.report.violations.length === 0) continue;
      const where = opts.writeTraces ? await opts.writeTraces(i + 1, DEFAULT_CHECKS[i]!, `# ${r.name}\n\n${text}`) : undefined;
      const found = r.report.violations.map((v) => `${v.rule} (${steps(v.trace.length)})`).join(", ");
      process.stdout.write(`#${i + 1}: ${found}${where ? ` — shortest traces in ${where}` : ""}\n`);
      if (!where) process.stdout.write(text);
    }
    if (interrupted) process.stdout.write(`interrupted after ${results.length} of ${DEFAULT_CHECKS.length} checks\n`);
  }
  return { ok, reports: results, interrupted };
};
