/** worker_threads entry: runs one side of a stream (src/shm/stream.ts) and posts its report. */
import { parentPort, workerData } from "node:worker_threads";
import { runConsumer, runProducer, STARTED, type StreamConfig } from "./stream.js";

const data = workerData as { role: "producer" | "consumer"; config: StreamConfig };
const ctl = new Int32Array(data.config.control);
// Start together: both sides count in, then spin until both have arrived.
Atomics.add(ctl, STARTED, 1);
while (Atomics.load(ctl, STARTED) < 2) Atomics.wait(ctl, STARTED, Atomics.load(ctl, STARTED), 5);
Atomics.notify(ctl, STARTED);
const report = data.role === "producer" ? runProducer(data.config) : runConsumer(data.config);
parentPort!.postMessage(report);
