/**
 * `check --workers N`: the sharded search (shard.ts) with N worker threads of this process as
 * its shards and a temporary exchange directory, merged into one report. The same answer as
 * one thread (tests), without liveness (a sharded search has no whole graph).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { CheckReport } from "./check.js";
import { mergedReport } from "./merge-report.js";
import type { RunCheck } from "./run-file.js";
import { mergeShards, type ShardBounds, type ShardResult } from "./shard-result.js";

export const runWorkers = async (check: RunCheck, bounds: ShardBounds, workers: number): Promise<CheckReport> => {
  const exchange = await mkdtemp(join(tmpdir(), "vmbus-spec-workers-"));
  const t0 = performance.now();
  try {
    const results = await Promise.all(
      Array.from(
        { length: workers },
        (_, index) =>
          new Promise<ShardResult>((resolve, reject) => {
            const w = new Worker(new URL("./shard-worker.js", import.meta.url), { workerData: { check, bounds, shard: { index, count: workers }, exchange } });
            w.once("message", (m: { ok: true; result: ShardResult } | { ok: false; error: string }) => (m.ok ? resolve(m.result) : reject(new Error(m.error))));
            w.once("error", reject);
          }),
      ),
    );
    const m = mergeShards(results.map((result, i) => ({ name: `worker ${i}`, result })));
    if (!m.ok) throw new Error(m.error);
    const seconds = (performance.now() - t0) / 1000;
    const r = mergedReport(m.value);
    return { ...r, seconds: Math.round(seconds * 1000) / 1000, statesPerSecond: seconds > 0 ? Math.round(r.states / seconds) : r.states };
  } finally {
    await rm(exchange, { recursive: true, force: true });
  }
};
