/**
 * The committed mutation score of spec/ (docs/mutation/score.json, docs/mutation/equivalents.json,
 * rendered as docs/mutation.md; docs/testing.md "Mutation testing"): both files decode with their
 * closed codecs, every file of spec/ that has code was measured, no measured file is gone, and
 * every listed equivalent names a file of spec/ and gives a reason.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readEquivalents, readScore, spliceTestingDoc } from "../src/docs/mutation-doc.js";

const specFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? specFiles(p) : p.endsWith(".ts") ? [p.split("\\").join("/")] : [];
  });

/** A file with code: its build output has more than imports, exports of types and comments. */
const hasCode = (file: string): boolean => {
  const js = readFileSync(join("dist", file.replace(/\.ts$/, ".js")), "utf8");
  const rest = js
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/^\s*(import|export)\s[^;]*;\s*$/gm, "")
    .trim();
  return rest.length > 0;
};

describe("mutation score of spec/ (docs/mutation.md)", () => {
  const score = readScore(".");
  const eq = readEquivalents(".");

  it("every file of spec/ with code is measured or listed as not measured, and every file named still exists", () => {
    const known = new Set([...Object.keys(score.files), ...score.unmeasured]);
    expect(specFiles("spec").filter((f) => hasCode(f) && !known.has(f))).toEqual([]);
    expect([...known].filter((f) => !existsSync(f))).toEqual([]);
  });

  it("each file's counts add up", () => {
    for (const [file, r] of Object.entries(score.files)) {
      expect({ file, sum: r.killed + r.timeout + r.survived + r.noCoverage }).toEqual({ file, sum: r.mutants });
      expect(r.equivalent).toBeLessThanOrEqual(r.survived + r.noCoverage);
    }
  });

  it("every equivalent names a file of spec/, a mutant and a reason", () => {
    for (const e of eq.equivalents) {
      expect(existsSync(e.file) && e.file.startsWith("spec/")).toBe(true);
      expect(e.reason.length).toBeGreaterThan(20);
      expect(e.code.length).toBeGreaterThan(0);
    }
  });

  it("docs/testing.md's score block is rendered between its markers; a page without them is refused by name", () => {
    const page = spliceTestingDoc(".");
    expect(page).toContain(`Measured on ${score.date} with StrykerJS ${score.stryker}`);
    expect(page).toMatch(/\| \*\*all of spec\/\*\* \| \d+ \|/);
    const root = mkdtempSync(join(tmpdir(), "vmbus-spec-testing-doc-"));
    try {
      mkdirSync(join(root, "docs/mutation"), { recursive: true });
      cpSync("docs/mutation/score.json", join(root, "docs/mutation/score.json"));
      writeFileSync(join(root, "docs/testing.md"), "# Testing\n\nno block here\n");
      expect(() => spliceTestingDoc(root)).toThrow(/^docs\/testing\.md: the lines .* must enclose the mutation score$/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
