/**
 * A ring as plain data: the control fields of the 4096-byte control page and the data
 * area. Reducers never mutate a Ring; they return a new one that shares what did not change.
 */
import { err, ok, type Result } from "../result.js";
import { isValidDataSize } from "./decide.js";
import type { RingFault } from "./faults.js";

export interface RingControl {
  /** @0 writer-owned: next byte the writer will write. */
  readonly writeIndex: number;
  /** @4 reader-owned: next byte the reader will read. */
  readonly readIndex: number;
  /** @8 reader-owned: non-zero = "do not interrupt me" (Microsoft mu_msvm VmbusPacketFormat.h). */
  readonly interruptMask: number;
  /** @12 writer-owned: bytes the writer waits for (0 = not waiting). */
  readonly pendingSendSize: number;
  /** @64 bit 0: the writer of this ring supports pending_send_sz. */
  readonly featureBits: number;
}

export interface Ring {
  readonly control: RingControl;
  /** The data area; its length is the data size (indices are offsets into it). */
  readonly data: Uint8Array;
}

export const CONTROL_PAGE_SIZE = 4096;
/** Control page offsets. */
export const CONTROL_OFFSETS = { writeIndex: 0, readIndex: 4, interruptMask: 8, pendingSendSize: 12, featureBits: 64 } as const;
/** Feature bit 0: FEAT_PENDING_SEND_SZ. */
export const FEATURE_PENDING_SEND_SIZE = 1;

export const emptyControl: RingControl = { writeIndex: 0, readIndex: 0, interruptMask: 0, pendingSendSize: 0, featureBits: FEATURE_PENDING_SEND_SIZE };

/** A zeroed ring of `dataSize` bytes (RING-GEOM-1), control fields from `control` (default: empty, feature bit set). */
export const makeRing = (dataSize: number, control: Partial<RingControl> = {}): Result<Ring, RingFault> =>
  isValidDataSize(dataSize)
    ? ok({ control: { ...emptyControl, ...control }, data: new Uint8Array(dataSize) })
    : err({ kind: "badDataSize", rule: "RING-GEOM-1", dataSize });

const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const put32 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
};

/** Read a ring image (control page + data area, as in guest memory) into a Ring (copies). */
export const ringFromImage = (image: Uint8Array): Result<Ring, RingFault> => {
  const dataSize = image.length - CONTROL_PAGE_SIZE;
  if (!isValidDataSize(dataSize)) return err({ kind: "badDataSize", rule: "RING-GEOM-1", dataSize });
  return ok({
    control: {
      writeIndex: u32(image, CONTROL_OFFSETS.writeIndex),
      readIndex: u32(image, CONTROL_OFFSETS.readIndex),
      interruptMask: u32(image, CONTROL_OFFSETS.interruptMask),
      pendingSendSize: u32(image, CONTROL_OFFSETS.pendingSendSize),
      featureBits: u32(image, CONTROL_OFFSETS.featureBits),
    },
    data: image.slice(CONTROL_PAGE_SIZE),
  });
};

/** Write the control fields of `ring` into `controlPage` (a copy of the original page, so reserved bytes survive). */
export const ringToImage = (ring: Ring, originalControlPage?: Uint8Array): Uint8Array => {
  const out = new Uint8Array(CONTROL_PAGE_SIZE + ring.data.length);
  if (originalControlPage) out.set(originalControlPage.subarray(0, CONTROL_PAGE_SIZE));
  const c = ring.control;
  put32(out, CONTROL_OFFSETS.writeIndex, c.writeIndex);
  put32(out, CONTROL_OFFSETS.readIndex, c.readIndex);
  put32(out, CONTROL_OFFSETS.interruptMask, c.interruptMask);
  put32(out, CONTROL_OFFSETS.pendingSendSize, c.pendingSendSize);
  put32(out, CONTROL_OFFSETS.featureBits, c.featureBits);
  out.set(ring.data, CONTROL_PAGE_SIZE);
  return out;
};
