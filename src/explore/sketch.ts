/**
 * A HyperLogLog sketch (Flajolet et al. 2007) of the 64-bit state fingerprints a search
 * visited: 4,096 one-byte registers (4 KiB, relative error about 1.04/√4096 ≈ 1.6 %). Runs
 * that overlap (a swarm) cannot add up their state counts; the register-wise maximum of their
 * sketches is the sketch of the union, so `check merge` can say how many distinct states the
 * swarm covered together.
 */

const P = 12;
export const SKETCH_REGISTERS = 1 << P;

export class StateSketch {
  constructor(readonly registers: Uint8Array = new Uint8Array(SKETCH_REGISTERS)) {}

  /** Count a fingerprint (hi, lo as fingerprint64 leaves them). */
  add(hi: number, lo: number): void {
    const j = lo & (SKETCH_REGISTERS - 1);
    // The rank: leading zeros of the other lane, plus one (at most 33 with a 32-bit lane).
    const rank = Math.clz32(hi) + 1;
    if (rank > this.registers[j]!) this.registers[j] = rank;
  }

  /** The sketch of the union of both sets. */
  union(other: StateSketch): StateSketch {
    const r = new Uint8Array(SKETCH_REGISTERS);
    for (let j = 0; j < SKETCH_REGISTERS; j++) r[j] = Math.max(this.registers[j]!, other.registers[j]!);
    return new StateSketch(r);
  }

  /** The estimated number of distinct fingerprints (linear counting while registers are empty). */
  estimate(): number {
    const m = SKETCH_REGISTERS;
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < m; j++) {
      const r = this.registers[j]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
    return Math.round(raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw);
  }

  toBase64(): string {
    return Buffer.from(this.registers).toString("base64");
  }

  /** The sketch a result file holds, or why it is not one. */
  static fromBase64(text: string): StateSketch | string {
    const b = Buffer.from(text, "base64");
    if (b.length !== SKETCH_REGISTERS || b.toString("base64") !== text) return `not a base64 sketch of ${SKETCH_REGISTERS} registers`;
    if (b.some((r) => r > 33)) return "a register above 33 (a 32-bit rank)";
    return new StateSketch(new Uint8Array(b));
  }
}
