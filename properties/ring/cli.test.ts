/** The ring CLI on the built binary (dist/src/cli/main.js): init, write, read, show, wrap, full, fault, bad input. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const MAIN = resolve("dist/src/cli/main.js");
const dir = mkdtempSync(join(tmpdir(), "vmbus-ring-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], input = ""): { code: number; out: Record<string, unknown>[]; err: string } => {
  const r = spawnSync(process.execPath, [MAIN, "ring", ...args], { input, encoding: "utf8" });
  const out = r.stdout.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.status ?? -1, out, err: r.stderr };
};
const lines = (...objs: unknown[]): string => objs.map((o) => JSON.stringify(o)).join("\n") + "\n";

describe("vmbus-spec ring", () => {
  it("init → write → show → read round trip, with the signal decisions", () => {
    const f = join(dir, "a.img");
    expect(cli(["init", "--file", f, "--data-size", "4096"]).code).toBe(0);
    expect(readFileSync(f).length).toBe(8192);
    const w = cli(["write", "--file", f], lines({ type: 6, flags: 1, transId: "42", payload: "0102030405" }, { payload: "aa", transId: 7 }));
    expect(w.code).toBe(0);
    expect(w.out).toEqual([
      { outcome: "written", signal: true, writeIndexBefore: 0, writeIndexAfter: 32, bytes: 32 },
      { outcome: "written", signal: false, writeIndexBefore: 32, writeIndexAfter: 64, bytes: 32 },
    ]);
    const s = cli(["show", "--file", f]);
    expect(s.out[0]).toMatchObject({ dataSize: 4096, control: { writeIndex: 64, readIndex: 0, featureBits: 1 } });
    expect((s.out[0]!.packets as unknown[]).length).toBe(2);
    const r = cli(["read", "--file", f]);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      { type: 6, flags: 1, transId: "42", offset8: 2, len8: 3, payload: "0102030405000000", start: 0, next: 32, signal: false },
      { type: 6, flags: 0, transId: "7", offset8: 2, len8: 3, payload: "aa00000000000000", start: 32, next: 64, signal: false },
    ]);
    expect(cli(["read", "--file", f]).out).toEqual([]);
  });

  it("a packet that wraps around the end of the data area, and GPA-direct ranges", () => {
    const f = join(dir, "wrap.img");
    cli(["init", "--file", f, "--data-size", "64", "--write-index", "48", "--read-index", "48"]);
    const gpa = { type: 9, transId: "18446744073709551615", payload: "", ranges: [{ byteCount: 10, byteOffset: 4090, pfns: ["1", "2"] }] };
    const w = cli(["write", "--file", f, "--batch"], lines(gpa));
    expect(w.out).toEqual([{ outcome: "written", signal: true, writeIndexBefore: 48, writeIndexAfter: 40, bytes: 56 }]);
    const r = cli(["read", "--file", f]);
    expect(r.out[0]).toMatchObject({ type: 9, transId: "18446744073709551615", offset8: 6, len8: 6, payload: "", ranges: gpa.ranges, start: 48, next: 40 });
  });

  it("full: keeps going, sets pending_send_sz, exits 1; the reader then signals the writer", () => {
    const f = join(dir, "full.img");
    cli(["init", "--file", f, "--data-size", "128"]);
    const big = { payload: "00".repeat(24) }; // 16 + 24 + 8 = 48 bytes
    const w = cli(["write", "--file", f], lines(big, big, big, { payload: "" }));
    expect(w.code).toBe(1);
    expect(w.out.map((o) => o.outcome)).toEqual(["written", "written", "full", "written"]);
    expect(w.out[2]).toMatchObject({ needed: 48, available: 32 });
    expect(cli(["show", "--file", f]).out[0]!.control).toMatchObject({ pendingSendSize: 0 }); // the later write cleared it
    const w2 = cli(["write", "--file", f], lines(big));
    expect(w2.out[0]).toMatchObject({ outcome: "full", available: 8 });
    expect(cli(["show", "--file", f]).out[0]!.control).toMatchObject({ pendingSendSize: 49 }); // strict: total + 1
    // Freeing 48 bytes makes avail 56 > 49: the packet fits now, so the reader signals — once.
    expect(cli(["read", "--file", f, "--max", "1"]).out[0]).toMatchObject({ signal: true, next: 48 });
    expect(cli(["read", "--file", f]).out.map((o) => o.signal)).toEqual([false, false]);
  });

  it("a fault: bad offset8 in a hand-made image → {fault, rule} and exit 1; the Linux profile clamps instead", () => {
    const f = join(dir, "bad.img");
    cli(["init", "--file", f, "--data-size", "64", "--write-index", "24"]);
    const img = readFileSync(f);
    img.set([6, 0, 1, 0, 2, 0, 0, 0], 4096); // offset8 = 1
    writeFileSync(f, img);
    const r = cli(["read", "--file", f]);
    expect(r.code).toBe(1);
    expect(r.out).toEqual([expect.objectContaining({ fault: "offset8TooSmall", rule: "RING-PKT-2", offset8: 1 })]);
    const l = cli(["read", "--file", f, "--profile", "linux"]);
    expect(l.code).toBe(0);
    expect(l.out[0]).toMatchObject({ offset8: 2, len8: 2 });
    const g = join(dir, "idx.img");
    cli(["init", "--file", g, "--data-size", "64", "--write-index", "100"]);
    expect(cli(["read", "--file", g]).out[0]).toMatchObject({ fault: "indexOutOfRange", rule: "RING-IDX-1" });
  });

  it("a bad JSON line names the line and the field path, exits 2 and writes nothing", () => {
    const f = join(dir, "json.img");
    cli(["init", "--file", f, "--data-size", "64"]);
    const before = readFileSync(f);
    const r = cli(["write", "--file", f], lines({ payload: "00" }, { payload: "00", flags: -1 }));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/line 2: Packet\.flags: expected u16/);
    expect(cli(["write", "--file", f], '{"payload": "00"\n').err).toMatch(/line 1: not JSON/);
    expect(cli(["write", "--file", f], lines({ type: 9, payload: "", ranges: [{ byteCount: 1, byteOffset: 0, pfns: [5] }] })).err).toMatch(/line 1: Packet\.ranges\[0\]\.pfns\[0\]: expected u64/);
    expect(cli(["write", "--file", f], lines({ payload: "00", bogus: 1 })).err).toMatch(/Packet\.bogus: unknown field/);
    expect(readFileSync(f)).toEqual(before);
  });

  it("usage errors exit 2", () => {
    expect(cli(["init", "--file", join(dir, "x.img"), "--data-size", "60"]).code).toBe(2);
    expect(cli(["read", "--file", join(dir, "missing.img")]).code).toBe(3); // a file error (docs/cli.md)
    expect(cli(["read", "--file", join(dir, "a.img"), "--profile", "hyperv"]).code).toBe(2);
    expect(cli(["frobnicate"]).code).toBe(2);
    expect(execFileSync(process.execPath, [MAIN, "ring", "--help"], { encoding: "utf8" })).toMatch(/ring write/);
  });
});
