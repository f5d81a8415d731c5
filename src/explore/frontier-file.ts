/**
 * The file one shard sends another in a round of the sharded search (shard.ts): the states it
 * found that the other shard owns, each as its path (the input indices from the initial state)
 * and its binary state encoding (encoding.ts; decoding.ts is its exact inverse). Binary instead
 * of JSON: a qemu state is 1.2–1.5 KB encoded against a few KB of JSON text, and a received state
 * is checked by decoding it (a `DecodingError` names the path and byte of anything that is not an
 * encoding), not by parsing and re-encoding it.
 *
 * Layout (little-endian, varints are LEB128 as the encoding writes them):
 *   "VMBSFRT1"                  8 bytes, the format and its version
 *   shape fingerprint           8 bytes: fingerprint64 of the state description (state-shape.ts)
 *                               the sender encoded with; a shard of another version is refused
 *   records, to the end:        parent fingerprint (8 bytes: the state it was reached from, for
 *                               the liveness graph, shard-graph.ts), varint path length,
 *                               varint × path length, varint n, n bytes (the state's encoding)
 */
import { DecodingError, Reader } from "./decoding.js";
import { HEADER_BYTES, headerProblem, writeHeader, writeI32 } from "./binary-header.js";
import { ENCODING_VERSION, fingerprint64, Writer } from "./encoding.js";
import type { Shape } from "./shape.js";

const MAGIC = [0x56, 0x4d, 0x42, 0x53, 0x46, 0x52, 0x54, 0x31]; // "VMBSFRT1"

/** What a frontier file holds that its reader cannot take; `offset` is the byte where it is wrong. */
export class FrontierFileError extends Error {
  constructor(
    readonly what: string,
    readonly offset: number,
  ) {
    super(`${what} (byte ${offset})`);
  }
}

/** The fingerprint of a state description, as two 32-bit halves. */
export const shapeFingerprint = (shape: Shape): readonly [number, number] => {
  const text = new TextEncoder().encode(JSON.stringify({ encoding: ENCODING_VERSION, shape }));
  const out = new Int32Array(2);
  fingerprint64(text, text.length, out);
  return [out[0]!, out[1]!];
};

/** Writes the frontier file for one receiver: `add` each state, then `bytes()`. */
export class FrontierWriter {
  private readonly w = new Writer();
  count = 0;
  constructor(shape: readonly [number, number]) {
    writeHeader(this.w, MAGIC, shape);
  }
  add(parentHi: number, parentLo: number, path: readonly number[], encoding: Uint8Array, n = encoding.length): void {
    writeI32(this.w, parentHi);
    writeI32(this.w, parentLo);
    this.w.varint(path.length);
    for (const k of path) this.w.varint(k);
    this.w.varint(n);
    this.w.bytes(n === encoding.length ? encoding : encoding.subarray(0, n));
    this.count++;
  }
  bytes(): Uint8Array {
    return this.w.buf.subarray(0, this.w.pos);
  }
}

export interface FrontierRecord {
  readonly parentHi: number;
  readonly parentLo: number;
  readonly path: number[];
  /** The state's encoding: a view into the file's bytes. */
  readonly encoding: Uint8Array;
}

/** The records of a frontier file; throws FrontierFileError on a wrong header or a cut record. */
export function* readFrontier(buf: Uint8Array, shape: readonly [number, number]): Generator<FrontierRecord> {
  const problem = headerProblem(buf, MAGIC, shape);
  if (problem === "magic") throw new FrontierFileError("not a vmbus-spec frontier file (VMBSFRT1)", 0);
  if (problem === "shape") throw new FrontierFileError("written for another state description: do the shards run the same version?", 8);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = new Reader();
  r.reset(buf, HEADER_BYTES, buf.length);
  while (r.pos < r.end) {
    const start = r.pos;
    try {
      if (r.pos + 8 > r.end) r.fail("truncated");
      const parentHi = view.getInt32(r.pos, true);
      const parentLo = view.getInt32(r.pos + 4, true);
      r.pos += 8;
      const length = r.varint();
      if (length > r.end - r.pos) r.fail("path longer than the bytes left");
      const path: number[] = [];
      for (let i = 0; i < length; i++) path.push(r.varint());
      const n = r.varint();
      if (n > r.end - r.pos) r.fail("state encoding longer than the bytes left");
      const encoding = buf.subarray(r.pos, r.pos + n);
      r.pos += n;
      yield { parentHi, parentLo, path, encoding };
    } catch (e) {
      if (e instanceof DecodingError) throw new FrontierFileError(`record at byte ${start}: ${e.what}`, e.offset);
      throw e;
    }
  }
}
