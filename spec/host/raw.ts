/**
 * Raw field access for the QEMU profile. QEMU acts on the posted bytes through C structs: it
 * checks payload_size against the struct size and then reads fixed offsets, even where the
 * strict decoder would reject the message (QEMU quirks). Offsets come from the layout data in
 * spec/wire/layouts (written once there), never hard-coded here.
 */
import { err, ok, type Result } from "../result.js";
import { bytesToHex, hexToBytes } from "../wire/hex.js";
import type { Layout } from "../wire/layout.js";
import type { U64 } from "../wire/primitives.js";
import { Limits } from "../wire/constants.js";

/** The hypercall's 240-byte payload area: the guest's bytes, zero-filled (the input page is 256 bytes). */
export const payloadArea = (hex: string): Result<Uint8Array, string> => {
  const b = hexToBytes(hex);
  if (!b.ok) return err(b.error.kind === "oddLength" ? "payload hex has an odd number of digits" : `payload hex has a bad digit at ${b.error.index}`);
  if (b.value.length > Limits.MESSAGE_PAYLOAD) return err(`payload has ${b.value.length} bytes, more than ${Limits.MESSAGE_PAYLOAD}`);
  const area = new Uint8Array(Limits.MESSAGE_PAYLOAD);
  area.set(b.value, 0);
  return ok(area);
};

/** Plain lowercase hex digits: what bytesToHex writes. */
const LOWER_HEX = /^[0-9a-f]*$/;
const ZERO_AREA_HEX = "00".repeat(Limits.MESSAGE_PAYLOAD);

/**
 * The hex of a payload area made from `hex` by payloadArea: the guest's digits, then zeros. Written
 * from the digits when they are already lowercase hex (every post the spec's guest makes), from
 * the area's bytes otherwise (upper case, separators): the same string either way, without
 * converting 240 bytes back to hex on every post.
 */
export const areaHex = (hex: string, area: Uint8Array): string => (LOWER_HEX.test(hex) ? hex + ZERO_AREA_HEX.slice(hex.length) : bytesToHex(area));

export const u8At = (b: Uint8Array, off: number): number => b[off] ?? 0;
export const u16At = (b: Uint8Array, off: number): number => u8At(b, off) | (u8At(b, off + 1) << 8);
export const u32At = (b: Uint8Array, off: number): number => (u16At(b, off) | (u16At(b, off + 2) << 16)) >>> 0;
export const u64At = (b: Uint8Array, off: number): bigint => BigInt(u32At(b, off)) | (BigInt(u32At(b, off + 4)) << 32n);

/** Offset of a named field of a layout (the layouts are the single source of offsets). */
export const offsetOf = (layout: Layout, name: string): number => layout.fields.find((f) => f.name === name)?.offset ?? -1;

/** Read a named u8/u16/u32 field (width from the layout). */
export const fieldAt = (b: Uint8Array, layout: Layout, name: string): number => {
  const f = layout.fields.find((x) => x.name === name);
  if (!f) return 0;
  return f.size === 1 ? u8At(b, f.offset) : f.size === 2 ? u16At(b, f.offset) : u32At(b, f.offset);
};

export const u64FieldAt = (b: Uint8Array, layout: Layout, name: string): U64 => String(u64At(b, offsetOf(layout, name)));

/** The VMBus message type (u32 at offset 0 of the header). */
export const messageTypeAt = (b: Uint8Array): number => u32At(b, 0);
