/**
 * splitGpadl / reassembleGpadl (spec/wire/gpadl.ts) at each boundary, with the rule of every
 * error (WIRE-GPADL-1/2/3/5/6, WIRE-FIELD-2) and the exact header/body contents.
 */
import { describe, expect, it } from "vitest";
import { bytesStillNeeded, checkRange, headerDataBytes, reassembleGpadl, splitGpadl } from "../../spec/wire/gpadl.js";
import type { GpadlBody, GpadlHeader, GpaRange } from "../../spec/wire/messages.js";

const pages = (n: number, first = 1): GpaRange => ({ byteCount: n * 4096, byteOffset: 0, pfns: Array.from({ length: n }, (_, i) => String(first + i)) });
const errOf = (r: { ok: boolean; error?: { kind: string; rule: string } }): string => (r.ok ? "ok" : `${r.error!.kind} ${r.error!.rule}`);
const hdr = (over: Partial<GpadlHeader>): GpadlHeader => ({ type: "GpadlHeader", childRelid: 1, gpadl: 2, rangeBufferLength: 16, rangeCount: 1, ranges: [pages(1)], ...over });
const body = (pfns: string[], gpadl = 2): GpadlBody => ({ type: "GpadlBody", msgNumber: 0, gpadl, pfns });

describe("GPADL split and reassembly (mutation)", () => {
  it("checkRange: WIRE-GPADL-5 byte_offset below the page, WIRE-GPADL-1 PFN count, WIRE-FIELD-2 PFN values", () => {
    expect(checkRange({ byteCount: 1, byteOffset: 4095, pfns: ["1"] }, 0)).toBeUndefined();
    expect(checkRange({ byteCount: 1, byteOffset: 4096, pfns: ["1", "2"] }, 0)?.rule).toBe("WIRE-GPADL-5");
    expect(checkRange({ byteCount: 2, byteOffset: 4095, pfns: ["1"] }, 0)?.rule).toBe("WIRE-GPADL-1");
    expect(checkRange({ byteCount: 1, byteOffset: 0, pfns: ["1", "2"] }, 0)?.rule).toBe("WIRE-GPADL-1");
    expect(checkRange({ byteCount: 4096, byteOffset: 0, pfns: ["x"] }, 3)).toMatchObject({ kind: "badValue", rule: "WIRE-FIELD-2", message: expect.stringContaining("pfns[0]") });
  });

  it("splitGpadl: errors with their rules", () => {
    expect(errOf(splitGpadl(1, 2, [pages(1), { byteCount: 1, byteOffset: 0, pfns: [] }]))).toBe("pfnCountMismatch WIRE-GPADL-1");
    // 8191 values of range data = 65528 bytes fit the u16 range_buflen; 8192 (65536 bytes) do not
    expect(errOf(splitGpadl(1, 2, [pages(8191)]))).toBe("badRangeBufferLength WIRE-GPADL-2");
    expect(splitGpadl(1, 2, [pages(8190)]).ok).toBe(true);
    expect(errOf(splitGpadl(1, 2, [pages(1)], { headerValues: 0 }))).toBe("badRangeBufferLength WIRE-GPADL-3");
    expect(errOf(splitGpadl(1, 2, [pages(1)], { bodyValues: 0 }))).toBe("badRangeBufferLength WIRE-GPADL-3");
    expect(splitGpadl(1, 2, [pages(1)], { headerValues: 1, bodyValues: 1 }).ok).toBe(true);
    const many = Array.from({ length: 0x10000 }, () => ({ byteCount: 0, byteOffset: 0, pfns: [] }));
    expect(errOf(splitGpadl(1, 2, many))).toBe("tooManyRanges WIRE-GPADL-2");
  });

  it("splitGpadl: whole ranges in the header while they fit, then the split range, then bodies led by range headers", () => {
    const r = splitGpadl(7, 9, [pages(2, 10), pages(3, 20), pages(1, 30)], { headerValues: 5, bodyValues: 3 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.header).toEqual({ type: "GpadlHeader", childRelid: 7, gpadl: 9, rangeBufferLength: 8 * 9, rangeCount: 3, ranges: [pages(2, 10), { byteCount: 3 * 4096, byteOffset: 0, pfns: ["20"] }] });
    // rest: 21, 22, range header of the third range (byteCount 4096, byteOffset 0), 30
    expect(r.value.bodies).toEqual([body(["21", "22", "4096"], 9), body(["30"], 9)]);
    // a range header with an offset: byteCount + byteOffset * 2^32
    const o = splitGpadl(1, 2, [pages(1), { byteCount: 5, byteOffset: 3, pfns: ["4"] }], { headerValues: 2 });
    expect(o.ok && o.value.bodies).toEqual([body([String(5 + 3 * 2 ** 32), "4"])]);
    // exactly full header at a range boundary: no partial, no empty body
    const e = splitGpadl(1, 2, [pages(1)], { headerValues: 2 });
    expect(e.ok && e.value.bodies).toEqual([]);
    expect(e.ok && e.value.header.ranges).toEqual([pages(1)]);
    // default capacities: 27 header values, 28 per body
    const d = splitGpadl(1, 2, [pages(27 + 28)]);
    expect(d.ok && d.value.header.ranges[0]!.pfns.length).toBe(26);
    expect(d.ok && d.value.bodies.map((b) => b.pfns.length)).toEqual([28, 1]);
  });

  it("reassembleGpadl: every count check with its rule", () => {
    expect(errOf(reassembleGpadl(hdr({ rangeBufferLength: 20 }), []))).toBe("badRangeBufferLength WIRE-GPADL-2");
    expect(errOf(reassembleGpadl(hdr({ rangeBufferLength: 8 }), []))).toBe("tooMuchData WIRE-GPADL-6");
    expect(errOf(reassembleGpadl(hdr({}), [body(["9"])]))).toBe("tooMuchData WIRE-GPADL-6");
    const partial = hdr({ rangeBufferLength: 32, ranges: [{ byteCount: 3 * 4096, byteOffset: 0, pfns: ["1"] }] });
    expect(errOf(reassembleGpadl(partial, [body(["2", "3"], 5)]))).toBe("gpadlMismatch WIRE-GPADL-6");
    expect(errOf(reassembleGpadl(partial, [body(["2"])]))).toBe("tooLittleData WIRE-GPADL-6");
    expect(errOf(reassembleGpadl(partial, [body(["2", "x"])]))).toBe("badValue WIRE-FIELD-2");
    expect(errOf(reassembleGpadl(hdr({ rangeCount: 2 }), []))).toBe("rangeCountMismatch WIRE-GPADL-2");
    expect(errOf(reassembleGpadl(hdr({ rangeBufferLength: 24, rangeCount: 1, ranges: [pages(1), pages(0)] }), []))).toBe("rangeCountMismatch WIRE-GPADL-2");
    // range header says 2 pages but the data ends after one PFN
    expect(errOf(reassembleGpadl(hdr({ rangeBufferLength: 16, ranges: [{ byteCount: 8192, byteOffset: 0, pfns: ["1"] }] }), []))).toBe("pfnCountMismatch WIRE-GPADL-1");
    expect(errOf(reassembleGpadl(hdr({ rangeBufferLength: 24, ranges: [{ byteCount: 1, byteOffset: 4096, pfns: ["1", "2"] }] }), []))).toBe("badByteOffset WIRE-GPADL-5");
  });

  it("reassembleGpadl: ranges, ignored values of a long last body, bytes still needed", () => {
    const partial = hdr({ rangeBufferLength: 40, ranges: [{ byteCount: 4 * 4096, byteOffset: 0, pfns: ["1"] }] });
    expect(headerDataBytes(partial)).toBe(16);
    expect(bytesStillNeeded(partial)).toBe(24);
    expect(bytesStillNeeded(partial, [body(["2"])])).toBe(16);
    expect(bytesStillNeeded(partial, [body(["2", "3", "4", "5", "6"])])).toBe(0);
    const r = reassembleGpadl(partial, [body(["2", "3"]), body(["4", "0", "0"])]);
    expect(r).toEqual({ ok: true, value: { childRelid: 1, gpadl: 2, ranges: [pages(4)], ignoredValues: 2 } });
    const exact = reassembleGpadl(partial, [body(["2", "3", "4"])]);
    expect(exact.ok && exact.value.ignoredValues).toBe(0);
    // ignoredValues is the last body's: an earlier long body cannot leave any (room is then 0)
    const two = reassembleGpadl(hdr({ rangeBufferLength: 0, rangeCount: 0, ranges: [] }), []);
    expect(two).toEqual({ ok: true, value: { childRelid: 1, gpadl: 2, ranges: [], ignoredValues: 0 } });
    // round trip with a range header carrying an offset
    const rs = [{ byteCount: 5000, byteOffset: 100, pfns: ["7", "8"] }, pages(30, 100)];
    const s = splitGpadl(1, 2, rs);
    expect(s.ok && reassembleGpadl(s.value.header, s.value.bodies)).toEqual({ ok: true, value: { childRelid: 1, gpadl: 2, ranges: rs, ignoredValues: 0 } });
  });
});
