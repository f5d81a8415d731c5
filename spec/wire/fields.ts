/**
 * The generic field reader/writer over `Layout` data: every fixed-size part of every codec goes
 * through these two functions, so the layout tables (docs, `layout` command) and the codecs
 * cannot disagree. Values: u8/u16/u32 -> number, u64 -> U64 decimal string, guid -> Guid,
 * bytes -> Hex. Little-endian throughout (conventions).
 */
import { bytesToHex, hexToBytes } from "./hex.js";
import { readGuid, writeGuid } from "./guid.js";
import type { Field, Layout } from "./layout.js";
import { u64Value } from "./u64.js";

export type FieldValue = number | string;

/** Header fields that every channel-message layout starts with (not part of the message object). */
export const HEADER_FIELD_NAMES: ReadonlySet<string> = new Set(["msgtype"]);

/** Whether a field carries a value of the decoded object (not header type, reserved or array). */
export const isValueField = (f: Field): boolean => f.type !== "reserved" && f.type !== "array" && !HEADER_FIELD_NAMES.has(f.name);

// Little-endian integers read and written byte by byte: no DataView per call (these two
// functions run for every field of every message the checker encodes or decodes).
const rd16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const rd32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
const wr32 = (b: Uint8Array, at: number, v: number): void => {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
};

/** Read one field at `base + f.offset`. The caller guarantees the bytes are present. */
export const readField = (bytes: Uint8Array, base: number, f: Field): FieldValue => {
  const at = base + f.offset;
  switch (f.type) {
    case "u8":
      return bytes[at]!;
    case "u16":
      return rd16(bytes, at);
    case "u32":
      return rd32(bytes, at);
    case "u64":
      return ((BigInt(rd32(bytes, at + 4)) << 32n) | BigInt(rd32(bytes, at))).toString();
    case "guid": {
      const g = readGuid(bytes, at);
      return g.ok ? g.value : "";
    }
    case "bytes":
    case "reserved":
    case "array":
      return bytesToHex(bytes.subarray(at, at + f.size));
  }
};

/** Write one field; out-of-range or malformed values are truncated/zeroed, never thrown. */
export const writeField = (out: Uint8Array, base: number, f: Field, value: unknown): void => {
  const at = base + f.offset;
  const n = typeof value === "number" && Number.isFinite(value) ? Math.trunc(value) : 0;
  switch (f.type) {
    case "u8":
      out[at] = n & 0xff;
      return;
    case "u16":
      out[at] = n & 0xff;
      out[at + 1] = (n >>> 8) & 0xff;
      return;
    case "u32":
      wr32(out, at, n >>> 0);
      return;
    case "u64": {
      const v = typeof value === "string" ? u64Value(value) : 0n;
      wr32(out, at, Number(v & 0xffffffffn));
      wr32(out, at + 4, Number(v >> 32n));
      return;
    }
    case "guid":
      writeGuid(out, at, typeof value === "string" ? value : "");
      return;
    case "bytes": {
      const b = typeof value === "string" ? hexToBytes(value) : undefined;
      if (b?.ok) out.set(b.value.subarray(0, f.size), at);
      return;
    }
    // reserved fields stay zero; arrays are written by the per-message code
  }
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
