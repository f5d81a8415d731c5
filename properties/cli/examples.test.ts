/**
 * Every example in README.md (the `npx vmbus-spec …` and `npm run bench …` lines of its sh
 * blocks) and in every command's --help (lines starting with "$ ") is run here, in a scratch
 * directory that can see docs/examples/, and must end in a verdict with output: exit 0, or 1
 * where the example checks something that is wrong on purpose (e.g. QEMU's known defects).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";

const root = process.cwd();
const MAIN = join(root, "dist/src/cli/main.js");
const BENCH = join(root, "dist/src/bench/main.js");
const work = mkdtempSync(join(tmpdir(), "vmbus-examples-"));
symlinkSync(join(root, "docs"), join(work, "docs"));
// `vmbus-spec` on PATH is this build (examples nest it, e.g. verify --impl "vmbus-spec host --serve").
mkdirSync(join(work, "bin"));
writeFileSync(join(work, "bin", "vmbus-spec"), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
chmodSync(join(work, "bin", "vmbus-spec"), 0o755);
const env = { ...process.env, PATH: `${join(work, "bin")}:${process.env.PATH ?? ""}` };
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Run one example line with vmbus-spec / npm run bench pointed at this build. */
const runExample = (line: string) => {
  const cmd = line.replace(/^npx vmbus-spec\b/, `"${process.execPath}" "${MAIN}"`).replace(/^vmbus-spec\b/, `"${process.execPath}" "${MAIN}"`).replace(/^npm run bench --/, `"${process.execPath}" "${BENCH}"`);
  const r = spawnSync("bash", ["-c", cmd], { cwd: work, env, encoding: "utf8", timeout: 110_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const readmeExamples = (): string[] => {
  const text = readFileSync(join(root, "README.md"), "utf8");
  const out: string[] = [];
  for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const l of block[1]!.split("\n")) {
      const cmd = l.replace(/\s{2,}#.*$/, "").trim();
      if (/^(npx vmbus-spec|npm run bench)\b/.test(cmd)) out.push(cmd);
    }
  return out;
};

describe("examples", () => {
  const readme = readmeExamples();
  it("README has examples", () => expect(readme.length).toBeGreaterThan(5));
  for (const ex of readme)
    it(`README: ${ex}`, () => {
      const r = runExample(ex);
      expect([0, 1], r.err).toContain(r.code);
      expect(r.out.length).toBeGreaterThan(0);
    });
  it("every command's --help example runs", async () => {
    let n = 0;
    for (const [name, load] of Object.entries(COMMANDS)) {
      const help = (await load()).help;
      for (const l of help.split("\n")) {
        const m = /^\s*\$ (.*)$/.exec(l);
        if (!m) continue;
        n++;
        const r = runExample(m[1]!);
        expect([0, 1], `${name}: ${m[1]}\n${r.err}`).toContain(r.code);
        expect(r.out.length, `${name}: ${m[1]}`).toBeGreaterThan(0);
      }
    }
    expect(n).toBeGreaterThanOrEqual(5);
  });
});
