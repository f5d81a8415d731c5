import { describe, expect, it, vi } from "vitest";
import { progressReporter } from "../../src/cli/commands/check.js";
import { steps, verdictOf } from "../../src/explore/check.js";
import { DEFAULT_CHECKS, judge, summaryTable } from "../../src/explore/default.js";
import { clip } from "../../src/explore/trace.js";
import type { CheckReport } from "../../src/explore/check.js";

const report = (o: Partial<CheckReport>): CheckReport => ({
  profile: "qemu",
  hostile: true,
  channels: 1,
  gpadls: 0,
  states: 2880,
  transitions: 7294,
  depth: 9,
  complete: true,
  stoppedBy: null,
  mode: "fingerprint",
  collisionProbability: 2e-13,
  seconds: 0.5,
  statesPerSecond: 5760,
  violations: [],
  outcomes: [],
  runs: [],
  ...o,
});

describe("check and npm start output", () => {
  it('"1 step", "2 steps"', () => {
    expect([steps(0), steps(1), steps(2)]).toEqual(["0 steps", "1 step", "2 steps"]);
  });

  it("Mermaid notes are shortened at a word boundary, never mid-word", () => {
    const note = "host DROPS the message because the GPADL named in the header was never created on this channel at all";
    const c = clip(note, 60);
    expect(c.length).toBeLessThanOrEqual(60);
    expect(c.endsWith("…")).toBe(true);
    expect(note.startsWith(c.slice(0, -1))).toBe(true);
    expect(note[c.length - 1]).toBe(" "); // the cut falls on a space
    expect(clip("short", 60)).toBe("short");
  });

  it("verdict: a bounded or interrupted clean run is never 'no violation'", () => {
    expect(verdictOf(report({}))).toBe("no violation");
    expect(verdictOf(report({ complete: false, stoppedBy: "states" }))).toBe("bounded: not exhaustive");
    expect(verdictOf(report({ complete: false, stoppedBy: "interrupted" }))).toBe("interrupted");
    expect(verdictOf(report({ complete: false, stoppedBy: "states", violations: [{ kind: "defect", rule: "HOST-QEMU-DEFECT-2", message: "", trace: [] }] }))).toBe("violation");
  });

  it("summary table: one row per check with states, search, findings and whether the expectation was met", () => {
    const c = DEFAULT_CHECKS.find((x) => x.options.hostile && x.mustFind.includes("HOST-QEMU-DEFECT-2") && x.options.hostileStart === undefined)!;
    const met = judge(c, report({ violations: [{ kind: "defect", rule: "HOST-QEMU-DEFECT-2", message: "", trace: [] }, { kind: "defect", rule: "HOST-QEMU-DEFECT-3", message: "", trace: [] }], outcomes: [10, 11].map((row) => ({ rule: "X", row, message: "", trace: [] })) }));
    const failed = judge(c, report({ complete: false, stoppedBy: "states" }));
    const lines = summaryTable([met, failed]).trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^#\s+check\s+states\s+search\s+states\/s\s+found\s+expectation$/);
    expect(lines[2]).toMatch(/^1 .* 2880 +exhaustive +5760 +HOST-QEMU-DEFECT-2, HOST-QEMU-DEFECT-3 +met$/);
    expect(lines[3]).toMatch(/^2 .* bounded .* nothing +FAILED \(missing HOST-QEMU-DEFECT-2, HOST-QEMU-DEFECT-3/);
  });

  it("progress to a pipe: a line at least every 5 s of work, none with --json", () => {
    const tty = process.stderr.isTTY;
    Object.defineProperty(process.stderr, "isTTY", { value: false, configurable: true });
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(progressReporter(true)).toBeUndefined();
      const p = progressReporter(false, "[1/9] ")!;
      for (const seconds of [0.2, 2, 5.1, 7, 10.3, 12]) p({ states: 100, transitions: 200, depth: 3, seconds });
      expect(write.mock.calls.map((c) => String(c[0]))).toEqual(["[1/9] 100 states, 200 transitions, depth 3, 5.1 s\n", "[1/9] 100 states, 200 transitions, depth 3, 10.3 s\n"]);
    } finally {
      write.mockRestore();
      Object.defineProperty(process.stderr, "isTTY", { value: tty, configurable: true });
    }
  });
});
