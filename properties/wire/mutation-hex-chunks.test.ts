/**
 * bytesToHex (spec/wire/hex.ts) writes hex a chunk of 4,096 bytes at a time: every length, across
 * chunk boundaries, gives the two lowercase digits of each byte in order (the form every Hex value
 * in the spec has, WIRE-HEX vectors compare byte for byte).
 */
import { describe, expect, it } from "vitest";
import { bytesToHex, hexToBytes } from "../../spec/wire/hex.js";

const reference = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 37 + (i >> 8)) & 0xff);

describe("bytesToHex across its chunks", () => {
  it.each([0, 1, 2, 240, 4095, 4096, 4097, 8192, 8193, 10_000])("%i bytes: two lowercase digits per byte, in order", (n) => {
    const b = pattern(n);
    const hex = bytesToHex(b);
    expect(hex.length).toBe(2 * n);
    expect(hex).toBe(reference(b));
    const back = hexToBytes(hex);
    expect(back.ok && Array.from(back.value)).toEqual(Array.from(b));
  });
});
