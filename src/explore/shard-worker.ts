/** A worker thread running one shard of `check --workers N` (workers.ts). */
import { parentPort, workerData } from "node:worker_threads";
import { runShard, type ShardOptions } from "./shard.js";

const o = workerData as Omit<ShardOptions, "interrupted" | "onRound">;
runShard(o).then(
  (result) => parentPort!.postMessage({ ok: true, result }),
  (e: unknown) => parentPort!.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
);
