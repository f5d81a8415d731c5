/**
 * Shape descriptions: one description of a state type drives its compact binary encoding
 * (encoding.ts). A description says exactly which own keys a record has and what each value
 * may be, so a value the description does not know (a field someone added to a state type, a
 * bigint, NaN, -0, undefined, a Map) is an error, never silently merged with another state.
 */

export type Shape =
  /** An integer 0 ..= 0xFFFFFFFF. */
  | { readonly k: "u32" }
  /** Any finite number except -0. */
  | { readonly k: "num" }
  | { readonly k: "bool" }
  | { readonly k: "str" }
  /** Lowercase hex digits of whole bytes (spec/wire/primitives.ts `Hex`). */
  | { readonly k: "hex" }
  | { readonly k: "enum"; readonly values: readonly string[] }
  | { readonly k: "nullable"; readonly of: Shape }
  | { readonly k: "array"; readonly of: Shape }
  /** A record with exactly these own keys; keys in `optional` may be absent (never present as undefined). */
  | { readonly k: "record"; readonly fields: Readonly<Record<string, Shape>>; readonly optional?: readonly string[] }
  /** Records told apart by the string value of `tag` (each case lists every key but the tag). */
  | { readonly k: "union"; readonly tag: string; readonly cases: Readonly<Record<string, Shape>> }
  /** Plain JSON-like data of any shape (wire messages): tagged, keys sorted, strict. */
  | { readonly k: "plain" }
  /**
   * The same encoding, remembered per object (states are immutable and share unchanged parts
   * by reference, so most of a successor's encoding is a copy of its parent's).
   */
  | { readonly k: "memo"; readonly of: Shape }
  /**
   * The same encoding, byte for byte. A search that decodes the state it expands (kept-parts.ts)
   * remembers where this part's bytes were, so a successor that keeps the part (the same object:
   * the reducers share unchanged parts by reference) copies them instead of encoding it again.
   * For parts met once per state (not array elements): each has one register.
   */
  | { readonly k: "kept"; readonly of: Shape };

export const u32: Shape = { k: "u32" };
export const num: Shape = { k: "num" };
export const bool: Shape = { k: "bool" };
export const str: Shape = { k: "str" };
export const hex: Shape = { k: "hex" };
export const plain: Shape = { k: "plain" };
export const oneOf = (...values: string[]): Shape => ({ k: "enum", values });
export const nullable = (of: Shape): Shape => ({ k: "nullable", of });
export const array = (of: Shape): Shape => ({ k: "array", of });
export const record = (fields: Record<string, Shape>, optional?: readonly string[]): Shape => (optional ? { k: "record", fields, optional } : { k: "record", fields });
export const union = (tag: string, cases: Record<string, Shape>): Shape => ({ k: "union", tag, cases });
export const memo = (of: Shape): Shape => ({ k: "memo", of });
export const kept = (of: Shape): Shape => ({ k: "kept", of });
