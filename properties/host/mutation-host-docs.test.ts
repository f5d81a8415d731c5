/**
 * The host's data tables (profiles, STRICT_CHOICES, QEMU's state runner, handler table and
 * quirks, trace events, host rules) as the generated docs render them. properties/docs.test.ts
 * checks the same files, but a Stryker sandbox rewrites spec/ source text (comments go), which
 * changes docs/rules.md's "Enforced in" column: here that column and "Checked by" are left out,
 * so this file can run under mutation testing and kill mutants of data only the docs read.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_DOCS } from "../../src/docs/registry.js";

/** A rules.md row without its last two cells (the files that name the rule). */
const withoutReferences = (text: string): string =>
  text
    .split("\n")
    .map((l) => (/^\| [A-Z]+-[A-Z0-9-]+ \|/.test(l) ? l.split(/(?<!\\)\|/).slice(0, 5).join("|") : l))
    .join("\n");

describe("the host tables as docs/host.md and docs/rules.md render them", () => {
  it("docs/host.md is what the host tables generate", () => {
    const doc = GENERATED_DOCS.find((d) => d.path === "docs/host.md")!;
    expect(readFileSync(resolve(doc.path), "utf8")).toBe(doc.generate("."));
  });
  it("docs/rules.md has every rule's ID, sentence, profiles and source as generated", () => {
    const doc = GENERATED_DOCS.find((d) => d.path === "docs/rules.md")!;
    expect(withoutReferences(readFileSync(resolve(doc.path), "utf8"))).toBe(withoutReferences(doc.generate(".")));
  });
});
