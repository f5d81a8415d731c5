/**
 * `npm start` (vmbus-spec start): the main job ends with the vectors in DIR and the shortest
 * traces it named in DIR/check-traces, also over a DIR left by an earlier run; a DIR that is not
 * a vectors directory is refused before the checks run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const MAIN = join(process.cwd(), "dist/src/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "vmbus-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, encoding: "utf8", timeout: 300_000 });

describe("vmbus-spec start", () => {
  it("over an earlier vectors directory: vectors and the named traces end up in DIR", () => {
    expect(run("vectors", "--out", "vectors", "--json").status).toBe(0);
    const r = run("start");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/all default checks met their expectations/);
    const named = [...r.stdout.matchAll(/shortest traces in (vectors\/check-traces\/check-\d+\.md)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    for (const f of named) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(existsSync(join(dir, "vectors", "index.json"))).toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes("check-traces-") || n.includes(".tmp-"))).toEqual([]);
  });
  it("a DIR that is not a vectors directory is refused before the checks", () => {
    mkdirSync(join(dir, "mine"));
    writeFileSync(join(dir, "mine", "notes.txt"), "keep");
    const r = run("start", "--out", "mine");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(readdirSync(join(dir, "mine"))).toEqual(["notes.txt"]);
  });
});
