/**
 * The byte helpers under every codec (spec/wire/hex.ts, guid.ts, fields.ts) at edges the other
 * tests leave open: characters just above ASCII in the hex fast path, blanks before a "0x"
 * prefix, a GUID written at offset 0 (WIRE-GUID-1), and a byte-blob field with no value.
 */
import { describe, expect, it } from "vitest";
import { writeField } from "../../spec/wire/fields.js";
import { writeGuid } from "../../spec/wire/guid.js";
import { hexToBytes } from "../../spec/wire/hex.js";
import type { Field } from "../../spec/wire/layout.js";

const hex = (s: string) => {
  const r = hexToBytes(s);
  return r.ok ? [...r.value] : r.error;
};

describe("byte helpers (mutation)", () => {
  it("hexToBytes: U+0080 is not a hex digit in either place of a pair; blanks before 0x are trimmed", () => {
    expect(hex("\u00800")).toEqual({ kind: "badDigit", index: 0, char: "\u0080" });
    expect(hex("0\u0080")).toEqual({ kind: "badDigit", index: 1, char: "\u0080" });
    expect(hex(" 0x0a")).toEqual([10]);
    expect(hex("\f0a\v")).toEqual([10]);
  });

  it("WIRE-GUID-1: writeGuid writes at offset 0 in mixed-endian order", () => {
    const out = new Uint8Array(16);
    writeGuid(out, 0, "00112233-4455-6677-8899-aabbccddeeff");
    expect([...out]).toEqual([0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
  });

  it("writeField: a byte-blob field without a value (or with a non-string) writes nothing and does not throw", () => {
    const f: Field = { name: "userData", offset: 0, size: 4, type: "bytes", names: {} };
    const out = new Uint8Array(4);
    writeField(out, 0, f, undefined);
    writeField(out, 0, f, 7);
    expect([...out]).toEqual([0, 0, 0, 0]);
    writeField(out, 0, f, "0102030405");
    expect([...out]).toEqual([1, 2, 3, 4]);
  });
});
