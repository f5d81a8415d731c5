/** GPA range arithmetic shared by the codec and the GPADL helpers. */
import { Limits } from "./constants.js";

/** PFNs a range spans: ceil((byte_offset + byte_count) / 4096) (WIRE-GPADL-1). Exact for all u32 inputs. */
export const pfnCount = (byteOffset: number, byteCount: number): number => Math.ceil((byteOffset + byteCount) / Limits.PAGE_SIZE);

/** Bytes of range data one complete range occupies: 8-byte range header + 8 per PFN. */
export const rangeDataBytes = (byteOffset: number, byteCount: number): number => 8 + 8 * pfnCount(byteOffset, byteCount);
