import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_DOCS } from "../src/docs/registry.js";

describe("generated docs are up to date (run `npm run docs` to refresh)", () => {
  it("has at least one generated document", () => {
    expect(GENERATED_DOCS.length).toBeGreaterThan(0);
  });
  for (const doc of GENERATED_DOCS) {
    it(doc.path, () => {
      const onDisk = readFileSync(resolve(doc.path), "utf8");
      expect(onDisk).toBe(doc.generate("."));
    });
  }
});
