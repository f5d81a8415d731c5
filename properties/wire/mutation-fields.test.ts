/**
 * The generic field codec (spec/wire/fields.ts): little-endian at the field's offset
 * (WIRE-FIELD-2), truncation of out-of-range values (encode is total), GUID order (WIRE-GUID-1),
 * reserved bytes reported only inside their field (WIRE-HDR-3).
 */
import { describe, expect, it } from "vitest";
import { isValueField, nonZeroReserved, readField, readFields, writeField, writeFields } from "../../spec/wire/fields.js";
import type { Field, Layout } from "../../spec/wire/layout.js";

const f = (type: Field["type"], size: number, offset = 1, name = "x"): Field => ({ name, offset, size, type, names: {} });
const written = (field: Field, v: unknown, len = 24): number[] => {
  const b = new Uint8Array(len);
  writeField(b, 2, field, v);
  return [...b];
};

describe("field codec (mutation)", () => {
  it("WIRE-FIELD-2: integers little-endian at base + offset, truncated to the field", () => {
    expect(written(f("u8", 1), 0x1ff, 5)).toEqual([0, 0, 0, 0xff, 0]);
    expect(written(f("u16", 2), 0x12345, 6)).toEqual([0, 0, 0, 0x45, 0x23, 0]);
    expect(written(f("u32", 4), 0x1_8765_4321, 8)).toEqual([0, 0, 0, 0x21, 0x43, 0x65, 0x87, 0]);
    expect(written(f("u32", 4), -1, 8)).toEqual([0, 0, 0, 255, 255, 255, 255, 0]);
    expect(written(f("u32", 4), 7.9, 8)).toEqual([0, 0, 0, 7, 0, 0, 0, 0]);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, "5", undefined]) expect(written(f("u32", 4), bad, 8)).toEqual(new Array(8).fill(0));
    const b = Uint8Array.from([9, 0x34, 0x12, 0x78, 0x56, 0x34, 0xf2]);
    expect(readField(b, 0, f("u8", 1))).toBe(0x34);
    expect(readField(b, 0, f("u16", 2))).toBe(0x1234);
    expect(readField(b, 1, f("u16", 2, 0))).toBe(0x1234);
    expect(readField(b, 2, f("u32", 4, 1))).toBe(0xf2345678);
    expect(readField(b, 0, f("u32", 4))).toBe(0x56781234);
  });

  it("WIRE-FIELD-2: u64 as a decimal string, both words; non-strings write zero", () => {
    const u = f("u64", 8);
    expect(written(u, "18446744073709551615", 12)).toEqual([0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 0]);
    expect(written(u, "4294967297", 12)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(written(u, 5, 12)).toEqual(new Array(12).fill(0));
    const b = new Uint8Array(12);
    writeField(b, 2, u, "4294967297");
    expect(readField(b, 2, u)).toBe("4294967297");
    b.fill(0xff);
    expect(readField(b, 0, u)).toBe("18446744073709551615");
  });

  it("WIRE-GUID-1 / bytes: GUIDs in mixed-endian order, hex bytes cut to the field, bad text writes nothing", () => {
    const g = f("guid", 16, 0);
    const b = new Uint8Array(18);
    writeField(b, 1, g, "00112233-4455-6677-8899-aabbccddeeff");
    expect([...b]).toEqual([0, 0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0]);
    expect(readField(b, 1, g)).toBe("00112233-4455-6677-8899-aabbccddeeff");
    expect(readField(new Uint8Array(10), 0, g)).toBe("");
    expect(written(g, 7, 18)).toEqual(new Array(18).fill(0));
    const h = f("bytes", 2);
    expect(written(h, "aabbcc", 6)).toEqual([0, 0, 0, 0xaa, 0xbb, 0]);
    expect(written(h, "zz", 6)).toEqual(new Array(6).fill(0));
    expect(written(h, 12, 6)).toEqual(new Array(6).fill(0));
    expect(readField(Uint8Array.from([1, 2, 3, 4]), 1, h)).toBe("0304");
    expect(readField(Uint8Array.from([1, 2, 3, 4]), 0, f("reserved", 2, 0))).toBe("0102");
    expect(written(f("reserved", 2), 0xffff, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(written(f("array", 8), "ff", 12)).toEqual(new Array(12).fill(0));
  });

  it("WIRE-HDR-3: nonZeroReserved reports a reserved field with any non-zero byte inside it, and only then", () => {
    const layout: Layout = { name: "L", title: "t", size: 8, source: "s", fields: [f("u8", 1, 0, "a"), f("reserved", 3, 1, "r"), f("u32", 4, 4, "b")] };
    const at = (i: number, base = 0) => {
      const b = new Uint8Array(10);
      b[i] = 1;
      return nonZeroReserved(b, base, layout).map((x) => x.name);
    };
    expect(at(0)).toEqual([]);
    expect(at(1)).toEqual(["r"]);
    expect(at(3)).toEqual(["r"]);
    expect(at(4)).toEqual([]);
    expect(at(4, 2)).toEqual(["r"]);
    expect(at(1, 2)).toEqual([]);
    // a reserved field cut off by the end of the bytes is read as far as it goes
    expect(nonZeroReserved(Uint8Array.from([0, 0, 1]), 0, layout).map((x) => x.name)).toEqual(["r"]);
    expect(nonZeroReserved(Uint8Array.from([0, 0]), 0, layout)).toEqual([]);
  });

  it("readFields / writeFields: value fields only (not msgtype, reserved or arrays); missing values write zero", () => {
    const layout: Layout = { name: "L", title: "t", size: 12, source: "s", fields: [f("u32", 4, 0, "msgtype"), f("reserved", 2, 4, "pad"), f("u16", 2, 6, "v"), f("array", 4, 8, "list")] };
    expect(layout.fields.map(isValueField)).toEqual([false, false, true, false]);
    const b = Uint8Array.from([1, 0, 0, 0, 5, 5, 0x34, 0x12, 9, 9, 9, 9]);
    expect(readFields(b, 0, layout)).toEqual({ v: 0x1234 });
    const o = new Uint8Array(12).fill(0xee);
    writeFields(o, 0, layout, { msgtype: 3, pad: 7, v: 0x102 });
    expect([...o]).toEqual([0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 2, 1, 0xee, 0xee, 0xee, 0xee]);
    writeFields(o, 0, layout, {});
    expect([o[6], o[7]]).toEqual([0, 0]);
  });
});
