import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Every .ts file under a directory. */
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));

// spec/ holds definitions only: no Node APIs, I/O, clocks, randomness or console, nothing from
// src/, and no rendering (Markdown tables and Mermaid belong in src/docs).
const FORBIDDEN: readonly (readonly [RegExp, string])[] = [
  [/from\s+["']node:/, "a Node API"],
  [/from\s+["'](fs|path|os|child_process|worker_threads|crypto)["']/, "a Node module"],
  [/from\s+["'][./]*\/src\//, "an import from src/"],
  [/\bprocess\.|\bconsole\.|\bDate\.now\(|\bnew Date\(|\bperformance\.now\(|\bMath\.random\(|\bsetTimeout\(|\bsetImmediate\(/, "I/O, a clock or randomness"],
  [/\|---|stateDiagram|```mermaid/, "rendering (Markdown or Mermaid)"],
];

describe("spec/ holds definitions only", () => {
  const all = files("spec");
  it("has the definition files", () => {
    expect(all.length).toBeGreaterThan(50);
  });
  for (const [re, what] of FORBIDDEN) {
    it(`no file of spec/ uses ${what}`, () => {
      const offenders = all.filter((f) => re.test(readFileSync(f, "utf8")));
      expect(offenders).toEqual([]);
    });
  }
  it("the check itself sees a forbidden use", () => {
    expect(FORBIDDEN.some(([re]) => re.test('import { readFileSync } from "node:fs";'))).toBe(true);
    expect(FORBIDDEN.some(([re]) => re.test('"|---|---|"'))).toBe(true);
    expect(FORBIDDEN.some(([re]) => re.test("const t = Date.now();"))).toBe(true);
  });
});
