/** The built CLI (`node dist/src/cli/main.js`) for decode / encode / layout / vectors, incl. errors. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const MAIN = resolve("dist/src/cli/main.js");

beforeAll(() => {
  // Build first (errors in other areas' in-progress files do not stop tsc from emitting).
  spawnSync(process.execPath, [resolve("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { encoding: "utf8" });
  if (!existsSync(MAIN)) throw new Error("build produced no dist/src/cli/main.js");
});

const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: "utf8", input });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const oneLine = (s: string): void => {
  expect(s.trimEnd().split("\n")).toHaveLength(1);
};

describe("vmbus-spec decode", () => {
  it("decodes the OpenVMM CLOSE_CHANNEL vector", () => {
    const r = run(["decode", "07 00 00 00 00 00 00 00 05 00 00 00"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ message: { type: "CloseChannel", childRelid: 5 }, trailingBytes: 0, warnings: [] });
  });

  it("reads hex from stdin with -", () => {
    const r = run(["decode", "-"], "1000000000000000\n");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).message).toEqual({ type: "Unload" });
  });

  it("uses --version to pick the pre-Win7 offer form", () => {
    const hex = "01000000" + "00".repeat(192);
    expect(JSON.parse(run(["decode", hex]).out).message.form).toBe("win7");
    const r = run(["decode", hex, "--version", "0.13"]);
    expect(JSON.parse(r.out).message.form).toBe("preWin7");
    expect(JSON.parse(r.out).trailingBytes).toBe(6);
  });

  it("errors: one line on stderr; exit 1 for bytes that are not a valid message, 2 for text that is not hex", () => {
    for (const [args, re, code] of [
      [["decode", "0700000000000000050000"], /^vmbus-spec decode: tooShort: CloseChannel needs 12 bytes, got 11/, 1],
      [["decode", "xyz"], /^vmbus-spec decode: bad hex/, 2],
      [["decode", "1e00000000000000"], /unknownType: unknown message type 30/, 1],
      [["decode", "070000000000000005000000", "--direction", "host-to-guest"], /wrongDirection/, 1],
      [["decode", "160000000000000001000000", "--version", "4.0"], /typeNotInVersion/, 1],
    ] as const) {
      const r = run([...args]);
      expect(r.code, args.join(" ")).toBe(code);
      expect(r.err).toMatch(re);
      oneLine(r.err);
    }
  });

  it("bad options exit 2", () => {
    expect(run(["decode", "00", "--version", "x"]).code).toBe(2);
    expect(run(["decode", "00", "--frame", "bogus"]).code).toBe(2);
    expect(run(["decode"]).code).toBe(2);
  });

  it("--frame synic decodes the slot and its message", () => {
    const slot = "01000000" + "0c" + "01" + "0000" + "00".repeat(8) + "070000000000000005000000" + "00".repeat(228);
    const r = run(["decode", slot, "--frame", "synic"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.frame.pending).toBe(true);
    expect(j.inner.message).toEqual({ type: "CloseChannel", childRelid: 5 });
  });

  it("--frame post and --frame signal", () => {
    const post = run(["decode", "04000000" + "00000000" + "01000000" + "08000000" + "0300000000000000", "--frame", "post"]);
    expect(post.code).toBe(0);
    expect(JSON.parse(post.out).inner.message).toEqual({ type: "RequestOffers" });
    const sig = run(["decode", "0520000000000000", "--frame", "signal"]);
    expect(JSON.parse(sig.out).input).toEqual({ connectionId: 0x2005, flagNumber: 0 });
  });

  it("--frame packet decodes a ring packet descriptor", () => {
    // type 6 (in-band), offset8 2, len8 3, flags 1, trans_id 7, 8 payload bytes
    const r = run(["decode", "0600" + "0200" + "0300" + "0100" + "0700000000000000" + "1122334455667788", "--frame", "packet"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect([j.type, j.offset8, j.len8, j.flags, j.transId, j.payload]).toEqual([6, 2, 3, 1, "7", "1122334455667788"]);
  });
});

describe("vmbus-spec encode", () => {
  it("encodes JSON to canonical hex", () => {
    const r = run(["encode", '{"type":"CloseChannel","childRelid":5}']);
    expect(r.code).toBe(0);
    expect(r.out).toBe("070000000000000005000000\n");
  });

  it("decode | encode round trip through stdin", () => {
    const hex = "0e000000000000000300050001000000020000000000000000100000000000000020000000000000";
    const d = JSON.parse(run(["decode", hex]).out);
    expect(run(["encode", "-"], JSON.stringify(d.message)).out.trim()).toBe(hex);
  });

  it("errors name the bad field on one line: exit 2 for input that is not a message, 1 for a message breaking a wire rule", () => {
    for (const [json, re, code] of [
      ['{"type":"OpenChannel","form":"v1","childRelid":1,"openId":1,"ringBufferGpadlHandle":1,"targetVp":0,"downstreamRingBufferPageOffset":1,"userData":"00"}', /OpenChannel\.userData: expected 240 hex digits/, 2],
      ['{"type":"CloseChannel","childRelid":-1}', /CloseChannel\.childRelid: expected u32/, 2],
      ['{"type":"CloseChannel","childRelid":1,"extra":2}', /CloseChannel\.extra: unknown field/, 2],
      // Keys of Object.prototype are unknown fields like any other (they once slipped through an `in` check).
      ['{"type":"CloseChannel","childRelid":1,"toString":2}', /CloseChannel\.toString: unknown field/, 2],
      ['{"type":"CloseChannel","childRelid":1,"constructor":2}', /CloseChannel\.constructor: unknown field/, 2],
      ['{"type":"CloseChannel","childRelid":1,"hasOwnProperty":2}', /CloseChannel\.hasOwnProperty: unknown field/, 2],
      ['{"type":"CloseChannel","childRelid":1,"__proto__":2}', /CloseChannel\.__proto__: unknown field/, 2],
      ['{"type":"Bogus"}', /message\.type: expected a message type name/, 2],
      ['{"type":"OpenChannel","form":"v9"}', /OpenChannel\.form: expected one of "v1", "openChannel2"/, 2],
      ["{not json", /bad JSON/, 2],
      ['{"type":"GpadlHeader","childRelid":1,"gpadl":2,"rangeBufferLength":16,"rangeCount":1,"ranges":[{"byteCount":8192,"byteOffset":0,"pfns":["1","2"]}]}', /countMismatch/, 1],
      ['{"type":"InitiateContact","form":"interruptPage","vmbusVersionRequested":327680,"targetVcpu":0,"interruptPage":"0","monitorPage1":"0","monitorPage2":"0"}', /InitiateContact\.form: interruptPage form is for versions below 5\.0/, 1],
    ] as const) {
      const r = run(["encode", json]);
      expect(r.code, json).toBe(code);
      expect(r.err).toMatch(re);
      oneLine(r.err);
    }
  });
});

describe("vmbus-spec layout", () => {
  it("prints one layout, all layouts, and JSON", () => {
    const one = run(["layout", "offerchannel.prewin7"]);
    expect(one.code).toBe(0);
    expect(one.out).toMatch(/^OfferChannel\.preWin7 .*\(190 bytes\)/);
    const all = run(["layout"]);
    for (const n of ["SynicMessage", "HvPostMessageInput", "MonitorPage", "GpadlBody", "PacketDescriptor"]) expect(all.out).toContain(n);
    const j = JSON.parse(run(["layout", "GpadlHeader", "--json"]).out);
    expect(j.size).toBe(20);
  });

  it("an unknown name exits 1 and lists close names", () => {
    const r = run(["layout", "OferChannel"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/close names: OfferChannel/);
    oneLine(r.err);
  });
});

describe("vmbus-spec vectors", () => {
  it("writes files and prints a summary object with --json", () => {
    const dir = mkdtempSync(join(tmpdir(), "vmbus-cli-vectors-"));
    try {
      const r = run(["vectors", "--out", dir, "--json"]);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.out);
      expect(s.wire.files).toBe(readdirSync(join(dir, "wire")).length);
      expect(s.wire.invalid).toBeGreaterThan(0);
      expect(r.err).toBe("");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--out is required (exit 2)", () => {
    expect(run(["vectors"]).code).toBe(2);
  });
});
