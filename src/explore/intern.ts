/**
 * Hash-consing for the breadth-first queue (queue.ts): the parts of a state that states share —
 * strings (GUIDs, page addresses), hex payloads, and every part the state description marks
 * `memo` (wire messages, GPADLs, devices, posted messages) — are stored once, and a queued
 * state refers to each by a small id. Equal parts get the same id whatever object holds them
 * (the key is which part of the description they are, and their encoding: equal bytes of two
 * different parts are two ids), so the queue's encoding stays injective and decodes to what was
 * encoded; a decoded state gets the stored objects back, shared between states as the reducers
 * made them (states are immutable).
 * The table lives as long as the search and grows with the distinct parts, not with the states.
 */
import { fingerprint64 } from "./fingerprint64.js";
import type { Shape } from "./shape.js";

/**
 * One `memo` part of the description as the interner knows it: a tag, so that equal bytes of
 * two different parts (an array of two u32 and a record of two u32 encode alike) never share
 * an id, and the ids of the objects already seen there, by identity.
 */
export interface InternedPart {
  readonly tag: number;
  readonly ids: WeakMap<object, number>;
}

/**
 * What the interned encoding (encoding.ts, decoding.ts) asks of an interner: one thread's
 * (`Interner`) or the one the threads of `check --workers` share (shared-interner.ts).
 */
export interface PartInterner {
  /** The handle on one `memo` part of the description. */
  part(shape: Shape): InternedPart;
  /** The id of a string (by value). */
  string(s: string): number;
  /** The id of a value of `part` whose encoding is `bytes[0, n)`: the id of equal content of that part if there is one. */
  object(part: InternedPart, o: unknown, bytes: Uint8Array, n: number): number;
  /** Ids handed out so far: an id read from bytes must be below. */
  readonly size: number;
  /**
   * The value of an id. `stored` rebuilds it from the bytes it was interned with (a string's as
   * `Writer.string` writes them, a part's as its encoding), for an interner that holds bytes only.
   */
  value(id: number, stored: (bytes: Uint8Array, start: number, end: number) => unknown): unknown;
}

export class Interner implements PartInterner {
  /** id → the value (string, or the first value of its part seen with that content). */
  readonly values: unknown[] = [];
  private readonly strings = new Map<string, number>();
  private readonly parts = new Map<Shape, InternedPart>();
  /** The part tag of each object id (-1 for strings). */
  private readonly tags: number[] = [];
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
      this.tags.push(-1);
      this.strings.set(s, id);
    }
    return id;
  }

  get size(): number {
    return this.values.length;
  }

  value(id: number): unknown {
    return this.values[id];
  }

  /** The interner's handle on one `memo` part of the description. */
  part(shape: Shape): InternedPart {
    let p = this.parts.get(shape);
    if (!p) this.parts.set(shape, (p = { tag: this.parts.size, ids: new WeakMap() }));
    return p;
  }

  /** The id of an object of `part` whose encoding is `bytes[0, n)`: the id of equal content of that part if there is one. */
  object(part: InternedPart, o: unknown, bytes: Uint8Array, n: number): number {
    // A fingerprint of the bytes, not a string made of them: no string to build and hash per new part.
    fingerprint64(bytes, n, this.fp);
    const key = this.key(this.fp[0]! ^ Math.imul(part.tag + 1, 0x9e3779b1), this.fp[1]!);
    let id = this.contents.get(key);
    if (id === undefined) {
      id = this.add(part, o, bytes, n);
      this.contents.set(key, id);
    } else if (this.tags[id] !== part.tag || !same(this.bytes[id]!, bytes, n)) {
      const text = `${part.tag}:${this.decoder.decode(bytes.subarray(0, n))}`;
      id = this.collided.get(text);
      if (id === undefined) {
        id = this.add(part, o, bytes, n);
        this.collided.set(text, id);
      }
    }
    if (typeof o === "object" && o !== null) part.ids.set(o, id);
    return id;
  }

  /** The map key of a content's 64-bit fingerprint: 53 of its bits (tests override it to force collisions). */
  protected key(hi: number, lo: number): number {
    return (hi >>> 0) * 0x200000 + (lo >>> 11);
  }

  private add(part: InternedPart, o: unknown, bytes: Uint8Array, n: number): number {
    const id = this.values.length;
    this.values.push(o);
    this.bytes.push(bytes.slice(0, n));
    this.tags.push(part.tag);
    return id;
  }
}

const same = (a: Uint8Array, b: Uint8Array, n: number): boolean => {
  if (a.length !== n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};
