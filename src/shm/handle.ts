/**
 * A ring laid out on a SharedArrayBuffer exactly as in guest memory (§8.1, §8.2): the
 * 4096-byte control page, then the data area. A second, tiny SharedArrayBuffer holds the two
 * doorbells that stand for the signalling paths (§9): the writer's HvSignalEvent / the host's
 * SINT towards the reader, and the reader's signal back to a writer waiting for space. The
 * handle is plain data and can be posted to worker_threads.
 */
import { endianness } from "node:os";
import { CONTROL_OFFSETS, CONTROL_PAGE_SIZE, emptyControl, type Ring, type RingControl } from "../../spec/ring/state.js";
import { isValidDataSize } from "../../spec/ring/decide.js";

if (endianness() !== "LE") throw new Error("vmbus-spec shm rings need a little-endian host (guest memory is little-endian)");

/** Int32Array word indices of the control fields (byte offset / 4, §8.2). */
export const W = CONTROL_OFFSETS.writeIndex / 4;
export const R = CONTROL_OFFSETS.readIndex / 4;
export const MASK = CONTROL_OFFSETS.interruptMask / 4;
export const PENDING = CONTROL_OFFSETS.pendingSendSize / 4;
export const FEATURES = CONTROL_OFFSETS.featureBits / 4;

/** Doorbell words: counters bumped by a signal (Atomics.notify), waited on with Atomics.wait. */
export const READER_BELL = 0;
export const WRITER_BELL = 1;

export interface ShmRingHandle {
  readonly ring: SharedArrayBuffer;
  readonly doorbells: SharedArrayBuffer;
  readonly dataSize: number;
}

export const createShmRing = (dataSize: number, control: Partial<RingControl> = {}): ShmRingHandle => {
  if (!isValidDataSize(dataSize)) throw new RangeError(`data size ${dataSize} is not a multiple of 8 of at least 64`);
  const ring = new SharedArrayBuffer(CONTROL_PAGE_SIZE + dataSize);
  const doorbells = new SharedArrayBuffer(16);
  const c = { ...emptyControl, ...control };
  const ctl = new Int32Array(ring, 0, CONTROL_PAGE_SIZE / 4);
  ctl[W] = c.writeIndex | 0;
  ctl[R] = c.readIndex | 0;
  ctl[MASK] = c.interruptMask | 0;
  ctl[PENDING] = c.pendingSendSize | 0;
  ctl[FEATURES] = c.featureBits | 0;
  return { ring, doorbells, dataSize };
};

/** Load a pure-model Ring into a new shared ring (tests, CLI). */
export const shmFromRing = (r: Ring): ShmRingHandle => {
  const h = createShmRing(r.data.length, r.control);
  new Uint8Array(h.ring, CONTROL_PAGE_SIZE).set(r.data);
  return h;
};

/** Snapshot a shared ring as a pure-model Ring (copies; for comparisons). */
export const ringOfShm = (h: ShmRingHandle): Ring => {
  const ctl = new Int32Array(h.ring, 0, CONTROL_PAGE_SIZE / 4);
  return {
    control: {
      writeIndex: Atomics.load(ctl, W) >>> 0,
      readIndex: Atomics.load(ctl, R) >>> 0,
      interruptMask: Atomics.load(ctl, MASK) >>> 0,
      pendingSendSize: Atomics.load(ctl, PENDING) >>> 0,
      featureBits: Atomics.load(ctl, FEATURES) >>> 0,
    },
    data: new Uint8Array(h.ring, CONTROL_PAGE_SIZE).slice(),
  };
};

/** Overwrite a control field (tests playing a hostile peer; the CLI's init). */
export const storeControl = (h: ShmRingHandle, field: keyof RingControl, value: number): void => {
  const ctl = new Int32Array(h.ring, 0, CONTROL_PAGE_SIZE / 4);
  Atomics.store(ctl, CONTROL_OFFSETS[field] / 4, value | 0);
};
