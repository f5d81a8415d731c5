import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage } from "../../spec/wire/codec.js";
import { bytesStillNeeded, reassembleGpadl, splitGpadl } from "../../spec/wire/gpadl.js";
import type { GpadlHeader, GpaRange } from "../../spec/wire/messages.js";
import { arbGpadlRanges } from "./arbitraries.js";

const pages = (n: number, from = 1): GpaRange => ({ byteCount: n * 4096, byteOffset: 0, pfns: Array.from({ length: n }, (_, i) => String(from + i)) });

describe("GPADL split / reassemble", () => {
  it("reassemble ∘ split = identity; every message is ≤ 240 bytes and round-trips through the codec", () => {
    fc.assert(
      fc.property(arbGpadlRanges, fc.integer({ min: 1, max: 27 }), fc.integer({ min: 1, max: 28 }), (ranges, hv, bv) => {
        const s = splitGpadl(3, 0xe1e10, ranges, { headerValues: hv, bodyValues: bv });
        if (!s.ok) throw new Error(s.error.message);
        for (const m of [s.value.header, ...s.value.bodies]) {
          const b = encodeMessage(m);
          expect(b.length).toBeLessThanOrEqual(240);
          expect(decodeMessage(b)).toEqual({ ok: true, value: { message: m, trailingBytes: 0, warnings: [] } });
        }
        expect(bytesStillNeeded(s.value.header, s.value.bodies)).toBe(0);
        expect(reassembleGpadl(s.value.header, s.value.bodies)).toEqual({ ok: true, value: { childRelid: 3, gpadl: 0xe1e10, ranges, ignoredValues: 0 } });
      }),
      { numRuns: 200 },
    );
  });

  it("regression (seed 1495214687): header full exactly at a range boundary; the next range's header goes to the body", () => {
    const ranges: GpaRange[] = [{ byteCount: 20481, byteOffset: 0, pfns: ["0", "0", "0", "0", "0", "0"] }, { byteCount: 0, byteOffset: 0, pfns: [] }];
    const s = splitGpadl(3, 4, ranges, { headerValues: 7, bodyValues: 1 });
    if (!s.ok) throw new Error(s.error.message);
    expect(s.value.bodies.map((b) => b.pfns)).toEqual([["0"]]); // range header value of {0, 0}
    expect(reassembleGpadl(s.value.header, s.value.bodies)).toEqual({ ok: true, value: { childRelid: 3, gpadl: 4, ranges, ignoredValues: 0 } });
  });

  it("Linux style (WIRE-GPADL-3, WIRE-GPADL-4): one range of 100 pages -> header with 26 PFNs, bodies of 28, 28, 18", () => {
    const s = splitGpadl(1, 2, [pages(100)]);
    if (!s.ok) throw new Error(s.error.message);
    expect(s.value.header.rangeBufferLength).toBe(8 + 8 * 100);
    expect(s.value.header.rangeCount).toBe(1);
    expect(s.value.header.ranges[0]!.pfns).toHaveLength(26);
    expect(s.value.bodies.map((b) => b.pfns.length)).toEqual([28, 28, 18]);
    expect(encodeMessage(s.value.header)).toHaveLength(240 - 4); // 20 + 8 + 26·8 = 236
  });

  it("UEFI-style maximum-length last body: extra values are ignored and counted", () => {
    const s = splitGpadl(1, 2, [pages(30)]);
    if (!s.ok) throw new Error(s.error.message);
    const body = s.value.bodies[0]!;
    const padded = { ...body, pfns: [...body.pfns, ...Array<string>(28 - body.pfns.length).fill("12345")] };
    const r = reassembleGpadl(s.value.header, [padded]);
    expect(r.ok && r.value.ignoredValues).toBe(24);
  });

  const h = (over: Partial<GpadlHeader>): GpadlHeader => ({ type: "GpadlHeader", childRelid: 1, gpadl: 2, rangeBufferLength: 24, rangeCount: 1, ranges: [pages(2)], ...over });
  const cases: readonly [string, () => { ok: boolean; error?: { kind: string } }, string][] = [
    ["PFN count ≠ ceil((offset+count)/4096) (WIRE-GPADL-1)", () => splitGpadl(1, 2, [{ byteCount: 4097, byteOffset: 0, pfns: ["1"] }]), "pfnCountMismatch"],
    ["byte_offset > 0xFFF (WIRE-GPADL-5)", () => splitGpadl(1, 2, [{ byteCount: 1, byteOffset: 4096, pfns: ["1", "2"] }]), "badByteOffset"],
    ["range_buflen beyond u16 (WIRE-GPADL-2)", () => splitGpadl(1, 2, [pages(9000)]), "badRangeBufferLength"],
    ["a body after the GPADL is complete (WIRE-GPADL-6)", () => reassembleGpadl(h({}), [{ type: "GpadlBody", msgNumber: 0, gpadl: 2, pfns: ["9"] }]), "tooMuchData"],
    ["too little data", () => reassembleGpadl(h({ rangeBufferLength: 32, ranges: [{ byteCount: 3 * 4096, byteOffset: 0, pfns: ["1", "2"] }] }), []), "tooLittleData"],
    ["a body for another GPADL", () => reassembleGpadl(h({ rangeBufferLength: 32, ranges: [{ byteCount: 3 * 4096, byteOffset: 0, pfns: ["1", "2"] }] }), [{ type: "GpadlBody", msgNumber: 0, gpadl: 9, pfns: ["3"] }]), "gpadlMismatch"],
    ["rangecount larger than the data", () => reassembleGpadl(h({ rangeCount: 2 }), []), "rangeCountMismatch"],
    ["data left after rangecount ranges", () => reassembleGpadl(h({ rangeBufferLength: 40, rangeCount: 1, ranges: [pages(2), pages(1)] }), []), "rangeCountMismatch"],
    ["range_buflen not a multiple of 8", () => reassembleGpadl(h({ rangeBufferLength: 25 }), []), "badRangeBufferLength"],
  ];
  for (const [name, run, kind] of cases)
    it(`error: ${name}`, () => {
      const r = run();
      expect(r.ok).toBe(false);
      expect(r.error?.kind).toBe(kind);
    });
});
