/**
 * validateMessage on GPADL_HEADER range lists built by hand: the range count against the list
 * (WIRE-GPADL-2), the PFN count of each range read back by the decoder (WIRE-GPADL-1), the u32
 * range fields at their top value and the first PFN (WIRE-FIELD-2), and a header without ranges.
 */
import { describe, expect, it } from "vitest";
import { validateMessage } from "../../spec/wire/codec.js";
import type { Message } from "../../spec/wire/messages.js";

type Rec = Record<string, unknown>;
const header = (ranges: unknown, extra: Rec = {}): Rec => ({ type: "GpadlHeader", childRelid: 1, gpadl: 2, rangeBufferLength: 16, rangeCount: 1, ranges, ...extra });
const v = (m: Rec) => validateMessage(m as unknown as Message);
const errorOf = (m: Rec) => {
  const r = v(m);
  return r.ok ? "valid" : { kind: r.error.kind, rule: r.error.rule, field: r.error.field };
};
const one = (pfn: string) => ({ byteCount: 1, byteOffset: 0, pfns: [pfn] });

describe("validateMessage: GPADL_HEADER ranges (mutation)", () => {
  it("WIRE-GPADL-2: a header never carries more ranges than its rangeCount (fewer: the rest are in bodies)", () => {
    expect(errorOf(header([one("10"), one("11")], { rangeCount: 1, rangeBufferLength: 16 }))).toEqual({ kind: "countMismatch", rule: "WIRE-GPADL-2", field: "GpadlHeader.rangeCount" });
    expect(errorOf(header([one("10"), one("11")], { rangeCount: 2, rangeBufferLength: 32 }))).toBe("valid");
    // rangeCount 2 with one range in the header: the second range follows in a body
    expect(errorOf(header([one("10")], { rangeCount: 2, rangeBufferLength: 32 }))).toBe("valid");
  });

  it("WIRE-GPADL-1: a range with fewer PFNs than it spans shifts the ranges after it (the first range fits)", () => {
    // range 1 spans 2 pages but has 1 PFN: the decoder gives it range 2's header as its second PFN
    const ranges = [one("10"), { byteCount: 4097, byteOffset: 0, pfns: ["11"] }, { byteCount: 5, byteOffset: 0, pfns: ["1", "12"] }];
    expect(errorOf(header(ranges, { rangeCount: 3, rangeBufferLength: 56 }))).toEqual({ kind: "countMismatch", rule: "WIRE-GPADL-1", field: "GpadlHeader.ranges" });
  });

  it("WIRE-FIELD-2: a header needs a ranges array; u32 range fields reach 0xffffffff; the first PFN is checked", () => {
    expect(errorOf(header(undefined))).toEqual({ kind: "badField", rule: "WIRE-FIELD-2", field: "GpadlHeader.ranges" });
    // byteCount 0xffffffff is a u32: it passes the field check and fails the PFN count (decoder)
    expect(errorOf(header([{ byteCount: 0xffffffff, byteOffset: 0, pfns: ["1"] }]))).toEqual({ kind: "countMismatch", rule: "WIRE-GPADL-1", field: undefined });
    expect(errorOf(header([{ byteCount: 0x100000000, byteOffset: 0, pfns: ["1"] }]))).toEqual({ kind: "badField", rule: "WIRE-FIELD-2", field: "GpadlHeader.ranges[0].byteCount" });
    expect(errorOf(header([{ byteCount: 1, byteOffset: 0, pfns: [1] }]))).toEqual({ kind: "badField", rule: "WIRE-FIELD-2", field: "GpadlHeader.ranges[0].pfns[0]" });
  });
});
