/**
 * Incremental encoding (src/explore/kept-parts.ts) and the interner's content keys
 * (src/explore/intern.ts): speed-ups that must not change a single byte of the encoding.
 */
import { describe, expect, it } from "vitest";
import { canonicalKey } from "../../spec/system/canonical.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { explore } from "../../src/explore/bfs.js";
import { checkConfig, type CheckOptions } from "../../src/explore/check.js";
import { stateDecoder } from "../../src/explore/decoding.js";
import { encodeToBytes, stateEncoder } from "../../src/explore/encoding.js";
import { Interner } from "../../src/explore/intern.js";
import { KeptParts } from "../../src/explore/kept-parts.js";
import { kept, memo, plain, record, u32, type Shape } from "../../src/explore/shape.js";
import { SPEC_SYSTEM_STATE } from "../../src/explore/state-shape.js";

const CONFIGS: readonly CheckOptions[] = [
  { profile: "qemu", channels: 2, gpadls: 1, depth: 400, maxStates: 0, hostile: false },
  { profile: "strict", channels: 1, gpadls: 1, depth: 400, maxStates: 0, hostile: false, rescinds: 1, modify: true, ringPages: 20 },
  { profile: "openvmm", channels: 1, gpadls: 0, depth: 16, maxStates: 0, hostile: true, hostilePosts: 2 },
];

type State = ReturnType<typeof specSystem.initial>;

describe("kept parts (src/explore/kept-parts.ts): a successor's unchanged parts are copied from its decoded parent", () => {
  for (const o of CONFIGS) {
    it(`${o.profile}${o.hostile ? " hostile" : ""}: every successor encodes to the same bytes with and without registers, and the registers answer`, () => {
      const config = checkConfig(o);
      const interner = new Interner();
      const parts = new KeptParts();
      const withKept = stateEncoder(SPEC_SYSTEM_STATE, interner, parts);
      const plainEnc = stateEncoder(SPEC_SYSTEM_STATE, interner);
      const { decode } = stateDecoder(SPEC_SYSTEM_STATE, interner, parts);
      const seen = new Set<string>();
      let frontier: Uint8Array[] = [encodeToBytes(plainEnc, specSystem.initial(config))];
      let successors = 0;
      while (frontier.length > 0 && seen.size < 1500) {
        const next: Uint8Array[] = [];
        for (const bytes of frontier) {
          const s = decode(bytes) as State;
          for (const input of specSystem.enabled(config, s)) {
            const t = specSystem.step(config, s, input).state;
            const a = encodeToBytes(withKept, t);
            expect(a).toEqual(encodeToBytes(plainEnc, t));
            successors++;
            const k = Buffer.from(a).toString("latin1");
            if (!seen.has(k)) {
              seen.add(k);
              next.push(a);
            }
          }
        }
        frontier = next;
      }
      expect(successors).toBeGreaterThan(1000);
      // With a well-behaved guest, guest steps keep the host's object (a hostile post changes the host every time).
      const host = (SPEC_SYSTEM_STATE as Extract<Shape, { k: "record" }>).fields.host!;
      if (!o.hostile) expect(parts.of(host).hits).toBeGreaterThan(successors / 20);
      expect(parts.hits).toBeGreaterThan(successors / 2);
    });
  }

  it("a register answers only for the very object it decoded: an equal object or another value is encoded afresh", () => {
    const part = kept(record({ a: u32, b: memo(plain) }));
    const shape = record({ x: part, y: part });
    const parts = new KeptParts();
    const interner = new Interner();
    const enc = stateEncoder(shape, interner, parts);
    const { decode } = stateDecoder(shape, interner, parts);
    const v = { x: { a: 1, b: [1] }, y: { a: 2, b: [2] } };
    const decoded = decode(encodeToBytes(enc, v)) as typeof v;
    // One register per part of the description: the last object decoded there (y) is the one it holds.
    const reg = parts.of(part);
    expect(reg.obj).toBe(decoded.y);
    const before = reg.hits;
    expect(encodeToBytes(enc, { x: decoded.y, y: { a: 2, b: [2] } })).toEqual(encodeToBytes(stateEncoder(shape, interner), { x: { a: 2, b: [2] }, y: { a: 2, b: [2] } }));
    expect(reg.hits).toBe(before + 1);
    expect(encodeToBytes(enc, { x: { a: 3, b: [2] }, y: { a: 2, b: [2] } })).toEqual(encodeToBytes(stateEncoder(shape, interner), { x: { a: 3, b: [2] }, y: { a: 2, b: [2] } }));
    expect(reg.hits).toBe(before + 1);
  });

  it("a search with registers explores what a search of live objects does (qemu, 3 channels × 1 GPADL, bounded)", () => {
    const o: CheckOptions = { profile: "qemu", channels: 3, gpadls: 1, depth: 400, maxStates: 0, hostile: false };
    const config = checkConfig(o);
    const opts = { maxDepth: 400, maxStates: 15000, shape: SPEC_SYSTEM_STATE } as const;
    const live = explore(specSystem, config, { ...opts, queue: "live" });
    const compact = explore(specSystem, config, opts);
    expect([compact.states, compact.transitions, compact.depth]).toEqual([live.states, live.transitions, live.depth]);
    expect(compact.outcomes.map((f) => [f.outcome.rule, f.trace.length])).toEqual(live.outcomes.map((f) => [f.outcome.rule, f.trace.length]));
  });
});

/** Every content gets the same map key: each lookup is a collision, settled by the bytes. */
class CollidingInterner extends Interner {
  protected override key(): number {
    return 0;
  }
}

describe("the interner's content keys (src/explore/intern.ts): a fingerprint, confirmed by the bytes", () => {
  it("equal contents share an id and distinct contents never do, even when every fingerprint key collides", () => {
    // a and c are the same part of the description (they share ids); b is another part.
    const same = memo(plain);
    const shape = record({ a: same, b: memo(plain), c: same });
    const values = Array.from({ length: 60 }, (_, i) => ({ a: { n: i % 7 }, b: [i % 5, "x"], c: { n: i % 7 } }));
    for (const interner of [new Interner(), new CollidingInterner()]) {
      const enc = stateEncoder(shape, interner);
      const { decode } = stateDecoder(shape, interner);
      const byContent = new Map<string, string>();
      const byBytes = new Map<string, string>();
      for (const v of [...values, ...values.map((x) => JSON.parse(JSON.stringify(x)) as typeof x)]) {
        const b = Buffer.from(encodeToBytes(enc, v)).toString("hex");
        const k = canonicalKey(v);
        expect(byContent.get(k) ?? b).toBe(b);
        expect(byBytes.get(b) ?? k).toBe(k);
        byContent.set(k, b);
        byBytes.set(b, k);
        expect(canonicalKey(decode(Buffer.from(b, "hex")))).toBe(k);
      }
      // 7 distinct {n} objects (a and c share them) and 5 distinct arrays.
      expect(interner.values.length).toBe(12);
      expect(byContent.size).toBe(35);
    }
  });
});
