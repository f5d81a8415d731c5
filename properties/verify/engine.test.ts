import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type ObservationModel } from "../../src/conformance/engine.js";

// A toy spec: a counter that may silently tick (+1, up to `max`) and emits its value when observed.
// Observing `v` is possible exactly from the states reachable by silent ticks whose value is v;
// emitting resets the counter to 0.
const counter = (max: number): ObservationModel<number, number> => ({
  key: (s) => String(s),
  silent: (s) => (s < max ? [{ label: `tick ${s + 1}`, state: s + 1 }] : []),
  explain: (s, e) => (s === e ? [{ label: `emit ${e}`, state: 0 }] : []),
  expected: (s) => [{ description: `emit ${s}`, rules: [`TOY-EMIT-${s}`] }],
});

// A nondeterministic spec: from n, an event `x` leads to both n+x and n*x (distinct states).
const branching: ObservationModel<number, number> = {
  key: (s) => String(s),
  silent: () => [],
  explain: (s, e) => [
    { label: `add ${e}`, state: s + e },
    { label: `mul ${e}`, state: s * e },
  ],
  expected: () => [],
};

describe("conformance engine", () => {
  it("accepts exactly the observations some silent interleaving explains", () => {
    const e = createEngine(counter(5), [0], { maxStates: 100, maxSilentDepth: 10 });
    expect(e.size()).toBe(6); // 0..5 after closure
    expect(e.observe(3)).toEqual({ ok: true, states: 6, truncated: false });
    expect(e.witness()).toEqual(["tick 1", "tick 2", "tick 3", "emit 3", ]);
  });

  it("rejects with the union of expectations and their rules; the set is left unchanged", () => {
    const e = createEngine(counter(2), [0], { maxStates: 100, maxSilentDepth: 10 });
    const r = e.observe(7);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.states).toBe(0);
    expect(r.truncated).toBe(false);
    expect(r.expected.map((x) => x.description)).toEqual(["emit 0", "emit 1", "emit 2"]);
    expect(r.rules).toEqual(["TOY-EMIT-0", "TOY-EMIT-1", "TOY-EMIT-2"]);
    expect(e.size()).toBe(3);
    expect(e.observe(2).ok).toBe(true);
  });

  it("the silent depth bound cuts the closure and reports truncation (a rejection is then inconclusive)", () => {
    const e = createEngine(counter(10), [0], { maxStates: 100, maxSilentDepth: 2 });
    expect(e.size()).toBe(3);
    const r = e.observe(5);
    expect(r).toMatchObject({ ok: false, truncated: true });
  });

  it("the state bound caps the set and reports truncation", () => {
    const e = createEngine(branching, [3], { maxStates: 4, maxSilentDepth: 0 });
    for (const x of [2, 3, 5]) expect(e.observe(x).ok).toBe(true);
    expect(e.size()).toBeLessThanOrEqual(4);
    expect(e.observe(1)).toMatchObject({ ok: true, truncated: true });
  });

  it("an untruncated run never reports truncation", () => {
    const e = createEngine(counter(3), [0], { maxStates: 100, maxSilentDepth: 3 });
    expect(e.observe(3)).toEqual({ ok: true, states: 4, truncated: false });
  });

  it("witness replays: every label sequence reaches a surviving state (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 8 }), (xs) => {
        const e = createEngine(branching, [1], { maxStates: 10_000, maxSilentDepth: 0 });
        for (const x of xs) expect(e.observe(x).ok).toBe(true);
        // Re-run the labels on the toy spec and check the result is in the set.
        let s = 1;
        for (const l of e.witness()) {
          const [op, n] = l.split(" ") as [string, string];
          s = op === "add" ? s + Number(n) : s * Number(n);
        }
        expect(e.states()).toContain(s);
        expect(e.witness()).toHaveLength(xs.length);
      }),
      { seed: 8, numRuns: 100 },
    );
  });

  it("de-duplicates by key: two paths to one state count once", () => {
    const e = createEngine(branching, [2], { maxStates: 100, maxSilentDepth: 0 });
    expect(e.observe(2)).toEqual({ ok: true, states: 1, truncated: false }); // 2+2 = 2*2
  });

  it("an empty initial set rejects everything with no expectations", () => {
    const e = createEngine(counter(1), [], { maxStates: 10, maxSilentDepth: 1 });
    expect(e.observe(0)).toEqual({ ok: false, states: 0, expected: [], rules: [], truncated: false });
    expect(e.witness()).toEqual([]);
  });
});
