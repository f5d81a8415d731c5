/** WIRE-GPADL-5: a GPA range's byte_offset is below the page — encode refuses, decode reports. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, validateMessage } from "../../spec/wire/codec.js";
import type { Message } from "../../spec/wire/messages.js";

/** One range of 16 bytes at `byteOffset`, with the PFNs it spans (WIRE-GPADL-1 holds). */
const header = (byteOffset: number): Message => {
  const pfns = Array.from({ length: Math.ceil((byteOffset + 16) / 4096) }, (_, i) => String(i + 1));
  return { type: "GpadlHeader", childRelid: 1, gpadl: 2, rangeBufferLength: 8 + 8 * pfns.length, rangeCount: 1, ranges: [{ byteCount: 16, byteOffset, pfns }] } as unknown as Message;
};

describe("WIRE-GPADL-5", () => {
  it("validateMessage refuses byte_offset ≥ 4096 with the rule, accepts 0..4095", () => {
    fc.assert(
      fc.property(fc.integer({ min: 4096, max: 4096 * 20 }), (off) => {
        const v = validateMessage(header(off));
        expect(v.ok).toBe(false);
        if (!v.ok) expect(v.error.rule).toBe("WIRE-GPADL-5");
      }),
    );
    expect(validateMessage(header(4095)).ok).toBe(true);
    expect(validateMessage(header(0)).ok).toBe(true);
  });
  it("decodeMessage decodes such bytes but warns with the rule and the field", () => {
    const bad = encodeMessage(header(4096));
    const d = decodeMessage(bad);
    expect(d.ok).toBe(true);
    if (d.ok) expect(d.value.warnings).toContainEqual(expect.objectContaining({ kind: "byteOffsetBeyondPage", rule: "WIRE-GPADL-5", field: "GpadlHeader.ranges[0].byteOffset", offset: 24 }));
    const good = decodeMessage(encodeMessage(header(4095)));
    expect(good.ok && good.value.warnings.some((w) => w.rule === "WIRE-GPADL-5")).toBe(false);
  });
});
