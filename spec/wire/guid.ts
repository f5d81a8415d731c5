/**
 * GUIDs on the wire ( OFFERCHANNEL notes): Microsoft mixed-endian order — the
 * first three groups (u32, u16, u16) are little-endian, the last 8 bytes are in string order.
 * QEMU byte-swaps its RFC-4122 UUIDs to get this ("Hyper-V wants LE GUIDs", QEMU hw/hyperv/vmbus.c send_offer).
 * Total: malformed strings are typed errors, short buffers read as an error, never a throw.
 */
import { err, ok, type Result } from "../result.js";
import type { Guid } from "./primitives.js";

export const GUID_SIZE = 16;

export type GuidError =
  | { readonly kind: "badGuidSyntax"; readonly text: string; readonly message: string }
  | { readonly kind: "guidTooShort"; readonly need: number; readonly got: number; readonly message: string };

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True for the canonical lowercase form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
export const isCanonicalGuid = (s: string): boolean => GUID_RE.test(s) && s === s.toLowerCase();

/** Parse a GUID string (either case) into its canonical lowercase form. */
export const parseGuid = (text: string): Result<Guid, GuidError> =>
  GUID_RE.test(text)
    ? ok(text.toLowerCase())
    : err({ kind: "badGuidSyntax", text, message: `not a GUID (want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx): '${text.slice(0, 60)}'` });

const hex2 = (b: number): string => (b < 16 ? "0" : "") + b.toString(16);

/** Read 16 wire bytes at `offset` as a canonical GUID string. */
export const readGuid = (bytes: Uint8Array, offset = 0): Result<Guid, GuidError> => {
  if (offset < 0 || bytes.length < offset + GUID_SIZE)
    return err({ kind: "guidTooShort", need: offset + GUID_SIZE, got: bytes.length, message: `GUID needs ${offset + GUID_SIZE} bytes, got ${bytes.length}` });
  const b = (i: number): string => hex2(bytes[offset + i]!);
  // Groups 1-3 little-endian (bytes reversed), groups 4-5 in order.
  return ok(
    b(3) + b(2) + b(1) + b(0) + "-" + b(5) + b(4) + "-" + b(7) + b(6) + "-" + b(8) + b(9) + "-" +
      b(10) + b(11) + b(12) + b(13) + b(14) + b(15),
  );
};

/** The 16 wire bytes of a GUID string (either case). */
export const guidToBytes = (text: string): Result<Uint8Array, GuidError> => {
  const p = parseGuid(text);
  if (!p.ok) return p;
  const h = p.value.replace(/-/g, "");
  const s = new Uint8Array(16);
  for (let i = 0; i < 16; i++) s[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  // string order -> wire order: reverse the u32 and the two u16 groups.
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return ok(Uint8Array.from(order, (i) => s[i]!));
};

/** Write a GUID into `out` at `offset`; a malformed GUID writes zeros (encode stays total). */
export const writeGuid = (out: Uint8Array, offset: number, text: string): void => {
  const r = guidToBytes(text);
  if (r.ok && offset >= 0 && offset + GUID_SIZE <= out.length) out.set(r.value, offset);
};
