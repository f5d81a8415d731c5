/**
 * The new-user trial, as a property: random and hand-made bad input (options, arguments, bytes,
 * JSON lines, files) across the commands that take input directly. Whatever arrives, the tool
 * ends with a documented exit code (docs/cli.md), never an internal error or a stack trace, and
 * within a bounded time.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";

const MAIN = join(process.cwd(), "dist/src/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "vmbus-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "junk.bin"), Buffer.from([0, 1, 2, 255, 254, 10, 13, 0x7b]));
writeFileSync(join(dir, "text.txt"), "hello\n");
spawnSync(process.execPath, [MAIN, "ring", "init", "--file", join(dir, "r.img"), "--data-size", "4096"]);

const DOCUMENTED = [0, 1, 2, 3];

const run = (args: string[], input: string | Buffer) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, input, encoding: "utf8", timeout: 30_000, maxBuffer: 16 << 20 });
  return { code: r.status, err: r.stderr, signal: r.signal };
};

const word = fc.oneof(
  fc.constantFrom("--file", "--data-size", "--profile", "--max", "--batch", "--raw", "--force", "--frame", "--version", "--direction", "--features", "--devices", "--vcpus", "--trace", "--json", "--help", "-", "--", "--=", "--file=", "qemu", "strict", "linux", "nope", "0", "-1", "64", "4096", "1e9", "0x10", "99999999999999999999", "r.img", "junk.bin", "text.txt", "/dev/zero", "/", "nodir/x", "toString", "__proto__", "constructor"),
  fc.string({ maxLength: 12 }),
);
const stdin = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
  fc.constantFrom('{"kind":"run"}\n', '{"payload":"00"}\n', '{"type":"Unload"}', "[]", "{}", "null", '{"__proto__":{"x":1}}', '{"kind":"guest","message":{"type":"CloseChannel","childRelid":1,"toString":1}}\n', "\u0000\u0001", "0700000000000000050000000"),
  fc.json({ maxDepth: 2 }),
);

describe("bad input never crashes a command", () => {
  for (const [command, sub] of [["decode", []], ["encode", []], ["layout", []], ["host", []], ["ring", ["init"]], ["ring", ["write"]], ["ring", ["read"]], ["ring", ["show"]]] as const)
    it(`${command} ${sub.join(" ")}: documented exit code, one clean line, no stack trace`, () => {
      fc.assert(
        fc.property(fc.array(word, { maxLength: 5 }), stdin, (args, input) => {
          const r = run([command, ...sub, ...args], input);
          expect(r.signal, `${command} ${args.join(" ")}`).toBeNull();
          expect(DOCUMENTED, `${command} ${args.join(" ")}: exit ${r.code}\n${r.err}`).toContain(r.code);
          expect(r.err).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
        }),
        { numRuns: 6, seed: 20261205 },
      );
    });
});
