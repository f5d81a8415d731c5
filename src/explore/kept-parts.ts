/**
 * Incremental encoding for the breadth-first search (shape.ts `kept` parts). The search decodes
 * each state it expands from the queue's bytes; most of its successors keep most of it (a host
 * step leaves the guest object as it was, a guest step the host). For each `kept` part of the
 * state description the decoder notes which object it built and copies that part's bytes into
 * the part's register; the encoder, meeting the very same object in a successor, writes the
 * register's bytes instead of walking the object again.
 *
 * Sound because states are immutable (the reducers never mutate their input: tests) and a
 * part's encoding depends only on its content and on the interner, whose ids never change: the
 * copied bytes are the bytes encoding would write. The encoding, the fingerprints and the queue's
 * records are unchanged (tests compare them with a search without registers).
 */
import type { Shape } from "./shape.js";

/** One part's register: the object last decoded there and its bytes. */
export class KeptRegister {
  obj: object | null = null;
  buf = new Uint8Array(256);
  len = 0;
  /** Encodings answered from the register (the benchmark reports them). */
  hits = 0;

  /** `v` was decoded from `src[start, end)`. */
  note(v: unknown, src: Uint8Array, start: number, end: number): void {
    if (typeof v !== "object" || v === null) {
      this.obj = null;
      return;
    }
    const n = end - start;
    if (n > this.buf.length) this.buf = new Uint8Array(Math.max(n, 2 * this.buf.length));
    // A loop, not set(subarray): parts are tens of bytes, and a view per part and state is garbage.
    const b = this.buf;
    for (let i = 0; i < n; i++) b[i] = src[start + i]!;
    this.len = n;
    this.obj = v;
  }
}

/** The registers of one encoder/decoder pair, per `kept` part of the description. */
export class KeptParts {
  private readonly registers = new Map<Shape, KeptRegister>();

  of(part: Shape): KeptRegister {
    let r = this.registers.get(part);
    if (!r) this.registers.set(part, (r = new KeptRegister()));
    return r;
  }

  /** Encodings answered from registers so far. */
  get hits(): number {
    let n = 0;
    for (const r of this.registers.values()) n += r.hits;
    return n;
  }
}
