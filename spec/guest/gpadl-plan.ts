/**
 * Which pages the guest lists in a GPADL, and the GPADL_HEADER + GPADL_BODY messages that carry
 * them (GUEST-GPADL-2): one range, byte_offset 0, byte_count = size, up
 * to 26 PFNs in the header and 28 in each body, msgnumber 0 — split by spec/wire/gpadl.ts.
 */
import { splitGpadl } from "../wire/gpadl.js";
import type { GpadlBody, GpadlHeader } from "../wire/messages.js";
import { Limits } from "../wire/constants.js";
import type { U64 } from "../wire/primitives.js";

/**
 * The guest's PFNs for a GPADL: deterministic and distinct per handle (the model has no real
 * memory; the host only stores them).
 */
export const gpadlPfns = (handle: number, pages: number): readonly U64[] => {
  const base = (handle - Limits.LINUX_FIRST_GPADL_HANDLE + 1) * 0x1000;
  return Array.from({ length: pages }, (_, i) => String(base + i));
};

/** The messages for a one-range, page-aligned GPADL; empty when the split is impossible (> 8190 pages). */
export const gpadlMessages = (relid: number, handle: number, pfns: readonly U64[]): readonly (GpadlHeader | GpadlBody)[] => {
  const split = splitGpadl(relid, handle, [{ byteCount: pfns.length * Limits.PAGE_SIZE, byteOffset: 0, pfns }]);
  return split.ok ? [split.value.header, ...split.value.bodies] : [];
};
