/**
 * Streaming loops over a shared ring, used by the two-thread property test and the benchmark:
 * a producer that writes `count` packets (or until told to stop) and a consumer that reads and
 * checks them. Packet contents are a function of the sequence number, so the consumer can
 * verify every byte without any side channel: transId low word = sequence number, high word =
 * payload length << 16 | checksum16.
 */
import { RING_PROFILES } from "../../spec/ring/profile.js";
import type { ProfileName } from "../../spec/profiles.js";
import { COMPLETION_REQUESTED, PacketType } from "../../spec/wire/packet.js";
import { DATA_LOST_WAKEUP, READ_FAULT, READ_INCOMPLETE, READ_NO_ROOM, ShmConsumer } from "./consumer.js";
import type { ShmRingHandle } from "./handle.js";
import { ShmProducer, SPACE_LOST_WAKEUP } from "./producer.js";
import { WRITE_FITS, WRITE_FULL } from "../../spec/ring/decide.js";

export type StreamMode = "busy" | "signalled";

export interface StreamConfig {
  readonly handle: ShmRingHandle;
  readonly profile: ProfileName;
  readonly mode: StreamMode;
  /** Packets to send; 0 = until `control[STOP]` is set. */
  readonly count: number;
  /** Fixed payload size, or -1 for random sizes in [0, maxPayload]. */
  readonly payload: number;
  readonly maxPayload: number;
  /** Packets per published batch: fixed, or -1 for random 1..16. */
  readonly batch: number;
  /** Packets the consumer reads between publications of the read index (it also publishes whenever it finds the ring empty); default: ~64 KiB, at most 16. */
  readonly commitEvery?: number;
  /** Seconds at the start of a run left out of the consumer's rate window (JIT warm-up, page faults on a fresh ring); default 0. */
  readonly warmupSeconds?: number;
  /** Fill and verify payload bytes (tests) or move them untouched (benchmark). */
  readonly verify: boolean;
  /** Atomics.wait bound; a wait that times out while work is available is a lost wake-up. */
  readonly waitTimeoutMs: number;
  /** Int32Array words: [STOP] set to 1 to stop a count-0 run; [PRODUCED] final count. */
  readonly control: SharedArrayBuffer;
}

export const STOP = 0;
export const PRODUCED = 1;
export const STARTED = 2;

export interface StreamReport {
  readonly role: "producer" | "consumer";
  readonly packets: number;
  readonly bytes: number;
  readonly signals: number;
  readonly waits: number;
  readonly commits: number;
  readonly batches: number;
  readonly lostWakeups: number;
  readonly errors: readonly string[];
  readonly checksum: number;
  readonly seconds: number;
  /** Packets and payload bytes counted up to `seconds` (the consumer's rate window). */
  readonly ratePackets?: number;
  readonly rateBytes?: number;
}

/** A cheap 32-bit mix of the sequence number (xorshift-multiply). */
const mix = (x: number): number => {
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
};
const byteAt = (seq: number, i: number): number => (seq * 31 + i * 7 + (i >>> 8)) & 0xff;
const sizeOf = (c: StreamConfig, seq: number): number => (c.payload >= 0 ? c.payload : mix(seq) % (c.maxPayload + 1));
const typeOf = (seq: number): number => (mix(seq ^ 0x5a5a) & 1 ? PacketType.DataInBand : PacketType.Completion);
const flagsOf = (seq: number): number => (mix(seq ^ 0x1234) & 2 ? COMPLETION_REQUESTED : 0);
const batchOf = (c: StreamConfig, seq: number): number => (c.batch > 0 ? c.batch : 1 + (mix(seq ^ 0x777) & 15));

/** Seconds on the monotonic clock. performance.now(), not process.hrtime.bigint(): the consumer stamps every 64 packets and a BigInt per stamp made 6% of its time garbage collection. */
const now = (): number => performance.now() / 1e3;

/**
 * Polling budget: a thread that finds nothing to do keeps polling for SPIN_MS, then (busy mode)
 * naps BACKOFF_MS or (signalled mode) sleeps on its doorbell. Measured in time, not iterations,
 * so a reader that waits for the next batch (a few µs) never naps, while on a machine with
 * fewer free cores than spinning threads (the 2-core CI box shared with other jobs) a stalled
 * thread soon hands its core to the peer that can make progress. Doorbells are not used in
 * busy mode.
 */
const SPIN_MS = 0.02;
const BACKOFF_MS = 0.02;
/** Tracks how long a thread has been polling without progress. */
class Idle {
  private since = -1;
  private polls = 0;
  progress(): void {
    this.since = -1;
  }
  /** One fruitless poll; true when the polling budget is spent (and the budget restarts). */
  exhausted(): boolean {
    if (this.since < 0) {
      this.since = performance.now();
      this.polls = 0;
      return false;
    }
    if ((++this.polls & 15) !== 0) return false;
    if (performance.now() - this.since < SPIN_MS) return false;
    this.since = -1;
    return true;
  }
}
const nap = new Int32Array(new SharedArrayBuffer(4));
const backoff = (): void => {
  Atomics.wait(nap, 0, 0, BACKOFF_MS);
};

/** The endpoint's staging area when the ring has one large enough (memory.copy), else a plain buffer. */
const bufferFor = (staging: Uint8Array | null, n: number): Uint8Array => (staging !== null && staging.length >= n ? staging.subarray(0, n) : new Uint8Array(n));

export const runProducer = (c: StreamConfig): StreamReport => {
  const p = new ShmProducer(c.handle, RING_PROFILES[c.profile]);
  const ctl = new Int32Array(c.control);
  const buf = bufferFor(p.staging, Math.max(c.maxPayload, c.payload, 1));
  if (!c.verify) for (let i = 0; i < buf.length; i++) buf[i] = byteAt(1, i);
  const errors: string[] = [];
  let lost = 0;
  let checksum = 0;
  let bytes = 0;
  let seq = 0;
  let inBatch = 0;
  const idle = new Idle();
  let batch = batchOf(c, 0);
  const t0 = now();
  const limit = c.count > 0 ? c.count : 0x7fffffff;
  const busy = c.mode === "busy";
  while (seq < limit) {
    if (c.count === 0 && (seq & 255) === 0 && Atomics.load(ctl, STOP) !== 0) break;
    const len = sizeOf(c, seq);
    let sum = 0;
    if (c.verify) {
      for (let i = 0; i < len; i++) {
        const b = byteAt(seq, i);
        buf[i] = b;
        sum = (sum + b) & 0xffff;
      }
    }
    // Varied types/flags only when verifying; the benchmark sends plain in-band packets, like its baselines' fixed messages.
    const r = c.verify ? p.tryWrite(typeOf(seq), flagsOf(seq), seq, (len << 16) | sum, buf, 0, len) : p.tryWrite(PacketType.DataInBand, 0, seq, len << 16, buf, 0, len);
    if (r === WRITE_FITS) {
      idle.progress();
      checksum = (checksum + sum) >>> 0;
      bytes += len;
      seq++;
      if (++inBatch >= batch) {
        p.publish();
        inBatch = 0;
        batch = batchOf(c, seq);
      }
      continue;
    }
    if (r !== WRITE_FULL) {
      errors.push(`producer fault at ${seq}: ${JSON.stringify(p.fault)}`);
      Atomics.store(ctl, STOP, 1);
      break;
    }
    inBatch = 0;
    // STOP also means "the consumer gave up": never wait for space that will not come.
    if (busy) {
      p.publish();
      if (Atomics.load(ctl, STOP) !== 0) break;
      if (idle.exhausted()) backoff();
      continue;
    }
    // Poll a little before sleeping: a wake-up costs far more than a few re-checks.
    p.publish();
    if (!idle.exhausted()) continue;
    const w = p.waitForSpace(p.lastNeeded, c.waitTimeoutMs);
    if (w === SPACE_LOST_WAKEUP) lost++;
    if (Atomics.load(ctl, STOP) !== 0) break;
  }
  p.publish();
  Atomics.store(ctl, PRODUCED, seq);
  Atomics.notify(new Int32Array(c.handle.doorbells), 0); // let a sleeping consumer see the end
  return { role: "producer", packets: seq, bytes, signals: p.signals, waits: p.waits, commits: 0, batches: p.batches, lostWakeups: lost, errors, checksum, seconds: now() - t0 };
};

export const runConsumer = (c: StreamConfig): StreamReport => {
  const q = new ShmConsumer(c.handle, RING_PROFILES[c.profile]);
  const ctl = new Int32Array(c.control);
  const buf = bufferFor(q.staging, Math.max(c.maxPayload, c.payload, 1) + 8);
  const errors: string[] = [];
  let lost = 0;
  let checksum = 0;
  let bytes = 0;
  let seq = 0;
  let inBatch = 0;
  let t0 = now();
  let tLast = t0;
  let seqAtT = 0;
  // The rate window opens at the first stamp after the warm-up (seq0/bytes0 at that stamp).
  const warmEnd = t0 + (c.warmupSeconds ?? 0);
  let warm = (c.warmupSeconds ?? 0) <= 0;
  let seq0 = 0;
  let bytes0 = 0;
  const idle = new Idle();
  let bytesAtT = 0;
  const busy = c.mode === "busy";
  const padded = RING_PROFILES[c.profile].writesTrailerAndPadding; // QEMU leaves stale padding
  // Publish the read index every ~64 KiB (at most 16 packets) so a writer is never starved of space.
  const commitEvery = c.commitEvery ?? (c.payload >= 0 ? Math.max(1, Math.min(16, Math.floor(65536 / (c.payload + 24)))) : 16);
  const fail = (m: string): void => {
    errors.push(m);
    Atomics.store(ctl, STOP, 1); // tell the producer not to wait for us
  };
  const done = (): boolean => {
    if (c.count > 0) return seq >= c.count || (Atomics.load(ctl, STOP) !== 0 && Atomics.load(ctl, PRODUCED) <= seq);
    const produced = Atomics.load(ctl, PRODUCED);
    return produced >= 0 && Atomics.load(ctl, STOP) !== 0 && seq >= produced && produced !== 0x7fffffff;
  };
  // A polling reader needs no interrupts: it says so with interrupt_mask, as DPDK does.
  // A signalled reader masks while awake (below).
  q.beginRead();
  // done() (two Atomics loads and a call) is checked only when the ring reads empty: a run can
  // only end there, except a counted run, which ends at its last packet.
  const last = c.count > 0 ? c.count : Infinity;
  for (;;) {
    const n = q.readInto(buf, 0);
    if (n >= 0) {
      const info = q.info;
      if (c.verify) {
        const len = info.transIdHi >>> 16;
        if (info.transIdLo !== seq) {
          fail(`expected packet ${seq}, got ${info.transIdLo} (lost, duplicated or reordered)`);
          break;
        }
        if (len !== sizeOf(c, seq) || n !== ((len + 7) & ~7) || info.type !== typeOf(seq) || info.flags !== flagsOf(seq)) {
          fail(`packet ${seq}: header mismatch (len ${len}, n ${n}, type ${info.type}, flags ${info.flags})`);
          break;
        }
        let sum = 0;
        let bad = -1;
        for (let i = 0; i < len; i++) {
          const b = buf[i]!;
          if (b !== byteAt(seq, i)) bad = i;
          sum = (sum + b) & 0xffff;
        }
        if (padded) for (let i = len; i < n; i++) if (buf[i] !== 0) bad = i;
        if (bad >= 0 || sum !== (info.transIdHi & 0xffff)) {
          fail(`packet ${seq}: payload corrupted at byte ${bad} (checksum ${sum} vs ${info.transIdHi & 0xffff})`);
          break;
        }
        checksum = (checksum + sum) >>> 0;
      }
      bytes += n;
      seq++;
      idle.progress();
      if ((seq & 63) === 0) {
        tLast = now();
        seqAtT = seq;
        bytesAtT = bytes;
        if (!warm && tLast >= warmEnd) {
          warm = true;
          t0 = tLast;
          seq0 = seq;
          bytes0 = bytes;
        }
      }
      if (++inBatch >= commitEvery) {
        q.commit();
        inBatch = 0;
      }
      if (seq >= last) break;
      continue;
    }
    if (n === READ_FAULT || n === READ_NO_ROOM || n === READ_INCOMPLETE) {
      fail(`consumer stopped at ${seq}: ${n === READ_FAULT ? JSON.stringify(q.fault) : n === READ_NO_ROOM ? "buffer too small" : "incomplete packet"}`);
      break;
    }
    // READ_EMPTY
    if (done()) break;
    inBatch = 0;
    if (busy) {
      q.commit();
      if (idle.exhausted()) backoff();
      continue;
    }
    // Linux's batched mode (hv_begin_read/hv_end_read): interrupts stay masked while the
    // reader is awake (polling a little before it gives up); before sleeping it unmasks and
    // re-checks (RING-READ-5).
    q.commit();
    if (!idle.exhausted()) continue;
    if (q.endRead().kind === "pending") {
      q.beginRead();
      continue;
    }
    if (q.waitForData(c.waitTimeoutMs) === DATA_LOST_WAKEUP) lost++;
    q.beginRead();
  }
  q.commit();
  q.endRead();
  if (c.count > 0) {
    tLast = now();
    seqAtT = seq;
    bytesAtT = bytes;
  }
  // The rate clock stops at a packet (not after the final idle wait of a timed run).
  return { role: "consumer", packets: seq, bytes, signals: q.signals, waits: 0, commits: q.commits, batches: 0, lostWakeups: lost, errors, checksum, seconds: tLast - t0, ratePackets: seqAtT - seq0, rateBytes: bytesAtT - bytes0 };
};
