/**
 * `check --workers N` (src/explore/parallel.ts): worker threads sharing one lock-free visited
 * set find what one thread finds: the same states, transitions, depth and verdict, the same
 * findings and outcomes with the same shortest trace lengths (every trace is replayed through
 * the reducers and must end in its node's state), liveness included.
 * Worker threads load JavaScript, so these tests run dist/ (`npm test` builds it first: pretest).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkReport, runCheck, runCheckWith, type CheckOptions, type CheckReport } from "../../src/explore/check.js";
import type * as Parallel from "../../src/explore/parallel.js";
import type * as Table from "../../src/explore/shared-table.js";
import { createSystem } from "../../spec/system/system.js";
import { spinningHost } from "../support/planted-hosts.js";

const dist = (f: string): string => pathToFileURL(resolve("dist", f)).href;
const dir = mkdtempSync(join(tmpdir(), "vmbus-workers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let P: typeof Parallel;
let T: typeof Table;
beforeAll(async () => {
  P = (await import(dist("src/explore/parallel.js"))) as typeof Parallel;
  T = (await import(dist("src/explore/shared-table.js"))) as typeof Table;
});

const summary = (r: CheckReport) => ({
  states: r.states,
  transitions: r.transitions,
  depth: r.depth,
  complete: r.complete,
  stoppedBy: r.stoppedBy,
  violations: r.violations.map((v) => `${v.kind}/${v.rule}:${v.trace.length}`).sort(),
  outcomes: r.outcomes.map((o) => `${o.rule}/${o.row}:${o.trace.length}`).sort(),
});

describe("check --workers N: the single-thread answer", () => {
  const configs: readonly (readonly [string, CheckOptions])[] = [
    ["strict, 2 channels (exhaustive)", { profile: "strict", channels: 2, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false }],
    ["qemu hostile, 2 posts (QEMU defects; cut by --depth)", { profile: "qemu", channels: 1, gpadls: 0, depth: 16, maxStates: 100_000, hostile: true, hostilePosts: 2 }],
    ["openvmm hostile, 2 posts (OpenVMM defects)", { profile: "openvmm", channels: 1, gpadls: 0, depth: 16, maxStates: 100_000, hostile: true, hostilePosts: 2 }],
    ["qemu, a rescind (exhaustive)", { profile: "qemu", channels: 1, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false, rescinds: 1 }],
  ];
  for (const [name, o] of configs)
    it(name, async () => {
      const one = summary(await runCheck(o));
      for (const workers of [2, 3]) expect({ workers, ...summary(await P.runCheckParallel({ ...o, workers })) }).toEqual({ workers, ...one });
    });

  it("a spent budget stops every worker: exactly --max-states states, 'states', and no liveness finding from the unexplored rest", async () => {
    const o: CheckOptions = { profile: "strict", channels: 2, gpadls: 0, depth: 400, maxStates: 700, hostile: false };
    const r = await P.runCheckParallel({ ...o, workers: 2 });
    expect({ states: r.states, complete: r.complete, stoppedBy: r.stoppedBy, violations: r.violations }).toEqual({ states: 700, complete: false, stoppedBy: "states", violations: [] });
  });

  it("levels past --queue-budget go to the workers' spill files and come back: the single-thread answer, with the descriptors closed at the end", async () => {
    const o: CheckOptions = { profile: "qemu", channels: 1, gpadls: 0, depth: 16, maxStates: 100_000, hostile: true, hostilePosts: 2 };
    const { depth, maxStates, ...check } = o;
    const one = summary(await runCheck(o));
    const r = await P.exploreParallel(check, { maxDepth: depth, maxStates, workers: 2, queueBudgetBytes: 0, levelPageBytes: 4096 });
    expect(summary(checkReport(o, r, 1))).toEqual(one);
    expect(r.queue.spilledBytes).toBeGreaterThan(100_000);
    // The spill files were unlinked when opened, and their descriptors are closed (Linux: /proc/self/fd).
    const open = readdirSync("/proc/self/fd").map((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        return "";
      }
    });
    expect(open.filter((l) => l.includes("vmbus-spec-level-"))).toEqual([]);
    // Every worker's level in memory stays near its share of the budget (0) plus the pages being written and read.
    expect(r.queue.peakBytes).toBeLessThan(r.queue.spilledBytes / 4);
    // The CLI takes --queue-budget with --workers (and still refuses --queue there).
    const cli = spawnSync(process.execPath, ["dist/src/cli/main.js", "check", "--profile", "strict", "--workers", "2", "--queue-budget", "1", "--json"], { encoding: "utf8" });
    expect(cli.status).toBe(0);
    expect((JSON.parse(cli.stdout) as { complete: boolean }).complete).toBe(true);
    const live = spawnSync(process.execPath, ["dist/src/cli/main.js", "check", "--workers", "2", "--queue", "live"], { encoding: "utf8" });
    expect(live.status).toBe(2);
    expect(live.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a store of interned parts too small for the search stops it with SharedMemoryError (the CLI's one line, exit 3), not a crash or a hang", async () => {
    const search = P.exploreParallel({ profile: "qemu", channels: 1, gpadls: 0, hostile: true, hostilePosts: 2 }, { maxDepth: 16, maxStates: 100_000, workers: 2, partEntries: 40 });
    await expect(search).rejects.toThrow(T.SharedMemoryError);
    await expect(P.exploreParallel({ profile: "qemu", channels: 1, gpadls: 0, hostile: true, hostilePosts: 2 }, { maxDepth: 16, maxStates: 100_000, workers: 2, partEntries: 40 })).rejects.toThrow(
      /store of parts shared by the workers is full .*: it is sized from --max-states/,
    );
  });

  it("an interrupt (Ctrl-C) stops the workers and reports what was found so far", async () => {
    const r = await P.exploreParallel({ profile: "qemu", channels: 1, gpadls: 0, hostile: true, hostilePosts: 2 }, { maxDepth: 16, maxStates: 100_000, workers: 2, onStart: (h) => h.interrupt() });
    expect({ stoppedBy: r.stoppedBy, complete: r.complete }).toEqual({ stoppedBy: "interrupted", complete: false });
    expect(r.states).toBeGreaterThanOrEqual(1);
    expect(r.livenessChecked).toBe(true);
  });
});

describe("liveness across workers (SYS-LIVE-1, -2) on a planted livelock", () => {
  it("2 and 3 workers find SYS-LIVE-1 and -2 with the single-thread trace lengths (the workers import the planted system)", async () => {
    // The same host as properties/support/planted-hosts.ts spinningHost, as JavaScript over dist/ (what a worker can load).
    const module = join(dir, "spinning.mjs");
    writeFileSync(
      module,
      `import { specHost } from ${JSON.stringify(dist("spec/system/spec-host.js"))};
import { createSystem } from ${JSON.stringify(dist("spec/system/system.js"))};
const headType = (s) => { const p = s.rxQueue[0]?.payload; return p === undefined ? undefined : parseInt(p.slice(0, 2), 16) | (parseInt(p.slice(2, 4), 16) << 8); };
export const spinning = createSystem({ ...specHost, step: (c, s, i) => (i.kind === "run" && headType(s) === 11 ? { state: s, outputs: [] } : specHost.step(c, s, i)) });
`,
    );
    const o: CheckOptions = { profile: "strict", channels: 1, gpadls: 0, depth: 400, maxStates: 100_000, hostile: false };
    const one = await runCheckWith(createSystem(spinningHost), o);
    const want = one.violations.map((v) => `${v.rule}:${v.trace.length}`).sort();
    expect(want.map((w) => w.split(":")[0])).toEqual(["SYS-LIVE-1", "SYS-LIVE-2"]);
    const { depth, maxStates, ...check } = o;
    for (const workers of [2, 3]) {
      const r = await P.exploreParallel(check, { maxDepth: depth, maxStates, workers, system: { url: pathToFileURL(module).href, name: "spinning" } });
      expect({ workers, states: r.states, complete: r.complete, found: r.findings.map((f) => `${f.violation.rule}:${f.trace.length}`).sort() }).toEqual({ workers, states: one.states, complete: true, found: want });
    }
  });

  it("a module that does not export a system is refused with one line", async () => {
    const module = join(dir, "empty.mjs");
    writeFileSync(module, "export const nothing = 1;\n");
    await expect(P.exploreParallel({ profile: "strict", channels: 1, gpadls: 0, hostile: false }, { maxDepth: 5, maxStates: 100, workers: 2, system: { url: pathToFileURL(module).href } })).rejects.toThrow(
      /does not export a system model as system/,
    );
  });
});

describe("the shared fingerprint table (shared-table.ts)", () => {
  /** Two worker threads insert their lists of fingerprints into one table at the same time; each returns what insert said. */
  const race = (buffers: Table.SharedTableBuffers, lists: readonly (readonly [number, number][])[]): Promise<number[][]> =>
    Promise.all(
      lists.map(
        (list) =>
          new Promise<number[]>((done, fail) => {
            const w = new Worker(
              `const { parentPort, workerData } = require("node:worker_threads");
import(workerData.url).then(({ SharedTable }) => {
  const t = new SharedTable(workerData.buffers);
  parentPort.postMessage(workerData.list.map(([hi, lo], i) => t.insert(hi, lo, 0, i)));
});`,
              { eval: true, workerData: { url: dist("src/explore/shared-table.js"), buffers, list } },
            );
            w.once("message", (m: number[]) => {
              done(m);
              void w.terminate();
            });
            w.once("error", fail);
          }),
      ),
    );

  it("concurrent inserts of overlapping fingerprints: each distinct one gets exactly one node, and every other insert finds that node", async () => {
    const fp = fc.tuple(fc.integer({ min: -8, max: 8 }), fc.integer({ min: -40, max: 40 }));
    await fc.assert(
      fc.asyncProperty(fc.array(fp, { maxLength: 300 }), fc.array(fp, { maxLength: 300 }), async (a, b) => {
        const buffers = T.allocateSharedTable(1000);
        const [ra, rb] = await race(buffers, [a, b]);
        const table = new T.SharedTable(buffers);
        const nodeOf = new Map<string, number[]>();
        const news = new Map<string, number>();
        [...a.map((f, i) => [f, ra![i]!] as const), ...b.map((f, i) => [f, rb![i]!] as const)].forEach(([f, r]) => {
          const k = f.join(",");
          expect(r).not.toBe(T.FULL);
          const node = r >= 0 ? r : -2 - r;
          if (r >= 0) {
            expect(news.has(k)).toBe(false);
            news.set(k, r);
          }
          nodeOf.set(k, [...(nodeOf.get(k) ?? []), node]);
        });
        const distinct = new Set([...a, ...b].map((f) => f.join(",")));
        expect(table.size).toBe(distinct.size);
        expect(new Set(news.values()).size).toBe(distinct.size);
        for (const k of distinct) {
          const id = news.get(k)!;
          expect(nodeOf.get(k)!.every((n) => n === id)).toBe(true);
          const [hi, lo] = k.split(",").map(Number) as [number, number];
          expect(table.find(hi, lo)).toBe(id);
          expect([table.hi[id], table.lo[id]]).toEqual([hi, lo]);
        }
      }),
      { numRuns: 12 },
    );
  });

  it("past its node budget an insert gets FULL and stores nothing", () => {
    const t = new T.SharedTable(T.allocateSharedTable(3));
    expect([t.insert(1, 1, -1, 0), t.insert(2, 2, 0, 0), t.insert(1, 1, 0, 1), t.insert(3, 3, 0, 2), t.insert(4, 4, 0, 3)]).toEqual([0, 1, -2, 2, T.FULL]);
    expect([t.size, t.find(4, 4), t.find(3, 3)]).toEqual([3, -1, 2]);
  });
});

describe("the shared table's memory", () => {
  it("a budget past what a table can hold is refused with SharedMemoryError (the CLI's one line and exit 3), not a crash", () => {
    expect(() => T.allocateSharedTable(2 ** 31)).toThrow(T.SharedMemoryError);
    expect(() => T.allocateSharedTable(2 ** 31)).toThrow(/2147483648 states/);
  });

  it("a budget of 50 M states runs a small check: the table's pages are committed only as they are used", () => {
    const r = spawnSync(process.execPath, [resolve("dist/src/cli/main.js"), "check", "--profile", "strict", "--channels", "1", "--workers", "2", "--max-states", "50000000", "--json"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ complete: true, workers: 2 });
  });
});
