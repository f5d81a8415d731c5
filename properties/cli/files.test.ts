/**
 * A tool people can trust with their files (docs/cli.md): file errors are one line and exit 3,
 * nothing is overwritten by surprise, concurrent writers lose nothing, inputs are capped, and
 * what is replaced is replaced atomically. Each case failed before the fix it names.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const MAIN = join(process.cwd(), "dist/src/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "vmbus-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], input = "") => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { input, encoding: "utf8", maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const oneLine = (err: string) => {
  expect(err.trimEnd().split("\n")).toHaveLength(1);
  expect(err).not.toMatch(/at .*\.js:\d+/); // no stack trace
};

describe("file errors: one line naming the file and the cause, exit 3", () => {
  it("ring init into a missing directory, onto a directory, into a read-only directory", () => {
    let r = cli(["ring", "init", "--file", join(dir, "nodir/r.img"), "--data-size", "4096"]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/nodir\/r\.img: no such file or directory/);
    oneLine(r.err);
    r = cli(["ring", "init", "--file", dir, "--data-size", "4096", "--force"]);
    expect(r.code).toBe(3);
    oneLine(r.err);
    if (process.getuid?.() !== 0) {
      const ro = join(dir, "ro");
      mkdirSync(ro);
      chmodSync(ro, 0o500);
      r = cli(["ring", "init", "--file", join(ro, "r.img"), "--data-size", "4096"]);
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/permission denied/);
    }
  });
  it("reading: a missing file, a directory; a device that never ends is refused, not read", () => {
    let r = cli(["ring", "show", "--file", join(dir, "missing.img")]);
    expect(r.code).toBe(3);
    oneLine(r.err);
    r = cli(["ring", "show", "--file", dir]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/is a directory/);
    r = cli(["ring", "show", "--file", "/dev/zero"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not a regular file/);
    r = cli(["host", "--devices", join(dir, "missing.json")]);
    expect(r.code).toBe(3);
    oneLine(r.err);
  });
  it("docs --root that does not exist is a file error, not 'stale'", () => {
    const r = cli(["docs", "--check", "--root", join(dir, "no-project")]);
    expect(r.code).toBe(3);
    expect(r.out).not.toMatch(/stale/);
    oneLine(r.err);
  });
});

describe("nothing is overwritten by surprise", () => {
  it("ring init refuses a file that is not a ring image of the same size unless --force", () => {
    const f = join(dir, "notes.txt");
    writeFileSync(f, "my notes\n");
    const r = cli(["ring", "init", "--file", f, "--data-size", "4096"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--force/);
    expect(readFileSync(f, "utf8")).toBe("my notes\n");
    const img = join(dir, "same.img");
    expect(cli(["ring", "init", "--file", img, "--data-size", "4096"]).code).toBe(0);
    expect(cli(["ring", "init", "--file", img, "--data-size", "4096"]).code).toBe(0); // same geometry: a reset
    expect(cli(["ring", "init", "--file", img, "--data-size", "8192"]).code).toBe(2);
    expect(cli(["ring", "init", "--file", f, "--data-size", "4096", "--force"]).code).toBe(0);
    expect(statSync(f).size).toBe(4096 + 4096);
  });
  it("vectors --out never leaves files of an earlier run, refuses a foreign directory, and '' is a usage error", () => {
    const out = join(dir, "vec");
    expect(cli(["vectors", "--out", out, "--json"]).code).toBe(0);
    writeFileSync(join(out, "wire", "99-Stale.json"), "{}");
    expect(cli(["vectors", "--out", out, "--json"]).code).toBe(0);
    expect(existsSync(join(out, "wire", "99-Stale.json"))).toBe(false);
    expect(readdirSync(dir).filter((n) => n.startsWith("vec.tmp-") || n.startsWith("vec.old-"))).toEqual([]);
    const foreign = join(dir, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "thesis.tex"), "x");
    const r = cli(["vectors", "--out", foreign]);
    expect(r.code).toBe(2);
    expect(readFileSync(join(foreign, "thesis.tex"), "utf8")).toBe("x");
    expect(cli(["vectors", "--out", ""]).code).toBe(2);
  });
  it("ring init of 1 GiB writes a sparse file without building it in memory", () => {
    const f = join(dir, "big.img");
    const r = spawnSync("/usr/bin/env", ["node", "--max-old-space-size=64", MAIN, "ring", "init", "--file", f, "--data-size", String(1 << 30)], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(f).size).toBe(4096 + (1 << 30));
    rmSync(f);
  });
});

describe("two ring writers on one image lose no packet", () => {
  it("every packet reported written is in the image", async () => {
    const img = join(dir, "shared.img");
    expect(cli(["ring", "init", "--file", img, "--data-size", "65536"]).code).toBe(0);
    const writer = (n: number) =>
      new Promise<number>((resolve) => {
        let written = 0;
        const run = (left: number): void => {
          if (left === 0) return resolve(written);
          const p = spawn(process.execPath, [MAIN, "ring", "write", "--file", img]);
          let out = "";
          p.stdout.on("data", (d) => (out += d));
          p.on("close", () => {
            written += (out.match(/"outcome":"written"/g) ?? []).length;
            run(left - 1);
          });
          p.stdin.end('{"payload":"0102030405060708"}\n{"payload":"aa"}\n');
        };
        run(n);
      });
    const [a, b] = await Promise.all([writer(6), writer(6)]);
    expect(a + b).toBe(24);
    const shown = JSON.parse(cli(["ring", "show", "--file", img]).out) as { packets: unknown[] };
    expect(shown.packets).toHaveLength(24);
    expect(existsSync(`${img}.lock`)).toBe(false);
  });
  it("a lock left by a process that no longer exists is taken over", () => {
    const img = join(dir, "stale.img");
    expect(cli(["ring", "init", "--file", img, "--data-size", "4096"]).code).toBe(0);
    writeFileSync(`${img}.lock`, "999999999\n");
    const r = cli(["ring", "write", "--file", img], '{"payload":"00"}\n');
    expect(r.code, r.err).toBe(0);
  });
});

describe("inputs are capped and checked", () => {
  it("a line longer than 1 MiB is refused with its line number, not read into memory", () => {
    const img = join(dir, "cap.img");
    expect(cli(["ring", "init", "--file", img, "--data-size", "4096"]).code).toBe(0);
    const r = cli(["ring", "write", "--file", img], `{"payload":"00"}\n{"payload":"${"0".repeat(1 << 21)}"}\n`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/line 2 is longer than 1 MiB/);
    const h = cli(["host"], "x".repeat((1 << 20) + 10));
    expect(h.code).toBe(2);
    expect(h.err).toMatch(/longer than 1 MiB/);
  });
  it("decode - refuses more than 16 MiB of standard input", () => {
    const r = cli(["decode", "-"], "0".repeat((16 << 20) + 2));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/larger than 16 MiB/);
  });
  it("ring write refuses packets its own strict reader would refuse, by rule, unless --raw", () => {
    const img = join(dir, "raw.img");
    expect(cli(["ring", "init", "--file", img, "--data-size", "16384"]).code).toBe(0);
    const before = readFileSync(img);
    for (const [line, rule] of [
      ['{"type":9,"payload":"00"}', "RING-PKT-6"], // GPA direct without ranges
      ['{"type":9,"payload":"00","ranges":[{"byteCount":16,"byteOffset":5000,"pfns":["1"]}]}', "RING-PKT-7"],
      ['{"type":9,"payload":"00","ranges":[{"byteCount":0,"byteOffset":0,"pfns":["1"]}]}', "RING-PKT-7"],
      ['{"type":9,"payload":"00","ranges":[{"byteCount":8192,"byteOffset":0,"pfns":["1"]}]}', "RING-PKT-8"],
      ['{"type":1,"payload":"00"}', "RING-READ-3"],
    ] as const) {
      const r = cli(["ring", "write", "--file", img], line + "\n");
      expect(r.code, line).toBe(2);
      expect(r.err, line).toContain(rule);
      expect(r.err).toMatch(/--raw/);
    }
    expect(readFileSync(img)).toEqual(before);
    const raw = cli(["ring", "write", "--file", img, "--raw"], '{"type":1,"payload":"00"}\n');
    expect(raw.code).toBe(0);
    expect(raw.out).toMatch(/"outcome":"written"/);
  });
  it("host scripts reject unknown fields with the line and the field path", () => {
    for (const [line, path] of [
      ['{"kind":"postMessage","conectionId":1,"payload":"00"}', "line 1: postMessage.conectionId: unknown field"],
      ['{"kind":"postMessage","connectionId":1,"payload":"00","payloadsize":1}', "line 1: postMessage.payloadsize: unknown field"],
      ['{"kind":"run","extra":true}', "line 1: run.extra: unknown field"],
      ['{"kind":"run","__proto__":{"x":1}}', "line 1: run.__proto__: unknown field"],
      ['{"kind":"deviceAdded","device":{"name":"x","interfaceType":"f8615163-df3e-46c5-913f-f2d2f965ed0e","interfaceInstance":"00000000-0000-0000-0000-000000000001","subChannels":0,"channelFlags":0,"mmioMegabytes":0,"openResult":"ok","toString":1}}', "deviceAdded.device.toString: unknown field"],
    ] as const) {
      const r = cli(["host"], line + "\n");
      expect(r.code, line).toBe(2);
      expect(r.err, line).toContain(path);
      expect(r.out).toBe("");
    }
  });
  it("host --trace qemu is only for the qemu profile", () => {
    const r = cli(["host", "--profile", "strict", "--trace", "qemu"], "");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/only for --profile qemu/);
  });
});

describe("top level", () => {
  it("no arguments: usage on stderr, exit 2; --version; help <command>", () => {
    const none = cli([]);
    expect(none.code).toBe(2);
    expect(none.out).toBe("");
    expect(none.err).toMatch(/usage: vmbus-spec/);
    const v = cli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^vmbus-spec \d+\.\d+\.\d+\n$/);
    const h = cli(["help", "ring"]);
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/vmbus-spec ring init/);
    expect(cli(["help", "nope"]).code).toBe(2);
    expect(cli(["help", "toString"]).code).toBe(2);
    expect(cli(["constructor"]).code).toBe(2);
  });
});
