/**
 * The visited set and node table of `check --workers N` (parallel.ts), shared by every worker
 * thread through SharedArrayBuffers and written without locks.
 *
 * - Node i (0 = initial state) has its 64-bit fingerprint (`hi`, `lo`), its parent node and the
 *   index of the input (in `enabled(parent)`) that led to it, and what liveness needs of it
 *   (the host's queue length, capped at 255, and whether the guest waits): a shortest trace is
 *   the parent chain, replayed through the reducers on demand, as in one thread (visited.ts).
 * - An open-addressing table (linear probing) maps a fingerprint to its node: a slot holds
 *   node + 1, 0 when empty, BUSY while a worker fills in the node it has just claimed. A worker
 *   claims an empty slot with compareExchange, takes a node id from an atomic counter, writes
 *   the node, then publishes it with an atomic store: a worker that reads the slot afterwards
 *   (an atomic load) sees the node's fields (the JavaScript memory model orders them), and one
 *   that finds BUSY waits the few instructions until the node is published. Two workers that
 *   meet the same new state race for the same slot: exactly one wins and gets a node id.
 * - Capacity is fixed when the search starts: `maxStates` nodes and a power-of-two table of at
 *   least 4/3 of that (load ≤ 3/4, so probes stay short). The counter can pass `maxStates`:
 *   such an insertion gets FULL and stores nothing (the search stops, as one thread does at its
 *   budget). Memory: 16 bytes per stored node, and 5.3–10.7 bytes per node of `maxStates` for
 *   the slots; pages never touched are not committed by the operating system.
 */

/** Slot value while its node is being written. */
const BUSY = -1;

/** `insert` result: the budget of nodes is spent, nothing was stored. */
export const FULL = -1;

/**
 * Indices of the control words (`control`), 64 bytes apart: the counter every insertion of a new
 * state updates does not share a cache line with the words every state reads.
 */
export const Control = {
  /** Node ids handed out (may pass maxNodes: those insertions got FULL). */
  Count: 0,
  /** Why workers must stop: 0 go on, STOP_BUDGET, STOP_INTERRUPTED. */
  Stop: 16,
  /** Next chunk of the current level to claim (parallel.ts). */
  Cursor: 32,
} as const;
const CONTROL_WORDS = 48;
export const STOP_BUDGET = 1;
export const STOP_INTERRUPTED = 2;

/** The shared memory of a table: what is posted to a worker to open the same table there. */
export interface SharedTableBuffers {
  readonly maxNodes: number;
  readonly control: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
  readonly hi: SharedArrayBuffer;
  readonly lo: SharedArrayBuffer;
  readonly parent: SharedArrayBuffer;
  readonly input: SharedArrayBuffer;
  readonly queued: SharedArrayBuffer;
  readonly waits: SharedArrayBuffer;
}

/** hi, lo, parent (4 bytes each), input (2), queued and waits (1 each). */
const NODE_BYTES = 16;

/** Largest table: 2^30 slots (4 GiB), i.e. about 800 M nodes. */
const MAX_LOG2_SLOTS = 30;

/** The shared memory of the table could not be had (a budget too large for this machine): the CLI's exit 3. */
export class SharedMemoryError extends Error {}

export const allocateSharedTable = (maxNodes: number): SharedTableBuffers => {
  if (!(Number.isInteger(maxNodes) && maxNodes >= 1)) throw new RangeError(`shared table of ${maxNodes} nodes`);
  let log2 = 4;
  while (2 ** log2 * 3 < maxNodes * 4) log2++;
  if (log2 > MAX_LOG2_SLOTS) throw new SharedMemoryError(`a shared visited set of ${maxNodes} states needs more than 2^${MAX_LOG2_SLOTS} slots`);
  try {
    return buffers(maxNodes, log2);
  } catch (e) {
    const mib = Math.ceil((2 ** log2 * 4 + maxNodes * NODE_BYTES) / 2 ** 20);
    throw new SharedMemoryError(`cannot allocate ${mib} MiB of shared memory for a visited set of ${maxNodes} states (${e instanceof Error ? e.message : String(e)}): lower --max-states`);
  }
};

const buffers = (maxNodes: number, log2: number): SharedTableBuffers => {
  return {
    maxNodes,
    control: new SharedArrayBuffer(CONTROL_WORDS * 4),
    slots: new SharedArrayBuffer(2 ** log2 * 4),
    hi: new SharedArrayBuffer(maxNodes * 4),
    lo: new SharedArrayBuffer(maxNodes * 4),
    parent: new SharedArrayBuffer(maxNodes * 4),
    input: new SharedArrayBuffer(maxNodes * 2),
    queued: new SharedArrayBuffer(maxNodes),
    waits: new SharedArrayBuffer(maxNodes),
  };
};

export class SharedTable {
  readonly control: Int32Array;
  readonly hi: Int32Array;
  readonly lo: Int32Array;
  readonly parent: Int32Array;
  readonly input: Uint16Array;
  readonly queued: Uint8Array;
  readonly waits: Uint8Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  readonly maxNodes: number;

  constructor(readonly buffers: SharedTableBuffers) {
    this.maxNodes = buffers.maxNodes;
    this.control = new Int32Array(buffers.control);
    this.slots = new Int32Array(buffers.slots);
    this.mask = this.slots.length - 1;
    this.hi = new Int32Array(buffers.hi);
    this.lo = new Int32Array(buffers.lo);
    this.parent = new Int32Array(buffers.parent);
    this.input = new Uint16Array(buffers.input);
    this.queued = new Uint8Array(buffers.queued);
    this.waits = new Uint8Array(buffers.waits);
  }

  /** Nodes stored. */
  get size(): number {
    return Math.min(Atomics.load(this.control, Control.Count), this.maxNodes);
  }

  /**
   * Add the state with fingerprint (hi, lo), reached from `parent` by input `input`: its new
   * node id (≥ 0); or `-2 - id` when node `id` has that fingerprint already; or FULL.
   */
  insert(hi: number, lo: number, parent: number, input: number): number {
    const slots = this.slots;
    for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask; ; ) {
      const s = Atomics.load(slots, i);
      if (s === 0) {
        if (Atomics.compareExchange(slots, i, 0, BUSY) !== 0) continue; // another worker took it: look again
        const id = Atomics.add(this.control, Control.Count, 1);
        if (id >= this.maxNodes) {
          Atomics.store(slots, i, 0);
          return FULL;
        }
        this.hi[id] = hi;
        this.lo[id] = lo;
        this.parent[id] = parent;
        this.input[id] = input;
        Atomics.store(slots, i, id + 1);
        return id;
      }
      if (s === BUSY) continue; // being published: read it again
      const node = s - 1;
      if (this.lo[node] === lo && this.hi[node] === hi) return -2 - node;
      i = (i + 1) & this.mask;
    }
  }

  /** The node with this fingerprint, or -1. */
  find(hi: number, lo: number): number {
    for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask; ; i = (i + 1) & this.mask) {
      const s = Atomics.load(this.slots, i);
      if (s === 0) return -1;
      if (s !== BUSY && this.lo[s - 1] === lo && this.hi[s - 1] === hi) return s - 1;
    }
  }

  /**
   * Bytes of shared memory in use: the slots (hashed all over, so all of them soon) and 16 per
   * stored node (the node arrays are written in id order: the operating system commits their
   * pages only as they fill).
   */
  get bytes(): number {
    return this.buffers.slots.byteLength + NODE_BYTES * this.size;
  }
}
