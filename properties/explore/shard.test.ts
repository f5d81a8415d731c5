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
import { GraphFileError, GraphWriter, mergedLiveness } from "../../src/explore/shard-graph.js";
import type { SystemModel } from "../../spec/system/system.js";
import { createSystem } from "../../spec/system/system.js";
import { spinningHost } from "../support/planted-hosts.js";
import { runCheckWith } from "../../src/explore/check.js";
import { specSystem } from "../../spec/system/spec-host.js";
import { runShard } from "../../src/explore/shard.js";
import { mergedReport } from "../../src/explore/merge-report.js";
import { decodeShardResult, mergeShards } from "../../src/explore/shard-result.js";

const dir = mkdtempSync(join(tmpdir(), "vmbus-shard-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SHAPE = shapeFingerprint(SPEC_SYSTEM_STATE);

const campaign = async (opts: Parameters<typeof runShard>[0]["check"] & Parameters<typeof runShard>[0]["bounds"], n: number, name: string, model?: SystemModel<unknown, unknown>) => {
  const exchange = join(dir, name);
  const { depth, maxStates, ...check } = opts;
  const graphs = Array.from({ length: n }, () => new GraphWriter(SHAPE));
  const results = await Promise.all(
    Array.from({ length: n }, (_, index) => runShard({ check, bounds: { depth, maxStates }, shard: { index, count: n }, exchange, roundTimeoutMs: 60_000, graph: graphs[index]!, ...(model ? { model } : {}) })),
  );
  // every result survives its file format
  for (const r of results) expect(decodeShardResult(JSON.parse(JSON.stringify(r)), "r").ok).toBe(true);
  // every stored state has its node in the graph, once
  expect(graphs.map((g) => g.nodes)).toEqual(results.map((r) => r.states));
  const liveness = mergedLiveness(
    graphs.map((g, i) => ({ name: `shard-${i}.graph`, bytes: g.bytes() })),
    SHAPE,
  );
  return { results, graphs, liveness, merged: mergeShards(results.map((result, i) => ({ name: `shard-${i}.json`, result }))) };
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
      const { results, merged, liveness } = await campaign(check, 4, name.replace(/\W+/g, "-"));
      expect(results.every((r) => r.states > 0)).toBe(true); // the work was shared
      // every shard deleted what was sent to it once read: only the done markers stay
      expect(readdirSync(join(dir, name.replace(/\W+/g, "-"), "r1")).sort()).toEqual(["done-0.json", "done-1.json", "done-2.json", "done-3.json"]);
      expect(merged.ok).toBe(true);
      if (!merged.ok) return;
      const { states, transitions, depth, complete, stoppedBy } = merged.value;
      expect({ states, transitions, depth, complete, stoppedBy }).toEqual({ states: single.states, transitions: single.transitions, depth: single.depth, complete: single.complete, stoppedBy: single.stoppedBy ?? null });
      expect(rules(merged.value.findings)).toEqual(rules(single.violations.filter((v) => v.kind !== "liveness")));
      expect(liveness.map((l) => `${l.violation.rule}/${l.path.length}`)).toEqual(single.violations.filter((v) => v.kind === "liveness").map((v) => `${v.rule}/${v.trace.length}`));
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
      w.add(0, 0, [0], encoded);
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
      w.add(0, 0, [0], initBytes);
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

  describe("liveness across shards (shard-graph.ts)", () => {
    const spinning = spinningHost;
    const check = { profile: "strict", channels: 1, gpadls: 0, hostile: false, depth: 400, maxStates: 100_000 } as const;

    it("SYS-LIVE-1/-2 of a planted livelock: 3 shards find what one process finds, with shortest paths that replay", async () => {
      const model = createSystem(spinning) as unknown as SystemModel<unknown, unknown>;
      const single = await runCheckWith(createSystem(spinning), { ...check });
      const want = single.violations.filter((v) => v.kind === "liveness").map((v) => `${v.rule}/${v.trace.length}`).sort();
      expect(want.map((w) => w.split("/")[0])).toEqual(["SYS-LIVE-1", "SYS-LIVE-2"]);
      const { liveness, merged } = await campaign(check, 3, "planted-livelock", model);
      expect(liveness.map((l) => `${l.violation.rule}/${l.path.length}`).sort()).toEqual(want);
      expect(merged.ok && merged.value.states).toBe(single.states);
      // each path replays through the planted system to a state that needs the progress it never gets
      const config = checkConfig({ ...check });
      for (const l of liveness) {
        let st = model.initial(config as never);
        for (const k of l.path) st = model.step(config as never, st, model.enabled(config as never, st)[k]!).state;
        if (l.violation.rule === "SYS-LIVE-1") expect(model.host.view(st.host).queuedIncoming).toBeGreaterThan(0);
        else expect(l.path.length).toBeGreaterThan(0);
      }
    });

    it("a campaign cut by its state budget: no false liveness finding (unexplored successors count as progress)", async () => {
      const { liveness, merged } = await campaign({ ...check, rescinds: 1, maxStates: 60 }, 2, "budget-cut");
      expect(merged.ok && merged.value.stoppedBy).toBe("states");
      expect(liveness).toEqual([]);
    });

    it("refuses graph files that are not of one campaign of this check", async () => {
      const { graphs } = await campaign({ ...check, maxStates: 2000 }, 2, "graph-refusals");
      const files = graphs.map((g, i) => ({ name: `g${i}`, bytes: g.bytes().slice() }));
      expect(() => mergedLiveness([files[0]!, files[0]!, files[1]!], SHAPE)).toThrow(/recorded by two shards/);
      const stray = new GraphWriter(SHAPE);
      stray.edge(1, 2, 3, 4, false);
      expect(() => mergedLiveness([...files, { name: "stray", bytes: stray.bytes() }], SHAPE)).toThrow(/an edge names a state no shard recorded/);
      expect(() => mergedLiveness(files, [SHAPE[0] ^ 1, SHAPE[1]])).toThrow(/^g0: written for another state description/);
      expect(() => mergedLiveness([{ name: "x", bytes: new TextEncoder().encode("{}") }], SHAPE)).toThrow(/^x: not a vmbus-spec graph file/);
      expect(() => mergedLiveness([{ name: "cut", bytes: files[0]!.bytes.slice(0, -1) }, files[1]!], SHAPE)).toThrow(GraphFileError);
      const bad = files[0]!.bytes.slice();
      bad[16] = 9;
      expect(() => mergedLiveness([{ name: "tag", bytes: bad }, files[1]!], SHAPE)).toThrow(/^tag: byte 16: record tag 9/);
    });
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
