/**
 * splitGpadl / reassembleGpadl (spec/wire/gpadl.ts) at the edges the split tests leave open:
 * the u16 rangecount boundary (WIRE-GPADL-2), a range data value that is not a u64 where a range
 * header is expected (WIRE-FIELD-2), and a rangecount larger than the range data (WIRE-GPADL-2).
 */
import { describe, expect, it } from "vitest";
import { reassembleGpadl, splitGpadl } from "../../spec/wire/gpadl.js";
import type { GpadlBody, GpadlHeader } from "../../spec/wire/messages.js";

const header = (extra: Partial<GpadlHeader>): GpadlHeader => ({ type: "GpadlHeader", childRelid: 1, gpadl: 2, rangeBufferLength: 16, rangeCount: 1, ranges: [], ...extra });
const body = (pfns: string[]): GpadlBody => ({ type: "GpadlBody", msgNumber: 0, gpadl: 2, pfns });
const kindOf = (r: { ok: boolean; error?: { kind: string; rule: string } }): string => (r.ok ? "ok" : `${r.error!.kind} ${r.error!.rule}`);

describe("GPADL split / reassembly edges (mutation)", () => {
  it("WIRE-GPADL-2: 65535 ranges fit the u16 rangecount (their range data does not); 65536 do not", () => {
    const empty = { byteCount: 0, byteOffset: 0, pfns: [] };
    expect(kindOf(splitGpadl(1, 2, Array.from({ length: 0xffff }, () => empty)))).toBe("badRangeBufferLength WIRE-GPADL-2");
    expect(kindOf(splitGpadl(1, 2, Array.from({ length: 0x10000 }, () => empty)))).toBe("tooManyRanges WIRE-GPADL-2");
  });

  it("WIRE-FIELD-2: a body value that is not a u64 is refused, also as the very first range data value", () => {
    expect(kindOf(reassembleGpadl(header({ rangeBufferLength: 8, rangeCount: 1 }), [body(["x"])]))).toBe("badValue WIRE-FIELD-2");
    expect(kindOf(reassembleGpadl(header({ rangeBufferLength: 8, rangeCount: 1 }), [body(["0"])]))).toBe("ok");
  });

  it("WIRE-GPADL-1: a range whose PFNs run past the range data is refused before its byte_offset is checked (WIRE-GPADL-5)", () => {
    // the only range header comes in a body: byte_count 1 at byte_offset 4096 spans 2 pages, no PFN follows
    const h = header({ rangeBufferLength: 8, rangeCount: 1 });
    expect(kindOf(reassembleGpadl(h, [body([String((4096n << 32n) + 1n)])]))).toBe("pfnCountMismatch WIRE-GPADL-1");
    expect(kindOf(reassembleGpadl({ ...h, rangeBufferLength: 24 }, [body([String((4096n << 32n) + 1n), "1", "2"])]))).toBe("badByteOffset WIRE-GPADL-5");
  });

  it("WIRE-GPADL-2: a rangecount larger than the ranges the data holds", () => {
    const h = header({ rangeBufferLength: 16, rangeCount: 2, ranges: [{ byteCount: 1, byteOffset: 0, pfns: ["5"] }] });
    expect(kindOf(reassembleGpadl(h, []))).toBe("rangeCountMismatch WIRE-GPADL-2");
    expect(kindOf(reassembleGpadl({ ...h, rangeCount: 1 }, []))).toBe("ok");
  });
});
