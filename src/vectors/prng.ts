/**
 * A tiny deterministic PRNG (SplitMix32-style) for the conformance vectors: the same seed gives
 * the same vectors on every machine and run. Not for anything else.
 */
export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Next u32. */
  u32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  /** Integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.u32() % n;
  }
  int(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
  /** A u64 decimal string, biased to edge values a quarter of the time. */
  u64(): string {
    if (this.below(4) === 0) return this.pick(["0", "1", "4294967296", "18446744073709551615"]);
    return ((BigInt(this.u32()) << 32n) | BigInt(this.u32())).toString();
  }
}
