import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_RULES } from "../../spec/rules/catalogue.js";
import { PROFILE_NAMES } from "../../spec/profiles.js";

const PREFIX = { wire: "WIRE", ring: "RING", host: "HOST", guest: "GUEST", system: "SYS" } as const;

const specFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? specFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );

describe("rule catalogue", () => {
  it("has unique, well-formed IDs (AREA-TOPIC-n) whose prefix names the area", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^(WIRE|RING|HOST|GUEST|SYS)-[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]+$/);
      expect(r.id.startsWith(PREFIX[r.area] + "-")).toBe(true);
      expect(r.sentence.length).toBeGreaterThan(10);
      expect(r.source.length).toBeGreaterThan(2);
      if (r.profiles !== "all") for (const p of r.profiles) expect(PROFILE_NAMES).toContain(p);
    }
  });
  it("covers every area", () => {
    for (const area of Object.keys(PREFIX)) expect(ALL_RULES.some((r) => r.area === area)).toBe(true);
  });
  it("every rule ID that spec/ or src/ code cites is defined", () => {
    const known = new Set(ALL_RULES.map((r) => r.id));
    const cited = new Set<string>();
    for (const f of [...specFiles("spec"), ...specFiles("src")]) {
      for (const m of readFileSync(f, "utf8").matchAll(/["'`]((?:WIRE|RING|HOST|GUEST|SYS)-[A-Z0-9]+(?:-[A-Z0-9]+)*-[0-9]+)["'`]/g)) cited.add(m[1]!);
    }
    const unknown = [...cited].filter((id) => !known.has(id));
    expect(unknown).toEqual([]);
  });
});
