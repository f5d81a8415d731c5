/**
 * The levels of `check --workers N` (src/explore/level-chunks.ts): records come back as they were
 * written, from shared pages or, past the queue budget, from the writer's spill files.
 */
import { describe, expect, it } from "vitest";
import { appendAll, ChunkWriter, forEachRecord, type Chunk } from "../../src/explore/level-chunks.js";

const record = (node: number): Uint8Array => Uint8Array.from({ length: 9 + ((node * 37) % 90) }, (_, i) => (node * 31 + i) & 0xff);

const readAll = (chunks: readonly Chunk[]): [number, string][] => {
  const out: [number, string][] = [];
  for (const c of chunks) forEachRecord(c, (node, bytes, start, end) => void out.push([node, Buffer.from(bytes.subarray(start, end)).toString("hex")]));
  return out;
};

const written = (from: number, n: number): [number, string][] => Array.from({ length: n }, (_, i) => [from + i, Buffer.from(record(from + i)).toString("hex")]);

describe("level chunks (src/explore/level-chunks.ts)", () => {
  it("without a budget every chunk is a page of shared memory, read back in order", () => {
    const w = new ChunkWriter({ pageBytes: 512 });
    w.startLevel();
    for (let i = 0; i < 200; i++) w.push(i, record(i), record(i).length);
    expect(w.spilledBytes).toBe(0);
    const chunks = w.take();
    expect(chunks.every((c) => "page" in c)).toBe(true);
    expect(readAll(chunks)).toEqual(written(0, 200));
    expect(w.descriptors).toEqual([]);
  });

  it("past the budget full pages go to a spill file; the records come back the same, in order", () => {
    const w = new ChunkWriter({ pageBytes: 512, budgetBytes: 1024 });
    w.startLevel();
    for (let i = 0; i < 300; i++) w.push(i, record(i), record(i).length);
    const spilled = w.spilledBytes;
    const held = w.heldBytes;
    const chunks = w.take();
    expect(spilled).toBeGreaterThan(10_000);
    // In memory: the budget and the page that passed it, plus the page being written.
    expect(held).toBeLessThanOrEqual(1024 + 2 * 512);
    expect(chunks.some((c) => "fd" in c)).toBe(true);
    expect(chunks.some((c) => "page" in c)).toBe(true);
    expect(readAll(chunks)).toEqual(written(0, 300));
    expect(w.descriptors.length).toBe(1);
    w.close();
    expect(w.descriptors).toEqual([]);
  });

  it("two files in turn: a level stays readable while the next is written, and its file is truncated when the level after that starts", () => {
    const w = new ChunkWriter({ pageBytes: 256, budgetBytes: 0 });
    w.startLevel();
    for (let i = 0; i < 100; i++) w.push(i, record(i), record(i).length);
    const a = w.take();
    w.startLevel();
    // Level B is written while level A is read (as workers do).
    const readA = readAll(a);
    for (let i = 1000; i < 1100; i++) w.push(i, record(i), record(i).length);
    const b = w.take();
    expect(readA).toEqual(written(0, 100));
    expect(readAll(a)).toEqual(written(0, 100));
    expect(w.descriptors.length).toBe(2);
    w.startLevel();
    expect(readAll(b)).toEqual(written(1000, 100));
    // A's file was truncated: reading its spilled chunks is an error, never old bytes taken for records.
    expect(() => readAll(a.filter((c) => "fd" in c))).toThrow(/ends early/);
    w.close();
  });

  it("a level's chunks are gathered without spreading them as arguments: 500,000 of them (a level of 16 M states) do not overflow the stack", () => {
    const many = Array.from({ length: 500_000 }, (_, i) => i);
    const to = [-1];
    appendAll(to, many);
    expect(to.length).toBe(500_001);
    expect([to[0], to[1], to[500_000]]).toEqual([-1, 0, 499_999]);
    // What the loop replaced: the spread of that many arguments throws.
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
  });

  it("a page size that cannot hold records aligned is refused", () => {
    expect(() => new ChunkWriter({ pageBytes: 30 })).toThrow(RangeError);
    expect(() => new ChunkWriter({ pageBytes: 130 })).toThrow(RangeError);
  });
});
