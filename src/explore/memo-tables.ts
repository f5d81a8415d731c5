/**
 * What an encoder and a decoder of the same state description share so that a thread that
 * decodes its states from the full encoding (`check --workers`, parallel-worker.ts) does not
 * re-encode the unchanged parts of every successor: per `memo` part of the description, the
 * bytes of each object's encoding (the encoder's cache, filled by the decoder too), and the
 * objects decoded lately by their bytes, so equal parts decode to one shared object (immutable
 * states share unchanged parts by reference, as the reducers' own successors do).
 * The encoding itself does not change: the same bytes, the same fingerprints.
 */
import type { Shape } from "./shape.js";

/** Decoded objects remembered by their bytes, per memo part, before the table starts afresh. */
const MAX_DECODED = 1 << 15;

interface Decoded {
  readonly bytes: Uint8Array;
  readonly value: object;
}

export class MemoTables {
  private readonly encodings = new Map<Shape, WeakMap<object, Uint8Array>>();
  private readonly decoded = new Map<Shape, Map<number, Decoded>>();

  /** The encoder's cache for one memo part: object → its bytes. */
  encodingsOf(part: Shape): WeakMap<object, Uint8Array> {
    let m = this.encodings.get(part);
    if (!m) this.encodings.set(part, (m = new WeakMap()));
    return m;
  }

  /** An object decoded lately from the same bytes as `buf[start, end)`, or undefined. */
  known(part: Shape, buf: Uint8Array, start: number, end: number): object | undefined {
    const hit = this.decoded.get(part)?.get(hash(buf, start, end));
    if (!hit || hit.bytes.length !== end - start) return undefined;
    for (let i = 0; i < hit.bytes.length; i++) if (hit.bytes[i] !== buf[start + i]) return undefined;
    return hit.value;
  }

  /** Remember `value`, just decoded from `buf[start, end)`: for `known`, and its bytes for the encoder. */
  remember(part: Shape, value: object, buf: Uint8Array, start: number, end: number): void {
    let m = this.decoded.get(part);
    if (!m) this.decoded.set(part, (m = new Map()));
    const bytes = buf.slice(start, end);
    if (m.size >= MAX_DECODED) m.clear();
    m.set(hash(buf, start, end), { bytes, value });
    this.encodingsOf(part).set(value, bytes);
  }
}

const hash = (buf: Uint8Array, start: number, end: number): number => {
  let h = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
};
