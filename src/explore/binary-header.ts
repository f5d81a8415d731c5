/**
 * The header the checker's binary side files share (frontier files, frontier-file.ts; graph
 * files, shard-graph.ts): 8 bytes of magic naming the format and its version, then the
 * fingerprint of the state description the writer encoded with (two little-endian i32), so a
 * file of another format or another version of vmbus-spec is refused before any record is read.
 */
import type { Writer } from "./encoding.js";

export const HEADER_BYTES = 16;

/** A little-endian i32. */
export const writeI32 = (w: Writer, x: number): void => {
  for (let i = 0; i < 4; i++) w.byte((x >>> (8 * i)) & 0xff);
};

export const writeHeader = (w: Writer, magic: readonly number[], shape: readonly [number, number]): void => {
  for (const b of magic) w.byte(b);
  writeI32(w, shape[0]);
  writeI32(w, shape[1]);
};

/** What is wrong with a file's header, if anything. */
export const headerProblem = (buf: Uint8Array, magic: readonly number[], shape: readonly [number, number]): "magic" | "shape" | undefined => {
  if (buf.length < HEADER_BYTES || magic.some((b, i) => buf[i] !== b)) return "magic";
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return view.getInt32(8, true) !== shape[0] || view.getInt32(12, true) !== shape[1] ? "shape" : undefined;
};
