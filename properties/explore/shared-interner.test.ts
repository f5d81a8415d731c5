/**
 * The interner the threads of `check --workers N` share (src/explore/shared-interner.ts): the
 * queue's interned encoding with ids every thread agrees on. Worker threads load JavaScript, so
 * the race runs dist/ (`npm test` builds it first: pretest).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalKey } from "../../spec/system/canonical.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { checkConfig } from "../../src/explore/check.js";
import { stateDecoder } from "../../src/explore/decoding.js";
import { encodeToBytes, stateEncoder } from "../../src/explore/encoding.js";
import { allocateSharedInterner, SharedInterner, SharedPartsFull } from "../../src/explore/shared-interner.js";
import { array, memo, plain, record, str, u32 } from "../../src/explore/shape.js";
import { SPEC_SYSTEM_STATE } from "../../src/explore/state-shape.js";

const dist = (f: string): string => pathToFileURL(resolve("dist", f)).href;

describe("the shared interner", () => {
  it("a state encoded by one thread decodes in another from the shared bytes alone, and re-encodes to the same bytes there", () => {
    const buffers = allocateSharedInterner(1 << 16, 1 << 22);
    const writer = new SharedInterner(buffers, SPEC_SYSTEM_STATE);
    // Another thread's view: the same buffers, none of the writer's objects.
    const reader = new SharedInterner(buffers, SPEC_SYSTEM_STATE);
    const enc = stateEncoder(SPEC_SYSTEM_STATE, writer);
    const { decode } = stateDecoder(SPEC_SYSTEM_STATE, reader);
    const encThere = stateEncoder(SPEC_SYSTEM_STATE, reader);
    const config = checkConfig({ profile: "qemu", channels: 2, gpadls: 1, depth: 400, maxStates: 0, hostile: false });
    let level = [specSystem.initial(config)];
    const seen = new Set<string>();
    let checked = 0;
    while (level.length > 0 && checked < 800) {
      const next: typeof level = [];
      for (const s of level)
        for (const i of specSystem.enabled(config, s)) {
          const t = specSystem.step(config, s, i).state;
          const k = canonicalKey(t);
          if (seen.has(k)) continue;
          seen.add(k);
          next.push(t);
          const bytes = encodeToBytes(enc, t);
          const back = decode(bytes) as typeof t;
          expect(canonicalKey(back)).toBe(k);
          expect(encodeToBytes(encThere, back)).toEqual(bytes);
          checked++;
        }
      level = next;
    }
    expect(checked).toBeGreaterThan(500);
    // What it is for: a state is a few hundred bytes, its parts stored once.
    expect(encodeToBytes(enc, level[0]!).length).toBeLessThan(400);
  });

  it("equal bytes of two different parts, and a string with a part's bytes, get ids of their own", () => {
    const shape = record({ a: memo(array(u32)), b: memo(record({ x: u32, y: u32 })), c: memo(plain), s: str });
    const buffers = allocateSharedInterner(64, 4096);
    const one = new SharedInterner(buffers, shape);
    const other = new SharedInterner(buffers, shape);
    const enc = stateEncoder(shape, one);
    const { decode } = stateDecoder(shape, other);
    for (const v of [
      { a: [1], b: { x: 1, y: 1 }, c: 5, s: "\u0001\u0001" },
      { a: [2, 7], b: { x: 2, y: 7 }, c: null, s: "" },
    ])
      expect(decode(encodeToBytes(enc, v))).toEqual(v);
  });

  it("a full store stops with SharedPartsFull, in the thread that filled it and in any other that meets it", () => {
    const shape = record({ s: str });
    const buffers = allocateSharedInterner(2, 1024);
    const a = new SharedInterner(buffers, shape);
    const b = new SharedInterner(buffers, shape);
    expect([a.string("x"), a.string("y"), b.string("x")]).toEqual([0, 1, 0]);
    expect(() => b.string("z")).toThrow(SharedPartsFull);
    expect(() => a.string("w")).toThrow(SharedPartsFull);
  });

  it("threads interning overlapping contents at once: each distinct content gets one id, the same in every thread", async () => {
    const content = fc.array(fc.string({ maxLength: 6 }), { maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(content, content, async (a, b) => {
        const buffers = allocateSharedInterner(1024, 1 << 16);
        const race = (list: string[]): Promise<number[]> =>
          new Promise((done, fail) => {
            const w = new Worker(
              `const { workerData, parentPort } = require("node:worker_threads");
import(workerData.url).then(({ SharedInterner }) => import(workerData.shapeUrl).then(({ record, str }) => {
  const i = new SharedInterner(workerData.buffers, record({ s: str }));
  parentPort.postMessage(workerData.list.map((s) => i.string(s)));
}));`,
              { eval: true, workerData: { url: dist("src/explore/shared-interner.js"), shapeUrl: dist("src/explore/shape.js"), buffers, list } },
            );
            w.once("message", (m: number[]) => {
              done(m);
              void w.terminate();
            });
            w.once("error", fail);
          });
        const [ia, ib] = await Promise.all([race(a), race(b)]);
        const idOf = new Map<string, number>();
        [...a.map((s, k) => [s, ia[k]!] as const), ...b.map((s, k) => [s, ib[k]!] as const)].forEach(([s, id]) => {
          expect(idOf.get(s) ?? id).toBe(id);
          idOf.set(s, id);
        });
        expect(new Set(idOf.values()).size).toBe(idOf.size);
        const here = new SharedInterner(buffers, record({ s: str }));
        expect(here.size).toBe(idOf.size);
        for (const [s, id] of idOf) expect(here.string(s)).toBe(id);
      }),
      { numRuns: 10 },
    );
  });
});
