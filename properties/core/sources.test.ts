/** The project stands on its own: rules cite upstream files the project lists, and nothing points outside the repository. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { QEMU_QUIRKS } from "../../spec/host/qemu/quirks.js";
import { ALL_RULES, ruleById } from "../../spec/rules/catalogue.js";
import { UPSTREAM_SOURCES } from "../../spec/sources.js";
import { citesUpstream, generateSourcesDoc } from "../../src/docs/sources-doc.js";

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : /\.(ts|md)$/.test(n) ? [p] : [];
  });

describe("sources", () => {
  it("every upstream file is listed once, with repository, path and commit", () => {
    const names = UPSTREAM_SOURCES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of UPSTREAM_SOURCES) {
      expect(s.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(s.name.startsWith(s.project === "Microsoft" ? "Microsoft" : s.name.startsWith("OHCL") ? "OHCL" : s.project)).toBe(true);
      expect(s.commit.length).toBeGreaterThan(0);
    }
  });

  it("every rule's source names an upstream file, or says it is the spec's own decision", () => {
    const unsourced = ALL_RULES.filter((r) => !citesUpstream(r) && !/\bspec\b|\bmodel\b|derived|decision/i.test(r.source));
    expect(unsourced.map((r) => `${r.id}: ${r.source}`)).toEqual([]);
  });

  it("no text in the repository cites the retired section numbers or files outside the repository", () => {
    const offenders: string[] = [];
    for (const dir of ["spec", "src", "properties", "docs"]) {
      for (const f of walk(dir)) {
        const text = readFileSync(f, "utf8");
        // Built from parts so that this file does not match itself.
        const patterns = [new RegExp("\\u00a7\\d"), new RegExp("\\.\\./" + "shared"), new RegExp("protocol" + "\\.md"), new RegExp("fact[ -]" + "sheet", "i")];
        for (const p of patterns) if (p.test(text)) offenders.push(`${f}: ${p.source}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("every QEMU quirk's rules exist", () => {
    for (const q of QEMU_QUIRKS) for (const id of q.rules) expect(ruleById(id), `Q${q.n} names ${id}`).toBeDefined();
    expect(QEMU_QUIRKS.map((q) => q.n)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
  });

  it("docs/sources.md lists every upstream file and the rules citing it", () => {
    const doc = generateSourcesDoc();
    for (const s of UPSTREAM_SOURCES) expect(doc).toContain(`### ${s.name}`);
    expect(doc).toMatch(/### QEMU hw\/hyperv\/vmbus\.c[\s\S]*?Rules \(\d+\): HOST-/);
  });
});
