/**
 * Hash-consing for the breadth-first queue (queue.ts): the parts of a state that states share —
 * strings (GUIDs, page addresses), hex payloads, and every part the state description marks
 * `memo` (wire messages, GPADLs, devices, posted messages) — are stored once, and a queued
 * state refers to each by a small id. Equal parts get the same id whatever object holds them
 * (the key is their encoding), so the queue's encoding stays injective; a decoded state gets the
 * stored objects back, shared between states as the reducers made them (states are immutable).
 * The table lives as long as the search and grows with the distinct parts, not with the states.
 */
export class Interner {
  /** id → the value (string, or the first object seen with that content). */
  readonly values: unknown[] = [];
  private readonly strings = new Map<string, number>();
  private readonly objects = new WeakMap<object, number>();
  private readonly contents = new Map<string, number>();
  private readonly decoder = new TextDecoder("latin1");

  /** The id of a string (interned by value). */
  string(s: string): number {
    let id = this.strings.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(s);
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
    const key = this.decoder.decode(bytes.subarray(0, n));
    let id = this.contents.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(o);
      this.contents.set(key, id);
    }
    this.objects.set(o, id);
    return id;
  }
}
