/** Hex <-> bytes, total: malformed hex is a typed error, never an exception. */
import { err, ok, type Result } from "../result.js";
import type { Hex } from "./primitives.js";

const HEX_DIGITS = "0123456789abcdef";

export const bytesToHex = (bytes: Uint8Array): Hex => {
  let s = "";
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    s += HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!;
  }
  return s;
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
export const hexToBytes = (text: string): Result<Uint8Array, HexError> => {
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
