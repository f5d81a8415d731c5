/**
 * decodeMessage on GPADL_HEADER / GPADL_BODY: each count check of the range data at its boundary,
 * with its rule (WIRE-GPADL-1/2/5), and the partial-range, trailing-byte and body cases.
 */
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../spec/wire/codec.js";

/** GPADL_HEADER bytes: fixed part (relid 1, gpadl 2, buflen, count) then the given u32 words. */
const header = (buflen: number, count: number, words: readonly number[], extra = 0): Uint8Array => {
  const b = new Uint8Array(20 + 4 * words.length + extra);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 8, true);
  dv.setUint32(8, 1, true);
  dv.setUint32(12, 2, true);
  dv.setUint16(16, buflen, true);
  dv.setUint16(18, count, true);
  words.forEach((w, i) => dv.setUint32(20 + 4 * i, w, true));
  return b;
};
/** One range: byteCount, byteOffset, then PFNs (low word, high word 0). */
const range = (byteCount: number, byteOffset: number, pfns: readonly number[]): number[] => [byteCount, byteOffset, ...pfns.flatMap((p) => [p, 0])];

const rule = (b: Uint8Array): string => {
  const d = decodeMessage(b);
  return d.ok ? "ok" : `${d.error.kind} ${d.error.rule}`;
};
const ok = (b: Uint8Array) => {
  const d = decodeMessage(b);
  if (!d.ok) throw new Error(d.error.message);
  return d.value;
};

describe("GPADL_HEADER range data (mutation)", () => {
  it("WIRE-GPADL-2: range_buflen is a multiple of 8, 0 exactly when there are no ranges, and 8 bytes per range at least", () => {
    const empty = ok(header(0, 0, []));
    expect(empty.message).toMatchObject({ type: "GpadlHeader", rangeCount: 0, ranges: [] });
    expect(empty.trailingBytes).toBe(0);
    expect(rule(header(8, 0, []))).toBe("countMismatch WIRE-GPADL-2");
    expect(rule(header(12, 1, range(0, 0, []), 4))).toBe("countMismatch WIRE-GPADL-2");
    expect(rule(header(8, 2, range(0, 0, [])))).toBe("countMismatch WIRE-GPADL-2");
    // 8 bytes per range exactly: two empty ranges
    const two = ok(header(16, 2, [...range(0, 0, []), ...range(0, 0, [])]));
    expect(two.message).toMatchObject({ ranges: [{ byteCount: 0, byteOffset: 0, pfns: [] }, { byteCount: 0, byteOffset: 0, pfns: [] }] });
  });

  it("WIRE-GPADL-1: a range's PFNs must fit in range_buflen", () => {
    expect(rule(header(8, 1, range(1, 0, [])))).toBe("countMismatch WIRE-GPADL-1");
    const one = ok(header(16, 1, range(1, 0, [7])));
    expect(one.message).toMatchObject({ rangeBufferLength: 16, ranges: [{ byteCount: 1, byteOffset: 0, pfns: ["7"] }] });
    expect(one.trailingBytes).toBe(0);
    // 4096 bytes at offset 1 span two pages
    expect(rule(header(16, 1, range(4096, 1, [7])))).toBe("countMismatch WIRE-GPADL-1");
    expect(ok(header(24, 1, range(4096, 1, [7, 8]))).message).toMatchObject({ ranges: [{ pfns: ["7", "8"] }] });
  });

  it("WIRE-GPADL-2: a complete header holds exactly rangecount ranges and no unused range data", () => {
    // two ranges promised, the data holds one
    expect(rule(header(16, 2, range(1, 0, [7])))).toBe("countMismatch WIRE-GPADL-2");
    // one range, 8 bytes of range data left over inside range_buflen
    expect(rule(header(24, 1, [...range(1, 0, [7]), 0, 0]))).toBe("countMismatch WIRE-GPADL-2");
    // range_buflen promises more (bodies) but the only range is already complete
    expect(rule(header(32, 1, range(1, 0, [7])))).toBe("countMismatch WIRE-GPADL-2");
  });

  it("a partial last range continues in bodies; a partial u64 at the end is trailing", () => {
    const p = ok(header(32, 1, range(3 * 4096, 0, [7]), 3));
    expect(p.message).toMatchObject({ rangeBufferLength: 32, ranges: [{ byteCount: 3 * 4096, pfns: ["7"] }] });
    expect(p.trailingBytes).toBe(3);
    // a second range whose header is not yet in this message
    const q = ok(header(48, 2, range(4096, 0, [7])));
    expect(q.message).toMatchObject({ ranges: [{ pfns: ["7"] }] });
    expect(q.trailingBytes).toBe(0);
    // a u64 high word is read
    const hi = ok(header(16, 1, [1, 0, 5, 1]));
    expect(hi.message).toMatchObject({ ranges: [{ pfns: [String(2 ** 32 + 5)] }] });
    // bytes after a complete header are trailing, not range data
    expect(ok(header(16, 1, range(1, 0, [7]), 8)).trailingBytes).toBe(8);
  });

  it("WIRE-GPADL-5: the warning names the range's byte_offset field and its byte offset", () => {
    const w = ok(header(40, 2, [...range(1, 0, [7]), ...range(1, 4096, [8])], 4)).warnings;
    // second range starts at 20 + 16 = 36: its byte_offset is at 40
    expect(w).toEqual([expect.objectContaining({ kind: "byteOffsetBeyondPage", rule: "WIRE-GPADL-5", field: "GpadlHeader.ranges[1].byteOffset", offset: 40 })]);
    expect(ok(header(16, 1, range(1, 4095, [7]))).warnings).toEqual([]);
  });

  it("GPADL_BODY: every whole u64 after the 16-byte fixed part, the rest trailing", () => {
    const b = new Uint8Array(16 + 8 * 2 + 5);
    const dv = new DataView(b.buffer);
    dv.setUint32(0, 9, true);
    dv.setUint32(8, 3, true);
    dv.setUint32(12, 2, true);
    dv.setUint32(16, 11, true);
    dv.setUint32(28, 1, true);
    const d = ok(b);
    expect(d.message).toEqual({ type: "GpadlBody", msgNumber: 3, gpadl: 2, pfns: ["11", String(2 ** 32)] });
    expect(d.trailingBytes).toBe(5);
    expect(rule(b.subarray(0, 15))).toBe("tooShort WIRE-LEN-1");
    expect(ok(b.subarray(0, 16)).message).toMatchObject({ pfns: [] });
  });
});
