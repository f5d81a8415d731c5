/**
 * The checker's visited set and node table in typed arrays: no JS object per state.
 *
 * - Node i (BFS order, 0 = initial state) has its 64-bit fingerprint (`hi`, `lo`), its parent
 *   node and the index of the input (in `enabled(parent)`) that led to it: a shortest trace is
 *   the chain of parents, replayed through the reducers on demand.
 * - An open-addressing hash table (linear probing, resized at 3/4 load) maps a fingerprint to
 *   its node: 4 bytes per slot, the fingerprint itself is read from the node table.
 */

/** A growable Int32Array (doubling). */
export class IntVec {
  a: Int32Array;
  n = 0;
  constructor(capacity = 1024) {
    this.a = new Int32Array(capacity);
  }
  push(x: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = x;
  }
  get bytes(): number {
    return this.a.byteLength;
  }
}

export class FingerprintTable {
  /** Node table: fingerprint halves, parent, input index. */
  readonly hi = new IntVec();
  readonly lo = new IntVec();
  readonly parent = new IntVec();
  readonly input = new IntVec();
  /** Hash table slots: node + 1 (0 = empty). */
  private slots = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;

  get size(): number {
    return this.hi.n;
  }

  /** The node with this fingerprint, or -1. */
  find(hi: number, lo: number): number {
    const slots = this.slots;
    const h = this.hi.a;
    const l = this.lo.a;
    for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask; ; i = (i + 1) & this.mask) {
      const s = slots[i]!;
      if (s === 0) return -1;
      if (l[s - 1] === lo && h[s - 1] === hi) return s - 1;
    }
  }

  /** Add a node (the caller checked `find` is -1); returns its index. */
  add(hi: number, lo: number, parent: number, input: number): number {
    const id = this.hi.n;
    this.hi.push(hi);
    this.lo.push(lo);
    this.parent.push(parent);
    this.input.push(input);
    if (4 * (id + 1) > 3 * this.slots.length) this.grow();
    else this.place(id);
    return id;
  }

  private place(id: number): void {
    const lo = this.lo.a[id]!;
    const hi = this.hi.a[id]!;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    while (this.slots[i] !== 0) i = (i + 1) & this.mask;
    this.slots[i] = id + 1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let id = 0; id < this.hi.n; id++) this.place(id);
  }

  /** Bytes held by the table and the node arrays (capacity, not just what is used). */
  get bytes(): number {
    return this.slots.byteLength + this.hi.bytes + this.lo.bytes + this.parent.bytes + this.input.bytes;
  }

  /**
   * Probability that some state was never explored because its fingerprint equalled an earlier
   * one's (as TLC reports): about n² / 2⁶⁵ for n states and 64-bit fingerprints.
   */
  get collisionProbability(): number {
    const n = this.size;
    return Math.min(1, (n * (n - 1)) / 2 / 2 ** 64);
  }
}

/**
 * Bitstate ("supertrace", Holzmann) visited set: a state is marked by k bits of a 2^bits-bit
 * array, indexed by k hashes derived from its 64-bit fingerprint; it counts as seen when all k
 * bits are set. Memory is fixed whatever the state count; a state whose bits were all set by
 * others is wrongly taken as seen and never explored (an omission, never a false violation).
 * Nodes (parent, input) are still kept, 8 bytes each, for shortest traces.
 */
export class BitstateTable {
  readonly parent = new IntVec();
  readonly input = new IntVec();
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private readonly idx: Uint32Array;
  constructor(
    readonly log2Bits: number,
    readonly hashes = 3,
  ) {
    if (!(Number.isInteger(log2Bits) && log2Bits >= 10 && log2Bits <= 32)) throw new RangeError(`bitstate table of 2^${log2Bits} bits: 10..32`);
    this.bits = new Uint32Array(2 ** (log2Bits - 5));
    this.mask = log2Bits === 32 ? 0xffffffff : 2 ** log2Bits - 1;
    this.idx = new Uint32Array(hashes);
  }

  get size(): number {
    return this.parent.n;
  }

  /**
   * Compute the state's k bit indices from its 64-bit fingerprint: index i mixes both halves
   * (murmur3's finaliser over lo, hi rotated by 11·i, and i), so fingerprints that differ in
   * any bit get unrelated indices. `seen` and `add` use the indices of the last `prepare`.
   */
  prepare(hi: number, lo: number): void {
    for (let i = 0; i < this.hashes; i++) {
      const r = (11 * i) & 31;
      let h = (lo ^ ((hi << r) | (hi >>> ((32 - r) & 31))) ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0;
      h ^= h >>> 16;
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
      this.idx[i] = (h & this.mask) >>> 0;
    }
  }

  /** True when every bit of the prepared state is already set. */
  seen(): boolean {
    for (let i = 0; i < this.hashes; i++) {
      const b = this.idx[i]!;
      if ((this.bits[b >>> 5]! & (1 << (b & 31))) === 0) return false;
    }
    return true;
  }

  /** Set the prepared state's bits and add its node. */
  add(parent: number, input: number): number {
    for (let i = 0; i < this.hashes; i++) {
      const b = this.idx[i]!;
      this.bits[b >>> 5] = this.bits[b >>> 5]! | (1 << (b & 31));
    }
    const id = this.parent.n;
    this.parent.push(parent);
    this.input.push(input);
    return id;
  }

  get bytes(): number {
    return this.bits.byteLength + this.parent.bytes + this.input.bytes;
  }

  /** Bits of the table per stored state (SPIN's "hash factor"; above ~100, coverage is good). */
  get hashFactor(): number {
    return this.size === 0 ? Infinity : 2 ** this.log2Bits / this.size;
  }

  /**
   * Probability that the next new state is wrongly taken as seen, with n states stored:
   * (1 − e^(−k·n/m))^k for m bits and k hashes. The fraction of the space missed is at most
   * about this at the end of the search.
   */
  get omissionProbability(): number {
    const m = 2 ** this.log2Bits;
    return (1 - Math.exp((-this.hashes * this.size) / m)) ** this.hashes;
  }
}
