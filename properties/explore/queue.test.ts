import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalKey } from "../../spec/system/canonical.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { explore } from "../../src/explore/bfs.js";
import { checkConfig, type CheckOptions } from "../../src/explore/check.js";
import { DecodingError, stateDecoder } from "../../src/explore/decoding.js";
import { encodeToBytes, stateEncoder } from "../../src/explore/encoding.js";
import { Interner } from "../../src/explore/intern.js";
import { StateQueue } from "../../src/explore/queue.js";
import { SPEC_SYSTEM_STATE } from "../../src/explore/state-shape.js";
import { array, bool, hex, memo, nullable, num, oneOf, plain, record, str, u32, union } from "../../src/explore/shape.js";

const CONFIGS: readonly CheckOptions[] = [
  { profile: "strict", channels: 1, gpadls: 1, depth: 400, maxStates: 0, hostile: false, rescinds: 1, modify: true, ringPages: 20 },
  { profile: "qemu", channels: 1, offers: 2, gpadls: 0, depth: 400, maxStates: 0, hostile: true, hostileStart: "open", hostilePosts: 2 },
  { profile: "openvmm", channels: 1, gpadls: 0, depth: 16, maxStates: 0, hostile: true, hostilePosts: 2 },
];

/** Reachable states of a configuration, breadth-first, at most `limit` (computed once per configuration). */
const cache = new Map<CheckOptions, ReturnType<typeof reach>>();
const reachable = (o: CheckOptions, limit: number) => {
  if (!cache.has(o)) cache.set(o, reach(o, limit));
  return cache.get(o)!;
};
const reach = (o: CheckOptions, limit: number) => {
  const config = checkConfig(o);
  const seen = new Set<string>();
  const out = [specSystem.initial(config)];
  let frontier = [...out];
  while (frontier.length > 0 && out.length < limit) {
    const next = [];
    for (const s of frontier)
      for (const i of specSystem.enabled(config, s)) {
        if (out.length >= limit) return out;
        const t = specSystem.step(config, s, i).state;
        const k = canonicalKey(t);
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(t);
        next.push(t);
      }
    frontier = next;
  }
  return out;
};

describe("state decoding (src/explore/decoding.ts): the inverse of the encoding", () => {
  for (const o of CONFIGS) {
    it(`${o.profile}${o.hostile ? " hostile" : ""}: decode(encode(s)) is s, for reachable states`, () => {
      const enc = stateEncoder(SPEC_SYSTEM_STATE);
      const { decode } = stateDecoder(SPEC_SYSTEM_STATE);
      const states = reachable(o, 600);
      expect(states.length).toBeGreaterThan(300);
      states.forEach((s, i) => {
        const bytes = encodeToBytes(enc, s);
        const back = decode(bytes);
        expect(canonicalKey(back)).toBe(canonicalKey(s));
        if (i % 10 === 0) expect(back).toEqual(s);
        expect(encodeToBytes(enc, back)).toEqual(bytes);
      });
    });
  }

  for (const o of CONFIGS) {
    it(`${o.profile}${o.hostile ? " hostile" : ""}: the queue's interned encoding is injective and decodes to the state, sharing its parts`, () => {
      const interner = new Interner();
      const enc = stateEncoder(SPEC_SYSTEM_STATE, interner);
      const { decode } = stateDecoder(SPEC_SYSTEM_STATE, interner);
      const full = stateEncoder(SPEC_SYSTEM_STATE);
      const byKey = new Map<string, string>();
      const byEnc = new Map<string, string>();
      let bytes = 0;
      let fullBytes = 0;
      const states = reachable(o, 600);
      // Equal states built along other paths (other objects) must encode equally: rebuild each from JSON.
      for (const s of [...states, ...states.slice(0, 200).map((x) => JSON.parse(JSON.stringify(x)) as typeof x)]) {
        const k = canonicalKey(s);
        const b = encodeToBytes(enc, s);
        const e = Buffer.from(b).toString("hex");
        expect(byKey.get(k) ?? e).toBe(e);
        expect(byEnc.get(e) ?? k).toBe(k);
        byKey.set(k, e);
        byEnc.set(e, k);
        const back = decode(b);
        expect(canonicalKey(back)).toBe(k);
        expect(encodeToBytes(enc, back)).toEqual(b);
        bytes += b.length;
        fullBytes += encodeToBytes(full, s).length;
      }
      // What the interning is for: a queued state is a fraction of its full encoding.
      expect(bytes).toBeLessThan(fullBytes / 2);
      expect(() => decode(Uint8Array.from([...encodeToBytes(enc, states[0]!).slice(0, 1), 0x7f]))).toThrow(DecodingError);
    });
  }

  const SHAPE = record(
    {
      a: u32,
      b: num,
      c: bool,
      d: str,
      e: hex,
      f: oneOf("x", "y"),
      g: nullable(array(u32)),
      h: union("kind", { one: record({ v: u32 }), two: record({ w: memo(plain) }, ["opt"]) }),
    },
    ["g"],
  );
  const value = fc.record(
    {
      a: fc.nat({ max: 0xffffffff }),
      b: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
      c: fc.boolean(),
      d: fc.string({ unit: "binary" }),
      e: fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b).toString("hex")),
      f: fc.constantFrom("x", "y"),
      g: fc.option(fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 4 }), { nil: null }),
      h: fc.oneof(
        fc.record({ kind: fc.constant("one"), v: fc.nat({ max: 0xffffffff }) }),
        fc.record({ kind: fc.constant("two"), w: fc.jsonValue().map((j) => JSON.parse(JSON.stringify(j, (_k, x) => (Object.is(x, -0) ? 0 : x))) as unknown) }),
      ),
    },
    { requiredKeys: ["a", "b", "c", "d", "e", "f", "h"] },
  );

  it("round-trips every value a shape admits (every kind of shape)", () => {
    const enc = stateEncoder(SHAPE);
    const { decode } = stateDecoder(SHAPE);
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeToBytes(enc, v);
        expect(decode(bytes)).toEqual(v);
      }),
    );
  });

  it("round-trips every value a shape admits through the queue's interned encoding too (primitive plain parts included)", () => {
    const interner = new Interner();
    const enc = stateEncoder(SHAPE, interner);
    const { decode } = stateDecoder(SHAPE, interner);
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeToBytes(enc, v);
        expect(decode(bytes)).toEqual(v);
        expect(encodeToBytes(enc, decode(bytes))).toEqual(bytes);
      }),
    );
  });

  it("two parts of different shapes whose encodings are the same bytes keep their own ids and decode as themselves", () => {
    // [1, 1] as an array of u32 and {x: 1} … as a record of two u32 both encode as 01 01 (and 1 alone as 01).
    const shape = record({ a: memo(array(u32)), b: memo(record({ x: u32, y: u32 })), c: memo(plain), d: memo(plain) });
    const interner = new Interner();
    const enc = stateEncoder(shape, interner);
    const { decode } = stateDecoder(shape, interner);
    for (const v of [
      { a: [1], b: { x: 1, y: 1 }, c: 5, d: "5" },
      { a: [2, 7], b: { x: 2, y: 7 }, c: [2, 7], d: { x: 2 } },
      { a: [1], b: { x: 1, y: 1 }, c: null, d: 5 },
    ]) {
      const bytes = encodeToBytes(enc, v);
      expect(decode(bytes)).toEqual(v);
      expect(encodeToBytes(enc, JSON.parse(JSON.stringify(v)))).toEqual(bytes);
    }
  });

  it("bytes that are not an encoding are an error naming the path and byte, never a value", () => {
    const enc = stateEncoder(SHAPE);
    const { decode } = stateDecoder(SHAPE);
    const good = encodeToBytes(enc, { a: 1, b: 2, c: true, d: "s", e: "ab", f: "y", h: { kind: "one", v: 3 } });
    expect(decode(good)).toEqual({ a: 1, b: 2, c: true, d: "s", e: "ab", f: "y", h: { kind: "one", v: 3 } });
    const bad = (bytes: number[], what: RegExp) => {
      let err: unknown;
      try {
        decode(Uint8Array.from(bytes));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DecodingError);
      expect((err as Error).message).toMatch(what);
    };
    bad([...good, 0], /trailing byte/);
    bad([...good.slice(0, good.length - 1)], /h\.v at byte \d+: truncated/);
    bad([...good.slice(0, 3), 2, ...good.slice(4)], /^state decoding: c at byte 3: boolean byte 2/);
    // Every byte sequence either decodes to a value that re-encodes to the same bytes, or is an error.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        let v: unknown;
        try {
          v = decode(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodingError);
          return;
        }
        expect(encodeToBytes(enc, v)).toEqual(b);
      }),
    );
  });
});

describe("the compact queue (src/explore/queue.ts)", () => {
  const rec = (i: number): Uint8Array => Uint8Array.from({ length: i % 37 }, (_, j) => (i * 7 + j) & 0xff);

  it("is first-in first-out across chunks, and spills past its budget to a file it reads back in order", () => {
    for (const budgetBytes of [Infinity, 0, 300]) {
      const q = new StateQueue({ chunkBytes: 64, budgetBytes });
      let next = 0;
      let pushed = 0;
      // Interleave pushes and shifts (a level read while the next is written).
      for (let round = 0; round < 50; round++) {
        for (let k = 0; k < 7; k++, pushed++) q.push(rec(pushed), rec(pushed).length, pushed * 3);
        for (let k = 0; k < 5 && q.length > 0; k++, next++) {
          const r = q.shift()!;
          expect(r.node).toBe(next * 3);
          expect(r.buf.subarray(r.start, r.end)).toEqual(rec(next));
        }
      }
      while (q.length > 0) {
        const r = q.shift()!;
        expect(r.node).toBe(next * 3);
        expect(r.buf.subarray(r.start, r.end)).toEqual(rec(next));
        next++;
      }
      expect(next).toBe(pushed);
      expect(q.shift()).toBeNull();
      if (budgetBytes === Infinity) expect(q.spilledBytes).toBe(0);
      else expect(q.spilledBytes).toBeGreaterThan(0);
      q.close();
    }
  });

  it("a record larger than a chunk gets a chunk of its own", () => {
    const q = new StateQueue({ chunkBytes: 64, budgetBytes: 0 });
    const big = Uint8Array.from({ length: 500 }, (_, i) => i & 0xff);
    q.push(rec(1), rec(1).length, 1);
    q.push(big, big.length, 2);
    q.push(rec(3), rec(3).length, 3);
    expect([1, 2, 3].map(() => q.shift()!).map((r) => [r.node, r.end - r.start])).toEqual([
      [1, rec(1).length],
      [2, 500],
      [3, rec(3).length],
    ]);
    q.close();
  });

  it("explores the same states, transitions and findings as live objects, spilling or not", () => {
    for (const o of CONFIGS) {
      const config = checkConfig(o);
      const opts = { maxDepth: o.depth, maxStates: 20000, shape: SPEC_SYSTEM_STATE } as const;
      const live = explore(specSystem, config, { ...opts, queue: "live" });
      const compact = explore(specSystem, config, opts);
      const spilled = explore(specSystem, config, { ...opts, queueBudgetBytes: 0 });
      for (const r of [compact, spilled]) {
        expect(r.queue.kind).toBe("compact");
        expect([r.states, r.transitions, r.depth, r.complete]).toEqual([live.states, live.transitions, live.depth, live.complete]);
        expect(r.findings.map((f) => [f.violation.rule, f.trace.length])).toEqual(live.findings.map((f) => [f.violation.rule, f.trace.length]));
        expect(r.outcomes.map((f) => [f.outcome.rule, f.trace.length])).toEqual(live.outcomes.map((f) => [f.outcome.rule, f.trace.length]));
      }
      expect(live.queue.kind).toBe("live");
      expect(compact.queue.spilledBytes).toBe(0);
      expect(compact.queue.peakBytes).toBeGreaterThan(0);
    }
  });
});
