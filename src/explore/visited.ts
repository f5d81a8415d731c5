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
