/** Shared helpers for the vector replay tests: temp dirs, JSON loading through io-ts, tree comparison. */
import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import type * as t from "io-ts";
import { hexToBytes } from "../../spec/wire/hex.js";
import { decodeWith } from "../../src/io/vectors.js";

export const bytes = (h: string): Uint8Array => {
  const r = hexToBytes(h);
  if (!r.ok) throw new Error(`bad hex in vector: ${h.slice(0, 40)}`);
  return r.value;
};

/** Load `dir/name` and decode it with `codec`; a malformed file throws with the path of the bad field. */
export const loadAs = async <A>(codec: t.Type<A, unknown, unknown>, dir: string, name: string): Promise<A> => {
  const r = decodeWith(codec, name, JSON.parse(await readFile(join(dir, name), "utf8")));
  if (!r.ok) throw new Error(r.errors.join("\n"));
  return r.value;
};

/** Every file under `dir`, as paths relative to it, sorted. */
export const walk = async (dir: string): Promise<string[]> => {
  const out: string[] = [];
  const go = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await go(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  await go(dir);
  return out.sort();
};

/** JSON round trip: drops undefined fields, as a vector file would. */
export const plain = <T>(x: T): unknown => JSON.parse(JSON.stringify(x));
