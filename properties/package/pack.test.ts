/**
 * The package people install: `npm pack` it, install the tarball into a scratch project, import
 * the library surface from TypeScript (type-checked against the shipped .d.ts), run the bin and
 * the shipped benchmark's --help. Installs with --prefer-offline: the dependencies come from
 * npm's cache, which `npm ci` filled.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = process.cwd();
const scratch = mkdtempSync(join(tmpdir(), "vmbus-pack-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const npm = (args: string[], cwd: string): string => execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 110_000 });

describe("the packed package", () => {
  it("ships dist, docs, README and LICENSE, and no tests or configs", () => {
    const listing = JSON.parse(npm(["pack", "--dry-run", "--json", "--ignore-scripts"], root)) as { files: { path: string }[] }[];
    const files = listing[0]!.files.map((f) => f.path);
    for (const f of ["LICENSE", "README.md", "package.json", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/cli/main.js", "dist/src/bench/main.js", "docs/rules.md"]) expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith("properties/") || f.endsWith(".test.js") || /^(tsconfig|vitest)/.test(f) || f.startsWith(".ci/"))).toEqual([]);
  });

  it("installs from the tarball, imports and type-checks, runs the bin and the bench's --help", () => {
    npm(["pack", "--ignore-scripts", "--pack-destination", scratch], root);
    const tgz = readdirSync(scratch).find((f) => f.endsWith(".tgz"))!;
    const app = join(scratch, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(scratch, tgz)], app);
    writeFileSync(
      join(app, "use.ts"),
      [
        'import { decodeMessage, encodeMessage, hexToBytes, hostStep, initialHostState, DEFAULT_DEVICES, ALL_RULES, type Message } from "vmbus-spec";',
        'const m: Message = { type: "CloseChannel", childRelid: 5 };',
        "const bytes: Uint8Array = encodeMessage(m);",
        "const back = decodeMessage(bytes);",
        'const h = hexToBytes("0700000000000000");',
        'const s = initialHostState({ profile: "qemu", devices: DEFAULT_DEVICES, vcpuCount: 1 });',
        'const r = hostStep({ profile: "qemu", devices: DEFAULT_DEVICES, vcpuCount: 1 }, s, { kind: "run" });',
        'console.log(JSON.stringify({ ok: back.ok, rules: ALL_RULES.length > 100, hex: h.ok, outputs: Array.isArray(r.outputs) }));',
      ].join("\n"),
    );
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ["use.ts"] }));
    const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", app], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
    writeFileSync(join(app, "use.mjs"), 'import * as v from "vmbus-spec"; const b = v.encodeMessage({ type: "Unload" }); console.log(v.bytesToHex(b));');
    expect(execFileSync(process.execPath, [join(app, "use.mjs")], { encoding: "utf8" }).trim()).toBe("1000000000000000");
    const bin = join(app, "node_modules/.bin/vmbus-spec");
    expect(execFileSync(bin, ["--version"], { encoding: "utf8" })).toMatch(/^vmbus-spec \d+\.\d+\.\d+/);
    expect(execFileSync(bin, ["decode", "070000000000000005000000"], { encoding: "utf8" })).toMatch(/"CloseChannel"/);
    const bench = spawnSync(process.execPath, [join(app, "node_modules/vmbus-spec/dist/src/bench/main.js"), "--help"], { encoding: "utf8" });
    expect(bench.status, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/ring/);
  });
});
