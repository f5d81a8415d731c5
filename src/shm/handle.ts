/**
 * A ring laid out on a SharedArrayBuffer exactly as in guest memory: the
 * 4096-byte control page, then the data area. A second, tiny SharedArrayBuffer holds the two
 * doorbells that stand for the signalling paths: the writer's HvSignalEvent / the host's
 * SINT towards the reader, and the reader's signal back to a writer waiting for space. The
 * handle is plain data and can be posted to worker_threads.
 */
import { endianness } from "node:os";
import { CONTROL_OFFSETS, CONTROL_PAGE_SIZE, emptyControl, type Ring, type RingControl } from "../../spec/ring/state.js";
import { isValidDataSize } from "../../spec/ring/decide.js";
import { sharedMemory, type SharedWasmMemory } from "./wasm-copy.js";

if (endianness() !== "LE") throw new Error("vmbus-spec shm rings need a little-endian host (guest memory is little-endian)");

/** Int32Array word indices of the control fields (byte offset / 4). */
export const W = CONTROL_OFFSETS.writeIndex / 4;
export const R = CONTROL_OFFSETS.readIndex / 4;
export const MASK = CONTROL_OFFSETS.interruptMask / 4;
export const PENDING = CONTROL_OFFSETS.pendingSendSize / 4;
export const FEATURES = CONTROL_OFFSETS.featureBits / 4;

/** Doorbell words: counters bumped by a signal (Atomics.notify), waited on with Atomics.wait. */
export const READER_BELL = 0;
export const WRITER_BELL = 1;

export interface ShmRingHandle {
  /** The control page at offset 0, the data area at CONTROL_PAGE_SIZE (dataSize bytes); staging areas may follow. */
  readonly ring: SharedArrayBuffer;
  readonly doorbells: SharedArrayBuffer;
  readonly dataSize: number;
  /**
   * Set when the ring was created with staging areas: `ring` is this shared WebAssembly.Memory's
   * buffer, and each endpoint owns `staging` bytes after the ring (producer first, then
   * consumer; see stagingOffset) that it copies to and from the ring with memory.copy.
   */
  readonly memory?: SharedWasmMemory;
  readonly staging?: number;
}

export interface RingOptions {
  /** Bytes of staging area per endpoint (0 = none: a plain SharedArrayBuffer of exactly the ring's size). */
  readonly staging?: number;
}

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Byte offset of an endpoint's staging area in `handle.ring` (page-aligned, after the ring). */
export const stagingOffset = (h: ShmRingHandle, role: "producer" | "consumer"): number => {
  const first = align(CONTROL_PAGE_SIZE + h.dataSize, CONTROL_PAGE_SIZE);
  return role === "producer" ? first : first + align(h.staging ?? 0, CONTROL_PAGE_SIZE);
};

export const createShmRing = (dataSize: number, control: Partial<RingControl> = {}, options: RingOptions = {}): ShmRingHandle => {
  if (!isValidDataSize(dataSize)) throw new RangeError(`data size ${dataSize} is not a multiple of 8 of at least 64`);
  const staging = options.staging ?? 0;
  if (!(Number.isSafeInteger(staging) && staging >= 0)) throw new RangeError(`staging ${staging} is not a byte count`);
  let memory: SharedWasmMemory | undefined;
  let ring: SharedArrayBuffer;
  if (staging > 0) {
    memory = sharedMemory(align(CONTROL_PAGE_SIZE + dataSize, CONTROL_PAGE_SIZE) + 2 * align(staging, CONTROL_PAGE_SIZE));
    ring = memory.buffer;
  } else ring = new SharedArrayBuffer(CONTROL_PAGE_SIZE + dataSize);
  const doorbells = new SharedArrayBuffer(16);
  const c = { ...emptyControl, ...control };
  const ctl = new Int32Array(ring, 0, CONTROL_PAGE_SIZE / 4);
  ctl[W] = c.writeIndex | 0;
  ctl[R] = c.readIndex | 0;
  ctl[MASK] = c.interruptMask | 0;
  ctl[PENDING] = c.pendingSendSize | 0;
  ctl[FEATURES] = c.featureBits | 0;
  return memory ? { ring, doorbells, dataSize, memory, staging } : { ring, doorbells, dataSize };
};

/** Load a pure-model Ring into a new shared ring (tests, CLI). */
export const shmFromRing = (r: Ring, options: RingOptions = {}): ShmRingHandle => {
  const h = createShmRing(r.data.length, r.control, options);
  new Uint8Array(h.ring, CONTROL_PAGE_SIZE, h.dataSize).set(r.data);
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
    data: new Uint8Array(h.ring, CONTROL_PAGE_SIZE, h.dataSize).slice(),
  };
};

/** Overwrite a control field (tests playing a hostile peer; the CLI's init). */
export const storeControl = (h: ShmRingHandle, field: keyof RingControl, value: number): void => {
  const ctl = new Int32Array(h.ring, 0, CONTROL_PAGE_SIZE / 4);
  Atomics.store(ctl, CONTROL_OFFSETS[field] / 4, value | 0);
};
