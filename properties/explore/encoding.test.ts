import { describe, expect, it } from "vitest";
import { CanonicalError, canonicalKey } from "../../spec/system/canonical.js";
import type { SystemState } from "../../spec/system/state.js";
import { specSystem } from "../../spec/system/spec-host.js";
import type { HostState } from "../../spec/host/state.js";
import { explore } from "../../src/explore/bfs.js";
import { checkConfig, type CheckOptions } from "../../src/explore/check.js";
import { encodeToBytes, EncodingError, stateEncoder } from "../../src/explore/encoding.js";
import { SPEC_SYSTEM_STATE } from "../../src/explore/state-shape.js";

/** Reachable states of a check configuration, breadth-first, at most `limit`. */
const reachable = (o: CheckOptions, limit: number): SystemState<HostState>[] => {
  const config = checkConfig(o);
  const seen = new Set<string>();
  const out: SystemState<HostState>[] = [];
  let frontier = [specSystem.initial(config)];
  while (frontier.length > 0 && out.length < limit) {
    const next: SystemState<HostState>[] = [];
    for (const s of frontier) {
      for (const i of specSystem.enabled(config, s)) {
        const t = specSystem.step(config, s, i).state;
        const k = canonicalKey(t);
        if (seen.has(k)) {
          out.push(t); // equal states built along another path: must encode equally
          continue;
        }
        seen.add(k);
        out.push(t);
        next.push(t);
      }
    }
    frontier = next;
  }
  return out;
};

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

const CONFIGS: readonly CheckOptions[] = [
  { profile: "strict", channels: 1, gpadls: 1, depth: 400, maxStates: 0, hostile: false, rescinds: 1, modify: true, ringPages: 20 },
  { profile: "qemu", channels: 1, offers: 2, gpadls: 0, depth: 400, maxStates: 0, hostile: true, hostileStart: "open", hostilePosts: 2 },
  { profile: "openvmm", channels: 1, gpadls: 0, depth: 16, maxStates: 0, hostile: true, hostilePosts: 2 },
];

describe("binary state encoding (src/explore/state-shape.ts) against the exact canonical form", () => {
  for (const o of CONFIGS) {
    it(`${o.profile}${o.hostile ? " hostile" : ""}: equal states encode equally, distinct states distinctly`, () => {
      const enc = stateEncoder(SPEC_SYSTEM_STATE);
      const byKey = new Map<string, string>();
      const byEnc = new Map<string, string>();
      for (const s of reachable(o, 4000)) {
        const k = canonicalKey(s);
        const e = hex(encodeToBytes(enc, s));
        expect(byKey.get(k) ?? e).toBe(e);
        expect(byEnc.get(e) ?? k).toBe(k);
        byKey.set(k, e);
        byEnc.set(e, k);
      }
      expect(byKey.size).toBeGreaterThan(500);
    });
  }

  const config = checkConfig(CONFIGS[0]!);
  const init = specSystem.initial(config);
  const bad: readonly [string, unknown, RegExp][] = [
    ["a field the description does not know", { ...init, host: { ...init.host, newField: 1 } }, /host: unknown key\(s\) newField/],
    ["a key present with undefined", { ...init, slot: undefined }, /slot: present but undefined/],
    ["bigint", { ...init, host: { ...init.host, version: 5n } }, /host\.version: not a u32: bigint/],
    ["NaN", { ...init, host: { ...init.host, version: NaN } }, /not a u32: NaN/],
    ["-0", { ...init, hostile: { ...init.hostile, posts: -0 } }, /hostile\.posts: not a u32: -0/],
    ["a Map", { ...init, rescinded: new Map() }, /rescinded: not an array: Map/],
    ["a Set in plain data", { ...init, host: { ...init.host, gpadls: [{ id: 1, childRelid: 1, expected: 0, data: [], rangeCount: 0, state: "init", refcount: 1, header: new Set(), bodies: [] }] } }, /host\.gpadls\[0\]\.header: not plain data: Set/],
    ["an enum value not listed", { ...init, host: { ...init.host, bus: "elsewhere" } }, /host\.bus: not one of/],
    ["uppercase hex", { ...init, slot: { payloadSize: 1, payload: "AB", pending: false } }, /slot\.payload: not lowercase hex/],
  ];
  for (const [what, value, message] of bad) {
    it(`${what} is an error naming its path, never an encoding`, () => {
      const enc = stateEncoder(SPEC_SYSTEM_STATE);
      expect(() => encodeToBytes(enc, value)).toThrow(EncodingError);
      expect(() => encodeToBytes(enc, value)).toThrow(message);
    });
  }

  it("fingerprint and exact mode explore the same states and find the same", () => {
    const o = { profile: "qemu", channels: 1, gpadls: 0, depth: 100, maxStates: 100_000, hostile: true, hostilePosts: 2 } as const;
    const f = explore(specSystem, checkConfig(o), { maxDepth: 100, maxStates: 100_000, shape: SPEC_SYSTEM_STATE, mode: "fingerprint" });
    const x = explore(specSystem, checkConfig(o), { maxDepth: 100, maxStates: 100_000, mode: "exact" });
    expect([f.states, f.transitions, f.complete]).toEqual([x.states, x.transitions, x.complete]);
    const summary = (r: typeof f): string[] => r.findings.map((v) => `${v.violation.rule}:${v.trace.length}`);
    expect(summary(f)).toEqual(summary(x));
    expect(summary(f)).toContain("HOST-QEMU-DEFECT-2:3");
    expect(f.collisionProbability).toBeGreaterThan(0);
    expect(f.collisionProbability).toBeLessThan(1e-9);
  });
});

describe("canonicalKey (exact mode) refuses what JSON would merge", () => {
  for (const [what, v] of [["bigint", { a: 1n }], ["NaN", { a: NaN }], ["Infinity", [Infinity]], ["-0", { a: -0 }], ["a Map", { a: new Map() }], ["a Set", [new Set([1])]], ["an undefined element", [1, undefined]]] as const) {
    it(what, () => {
      expect(() => canonicalKey(v)).toThrow(CanonicalError);
    });
  }
  it("still omits undefined fields (JSON) and sorts keys", () => {
    expect(canonicalKey({ b: 1, a: undefined, c: [0, "x"] })).toBe('{"b":1,"c":[0,"x"]}');
  });
});
