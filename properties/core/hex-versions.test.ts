import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes } from "../../spec/wire/hex.js";
import { ALL_VERSIONS, formatVersion, parseVersion, Version } from "../../spec/wire/versions.js";

describe("hex", () => {
  it("round-trips arbitrary bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const back = hexToBytes(bytesToHex(bytes));
        expect(back.ok && Array.from(back.value)).toEqual(Array.from(bytes));
      }),
    );
  });
  it("is total on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 64 }), (s) => {
      const r = hexToBytes(s);
      expect(typeof r.ok).toBe("boolean");
    }));
  });
  it("names the problem", () => {
    expect(hexToBytes("abc")).toEqual({ ok: false, error: { kind: "oddLength", length: 3 } });
    expect(hexToBytes("0g")).toEqual({ ok: false, error: { kind: "badDigit", index: 1, char: "g" } });
    const spaced = hexToBytes("0x07 00:00-00");
    expect(spaced.ok && Array.from(spaced.value)).toEqual([7, 0, 0, 0]);
  });
});

describe("versions", () => {
  it("has the eleven versions with their numeric values", () => {
    expect(ALL_VERSIONS.map(formatVersion)).toEqual(["0.13", "1.1", "2.4", "3.0", "4.0", "4.1", "5.0", "5.1", "5.2", "5.3", "6.0"]);
    expect(Version.WS2008).toBe(0x0000000d);
    expect(Version.WIN10).toBe(0x00040000);
    expect(Version.WIN10_V6_0).toBe(0x00060000);
  });
  it("parses M.m and rejects junk", () => {
    expect(parseVersion("4.0")).toBe(0x00040000);
    expect(parseVersion("0.13")).toBe(0x0000000d);
    expect(parseVersion("65535.65535")).toBe(0xffffffff);
    for (const bad of ["4", "4.", ".1", "4.0.1", "x.y", "65536.0", "-1.0"]) expect(parseVersion(bad)).toBeUndefined();
  });
});
