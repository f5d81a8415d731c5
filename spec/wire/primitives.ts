/**
 * Plain, JSON-serialisable representations of the wire's primitive values.
 *
 * - `U64`: a u64 as a canonical decimal string ("0", "18446744073709551615"); never a lossy
 *   JS number. Use `BigInt(x)` to compute, `String(b)` to store.
 * - `Hex`: a byte string as lowercase hex without a prefix ("" for no bytes).
 * - `Guid`: a GUID in its canonical lowercase string form
 *   "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; on the wire it is stored in Microsoft's
 *   mixed-endian order (first three groups little-endian), see `guid.ts`.
 * - u8/u16/u32 fields are plain `number`s (always integers in range).
 */
export type U64 = string;
export type Hex = string;
export type Guid = string;
