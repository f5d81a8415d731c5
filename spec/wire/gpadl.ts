/**
 * GPADL range data across messages ( GPADL_HEADER/BODY): split a list of
 * ranges into one GPADL_HEADER plus GPADL_BODY messages (Linux style: the header carries 27 u64
 * values — one range header + 26 PFNs for a single range — and each body 28), and reassemble a
 * header and its bodies into ranges. Both total; failures are named GpadlErrors with rule IDs.
 *
 * The range data is one stream of u64 values: for each range a header value
 * (byte_count | byte_offset << 32, i.e. byte_count at the lower address) followed by its PFNs.
 */
import { err, ok, type Result } from "../result.js";
import { Limits } from "./constants.js";
import { pfnCount } from "./gparange.js";
import type { GpadlBody, GpadlHeader, GpaRange } from "./messages.js";
import type { U64 } from "./primitives.js";
import { isU64, u64Value } from "./u64.js";

export type GpadlErrorKind =
  | "pfnCountMismatch" // a range's PFNs ≠ ceil((offset + count) / 4096)
  | "badByteOffset" // byte_offset > 0xFFF
  | "badRangeBufferLength" // range_buflen does not fit u16 / is not what the ranges need
  | "tooManyRanges" // rangecount does not fit u16
  | "rangeCountMismatch" // rangecount disagrees with the range data
  | "tooMuchData" // a body arrives after the GPADL is complete
  | "tooLittleData" // the bodies end before range_buflen bytes arrived
  | "gpadlMismatch" // a body names another GPADL id
  | "badValue"; // a PFN that is not a u64 decimal string

export interface GpadlError {
  readonly kind: GpadlErrorKind;
  readonly message: string;
  readonly rule: string;
}

const fail = (kind: GpadlErrorKind, message: string, rule: string): { ok: false; error: GpadlError } => err({ kind, message, rule });

export interface SplitOptions {
  /** u64 values of range data in the header (default 27: Linux's range header + 26 PFNs). */
  readonly headerValues?: number;
  /** u64 values per body (default 28). */
  readonly bodyValues?: number;
}

export interface GpadlMessages {
  readonly header: GpadlHeader;
  readonly bodies: readonly GpadlBody[];
}

const TWO32 = 0x100000000n;
const rangeHeaderValue = (r: { byteCount: number; byteOffset: number }): U64 => (BigInt(r.byteCount >>> 0) + BigInt(r.byteOffset >>> 0) * TWO32).toString();

/** Check one complete range (WIRE-GPADL-1, WIRE-GPADL-5). */
export const checkRange = (r: GpaRange, index: number): GpadlError | undefined => {
  if (r.byteOffset > 0xfff)
    return { kind: "badByteOffset", message: `range ${index}: byte_offset ${r.byteOffset} is not below the 4096-byte page`, rule: "WIRE-GPADL-5" };
  const need = pfnCount(r.byteOffset, r.byteCount);
  if (r.pfns.length !== need)
    return {
      kind: "pfnCountMismatch",
      message: `range ${index}: byte_offset ${r.byteOffset} + byte_count ${r.byteCount} spans ${need} page(s) but ${r.pfns.length} PFN(s) given`,
      rule: "WIRE-GPADL-1",
    };
  const j = r.pfns.findIndex((p) => !isU64(p));
  if (j >= 0) return { kind: "badValue", message: `range ${index}: pfns[${j}] is not a u64 decimal string`, rule: "WIRE-FIELD-2" };
  return undefined;
};

/** Split complete ranges into a GPADL_HEADER and GPADL_BODY messages (msgNumber 0, as Linux). */
export const splitGpadl = (childRelid: number, gpadl: number, ranges: readonly GpaRange[], opts: SplitOptions = {}): Result<GpadlMessages, GpadlError> => {
  const headerValues = opts.headerValues ?? Limits.GPADL_HEADER_DATA_VALUES;
  const bodyValues = opts.bodyValues ?? Limits.GPADL_BODY_DATA_VALUES;
  for (const [i, r] of ranges.entries()) {
    const e = checkRange(r, i);
    if (e) return err(e);
  }
  if (ranges.length > 0xffff) return fail("tooManyRanges", `${ranges.length} ranges do not fit the u16 rangecount`, "WIRE-GPADL-2");
  const values = ranges.reduce((n, r) => n + 1 + r.pfns.length, 0);
  const buflen = 8 * values;
  if (buflen > 0xffff) return fail("badRangeBufferLength", `the ranges need ${buflen} bytes of range data, more than the u16 range_buflen allows (65535)`, "WIRE-GPADL-2");
  if (headerValues < 1 || bodyValues < 1) return fail("badRangeBufferLength", "header and body capacities must be at least one u64 value", "WIRE-GPADL-3");
  // Header: whole ranges while they fit, then the start of the next one.
  const headerRanges: GpaRange[] = [];
  let used = 0;
  let ri = 0;
  let partial: number | undefined; // PFNs of ranges[ri] placed in the header when it is split
  while (ri < ranges.length && used < headerValues) {
    const r = ranges[ri]!;
    const take = Math.min(r.pfns.length, headerValues - used - 1);
    headerRanges.push({ byteCount: r.byteCount, byteOffset: r.byteOffset, pfns: r.pfns.slice(0, take) });
    used += 1 + take;
    if (take < r.pfns.length) {
      partial = take;
      break;
    }
    ri++;
  }
  // The rest of the stream goes into bodies: the split range's remaining PFNs (its header is
  // already in the GPADL_HEADER), then whole ranges, each led by its range-header value.
  const rest: U64[] = [];
  if (partial !== undefined) rest.push(...ranges[ri]!.pfns.slice(partial));
  for (const r of ranges.slice(partial !== undefined ? ri + 1 : ri)) rest.push(rangeHeaderValue(r), ...r.pfns);
  const bodies: GpadlBody[] = [];
  for (let i = 0; i < rest.length; i += bodyValues) bodies.push({ type: "GpadlBody", msgNumber: 0, gpadl, pfns: rest.slice(i, i + bodyValues) });
  return ok({
    header: { type: "GpadlHeader", childRelid, gpadl, rangeBufferLength: buflen, rangeCount: ranges.length, ranges: headerRanges },
    bodies,
  });
};

/** Bytes of range data a decoded GPADL_HEADER carries. */
export const headerDataBytes = (h: GpadlHeader): number => h.ranges.reduce((n, r) => n + 8 + 8 * r.pfns.length, 0);

/** Bytes of range data still expected in bodies after the header and the given bodies (never negative). */
export const bytesStillNeeded = (h: GpadlHeader, bodies: readonly GpadlBody[] = []): number =>
  Math.max(0, bodies.reduce((left, b) => left - 8 * b.pfns.length, h.rangeBufferLength - headerDataBytes(h)));

export interface ReassembledGpadl {
  readonly childRelid: number;
  readonly gpadl: number;
  readonly ranges: readonly GpaRange[];
  /** u64 values in the last body beyond range_buflen (UEFI sends maximum-length messages), ignored (WIRE-GPADL-6). */
  readonly ignoredValues: number;
}

/** Reassemble a header and its bodies into complete ranges, checking every count. */
export const reassembleGpadl = (h: GpadlHeader, bodies: readonly GpadlBody[]): Result<ReassembledGpadl, GpadlError> => {
  if (h.rangeBufferLength % 8 !== 0) return fail("badRangeBufferLength", `range_buflen ${h.rangeBufferLength} is not a multiple of 8`, "WIRE-GPADL-2");
  const stream: U64[] = [];
  for (const r of h.ranges) stream.push(rangeHeaderValue(r), ...r.pfns);
  const total = h.rangeBufferLength / 8;
  if (stream.length > total)
    return fail("tooMuchData", `the header carries ${stream.length} u64 values but range_buflen ${h.rangeBufferLength} allows ${total}`, "WIRE-GPADL-6");
  let ignoredValues = 0;
  for (const [i, b] of bodies.entries()) {
    if (b.gpadl !== h.gpadl) return fail("gpadlMismatch", `body ${i} names GPADL ${b.gpadl}, the header ${h.gpadl}`, "WIRE-GPADL-6");
    const room = total - stream.length;
    if (room === 0) return fail("tooMuchData", `body ${i} arrives after the GPADL's ${h.rangeBufferLength} bytes of range data are complete`, "WIRE-GPADL-6");
    stream.push(...b.pfns.slice(0, room));
    ignoredValues = Math.max(0, b.pfns.length - room);
  }
  if (stream.length < total)
    return fail("tooLittleData", `range_buflen is ${h.rangeBufferLength} bytes but header and bodies carry ${8 * stream.length}`, "WIRE-GPADL-6");
  const bad = stream.findIndex((v) => !isU64(v));
  if (bad >= 0) return fail("badValue", `range data value ${bad} is not a u64 decimal string`, "WIRE-FIELD-2");
  const ranges: GpaRange[] = [];
  let pos = 0;
  while (ranges.length < h.rangeCount) {
    if (pos >= stream.length)
      return fail("rangeCountMismatch", `rangecount is ${h.rangeCount} but the range data holds only ${ranges.length} range(s)`, "WIRE-GPADL-2");
    const hv = u64Value(stream[pos]!);
    const byteCount = Number(hv & 0xffffffffn);
    const byteOffset = Number(hv >> 32n);
    const need = pfnCount(byteOffset, byteCount);
    const pfns = stream.slice(pos + 1, pos + 1 + need);
    if (pfns.length < need)
      return fail("pfnCountMismatch", `range ${ranges.length} needs ${need} PFN(s) but the range data ends after ${pfns.length}`, "WIRE-GPADL-1");
    const r: GpaRange = { byteCount, byteOffset, pfns };
    const e = checkRange(r, ranges.length);
    if (e) return err(e);
    ranges.push(r);
    pos += 1 + need;
  }
  if (pos < stream.length)
    return fail("rangeCountMismatch", `rangecount is ${h.rangeCount} but ${stream.length - pos} u64 value(s) of range data follow the last range`, "WIRE-GPADL-2");
  return ok({ childRelid: h.childRelid, gpadl: h.gpadl, ranges, ignoredValues });
};
