/**
 * A sharded campaign run locally: four shards of one check, exchanging paths through a
 * directory, merge to the single-process answer (states, transitions, depth, completeness,
 * findings and outcomes with their shortest trace lengths), also where --depth cuts the search.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkConfig, runCheck } from "../../src/explore/check.js";
import { fingerprinter } from "../../src/explore/path-search.js";
import { fingerprint64 } from "../../src/explore/encoding.js";
import { FrontierWriter, shapeFingerprint } from "../../src/explore/frontier-file.js";
import { SPEC_SYSTEM_STATE } from "../../src/explore/state-shape.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { runShard } from "../../src/explore/shard.js";
import { mergedReport } from "../../src/explore/merge-report.js";
import { decodeShardResult, mergeShards } from "../../src/explore/shard-result.js";

const dir = mkdtempSync(join(tmpdir(), "vmbus-shard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const campaign = async (opts: Parameters<typeof runShard>[0]["check"] & Parameters<typeof runShard>[0]["bounds"], n: number, name: string) => {
  const exchange = join(dir, name);
  const { depth, maxStates, ...check } = opts;
  const results = await Promise.all(Array.from({ length: n }, (_, index) => runShard({ check, bounds: { depth, maxStates }, shard: { index, count: n }, exchange, roundTimeoutMs: 60_000 })));
  // every result survives its file format
  for (const r of results) expect(decodeShardResult(JSON.parse(JSON.stringify(r)), "r").ok).toBe(true);
  return { results, merged: mergeShards(results.map((result, i) => ({ name: `shard-${i}.json`, result }))) };
};

const rules = (xs: readonly { rule: string; kind?: string }[]) => xs.map((x) => `${x.kind ?? "outcome"}/${x.rule}`).sort();

describe("sharded search (check --shard i/N, check merge)", () => {
  for (const [name, check] of [
    ["strict, 1 channel, 1 rescind", { profile: "strict", channels: 1, gpadls: 0, rescinds: 1, hostile: false, depth: 400, maxStates: 200_000 }],
    ["qemu, hostile guest from boot, 2 posts", { profile: "qemu", channels: 1, gpadls: 0, hostile: true, hostilePosts: 2, depth: 100, maxStates: 200_000 }],
    // Regression: shards stopped one level short of --depth and called that search complete.
    ["qemu, hostile guest from boot, 2 posts, cut by --depth 6", { profile: "qemu", channels: 1, gpadls: 0, hostile: true, hostilePosts: 2, depth: 6, maxStates: 200_000 }],
  ] as const) {
    it(`${name}: 4 shards merge to the single-process result`, async () => {
      const single = await runCheck({ ...check });
      expect(single.complete).toBe(check.depth > 6);
      const { results, merged } = await campaign(check, 4, name.replace(/\W+/g, "-"));
      expect(results.every((r) => r.states > 0)).toBe(true); // the work was shared
      // every shard deleted what was sent to it once read: only the done markers stay
      expect(readdirSync(join(dir, name.replace(/\W+/g, "-"), "r1")).sort()).toEqual(["done-0.json", "done-1.json", "done-2.json", "done-3.json"]);
      expect(merged.ok).toBe(true);
      if (!merged.ok) return;
      const { states, transitions, depth, complete, stoppedBy } = merged.value;
      expect({ states, transitions, depth, complete, stoppedBy }).toEqual({ states: single.states, transitions: single.transitions, depth: single.depth, complete: single.complete, stoppedBy: single.stoppedBy ?? null });
      expect(rules(merged.value.findings)).toEqual(rules(single.violations.filter((v) => v.kind !== "liveness")));
      const report = mergedReport(merged.value);
      const outs = (xs: readonly { rule: string; row: number | null; trace: readonly unknown[] }[]) => xs.map((o) => `${o.rule}#${o.row}/${o.trace.length}`).sort();
      expect(outs(report.outcomes)).toEqual(outs(single.outcomes));
      const len = new Map(single.violations.map((v) => [`${v.kind}/${v.rule}`, v.trace.length]));
      for (const f of merged.value.findings) expect(f.path.length).toBe(len.get(`${f.kind}/${f.rule}`));
    });
  }

  it("a shard refuses what is not a state of its check, a state it does not own, or a frontier file it cannot read (a forged peer)", async () => {
    const check = { profile: "strict", channels: 1, gpadls: 0, hostile: false } as const;
    const config = checkConfig({ ...check, depth: 400, maxStates: 1000 });
    const init = specSystem.initial(config);
    const { of, encoding } = fingerprinter();
    const owner = (of(init as never)[1]! >>> 0) % 2;
    const ownerOfBytes = (b: Uint8Array) => {
      const fp = new Int32Array(2);
      fingerprint64(b, b.length, fp);
      return (fp[1]! >>> 0) % 2;
    };
    const shape = shapeFingerprint(SPEC_SYSTEM_STATE);
    const forgedFile = async (name: string, bytes: Uint8Array) => {
      const ex = join(dir, name);
      mkdirSync(join(ex, "r0"), { recursive: true });
      writeFileSync(join(ex, "r0", `to-${owner}-from-${1 - owner}.bin`), bytes);
      writeFileSync(join(ex, "r0", `done-${1 - owner}.json`), JSON.stringify({ next: 1, stop: false, atBound: false, held: 0 }));
      return runShard({ check, bounds: { depth: 400, maxStates: 1000 }, shard: { index: owner, count: 2 }, exchange: ex, roundTimeoutMs: 5_000 });
    };
    const forged = (name: string, encoded: Uint8Array, fileShape = shape) => {
      const w = new FrontierWriter(fileShape);
      w.add([0], encoded);
      return forgedFile(name, w.bytes());
    };
    of(init as never);
    const initBytes = encoding().slice();
    // bytes that are not an encoding of a state (one byte too many), owned by the receiver
    let junk = new Uint8Array(0);
    for (let b = 0; b < 256 && (junk.length === 0 || ownerOfBytes(junk) !== owner); b++) junk = Uint8Array.from([...initBytes, b]);
    expect(ownerOfBytes(junk)).toBe(owner);
    await expect(forged("forged-shape", junk)).rejects.toThrow(new RegExp(`^shard ${1 - owner} sent what is not a state of this check \\(state decoding: .*trailing byte`));
    await expect(forged("forged-version", initBytes, [shape[0] ^ 1, shape[1]])).rejects.toThrow(new RegExp(`^shard ${1 - owner} sent a frontier file this shard cannot read \\(.*written for another state description`));
    await expect(forgedFile("forged-magic", new TextEncoder().encode('[1,2,[0],"{}"]'))).rejects.toThrow(/not a vmbus-spec frontier file/);
    const cut = (() => {
      const w = new FrontierWriter(shape);
      w.add([0], initBytes);
      return w.bytes().slice(0, -3);
    })();
    await expect(forgedFile("forged-cut", cut)).rejects.toThrow(/record at byte 16: state encoding longer than the bytes left/);
    // the initial state's successors include states the other shard owns; send one of them here
    let other: Uint8Array | undefined;
    for (const input of specSystem.enabled(config, init)) {
      const next = specSystem.step(config, init, input).state;
      if ((of(next as never)[1]! >>> 0) % 2 !== owner) other = encoding().slice();
    }
    expect(other).toBeDefined();
    await expect(forged("forged-owner", other!)).rejects.toThrow(`shard ${1 - owner} sent a state shard ${owner} does not own`);
  });

  it("merge refuses files of another configuration or a repeated shard, and reports missing shards", async () => {
    const check = { profile: "strict", channels: 1, gpadls: 0, hostile: false, depth: 400, maxStates: 200_000 } as const;
    const { results } = await campaign(check, 2, "strict-2");
    const named = results.map((result, i) => ({ name: `s${i}.json`, result }));
    expect(mergeShards([named[0]!, { name: "other.json", result: { ...results[1]!, check: { ...results[1]!.check, channels: 2 } } }])).toEqual({ ok: false, error: expect.stringMatching(/^other\.json: a different check configuration/) });
    expect(mergeShards([named[0]!, named[0]!])).toEqual({ ok: false, error: expect.stringMatching(/shard 0 again/) });
    const partial = mergeShards([named[1]!]);
    expect(partial.ok && { missing: partial.value.missing, complete: partial.value.complete }).toEqual({ missing: [0], complete: false });
    expect(decodeShardResult({ ...results[0], extra: 1 }, "x.json")).toEqual({ ok: false, error: expect.stringMatching(/^x\.json: shard\.extra/) });
  });
});
