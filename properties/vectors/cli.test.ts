/** `vmbus-spec vectors` (the built CLI) writes wire/, host/, ring/ and the top-level index, byte-identical to the library writers. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VectorsIndexJson } from "../../src/io/vectors.js";
import { writeHostVectors } from "../../src/vectors/host.js";
import { writeRingVectors } from "../../src/vectors/ring.js";
import { loadAs, walk } from "./helpers.js";

const MAIN = resolve("dist/src/cli/main.js");
let cliDir = "";
let libDir = "";

beforeAll(async () => {
  // Build first (errors in other areas' in-progress files do not stop tsc from emitting).
  spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { encoding: "utf8" });
  if (!existsSync(MAIN)) throw new Error("build produced no dist/src/cli/main.js");
  cliDir = await mkdtemp(join(tmpdir(), "vmbus-cli-vectors-"));
  libDir = await mkdtemp(join(tmpdir(), "vmbus-lib-vectors-"));
  await writeHostVectors(libDir);
  await writeRingVectors(libDir);
});
afterAll(async () => {
  await rm(cliDir, { recursive: true, force: true });
  await rm(libDir, { recursive: true, force: true });
});

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8" });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe("vmbus-spec vectors: host and ring", () => {
  it("--json summarises all three directories; the files match the library's byte for byte", async () => {
    const r = run(["vectors", "--out", cliDir, "--json"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    const s = JSON.parse(r.out) as Record<string, { files: number; outDir: string }>;
    expect(Object.keys(s)).toEqual(["wire", "host", "ring", "schemas"]);
    for (const area of ["host", "ring"]) {
      const names = await walk(join(cliDir, area));
      expect(s[area]!.files, area).toBe(names.length);
      expect(names, area).toEqual(await walk(join(libDir, area)));
      for (const n of names) expect(await readFile(join(cliDir, area, n), "utf8"), `${area}/${n}`).toBe(await readFile(join(libDir, area, n), "utf8"));
    }
    const idx = await loadAs(VectorsIndexJson, cliDir, "index.json");
    expect(idx.directories).toEqual(["wire", "host", "ring", "schemas"]);
    // The schemas shipped with the vectors are the ones committed under docs/schemas/.
    const schemas = await walk(join(cliDir, "schemas"));
    expect(s.schemas!.files).toBe(schemas.length);
    expect(schemas).toEqual(await walk(resolve("docs", "schemas")));
    for (const n of schemas) expect(await readFile(join(cliDir, "schemas", n), "utf8"), n).toBe(await readFile(resolve("docs", "schemas", n), "utf8"));
  });

  it("prints one summary line per directory without --json", () => {
    const r = run(["vectors", "--out", cliDir]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^wrote \d+ files to .*host: \d+ scenarios, \d+ steps$/);
    expect(lines[2]).toMatch(/^wrote \d+ files to .*ring: \d+ cases, \d+ operations$/);
    expect(lines[3]).toMatch(/^wrote \d+ JSON Schema files to .*schemas$/);
  });
});
