/**
 * Hex, U64 and GUID helpers of spec/wire (hex.ts, u64.ts, guid.ts, gparange.ts): the accepted
 * syntax at its edges, the typed errors, the mixed-endian GUID order (WIRE-GUID-1) and the PFN
 * count of a range (WIRE-GPADL-1).
 */
import { describe, expect, it } from "vitest";
import { guidToBytes, isCanonicalGuid, parseGuid, readGuid, writeGuid } from "../../spec/wire/guid.js";
import { pfnCount, rangeDataBytes } from "../../spec/wire/gparange.js";
import { bytesToHex, describeHexError, hexToBytes } from "../../spec/wire/hex.js";
import { isU64, U64_MAX, u64Value } from "../../spec/wire/u64.js";

const hex = (s: string) => {
  const r = hexToBytes(s);
  return r.ok ? [...r.value] : r.error;
};

describe("hex / u64 / GUID helpers (mutation)", () => {
  it("hexToBytes: plain digits either case; 0x, whitespace, ':' and '-' separators; typed errors", () => {
    expect(bytesToHex(Uint8Array.from([0, 9, 10, 255]))).toBe("00090aff");
    expect(hex("00aAfF")).toEqual([0, 0xaa, 0xff]);
    expect(hex("")).toEqual([]);
    expect(hex("0x0a")).toEqual([10]);
    expect(hex("0X0a")).toEqual([10]);
    expect(hex(" 01:02-03\t04\n05\r06 ")).toEqual([1, 2, 3, 4, 5, 6]);
    expect(hex("0g")).toEqual({ kind: "badDigit", index: 1, char: "g" });
    expect(hex("é0")).toEqual({ kind: "badDigit", index: 0, char: "é" });
    expect(hex("0é")).toEqual({ kind: "badDigit", index: 1, char: "é" });
    expect(hex("abc")).toEqual({ kind: "oddLength", length: 3 });
    expect(hex("a b c")).toEqual({ kind: "oddLength", length: 3 });
    expect(hex("x0")).toEqual({ kind: "badDigit", index: 0, char: "x" });
    expect(describeHexError({ kind: "oddLength", length: 3 })).toContain("3");
    expect(describeHexError({ kind: "badDigit", index: 4, char: "q" })).toContain("'q'");
  });

  it("WIRE-FIELD-2: U64 is a canonical decimal string 0..2^64-1", () => {
    for (const s of ["0", "1", "18446744073709551615", "10000000000000000000"]) expect(isU64(s)).toBe(true);
    for (const s of ["18446744073709551616", "01", "-1", "", "1.0", " 1", "1 ", "99999999999999999999", "100000000000000000000", 1, null]) expect(isU64(s)).toBe(false);
    expect(u64Value("18446744073709551615")).toBe(U64_MAX);
    expect(u64Value("12")).toBe(12n);
    expect(u64Value("x")).toBe(0n);
  });

  it("WIRE-GUID-1: parse either case, read/write in mixed-endian order, errors are typed", () => {
    expect(parseGuid("ABCDEF01-2345-6789-ABCD-EF0123456789")).toEqual({ ok: true, value: "abcdef01-2345-6789-abcd-ef0123456789" });
    for (const bad of ["abcdef01-2345-6789-abcd-ef012345678", "abcdef01-2345-6789-abcd-ef01234567890", "abcdef0123456789abcdef0123456789", "gbcdef01-2345-6789-abcd-ef0123456789", " abcdef01-2345-6789-abcd-ef0123456789"])
      expect(parseGuid(bad)).toMatchObject({ ok: false, error: { kind: "badGuidSyntax", text: bad } });
    expect(isCanonicalGuid("abcdef01-2345-6789-abcd-ef0123456789")).toBe(true);
    expect(isCanonicalGuid("ABCDEF01-2345-6789-ABCD-EF0123456789")).toBe(false);
    expect(isCanonicalGuid("abcdef01")).toBe(false);
    const b = guidToBytes("00112233-4455-6677-8899-aabbccddeeff");
    expect(b.ok && [...b.value]).toEqual([0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
    expect(guidToBytes("nope").ok).toBe(false);
    const w = new Uint8Array(18);
    if (b.ok) w.set(b.value, 2);
    expect(readGuid(w, 2)).toEqual({ ok: true, value: "00112233-4455-6677-8899-aabbccddeeff" });
    expect(readGuid(w, 3)).toMatchObject({ ok: false, error: { kind: "guidTooShort", need: 19, got: 18 } });
    expect(readGuid(w, -1)).toMatchObject({ ok: false, error: { kind: "guidTooShort" } });
    expect(readGuid(new Uint8Array(16))).toEqual({ ok: true, value: "00000000-0000-0000-0000-000000000000" });
    // writeGuid: only whole GUIDs inside the buffer, never a partial write or a throw
    const o = new Uint8Array(17);
    writeGuid(o, 1, "ffffffff-ffff-ffff-ffff-ffffffffffff");
    expect([...o]).toEqual([0, ...new Array(16).fill(0xff)]);
    const p = new Uint8Array(17);
    writeGuid(p, 2, "ffffffff-ffff-ffff-ffff-ffffffffffff");
    writeGuid(p, -1, "ffffffff-ffff-ffff-ffff-ffffffffffff");
    writeGuid(p, 0, "bad");
    expect(p.every((x) => x === 0)).toBe(true);
  });

  it("WIRE-GPADL-1: a range spans ceil((byte_offset + byte_count) / 4096) pages", () => {
    expect(pfnCount(0, 0)).toBe(0);
    expect(pfnCount(0, 1)).toBe(1);
    expect(pfnCount(0, 4096)).toBe(1);
    expect(pfnCount(1, 4096)).toBe(2);
    expect(pfnCount(4095, 1)).toBe(1);
    expect(pfnCount(4095, 2)).toBe(2);
    expect(rangeDataBytes(1, 4096)).toBe(24);
  });
});
