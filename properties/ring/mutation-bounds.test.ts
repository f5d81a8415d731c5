/**
 * The ring's numeric decisions at their exact boundaries (issue 13: a mutant that moves a
 * comparison by one — `<` for `<=`, `>=` for `>` — must fail a test). Each case is named by the
 * rule whose bound it is.
 */
import { describe, expect, it } from "vitest";
import {
  advance,
  checkIndex,
  firstPiece,
  isValidDataSize,
  maxPacketTotal,
  usedBytes,
  availBytes,
  WRITE_FITS,
  WRITE_FULL,
  WRITE_TOO_LARGE,
  writeVerdictWithin,
} from "../../spec/ring/decide.js";
import { RING_PROFILES } from "../../spec/ring/profile.js";
import { readWrapped, writeWrapped } from "../../spec/ring/bytes.js";

describe("RING-GEOM-1: valid data sizes", () => {
  it("a multiple of 8 from 64 up to 0x7ffffff8 is valid; one below, one above, non-multiples and non-integers are not", () => {
    expect([64, 72, 4096, 0x7fff_fff8].map(isValidDataSize)).toEqual([true, true, true, true]);
    expect([56, 63, 65, 68, 100, 0x8000_0000, 64.5, Number.NaN, -64].map(isValidDataSize)).toEqual([false, false, false, false, false, false, false, false, false]);
  });
});

describe("RING-IDX-1 / RING-IDX-2: a peer-controlled index", () => {
  it("0 and size − 8 are in range; −8 and size are out of range (RING-IDX-1); 4 is misaligned (RING-IDX-2)", () => {
    expect(checkIndex("writeIndex", 0, 64)).toBeNull();
    expect(checkIndex("writeIndex", 56, 64)).toBeNull();
    expect(checkIndex("readIndex", -8, 64)).toEqual({ kind: "indexOutOfRange", rule: "RING-IDX-1", field: "readIndex", value: -8, dataSize: 64 });
    expect(checkIndex("readIndex", 64, 64)).toEqual({ kind: "indexOutOfRange", rule: "RING-IDX-1", field: "readIndex", value: 64, dataSize: 64 });
    expect(checkIndex("writeIndex", 4, 64)).toEqual({ kind: "indexMisaligned", rule: "RING-IDX-2", field: "writeIndex", value: 4 });
  });
});

describe("wrap-around (RING-WRITE-2 placement, RING-READ-1 reading)", () => {
  it("advance wraps exactly at the data size", () => {
    expect(advance(48, 8, 64)).toBe(56);
    expect(advance(56, 8, 64)).toBe(0);
    expect(advance(56, 16, 64)).toBe(8);
  });
  it("used and available bytes: an empty ring has all of it available, a wrapped one counts both pieces", () => {
    expect(usedBytes(16, 16, 64)).toBe(0);
    expect(availBytes(16, 16, 64)).toBe(64);
    expect(usedBytes(8, 56, 64)).toBe(16);
    expect(usedBytes(56, 8, 64)).toBe(48);
  });
  it("a copy that ends exactly at the end of the data area is one piece; one byte further is two", () => {
    expect(firstPiece(48, 16, 64)).toBe(16);
    expect(firstPiece(48, 17, 64)).toBe(16);
    const data = Uint8Array.from({ length: 64 }, (_, i) => i);
    expect([...readWrapped(data, 56, 16)]).toEqual([56, 57, 58, 59, 60, 61, 62, 63, 0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...readWrapped(data, 48, 16)]).toEqual([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63]);
    const out = new Uint8Array(64);
    writeWrapped(out, 60, Uint8Array.from([1, 2, 3, 4, 5, 6]));
    expect([...out.subarray(60)]).toEqual([1, 2, 3, 4]);
    expect([...out.subarray(0, 3)]).toEqual([5, 6, 0]);
    const exact = new Uint8Array(64);
    writeWrapped(exact, 56, Uint8Array.from([9, 9, 9, 9, 9, 9, 9, 9]));
    expect(exact[0]).toBe(0);
    expect(exact[63]).toBe(9);
  });
});

describe("RING-WRITE-1 / RING-WRITE-3: the write verdict at its bounds", () => {
  it("a packet leaving exactly 8 bytes free fits; one leaving 0 does not (RING-WRITE-1)", () => {
    expect(writeVerdictWithin(40, 48, 100)).toBe(WRITE_FITS);
    expect(writeVerdictWithin(48, 48, 100)).toBe(WRITE_FULL);
  });
  it("a packet exactly at the limit is judged on space; one byte over is too large (RING-WRITE-3)", () => {
    expect(writeVerdictWithin(56, 64, 56)).toBe(WRITE_FITS);
    expect(writeVerdictWithin(64, 4096, 56)).toBe(WRITE_TOO_LARGE);
  });
  it("the limit is size − 8 (sizeMinus8) or size − 16 (openvmm), capped at the u16 len8 of a descriptor (RING-WRITE-4)", () => {
    expect(maxPacketTotal(RING_PROFILES.strict, 4096)).toBe(4088);
    expect(maxPacketTotal(RING_PROFILES.openvmm, 4096)).toBe(4080);
    expect(maxPacketTotal(RING_PROFILES.strict, 1 << 20)).toBe(0xffff * 8 + 8);
  });
});
