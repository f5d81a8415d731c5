/**
 * decodeMessage at two edges the form tests leave open: an INITIATE_CONTACT too short for its
 * version field (WIRE-LEN-1 names the pre-5.0 layout, whatever the bytes present say), and a
 * GPADL_HEADER whose range_buflen cannot hold one range header per range (WIRE-GPADL-2, decided
 * before any range is read).
 */
import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../spec/wire/codec.js";
import { Version } from "../../spec/wire/versions.js";

const bytes = (len: number, set: Record<number, number>): Uint8Array => {
  const b = new Uint8Array(len);
  for (const [at, v] of Object.entries(set)) b[Number(at)] = v;
  return b;
};
const errorOf = (b: Uint8Array) => {
  const d = decodeMessage(b);
  return d.ok ? "decoded" : d.error;
};

describe("decodeMessage edges (mutation)", () => {
  it("WIRE-LEN-1: INITIATE_CONTACT shorter than its version field is refused as the 40-byte pre-5.0 form", () => {
    // bytes 8..10 present, byte 10 = 6: a reader of the partial field would see version 6.x
    expect(errorOf(bytes(11, { 0: 14, 10: 6 }))).toMatchObject({ kind: "tooShort", rule: "WIRE-LEN-1", layout: "InitiateContact", need: 40, got: 11, messageType: 14 });
    // with the whole version field, its value picks the form the length is checked against
    expect(errorOf(bytes(12, { 0: 14, 10: Version.WIN10_V5 >>> 16 }))).toMatchObject({ kind: "tooShort", rule: "WIRE-LEN-1", layout: "InitiateContact.msgSint", need: 40, got: 12 });
    expect(errorOf(bytes(12, { 0: 14, 10: 4 }))).toMatchObject({ kind: "tooShort", rule: "WIRE-LEN-1", layout: "InitiateContact", need: 40, got: 12 });
  });

  it("WIRE-GPADL-2: range_buflen below 8 bytes per range is a buflen error before any range is read", () => {
    // rangeCount 2, range_buflen 8, one range header (1 byte at offset 0: one PFN) present
    const h = bytes(28, { 0: 8, 16: 8, 18: 2, 20: 1 });
    expect(errorOf(h)).toMatchObject({ kind: "countMismatch", rule: "WIRE-GPADL-2", layout: "GpadlHeader", messageType: 8 });
    // the same header with rangeCount 1 reaches the range: its PFN does not fit range_buflen
    expect(errorOf(bytes(28, { 0: 8, 16: 8, 18: 1, 20: 1 }))).toMatchObject({ kind: "countMismatch", rule: "WIRE-GPADL-1", layout: "GpadlHeader", messageType: 8 });
  });
});
