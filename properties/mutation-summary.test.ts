/**
 * properties/mutation/summary.mjs combines StrykerJS reports per mutant (docs/testing.md "Mutation
 * testing"): a later report of the same source overlays the mutants it re-ran, and a later report
 * of a changed source keeps the earlier results only on unchanged lines.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const FILE = "spec/result.ts"; // any file of spec/ that exists: summary.mjs leaves out files that are gone
const dir = mkdtempSync(join(tmpdir(), "vmbus-spec-summary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Mutant = { line: number; status: string; mutator?: string };
const report = (name: string, source: string, mutants: readonly Mutant[]): string => {
  const path = join(dir, `${name}.json`);
  const files = {
    [FILE]: {
      language: "typescript",
      source,
      mutants: mutants.map((m, i) => ({
        id: `${name}-${i}`,
        mutatorName: m.mutator ?? "ConditionalExpression",
        replacement: "true",
        status: m.status,
        location: { start: { line: m.line, column: 3 }, end: { line: m.line, column: 9 } },
      })),
    },
  };
  writeFileSync(path, JSON.stringify({ schemaVersion: "2", thresholds: { high: 80, low: 60 }, framework: { name: "StrykerJS", version: "test" }, files }));
  return path;
};
/** The row of FILE's folder: [mutants, killed, timeout, survived, no coverage]. */
const row = (...reports: string[]): number[] => {
  const out = execFileSync(process.execPath, ["properties/mutation/summary.mjs", ...reports], { encoding: "utf8" });
  const line = out.split("\n").find((l) => l.startsWith("| spec |"));
  return (line ?? "").split("|").slice(2, 7).map((c) => Number(c.trim()));
};

describe("summary.mjs combines reports per mutant", () => {
  const v1 = "let a = 1;\nlet b = 2;\nlet c = 3;\n";
  const first = report("first", v1, [
    { line: 1, status: "Survived" },
    { line: 3, status: "Killed" },
  ]);

  it("a later report of the same source replaces only the mutants it re-ran", () => {
    const targeted = report("targeted", v1, [{ line: 1, status: "Killed" }]);
    expect(row(first, targeted)).toEqual([2, 2, 0, 0, 0]);
    // In the other order the earlier (killed) result is replaced by the later survivor.
    expect(row(targeted, first)).toEqual([2, 1, 0, 1, 0]);
  });

  it("a later report of a changed source keeps the earlier results of unchanged lines only", () => {
    const v2 = "let a = 1;\nlet inserted = 0;\nlet b = 20;\nlet c = 3;\n";
    // Line 2 of v1 changed (now line 3), a line was inserted: the survivor on line 1 and the kill
    // on old line 3 (now line 4) are kept; the new report's mutant on the changed line is added.
    const changed = report("changed", v2, [{ line: 3, status: "NoCoverage" }]);
    expect(row(first, changed)).toEqual([3, 1, 0, 1, 1]);
    // The kept kill moved to line 4: a re-run of line 4 replaces it rather than adding a mutant.
    const rerun = report("rerun", v2, [{ line: 4, status: "Survived" }]);
    expect(row(first, changed, rerun)).toEqual([3, 0, 0, 2, 1]);
  });

  it("a result on a line that changed is not kept", () => {
    const v3 = "let a = 10;\nlet b = 2;\nlet c = 3;\n";
    expect(row(first, report("edited", v3, []))).toEqual([1, 1, 0, 0, 0]);
  });
});
