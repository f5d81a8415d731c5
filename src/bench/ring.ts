/**
 * `npm run bench -- ring [--payload N[,N…]] [--mode busy|signalled|both] [--seconds S] [--json]`
 *
 * Two worker threads stream VMBus packets through a shared-memory ring (src/shm) in busy-poll
 * and signalled mode; baselines in the same run: MessagePort.postMessage (copying, and with a
 * transfer list), the ringbuf.js package at equal payload, and a single-thread Uint8Array.set
 * copy of the same bytes (the copy limit). Every measurement runs --repeat times (default 3) for
 * --seconds each (default 0.5) and keeps the best, because other processes share the cores; the
 * repetitions interleave ring and baseline runs so load bursts hit both alike.
 * --buffers staging (default): the ring's endpoints send from / receive into their staging areas
 * in the ring's shared WebAssembly.Memory (memory.copy, memmove speed); plain: ordinary
 * ArrayBuffers (TypedArray.set, which V8 runs as a relaxed-atomic word copy on shared memory).
 * Not a test: numbers depend on the machine and its load (reported per row).
 */
import { loadavg } from "node:os";
import { getString, parseArgs, UsageError } from "../cli/args.js";
import { isValidDataSize } from "../../spec/ring/decide.js";
import { createShmRing } from "../shm/handle.js";
import { newStreamControl, runStream } from "../shm/run.js";
import type { StreamMode } from "../shm/stream.js";
import { copyLimitRate, postMessageRate, ringbufRate, singleThreadRates, type Rate } from "./baselines.js";

export const USAGE = "usage: npm run bench -- [ring] [--payload N[,N…]] [--mode busy|signalled|both] [--seconds S] [--repeat N] [--buffers staging|plain] [--ring-bytes N] [--json]";
const DEFAULT_PAYLOADS = [0, 64, 256, 1500, 4096, 65536];
const MAX_PAYLOAD = 1 << 20;

type Buffers = "staging" | "plain";

interface Options {
  readonly payloads: readonly number[];
  readonly modes: readonly StreamMode[];
  readonly seconds: number;
  /** Each measurement is repeated and the best run kept (other processes share the cores). */
  readonly repeat: number;
  readonly json: boolean;
  readonly buffers: Buffers;
  /** Ring data-area size for every payload (default: dataSizeFor). */
  readonly ringBytes: number | null;
}

export const parseOptions = (argv: readonly string[]): Options => {
  const a = parseArgs(argv, [
    { name: "payload", kind: "string" },
    { name: "mode", kind: "string" },
    { name: "seconds", kind: "string" },
    { name: "repeat", kind: "string" },
    { name: "json", kind: "boolean" },
    { name: "buffers", kind: "string" },
    { name: "ring-bytes", kind: "string" },
  ]);
  if (a.positionals.length > 0) throw new UsageError(`unexpected argument '${a.positionals[0]}'`);
  const p = getString(a, "payload");
  const payloads = p === undefined ? DEFAULT_PAYLOADS : p.split(",").map((s) => {
    if (!/^\d+$/.test(s.trim()) || Number(s) > MAX_PAYLOAD) throw new UsageError(`--payload takes byte counts 0..${MAX_PAYLOAD} separated by commas, got '${s}'`);
    return Number(s);
  });
  const m = getString(a, "mode") ?? "both";
  if (m !== "busy" && m !== "signalled" && m !== "both") throw new UsageError(`--mode must be busy, signalled or both, got '${m}'`);
  const r = getString(a, "repeat") ?? "3";
  if (!/^\d+$/.test(r) || Number(r) < 1 || Number(r) > 100) throw new UsageError(`--repeat must be a whole number from 1 to 100, got '${r}'`);
  const s = getString(a, "seconds") ?? "0.5";
  const seconds = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || !(seconds >= 0.05 && seconds <= 600)) throw new UsageError(`--seconds must be a number from 0.05 to 600, got '${s}'`);
  const b = getString(a, "buffers") ?? "staging";
  if (b !== "staging" && b !== "plain") throw new UsageError(`--buffers must be staging or plain, got '${b}'`);
  const rb = getString(a, "ring-bytes");
  if (rb !== undefined && (!/^\d+$/.test(rb) || !isValidDataSize(Number(rb)) || Number(rb) < 4096)) throw new UsageError(`--ring-bytes must be a multiple of 8 of at least 4096, got '${rb}'`);
  return { payloads, modes: m === "both" ? ["busy", "signalled"] : [m], seconds, repeat: Number(r), json: a.booleans.has("json"), buffers: b, ringBytes: rb === undefined ? null : Number(rb) };
};

/**
 * Ring size: room for a deep pipeline of packets, at least 4 MiB. Larger than a core's L2
 * (1 MiB here), so the reader mostly finds lines the writer's L2 has already evicted to the
 * shared L3 instead of probing the other core, and a burst of load from other processes (a
 * thread descheduled for a time slice) is absorbed instead of stalling its peer; 1 MiB was no
 * faster on a quiet machine and up to 2× slower under load.
 */
const dataSizeFor = (payload: number): number => Math.max(4 << 20, 32 * ((payload + 31) & ~7));
/** Destination area of the copy-limit baseline (independent of the ring size). */
const copyAreaFor = (payload: number): number => Math.max(1 << 20, 32 * ((payload + 31) & ~7));
/** Packets per published batch: ~64 KiB of data or 64 packets, whichever is fewer. */
const batchFor = (payload: number): number => Math.max(1, Math.min(64, Math.floor(65536 / (payload + 24))));
/**
 * The consumer publishes read_index after min(1/16 of the ring, 128 KiB) (and whenever it drains
 * it): often enough that a writer waiting for space sees progress within microseconds (before
 * its 20 µs polling budget runs out and it naps — a "20 µs" Atomics.wait sleeps ~110 µs), rarely
 * enough that the control cache line (write_index, read_index, interrupt_mask and
 * pending_send_sz share it) bounces far less than with a publication every 16 packets.
 */
const commitEveryFor = (payload: number, size: number): number => Math.max(1, Math.floor(Math.min(size / 16, 131072) / (payload + 24)));

type BaselineName = "postMessageCopy" | "postMessageTransfer" | "ringbufJs" | "copyLimit" | "copyLimitShared";
const BASELINES: readonly BaselineName[] = ["postMessageCopy", "postMessageTransfer", "ringbufJs", "copyLimit", "copyLimitShared"];

interface Row {
  readonly payload: number;
  readonly mode: StreamMode;
  readonly packetsPerSecond: number;
  readonly bytesPerSecond: number;
  readonly signalsPer1000: number;
  /** Where the payloads come from and go to: the endpoints' staging areas in the ring's shared memory (memory.copy) or plain ArrayBuffers (TypedArray.set). */
  readonly buffers: Buffers;
  /** 1-minute load average when the row was measured: other processes compete for the cores. */
  readonly loadAverage: number;
  readonly baselines: Record<string, { readonly packetsPerSecond: number; readonly ratio: number | null }>;
  /** Write + read in ONE thread (CPU cost per packet, little disturbed by load): ring vs ringbuf.js. */
  readonly singleThread: { readonly packetsPerSecond: number; readonly ringbufJs: number; readonly ratio: number | null };
}

const ratio = (ours: number, base: number): number | null => (base > 0 ? ours / base : null);

const fmt = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0));
const fmtRatio = (r: number | null): string => (r === null ? "–" : r >= 10 ? r.toFixed(0) + "×" : r.toFixed(2) + "×");

/** The shared-memory ring benchmark (the default of `npm run bench`). */
export const run = async (argv: readonly string[]): Promise<number> => {
  let o: Options;
  try {
    o = parseOptions(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const progress = (m: string): void => {
    if (!o.json && process.stderr.isTTY) process.stderr.write(`\r\x1b[K${m}`);
  };
  const rows: Row[] = [];
  // Every two-thread receiver (ring, postMessage, ringbuf.js) leaves the first 50 ms (at most a
  // fifth of a run) out of its rate window: JIT warm-up and first-touch page faults are not
  // throughput, and they made short runs of every contender noisy.
  const warmup = Math.min(0.05, o.seconds / 5);
  for (const payload of o.payloads) {
    // --ring-bytes, but room for at least 4 packets of this payload
    const size = o.ringBytes === null ? dataSizeFor(payload) : Math.max(o.ringBytes, 4 * ((payload + 31) & ~7));
    // Interleaved best-of-N: each repetition runs every baseline once and the ring once per
    // mode, so a burst of load from other processes hits ring and baselines alike.
    const base: Record<BaselineName, Rate> = {
      postMessageCopy: { packetsPerSecond: 0 },
      postMessageTransfer: { packetsPerSecond: 0 },
      ringbufJs: { packetsPerSecond: 0 },
      copyLimit: { packetsPerSecond: 0 },
      copyLimitShared: { packetsPerSecond: 0 },
    };
    const measure: Record<BaselineName, () => Rate | Promise<Rate>> = {
      postMessageCopy: () => postMessageRate(payload, false, o.seconds, warmup),
      postMessageTransfer: () => postMessageRate(payload, true, o.seconds, warmup),
      ringbufJs: () => ringbufRate(payload, size, o.seconds, warmup),
      // The copy limit copies into an area of max(1 MiB, 32 packets), whatever the ring size:
      // a destination that fits L2 (the higher, stricter limit), the same as before rings grew.
      copyLimit: () => copyLimitRate(payload, copyAreaFor(payload), o.seconds / 2),
      copyLimitShared: () => copyLimitRate(payload, copyAreaFor(payload), o.seconds / 2, true),
    };
    let single = { ring: 0, ringbufJs: 0 };
    const best = new Map<StreamMode, { run: Awaited<ReturnType<typeof runStream>>; rate: number }>();
    for (let i = 0; i < o.repeat; i++) {
      for (const mode of o.modes) {
        progress(`payload ${payload}: ring, ${mode} (${i + 1}/${o.repeat})…`);
        const run = await runStream(
          {
            handle: createShmRing(size, {}, { staging: o.buffers === "staging" ? payload + 64 : 0 }),
            profile: "strict",
            mode,
            count: 0,
            payload,
            maxPayload: payload,
            batch: batchFor(payload),
            commitEvery: commitEveryFor(payload, size),
            warmupSeconds: warmup,
            verify: false,
            waitTimeoutMs: 100,
            control: newStreamControl(),
          },
          o.seconds,
        );
        const errors = [...run.producer.errors, ...run.consumer.errors];
        if (errors.length > 0) {
          process.stderr.write(`bench: ring stream failed: ${errors.join("; ")}\n`);
          return 1;
        }
        const rate = run.consumer.seconds > 0 ? (run.consumer.ratePackets ?? 0) / run.consumer.seconds : 0;
        if (rate > (best.get(mode)?.rate ?? -1)) best.set(mode, { run, rate });
      }
      progress(`payload ${payload}: baselines (${i + 1}/${o.repeat})…`);
      for (const name of BASELINES) {
        const x = await measure[name]();
        if (x.packetsPerSecond > base[name].packetsPerSecond) base[name] = x;
      }
      const x = await singleThreadRates(payload, size, o.seconds / 2, o.buffers === "staging");
      single = { ring: Math.max(single.ring, x.ring), ringbufJs: Math.max(single.ringbufJs, x.ringbufJs) };
    }
    for (const mode of o.modes) {
      const { producer, consumer } = best.get(mode)!.run;
      const secs = consumer.seconds;
      const pps = secs > 0 ? (consumer.ratePackets ?? 0) / secs : 0;
      const row: Row = {
        payload,
        mode,
        packetsPerSecond: pps,
        bytesPerSecond: secs > 0 ? (payload * (consumer.ratePackets ?? 0)) / secs : 0,
        signalsPer1000: consumer.packets > 0 ? ((producer.signals + consumer.signals) * 1000) / consumer.packets : 0,
        buffers: o.buffers,
        loadAverage: loadavg()[0]!,
        singleThread: { packetsPerSecond: single.ring, ringbufJs: single.ringbufJs, ratio: ratio(single.ring, single.ringbufJs) },
        baselines: Object.fromEntries(Object.entries(base).map(([k, v]) => [k, { packetsPerSecond: v.packetsPerSecond, ratio: ratio(pps, v.packetsPerSecond) }])),
      };
      rows.push(row);
      if (o.json) process.stdout.write(JSON.stringify(row) + "\n");
    }
  }
  progress("");
  if (!o.json) {
    const head = ["payload", "mode", "packets/s", "GB/s", "sig/1000", "×postMsg", "×postMsg+xfer", "×ringbuf.js", "÷copy limit", "÷SAB copy", "1-thread ×ringbuf.js", "load"];
    const body = rows.map((r) => [
      String(r.payload),
      r.mode,
      fmt(r.packetsPerSecond),
      (r.bytesPerSecond / 1e9).toFixed(2),
      r.signalsPer1000.toFixed(2),
      fmtRatio(r.baselines.postMessageCopy!.ratio),
      fmtRatio(r.baselines.postMessageTransfer!.ratio),
      fmtRatio(r.baselines.ringbufJs!.ratio),
      r.payload === 0 ? "–" : (r.baselines.copyLimit!.ratio ?? 0).toFixed(2),
      r.payload === 0 ? "–" : (r.baselines.copyLimitShared!.ratio ?? 0).toFixed(2),
      fmtRatio(r.singleThread.ratio),
      r.loadAverage.toFixed(2),
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
    const line = (cells: string[]): string => "| " + cells.map((c, i) => c.padStart(widths[i]!)).join(" | ") + " |";
    process.stdout.write([line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...body.map(line)].join("\n") + "\n");
    const bl = rows.filter((r, i) => rows.findIndex((x) => x.payload === r.payload) === i);
    process.stdout.write(`\nring payload buffers: ${o.buffers === "staging" ? "staging areas in the ring's shared WebAssembly.Memory (memory.copy)" : "plain ArrayBuffers (TypedArray.set)"}`);
    process.stdout.write("\nbaselines (packets/s): " + bl.map((r) => `${r.payload} B: postMessage ${fmt(r.baselines.postMessageCopy!.packetsPerSecond)}, +transfer ${fmt(r.baselines.postMessageTransfer!.packetsPerSecond)}, ringbuf.js ${fmt(r.baselines.ringbufJs!.packetsPerSecond)}, copy ${fmt(r.baselines.copyLimit!.packetsPerSecond)} (into SAB ${fmt(r.baselines.copyLimitShared!.packetsPerSecond)}), one thread: ring ${fmt(r.singleThread.packetsPerSecond)} vs ringbuf.js ${fmt(r.singleThread.ringbufJs)}`).join("; ") + "\n");
  }
  return 0;
};
