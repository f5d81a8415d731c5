/**
 * worker_threads entry for the benchmark's baselines: MessagePort.postMessage (copying or
 * transferring) and the ringbuf.js SPSC byte ring, each moving `payload`-byte messages from one
 * thread to another until the control word STOP is set. The receiving side reports its rate.
 */
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { RingBuffer } from "ringbuf.js";

export interface BaselineJob {
  readonly role: "pmSend" | "pmRecv" | "rbProd" | "rbCons";
  readonly payload: number;
  readonly transfer: boolean;
  /** Int32Array: [0] STOP, [1] received count (postMessage flow control), [2] started. */
  readonly control: SharedArrayBuffer;
  readonly port?: MessagePort;
  readonly ring?: SharedArrayBuffer;
  /** Seconds at the start left out of the receiver's rate window (as for the ring). */
  readonly warmupSeconds?: number;
}

export interface BaselineReport {
  readonly packets: number;
  readonly seconds: number;
}

const STOP = 0;
const ACKED = 1;
const STARTED = 2;
/** Messages in flight before the sender waits (postMessage has no back-pressure of its own). */
const WINDOW = 1024;
const HEADER = 16; // the same 16-byte descriptor a VMBus packet carries

const now = (): number => Number(process.hrtime.bigint()) / 1e9;
const job = workerData as BaselineJob;
const ctl = new Int32Array(job.control);
const stopped = (): boolean => Atomics.load(ctl, STOP) !== 0;

const startTogether = (): void => {
  Atomics.add(ctl, STARTED, 1);
  while (Atomics.load(ctl, STARTED) < 2) Atomics.wait(ctl, STARTED, Atomics.load(ctl, STARTED), 5);
  Atomics.notify(ctl, STARTED);
};

const report = (r: BaselineReport): void => parentPort!.postMessage(r);

const pmSend = (): void => {
  const port = job.port!;
  const src = new Uint8Array(job.payload).fill(7);
  startTogether();
  let sent = 0;
  while (!stopped()) {
    while (sent - Atomics.load(ctl, ACKED) > WINDOW) if (stopped()) break;
    if (job.transfer) {
      const b = new Uint8Array(job.payload);
      port.postMessage(b, [b.buffer]);
    } else port.postMessage(src);
    sent++;
  }
  port.close();
  report({ packets: sent, seconds: 0 });
};

const pmRecv = (): void => {
  const port = job.port!;
  let n = 0;
  let t0 = 0;
  let tLast = 0;
  let nAtT = 0;
  let warmEnd = 0;
  let warm = (job.warmupSeconds ?? 0) <= 0;
  let n0 = 0;
  port.on("message", (m: Uint8Array) => {
    if (m.byteLength !== job.payload) throw new Error("bad message");
    n++;
    Atomics.store(ctl, ACKED, n);
    if ((n & 63) === 0) {
      tLast = now();
      nAtT = n;
      if (!warm && tLast >= warmEnd) {
        warm = true;
        t0 = tLast;
        n0 = n;
      }
    }
  });
  startTogether();
  t0 = now();
  tLast = t0;
  warmEnd = t0 + (job.warmupSeconds ?? 0);
  const timer = setInterval(() => {
    if (!stopped()) return;
    clearInterval(timer);
    port.close();
    report({ packets: nAtT - n0, seconds: tLast - t0 });
  }, 20);
};

const rbProd = (): void => {
  const rb = new RingBuffer(job.ring!, Uint8Array);
  const msg = new Uint8Array(HEADER + job.payload).fill(7);
  startTogether();
  let sent = 0;
  while (!stopped()) {
    let off = 0;
    while (off < msg.length) {
      off += rb.push(msg, msg.length - off, off);
      if (off < msg.length && stopped()) break;
    }
    sent++;
  }
  report({ packets: sent, seconds: 0 });
};

const rbCons = (): void => {
  const rb = new RingBuffer(job.ring!, Uint8Array);
  const buf = new Uint8Array(HEADER + job.payload);
  startTogether();
  let t0 = now();
  let n = 0;
  let tLast = t0;
  let nAtT = 0;
  const warmEnd = t0 + (job.warmupSeconds ?? 0);
  let warm = (job.warmupSeconds ?? 0) <= 0;
  let n0 = 0;
  while (!stopped()) {
    let off = 0;
    while (off < buf.length) {
      off += rb.pop(buf, buf.length - off, off);
      if (off < buf.length && stopped()) break;
    }
    if (off < buf.length) break;
    n++;
    if ((n & 63) === 0) {
      tLast = now();
      nAtT = n;
      if (!warm && tLast >= warmEnd) {
        warm = true;
        t0 = tLast;
        n0 = n;
      }
    }
  }
  report({ packets: nAtT - n0, seconds: tLast - t0 });
};

({ pmSend, pmRecv, rbProd, rbCons })[job.role]();
