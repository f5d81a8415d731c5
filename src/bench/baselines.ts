/** The benchmark's baselines, run in the same process as the ring measurement (see main.ts). */
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { RingBuffer } from "ringbuf.js";
import type { BaselineJob, BaselineReport } from "./baseline-worker.js";

const WORKER = fileURLToPath(new URL("./baseline-worker.js", import.meta.url));

export interface Rate {
  readonly packetsPerSecond: number;
}

const start = (job: BaselineJob, transferList: MessagePort[] = []): Promise<BaselineReport> =>
  new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: job, transferList });
    w.once("message", (m: BaselineReport) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });

const pair = async (mk: (control: SharedArrayBuffer) => [Promise<BaselineReport>, Promise<BaselineReport>], seconds: number): Promise<Rate> => {
  const control = new SharedArrayBuffer(16);
  const [a, b] = mk(control);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  Atomics.store(new Int32Array(control), 0, 1);
  const [, recv] = await Promise.all([a, b]);
  return { packetsPerSecond: recv.seconds > 0 ? recv.packets / recv.seconds : 0 };
};

/** MessagePort.postMessage of a `payload`-byte Uint8Array, copied (structured clone) or transferred. */
export const postMessageRate = (payload: number, transfer: boolean, seconds: number, warmupSeconds = 0): Promise<Rate> =>
  pair((control) => {
    const { port1, port2 } = new MessageChannel();
    return [start({ role: "pmSend", payload, transfer, control, port: port1 }, [port1]), start({ role: "pmRecv", payload, transfer, control, port: port2, warmupSeconds }, [port2])];
  }, seconds);

/** ringbuf.js (SPSC byte ring on a SharedArrayBuffer): 16-byte header + payload per message, busy-polled. */
export const ringbufRate = (payload: number, capacity: number, seconds: number, warmupSeconds = 0): Promise<Rate> =>
  pair((control) => {
    const ring = RingBuffer.getStorageForCapacity(capacity, Uint8Array);
    return [start({ role: "rbProd", payload, transfer: false, control, ring }), start({ role: "rbCons", payload, transfer: false, control, ring, warmupSeconds })];
  }, seconds);

/**
 * The copy limit: one thread copying the same payload bytes with Uint8Array.set into a
 * destination of the ring's size at advancing 8-aligned offsets (what each packet costs at
 * minimum) — into an ArrayBuffer, or (`shared`) into a SharedArrayBuffer like the ring.
 */
export const copyLimitRate = (payload: number, areaSize: number, seconds: number, shared = false): Rate => {
  const src = new Uint8Array(payload).fill(7);
  // V8 copies into a SharedArrayBuffer with a relaxed-atomic memcpy (no tearing guarantees
  // needed, but no plain memcpy either): about half the bandwidth of an ordinary ArrayBuffer.
  const dst = new Uint8Array(shared ? new SharedArrayBuffer(areaSize) : new ArrayBuffer(areaSize));
  const step = (payload + 31) & ~7;
  let off = 0;
  let n = 0;
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(seconds * 1e9));
  let t = t0;
  for (;;) {
    for (let i = 0; i < 256; i++) {
      if (off + payload > areaSize) off = 0;
      dst.set(src, off);
      off += step;
    }
    n += 256;
    t = process.hrtime.bigint();
    if (t >= end) break;
  }
  return { packetsPerSecond: n / (Number(t - t0) / 1e9) };
};

/**
 * CPU cost per packet, independent of scheduling: one thread writes a batch of 64 packets and
 * reads them back, for the shm ring (`ring`) and for ringbuf.js (16-byte header + payload).
 * Other processes on the machine disturb this much less than the two-thread figures.
 */
export const singleThreadRates = async (payload: number, areaSize: number, seconds: number, staging = false): Promise<{ ring: number; ringbufJs: number }> => {
  const { createShmRing } = await import("../shm/handle.js");
  const { ShmProducer } = await import("../shm/producer.js");
  const { ShmConsumer } = await import("../shm/consumer.js");
  const { RING_PROFILES } = await import("../../spec/ring/profile.js");
  const rate = (f: () => void): number => {
    const warm = process.hrtime.bigint() + 50_000_000n; // let the JIT optimise first
    while (process.hrtime.bigint() < warm) f();
    let n = 0;
    const t0 = process.hrtime.bigint();
    const end = t0 + BigInt(Math.round(seconds * 1e9));
    let t = t0;
    while (t < end) {
      f();
      n += 64;
      t = process.hrtime.bigint();
    }
    return n / (Number(t - t0) / 1e9);
  };
  const h = createShmRing(areaSize, {}, { staging: staging ? payload + 64 : 0 });
  const p = new ShmProducer(h, RING_PROFILES.strict);
  const c = new ShmConsumer(h, RING_PROFILES.strict);
  const src = p.staging ? p.staging.subarray(0, payload).fill(7) : new Uint8Array(payload).fill(7);
  const dst = c.staging ? c.staging.subarray(0, payload + 8) : new Uint8Array(payload + 8);
  const ring = rate(() => {
    for (let k = 0; k < 64; k++) p.tryWrite(6, 0, k, 0, src);
    p.publish();
    for (let k = 0; k < 64; k++) c.readInto(dst);
    c.commit();
  });
  const rb = new RingBuffer(RingBuffer.getStorageForCapacity(areaSize, Uint8Array), Uint8Array);
  const msg = new Uint8Array(16 + payload).fill(7);
  const out = new Uint8Array(16 + payload);
  const ringbufJs = rate(() => {
    for (let k = 0; k < 64; k++) rb.push(msg);
    for (let k = 0; k < 64; k++) {
      rb.pop(out, 16, 0);
      rb.pop(out, payload, 16);
    }
  });
  return { ring, ringbufJs };
};
