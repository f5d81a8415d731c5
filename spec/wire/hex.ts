/** Hex <-> bytes, total: malformed hex is a typed error, never an exception. */
import { err, ok, type Result } from "../result.js";
import type { Hex } from "./primitives.js";

const HEX_DIGITS = "0123456789abcdef";

/** The character codes of every byte's two hex digits (the first digit at 2 × byte). */
const BYTE_CODES: Uint16Array = (() => {
  const t = new Uint16Array(512);
  for (let b = 0; b < 256; b++) (t[2 * b] = HEX_DIGITS.charCodeAt(b >> 4)), (t[2 * b + 1] = HEX_DIGITS.charCodeAt(b & 15));
  return t;
})();
/** Bytes per String.fromCharCode call (its arguments go on the stack). */
const HEX_CHUNK = 4096;

/**
 * Lowercase hex of the bytes. Built from character codes, a chunk at a time, rather than by `+=`
 * per byte: appending builds a chain of string pieces that the engine must allocate and later
 * flatten (the checker turns every posted message into hex).
 */
export const bytesToHex = (bytes: Uint8Array): Hex => {
  let out = "";
  for (let start = 0; start < bytes.length; start += HEX_CHUNK) {
    const n = Math.min(HEX_CHUNK, bytes.length - start);
    const codes: number[] = [];
    for (let i = 0; i < n; i++) {
      const b = 2 * bytes[start + i]!;
      codes.push(BYTE_CODES[b]!, BYTE_CODES[b + 1]!);
    }
    out += String.fromCharCode.apply(null, codes);
  }
  return out;
};

export type HexError =
  | { readonly kind: "oddLength"; readonly length: number }
  | { readonly kind: "badDigit"; readonly index: number; readonly char: string };

export const describeHexError = (e: HexError): string =>
  e.kind === "oddLength"
    ? `hex string has an odd number of digits (${e.length})`
    : `not a hex digit at position ${e.index}: '${e.char}'`;

/**
 * Parse hex. Accepts upper or lower case, an optional "0x" prefix, and ignores ASCII
 * whitespace, ':' and '-' separators (so `xxd`/Wireshark-style dumps paste in).
 */
/** Digit values by character code (-1: not a hex digit), for the fast path. */
const DIGIT_VALUE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 16; i++) {
    t[HEX_DIGITS.charCodeAt(i)] = i;
    t[HEX_DIGITS.toUpperCase().charCodeAt(i)] = i;
  }
  return t;
})();

/** Plain digits only (the form every Hex value in the spec has): decoded by table, or null to take the general path. */
const plainHexToBytes = (s: string): Uint8Array | null => {
  if ((s.length & 1) !== 0) return null;
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0, j = 0; i < s.length; i += 2, j++) {
    const a = s.charCodeAt(i);
    const b = s.charCodeAt(i + 1);
    const hi = a < 128 ? DIGIT_VALUE[a]! : -1;
    const lo = b < 128 ? DIGIT_VALUE[b]! : -1;
    if ((hi | lo) < 0) return null;
    out[j] = (hi << 4) | lo;
  }
  return out;
};

export const hexToBytes = (text: string): Result<Uint8Array, HexError> => {
  const fast = plainHexToBytes(text);
  if (fast) return ok(fast);
  let s = text.trim();
  if (s.startsWith("0x") || s.startsWith("0X")) s = s.slice(2);
  const digits: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === " " || c === "\n" || c === "\t" || c === "\r" || c === ":" || c === "-") continue;
    const v = HEX_DIGITS.indexOf(c.toLowerCase());
    if (v < 0) return err({ kind: "badDigit", index: i, char: c });
    digits.push(v);
  }
  if (digits.length % 2 !== 0) return err({ kind: "oddLength", length: digits.length });
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (digits[2 * i]! << 4) | digits[2 * i + 1]!;
  return ok(out);
};
