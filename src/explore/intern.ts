/**
 * Hash-consing for the breadth-first queue (queue.ts): the parts of a state that states share —
 * strings (GUIDs, page addresses), hex payloads, and every part the state description marks
 * `memo` (wire messages, GPADLs, devices, posted messages) — are stored once, and a queued
 * state refers to each by a small id. Equal parts get the same id whatever object holds them
 * (the key is their encoding), so the queue's encoding stays injective; a decoded state gets the
 * stored objects back, shared between states as the reducers made them (states are immutable).
 * The table lives as long as the search and grows with the distinct parts, not with the states.
 */
import { fingerprint64 } from "./fingerprint64.js";

export class Interner {
  /** id → the value (string, or the first object seen with that content). */
  readonly values: unknown[] = [];
  private readonly strings = new Map<string, number>();
  private readonly objects = new WeakMap<object, number>();
  /** Content → id, keyed by 53 bits of the encoding's 64-bit fingerprint; `bytes` confirms a hit. */
  private readonly contents = new Map<number, number>();
  /** The encoding of each object id (undefined for strings). */
  private readonly bytes: (Uint8Array | undefined)[] = [];
  /** Contents whose fingerprint key another content holds already, by their bytes as latin1 (rare). */
  private readonly collided = new Map<string, number>();
  private readonly decoder = new TextDecoder("latin1");
  private readonly fp = new Int32Array(2);

  /** The id of a string (interned by value). */
  string(s: string): number {
    let id = this.strings.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
      this.bytes.push(undefined);
      this.strings.set(s, id);
    }
    return id;
  }

  /** The id of an object already seen (by identity), or undefined. */
  known(o: object): number | undefined {
    return this.objects.get(o);
  }

  /** The id of an object whose encoding is `bytes[0, n)`: the id of equal content if there is one. */
  object(o: object, bytes: Uint8Array, n: number): number {
    // A fingerprint of the bytes, not a string made of them: no string to build and hash per new part.
    fingerprint64(bytes, n, this.fp);
    const key = this.key(this.fp[0]!, this.fp[1]!);
    let id = this.contents.get(key);
    if (id === undefined) {
      id = this.add(o, bytes, n);
      this.contents.set(key, id);
    } else if (!same(this.bytes[id]!, bytes, n)) {
      const text = this.decoder.decode(bytes.subarray(0, n));
      id = this.collided.get(text);
      if (id === undefined) {
        id = this.add(o, bytes, n);
        this.collided.set(text, id);
      }
    }
    this.objects.set(o, id);
    return id;
  }

  /** The map key of a content's 64-bit fingerprint: 53 of its bits (tests override it to force collisions). */
  protected key(hi: number, lo: number): number {
    return (hi >>> 0) * 0x200000 + (lo >>> 11);
  }

  private add(o: object, bytes: Uint8Array, n: number): number {
    const id = this.values.length;
    this.values.push(o);
    this.bytes.push(bytes.slice(0, n));
    return id;
  }
}

const same = (a: Uint8Array, b: Uint8Array, n: number): boolean => {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};
