/**
 * The generic field reader/writer over `Layout` data: every fixed-size part of every codec goes
 * through these two functions, so the layout tables (docs, `layout` command) and the codecs
 * cannot disagree. Values: u8/u16/u32 -> number, u64 -> U64 decimal string, guid -> Guid,
 * bytes -> Hex. Little-endian throughout (conventions).
 */
import { match } from "ts-pattern";
import { bytesToHex, hexToBytes } from "./hex.js";
import { readGuid, writeGuid } from "./guid.js";
import type { Field, Layout } from "./layout.js";
import { u64Value } from "./u64.js";

export type FieldValue = number | string;

/** Header fields that every channel-message layout starts with (not part of the message object). */
export const HEADER_FIELD_NAMES: ReadonlySet<string> = new Set(["msgtype"]);

/** Whether a field carries a value of the decoded object (not header type, reserved or array). */
export const isValueField = (f: Field): boolean => f.type !== "reserved" && f.type !== "array" && !HEADER_FIELD_NAMES.has(f.name);

/** Read one field at `base + f.offset`. The caller guarantees the bytes are present. */
export const readField = (bytes: Uint8Array, base: number, f: Field): FieldValue => {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = base + f.offset;
  return match(f.type)
    .with("u8", () => view.getUint8(at))
    .with("u16", () => view.getUint16(at, true))
    .with("u32", () => view.getUint32(at, true))
    .with("u64", () => view.getBigUint64(at, true).toString())
    .with("guid", () => {
      const g = readGuid(bytes, at);
      return g.ok ? g.value : "";
    })
    .with("bytes", "reserved", "array", () => bytesToHex(bytes.subarray(at, at + f.size)))
    .exhaustive();
};

/** Write one field; out-of-range or malformed values are truncated/zeroed, never thrown. */
export const writeField = (out: Uint8Array, base: number, f: Field, value: unknown): void => {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const at = base + f.offset;
  const n = typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : 0;
  match(f.type)
    .with("u8", () => view.setUint8(at, n & 0xff))
    .with("u16", () => view.setUint16(at, n & 0xffff, true))
    .with("u32", () => view.setUint32(at, n >>> 0, true))
    .with("u64", () => view.setBigUint64(at, typeof value === "string" ? u64Value(value) : 0n, true))
    .with("guid", () => writeGuid(out, at, typeof value === "string" ? value : ""))
    .with("bytes", () => {
      const b = typeof value === "string" ? hexToBytes(value) : undefined;
      if (b?.ok) out.set(b.value.subarray(0, f.size), at);
    })
    // reserved stays zero; arrays are written by the per-message code
    .with("reserved", "array", () => undefined)
    .exhaustive();
};

/** The reserved fields of `layout` that are not all zero in `bytes` (for warnings). */
export const nonZeroReserved = (bytes: Uint8Array, base: number, layout: Layout): readonly Field[] =>
  layout.fields.filter((f) => {
    if (f.type !== "reserved") return false;
    for (let i = base + f.offset; i < base + f.offset + f.size && i < bytes.length; i++) if (bytes[i] !== 0) return true;
    return false;
  });

/** Read every value field of `layout` into a plain record. */
export const readFields = (bytes: Uint8Array, base: number, layout: Layout): Record<string, FieldValue> => {
  const o: Record<string, FieldValue> = {};
  for (const f of layout.fields) if (isValueField(f)) o[f.name] = readField(bytes, base, f);
  return o;
};

/** Write every value field of `layout` from a record (missing fields write zero). */
export const writeFields = (out: Uint8Array, base: number, layout: Layout, values: Readonly<Record<string, unknown>>): void => {
  for (const f of layout.fields) if (isValueField(f)) writeField(out, base, f, values[f.name]);
};
