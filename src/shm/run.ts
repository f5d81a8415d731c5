/** Start a producer and a consumer worker on one ring and collect both reports. */
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { PRODUCED, STOP, type StreamConfig, type StreamReport } from "./stream.js";

const WORKER = fileURLToPath(new URL("./stream-worker.js", import.meta.url));

export const newStreamControl = (): SharedArrayBuffer => {
  const sab = new SharedArrayBuffer(16);
  new Int32Array(sab)[PRODUCED] = 0x7fffffff;
  return sab;
};

const start = (role: "producer" | "consumer", config: StreamConfig): Promise<StreamReport> =>
  new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: { role, config } });
    w.once("message", (m: StreamReport) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
    w.once("exit", (code) => {
      if (code !== 0) reject(new Error(`${role} worker exited with ${code}`));
    });
  });

/** Run a stream; with `seconds`, a count-0 config is stopped after that long. */
export const runStream = async (config: StreamConfig, seconds?: number): Promise<{ producer: StreamReport; consumer: StreamReport }> => {
  const p = start("producer", config);
  const c = start("consumer", config);
  if (seconds !== undefined) {
    await new Promise((r) => setTimeout(r, seconds * 1000));
    Atomics.store(new Int32Array(config.control), STOP, 1);
  }
  const [producer, consumer] = await Promise.all([p, c]);
  return { producer, consumer };
};
