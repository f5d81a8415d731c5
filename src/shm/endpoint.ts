/**
 * What a producer and a consumer endpoint share: the views of one ring laid out as in guest
 * memory (4096-byte control page, then the data area), the doorbells, and — for a ring in a
 * shared WebAssembly.Memory — `memory.copy` and this endpoint's staging area. Memory access only:
 * every decision is spec/ring's.
 */
import type { RingProfile } from "../../spec/ring/profile.js";
import { CONTROL_PAGE_SIZE } from "../../spec/ring/state.js";
import { WORD_COPY_MAX, type EndpointOptions } from "./copy.js";
import { stagingOffset, type ShmRingHandle } from "./handle.js";
import { memCopyOf, type MemCopy } from "./wasm-copy.js";

export abstract class ShmEndpoint {
  readonly size: number;
  protected readonly loopMax: number;
  protected readonly ctl: Int32Array;
  protected readonly bell: Int32Array;
  protected readonly data: Uint8Array;
  protected readonly d32: Int32Array;
  /** memory.copy of the ring's WebAssembly.Memory, its buffer, and this endpoint's staging area (null without). */
  protected readonly cp: MemCopy | null = null;
  protected readonly ringBuf: SharedArrayBuffer;
  protected readonly stagingArea: Uint8Array | null = null;
  private lastArray: Uint8Array | null = null;
  /** Byte offset of the last array given to memBase in the ring's memory, or -1 when it lies elsewhere. */
  protected lastBase = -1;

  constructor(
    handle: ShmRingHandle,
    readonly profile: RingProfile,
    side: "producer" | "consumer",
    options: EndpointOptions,
  ) {
    this.loopMax = options.allocationFree ? Infinity : WORD_COPY_MAX;
    this.size = handle.dataSize;
    this.ctl = new Int32Array(handle.ring, 0, CONTROL_PAGE_SIZE / 4);
    this.bell = new Int32Array(handle.doorbells);
    this.data = new Uint8Array(handle.ring, CONTROL_PAGE_SIZE, handle.dataSize);
    this.d32 = new Int32Array(handle.ring, CONTROL_PAGE_SIZE, handle.dataSize / 4);
    this.ringBuf = handle.ring;
    if (handle.memory && handle.staging) {
      this.cp = memCopyOf(handle.memory);
      this.stagingArea = new Uint8Array(handle.ring, stagingOffset(handle, side), handle.staging);
    }
  }

  /**
   * This endpoint's staging area inside the ring's shared memory (null when the ring has none).
   * Payloads written from it / read into it are copied with memory.copy: full memmove speed.
   */
  get staging(): Uint8Array | null {
    return this.stagingArea;
  }

  /** Offset of `b` in the ring's memory (-1: elsewhere), remembered for the last array seen. */
  protected memBase(b: Uint8Array): number {
    if (b !== this.lastArray) {
      this.lastArray = b;
      this.lastBase = b.buffer === this.ringBuf ? b.byteOffset : -1;
    }
    return this.lastBase;
  }
}
