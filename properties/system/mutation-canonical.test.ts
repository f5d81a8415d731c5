/**
 * canonicalKey (spec/system/canonical.ts), the key every explored state and every replayed input
 * is compared by: its exact text for each kind of value, the order of object keys, the fields it
 * leaves out, and the values it refuses because JSON would merge them with others.
 */
import { describe, expect, it } from "vitest";
import { CanonicalError, canonicalKey } from "../../spec/system/canonical.js";

describe("canonicalKey writes plain state data as sorted JSON", () => {
  it("scalars: null, booleans, numbers and strings as JSON writes them", () => {
    expect(canonicalKey(null)).toBe("null");
    expect(canonicalKey(true)).toBe("true");
    expect(canonicalKey(false)).toBe("false");
    expect(canonicalKey(0)).toBe("0");
    expect(canonicalKey(-17.5)).toBe("-17.5");
    expect(canonicalKey(0x2001)).toBe("8193");
    expect(canonicalKey("a\"b")).toBe('"a\\"b"');
    expect(canonicalKey("")).toBe('""');
  });

  it("arrays keep their order, joined by commas", () => {
    expect(canonicalKey([])).toBe("[]");
    expect(canonicalKey([3])).toBe("[3]");
    expect(canonicalKey([3, 1, 2])).toBe("[3,1,2]");
    expect(canonicalKey([[], [null, false]])).toBe("[[],[null,false]]");
  });

  it("objects: keys sorted, undefined and function fields left out, commas only between fields", () => {
    expect(canonicalKey({})).toBe("{}");
    expect(canonicalKey({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalKey({ z: { y: [1], x: "s" }, a: true })).toBe('{"a":true,"z":{"x":"s","y":[1]}}');
    expect(canonicalKey({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalKey({ a: 1, b: undefined, c: () => 0, d: 2 })).toBe('{"a":1,"d":2}');
    expect(canonicalKey({ a: () => 0 })).toBe("{}");
    // An object without a prototype is plain data too.
    const bare = Object.create(null) as Record<string, unknown>;
    bare["k"] = 1;
    expect(canonicalKey(bare)).toBe('{"k":1}');
  });

  it("equal states built in different field orders share one key; different ones do not", () => {
    expect(canonicalKey({ a: 1, b: [1, 2] })).toBe(canonicalKey({ b: [1, 2], a: 1 }));
    expect(canonicalKey({ a: 1 })).not.toBe(canonicalKey({ a: "1" }));
    expect(canonicalKey([1, 2])).not.toBe(canonicalKey([2, 1]));
  });
});

describe("canonicalKey refuses what JSON would merge", () => {
  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["-0", -0],
    ["a bigint", 1n],
    ["a symbol", Symbol("s")],
    ["a bare undefined", undefined],
    ["a function", () => 0],
    ["a Map", new Map()],
    ["a Set", new Set([1])],
    ["a Date", new Date(0)],
    ["a class instance", new (class Channel {})()],
    ["an undefined array element", [1, undefined]],
    ["a hole in an array", [1, , 2]],
    ["a NaN deep inside", { a: [{ b: Number.NaN }] }],
  ])("%s throws CanonicalError", (_, v) => {
    expect(() => canonicalKey(v)).toThrow(CanonicalError);
  });

  it("the error names what was refused", () => {
    expect(() => canonicalKey(-0)).toThrow(/-0/);
    expect(() => canonicalKey(Number.NaN)).toThrow(/NaN/);
    expect(() => canonicalKey([0, undefined])).toThrow(/at 1/);
    expect(() => canonicalKey(new Map())).toThrow(/Map/);
    expect(() => canonicalKey(1n)).toThrow(/bigint/);
  });
});
